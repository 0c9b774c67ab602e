from __future__ import annotations

import json
import re
from datetime import UTC, date, datetime, timedelta, timezone

import pytest
from hypothesis import given
from hypothesis import strategies as st

from indemnisation.flights.model import (
    FlightState,
    FlightStatus,
    InvalidFlightNumber,
    normalize_flight_number,
)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("AF1234", "AF1234"),
        ("af 006", "AF6"),
        ("AF006", "AF6"),
        ("AF-0006", "AF6"),
        ("  lh 400 ", "LH400"),
        ("U2 1234", "U21234"),
        ("u2-0023", "U223"),
        ("4U 9", "4U9"),
        ("W6 2201", "W62201"),
        ("BA 117A", "BA117A"),
        ("ba117a", "BA117A"),
        ("VY\t8012", "VY8012"),
        ("AF 1", "AF1"),
        ("AF 9999", "AF9999"),
    ],
)
def test_normalize_flight_number_accepts(text: str, expected: str) -> None:
    assert normalize_flight_number(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "",
        "   ",
        "AF",
        "1234",
        "12 345",  # two-digit designator
        "AF12345",  # five digits
        "AFR1234",  # ICAO designator, not IATA
        "AF 0",
        "AF 0000",
        "AF12AB",  # two suffix letters
        "AF1234-5",
        "AF.1234",
        "AF١٢٣",  # non-ASCII digits
        "ÀF123",
        "AF 12 34 5",
    ],
)
def test_normalize_flight_number_rejects(text: str) -> None:
    with pytest.raises(InvalidFlightNumber) as caught:
        normalize_flight_number(text)
    assert caught.value.code == "invalid_flight_number"


@given(
    designator=st.from_regex(r"[A-Z][A-Z0-9]|[0-9][A-Z]", fullmatch=True),
    number=st.integers(min_value=1, max_value=9999),
    suffix=st.sampled_from(["", "A", "Z"]),
    padding=st.integers(min_value=0, max_value=3),
    separator=st.sampled_from(["", " ", "-", " - "]),
)
def test_normalize_is_canonical_and_idempotent(
    designator: str, number: int, suffix: str, padding: int, separator: str
) -> None:
    digits = str(number).zfill(min(4, len(str(number)) + padding))
    typed = f"{designator.lower()}{separator}{digits}{suffix}"
    normalized = normalize_flight_number(typed)
    assert normalized == f"{designator}{number}{suffix}"
    assert normalize_flight_number(normalized) == normalized
    assert re.fullmatch(r"[A-Z0-9]{2}[1-9][0-9]{0,3}[A-Z]?", normalized)


def _flight(**changes: object) -> FlightStatus:
    values: dict[str, object] = {
        "flight_number": "AF6",
        "flight_date": date(2026, 3, 14),
        "carrier": "AF",
        "departure_airport": "CDG",
        "arrival_airport": "JFK",
        "scheduled_departure": datetime(2026, 3, 14, 9, 30, tzinfo=UTC),
        "scheduled_arrival": datetime(2026, 3, 14, 16, 45, tzinfo=UTC),
        "actual_departure": datetime(2026, 3, 14, 13, 35, tzinfo=UTC),
        "actual_arrival": datetime(2026, 3, 14, 20, 55, tzinfo=UTC),
        "state": FlightState.LANDED,
        "source": "test",
    }
    values.update(changes)
    return FlightStatus(**values)  # type: ignore[arg-type]


def test_delay_minutes_at_arrival() -> None:
    assert _flight().delay_minutes_at_arrival == 250


@pytest.mark.parametrize(
    ("late_by", "minutes"),
    [
        (timedelta(hours=2, minutes=59, seconds=59), 179),
        (timedelta(hours=3), 180),
        (timedelta(hours=3, seconds=1), 180),
        (timedelta(0), 0),
        (timedelta(minutes=-8), -8),
        (timedelta(seconds=-30), -1),
    ],
)
def test_delay_is_rounded_down_to_whole_minutes(late_by: timedelta, minutes: int) -> None:
    scheduled = datetime(2026, 3, 14, 16, 45, tzinfo=UTC)
    flight = _flight(scheduled_arrival=scheduled, actual_arrival=scheduled + late_by)
    assert flight.delay_minutes_at_arrival == minutes


@pytest.mark.parametrize(
    "changes",
    [
        {"state": FlightState.CANCELLED},
        {"state": FlightState.DIVERTED},
        {"actual_arrival": None},
        {"scheduled_arrival": None},
    ],
)
def test_no_arrival_delay_without_an_arrival(changes: dict[str, object]) -> None:
    assert _flight(**changes).delay_minutes_at_arrival is None


def test_times_are_converted_to_utc() -> None:
    paris = timezone(timedelta(hours=1))
    flight = _flight(scheduled_departure=datetime(2026, 3, 14, 10, 30, tzinfo=paris))
    assert flight.scheduled_departure == datetime(2026, 3, 14, 9, 30, tzinfo=UTC)
    assert flight.scheduled_departure is not None
    assert flight.scheduled_departure.utcoffset() == timedelta(0)


def test_naive_times_are_refused() -> None:
    with pytest.raises(ValueError, match="actual_arrival must be timezone-aware"):
        _flight(actual_arrival=datetime(2026, 3, 14, 20, 55))


def test_dict_round_trip_through_json() -> None:
    flight = _flight(actual_departure=None, state=FlightState.DIVERTED)
    data = json.loads(json.dumps(flight.to_dict()))
    assert data["flight_date"] == "2026-03-14"
    assert data["scheduled_arrival"] == "2026-03-14T16:45:00+00:00"
    assert data["actual_departure"] is None
    assert data["state"] == "diverted"
    restored = FlightStatus.from_dict(data)
    assert restored == flight
    assert restored.source == "test"


@pytest.mark.parametrize(
    "damage",
    [
        {"flight_date": "14/03/2026"},
        {"state": "boarding"},
        {"scheduled_arrival": 1710000000},
        {"scheduled_arrival": "2026-03-14T16:45:00"},  # no offset
        {"flight_number": "not a flight"},
    ],
)
def test_from_dict_refuses_malformed_data(damage: dict[str, object]) -> None:
    data = {**_flight().to_dict(), **damage}
    with pytest.raises((ValueError, TypeError)):
        FlightStatus.from_dict(data)


def test_from_dict_needs_the_identity_fields() -> None:
    data = _flight().to_dict()
    del data["departure_airport"]
    with pytest.raises(KeyError):
        FlightStatus.from_dict(data)


def test_flight_status_is_frozen() -> None:
    flight = _flight()
    with pytest.raises(AttributeError):
        flight.carrier = "KL"  # type: ignore[misc]
