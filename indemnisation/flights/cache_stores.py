"""Where cached flight answers live: Redis when configured, else a bounded in-memory dict."""

from __future__ import annotations

import time
from collections import OrderedDict
from collections.abc import Callable
from typing import Protocol

import redis.asyncio as aioredis
from redis.exceptions import RedisError


class CacheUnavailable(Exception):
    """The store could not be reached; the caller should carry on without it."""


class CacheStore(Protocol):
    async def get(self, key: str) -> str | None: ...

    async def set(self, key: str, value: str, ttl_seconds: int) -> None: ...


class MemoryCacheStore:
    """A per-process LRU dict whose entries expire; each worker process has its own."""

    def __init__(
        self, *, max_entries: int = 2048, clock: Callable[[], float] = time.monotonic
    ) -> None:
        self._entries: OrderedDict[str, tuple[float, str]] = OrderedDict()
        self._max_entries = max_entries
        self._clock = clock

    async def get(self, key: str) -> str | None:
        entry = self._entries.get(key)
        if entry is None:
            return None
        expires_at, value = entry
        if expires_at <= self._clock():
            del self._entries[key]
            return None
        self._entries.move_to_end(key)
        return value

    async def set(self, key: str, value: str, ttl_seconds: int) -> None:
        self._entries[key] = (self._clock() + ttl_seconds, value)
        self._entries.move_to_end(key)
        while len(self._entries) > self._max_entries:
            self._entries.popitem(last=False)

    def __len__(self) -> int:
        return len(self._entries)


class RedisCacheStore:
    """Redis strings with an expiry. Errors become ``CacheUnavailable``.

    The client's connections belong to the event loop that first uses them: build one store per
    process (or per loop), as ``get_flight_provider`` does.
    """

    def __init__(self, client: aioredis.Redis) -> None:
        self._client = client

    @classmethod
    def from_url(cls, url: str, *, socket_timeout_seconds: float = 0.5) -> RedisCacheStore:
        client = aioredis.Redis.from_url(
            url,
            decode_responses=True,
            socket_timeout=socket_timeout_seconds,
            socket_connect_timeout=socket_timeout_seconds,
        )
        return cls(client)

    async def get(self, key: str) -> str | None:
        try:
            value = await self._client.get(key)
        except (RedisError, OSError) as error:
            raise CacheUnavailable(repr(error)) from error
        if value is None:
            return None
        return value if isinstance(value, str) else bytes(value).decode()

    async def set(self, key: str, value: str, ttl_seconds: int) -> None:
        try:
            await self._client.set(key, value, ex=ttl_seconds)
        except (RedisError, OSError) as error:
            raise CacheUnavailable(repr(error)) from error

    async def aclose(self) -> None:
        await self._client.aclose()
