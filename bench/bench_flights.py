"""Latency of flight lookups: cached (memory, Redis) and uncached (offline, HTTP to a local fake).

Run: .venv/bin/python bench/bench_flights.py [--redis-url redis://127.0.0.1:6379/15]
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import sys
import time
import uuid
from collections.abc import Awaitable, Callable
from datetime import date
from pathlib import Path

import httpx
import redis.asyncio as aioredis

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from indemnisation.flights.aerodatabox import AeroDataBoxProvider  # noqa: E402
from indemnisation.flights.cache import CachingFlightProvider  # noqa: E402
from indemnisation.flights.cache_stores import (  # noqa: E402
    CacheUnavailable,
    MemoryCacheStore,
    RedisCacheStore,
)
from indemnisation.flights.offline import OfflineFlightProvider  # noqa: E402
from tests.flights.fake_aerodatabox import FakeAeroDataBox, Reply, af6_delayed  # noqa: E402

DAY = date(2026, 3, 14)


async def measure(label: str, runs: int, call: Callable[[], Awaitable[object]]) -> None:
    for _ in range(min(20, runs)):
        await call()
    timings: list[float] = []
    for _ in range(runs):
        started = time.perf_counter()
        await call()
        timings.append((time.perf_counter() - started) * 1e6)
    timings.sort()
    p99 = timings[min(len(timings) - 1, round(0.99 * len(timings)))]
    median = statistics.median(timings)
    print(f"{label:<46} n={runs:<6} median {median:9.1f} µs   p99 {p99:9.1f} µs")


async def bench_redis(url: str, runs: int) -> None:
    client = aioredis.Redis.from_url(url, decode_responses=True, socket_connect_timeout=0.5)
    store = RedisCacheStore(client)
    try:
        await store.get("flight:bench:probe")
    except CacheUnavailable as error:
        print(f"{'cached lookup, Redis':<46} skipped: {url} unreachable ({error})")
        await client.aclose()
        return
    prefix = f"flight:bench:{uuid.uuid4().hex}:"
    cached = CachingFlightProvider(OfflineFlightProvider(), store, prefix=prefix)
    try:
        await measure("cached lookup, Redis", runs, lambda: cached.lookup("AF 006", DAY))
    finally:
        keys = [key async for key in client.scan_iter(match=f"{prefix}*")]
        if keys:
            await client.delete(*keys)
        await client.aclose()


async def bench_http(runs: int) -> None:
    fake = FakeAeroDataBox().start()
    fake.script("AF6", DAY.isoformat(), Reply(body=af6_delayed()))
    try:
        own_client = AeroDataBoxProvider("bench-key", base_url=fake.base_url)
        await measure(
            "uncached, AeroDataBox (client per lookup)",
            runs,
            lambda: own_client.lookup("AF 006", DAY),
        )
        async with httpx.AsyncClient() as client:
            pooled = AeroDataBoxProvider("bench-key", base_url=fake.base_url, client=client)
            await measure(
                "uncached, AeroDataBox (shared client)", runs, lambda: pooled.lookup("AF 006", DAY)
            )
    finally:
        fake.stop()


async def main(redis_url: str, runs: int) -> None:
    print(f"flight lookups of AF 006 on {DAY}; python {sys.version.split()[0]}")
    memory = CachingFlightProvider(OfflineFlightProvider(), MemoryCacheStore())
    await measure("cached lookup, memory", runs * 10, lambda: memory.lookup("AF 006", DAY))
    await bench_redis(redis_url, runs * 2)
    offline = OfflineFlightProvider()
    await measure("uncached, offline provider", runs * 10, lambda: offline.lookup("AF 006", DAY))
    await bench_http(runs)


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--redis-url", default="redis://127.0.0.1:6379/15")
    parser.add_argument("--runs", type=int, default=500, help="base number of lookups")
    arguments = parser.parse_args()
    asyncio.run(main(arguments.redis_url, arguments.runs))
