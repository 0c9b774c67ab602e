from __future__ import annotations

import logging
import socket
import time
from datetime import UTC, date, datetime

import httpx
import pytest

from indemnisation.flights.aerodatabox import AeroDataBoxProvider, retry_after_seconds
from indemnisation.flights.model import FlightState, InvalidFlightNumber
from indemnisation.flights.provider import (
    FlightLookupError,
    FlightLookupRateLimited,
    FlightLookupTimeout,
    FlightProviderBadResponse,
    FlightProviderNotConfigured,
    FlightProviderUnauthorized,
    FlightProviderUnavailable,
)

from .fake_aerodatabox import FakeAeroDataBox, Reply, af6_delayed, flight_contract, movement

KEY = "test-key-4f9c2d7e1a"
DAY = date(2026, 3, 14)
PATH = "/flights/number/AF6/2026-03-14"


def provider_for(fake: FakeAeroDataBox, **overrides: object) -> AeroDataBoxProvider:
    options: dict[str, object] = {
        "base_url": fake.base_url,
        "rapidapi_host": "aerodatabox.p.rapidapi.com",
        "timeout_seconds": 0.3,
        "max_attempts": 3,
        "backoff_base_seconds": 0.01,
        "backoff_max_seconds": 0.02,
        "max_retry_after_seconds": 2.0,
    }
    options.update(overrides)
    return AeroDataBoxProvider(KEY, **options)  # type: ignore[arg-type]


async def test_delayed_flight(fake_api: FakeAeroDataBox) -> None:
    fake_api.script("AF6", "2026-03-14", Reply(body=af6_delayed()))
    flight = await provider_for(fake_api).lookup("af 006", DAY)
    assert flight is not None
    assert flight.flight_number == "AF6"
    assert flight.flight_date == DAY
    assert flight.carrier == "AF"
    assert (flight.departure_airport, flight.arrival_airport) == ("CDG", "JFK")
    assert flight.scheduled_departure == datetime(2026, 3, 14, 9, 30, tzinfo=UTC)
    assert flight.scheduled_arrival == datetime(2026, 3, 14, 16, 45, tzinfo=UTC)
    assert flight.actual_departure == datetime(2026, 3, 14, 13, 35, tzinfo=UTC)
    # the gate (revised) time, not the earlier runway touchdown at 20:41
    assert flight.actual_arrival == datetime(2026, 3, 14, 20, 55, tzinfo=UTC)
    assert flight.state is FlightState.LANDED
    assert flight.delay_minutes_at_arrival == 250
    assert flight.source == "aerodatabox"


async def test_sends_key_host_and_query(fake_api: FakeAeroDataBox) -> None:
    fake_api.script("AF6", "2026-03-14", Reply(body=af6_delayed()))
    await provider_for(fake_api).lookup("AF 006", DAY)
    [seen] = fake_api.seen
    assert seen.path == PATH
    assert seen.headers["x-rapidapi-key"] == KEY
    assert seen.headers["x-rapidapi-host"] == "aerodatabox.p.rapidapi.com"
    assert seen.headers["accept"] == "application/json"
    assert seen.query["dateLocalRole"] == ["Departure"]
    assert seen.query["withAircraftImage"] == ["false"]


async def test_host_header_defaults_to_the_base_url_host(fake_api: FakeAeroDataBox) -> None:
    await AeroDataBoxProvider(KEY, base_url=fake_api.base_url + "/").lookup("AF6", DAY)
    assert fake_api.seen[0].headers["x-rapidapi-host"] == "127.0.0.1"
    assert fake_api.seen[0].path == PATH


async def test_cancelled_flight(fake_api: FakeAeroDataBox) -> None:
    cancelled = flight_contract(
        "VY 8012",
        "Canceled",
        movement("BCN", "2026-06-12 04:45Z", "2026-06-12 06:45+02:00"),
        movement("ORY", "2026-06-12 06:40Z", "2026-06-12 08:40+02:00"),
        airline_iata="VY",
    )
    fake_api.script("VY8012", "2026-06-12", Reply(body=[cancelled]))
    flight = await provider_for(fake_api).lookup("VY8012", date(2026, 6, 12))
    assert flight is not None
    assert flight.state is FlightState.CANCELLED
    assert flight.carrier == "VY"
    assert flight.actual_departure is None and flight.actual_arrival is None
    assert flight.delay_minutes_at_arrival is None


@pytest.mark.parametrize(
    "reply",
    [Reply(status=204), Reply(status=404, body={"message": "Not found"}), Reply(body=[])],
    ids=["204", "404", "empty-list"],
)
async def test_unknown_flight_is_none(fake_api: FakeAeroDataBox, reply: Reply) -> None:
    fake_api.script("AF6", "2026-03-14", reply)
    assert await provider_for(fake_api).lookup("AF6", DAY) is None
    assert len(fake_api.seen) == 1


async def test_date_outside_coverage_is_none(fake_api: FakeAeroDataBox) -> None:
    fake_api.script("AF6", "2026-03-14", Reply(status=400, body={"message": "out of range"}))
    assert await provider_for(fake_api).lookup("AF6", DAY) is None


async def test_server_error_then_success_is_retried(fake_api: FakeAeroDataBox) -> None:
    fake_api.script("AF6", "2026-03-14", Reply(status=500), Reply(body=af6_delayed()))
    flight = await provider_for(fake_api).lookup("AF6", DAY)
    assert flight is not None and flight.delay_minutes_at_arrival == 250
    assert len(fake_api.seen) == 2


async def test_server_errors_give_up_after_the_last_attempt(fake_api: FakeAeroDataBox) -> None:
    fake_api.script("AF6", "2026-03-14", Reply(status=503))
    with pytest.raises(FlightProviderUnavailable) as caught:
        await provider_for(fake_api, max_attempts=4).lookup("AF6", DAY)
    assert caught.value.code == "unavailable"
    assert len(fake_api.seen) == 4


async def test_timeout_then_success_is_retried(fake_api: FakeAeroDataBox) -> None:
    fake_api.script(
        "AF6", "2026-03-14", Reply(body=af6_delayed(), delay_seconds=1.0), Reply(body=af6_delayed())
    )
    started = time.monotonic()
    flight = await provider_for(fake_api, timeout_seconds=0.2).lookup("AF6", DAY)
    assert flight is not None
    assert len(fake_api.seen) == 2
    assert time.monotonic() - started < 0.9, "the slow answer was not awaited"


async def test_timeouts_give_up_with_timeout(fake_api: FakeAeroDataBox) -> None:
    fake_api.script("AF6", "2026-03-14", Reply(body=af6_delayed(), delay_seconds=0.5))
    with pytest.raises(FlightLookupTimeout) as caught:
        await provider_for(fake_api, timeout_seconds=0.1, max_attempts=2).lookup("AF6", DAY)
    assert caught.value.code == "timeout"
    assert len(fake_api.seen) == 2


async def test_rate_limit_waits_retry_after_then_succeeds(fake_api: FakeAeroDataBox) -> None:
    fake_api.script(
        "AF6",
        "2026-03-14",
        Reply(status=429, headers={"Retry-After": "1"}),
        Reply(body=af6_delayed()),
    )
    started = time.monotonic()
    flight = await provider_for(fake_api).lookup("AF6", DAY)
    assert flight is not None
    assert len(fake_api.seen) == 2
    assert time.monotonic() - started >= 0.95


async def test_rate_limit_forever_is_rate_limited(fake_api: FakeAeroDataBox) -> None:
    fake_api.script("AF6", "2026-03-14", Reply(status=429, headers={"Retry-After": "0"}))
    with pytest.raises(FlightLookupRateLimited) as caught:
        await provider_for(fake_api).lookup("AF6", DAY)
    assert caught.value.code == "rate_limited"
    assert caught.value.retry_after_seconds == 0
    assert len(fake_api.seen) == 3


async def test_rate_limit_without_retry_after_backs_off(fake_api: FakeAeroDataBox) -> None:
    fake_api.script("AF6", "2026-03-14", Reply(status=429), Reply(body=af6_delayed()))
    assert await provider_for(fake_api).lookup("AF6", DAY) is not None
    assert len(fake_api.seen) == 2


async def test_long_retry_after_is_not_waited_for(fake_api: FakeAeroDataBox) -> None:
    fake_api.script("AF6", "2026-03-14", Reply(status=429, headers={"Retry-After": "3600"}))
    started = time.monotonic()
    with pytest.raises(FlightLookupRateLimited) as caught:
        await provider_for(fake_api).lookup("AF6", DAY)
    assert caught.value.retry_after_seconds == 3600
    assert len(fake_api.seen) == 1
    assert time.monotonic() - started < 1


@pytest.mark.parametrize(
    "reply",
    [
        Reply(raw=b'[{"number": "AF 6", "departure": '),
        Reply(raw=b"<html>Bad gateway</html>"),
        Reply(body={"message": "not a list"}),
        Reply(body=["not an object"]),
        Reply(body=[{"number": "AF 6", "status": "Arrived"}]),
        Reply(body=[{**af6_delayed()[0], "departure": movement("CDG", "yesterday", "x")}]),
    ],
    ids=["truncated", "html", "object", "list-of-strings", "no-movements", "bad-time"],
)
async def test_malformed_answer_is_bad_response(fake_api: FakeAeroDataBox, reply: Reply) -> None:
    fake_api.script("AF6", "2026-03-14", reply)
    with pytest.raises(FlightProviderBadResponse) as caught:
        await provider_for(fake_api).lookup("AF6", DAY)
    assert caught.value.code == "bad_response"
    assert len(fake_api.seen) == 1, "a malformed answer is not retried"


@pytest.mark.parametrize("status", [401, 403])
async def test_refused_key_is_unauthorized(fake_api: FakeAeroDataBox, status: int) -> None:
    fake_api.script("AF6", "2026-03-14", Reply(status=status, body={"message": "no"}))
    with pytest.raises(FlightProviderUnauthorized) as caught:
        await provider_for(fake_api).lookup("AF6", DAY)
    assert caught.value.code == "unauthorized"


async def test_unexpected_status_is_bad_response(fake_api: FakeAeroDataBox) -> None:
    fake_api.script("AF6", "2026-03-14", Reply(status=418))
    with pytest.raises(FlightProviderBadResponse):
        await provider_for(fake_api).lookup("AF6", DAY)


async def test_without_a_key_nothing_is_sent(fake_api: FakeAeroDataBox) -> None:
    with pytest.raises(FlightProviderNotConfigured) as caught:
        await AeroDataBoxProvider("", base_url=fake_api.base_url).lookup("AF6", DAY)
    assert caught.value.code == "not_configured"
    assert fake_api.seen == []


async def test_invalid_number_is_refused_before_sending(fake_api: FakeAeroDataBox) -> None:
    with pytest.raises(InvalidFlightNumber):
        await provider_for(fake_api).lookup("AF/../../admin", DAY)
    assert fake_api.seen == []


async def test_unreachable_server_is_unavailable() -> None:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    provider = AeroDataBoxProvider(
        KEY, base_url=f"http://127.0.0.1:{port}", max_attempts=2, backoff_base_seconds=0.01
    )
    with pytest.raises(FlightProviderUnavailable):
        await provider.lookup("AF6", DAY)


async def test_the_key_is_never_logged_nor_shown(
    fake_api: FakeAeroDataBox, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    fake_api.script("AF6", "2026-03-14", Reply(status=500), Reply(status=429), Reply(status=502))
    provider = provider_for(fake_api)
    with pytest.raises(FlightLookupError) as caught:
        await provider.lookup("AF6", DAY)
    assert "retrying" in caplog.text
    assert KEY not in caplog.text
    assert KEY not in str(caught.value) and KEY not in repr(caught.value)
    assert KEY not in repr(provider)


async def test_shared_client_is_used(fake_api: FakeAeroDataBox) -> None:
    fake_api.script("AF6", "2026-03-14", Reply(body=af6_delayed()))
    async with httpx.AsyncClient() as client:
        provider = provider_for(fake_api, client=client)
        first = await provider.lookup("AF6", DAY)
        second = await provider.lookup("AF6", DAY)
    assert first is not None and first == second
    assert len(fake_api.seen) == 2


async def test_picks_the_passenger_leg_departing_that_day(fake_api: FakeAeroDataBox) -> None:
    [usual] = af6_delayed()
    cargo = {**usual, "isCargo": True, "status": "Canceled"}
    previous_day = flight_contract(
        "AF 6",
        "Arrived",
        movement("CDG", "2026-03-13 09:30Z", "2026-03-13 10:30+01:00"),
        movement("JFK", "2026-03-13 16:45Z", "2026-03-13 12:45-04:00"),
    )
    fake_api.script("AF6", "2026-03-14", Reply(body=[cargo, previous_day, usual]))
    flight = await provider_for(fake_api).lookup("AF6", DAY)
    assert flight is not None
    assert flight.flight_date == DAY
    assert flight.state is FlightState.LANDED
    assert flight.delay_minutes_at_arrival == 250


@pytest.mark.parametrize(
    ("status", "state"),
    [
        ("Expected", FlightState.SCHEDULED),
        ("Boarding", FlightState.SCHEDULED),
        ("Delayed", FlightState.SCHEDULED),
        ("EnRoute", FlightState.DEPARTED),
        ("Approaching", FlightState.DEPARTED),
        ("Diverted", FlightState.DIVERTED),
        ("CanceledUncertain", FlightState.UNKNOWN),
        ("Unknown", FlightState.UNKNOWN),
        ("SomethingNew", FlightState.UNKNOWN),
    ],
)
async def test_status_mapping(fake_api: FakeAeroDataBox, status: str, state: FlightState) -> None:
    fake_api.script("AF6", "2026-03-14", Reply(body=[{**af6_delayed()[0], "status": status}]))
    flight = await provider_for(fake_api).lookup("AF6", DAY)
    assert flight is not None and flight.state is state


async def test_runway_time_is_used_without_a_revised_time(fake_api: FakeAeroDataBox) -> None:
    arrival = movement(
        "JFK", "2026-03-14 16:45Z", "2026-03-14 12:45-04:00", runway_utc="2026-03-14 20:41Z"
    )
    [usual] = af6_delayed()
    fake_api.script("AF6", "2026-03-14", Reply(body=[{**usual, "arrival": arrival}]))
    flight = await provider_for(fake_api).lookup("AF6", DAY)
    assert flight is not None
    assert flight.actual_arrival == datetime(2026, 3, 14, 20, 41, tzinfo=UTC)


@pytest.mark.parametrize(
    ("header", "expected"),
    [
        (None, None),
        ("", None),
        ("7", 7.0),
        (" 0 ", 0.0),
        ("Sat, 14 Mar 2026 12:00:30 GMT", 30.0),
        ("Sat, 14 Mar 2026 11:00:00 GMT", 0.0),
        ("soon", None),
    ],
)
def test_retry_after_header(header: str | None, expected: float | None) -> None:
    now = datetime(2026, 3, 14, 12, 0, tzinfo=UTC)
    assert retry_after_seconds(header, now=now) == expected
