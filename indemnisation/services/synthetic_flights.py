"""Disrupted flights of the synthetic data set, with the eligibility engine's real verdict.

A few disrupted flights a day over the period (real carriers from the engine's airline list, real
airports from airportsdata); several claims often concern the same flight, as in life. Each
flight's facts are stored exactly as the wizard stores them, and the verdict is the engine's
answer for them, computed once per flight and passenger count.
"""

from __future__ import annotations

import itertools
import json
import random
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from indemnisation.domain.airports import get_airport
from indemnisation.domain.eligibility import assess, get_carrier, parse_case
from indemnisation.services.claim_facts import engine_input


def _codes(text: str) -> tuple[str, ...]:
    return tuple(text.split())


EUROPE = _codes(
    "CDG ORY NCE LYS MRS TLS BOD NTE LHR LGW MAN EDI DUB AMS FRA MUC BER HAM DUS MAD BCN PMI "
    "AGP LIS OPO FCO MXP VCE NAP ATH HER BRU ZRH GVA VIE CPH ARN OSL HEL WAW PRG BUD OTP KRK "
    "TFS LPA IBZ SPU DBV MLA LCA RAK TUN ALG CMN"
)
LONG_HAUL = _codes(
    "JFK YUL YYZ MIA LAX SFO BOS IAD PTP FDF RUN DSS ABJ BKK NRT SIN GRU EZE CUN PUJ MRU"
)


@dataclass(frozen=True)
class Carrier:
    iata: str
    hubs: tuple[str, ...]
    weight: int
    long_haul: bool = False
    outside_hub: str = ""  # a non-European carrier: flights from Europe to this hub only


CARRIERS = (
    Carrier("AF", ("CDG", "ORY"), 18, long_haul=True),
    Carrier("U2", ("CDG", "ORY", "LGW", "NCE", "LYS", "GVA", "BSL", "TLS", "BOD", "NTE"), 12),
    Carrier("FR", ("STN", "BGY", "DUB", "CRL", "BVA", "MAD", "BCN"), 12),
    Carrier("TO", ("ORY", "NTE", "LYS", "MPL"), 8),
    Carrier("LH", ("FRA", "MUC"), 8, long_haul=True),
    Carrier("BA", ("LHR", "LGW"), 8, long_haul=True),
    Carrier("KL", ("AMS",), 6, long_haul=True),
    Carrier("VY", ("BCN", "ORY"), 5),
    Carrier("IB", ("MAD",), 4, long_haul=True),
    Carrier("AZ", ("FCO", "MXP"), 3),
    Carrier("TP", ("LIS", "OPO"), 3, long_haul=True),
    Carrier("LX", ("ZRH", "GVA"), 3, long_haul=True),
    Carrier("W6", ("BUD", "WAW", "OTP"), 3),
    Carrier("SN", ("BRU",), 2),
    Carrier("EI", ("DUB",), 2),
    Carrier("SK", ("CPH", "ARN", "OSL"), 2),
    Carrier("V7", ("NTE", "BOD", "MRS"), 2),
    Carrier("EK", (), 2, outside_hub="DXB"),
    Carrier("TK", (), 1, outside_hub="IST"),
    Carrier("DL", (), 1, outside_hub="JFK"),
)
_REASONS = {
    "none": 30,
    "technical_fault": 30,
    "unknown": 10,
    "crew_illness": 5,
    "own_staff_strike": 5,
    "weather": 8,
    "atc_strike": 4,
    "atc_restriction": 4,
    "medical_emergency": 2,
    "security": 2,
}


@dataclass(frozen=True)
class Flight:
    """One disrupted journey: the claim columns and the facts as the wizard stores them."""

    day: date
    facts: dict[str, object]
    route: str
    flight_numbers: str
    airline: str


@dataclass(frozen=True)
class Verdict:
    json: str
    eligibility: str
    currency: str
    amount: int


def _check_data() -> None:
    for carrier in CARRIERS:
        assert get_carrier(carrier.iata) is not None, carrier.iata
    for code in {*EUROPE, *LONG_HAUL, *(h for c in CARRIERS for h in c.hubs)}:
        assert get_airport(code) is not None, code


class Flights:
    """Disrupted flights by day, made on first use; the same seed gives the same flights."""

    def __init__(self, rng: random.Random, per_day: int) -> None:
        _check_data()
        self._rng = rng
        self._per_day = per_day
        self._by_day: dict[date, list[Flight]] = {}
        self._numbers: dict[tuple[str, str, str], str] = {}
        self._verdicts: dict[tuple[int, int], Verdict] = {}
        self._carrier_weights = [c.weight for c in CARRIERS]

    def pick(self, day: date) -> Flight:
        flights = self._by_day.get(day)
        if flights is None:
            flights = [self._flight(day) for _ in range(self._per_day)]
            self._by_day[day] = flights
        return self._rng.choice(flights)

    def verdict(self, flight: Flight, passengers: int) -> Verdict:
        key = (id(flight), passengers)
        found = self._verdicts.get(key)
        if found is None:
            answer = assess(parse_case(engine_input(flight.facts, passengers)))
            per = answer.per_passenger
            found = Verdict(
                json.dumps(answer.to_dict(), ensure_ascii=False),
                answer.eligible.value,
                per.currency if per else "EUR",
                int(per.amount) if per else 0,
            )
            self._verdicts[key] = found
        return found

    def _number(self, carrier: str, origin: str, destination: str) -> str:
        key = (carrier, origin, destination)
        if key not in self._numbers:
            self._numbers[key] = f"{carrier}{self._rng.randint(1, 9899)}"
        return self._numbers[key]

    def _airports(self, carrier: Carrier) -> list[str]:
        rng = self._rng
        if carrier.outside_hub:
            return [rng.choice(EUROPE), carrier.outside_hub]
        hub = rng.choice(carrier.hubs)
        far = carrier.long_haul and rng.random() < 0.3
        other = rng.choice([c for c in (LONG_HAUL if far else EUROPE) if c != hub])
        if carrier.long_haul and rng.random() < 0.15:
            feeder = rng.choice([c for c in EUROPE if c not in (hub, other)])
            return [feeder, hub, other] if rng.random() < 0.5 else [other, hub, feeder]
        return [hub, other] if rng.random() < 0.6 else [other, hub]

    def _flight(self, day: date) -> Flight:
        rng = self._rng
        carrier = rng.choices(CARRIERS, weights=self._carrier_weights)[0]
        airports = self._airports(carrier)
        segments = []
        for departure, arrival in itertools.pairwise(airports):
            segments.append(
                {
                    "flight_number": self._number(carrier.iata, departure, arrival),
                    "carrier": carrier.iata,
                    "date": day.isoformat(),
                    "departure": departure,
                    "arrival": arrival,
                }
            )
        first = get_airport(airports[0])
        assert first is not None
        facts: dict[str, object] = {
            "segments": segments,
            "single_booking": True,
            "jurisdiction": first.country,
            "disruption": self._disruption(day, len(segments)),
            "airline_reason": rng.choices(list(_REASONS), weights=list(_REASONS.values()))[0],
        }
        return Flight(
            day=day,
            facts=facts,
            route="-".join(airports)[:40],
            flight_numbers=" ".join(str(s["flight_number"]) for s in segments)[:60],
            airline=carrier.iata,
        )

    def _disruption(self, day: date, segments: int) -> dict[str, object]:
        rng = self._rng
        kind = rng.choices(("delay", "cancellation", "denied_boarding"), weights=(60, 30, 10))[0]
        if kind == "delay":
            scheduled = datetime(
                day.year, day.month, day.day, rng.randint(7, 22), 5 * rng.randint(0, 11)
            )
            late = rng.randint(90, 179) if rng.random() < 0.1 else rng.randint(180, 540)
            actual = scheduled + timedelta(minutes=late)
            return {  # the wizard puts a delay's times on the final flight
                "type": "delay",
                "segment": segments - 1,
                "times": {
                    "scheduled_arrival": scheduled.isoformat(timespec="minutes"),
                    "actual_arrival": actual.isoformat(timespec="minutes"),
                },
            }
        disruption: dict[str, object] = {"type": kind, "segment": rng.randrange(segments)}
        if kind == "cancellation":
            disruption["notice_days"] = (
                rng.randint(14, 40) if rng.random() < 0.1 else rng.randint(0, 13)
            )
        else:
            disruption["kind"] = rng.choices(
                ("involuntary", "voluntary", "travel_documents"), weights=(85, 10, 5)
            )[0]
        if rng.random() < 0.4:
            disruption["rerouting"] = {
                "departure_earlier_minutes": rng.randint(0, 120),
                "arrival_delay_minutes": rng.randint(150, 600),
            }
        return disruption
