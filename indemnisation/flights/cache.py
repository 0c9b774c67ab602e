"""A provider that remembers another provider's answers, for as long as they can still change.

Settled flights (landed with an arrival time, cancelled or diverted, dated before today in UTC)
are kept for 30 days; anything still moving, or dated today or later, for 5 minutes; "unknown
flight" for 10 minutes. Errors are never cached. When the store fails, the wrapped provider is
asked directly and a warning is logged: a cache outage never breaks a lookup, and the store is
left alone for a little while so that a hung Redis does not slow every lookup down.
"""

from __future__ import annotations

import json
import logging
import time
from collections.abc import Callable
from datetime import UTC, date, datetime

from indemnisation.flights.cache_stores import CacheStore, CacheUnavailable
from indemnisation.flights.model import (
    FINAL_STATES,
    FlightState,
    FlightStatus,
    normalize_flight_number,
)
from indemnisation.flights.provider import FlightStatusProvider

logger = logging.getLogger(__name__)

KEY_PREFIX = "ind:flight:v1:"
SHORT_TTL_SECONDS = 5 * 60
LONG_TTL_SECONDS = 30 * 24 * 3600
NOT_FOUND_TTL_SECONDS = 10 * 60
STORE_RETRY_SECONDS = 30.0


def cache_key(flight_number: str, flight_date: date, *, prefix: str = KEY_PREFIX) -> str:
    return f"{prefix}{flight_number}:{flight_date.isoformat()}"


def choose_ttl(status: FlightStatus | None, flight_date: date, now: datetime) -> int:
    """Seconds to keep an answer about the flight dated ``flight_date``, seen at ``now``."""
    if status is None:
        return NOT_FOUND_TTL_SECONDS
    in_the_past = flight_date < now.astimezone(UTC).date()
    settled = status.state in FINAL_STATES and not (
        status.state is FlightState.LANDED and status.actual_arrival is None
    )
    return LONG_TTL_SECONDS if in_the_past and settled else SHORT_TTL_SECONDS


class CachingFlightProvider:
    def __init__(
        self,
        inner: FlightStatusProvider,
        store: CacheStore,
        *,
        prefix: str = KEY_PREFIX,
        clock: Callable[[], datetime] = lambda: datetime.now(UTC),
        store_retry_seconds: float = STORE_RETRY_SECONDS,
    ) -> None:
        self.inner = inner
        self.store = store
        self._prefix = prefix
        self._clock = clock
        self._store_retry_seconds = store_retry_seconds
        self._store_down_until = 0.0

    async def lookup(self, flight_number: str, flight_date: date) -> FlightStatus | None:
        number = normalize_flight_number(flight_number)
        key = cache_key(number, flight_date, prefix=self._prefix)
        cached = await self._read(key)
        if cached is not None:
            found, status = cached
            return status if found else None
        status = await self.inner.lookup(number, flight_date)
        await self._write(key, status, choose_ttl(status, flight_date, self._clock()))
        return status

    async def _read(self, key: str) -> tuple[bool, FlightStatus | None] | None:
        """(found, status) for a hit, None for a miss, an unreadable entry or a store outage."""
        if self._store_resting():
            return None
        try:
            raw = await self.store.get(key)
        except CacheUnavailable as error:
            self._store_failed(error)
            return None
        if raw is None:
            return None
        try:
            entry = json.loads(raw)
            if not entry["found"]:
                return (False, None)
            return (True, FlightStatus.from_dict(entry["flight"]))
        except (ValueError, KeyError, TypeError):
            logger.warning("ignoring an unreadable flight cache entry %s", key)
            return None

    async def _write(self, key: str, status: FlightStatus | None, ttl_seconds: int) -> None:
        if self._store_resting():
            return
        entry = {"found": status is not None, "flight": status and status.to_dict()}
        try:
            await self.store.set(key, json.dumps(entry), ttl_seconds)
        except CacheUnavailable as error:
            self._store_failed(error)

    def _store_resting(self) -> bool:
        return time.monotonic() < self._store_down_until

    def _store_failed(self, error: CacheUnavailable) -> None:
        logger.warning(
            "flight cache unavailable (%s); asking the provider directly for %.0fs",
            error,
            self._store_retry_seconds,
        )
        self._store_down_until = time.monotonic() + self._store_retry_seconds
