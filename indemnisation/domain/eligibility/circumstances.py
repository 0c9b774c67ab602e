"""Extraordinary circumstances, Art. 5(3): does the airline's reason free it from paying?

The category of each reason lives in ``data/circumstances.json``: "ordinary" leaves the finding
as it is, "extraordinary" generally frees the airline, "depends" (bird strike, debris) turns on
whether it took all reasonable measures, which only the facts can show.
"""

from __future__ import annotations

from indemnisation.domain.eligibility.data import legal_data
from indemnisation.domain.eligibility.disruption import Finding
from indemnisation.domain.eligibility.model import AirlineReason, Eligibility
from indemnisation.domain.eligibility.reasons import reason

_OUTCOME = {
    "ordinary": None,
    "extraordinary": Eligibility.NO,
    "depends": Eligibility.UNCERTAIN,
}


def weigh_circumstances(finding: Finding, airline_reason: AirlineReason) -> Finding:
    if finding.eligible is Eligibility.NO or not finding.excusable:
        return finding
    category = legal_data().circumstances[airline_reason].category
    explained = reason(f"circumstance_{airline_reason.value}")
    outcome = _OUTCOME[category]
    questions = finding.open_questions
    if outcome is Eligibility.UNCERTAIN:
        questions = (*questions, reason("reasonable_measures_question"))
    eligible: Eligibility = finding.eligible
    if outcome is Eligibility.NO or (
        outcome is Eligibility.UNCERTAIN and eligible is Eligibility.YES
    ):
        eligible = outcome
    return Finding(
        eligible,
        (*finding.reasons, explained),
        questions,
        finding.excusable,
        finding.rerouting_delay,
        finding.arrival_delay,
    )
