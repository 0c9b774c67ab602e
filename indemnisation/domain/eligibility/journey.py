"""Which flights form the journey to assess (Art. 2(h) "final destination").

The booking that holds the disrupted flight (separate bookings are assessed alone), and of a
return trip only the half that holds it: outbound and return are separate journeys even on one
ticket (Emirates v Schenkel, C-173/07). A return trip is a booking that ends within
``return_trip_within_km`` of where it started; it turns at the arrival farthest from the start.
"""

from __future__ import annotations

from dataclasses import dataclass

from indemnisation.domain.eligibility.data import legal_data
from indemnisation.domain.eligibility.distance import great_circle_km
from indemnisation.domain.eligibility.model import Case, Segment
from indemnisation.domain.eligibility.reasons import reason
from indemnisation.domain.eligibility.verdict import Reason


@dataclass(frozen=True, slots=True)
class Journey:
    segments: tuple[Segment, ...]
    reasons: tuple[Reason, ...]


def _booking(case: Case) -> list[int]:
    """Indexes of the segments booked together with the disrupted one."""
    indexes = range(len(case.segments))
    if case.single_booking:
        return list(indexes)
    target = case.segments[case.disruption.segment].booking
    if not target:
        return [case.disruption.segment]
    return [i for i in indexes if case.segments[i].booking == target]


def _half(case: Case, booking: list[int]) -> list[int] | None:
    """The outbound or return half holding the disrupted flight, or None if not a return trip."""
    origin = case.segments[booking[0]].departure
    end = case.segments[booking[-1]].arrival
    if len(booking) < 2 or great_circle_km(origin, end) > legal_data().return_trip_within_km:
        return None
    reach = [great_circle_km(origin, case.segments[i].arrival) for i in booking]
    turn = reach.index(max(reach)) + 1
    if turn == len(booking):
        return None
    return booking[:turn] if case.disruption.segment in booking[:turn] else booking[turn:]


def disrupted_journey(case: Case) -> Journey:
    booking = _booking(case)
    reasons: list[Reason] = []
    if len(booking) < len(case.segments):
        ends = case.segments[booking[0]].departure, case.segments[booking[-1]].arrival
        reasons.append(
            reason("journey_separate_bookings", origin=ends[0].iata, destination=ends[1].iata)
        )
    half = _half(case, booking)
    if half is not None:
        booking = half
        ends = case.segments[booking[0]].departure, case.segments[booking[-1]].arrival
        reasons.append(reason("journey_return_trip", origin=ends[0].iata, destination=ends[1].iata))
    segments = tuple(case.segments[i] for i in booking)
    if len(segments) > 1:
        reasons.append(
            reason(
                "journey_single_booking",
                count=len(segments),
                origin=segments[0].departure.iata,
                destination=segments[-1].arrival.iata,
            )
        )
    return Journey(segments, tuple(reasons))
