from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from indemnisation.flights.model import FlightState, FlightStatus, InvalidFlightNumber
from indemnisation.flights.offline import OfflineFlightProvider, load_bundled_flights


@pytest.fixture(scope="module")
def bundled() -> list[FlightStatus]:
    return load_bundled_flights()


def test_bundled_data_is_a_realistic_set(bundled: list[FlightStatus]) -> None:
    assert 20 <= len(bundled) <= 30
    keys = {(f.flight_number, f.flight_date) for f in bundled}
    assert len(keys) == len(bundled), "one entry per flight and date"
    states = {f.state for f in bundled}
    assert {FlightState.LANDED, FlightState.CANCELLED, FlightState.DIVERTED} <= states
    assert all(f.flight_date.year == 2026 for f in bundled)
    assert all(f.source == "offline" for f in bundled)


def test_bundled_flights_are_consistent(bundled: list[FlightStatus]) -> None:
    for flight in bundled:
        assert flight.scheduled_departure is not None
        assert flight.scheduled_arrival is not None
        assert flight.scheduled_arrival > flight.scheduled_departure, flight
        assert flight.flight_number.startswith(flight.carrier), flight
        assert flight.departure_airport != flight.arrival_airport, flight
        if flight.state is FlightState.LANDED:
            assert flight.actual_departure is not None, flight
            assert flight.actual_arrival is not None, flight
            assert flight.actual_arrival > flight.actual_departure, flight
        if flight.state in (FlightState.CANCELLED, FlightState.SCHEDULED):
            assert flight.actual_departure is None and flight.actual_arrival is None, flight


@pytest.mark.parametrize(
    ("typed", "day", "route", "delay"),
    [
        ("AF 006", date(2026, 3, 14), ("CDG", "JFK"), 250),
        ("lh400", date(2026, 4, 20), ("FRA", "JFK"), 205),
        ("BA-117", date(2026, 5, 2), ("LHR", "JFK"), 300),
        ("IB 3406", date(2026, 4, 9), ("MAD", "ORY"), 155),
        ("AZ 318", date(2026, 4, 22), ("FCO", "CDG"), 179),
        ("LX 638", date(2026, 4, 22), ("ZRH", "CDG"), 180),
        ("BA 1438", date(2026, 8, 3), ("LHR", "EDI"), 210),
        ("W6 2201", date(2026, 10, 3), ("BUD", "LTN"), 195),
    ],
)
async def test_lookup_finds_delayed_flights(
    typed: str, day: date, route: tuple[str, str], delay: int
) -> None:
    flight = await OfflineFlightProvider().lookup(typed, day)
    assert flight is not None
    assert (flight.departure_airport, flight.arrival_airport) == route
    assert flight.flight_date == day
    assert flight.delay_minutes_at_arrival == delay


async def test_cancelled_flight() -> None:
    flight = await OfflineFlightProvider().lookup("VY 8012", date(2026, 6, 12))
    assert flight is not None
    assert flight.state is FlightState.CANCELLED
    assert flight.delay_minutes_at_arrival is None


async def test_connection_on_one_booking_meets_at_the_hub() -> None:
    provider = OfflineFlightProvider()
    feeder = await provider.lookup("AF1001", date(2026, 3, 14))
    long_haul = await provider.lookup("AF6", date(2026, 3, 14))
    assert feeder is not None and long_haul is not None
    assert feeder.arrival_airport == long_haul.departure_airport == "CDG"
    assert feeder.actual_arrival is not None and long_haul.actual_departure is not None
    assert feeder.actual_arrival < long_haul.actual_departure


async def test_overnight_flight_keeps_its_local_departure_date() -> None:
    flight = await OfflineFlightProvider().lookup("AF 11", date(2026, 6, 5))
    assert flight is not None
    assert flight.scheduled_departure == datetime(2026, 6, 6, 2, 0, tzinfo=UTC)
    assert await OfflineFlightProvider().lookup("AF 11", date(2026, 6, 6)) is None


async def test_same_number_on_two_dates_are_two_flights() -> None:
    provider = OfflineFlightProvider()
    late = await provider.lookup("LH400", date(2026, 4, 20))
    on_time = await provider.lookup("LH400", date(2026, 5, 18))
    assert late is not None and on_time is not None
    assert late.delay_minutes_at_arrival == 205
    assert on_time.delay_minutes_at_arrival == -6


@pytest.mark.parametrize(
    ("number", "day"),
    [("AF6", date(2026, 3, 15)), ("AF7", date(2026, 3, 14)), ("ZZ 999", date(2026, 1, 1))],
)
async def test_unknown_flight_is_none(number: str, day: date) -> None:
    assert await OfflineFlightProvider().lookup(number, day) is None


async def test_invalid_number_is_refused() -> None:
    with pytest.raises(InvalidFlightNumber):
        await OfflineFlightProvider().lookup("hello", date(2026, 3, 14))


async def test_custom_flights_replace_the_bundled_set() -> None:
    own = FlightStatus(
        flight_number="KL1223",
        flight_date=date(2027, 1, 2),
        carrier="KL",
        departure_airport="AMS",
        arrival_airport="CDG",
        scheduled_departure=datetime(2027, 1, 2, 6, 45, tzinfo=UTC),
        scheduled_arrival=datetime(2027, 1, 2, 8, 0, tzinfo=UTC),
    )
    provider = OfflineFlightProvider([own])
    assert len(provider) == 1
    assert await provider.lookup("KL 1223", date(2027, 1, 2)) == own
    assert await provider.lookup("AF6", date(2026, 3, 14)) is None
