"""Flight status from the AeroDataBox API (RapidAPI flavour), with bounded retries.

Timeouts, connection errors and 5xx answers are retried with exponential backoff and jitter;
a 429 is retried after its Retry-After when that wait is short enough. The API key travels in a
header only and is never logged nor put in an exception message.
"""

from __future__ import annotations

import asyncio
import logging
import random
import ssl
from datetime import UTC, date, datetime
from email.utils import parsedate_to_datetime
from functools import lru_cache
from urllib.parse import urlsplit

import certifi
import httpx

from indemnisation.flights.aerodatabox_parsing import parse_flights
from indemnisation.flights.model import FlightStatus, normalize_flight_number
from indemnisation.flights.provider import (
    FlightLookupError,
    FlightLookupRateLimited,
    FlightLookupTimeout,
    FlightProviderBadResponse,
    FlightProviderNotConfigured,
    FlightProviderUnauthorized,
    FlightProviderUnavailable,
)
from indemnisation.settings import Settings

logger = logging.getLogger(__name__)

DEFAULT_BASE_URL = "https://aerodatabox.p.rapidapi.com"
_QUERY = {"dateLocalRole": "Departure", "withAircraftImage": "false", "withLocation": "false"}
_USER_AGENT = "indemnisation-flight-status/1"


class AeroDataBoxProvider:
    def __init__(
        self,
        api_key: str,
        *,
        base_url: str = DEFAULT_BASE_URL,
        rapidapi_host: str | None = None,
        timeout_seconds: float = 8.0,
        max_attempts: int = 3,
        backoff_base_seconds: float = 0.5,
        backoff_max_seconds: float = 4.0,
        max_retry_after_seconds: float = 10.0,
        client: httpx.AsyncClient | None = None,
    ) -> None:
        """``client`` lets a long-lived caller share a connection pool; without one, each lookup
        opens its own, which keeps the provider usable from any event loop (the costly TLS
        context is built once and shared)."""
        if max_attempts < 1:
            raise ValueError("max_attempts must be at least 1")
        self._api_key = api_key
        self._base_url = base_url.rstrip("/")
        self._host = rapidapi_host or urlsplit(self._base_url).hostname or ""
        self._timeout = httpx.Timeout(timeout_seconds)
        self._max_attempts = max_attempts
        self._backoff_base = backoff_base_seconds
        self._backoff_max = backoff_max_seconds
        self._max_retry_after = max_retry_after_seconds
        self._client = client

    @classmethod
    def from_settings(cls, settings: Settings) -> AeroDataBoxProvider:
        return cls(
            settings.flight_api_key,
            base_url=settings.flight_api_base_url,
            timeout_seconds=settings.flight_api_timeout_seconds,
        )

    def __repr__(self) -> str:
        return f"AeroDataBoxProvider(base_url={self._base_url!r}, key_set={bool(self._api_key)})"

    async def lookup(self, flight_number: str, flight_date: date) -> FlightStatus | None:
        number = normalize_flight_number(flight_number)
        if not self._api_key:
            raise FlightProviderNotConfigured("no AeroDataBox API key is configured")
        url = f"{self._base_url}/flights/number/{number}/{flight_date.isoformat()}"
        if self._client is not None:
            response = await self._get(self._client, url)
        else:
            async with httpx.AsyncClient(timeout=self._timeout, verify=_tls_context()) as client:
                response = await self._get(client, url)
        return self._interpret(response, number, flight_date)

    async def _get(self, client: httpx.AsyncClient, url: str) -> httpx.Response:
        failure: FlightLookupError = FlightProviderUnavailable("no attempt was made")
        for attempt in range(1, self._max_attempts + 1):
            wait = self._backoff(attempt)
            try:
                response = await client.get(
                    url, params=_QUERY, headers=self._headers(), timeout=self._timeout
                )
            except httpx.TimeoutException as error:
                failure = FlightLookupTimeout(f"AeroDataBox did not answer in time ({error!r})")
            except httpx.RequestError as error:
                failure = FlightProviderUnavailable(f"cannot reach AeroDataBox ({error!r})")
            else:
                if response.status_code == httpx.codes.TOO_MANY_REQUESTS:
                    failure, wait = self._rate_limited(response, wait)
                elif response.status_code >= httpx.codes.INTERNAL_SERVER_ERROR:
                    status = response.status_code
                    failure = FlightProviderUnavailable(f"AeroDataBox answered {status}")
                else:
                    return response
            if attempt < self._max_attempts:
                logger.warning(
                    "flight lookup attempt %d/%d failed (%s); retrying in %.2fs",
                    attempt,
                    self._max_attempts,
                    failure.code,
                    wait,
                )
                await asyncio.sleep(wait)
        raise failure

    def _headers(self) -> dict[str, str]:
        return {
            "X-RapidAPI-Key": self._api_key,
            "X-RapidAPI-Host": self._host,
            "Accept": "application/json",
            "User-Agent": _USER_AGENT,
        }

    def _rate_limited(
        self, response: httpx.Response, backoff: float
    ) -> tuple[FlightLookupRateLimited, float]:
        """The error to raise if no attempt is left, and how long to wait before the next one.

        Raises at once when the server asks for a longer wait than we are willing to spend.
        """
        retry_after = retry_after_seconds(response.headers.get("Retry-After"))
        failure = FlightLookupRateLimited(
            "AeroDataBox rate limit reached", retry_after_seconds=retry_after
        )
        if retry_after is None:
            return failure, backoff
        if retry_after > self._max_retry_after:
            raise failure
        return failure, retry_after

    def _backoff(self, attempt: int) -> float:
        """Exponential backoff with "equal jitter": between half and all of the nominal delay."""
        nominal = min(self._backoff_max, self._backoff_base * 2.0 ** (attempt - 1))
        return nominal / 2 + random.uniform(0, nominal / 2)  # noqa: S311 (not a secret)

    @staticmethod
    def _interpret(response: httpx.Response, number: str, flight_date: date) -> FlightStatus | None:
        status = response.status_code
        if status == httpx.codes.OK:
            try:
                payload = response.json()
            except ValueError as error:
                raise FlightProviderBadResponse("AeroDataBox sent invalid JSON") from error
            return parse_flights(payload, number, flight_date)
        if status in (httpx.codes.NO_CONTENT, httpx.codes.NOT_FOUND):
            return None
        if status == httpx.codes.BAD_REQUEST:
            # AeroDataBox refuses dates outside the window it covers: it cannot know that flight.
            logger.warning("AeroDataBox refused the query for %s on %s", number, flight_date)
            return None
        if status in (httpx.codes.UNAUTHORIZED, httpx.codes.FORBIDDEN):
            raise FlightProviderUnauthorized(f"AeroDataBox refused the API key ({status})")
        raise FlightProviderBadResponse(f"unexpected answer from AeroDataBox ({status})")


@lru_cache(maxsize=1)
def _tls_context() -> ssl.SSLContext:
    """Loading the CA bundle takes ~20 ms of CPU: do it once, not for every client."""
    return ssl.create_default_context(cafile=certifi.where())


def retry_after_seconds(value: str | None, *, now: datetime | None = None) -> float | None:
    """Seconds to wait from a Retry-After header (delta-seconds or HTTP date), None if absent."""
    if value is None or not value.strip():
        return None
    text = value.strip()
    if text.isdigit():
        return float(text)
    try:
        moment = parsedate_to_datetime(text)
    except (TypeError, ValueError):
        return None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return max(0.0, (moment - (now or datetime.now(UTC))).total_seconds())
