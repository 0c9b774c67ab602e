"""Use cases. Each public function takes keyword arguments, the acting user first, authorizes,
validates, writes in one transaction and only then notifies."""

# The tallies follow every claim the ORM writes, whichever service writes it.
from indemnisation.services import claim_tallies as _claim_tallies  # noqa: F401
