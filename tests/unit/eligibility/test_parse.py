"""JSON input: valid cases parse; bad ones raise CaseError naming the field."""

from __future__ import annotations

import copy
import json
from datetime import UTC, date, datetime
from typing import Any

import pytest

from indemnisation.domain.eligibility import (
    AirlineReason,
    BoardingDenial,
    BroughtForward,
    Cancellation,
    CaseError,
    Delay,
    DeniedBoarding,
    Rerouting,
    parse_case,
    parse_case_json,
)

VALID: dict[str, Any] = {
    "segments": [
        {
            "departure": "cdg",
            "arrival": "JFK",
            "carrier": "af",
            "flight_number": "AF6",
            "scheduled_departure": "2026-03-14T10:30",
            "scheduled_arrival": "2026-03-14T12:45",
            "actual_arrival": "2026-03-14T16:55",
        }
    ],
    "disruption": {"type": "delay"},
    "airline_reason": "technical_fault",
    "passengers": 2,
    "jurisdiction": "fr",
}


def _with(path: str, value: Any) -> dict[str, Any]:
    """VALID with the value at a dotted path ("segments.0.carrier") replaced (or removed)."""
    data = copy.deepcopy(VALID)
    *parents, last = path.split(".")
    target: Any = data
    for key in parents:
        target = target[int(key)] if key.isdigit() else target[key]
    if value is _REMOVE:
        del target[last]
    else:
        target[last] = value
    return data


_REMOVE = object()


def test_valid_case() -> None:
    case = parse_case(VALID)
    segment = case.segments[0]
    assert (segment.departure.iata, segment.arrival.iata, segment.carrier.iata) == (
        "CDG",
        "JFK",
        "AF",
    )
    assert segment.date == date(2026, 3, 14)
    assert case.airline_reason is AirlineReason.TECHNICAL_FAULT
    assert case.passengers == 2 and case.jurisdiction == "FR" and case.single_booking
    assert case.disruption == Delay(0, None)


def test_local_times_use_each_airports_zone() -> None:
    segment = parse_case(VALID).segments[0]
    assert segment.scheduled_departure == datetime(2026, 3, 14, 9, 30, tzinfo=UTC)  # Paris, UTC+1
    assert segment.scheduled_arrival == datetime(2026, 3, 14, 16, 45, tzinfo=UTC)  # New York, DST
    offset = _with("segments.0.actual_arrival", "2026-03-14T20:55:00Z")
    assert parse_case(offset).segments[0].actual_arrival == datetime(
        2026, 3, 14, 20, 55, tzinfo=UTC
    )


@pytest.mark.parametrize(
    ("disruption", "expected"),
    [
        ({"type": "delay", "arrival_delay_minutes": 200}, Delay(0, 200)),
        ({"type": "cancellation", "notice_days": 3}, Cancellation(3)),
        (
            {
                "type": "cancellation",
                "notice_days": 3,
                "rerouting": {"departure_earlier_minutes": 30, "arrival_delay_minutes": 90},
            },
            Cancellation(3, 0, Rerouting(30, 90)),
        ),
        (
            {"type": "denied_boarding", "kind": "involuntary"},
            DeniedBoarding(BoardingDenial.INVOLUNTARY),
        ),
        (
            {"type": "brought_forward", "minutes_earlier": 90, "notice_days": 2},
            BroughtForward(90, 2),
        ),
    ],
)
def test_each_disruption_type(disruption: dict[str, Any], expected: object) -> None:
    assert parse_case(_with("disruption", disruption)).disruption == expected


@pytest.mark.parametrize(
    ("path", "value", "field", "words"),
    [
        ("segments.0.departure", "XXX", "segments[0].departure", "unknown airport code 'XXX'"),
        ("segments.0.arrival", "PARIS", "segments[0].arrival", "unknown airport code"),
        ("segments.0.arrival", "CDG", "segments[0].arrival", "same airport"),
        ("segments.0.carrier", "ZZ", "segments[0].carrier", "unknown airline code 'ZZ'"),
        ("segments.0.carrier", _REMOVE, "segments[0].carrier", "required"),
        (
            "segments.0.scheduled_arrival",
            "2026-03-14T04:00",
            "segments[0].scheduled_arrival",
            "after scheduled_departure",
        ),
        (
            "segments.0.actual_departure",
            "2026-03-14T23:00",
            "segments[0].actual_arrival",
            "after actual_departure",
        ),
        (
            "segments.0.scheduled_departure",
            "tomorrow",
            "segments[0].scheduled_departure",
            "ISO 8601",
        ),
        ("segments.0.scheduled_departure", _REMOVE, "segments[0].date", "required"),
        ("segments.0.date", "14/03/2026", "segments[0].date", "YYYY-MM-DD"),
        ("segments.0.gate", "A1", "segments[0].gate", "unknown field"),
        ("segments", [], "segments", "at least one"),
        ("disruption", _REMOVE, "disruption", "required"),
        ("disruption", {"type": "strike"}, "disruption.type", "delay, cancellation"),
        (
            "disruption",
            {"type": "delay", "arrival_delay_minutes": -5},
            "disruption.arrival_delay_minutes",
            "at least 0",
        ),
        (
            "disruption",
            {"type": "delay", "arrival_delay_minutes": "200"},
            "disruption.arrival_delay_minutes",
            "whole number",
        ),
        (
            "disruption",
            {"type": "delay", "arrival_delay_minutes": True},
            "disruption.arrival_delay_minutes",
            "whole number",
        ),
        ("disruption", {"type": "delay", "segment": 3}, "disruption.segment", "no segment 3"),
        ("disruption", {"type": "cancellation"}, "disruption.notice_days", "required"),
        (
            "disruption",
            {"type": "cancellation", "notice_days": -1},
            "disruption.notice_days",
            "at least 0",
        ),
        (
            "disruption",
            {"type": "cancellation", "notice_days": 2, "rerouting": {}},
            "disruption.rerouting.arrival_delay_minutes",
            "required",
        ),
        (
            "disruption",
            {"type": "cancellation", "notice_days": 2, "kind": "x"},
            "disruption.kind",
            "unknown field",
        ),
        (
            "disruption",
            {"type": "denied_boarding", "kind": "angry"},
            "disruption.kind",
            "involuntary",
        ),
        (
            "disruption",
            {"type": "brought_forward", "notice_days": 2},
            "disruption.minutes_earlier",
            "required",
        ),
        ("airline_reason", "aliens", "airline_reason", "technical_fault"),
        ("passengers", 0, "passengers", "at least 1"),
        ("passengers", 500, "passengers", "at most"),
        ("jurisdiction", "France", "jurisdiction", "ISO 3166"),
        ("single_booking", "yes", "single_booking", "true or false"),
        ("pasengers", 2, "pasengers", "unknown field"),
    ],
)
def test_errors_name_the_field(path: str, value: Any, field: str, words: str) -> None:
    with pytest.raises(CaseError) as caught:
        parse_case(_with(path, value))
    assert caught.value.field == field
    assert words in caught.value.message


def test_delay_without_times_or_minutes_is_a_missing_fact() -> None:
    data = _with("segments.0.actual_arrival", _REMOVE)
    with pytest.raises(CaseError) as caught:
        parse_case(data)
    assert caught.value.field == "disruption.arrival_delay_minutes"
    assert "segments[0]" in caught.value.message


@pytest.mark.parametrize("text", ["", "{", "[1, 2]", "null", '"case"'])
def test_not_a_json_object(text: str) -> None:
    with pytest.raises(CaseError) as caught:
        parse_case_json(text)
    assert caught.value.field == "$"


def test_json_round_trip() -> None:
    assert parse_case_json(json.dumps(VALID)) == parse_case(VALID)
