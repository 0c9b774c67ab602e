"""The life of a claim: its statuses and the only transitions allowed between them.

Claimants move their own claim out of DRAFT (submit) and may withdraw it until it is sent to the
airline; every other move is the claims team's.
"""

from __future__ import annotations

from enum import StrEnum


class ClaimStatus(StrEnum):
    DRAFT = "DRAFT"
    SUBMITTED = "SUBMITTED"
    IN_REVIEW = "IN_REVIEW"
    NEEDS_INFO = "NEEDS_INFO"
    SENT_TO_AIRLINE = "SENT_TO_AIRLINE"
    ACCEPTED = "ACCEPTED"
    PAID = "PAID"
    REJECTED = "REJECTED"
    CLOSED = "CLOSED"
    WITHDRAWN = "WITHDRAWN"


class Actor(StrEnum):
    CLAIMANT = "CLAIMANT"
    ADMIN = "ADMIN"


S = ClaimStatus
_TEAM: dict[ClaimStatus, frozenset[ClaimStatus]] = {
    S.SUBMITTED: frozenset({S.IN_REVIEW, S.NEEDS_INFO, S.REJECTED}),
    S.IN_REVIEW: frozenset({S.NEEDS_INFO, S.SENT_TO_AIRLINE, S.REJECTED}),
    S.NEEDS_INFO: frozenset({S.IN_REVIEW, S.REJECTED, S.CLOSED}),
    S.SENT_TO_AIRLINE: frozenset({S.ACCEPTED, S.REJECTED, S.NEEDS_INFO}),
    S.ACCEPTED: frozenset({S.PAID, S.CLOSED}),
    S.PAID: frozenset({S.CLOSED}),
    S.REJECTED: frozenset({S.CLOSED, S.IN_REVIEW}),
}
_CLAIMANT: dict[ClaimStatus, frozenset[ClaimStatus]] = {
    S.DRAFT: frozenset({S.SUBMITTED}),
    S.SUBMITTED: frozenset({S.WITHDRAWN}),
    S.IN_REVIEW: frozenset({S.WITHDRAWN}),
    S.NEEDS_INFO: frozenset({S.WITHDRAWN}),
}
WITHDRAWABLE = frozenset(_CLAIMANT) - {S.DRAFT}
OPEN = frozenset(set(S) - {S.DRAFT, S.CLOSED, S.WITHDRAWN, S.REJECTED, S.PAID})


def allowed_transitions(current: ClaimStatus, actor: Actor) -> frozenset[ClaimStatus]:
    table = _TEAM if actor is Actor.ADMIN else _CLAIMANT
    return table.get(current, frozenset())


def can_move(current: ClaimStatus, target: ClaimStatus, actor: Actor) -> bool:
    return target in allowed_transitions(current, actor)
