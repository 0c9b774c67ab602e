from __future__ import annotations

import dataclasses
import json
import logging
from datetime import UTC, date, datetime

import pytest
import redis.asyncio as aioredis

from indemnisation.flights import build_flight_provider
from indemnisation.flights.aerodatabox import AeroDataBoxProvider
from indemnisation.flights.cache import (
    LONG_TTL_SECONDS,
    NOT_FOUND_TTL_SECONDS,
    SHORT_TTL_SECONDS,
    CachingFlightProvider,
    cache_key,
    choose_ttl,
)
from indemnisation.flights.cache_stores import CacheUnavailable, MemoryCacheStore, RedisCacheStore
from indemnisation.flights.model import FlightState, FlightStatus
from indemnisation.flights.offline import OfflineFlightProvider, load_bundled_flights
from indemnisation.flights.provider import FlightProviderUnavailable
from indemnisation.settings import Settings

from .helpers import CountingProvider

PAST = date(2026, 3, 14)
NOW = datetime(2026, 3, 20, 12, 0, tzinfo=UTC)
TODAY = NOW.date()


def _flights() -> dict[tuple[str, date], FlightStatus | None]:
    return {(f.flight_number, f.flight_date): f for f in load_bundled_flights()}


_AF6 = _flights()[("AF6", PAST)]
assert _AF6 is not None
AF6: FlightStatus = _AF6
AF6_TODAY = dataclasses.replace(AF6, flight_date=TODAY, state=FlightState.DEPARTED)


class FakeMonotonic:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def counting() -> CountingProvider:
    return CountingProvider({**_flights(), ("AF6", TODAY): AF6_TODAY})


@pytest.mark.parametrize(
    ("status", "flight_date", "ttl"),
    [
        (AF6, PAST, LONG_TTL_SECONDS),
        (dataclasses.replace(AF6, state=FlightState.CANCELLED), PAST, LONG_TTL_SECONDS),
        (dataclasses.replace(AF6, state=FlightState.DIVERTED), PAST, LONG_TTL_SECONDS),
        (dataclasses.replace(AF6, actual_arrival=None), PAST, SHORT_TTL_SECONDS),
        (dataclasses.replace(AF6, state=FlightState.DEPARTED), PAST, SHORT_TTL_SECONDS),
        (dataclasses.replace(AF6, state=FlightState.UNKNOWN), PAST, SHORT_TTL_SECONDS),
        (AF6, TODAY, SHORT_TTL_SECONDS),
        (AF6, date(2026, 3, 21), SHORT_TTL_SECONDS),
        (
            dataclasses.replace(AF6, state=FlightState.SCHEDULED),
            date(2026, 9, 1),
            SHORT_TTL_SECONDS,
        ),
        (AF6, date(2026, 3, 19), LONG_TTL_SECONDS),
        (None, PAST, NOT_FOUND_TTL_SECONDS),
        (None, TODAY, NOT_FOUND_TTL_SECONDS),
    ],
)
def test_choose_ttl(status: FlightStatus | None, flight_date: date, ttl: int) -> None:
    assert choose_ttl(status, flight_date, NOW) == ttl


def test_ttls_are_short_and_long() -> None:
    assert SHORT_TTL_SECONDS == 300
    assert LONG_TTL_SECONDS == 30 * 24 * 3600


# In-memory store


async def test_memory_second_lookup_does_not_reach_the_provider() -> None:
    inner = counting()
    cached = CachingFlightProvider(inner, MemoryCacheStore(), clock=lambda: NOW)
    first = await cached.lookup("AF 006", PAST)
    second = await cached.lookup("af6", PAST)
    assert first == second == AF6
    assert second is not None and second.source == "offline"
    assert inner.calls == [("AF6", PAST)]


async def test_memory_not_found_is_cached_too() -> None:
    inner = counting()
    cached = CachingFlightProvider(inner, MemoryCacheStore(), clock=lambda: NOW)
    assert await cached.lookup("ZZ 1", PAST) is None
    assert await cached.lookup("ZZ 1", PAST) is None
    assert len(inner.calls) == 1


async def test_errors_are_not_cached() -> None:
    inner = counting()
    inner.fail_next = FlightProviderUnavailable("down")
    cached = CachingFlightProvider(inner, MemoryCacheStore(), clock=lambda: NOW)
    with pytest.raises(FlightProviderUnavailable):
        await cached.lookup("AF6", PAST)
    assert await cached.lookup("AF6", PAST) == AF6
    assert len(inner.calls) == 2


async def test_memory_ttl_today_expires_after_five_minutes() -> None:
    clock = FakeMonotonic()
    inner = counting()
    cached = CachingFlightProvider(inner, MemoryCacheStore(clock=clock), clock=lambda: NOW)
    await cached.lookup("AF6", TODAY)
    clock.now += SHORT_TTL_SECONDS - 1
    await cached.lookup("AF6", TODAY)
    assert len(inner.calls) == 1
    clock.now += 2
    await cached.lookup("AF6", TODAY)
    assert len(inner.calls) == 2


async def test_memory_ttl_past_landed_flight_is_kept_for_days() -> None:
    clock = FakeMonotonic()
    inner = counting()
    cached = CachingFlightProvider(inner, MemoryCacheStore(clock=clock), clock=lambda: NOW)
    await cached.lookup("AF6", PAST)
    clock.now += 29 * 24 * 3600
    await cached.lookup("AF6", PAST)
    assert len(inner.calls) == 1
    clock.now += 2 * 24 * 3600
    await cached.lookup("AF6", PAST)
    assert len(inner.calls) == 2


async def test_memory_store_is_bounded_and_keeps_recent_entries() -> None:
    store = MemoryCacheStore(max_entries=3)
    for name in "abc":
        await store.set(name, name, 60)
    assert await store.get("a") == "a"  # "a" is now the most recent
    await store.set("d", "d", 60)
    assert len(store) == 3
    assert await store.get("b") is None
    assert [await store.get(k) for k in "acd"] == ["a", "c", "d"]


async def test_unreadable_entry_is_a_miss_and_is_replaced() -> None:
    store = MemoryCacheStore()
    key = cache_key("AF6", PAST)
    await store.set(key, "{not json", 60)
    inner = counting()
    cached = CachingFlightProvider(inner, store, clock=lambda: NOW)
    assert await cached.lookup("AF6", PAST) == AF6
    assert json.loads(await store.get(key) or "")["found"] is True


# Redis store


@pytest.mark.redis
async def test_redis_second_lookup_does_not_reach_the_provider(
    redis_store: tuple[RedisCacheStore, str], redis_client: aioredis.Redis
) -> None:
    store, prefix = redis_store
    inner = counting()
    cached = CachingFlightProvider(inner, store, prefix=prefix, clock=lambda: NOW)
    assert await cached.lookup("AF 006", PAST) == AF6
    assert await cached.lookup("AF6", PAST) == AF6
    assert len(inner.calls) == 1
    entry = json.loads(await redis_client.get(f"{prefix}AF6:2026-03-14"))
    assert entry == {"found": True, "flight": AF6.to_dict()}


@pytest.mark.redis
async def test_redis_shares_answers_between_provider_instances(
    redis_store: tuple[RedisCacheStore, str],
) -> None:
    store, prefix = redis_store
    inner = counting()
    await CachingFlightProvider(inner, store, prefix=prefix, clock=lambda: NOW).lookup("AF6", PAST)
    other_worker = CachingFlightProvider(counting(), store, prefix=prefix, clock=lambda: NOW)
    assert await other_worker.lookup("AF6", PAST) == AF6
    assert isinstance(other_worker.inner, CountingProvider) and other_worker.inner.calls == []


@pytest.mark.redis
@pytest.mark.parametrize(
    ("number", "day", "ttl"),
    [
        ("AF6", PAST, LONG_TTL_SECONDS),
        ("AF6", TODAY, SHORT_TTL_SECONDS),
        ("ZZ1", PAST, NOT_FOUND_TTL_SECONDS),
    ],
)
async def test_redis_ttl(
    redis_store: tuple[RedisCacheStore, str],
    redis_client: aioredis.Redis,
    number: str,
    day: date,
    ttl: int,
) -> None:
    store, prefix = redis_store
    cached = CachingFlightProvider(counting(), store, prefix=prefix, clock=lambda: NOW)
    await cached.lookup(number, day)
    remaining = await redis_client.ttl(cache_key(number, day, prefix=prefix))
    assert ttl - 5 <= remaining <= ttl


@pytest.mark.redis
async def test_redis_down_falls_back_to_the_provider(caplog: pytest.LogCaptureFixture) -> None:
    store = RedisCacheStore.from_url("redis://127.0.0.1:1/15", socket_timeout_seconds=0.2)
    inner = counting()
    cached = CachingFlightProvider(inner, store, clock=lambda: NOW, store_retry_seconds=0)
    with caplog.at_level(logging.WARNING):
        assert await cached.lookup("AF6", PAST) == AF6
        assert await cached.lookup("AF6", PAST) == AF6
    assert len(inner.calls) == 2
    assert "flight cache unavailable" in caplog.text
    await store.aclose()


async def test_store_outage_is_left_alone_for_a_while() -> None:
    class BrokenStore:
        def __init__(self) -> None:
            self.calls = 0

        async def get(self, key: str) -> str | None:
            self.calls += 1
            raise CacheUnavailable("boom")

        async def set(self, key: str, value: str, ttl_seconds: int) -> None:
            self.calls += 1

    broken = BrokenStore()
    cached = CachingFlightProvider(counting(), broken, clock=lambda: NOW)
    assert await cached.lookup("AF6", PAST) == AF6
    assert await cached.lookup("AF6", PAST) == AF6
    assert broken.calls == 1


# Wiring


def test_build_without_key_or_redis_is_offline_in_memory() -> None:
    provider = build_flight_provider(Settings(flight_api_key="", redis_url=""))
    assert isinstance(provider.inner, OfflineFlightProvider)
    assert isinstance(provider.store, MemoryCacheStore)


async def test_build_with_key_and_redis(redis_url: str) -> None:
    settings = Settings(flight_api_key="k", redis_url=redis_url, flight_api_timeout_seconds=3)
    provider = build_flight_provider(settings)
    assert isinstance(provider.inner, AeroDataBoxProvider)
    assert isinstance(provider.store, RedisCacheStore)
    await provider.store.aclose()


async def test_built_offline_provider_answers() -> None:
    provider = build_flight_provider(Settings(flight_api_key="", redis_url=""))
    flight = await provider.lookup("BA 117", date(2026, 5, 2))
    assert flight is not None and flight.delay_minutes_at_arrival == 300
