"""Status transitions are defined once; everything not listed is refused."""

from __future__ import annotations

import pytest

from indemnisation.domain.claim_status import (
    OPEN,
    WITHDRAWABLE,
    Actor,
    ClaimStatus,
    allowed_transitions,
    can_move,
)

S = ClaimStatus


@pytest.mark.parametrize(
    ("current", "target", "actor"),
    [
        (S.DRAFT, S.SUBMITTED, Actor.CLAIMANT),
        (S.SUBMITTED, S.WITHDRAWN, Actor.CLAIMANT),
        (S.NEEDS_INFO, S.WITHDRAWN, Actor.CLAIMANT),
        (S.SUBMITTED, S.IN_REVIEW, Actor.ADMIN),
        (S.IN_REVIEW, S.NEEDS_INFO, Actor.ADMIN),
        (S.IN_REVIEW, S.SENT_TO_AIRLINE, Actor.ADMIN),
        (S.SENT_TO_AIRLINE, S.ACCEPTED, Actor.ADMIN),
        (S.ACCEPTED, S.PAID, Actor.ADMIN),
        (S.PAID, S.CLOSED, Actor.ADMIN),
    ],
)
def test_allowed_moves(current: ClaimStatus, target: ClaimStatus, actor: Actor) -> None:
    assert can_move(current, target, actor)


@pytest.mark.parametrize(
    ("current", "target", "actor"),
    [
        (S.SENT_TO_AIRLINE, S.WITHDRAWN, Actor.CLAIMANT),
        (S.DRAFT, S.PAID, Actor.CLAIMANT),
        (S.SUBMITTED, S.PAID, Actor.ADMIN),
        (S.SUBMITTED, S.IN_REVIEW, Actor.CLAIMANT),
        (S.DRAFT, S.SUBMITTED, Actor.ADMIN),
        (S.CLOSED, S.IN_REVIEW, Actor.ADMIN),
        (S.WITHDRAWN, S.SUBMITTED, Actor.CLAIMANT),
        (S.PAID, S.PAID, Actor.ADMIN),
    ],
)
def test_refused_moves(current: ClaimStatus, target: ClaimStatus, actor: Actor) -> None:
    assert not can_move(current, target, actor)


def test_terminal_statuses_lead_nowhere() -> None:
    for status in (S.CLOSED, S.WITHDRAWN):
        for actor in Actor:
            assert allowed_transitions(status, actor) == frozenset()


def test_a_claim_can_be_withdrawn_only_before_it_reaches_the_airline() -> None:
    assert {S.SUBMITTED, S.IN_REVIEW, S.NEEDS_INFO} == WITHDRAWABLE
    assert S.SENT_TO_AIRLINE in OPEN and S.DRAFT not in OPEN
