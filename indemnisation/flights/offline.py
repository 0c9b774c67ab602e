"""A provider answering from a bundled data set: for the demo, the tests, setups without a key."""

from __future__ import annotations

import dataclasses
import json
from collections.abc import Iterable
from datetime import date
from importlib import resources
from typing import Any

from indemnisation.flights.model import FlightStatus, normalize_flight_number

SOURCE = "offline"


class OfflineFlightProvider:
    def __init__(self, flights: Iterable[FlightStatus] | None = None) -> None:
        """Serve ``flights``, or the bundled ``data/offline_flights.json`` when none are given."""
        chosen = load_bundled_flights() if flights is None else flights
        self._flights = {(f.flight_number, f.flight_date): f for f in chosen}

    async def lookup(self, flight_number: str, flight_date: date) -> FlightStatus | None:
        return self._flights.get((normalize_flight_number(flight_number), flight_date))

    def __len__(self) -> int:
        return len(self._flights)


def load_bundled_flights() -> list[FlightStatus]:
    text = resources.files("indemnisation.flights").joinpath("data/offline_flights.json")
    document: dict[str, Any] = json.loads(text.read_text(encoding="utf-8"))
    return [
        dataclasses.replace(FlightStatus.from_dict(entry), source=SOURCE)
        for entry in document["flights"]
    ]
