"""Small doubles shared by the flight tests."""

from __future__ import annotations

from datetime import date

from indemnisation.flights.model import FlightStatus


class CountingProvider:
    """Wraps a provider and counts the lookups that reach it."""

    def __init__(self, answers: dict[tuple[str, date], FlightStatus | None]) -> None:
        self.answers = answers
        self.calls: list[tuple[str, date]] = []
        self.fail_next: Exception | None = None

    async def lookup(self, flight_number: str, flight_date: date) -> FlightStatus | None:
        self.calls.append((flight_number, flight_date))
        if self.fail_next is not None:
            error, self.fail_next = self.fail_next, None
            raise error
        return self.answers.get((flight_number, flight_date))
