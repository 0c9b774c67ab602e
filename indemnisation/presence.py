"""Who is on a thread right now, and when each side was last there.

Each open, visible thread page refreshes a heartbeat; a side (the claimant, or the team) is
"online" while one of its people's heartbeats is younger than ``ONLINE_SECONDS``. The heartbeats
live in Redis (shared by every worker) or, without Redis, in this process; nothing is written to
the database.
"""

from __future__ import annotations

import threading
import time
from dataclasses import dataclass
from datetime import UTC, datetime
from functools import lru_cache
from typing import Protocol

import redis

from indemnisation.settings import get_settings

ONLINE_SECONDS = 40
KEEP_SECONDS = 30 * 86400
SIDES = ("claimant", "team")


@dataclass(frozen=True)
class Presence:
    online: bool
    last_seen: datetime | None


class PresenceStore(Protocol):
    def touch(self, claim_id: int, side: str, user_id: int, now: float) -> None: ...
    def leave(self, claim_id: int, side: str, user_id: int, now: float) -> None: ...
    def beats(self, claim_id: int, side: str) -> dict[int, float]: ...


class MemoryPresenceStore:
    """Heartbeats in this process (left ones are kept with a time in the past)."""

    def __init__(self) -> None:
        self._beats: dict[tuple[int, str], dict[int, float]] = {}
        self._lock = threading.Lock()

    def touch(self, claim_id: int, side: str, user_id: int, now: float) -> None:
        with self._lock:
            self._beats.setdefault((claim_id, side), {})[user_id] = now

    def leave(self, claim_id: int, side: str, user_id: int, now: float) -> None:
        self.touch(claim_id, side, user_id, now - ONLINE_SECONDS)

    def beats(self, claim_id: int, side: str) -> dict[int, float]:
        with self._lock:
            return dict(self._beats.get((claim_id, side), {}))


class RedisPresenceStore:
    """One sorted set per thread and side: member user id, score the last heartbeat."""

    def __init__(self, url: str) -> None:
        self._redis = redis.Redis.from_url(url, socket_timeout=2)

    @staticmethod
    def _key(claim_id: int, side: str) -> str:
        return f"ind:presence:{claim_id}:{side}"

    def touch(self, claim_id: int, side: str, user_id: int, now: float) -> None:
        key = self._key(claim_id, side)
        pipe = self._redis.pipeline()
        pipe.zadd(key, {str(user_id): now})
        pipe.expire(key, KEEP_SECONDS)
        pipe.execute()

    def leave(self, claim_id: int, side: str, user_id: int, now: float) -> None:
        self.touch(claim_id, side, user_id, now - ONLINE_SECONDS)

    def beats(self, claim_id: int, side: str) -> dict[int, float]:
        rows = self._redis.zrange(self._key(claim_id, side), 0, -1, withscores=True)
        return {int(member): float(score) for member, score in rows}  # type: ignore[union-attr]


@lru_cache(maxsize=4)
def _store_for(redis_url: str) -> PresenceStore:
    return RedisPresenceStore(redis_url) if redis_url else MemoryPresenceStore()


def get_store() -> PresenceStore:
    return _store_for(get_settings().redis_url)


def side_of(is_admin: bool) -> str:
    return "team" if is_admin else "claimant"


def touch(claim_id: int, is_admin: bool, user_id: int) -> None:
    get_store().touch(claim_id, side_of(is_admin), user_id, time.time())


def leave(claim_id: int, is_admin: bool, user_id: int) -> None:
    get_store().leave(claim_id, side_of(is_admin), user_id, time.time())


def presence_of(claim_id: int, side: str, now: float | None = None) -> Presence:
    beats = get_store().beats(claim_id, side)
    if not beats:
        return Presence(False, None)
    latest = max(beats.values())
    moment = time.time() if now is None else now
    online = moment - latest < ONLINE_SECONDS
    return Presence(online, datetime.fromtimestamp(min(latest, moment), UTC))


def is_viewing(claim_id: int, is_admin: bool, user_id: int, now: float | None = None) -> bool:
    beat = get_store().beats(claim_id, side_of(is_admin)).get(user_id)
    moment = time.time() if now is None else now
    return beat is not None and moment - beat < ONLINE_SECONDS
