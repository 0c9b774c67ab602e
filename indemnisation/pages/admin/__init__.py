"""Back-office pages, for admins only."""
