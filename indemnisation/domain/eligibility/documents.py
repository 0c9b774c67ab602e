"""The documents a claimant should provide, chosen by ``data/documents.json``."""

from __future__ import annotations

from functools import cache

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
    rerouted = getattr(case.disruption, "rerouting", None) is not None
    return _documents(_kind(case), rerouted, case.single_booking, case.passengers > 1)


@cache
def _documents(
    kind: str, rerouted: bool, single_booking: bool, several: bool
) -> tuple[Document, ...]:
    data = legal_data()
    rules = data.document_rules
    codes: list[str] = [*rules["always"], *rules["by_disruption"][kind]]
    if rerouted:
        codes += rules["with_rerouting"]
    if not single_booking:
        codes += rules["separate_bookings"]
    if several:
        codes += rules["several_passengers"]
    return tuple(Document(code, *data.documents[code]) for code in dict.fromkeys(codes))
