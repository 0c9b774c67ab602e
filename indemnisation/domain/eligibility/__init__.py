"""EU261 / UK261 eligibility engine: pure rules over versioned legal data files in ``data/``.

Build a ``Case`` (or parse one from JSON with ``parse_case``), call ``assess``, get a ``Verdict``.
"""

from indemnisation.domain.eligibility.engine import assess
from indemnisation.domain.eligibility.model import (
    AirlineReason,
    BoardingDenial,
    BroughtForward,
    Cancellation,
    Carrier,
    Case,
    Delay,
    DeniedBoarding,
    Disruption,
    Eligibility,
    Regime,
    Rerouting,
    Segment,
)
from indemnisation.domain.eligibility.parse import (
    CaseError,
    get_carrier,
    parse_case,
    parse_case_json,
)
from indemnisation.domain.eligibility.verdict import Document, Money, Reason, RegimeOutcome, Verdict

__all__ = [
    "AirlineReason",
    "BoardingDenial",
    "BroughtForward",
    "Cancellation",
    "Carrier",
    "Case",
    "CaseError",
    "Delay",
    "DeniedBoarding",
    "Disruption",
    "Document",
    "Eligibility",
    "Money",
    "Reason",
    "Regime",
    "RegimeOutcome",
    "Rerouting",
    "Segment",
    "Verdict",
    "assess",
    "get_carrier",
    "parse_case",
    "parse_case_json",
]
