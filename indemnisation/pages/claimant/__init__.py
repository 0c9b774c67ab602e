"""Pages for claimants."""
