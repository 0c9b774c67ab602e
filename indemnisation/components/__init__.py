"""Reusable pieces of UI."""
