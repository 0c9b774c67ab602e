"""Live hints (pubsub.Hub) and presence heartbeats, in-process and through Redis."""

from __future__ import annotations

import asyncio
import time

import pytest

from indemnisation import presence
from indemnisation.pubsub import Hub, get_hub
from indemnisation.settings import get_settings


async def _next(queue: asyncio.Queue[dict[str, object]]) -> dict[str, object]:
    return await asyncio.wait_for(queue.get(), timeout=3)


async def test_a_hint_reaches_only_the_listeners_of_its_channel() -> None:
    hub = get_hub()
    async with hub.listen(["claim-1", "user-7"]) as mine, hub.listen(["claim-2"]) as other:
        await hub.publish("claim-1", {"type": "thread", "claim": 1})
        await hub.publish("user-7", {"type": "badge"})
        assert await _next(mine) == {"type": "thread", "claim": 1}
        assert await _next(mine) == {"type": "badge"}
        await asyncio.sleep(0.1)
        assert other.empty()
    assert hub.listener_count() == 0


async def test_a_slow_listener_keeps_the_latest_hints() -> None:
    hub = Hub("")
    async with hub.listen(["claim-3"]) as queue:
        for number in range(100):
            await hub.publish("claim-3", {"n": number})
        assert queue.qsize() == 64
        assert (await _next(queue))["n"] == 36


@pytest.mark.redis
async def test_hints_cross_processes_through_redis() -> None:
    url = get_settings().redis_url
    if not url:
        pytest.skip("no Redis configured")
    worker_a, worker_b = Hub(url), Hub(url)
    async with worker_a.listen(["claim-5"]) as on_a, worker_b.listen(["claim-5"]) as on_b:
        await worker_b.publish("claim-5", {"type": "thread"})
        assert await _next(on_a) == {"type": "thread"}
        assert await _next(on_b) == {"type": "thread"}


def test_presence_online_then_last_seen() -> None:
    now = time.time()
    store = presence.get_store()
    store.touch(9, "team", 4, now - 5)
    seen = presence.presence_of(9, "team", now=now)
    assert seen.online and seen.last_seen is not None
    assert presence.is_viewing(9, True, 4, now=now)
    assert not presence.is_viewing(9, False, 4, now=now)
    later = now + presence.ONLINE_SECONDS
    gone = presence.presence_of(9, "team", now=later)
    assert not gone.online and gone.last_seen is not None
    assert int(gone.last_seen.timestamp()) == int(now - 5)


def test_leaving_ends_presence_at_once() -> None:
    presence.touch(11, False, 3)
    assert presence.presence_of(11, "claimant").online
    presence.leave(11, False, 3)
    assert not presence.presence_of(11, "claimant").online
    assert not presence.is_viewing(11, False, 3)
    assert presence.presence_of(12, "claimant") == presence.Presence(False, None)
