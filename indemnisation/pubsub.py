"""Live hints between the people on a thread, across every worker.

A hint is a tiny dict ("thread 12 changed", "someone is typing"), never message content: whoever
receives one re-reads what it may see through the services, so authorization stays in one place.

With Redis, each worker process holds one pattern subscription and fans hints out to the
listeners it hosts (one per open tab); without Redis the app runs a single worker and the hub
is in-process. A lost Redis connection is retried; tabs listening meanwhile only miss hints,
and they re-read the thread when the connection is back.
"""

from __future__ import annotations

import asyncio
import json
import logging
from collections.abc import AsyncIterator, Iterable
from contextlib import asynccontextmanager
from typing import Any

import redis.asyncio as aioredis

from indemnisation.settings import get_settings

log = logging.getLogger(__name__)

PREFIX = "ind:live:"
QUEUE_SIZE = 64
RECONNECTED = {"type": "reconnected"}

Hint = dict[str, Any]


class Hub:
    """Channels to listeners of this process; published hints go through Redis when set."""

    def __init__(self, redis_url: str) -> None:
        self._redis_url = redis_url
        self._redis: aioredis.Redis | None = None
        self._listeners: dict[str, set[asyncio.Queue[Hint]]] = {}
        self._pump: asyncio.Task[None] | None = None
        self._subscribed = asyncio.Event()

    async def publish(self, channel: str, hint: Hint) -> None:
        if not self._redis_url:
            self._deliver(channel, hint)
            return
        try:
            await self._client().publish(PREFIX + channel, json.dumps(hint))
        except (aioredis.RedisError, OSError) as error:
            log.warning("live hint not published", extra={"channel": channel, "error": str(error)})

    async def publish_many(self, channels: Iterable[str], hint: Hint) -> None:
        for channel in channels:
            await self.publish(channel, hint)

    @asynccontextmanager
    async def listen(self, channels: Iterable[str]) -> AsyncIterator[asyncio.Queue[Hint]]:
        """A queue receiving the hints of ``channels`` while the block runs."""
        queue: asyncio.Queue[Hint] = asyncio.Queue(QUEUE_SIZE)
        names = list(dict.fromkeys(channels))
        for name in names:
            self._listeners.setdefault(name, set()).add(queue)
        try:
            if self._redis_url:
                self._ensure_pump()
                await asyncio.wait_for(self._subscribed.wait(), timeout=5)
            yield queue
        finally:
            for name in names:
                listeners = self._listeners.get(name)
                if listeners is not None:
                    listeners.discard(queue)
                    if not listeners:
                        del self._listeners[name]

    def listener_count(self) -> int:
        return sum(len(queues) for queues in self._listeners.values())

    def _deliver(self, channel: str, hint: Hint) -> None:
        for queue in tuple(self._listeners.get(channel, ())):
            if queue.full():  # a slow tab only needs the latest hints: drop the oldest
                queue.get_nowait()
            queue.put_nowait(hint)

    def _broadcast(self, hint: Hint) -> None:
        for channel in tuple(self._listeners):
            self._deliver(channel, hint)

    def _client(self) -> aioredis.Redis:
        if self._redis is None:
            self._redis = aioredis.Redis.from_url(
                self._redis_url, socket_connect_timeout=2, health_check_interval=15
            )
        return self._redis

    def _ensure_pump(self) -> None:
        if self._pump is None or self._pump.done():
            self._pump = asyncio.create_task(self._run_pump(), name="indemnisation-live-pump")

    async def _run_pump(self) -> None:
        delay = 0.2
        first = True
        while True:
            try:
                async with self._client().pubsub(ignore_subscribe_messages=True) as pubsub:
                    await pubsub.psubscribe(PREFIX + "*")
                    self._subscribed.set()
                    if not first:
                        self._broadcast(RECONNECTED)
                    first, delay = False, 0.2
                    async for item in pubsub.listen():
                        self._on_item(item)
            except asyncio.CancelledError:
                raise
            except (aioredis.RedisError, OSError) as error:
                self._subscribed.clear()
                log.warning("live hub lost Redis, retrying", extra={"error": str(error)})
                await asyncio.sleep(delay)
                delay = min(delay * 2, 5.0)

    def _on_item(self, item: dict[str, Any]) -> None:
        if item.get("type") != "pmessage":
            return
        channel = item["channel"].decode()[len(PREFIX) :]
        try:
            hint = json.loads(item["data"])
        except ValueError:
            return
        if isinstance(hint, dict):
            self._deliver(channel, hint)


_hubs: dict[asyncio.AbstractEventLoop, Hub] = {}


def get_hub() -> Hub:
    """The hub of the running event loop (one per worker process; tests get one per loop)."""
    loop = asyncio.get_running_loop()
    hub = _hubs.get(loop)
    if hub is None:
        for stale in [other for other in _hubs if other.is_closed()]:
            del _hubs[stale]
        hub = _hubs[loop] = Hub(get_settings().redis_url)
    return hub
