"""``assess(case) -> Verdict``: scope, distance, disruption, circumstances, amount, deadline."""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal

from indemnisation.domain.eligibility.amounts import award, halved, reduction
from indemnisation.domain.eligibility.circumstances import weigh_circumstances
from indemnisation.domain.eligibility.data import legal_data
from indemnisation.domain.eligibility.disruption import Finding, assess_disruption
from indemnisation.domain.eligibility.distance import great_circle_km
from indemnisation.domain.eligibility.documents import documents_for
from indemnisation.domain.eligibility.journey import disrupted_journey
from indemnisation.domain.eligibility.model import Case, Eligibility, Regime, Segment
from indemnisation.domain.eligibility.reasons import kilometres, reason
from indemnisation.domain.eligibility.scope import applicable_regimes
from indemnisation.domain.eligibility.time_limits import claim_deadline
from indemnisation.domain.eligibility.verdict import Reason, RegimeOutcome, Verdict

_CERTAINTY = {Eligibility.YES: 0, Eligibility.UNCERTAIN: 1, Eligibility.NO: 2}


def _outcome(
    regime: Regime, finding: Finding, distance_km: float, booking: Sequence[Segment]
) -> RegimeOutcome:
    if finding.eligible is Eligibility.NO:
        return RegimeOutcome(regime, finding.eligible, None, False, ())
    origin, destination = booking[0].departure, booking[-1].arrival
    granted = award(regime, distance_km, origin.country, destination.country)
    cut = reduction(
        granted.band, rerouting_delay=finding.rerouting_delay, arrival_delay=finding.arrival_delay
    )
    amount = granted.full if cut is None else halved(granted.full)
    reasons = (granted.reason,) if cut is None else (granted.reason, cut)
    return RegimeOutcome(regime, finding.eligible, amount, cut is not None, reasons)


def _home_regime(jurisdiction: str) -> Regime:
    data = legal_data()
    country = jurisdiction[:2].upper()
    if country in data.uk or jurisdiction.upper() == "UK":
        return Regime.UK261
    return Regime.EU261 if country in data.eu261 else Regime.NONE


def _best(outcomes: Sequence[RegimeOutcome], jurisdiction: str) -> RegimeOutcome:
    if len(outcomes) == 1:
        return outcomes[0]
    home = _home_regime(jurisdiction)
    rate = legal_data().eur_per_gbp

    def key(outcome: RegimeOutcome) -> tuple[int, int, Decimal]:
        money = outcome.per_passenger
        in_eur = (
            Decimal(0) if money is None else money.amount * (rate if money.currency == "GBP" else 1)
        )
        return (_CERTAINTY[outcome.eligible], 0 if outcome.regime is home else 1, -in_eur)

    return min(outcomes, key=key)


def _not_covered(case: Case, distance_km: float, reasons: tuple[Reason, ...]) -> Verdict:
    return Verdict(
        regime=Regime.NONE,
        applicable=(),
        eligible=Eligibility.NO,
        per_passenger=None,
        total=None,
        passengers=case.passengers,
        reduced=False,
        distance_km=distance_km,
        reasons=reasons,
        open_questions=(),
        claim_deadline=None,
        documents=(),
        outcomes=(),
        data_versions=legal_data().versions,
    )


def assess(case: Case) -> Verdict:
    journey = disrupted_journey(case)
    segments = journey.segments
    origin, destination = segments[0].departure, segments[-1].arrival
    disrupted = case.segments[case.disruption.segment]
    distance_km = great_circle_km(origin, destination)
    stops = [segment.arrival for segment in segments[:-1]]
    scope = applicable_regimes(origin, destination, disrupted.carrier, stops)
    distance = reason(
        "distance",
        origin=origin.iata,
        destination=destination.iata,
        distance_km=kilometres(distance_km),
    )
    if not scope.regimes:
        return _not_covered(case, distance_km, (*scope.reasons, *journey.reasons, distance))
    finding = weigh_circumstances(assess_disruption(case, segments), case.airline_reason)
    outcomes = tuple(_outcome(regime, finding, distance_km, segments) for regime in scope.regimes)
    best = _best(outcomes, case.jurisdiction)
    both = [reason("scope_both", chosen=best.regime.value)] if len(outcomes) > 1 else []
    later = _later_rulings(best.regime, [*finding.reasons, *finding.open_questions])
    due = best.eligible is not Eligibility.NO
    limit = claim_deadline(case.jurisdiction, disrupted.date) if due else None
    return Verdict(
        regime=best.regime,
        applicable=scope.regimes,
        eligible=best.eligible,
        per_passenger=best.per_passenger,
        total=None if best.per_passenger is None else best.per_passenger * case.passengers,
        passengers=case.passengers,
        reduced=best.reduced,
        distance_km=distance_km,
        reasons=(
            *scope.reasons,
            *both,
            *journey.reasons,
            distance,
            *finding.reasons,
            *best.reasons,
            *([later] if later else []),
            *([limit.reason] if limit else []),
        ),
        open_questions=finding.open_questions,
        claim_deadline=limit.deadline if limit else None,
        documents=documents_for(case) if due else (),
        outcomes=outcomes,
        data_versions=legal_data().versions,
    )


def _later_rulings(regime: Regime, reasons: Sequence[Reason]) -> Reason | None:
    """Under UK261, flag CJEU rulings given after 2020 (persuasive, not binding)."""
    if regime is not Regime.UK261:
        return None
    texts = legal_data().texts
    cases: dict[str, None] = {}
    for item in reasons:
        cases.update(dict.fromkeys(texts[item.code].later_cjeu_cases))
    return reason("uk_later_rulings", cases=", ".join(cases)) if cases else None
