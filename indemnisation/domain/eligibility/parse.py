"""JSON -> ``Case``, with errors that name the faulty field (``segments[1].carrier``).

Times are ISO 8601; a time without an offset is local time at its airport (departure times at
the departure airport, arrival times at the arrival airport), as printed on a boarding pass.
"""

from __future__ import annotations

import json
import re
from datetime import date, datetime
from enum import StrEnum
from typing import Any, TypeVar
from zoneinfo import ZoneInfo

from indemnisation.domain.airports import Airport, get_airport
from indemnisation.domain.eligibility.data import legal_data
from indemnisation.domain.eligibility.disruption import arrival_delay_minutes
from indemnisation.domain.eligibility.journey import disrupted_journey
from indemnisation.domain.eligibility.model import (
    AirlineReason,
    BoardingDenial,
    BroughtForward,
    Cancellation,
    Carrier,
    Case,
    Delay,
    DeniedBoarding,
    Disruption,
    Rerouting,
    Segment,
)

_E = TypeVar("_E", bound=StrEnum)
_JURISDICTION = re.compile(r"[A-Z]{2}(-[A-Z0-9]{1,3})?")
_MAX_PASSENGERS = 100


class CaseError(ValueError):
    """Bad or missing input; ``field`` is the path of the faulty value."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(f"{field}: {message}")
        self.field = field
        self.message = message


def get_carrier(code: str) -> Carrier | None:
    """The airline with this IATA designator (any case), or None."""
    return legal_data().carriers.get(code.strip().upper())


class _Object:
    """A JSON object at ``path``, read key by key; unknown keys are refused."""

    def __init__(self, raw: object, path: str, allowed: set[str]) -> None:
        if not isinstance(raw, dict):
            raise CaseError(path or "$", "must be a JSON object")
        self.raw: dict[str, Any] = raw
        self.path = path
        for key in raw:
            if key not in allowed:
                raise CaseError(
                    self.at(key), f"unknown field (expected one of {', '.join(sorted(allowed))})"
                )

    def at(self, key: str) -> str:
        return f"{self.path}.{key}" if self.path else key

    def text(self, key: str, default: str | None = None) -> str:
        value = self.raw.get(key, default)
        if value is None:
            raise CaseError(self.at(key), "required")
        if not isinstance(value, str):
            raise CaseError(self.at(key), "must be a string")
        return value.strip()

    def integer(self, key: str, *, minimum: int | None = None, default: int | None = None) -> int:
        value = self.optional_integer(key, minimum=minimum)
        if value is None:
            if default is None:
                raise CaseError(self.at(key), "required")
            return default
        return value

    def optional_integer(self, key: str, *, minimum: int | None = None) -> int | None:
        value = self.raw.get(key)
        if value is None:
            return None
        if isinstance(value, bool) or not isinstance(value, int):
            raise CaseError(self.at(key), "must be a whole number")
        if minimum is not None and value < minimum:
            raise CaseError(self.at(key), f"must be at least {minimum}, got {value}")
        return value

    def boolean(self, key: str, default: bool) -> bool:
        value = self.raw.get(key, default)
        if not isinstance(value, bool):
            raise CaseError(self.at(key), "must be true or false")
        return value

    def choice(self, key: str, enum: type[_E], default: _E | None = None) -> _E:
        value = self.text(key, None if default is None else default.value)
        try:
            return enum(value.lower())
        except ValueError:
            allowed = ", ".join(member.value for member in enum)
            raise CaseError(
                self.at(key), f"unknown value {value!r} (expected one of {allowed})"
            ) from None

    def moment(self, key: str, airport: Airport) -> datetime | None:
        if self.raw.get(key) is None:
            return None
        text = self.text(key)
        try:
            moment = datetime.fromisoformat(text)
        except ValueError:
            raise CaseError(self.at(key), f"not an ISO 8601 date and time: {text!r}") from None
        return moment if moment.tzinfo else moment.replace(tzinfo=ZoneInfo(airport.tz))


def _airport(obj: _Object, key: str) -> Airport:
    code = obj.text(key)
    airport = get_airport(code) if len(code) == 3 else None
    if airport is None:
        raise CaseError(
            obj.at(key), f"unknown airport code {code!r} (expected an IATA code like CDG)"
        )
    return airport


def _carrier(obj: _Object) -> Carrier:
    code = obj.text("carrier")
    carrier = get_carrier(code)
    if carrier is None:
        raise CaseError(
            obj.at("carrier"), f"unknown airline code {code!r} (expected an IATA code like AF)"
        )
    return carrier


def _check_order(
    obj: _Object, start: str, start_at: datetime | None, end: str, end_at: datetime | None
) -> None:
    if start_at is not None and end_at is not None and end_at <= start_at:
        raise CaseError(obj.at(end), f"must be after {start}")


def _segment(raw: object, path: str) -> Segment:
    keys = {"departure", "arrival", "carrier", "flight_number", "date", "booking"}
    keys |= {"scheduled_departure", "scheduled_arrival", "actual_departure", "actual_arrival"}
    obj = _Object(raw, path, keys)
    departure, arrival = _airport(obj, "departure"), _airport(obj, "arrival")
    if departure == arrival:
        raise CaseError(obj.at("arrival"), "same airport as the departure")
    times = {
        "scheduled_departure": obj.moment("scheduled_departure", departure),
        "scheduled_arrival": obj.moment("scheduled_arrival", arrival),
        "actual_departure": obj.moment("actual_departure", departure),
        "actual_arrival": obj.moment("actual_arrival", arrival),
    }
    for kind in ("scheduled", "actual"):
        start, end = f"{kind}_departure", f"{kind}_arrival"
        _check_order(obj, start, times[start], end, times[end])
    return Segment(
        departure=departure,
        arrival=arrival,
        carrier=_carrier(obj),
        date=_flight_date(obj, times["scheduled_departure"], departure),
        flight_number=obj.text("flight_number", ""),
        booking=obj.text("booking", ""),
        **times,
    )


def _flight_date(obj: _Object, scheduled: datetime | None, departure: Airport) -> date:
    if obj.raw.get("date") is None:
        if scheduled is None:
            raise CaseError(obj.at("date"), "required (or give scheduled_departure)")
        return scheduled.astimezone(ZoneInfo(departure.tz)).date()
    text = obj.text("date")
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise CaseError(obj.at("date"), f"not an ISO 8601 date (YYYY-MM-DD): {text!r}") from None


def _rerouting(raw: object, path: str) -> Rerouting | None:
    if raw is None:
        return None
    obj = _Object(raw, path, {"departure_earlier_minutes", "arrival_delay_minutes"})
    return Rerouting(
        obj.integer("departure_earlier_minutes", default=0), obj.integer("arrival_delay_minutes")
    )


_DISRUPTION_FIELDS = {
    "delay": {"arrival_delay_minutes"},
    "cancellation": {"notice_days", "rerouting"},
    "denied_boarding": {"kind", "rerouting"},
    "brought_forward": {"minutes_earlier", "notice_days", "arrival_delay_minutes"},
}


def _disruption(raw: object, count: int) -> Disruption:
    kind_name = raw.get("type") if isinstance(raw, dict) else None
    if kind_name not in _DISRUPTION_FIELDS:
        expected = ", ".join(_DISRUPTION_FIELDS)
        raise CaseError("disruption.type", f"required, one of {expected} (got {kind_name!r})")
    obj = _Object(raw, "disruption", {"type", "segment"} | _DISRUPTION_FIELDS[kind_name])
    segment = obj.integer("segment", minimum=0, default=0)
    if segment >= count:
        raise CaseError(
            "disruption.segment", f"no segment {segment}: there are {count} (numbered from 0)"
        )
    rerouting = _rerouting(obj.raw.get("rerouting"), "disruption.rerouting")
    if kind_name == "delay":
        return Delay(segment, obj.optional_integer("arrival_delay_minutes", minimum=0))
    if kind_name == "cancellation":
        return Cancellation(obj.integer("notice_days", minimum=0), segment, rerouting)
    if kind_name == "denied_boarding":
        return DeniedBoarding(obj.choice("kind", BoardingDenial), segment, rerouting)
    return BroughtForward(
        minutes_earlier=obj.integer("minutes_earlier", minimum=0),
        notice_days=obj.integer("notice_days", minimum=0),
        segment=segment,
        arrival_delay_minutes=obj.optional_integer("arrival_delay_minutes"),
    )


def parse_case(raw: object) -> Case:
    """Build a ``Case`` from decoded JSON; raise ``CaseError`` naming the faulty field."""
    keys = {
        "segments",
        "single_booking",
        "disruption",
        "airline_reason",
        "passengers",
        "jurisdiction",
    }
    obj = _Object(raw, "", keys)
    listed = obj.raw.get("segments")
    if not isinstance(listed, list) or not listed:
        raise CaseError("segments", "required: a list of at least one flight")
    segments = tuple(_segment(item, f"segments[{i}]") for i, item in enumerate(listed))
    if "disruption" not in obj.raw:
        raise CaseError("disruption", "required")
    jurisdiction = obj.text("jurisdiction", "").upper()
    if jurisdiction and not _JURISDICTION.fullmatch(jurisdiction):
        raise CaseError(
            "jurisdiction", f"not an ISO 3166 country code such as FR or GB-SCT: {jurisdiction!r}"
        )
    passengers = obj.integer("passengers", minimum=1, default=1)
    if passengers > _MAX_PASSENGERS:
        raise CaseError("passengers", f"at most {_MAX_PASSENGERS} in one claim")
    case = Case(
        segments=segments,
        disruption=_disruption(obj.raw["disruption"], len(segments)),
        airline_reason=obj.choice("airline_reason", AirlineReason, AirlineReason.NONE),
        passengers=passengers,
        jurisdiction=jurisdiction,
        single_booking=obj.boolean("single_booking", True),
    )
    _check_facts(case)
    return case


def _check_facts(case: Case) -> None:
    if isinstance(case.disruption, Delay) and case.disruption.arrival_delay_minutes is None:
        booking = disrupted_journey(case).segments
        if arrival_delay_minutes(booking) is None:
            last = case.segments.index(booking[-1])
            raise CaseError(
                "disruption.arrival_delay_minutes",
                f"required, unless segments[{last}] has scheduled_arrival and actual_arrival",
            )


def parse_case_json(text: str) -> Case:
    try:
        raw = json.loads(text)
    except json.JSONDecodeError as error:
        raise CaseError(
            "$", f"invalid JSON: {error.msg} (line {error.lineno}, column {error.colno})"
        ) from None
    return parse_case(raw)
