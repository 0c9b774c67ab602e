"""The documents a claimant should provide, chosen by ``data/documents.json``."""

from __future__ import annotations

from indemnisation.domain.eligibility.data import legal_data
from indemnisation.domain.eligibility.model import (
    BroughtForward,
    Cancellation,
    Case,
    Delay,
    DeniedBoarding,
)
from indemnisation.domain.eligibility.verdict import Document


def _kind(case: Case) -> str:
    match case.disruption:
        case Delay():
            return "delay"
        case Cancellation():
            return "cancellation"
        case BroughtForward():
            return "brought_forward"
        case DeniedBoarding():
            return "denied_boarding"


def documents_for(case: Case) -> tuple[Document, ...]:
    data = legal_data()
    rules = data.document_rules
    codes: list[str] = [*rules["always"], *rules["by_disruption"][_kind(case)]]
    if getattr(case.disruption, "rerouting", None) is not None:
        codes += rules["with_rerouting"]
    if not case.single_booking:
        codes += rules["separate_bookings"]
    if case.passengers > 1:
        codes += rules["several_passengers"]
    return tuple(Document(code, *data.documents[code]) for code in dict.fromkeys(codes))
