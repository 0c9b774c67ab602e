"""Denied boarding, Art. 2(j) and 4: only involuntary denial is compensated."""

from __future__ import annotations

from decimal import Decimal

import pytest

from indemnisation.domain.eligibility import (
    AirlineReason,
    BoardingDenial,
    DeniedBoarding,
    Eligibility,
    Rerouting,
    assess,
)

from .builders import case, codes, seg


@pytest.mark.parametrize(
    ("kind", "eligible", "code"),
    [
        (BoardingDenial.INVOLUNTARY, Eligibility.YES, "denied_boarding_involuntary"),
        (BoardingDenial.VOLUNTARY, Eligibility.NO, "denied_boarding_volunteer"),
        (BoardingDenial.HEALTH, Eligibility.NO, "boarding_refused_health"),
        (BoardingDenial.SAFETY, Eligibility.NO, "boarding_refused_safety"),
        (BoardingDenial.SECURITY, Eligibility.NO, "boarding_refused_security"),
        (BoardingDenial.TRAVEL_DOCUMENTS, Eligibility.NO, "boarding_refused_travel_documents"),
    ],
)
def test_kinds_of_denial(kind: BoardingDenial, eligible: Eligibility, code: str) -> None:
    verdict = assess(case(seg("CDG", "ATH"), disruption=DeniedBoarding(kind)))
    assert verdict.eligible is eligible
    assert code in codes(verdict.reasons)
    expected = Decimal("400") if eligible is Eligibility.YES else None
    assert (verdict.per_passenger.amount if verdict.per_passenger else None) == expected


@pytest.mark.parametrize("reason", [AirlineReason.WEATHER, AirlineReason.OWN_STAFF_STRIKE])
def test_extraordinary_circumstances_do_not_excuse_denied_boarding_finnair(
    reason: AirlineReason,
) -> None:
    verdict = assess(
        case(
            seg("CDG", "ATH"), disruption=DeniedBoarding(BoardingDenial.INVOLUNTARY), reason=reason
        )
    )
    assert verdict.eligible is Eligibility.YES
    defence = next(r for r in verdict.reasons if r.code == "denied_boarding_no_defence")
    assert "C-22/11" in defence.reference
    assert not any(code.startswith("circumstance_") for code in codes(verdict.reasons))


@pytest.mark.parametrize(("later", "amount"), [(180, "200"), (181, "400")])
def test_rerouting_after_denied_boarding_may_halve(later: int, amount: str) -> None:
    verdict = assess(
        case(
            seg("CDG", "ATH"),
            disruption=DeniedBoarding(BoardingDenial.INVOLUNTARY, rerouting=Rerouting(0, later)),
        )
    )
    assert verdict.per_passenger is not None and verdict.per_passenger.amount == Decimal(amount)
