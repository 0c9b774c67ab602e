"""Small factories for eligibility tests: real airports by code, or synthetic ones by position."""

from __future__ import annotations

import math
from datetime import UTC, date, datetime, timedelta

from indemnisation.domain.airports import Airport, get_airport
from indemnisation.domain.eligibility import (
    AirlineReason,
    Carrier,
    Case,
    Delay,
    Disruption,
    Segment,
    get_carrier,
)

DAY = date(2025, 6, 1)
EARTH_RADIUS_KM = 6371.0


def airport(code: str) -> Airport:
    found = get_airport(code)
    assert found is not None, code
    return found


def synthetic(code: str, lat: float, lon: float = 0.0, country: str = "FR") -> Airport:
    return Airport(code, f"Synthetic {code}", "Nowhere", country, lat, lon, "UTC")


def km_north(
    distance_km: float, *, country: str = "FR", to_country: str = "US"
) -> tuple[Airport, Airport]:
    """Two synthetic airports on one meridian, exactly ``distance_km`` apart on the sphere,
    from an EU country to (by default) a non-EU one, so that no intra-EU cap applies."""
    lat = math.degrees(distance_km / EARTH_RADIUS_KM)
    return synthetic("AAA", 0.0, 0.0, country), synthetic("BBB", lat, 0.0, to_country)


def carrier(code: str) -> Carrier:
    found = get_carrier(code)
    assert found is not None, code
    return found


def at(hours: float, day: date = DAY) -> datetime:
    """A UTC time ``hours`` after midnight of ``day``."""
    return datetime(day.year, day.month, day.day, tzinfo=UTC) + timedelta(hours=hours)


def seg(
    departure: str | Airport,
    arrival: str | Airport,
    airline: str = "AF",
    *,
    booking: str = "",
    scheduled_arrival: datetime | None = None,
    actual_arrival: datetime | None = None,
    scheduled_departure: datetime | None = None,
    actual_departure: datetime | None = None,
    day: date = DAY,
) -> Segment:
    return Segment(
        departure=airport(departure) if isinstance(departure, str) else departure,
        arrival=airport(arrival) if isinstance(arrival, str) else arrival,
        carrier=carrier(airline),
        date=day,
        scheduled_departure=scheduled_departure,
        scheduled_arrival=scheduled_arrival,
        actual_departure=actual_departure,
        actual_arrival=actual_arrival,
        booking=booking,
    )


def case(
    *segments: Segment,
    disruption: Disruption | None = None,
    reason: AirlineReason = AirlineReason.NONE,
    passengers: int = 1,
    jurisdiction: str = "FR",
    single_booking: bool = True,
) -> Case:
    return Case(
        segments=segments,
        disruption=disruption if disruption is not None else Delay(arrival_delay_minutes=240),
        airline_reason=reason,
        passengers=passengers,
        jurisdiction=jurisdiction,
        single_booking=single_booking,
    )


def codes(reasons: object) -> list[str]:
    return [item.code for item in reasons]  # type: ignore[attr-defined]
