"""Names of the live channels a hint can be sent on (see indemnisation.pubsub). Derived from
database ids only, after the service has authorized the person."""

from __future__ import annotations

ADMINS = "admins"
"""Every admin's badge (a claimant wrote)."""


def claim_channel(claim_id: int) -> str:
    """Everyone on the thread: public messages, reads, typing, presence."""
    return f"claim-{claim_id}"


def team_channel(claim_id: int) -> str:
    """Admins on the thread only: internal notes."""
    return f"team-{claim_id}"


def user_channel(user_id: int) -> str:
    """One person's badge, in every tab they have open."""
    return f"user-{user_id}"
