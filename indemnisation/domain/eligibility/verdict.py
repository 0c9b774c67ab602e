"""What the engine answers, and its JSON form."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from indemnisation.domain.eligibility.model import Eligibility, Regime


@dataclass(frozen=True, slots=True)
class Reason:
    """One step of the reasoning, with a stable ``code`` and its legal ``reference``."""

    code: str
    reference: str
    fr: str
    en: str

    def to_dict(self) -> dict[str, str]:
        return {"code": self.code, "reference": self.reference, "fr": self.fr, "en": self.en}


@dataclass(frozen=True, slots=True)
class Money:
    amount: Decimal
    currency: str  # "EUR" or "GBP"

    def __mul__(self, factor: int) -> Money:
        return Money(self.amount * factor, self.currency)

    def to_dict(self) -> dict[str, str]:
        return {"amount": f"{self.amount:.2f}", "currency": self.currency}


@dataclass(frozen=True, slots=True)
class Document:
    code: str
    fr: str
    en: str

    def to_dict(self) -> dict[str, str]:
        return {"code": self.code, "fr": self.fr, "en": self.en}


@dataclass(frozen=True, slots=True)
class RegimeOutcome:
    """The result under one regime. The amount is what would be due if it is (uncertain)."""

    regime: Regime
    eligible: Eligibility
    per_passenger: Money | None
    reduced: bool
    reasons: tuple[Reason, ...]

    def to_dict(self) -> dict[str, Any]:
        return {
            "regime": self.regime.value,
            "eligible": self.eligible.value,
            "per_passenger": None if self.per_passenger is None else self.per_passenger.to_dict(),
            "reduced": self.reduced,
        }


@dataclass(frozen=True, slots=True)
class Verdict:
    """The assessment.

    ``regime`` is the regime used (the better one when both apply; ``applicable`` lists them).
    ``per_passenger`` and ``total`` are set when compensation is or may be due (``eligible`` is
    yes or uncertain); ``open_questions`` say what would settle an uncertain case.
    """

    regime: Regime
    applicable: tuple[Regime, ...]
    eligible: Eligibility
    per_passenger: Money | None
    total: Money | None
    passengers: int
    reduced: bool
    distance_km: float
    reasons: tuple[Reason, ...]
    open_questions: tuple[Reason, ...]
    claim_deadline: date | None
    documents: tuple[Document, ...]
    outcomes: tuple[RegimeOutcome, ...]
    data_versions: Mapping[str, str]  # version of each legal data file used

    def to_dict(self) -> dict[str, Any]:
        return {
            "regime": self.regime.value,
            "applicable_regimes": [regime.value for regime in self.applicable],
            "eligible": self.eligible.value,
            "per_passenger": None if self.per_passenger is None else self.per_passenger.to_dict(),
            "total": None if self.total is None else self.total.to_dict(),
            "passengers": self.passengers,
            "reduced_by_half": self.reduced,
            "distance_km": self.distance_km,
            "reasons": [reason.to_dict() for reason in self.reasons],
            "open_questions": [question.to_dict() for question in self.open_questions],
            "claim_deadline": None
            if self.claim_deadline is None
            else self.claim_deadline.isoformat(),
            "documents": [document.to_dict() for document in self.documents],
            "outcomes": [outcome.to_dict() for outcome in self.outcomes],
            "data_versions": dict(self.data_versions),
        }
