"""What the disruption itself gives, before the airline's reason is weighed.

Delay: 3 h or more at the final destination (Sturgeon, Nelson, Folkerts). Cancellation: due
unless announced early enough, or with a close enough rerouting (Art. 5(1)(c)). A flight brought
forward by more than 1 h is cancelled (Azurair). Denied boarding: due only when involuntary and
not refused on reasonable grounds (Art. 2(j), 4).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from indemnisation.domain.eligibility.data import legal_data
from indemnisation.domain.eligibility.model import (
    AirlineReason,
    BoardingDenial,
    BroughtForward,
    Cancellation,
    Case,
    Delay,
    DeniedBoarding,
    Eligibility,
    Rerouting,
    Segment,
)
from indemnisation.domain.eligibility.reasons import duration, reason
from indemnisation.domain.eligibility.verdict import Reason


@dataclass(frozen=True, slots=True)
class Finding:
    eligible: Eligibility
    reasons: tuple[Reason, ...]
    open_questions: tuple[Reason, ...] = ()
    excusable: bool = True  # Art. 5(3) extraordinary circumstances may be weighed
    rerouting_delay: int | None = None  # minutes late at the final destination after rerouting
    arrival_delay: int | None = None  # minutes late at the final destination (delays)


def arrival_delay_minutes(booking: Sequence[Segment]) -> int | None:
    last = booking[-1]
    if last.scheduled_arrival is None or last.actual_arrival is None:
        return None
    return int((last.actual_arrival - last.scheduled_arrival).total_seconds() // 60)


def _delay(disruption: Delay, booking: Sequence[Segment]) -> Finding:
    minutes = disruption.arrival_delay_minutes
    if minutes is None:
        minutes = arrival_delay_minutes(booking)
    if minutes is None:
        question = reason("delay_unknown")
        return Finding(Eligibility.UNCERTAIN, (), (question,))
    if minutes >= legal_data().delay_minimum_minutes:
        return Finding(
            Eligibility.YES, (reason("delay_due", delay=duration(minutes)),), arrival_delay=minutes
        )
    return Finding(Eligibility.NO, (reason("delay_too_short", delay=duration(max(minutes, 0))),))


def cancellation(
    notice_days: int, rerouting: Rerouting | None, *, lead: tuple[Reason, ...] = ()
) -> Finding:
    data = legal_data()
    if notice_days >= data.no_compensation_from_notice_days:
        found = reason("cancellation_notice_14_days", notice_days=notice_days)
        return Finding(Eligibility.NO, (*lead, found))
    if rerouting is None:
        found = reason("cancellation_due_no_rerouting", notice_days=notice_days)
        return Finding(Eligibility.YES, (*lead, found))
    window = next(w for w in data.rerouting_windows if notice_days >= w.from_notice_days)
    facts: dict[str, str | int] = {
        "notice_days": notice_days,
        "earlier": duration(max(rerouting.departure_earlier_minutes, 0)),
        "later": duration(max(rerouting.arrival_delay_minutes, 0)),
    }
    if (
        rerouting.departure_earlier_minutes <= window.max_departure_earlier_minutes
        and rerouting.arrival_delay_minutes < window.arrival_delay_below_minutes
    ):
        return Finding(Eligibility.NO, (*lead, reason(window.code, **facts)))
    found = reason(
        "cancellation_due_rerouting_outside",
        max_earlier=duration(window.max_departure_earlier_minutes),
        max_later=duration(window.arrival_delay_below_minutes),
        **facts,
    )
    return Finding(Eligibility.YES, (*lead, found), rerouting_delay=rerouting.arrival_delay_minutes)


def _brought_forward(disruption: BroughtForward) -> Finding:
    earlier = duration(disruption.minutes_earlier)
    if disruption.minutes_earlier <= legal_data().brought_forward_above_minutes:
        return Finding(Eligibility.NO, (reason("brought_forward_minor", minutes_earlier=earlier),))
    arrival = disruption.arrival_delay_minutes
    rerouting = Rerouting(
        departure_earlier_minutes=disruption.minutes_earlier,
        arrival_delay_minutes=-disruption.minutes_earlier if arrival is None else arrival,
    )
    lead = (reason("brought_forward_cancellation", minutes_earlier=earlier),)
    return cancellation(disruption.notice_days, rerouting, lead=lead)


def _denied_boarding(disruption: DeniedBoarding, airline_reason: AirlineReason) -> Finding:
    if disruption.kind is BoardingDenial.VOLUNTARY:
        return Finding(Eligibility.NO, (reason("denied_boarding_volunteer"),), excusable=False)
    if disruption.kind is not BoardingDenial.INVOLUNTARY:
        found = reason(f"boarding_refused_{disruption.kind.value}")
        return Finding(Eligibility.NO, (found,), excusable=False)
    reasons = [reason("denied_boarding_involuntary")]
    if airline_reason not in (AirlineReason.NONE, AirlineReason.UNKNOWN):
        reasons.append(reason("denied_boarding_no_defence"))
    rerouting = disruption.rerouting
    return Finding(
        Eligibility.YES,
        tuple(reasons),
        excusable=False,
        rerouting_delay=None if rerouting is None else rerouting.arrival_delay_minutes,
    )


def assess_disruption(case: Case, booking: Sequence[Segment]) -> Finding:
    disruption = case.disruption
    if isinstance(disruption, Delay):
        return _delay(disruption, booking)
    if isinstance(disruption, Cancellation):
        return cancellation(disruption.notice_days, disruption.rerouting)
    if isinstance(disruption, BroughtForward):
        return _brought_forward(disruption)
    return _denied_boarding(disruption, case.airline_reason)
