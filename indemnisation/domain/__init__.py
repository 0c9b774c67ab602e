"""Pure business rules: no Reflex, no database, no network."""
