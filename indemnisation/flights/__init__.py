"""Flight status lookup: which flight, when it was meant to fly, when it really did.

``get_flight_provider().lookup("AF 006", date(2026, 3, 14))`` returns a ``FlightStatus``, or None
when no source knows the flight (the claimant then enters the times by hand). Lookups raise
``InvalidFlightNumber`` for bad input and ``FlightLookupError`` (with a stable ``code``) when the
source cannot be asked.
"""

from __future__ import annotations

from functools import lru_cache

from indemnisation.flights.aerodatabox import AeroDataBoxProvider
from indemnisation.flights.cache import CachingFlightProvider
from indemnisation.flights.cache_stores import CacheStore, MemoryCacheStore, RedisCacheStore
from indemnisation.flights.model import (
    FlightState,
    FlightStatus,
    InvalidFlightNumber,
    normalize_flight_number,
)
from indemnisation.flights.offline import OfflineFlightProvider
from indemnisation.flights.provider import (
    FlightLookupError,
    FlightLookupRateLimited,
    FlightLookupTimeout,
    FlightProviderBadResponse,
    FlightProviderNotConfigured,
    FlightProviderUnauthorized,
    FlightProviderUnavailable,
    FlightStatusProvider,
)
from indemnisation.settings import Settings, get_settings

__all__ = [
    "AeroDataBoxProvider",
    "CachingFlightProvider",
    "FlightLookupError",
    "FlightLookupRateLimited",
    "FlightLookupTimeout",
    "FlightProviderBadResponse",
    "FlightProviderNotConfigured",
    "FlightProviderUnauthorized",
    "FlightProviderUnavailable",
    "FlightState",
    "FlightStatus",
    "FlightStatusProvider",
    "InvalidFlightNumber",
    "OfflineFlightProvider",
    "build_flight_provider",
    "get_flight_provider",
    "normalize_flight_number",
]


def build_flight_provider(settings: Settings) -> CachingFlightProvider:
    """AeroDataBox when a key is set, else the bundled offline data; cached in Redis when a Redis
    URL is set, else in memory."""
    source: FlightStatusProvider
    if settings.flight_api_key:
        source = AeroDataBoxProvider.from_settings(settings)
    else:
        source = OfflineFlightProvider()
    store: CacheStore = MemoryCacheStore()
    if settings.redis_url:
        store = RedisCacheStore.from_url(settings.redis_url)
    return CachingFlightProvider(source, store)


@lru_cache(maxsize=1)
def get_flight_provider() -> CachingFlightProvider:
    """The process-wide provider, built from ``get_settings()`` on first use."""
    return build_flight_provider(get_settings())
