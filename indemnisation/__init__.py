"""Indemnisation: claim the compensation that EU261 and UK261 owe air passengers."""
