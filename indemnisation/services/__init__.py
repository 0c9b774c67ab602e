"""Use cases. Each public function takes keyword arguments, the acting user first, authorizes,
validates, writes in one transaction and only then notifies."""
