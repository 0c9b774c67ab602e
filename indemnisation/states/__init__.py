"""Thin Reflex states: read input, call a service off the event loop, keep what the page shows."""
