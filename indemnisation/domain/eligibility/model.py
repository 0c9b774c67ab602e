"""What the engine is told: the itinerary as booked and what went wrong.

Build a ``Case`` directly (the web app) or from JSON with ``parse.parse_case`` (the CLI), which
checks codes and times and names the faulty field.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from enum import StrEnum

from indemnisation.domain.airports import Airport


class Regime(StrEnum):
    EU261 = "EU261"
    UK261 = "UK261"
    NONE = "none"


class Eligibility(StrEnum):
    YES = "yes"
    NO = "no"
    UNCERTAIN = "uncertain"


class AirlineReason(StrEnum):
    """The reason the airline gave for the disruption."""

    NONE = "none"  # the airline gave no reason
    UNKNOWN = "unknown"  # the passenger does not know it
    TECHNICAL_FAULT = "technical_fault"
    CREW_ILLNESS = "crew_illness"
    OWN_STAFF_STRIKE = "own_staff_strike"
    THIRD_PARTY_STRIKE = "third_party_strike"
    ATC_STRIKE = "atc_strike"
    ATC_RESTRICTION = "atc_restriction"
    WEATHER = "weather"
    SECURITY = "security"
    POLITICAL_INSTABILITY = "political_instability"
    MEDICAL_EMERGENCY = "medical_emergency"
    UNRULY_PASSENGER = "unruly_passenger"
    AIRPORT_FUEL_SYSTEM = "airport_fuel_system"
    FUEL_ON_RUNWAY = "fuel_on_runway"
    BIRD_STRIKE = "bird_strike"
    RUNWAY_DEBRIS = "runway_debris"


class BoardingDenial(StrEnum):
    INVOLUNTARY = "involuntary"
    VOLUNTARY = "voluntary"
    HEALTH = "health"
    SAFETY = "safety"
    SECURITY = "security"
    TRAVEL_DOCUMENTS = "travel_documents"


@dataclass(frozen=True, slots=True)
class Carrier:
    iata: str
    name: str
    country: str  # ISO code of the state that granted its operating licence


@dataclass(frozen=True, slots=True)
class Segment:
    """One flight as booked. Times are timezone-aware; ``date`` is the local departure date."""

    departure: Airport
    arrival: Airport
    carrier: Carrier  # the operating carrier
    date: date
    scheduled_departure: datetime | None = None
    scheduled_arrival: datetime | None = None
    actual_departure: datetime | None = None
    actual_arrival: datetime | None = None
    flight_number: str = ""
    booking: str = ""  # booking reference; used to group segments when not one booking


@dataclass(frozen=True, slots=True)
class Rerouting:
    """The replacement flight, compared with the original schedule (negative = the other way)."""

    departure_earlier_minutes: int  # how much earlier than the original departure it left
    arrival_delay_minutes: int  # how much later than the original arrival it arrived


@dataclass(frozen=True, slots=True)
class Delay:
    segment: int = 0  # index in Case.segments of the delayed flight
    arrival_delay_minutes: int | None = None  # at the final destination; None: from the times


@dataclass(frozen=True, slots=True)
class Cancellation:
    notice_days: int  # days between being told and the scheduled departure
    segment: int = 0
    rerouting: Rerouting | None = None


@dataclass(frozen=True, slots=True)
class DeniedBoarding:
    kind: BoardingDenial
    segment: int = 0
    rerouting: Rerouting | None = None


@dataclass(frozen=True, slots=True)
class BroughtForward:
    minutes_earlier: int  # new departure time versus the booked one
    notice_days: int
    segment: int = 0
    arrival_delay_minutes: int | None = None  # new arrival versus booked; None: -minutes_earlier


Disruption = Delay | Cancellation | DeniedBoarding | BroughtForward


@dataclass(frozen=True, slots=True)
class Case:
    segments: tuple[Segment, ...]
    disruption: Disruption
    airline_reason: AirlineReason = AirlineReason.NONE
    passengers: int = 1
    jurisdiction: str = ""  # ISO 3166 code (GB-SCT allowed) of the courts where one would claim
    single_booking: bool = True  # False: segments are grouped by their ``booking`` reference
