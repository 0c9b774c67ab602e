"""The wizard's first steps: the flights as booked and what happened, then the engine's verdict.

Facts are kept in the eligibility engine's JSON input format (see docs/eligibility.md); each field
is checked here first so that every mistake gets a translated message naming the field. The
verdict is always computed on the server from the stored facts, never taken from the client.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from sqlmodel import Session, func, select

from indemnisation.db import session_scope
from indemnisation.domain.airports import get_airport
from indemnisation.domain.eligibility import (
    AirlineReason,
    BoardingDenial,
    CaseError,
    assess,
    get_carrier,
    parse_case,
)
from indemnisation.flights.model import InvalidFlightNumber, normalize_flight_number
from indemnisation.models import Claim, Passenger
from indemnisation.models.types import utcnow
from indemnisation.services.claims import access_claim
from indemnisation.services.errors import InvalidInput
from indemnisation.services.views import UserView

log = logging.getLogger(__name__)

MAX_SEGMENTS = 4
MAX_MINUTES = 7 * 24 * 60
DISRUPTIONS = ("delay", "cancellation", "denied_boarding", "brought_forward")


@dataclass(frozen=True)
class SegmentInput:
    """One flight as the claimant typed it."""

    flight_number: str
    date: str
    departure: str
    arrival: str


def _segment(index: int, raw: SegmentInput, today: date) -> dict[str, str]:
    def fail(code: str, name: str, **params: Any) -> InvalidInput:
        return InvalidInput(code, field=f"{name}_{index}", number=index + 1, **params)

    try:
        number = normalize_flight_number(raw.flight_number)
    except InvalidFlightNumber:
        raise fail("error.flight_number_invalid", "flight_number") from None
    carrier = number[:2]
    if get_carrier(carrier) is None:
        raise fail("error.carrier_unknown", "flight_number", designator=carrier)
    try:
        flight_date = date.fromisoformat(raw.date.strip())
    except ValueError:
        raise fail("error.flight_date_invalid", "date") from None
    if flight_date > today:
        raise fail("error.flight_date_future", "date")
    codes = []
    for name, value in (("departure", raw.departure), ("arrival", raw.arrival)):
        code = value.strip().upper()[:3]
        if len(code) != 3 or get_airport(code) is None:
            raise fail("error.airport_unknown", name)
        codes.append(code)
    if codes[0] == codes[1]:
        raise fail("error.airports_same", "arrival")
    return {
        "flight_number": number,
        "carrier": carrier,
        "date": flight_date.isoformat(),
        "departure": codes[0],
        "arrival": codes[1],
    }


def check_segments(segments: list[SegmentInput], today: date) -> list[dict[str, str]]:
    if not segments:
        raise InvalidInput("error.segments_none", field="flight_number_0", number=1)
    if len(segments) > MAX_SEGMENTS:
        raise InvalidInput("error.segments_too_many", max=MAX_SEGMENTS)
    clean = [_segment(i, s, today) for i, s in enumerate(segments)]
    for i in range(1, len(clean)):
        if clean[i]["departure"] != clean[i - 1]["arrival"]:
            raise InvalidInput("error.segments_not_connected", field=f"departure_{i}", number=i + 1)
        if clean[i]["date"] < clean[i - 1]["date"]:
            raise InvalidInput("error.segments_order", field=f"date_{i}", number=i + 1)
    return clean


def save_flights(
    *, actor: UserView | None, claim_id: Any, segments: list[SegmentInput], single_booking: bool
) -> None:
    """Step 1: store the itinerary; what happened is kept if the flights did not change."""
    clean = check_segments(segments, today=utcnow().date())
    with session_scope() as session:
        claim = access_claim(session, actor, claim_id, draft_only=True)
        facts = dict(claim.facts)
        if facts.get("segments") != clean:
            facts.pop("disruption", None)
            claim.verdict = None
            claim.eligibility = ""
        claim.facts = with_itinerary(claim, facts, clean, single_booking)
        claim.step = max(claim.step, 2)
        claim.updated_at = utcnow()
        session.commit()


def with_itinerary(
    claim: Claim, facts: dict[str, Any], clean: list[dict[str, str]], single_booking: bool
) -> dict[str, Any]:
    """``facts`` with these checked flights, and the claim's columns that follow from them set."""
    claim.flight_date = date.fromisoformat(clean[0]["date"])
    claim.route = "-".join([clean[0]["departure"], *(s["arrival"] for s in clean)])[:40]
    claim.flight_numbers = " ".join(s["flight_number"] for s in clean)[:60]
    return facts | {
        "segments": clean,
        "single_booking": bool(single_booking),
        "jurisdiction": _jurisdiction(clean),
    }


def _jurisdiction(segments: list[dict[str, str]]) -> str:
    """Where we would claim: the country of departure (Rehder C-204/08 allows it)."""
    airport = get_airport(segments[0]["departure"])
    return airport.country if airport else ""


@dataclass(frozen=True)
class DisruptionInput:
    """What happened, as typed; only the fields of the chosen ``kind`` are read."""

    kind: str
    airline_reason: str = "none"
    segment: int = 0
    scheduled_arrival: str = ""
    actual_arrival: str = ""
    notice_days: str = ""
    rerouted: bool = False
    rerouting_departure_earlier_minutes: str = ""
    rerouting_arrival_delay_minutes: str = ""
    denial: str = ""
    minutes_earlier: str = ""


def _whole(value: str, field: str, *, minimum: int = 0, maximum: int = MAX_MINUTES) -> int:
    try:
        number = int(value.strip())
    except ValueError:
        raise InvalidInput("error.number_invalid", field=field) from None
    if not minimum <= number <= maximum:
        raise InvalidInput("error.number_range", field=field, min=minimum, max=maximum)
    return number


def _local_time(value: str, field: str) -> str:
    try:
        moment = datetime.fromisoformat(value.strip())
    except ValueError:
        raise InvalidInput("error.time_invalid", field=field) from None
    return moment.replace(tzinfo=None).isoformat(timespec="minutes")


def check_disruption(raw: DisruptionInput, segments: list[dict[str, str]]) -> dict[str, Any]:
    if raw.kind not in DISRUPTIONS:
        raise InvalidInput("error.disruption_kind", field="kind")
    if raw.airline_reason not in {r.value for r in AirlineReason}:
        raise InvalidInput("error.reason_invalid", field="airline_reason")
    if not 0 <= raw.segment < len(segments):
        raise InvalidInput("error.segment_invalid", field="segment")
    disruption: dict[str, Any] = {"type": raw.kind, "segment": raw.segment}
    if raw.kind == "delay":
        scheduled = _local_time(raw.scheduled_arrival, "scheduled_arrival")
        actual = _local_time(raw.actual_arrival, "actual_arrival")
        if actual < scheduled:
            raise InvalidInput("error.arrival_before_scheduled", field="actual_arrival")
        disruption["times"] = {"scheduled_arrival": scheduled, "actual_arrival": actual}
    elif raw.kind in ("cancellation", "brought_forward"):
        disruption["notice_days"] = _whole(raw.notice_days, "notice_days", maximum=365)
        if raw.kind == "brought_forward":
            disruption["minutes_earlier"] = _whole(raw.minutes_earlier, "minutes_earlier")
    elif raw.kind == "denied_boarding":
        if raw.denial not in {d.value for d in BoardingDenial}:
            raise InvalidInput("error.denial_invalid", field="denial")
        disruption["kind"] = raw.denial
    if raw.kind in ("cancellation", "denied_boarding") and raw.rerouted:
        disruption["rerouting"] = {
            "departure_earlier_minutes": _whole(
                raw.rerouting_departure_earlier_minutes,
                "rerouting_departure_earlier_minutes",
                minimum=-MAX_MINUTES,
            ),
            "arrival_delay_minutes": _whole(
                raw.rerouting_arrival_delay_minutes,
                "rerouting_arrival_delay_minutes",
                minimum=-MAX_MINUTES,
            ),
        }
    return {"disruption": disruption, "airline_reason": raw.airline_reason}


def engine_input(facts: dict[str, Any], passengers: int) -> dict[str, Any]:
    """The stored facts in the engine's input format (delay times go on the final flight)."""
    segments = [dict(s) for s in facts["segments"]]
    disruption = dict(facts["disruption"])
    times = disruption.pop("times", None)
    if times:
        segments[-1].update(times)
    return {
        "segments": segments,
        "single_booking": facts.get("single_booking", True),
        "disruption": disruption,
        "airline_reason": facts.get("airline_reason", "none"),
        "passengers": passengers,
        "jurisdiction": facts.get("jurisdiction", ""),
    }


def compute_verdict(session: Session, claim: Claim) -> None:
    """Run the engine on the stored facts and keep its answer on the claim."""
    passengers = session.exec(select(func.count()).where(Passenger.claim_id == claim.id)).one() or 1
    try:
        verdict = assess(parse_case(engine_input(claim.facts, passengers)))
    except CaseError as error:
        log.info("facts refused by the engine", extra={"field": error.field})
        raise InvalidInput("error.facts_invalid", field=error.field) from None
    claim.verdict = verdict.to_dict()
    claim.eligibility = verdict.eligible.value
    if verdict.per_passenger is not None:
        claim.currency = verdict.per_passenger.currency
        claim.amount_per_passenger = int(verdict.per_passenger.amount)
    else:
        claim.amount_per_passenger = 0


def save_disruption(*, actor: UserView | None, claim_id: Any, disruption: DisruptionInput) -> str:
    """Step 2: store what happened and compute the verdict; returns yes, no or uncertain."""
    with session_scope() as session:
        claim = access_claim(session, actor, claim_id, draft_only=True)
        if not claim.facts.get("segments"):
            raise InvalidInput("error.flights_first")
        facts = dict(claim.facts)
        facts.update(check_disruption(disruption, facts["segments"]))
        claim.facts = facts
        compute_verdict(session, claim)
        claim.step = max(claim.step, 3)
        claim.updated_at = utcnow()
        session.commit()
        return claim.eligibility
