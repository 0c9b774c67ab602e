"""Turn AeroDataBox's ``/flights/number/{number}/{date}`` answer into a ``FlightStatus``.

The answer is a JSON list of flight contracts. Each has ``number``, ``status``, ``isCargo``,
``codeshareStatus``, ``airline`` (``iata``) and ``departure``/``arrival`` movements holding
``airport`` (``iata``) and times as ``{"utc": "2026-03-14 09:30Z", "local": "..."}`` under
``scheduledTime``, ``revisedTime`` (actual once it happened, else estimated), ``runwayTime``
(take-off or landing) and ``predictedTime``.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from indemnisation.flights.model import (
    FlightState,
    FlightStatus,
    InvalidFlightNumber,
    normalize_flight_number,
)
from indemnisation.flights.provider import FlightProviderBadResponse

SOURCE = "aerodatabox"

# CanceledUncertain means "probably cancelled, no update came": not firm enough to claim on.
_STATES = {
    "Expected": FlightState.SCHEDULED,
    "CheckIn": FlightState.SCHEDULED,
    "Boarding": FlightState.SCHEDULED,
    "GateClosed": FlightState.SCHEDULED,
    "Delayed": FlightState.SCHEDULED,
    "Departed": FlightState.DEPARTED,
    "EnRoute": FlightState.DEPARTED,
    "Approaching": FlightState.DEPARTED,
    "Arrived": FlightState.LANDED,
    "Canceled": FlightState.CANCELLED,
    "Diverted": FlightState.DIVERTED,
}

# The gate (revised) time comes first: EU261 measures delay when the doors open, not at landing.
_ACTUAL_TIME_KEYS = ("revisedTime", "actualTime", "runwayTime", "predictedTime")


def parse_flights(payload: Any, flight_number: str, flight_date: date) -> FlightStatus | None:
    """Pick the passenger leg that departs on ``flight_date`` and convert it.

    None for an empty list. Legs lacking airports or a scheduled departure are skipped; if no
    leg is usable, or the payload is not a list of objects, raise ``FlightProviderBadResponse``.
    """
    if not isinstance(payload, list) or not all(isinstance(item, dict) for item in payload):
        raise FlightProviderBadResponse("expected a JSON list of flight objects")
    if not payload:
        return None
    candidates = [
        status
        for item in payload
        if not item.get("isCargo")
        and (status := _to_status(item, flight_number, flight_date)) is not None
    ]
    if not candidates:
        raise FlightProviderBadResponse("no usable flight in the answer")
    return min(candidates, key=lambda status: _preference(status, flight_date))


def _preference(status: FlightStatus, flight_date: date) -> tuple[bool, datetime]:
    assert status.scheduled_departure is not None
    return (status.flight_date != flight_date, status.scheduled_departure)


def _to_status(item: dict[str, Any], flight_number: str, flight_date: date) -> FlightStatus | None:
    departure = _mapping(item.get("departure"))
    arrival = _mapping(item.get("arrival"))
    departure_airport = _mapping(departure.get("airport")).get("iata")
    arrival_airport = _mapping(arrival.get("airport")).get("iata")
    scheduled_departure = _utc(departure.get("scheduledTime"))
    if not (
        isinstance(departure_airport, str)
        and isinstance(arrival_airport, str)
        and scheduled_departure is not None
    ):
        return None
    carrier = _mapping(item.get("airline")).get("iata")
    return FlightStatus(
        flight_number=_number(item.get("number"), flight_number),
        flight_date=_local_date(departure.get("scheduledTime")) or flight_date,
        carrier=carrier if isinstance(carrier, str) and carrier else flight_number[:2],
        departure_airport=departure_airport,
        arrival_airport=arrival_airport,
        scheduled_departure=scheduled_departure,
        scheduled_arrival=_utc(arrival.get("scheduledTime")),
        actual_departure=_first_utc(departure),
        actual_arrival=_first_utc(arrival),
        state=_STATES.get(str(item.get("status")), FlightState.UNKNOWN),
        source=SOURCE,
    )


def _mapping(value: object) -> dict[str, Any]:
    return value if isinstance(value, dict) else {}


def _number(value: object, fallback: str) -> str:
    if isinstance(value, str):
        try:
            return normalize_flight_number(value)
        except InvalidFlightNumber:
            pass
    return fallback


def _first_utc(movement: dict[str, Any]) -> datetime | None:
    for key in _ACTUAL_TIME_KEYS:
        if (value := _utc(movement.get(key))) is not None:
            return value
    return None


def _utc(value: object) -> datetime | None:
    text = _mapping(value).get("utc")
    if not isinstance(text, str):
        return None
    try:
        parsed = datetime.fromisoformat(text)
    except ValueError as error:
        raise FlightProviderBadResponse(f"unreadable time {text!r}") from error
    if parsed.tzinfo is None:
        raise FlightProviderBadResponse(f"time without offset {text!r}")
    return parsed


def _local_date(value: object) -> date | None:
    text = _mapping(value).get("local")
    if not isinstance(text, str):
        return None
    try:
        return date.fromisoformat(text[:10])
    except ValueError:
        return None
