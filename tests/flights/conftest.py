from __future__ import annotations

import uuid
from collections.abc import AsyncIterator, Iterator

import pytest
import redis
import redis.asyncio as aioredis

from indemnisation.flights.cache_stores import RedisCacheStore

from .fake_aerodatabox import FakeAeroDataBox

REDIS_URL = "redis://127.0.0.1:6379/15"


@pytest.fixture(scope="session")
def fake_server() -> Iterator[FakeAeroDataBox]:
    server = FakeAeroDataBox().start()
    yield server
    server.stop()


@pytest.fixture
def fake_api(fake_server: FakeAeroDataBox) -> FakeAeroDataBox:
    fake_server.reset()
    return fake_server


@pytest.fixture(scope="session")
def redis_url() -> str:
    try:
        redis.Redis.from_url(REDIS_URL, socket_connect_timeout=0.5).ping()
    except redis.RedisError as error:
        pytest.skip(f"Redis is not reachable at {REDIS_URL} ({error}); start redis-server")
    return REDIS_URL


@pytest.fixture
async def redis_client(redis_url: str) -> AsyncIterator[aioredis.Redis]:
    client = aioredis.Redis.from_url(redis_url, decode_responses=True)
    yield client
    await client.aclose()


@pytest.fixture
async def redis_store(
    redis_client: aioredis.Redis,
) -> AsyncIterator[tuple[RedisCacheStore, str]]:
    """A store on db 15 and a key prefix of its own, whose keys are deleted afterwards."""
    prefix = f"flight:test:{uuid.uuid4().hex}:"
    store = RedisCacheStore(redis_client)
    yield store, prefix
    keys = [key async for key in redis_client.scan_iter(match=f"{prefix}*")]
    if keys:
        await redis_client.delete(*keys)
