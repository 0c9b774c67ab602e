"""What the application knows about one flight on one day, whichever provider told it."""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from enum import StrEnum
from typing import Any

_FLIGHT_NUMBER = re.compile(r"([A-Z0-9]{2})([0-9]{1,4})([A-Z]?)", re.ASCII)
_SEPARATORS = re.compile(r"[\s\-]+")


class InvalidFlightNumber(ValueError):
    """The text is not an IATA flight number such as "AF 006" or "U2-1234"."""

    code = "invalid_flight_number"


def normalize_flight_number(text: str) -> str:
    """Return the canonical form ("AF6", "U21234", "BA117A") or raise InvalidFlightNumber.

    An IATA flight number is a two-character airline designator (letters or digits, not two
    digits), 1 to 4 digits and an optional operational suffix letter. Spaces and dashes are
    ignored and leading zeros dropped, so "af 006" and "AF6" name the same flight.
    """
    compact = _SEPARATORS.sub("", text).upper()
    match = _FLIGHT_NUMBER.fullmatch(compact)
    if match is None:
        raise InvalidFlightNumber(f"not a flight number: {text!r}")
    designator, digits, suffix = match.groups()
    if designator.isdigit():
        raise InvalidFlightNumber(f"airline designator cannot be two digits: {text!r}")
    number = int(digits)
    if number == 0:
        raise InvalidFlightNumber(f"flight number cannot be zero: {text!r}")
    return f"{designator}{number}{suffix}"


class FlightState(StrEnum):
    SCHEDULED = "scheduled"
    DEPARTED = "departed"
    LANDED = "landed"
    CANCELLED = "cancelled"
    DIVERTED = "diverted"
    UNKNOWN = "unknown"


FINAL_STATES = frozenset({FlightState.LANDED, FlightState.CANCELLED, FlightState.DIVERTED})

_TIME_FIELDS = ("scheduled_departure", "scheduled_arrival", "actual_departure", "actual_arrival")


@dataclass(frozen=True, slots=True)
class FlightStatus:
    """One operated (or planned) flight leg.

    ``flight_date`` is the local date of scheduled departure, the date printed on a boarding
    pass. Times are UTC; the ``actual_*`` times are actual when the flight has moved, else the
    latest estimate, and None when unknown.
    """

    flight_number: str
    flight_date: date
    carrier: str
    departure_airport: str
    arrival_airport: str
    scheduled_departure: datetime | None
    scheduled_arrival: datetime | None
    actual_departure: datetime | None = None
    actual_arrival: datetime | None = None
    state: FlightState = FlightState.UNKNOWN
    source: str = field(default="", compare=False)

    def __post_init__(self) -> None:
        for name in _TIME_FIELDS:
            value = getattr(self, name)
            if value is None:
                continue
            if value.tzinfo is None or value.utcoffset() is None:
                raise ValueError(f"{name} must be timezone-aware, got {value!r}")
            object.__setattr__(self, name, value.astimezone(UTC))

    @property
    def delay_minutes_at_arrival(self) -> int | None:
        """Whole minutes between scheduled and actual arrival (negative when early).

        Rounded down, so 2 h 59 min 59 s stays under the 180-minute threshold of EU261.
        None when the flight never arrived where planned or a time is missing.
        """
        if self.state in (FlightState.CANCELLED, FlightState.DIVERTED):
            return None
        if self.scheduled_arrival is None or self.actual_arrival is None:
            return None
        seconds = (self.actual_arrival - self.scheduled_arrival).total_seconds()
        return math.floor(seconds / 60)

    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready dict; ``from_dict`` reverses it."""
        data: dict[str, Any] = {
            "flight_number": self.flight_number,
            "flight_date": self.flight_date.isoformat(),
            "carrier": self.carrier,
            "departure_airport": self.departure_airport,
            "arrival_airport": self.arrival_airport,
            "state": self.state.value,
            "source": self.source,
        }
        for name in _TIME_FIELDS:
            value: datetime | None = getattr(self, name)
            data[name] = None if value is None else value.isoformat()
        return data

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> FlightStatus:
        """Build from ``to_dict`` output; raises ValueError, KeyError or TypeError if malformed."""
        return cls(
            flight_number=normalize_flight_number(data["flight_number"]),
            flight_date=date.fromisoformat(data["flight_date"]),
            carrier=str(data["carrier"]),
            departure_airport=str(data["departure_airport"]),
            arrival_airport=str(data["arrival_airport"]),
            state=FlightState(data.get("state", FlightState.UNKNOWN.value)),
            source=str(data.get("source", "")),
            scheduled_departure=_parse_time(data.get("scheduled_departure")),
            scheduled_arrival=_parse_time(data.get("scheduled_arrival")),
            actual_departure=_parse_time(data.get("actual_departure")),
            actual_arrival=_parse_time(data.get("actual_arrival")),
        )


def _parse_time(value: object) -> datetime | None:
    if value is None:
        return None
    if not isinstance(value, str):
        raise TypeError(f"expected an ISO 8601 string, got {value!r}")
    return datetime.fromisoformat(value)
