"""Time limits come from national law (Moré v KLM, C-139/11)."""

from __future__ import annotations

from datetime import date

import pytest

from indemnisation.domain.eligibility import Delay, assess
from indemnisation.domain.eligibility.data import legal_data
from indemnisation.domain.eligibility.time_limits import add_months, claim_deadline

from .builders import case, seg

FLIGHT = date(2024, 3, 10)


@pytest.mark.parametrize(
    ("jurisdiction", "deadline"),
    [
        ("FR", date(2029, 3, 10)),
        ("DE", date(2027, 12, 31)),
        ("GB", date(2030, 3, 10)),
        ("GB-ENG", date(2030, 3, 10)),
        ("UK", date(2030, 3, 10)),
        ("GB-SCT", date(2029, 3, 10)),
        ("GB-NIR", date(2030, 3, 10)),
        ("BE", date(2026, 3, 10)),
        ("PL", date(2025, 3, 10)),
        ("IT", date(2026, 5, 10)),
        ("NL", date(2026, 3, 10)),
        ("ES", date(2029, 3, 10)),
        ("IE", date(2030, 3, 10)),
        ("DK", date(2027, 3, 10)),
        ("CZ", date(2027, 3, 10)),
        ("HU", date(2029, 3, 10)),
        ("fr", date(2029, 3, 10)),
    ],
)
def test_deadline_by_jurisdiction(jurisdiction: str, deadline: date) -> None:
    limit = claim_deadline(jurisdiction, FLIGHT)
    assert limit.deadline == deadline
    assert limit.reason.code in ("time_limit", "time_limit_indicative")
    assert "C-139/11" in limit.reason.reference


def test_germany_runs_from_the_end_of_the_year() -> None:
    assert claim_deadline("DE", date(2024, 1, 1)).deadline == date(2027, 12, 31)
    assert claim_deadline("DE", date(2024, 12, 31)).deadline == date(2027, 12, 31)
    assert claim_deadline("DE", date(2025, 1, 1)).deadline == date(2028, 12, 31)


def test_belgium_moved_from_one_to_two_years_in_december_2023() -> None:
    before = claim_deadline("BE", date(2023, 12, 20))
    after = claim_deadline("BE", date(2023, 12, 21))
    assert before.deadline == date(2024, 12, 20)
    assert before.reason.code == "time_limit_indicative"
    assert after.deadline == date(2025, 12, 21)
    assert after.reason.code == "time_limit"


def test_italy_is_flagged_as_disputed() -> None:
    assert claim_deadline("IT", FLIGHT).reason.code == "time_limit_indicative"


@pytest.mark.parametrize(
    ("start", "months", "expected"),
    [
        (date(2024, 2, 29), 12, date(2025, 2, 28)),
        (date(2024, 2, 29), 48, date(2028, 2, 29)),
        (date(2024, 1, 31), 1, date(2024, 2, 29)),
        (date(2024, 12, 15), 26, date(2027, 2, 15)),
    ],
)
def test_add_months_clamps_to_month_end(start: date, months: int, expected: date) -> None:
    assert add_months(start, months) == expected


def test_unknown_or_missing_jurisdiction_gives_no_deadline_and_says_why() -> None:
    unknown = claim_deadline("ZZ", FLIGHT)
    missing = claim_deadline("", FLIGHT)
    assert unknown.deadline is None and unknown.reason.code == "time_limit_unknown"
    assert "ZZ" in unknown.reason.en
    assert missing.deadline is None and missing.reason.code == "time_limit_no_jurisdiction"


def test_deadline_uses_the_disrupted_flight_date() -> None:
    verdict = assess(
        case(seg("CDG", "NCE", day=FLIGHT), disruption=Delay(arrival_delay_minutes=200))
    )
    assert verdict.claim_deadline == date(2029, 3, 10)
    assert "10/03/2029" in verdict.reasons[-1].fr and "10 March 2029" in verdict.reasons[-1].en


def test_every_jurisdiction_has_a_period_for_any_date() -> None:
    for code, jurisdiction in legal_data().jurisdictions.items():
        assert any(period.flights_from is None for period in jurisdiction.periods), code
        assert claim_deadline(code, date(2005, 2, 17)).deadline is not None
