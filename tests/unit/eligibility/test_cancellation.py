"""Cancellation, Art. 5(1)(c), and flights brought forward (Azurair C-146/20)."""

from __future__ import annotations

from decimal import Decimal

import pytest

from indemnisation.domain.eligibility import (
    BroughtForward,
    Cancellation,
    Eligibility,
    Rerouting,
    assess,
)

from .builders import case, codes, km_north, seg


def _cancel(
    notice: int, rerouting: Rerouting | None = None, route: tuple[str, str] = ("CDG", "NCE")
):
    return assess(case(seg(*route), disruption=Cancellation(notice, rerouting=rerouting)))


@pytest.mark.parametrize(
    ("notice", "eligible", "code"),
    [
        (13, Eligibility.YES, "cancellation_due_no_rerouting"),
        (14, Eligibility.NO, "cancellation_notice_14_days"),
        (30, Eligibility.NO, "cancellation_notice_14_days"),
        (0, Eligibility.YES, "cancellation_due_no_rerouting"),
    ],
)
def test_two_weeks_notice_threshold(notice: int, eligible: Eligibility, code: str) -> None:
    verdict = _cancel(notice)
    assert verdict.eligible is eligible
    assert code in codes(verdict.reasons)


@pytest.mark.parametrize(
    ("notice", "earlier", "later", "eligible", "code"),
    [
        # 7 to 13 days: leave no more than 2 h early, arrive less than 4 h late
        (7, 120, 239, Eligibility.NO, "cancellation_rerouted_7_13"),
        (13, 120, 239, Eligibility.NO, "cancellation_rerouted_7_13"),
        (7, 121, 0, Eligibility.YES, "cancellation_due_rerouting_outside"),
        (7, 0, 240, Eligibility.YES, "cancellation_due_rerouting_outside"),
        # under 7 days: leave no more than 1 h early, arrive less than 2 h late
        (6, 60, 119, Eligibility.NO, "cancellation_rerouted_under_7"),
        (0, 60, 119, Eligibility.NO, "cancellation_rerouted_under_7"),
        (6, 61, 0, Eligibility.YES, "cancellation_due_rerouting_outside"),
        (6, 0, 120, Eligibility.YES, "cancellation_due_rerouting_outside"),
        # 6 vs 7 days with the same rerouting (1 h 30 early, 3 h late)
        (6, 90, 180, Eligibility.YES, "cancellation_due_rerouting_outside"),
        (7, 90, 180, Eligibility.NO, "cancellation_rerouted_7_13"),
    ],
)
def test_rerouting_windows_on_both_sides(
    notice: int, earlier: int, later: int, eligible: Eligibility, code: str
) -> None:
    verdict = _cancel(notice, Rerouting(earlier, later))
    assert verdict.eligible is eligible
    assert code in codes(verdict.reasons)


@pytest.mark.parametrize(
    ("distance", "later", "amount", "reduced"),
    [
        (1000.0, 120, "125", True),
        (1000.0, 121, "250", False),
        (2500.0, 180, "200", True),
        (2500.0, 181, "400", False),
        (5000.0, 240, "300", True),
        (5000.0, 241, "600", False),
    ],
)
def test_reduction_after_rerouting_by_band(
    distance: float, later: int, amount: str, reduced: bool
) -> None:
    origin, destination = km_north(distance)
    verdict = assess(
        case(seg(origin, destination), disruption=Cancellation(2, rerouting=Rerouting(90, later)))
    )
    assert verdict.eligible is Eligibility.YES
    assert verdict.per_passenger is not None and verdict.per_passenger.amount == Decimal(amount)
    assert verdict.reduced is reduced


def test_intra_eu_long_flight_uses_the_three_hour_reduction_limit() -> None:
    verdict = _cancel(2, Rerouting(90, 200), route=("CDG", "RUN"))
    assert verdict.per_passenger is not None and verdict.per_passenger.amount == Decimal("400")
    assert not verdict.reduced
    halved = _cancel(2, Rerouting(90, 180), route=("CDG", "RUN"))
    assert halved.per_passenger is not None and halved.per_passenger.amount == Decimal("200")


@pytest.mark.parametrize(
    ("minutes", "eligible", "code"),
    [
        (60, Eligibility.NO, "brought_forward_minor"),
        (61, Eligibility.YES, "brought_forward_cancellation"),
        (180, Eligibility.YES, "brought_forward_cancellation"),
    ],
)
def test_flight_brought_forward_by_more_than_an_hour_is_cancelled_azurair(
    minutes: int, eligible: Eligibility, code: str
) -> None:
    verdict = assess(case(seg("CDG", "NCE"), disruption=BroughtForward(minutes, notice_days=3)))
    assert verdict.eligible is eligible
    assert code in codes(verdict.reasons)
    assert "C-146/20" in next(r for r in verdict.reasons if r.code == code).reference


def test_brought_forward_with_enough_notice_or_within_window_is_not_due() -> None:
    two_weeks = assess(case(seg("CDG", "NCE"), disruption=BroughtForward(180, notice_days=14)))
    within_7_13 = assess(case(seg("CDG", "NCE"), disruption=BroughtForward(90, notice_days=10)))
    assert two_weeks.eligible is Eligibility.NO
    assert within_7_13.eligible is Eligibility.NO
    assert "cancellation_rerouted_7_13" in codes(within_7_13.reasons)
