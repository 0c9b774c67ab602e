"""The one interface every flight-status source implements, and the errors it may raise."""

from __future__ import annotations

from datetime import date
from typing import ClassVar, Protocol

from indemnisation.flights.model import FlightStatus


class FlightStatusProvider(Protocol):
    async def lookup(self, flight_number: str, flight_date: date) -> FlightStatus | None:
        """Status of that flight on that local departure date, or None if the source has none.

        ``flight_number`` may be as typed ("af 006"): providers normalize it and raise
        ``InvalidFlightNumber`` when it is not one. Failures to ask raise ``FlightLookupError``.
        """
        ...


class FlightLookupError(Exception):
    """The source could not be asked. ``code`` is stable, for the UI to translate."""

    code: ClassVar[str] = "lookup_failed"


class FlightLookupTimeout(FlightLookupError):
    code = "timeout"


class FlightLookupRateLimited(FlightLookupError):
    code = "rate_limited"

    def __init__(self, message: str, *, retry_after_seconds: float | None = None) -> None:
        super().__init__(message)
        self.retry_after_seconds = retry_after_seconds


class FlightProviderUnavailable(FlightLookupError):
    """Connection refused, or server errors that outlived our retries."""

    code = "unavailable"


class FlightProviderBadResponse(FlightLookupError):
    """The source answered something we cannot read."""

    code = "bad_response"


class FlightProviderNotConfigured(FlightLookupError):
    code = "not_configured"


class FlightProviderUnauthorized(FlightLookupError):
    """The API key was refused (wrong key, or no subscription to the API)."""

    code = "unauthorized"
