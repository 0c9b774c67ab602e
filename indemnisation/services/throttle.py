"""Failed-login throttling per account and per IP.

Counts failures in a window of at most 15 minutes: once a key reaches its limit, logins for it are
refused until the window that began with its first failure ends, so the real owner is never locked
out for longer than the window. Redis keeps the counters when configured, the database otherwise.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import timedelta
from functools import lru_cache
from typing import Protocol, cast

import redis
from sqlmodel import col, delete, func, select

from indemnisation.db import session_scope
from indemnisation.models import FailedLogin
from indemnisation.models.types import utcnow
from indemnisation.settings import get_settings


@dataclass(frozen=True)
class Limit:
    key: str
    max_failures: int


class ThrottleStore(Protocol):
    def blocked_for(self, limit: Limit, window: timedelta) -> float:
        """Seconds left before ``limit.key`` may try again (0 when it may now)."""

    def record_failure(self, key: str, window: timedelta) -> None: ...

    def clear(self, key: str) -> None: ...


KEY_PREFIX = "ind:throttle:"
"""Every key the app itself keeps in Redis starts with ``ind:`` (Reflex's own keys never do)."""


class RedisThrottleStore:
    def __init__(self, url: str) -> None:
        self._redis = redis.Redis.from_url(url, socket_timeout=2)

    def blocked_for(self, limit: Limit, window: timedelta) -> float:
        name = f"{KEY_PREFIX}{limit.key}"
        count = int(cast(bytes | None, self._redis.get(name)) or 0)
        if count < limit.max_failures:
            return 0.0
        return float(max(cast(int, self._redis.ttl(name)), 1))

    def record_failure(self, key: str, window: timedelta) -> None:
        name = f"{KEY_PREFIX}{key}"
        pipe = self._redis.pipeline()
        pipe.incr(name)
        pipe.expire(name, int(window.total_seconds()), nx=True)
        pipe.execute()

    def clear(self, key: str) -> None:
        self._redis.delete(f"{KEY_PREFIX}{key}")


class DatabaseThrottleStore:
    def blocked_for(self, limit: Limit, window: timedelta) -> float:
        since = utcnow() - window
        with session_scope() as session:
            count, oldest = session.exec(
                select(func.count(), func.min(FailedLogin.created_at)).where(
                    FailedLogin.key == limit.key, col(FailedLogin.created_at) > since
                )
            ).one()
        if count < limit.max_failures or oldest is None:
            return 0.0
        return max((oldest + window - utcnow()).total_seconds(), 1.0)

    def record_failure(self, key: str, window: timedelta) -> None:
        with session_scope() as session:
            session.add(FailedLogin(key=key))
            session.exec(delete(FailedLogin).where(col(FailedLogin.created_at) < utcnow() - window))
            session.commit()

    def clear(self, key: str) -> None:
        with session_scope() as session:
            session.exec(delete(FailedLogin).where(col(FailedLogin.key) == key))
            session.commit()


@lru_cache(maxsize=2)
def _store_for(redis_url: str) -> ThrottleStore:
    return RedisThrottleStore(redis_url) if redis_url else DatabaseThrottleStore()


def get_store() -> ThrottleStore:
    return _store_for(get_settings().redis_url)


def login_limits(email: str, ip: str) -> list[Limit]:
    settings = get_settings()
    limits = [Limit(f"login:email:{email}", settings.login_max_failures)]
    if ip:
        limits.append(Limit(f"login:ip:{ip}", settings.login_max_failures_per_ip))
    return limits


def login_window() -> timedelta:
    return timedelta(minutes=get_settings().login_window_minutes)


def minutes_blocked(limits: list[Limit]) -> int:
    """Whole minutes (rounded up) before every limit allows a try again; 0 when none blocks."""
    store, window = get_store(), login_window()
    seconds = max((store.blocked_for(limit, window) for limit in limits), default=0.0)
    return math.ceil(seconds / 60) if seconds > 0 else 0


def record_login_failure(limits: list[Limit]) -> None:
    store, window = get_store(), login_window()
    for limit in limits:
        store.record_failure(limit.key, window)


def clear_account(email: str) -> None:
    get_store().clear(f"login:email:{email}")
