"""Long delay: 3 h or more at the final destination (Sturgeon, Nelson, Folkerts, Germanwings)."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest

from indemnisation.domain.eligibility import Delay, Eligibility, assess

from .builders import at, case, codes, km_north, seg


@pytest.mark.parametrize(
    ("minutes", "eligible", "code"),
    [
        (0, Eligibility.NO, "delay_too_short"),
        (179, Eligibility.NO, "delay_too_short"),
        (180, Eligibility.YES, "delay_due"),
        (181, Eligibility.YES, "delay_due"),
        (1440, Eligibility.YES, "delay_due"),
    ],
)
def test_three_hour_threshold_at_final_destination(
    minutes: int, eligible: Eligibility, code: str
) -> None:
    verdict = assess(case(seg("CDG", "NCE"), disruption=Delay(arrival_delay_minutes=minutes)))
    assert verdict.eligible is eligible
    assert code in codes(verdict.reasons)
    assert (verdict.per_passenger is not None) is (eligible is Eligibility.YES)


@pytest.mark.parametrize(
    ("arrival_hours", "eligible"), [(12 + 59 / 60, Eligibility.NO), (13.0, Eligibility.YES)]
)
def test_delay_computed_from_scheduled_and_actual_arrival(
    arrival_hours: float, eligible: Eligibility
) -> None:
    """2 h 59 vs 3 h 00 late, from the times rather than a stated delay."""
    flight = seg("CDG", "NCE", scheduled_arrival=at(10), actual_arrival=at(arrival_hours))
    assert assess(case(flight, disruption=Delay())).eligible is eligible


def test_times_in_different_zones_are_compared_as_instants() -> None:
    new_york = ZoneInfo("America/New_York")
    flight = seg(
        "CDG",
        "JFK",
        scheduled_arrival=datetime(2025, 6, 1, 12, 45, tzinfo=new_york),
        actual_arrival=datetime(2025, 6, 1, 19, 0, tzinfo=ZoneInfo("Europe/Paris")),
    )
    verdict = assess(case(flight, disruption=Delay()))
    assert verdict.eligible is Eligibility.NO  # 13:00 New York time: only 15 minutes late
    assert "0 h 15" in verdict.reasons[-1].en or any("0 h 15" in r.en for r in verdict.reasons)


def test_departure_delay_alone_does_not_count_folkerts() -> None:
    """C-11/11: only the arrival delay at the final destination matters."""
    late_departure = seg(
        "CDG",
        "NCE",
        scheduled_departure=at(8),
        actual_departure=at(12),
        scheduled_arrival=at(9.5),
        actual_arrival=at(12.25),
    )
    assert assess(case(late_departure, disruption=Delay())).eligible is Eligibility.NO


def test_missed_connection_counts_at_the_final_destination_folkerts() -> None:
    first = seg("BRE", "CDG", scheduled_arrival=at(8), actual_arrival=at(8.5))
    second = seg("CDG", "GRU", scheduled_arrival=at(20), actual_arrival=at(31))
    verdict = assess(case(first, second, disruption=Delay(0)))
    assert verdict.eligible is Eligibility.YES
    assert verdict.per_passenger is not None and verdict.per_passenger.amount == Decimal("600")


def test_arrival_is_measured_when_doors_open_germanwings() -> None:
    verdict = assess(case(seg("CDG", "NCE"), disruption=Delay(arrival_delay_minutes=200)))
    due = next(r for r in verdict.reasons if r.code == "delay_due")
    assert "C-452/13 Germanwings v Henning" in due.reference
    assert "doors open" in due.en and "ouverture des portes" in due.fr


def test_delay_rulings_are_cited() -> None:
    verdict = assess(case(seg("CDG", "NCE"), disruption=Delay(arrival_delay_minutes=200)))
    due = next(r for r in verdict.reasons if r.code == "delay_due")
    for ruling in ("C-402/07", "C-581/10", "C-11/11"):
        assert ruling in due.reference


def test_bossen_distance_is_first_departure_to_final_destination_not_flown() -> None:
    """C-559/16: Rome - Brussels - Hamburg is 1,325.7 km direct (1,666 km flown): 250 EUR."""
    verdict = assess(
        case(seg("FCO", "BRU", "SN"), seg("BRU", "HAM", "SN"), disruption=Delay(1, 240))
    )
    assert verdict.distance_km == 1325.7
    assert verdict.per_passenger is not None and verdict.per_passenger.amount == Decimal("250")


@pytest.mark.parametrize(
    ("minutes", "amount", "reduced"),
    [(180, "300", True), (239, "300", True), (240, "600", False)],
)
def test_long_haul_delay_between_three_and_four_hours_may_be_halved(
    minutes: int, amount: str, reduced: bool
) -> None:
    verdict = assess(case(seg("CDG", "JFK"), disruption=Delay(arrival_delay_minutes=minutes)))
    assert verdict.per_passenger is not None
    assert verdict.per_passenger.amount == Decimal(amount)
    assert verdict.reduced is reduced
    assert ("reduction_long_delay" in codes(verdict.reasons)) is reduced


def test_medium_band_delay_is_never_halved() -> None:
    origin, destination = km_north(3500.0)
    verdict = assess(case(seg(origin, destination), disruption=Delay(arrival_delay_minutes=180)))
    assert verdict.per_passenger is not None and verdict.per_passenger.amount == Decimal("400")
    assert not verdict.reduced


def test_unknown_delay_is_uncertain_and_asks_for_it() -> None:
    verdict = assess(case(seg("CDG", "NCE"), disruption=Delay()))
    assert verdict.eligible is Eligibility.UNCERTAIN
    assert codes(verdict.open_questions) == ["delay_unknown"]
    assert verdict.per_passenger is not None  # what would be due
