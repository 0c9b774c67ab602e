"""Checks that each claim's outcome columns and the tallies are what the claims' rows say.

The outcome columns are recounted here from passengers, events and documents in plain Python (a
second writing of the rules of services/claim_outcome.py); the tallies the services kept step by
step are compared with ``claim_tallies.rebuild`` (one aggregate query over the claims).
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlmodel import Session, col, select

from indemnisation.db import session_scope
from indemnisation.models import (
    Claim,
    ClaimEvent,
    ClaimTally,
    Document,
    DocumentKind,
    DocumentReview,
    Passenger,
)
from indemnisation.services import claim_tallies

Outcome = tuple[int, datetime | None, datetime | None, bool, bool]


def _missing(documents: list[Document]) -> bool:
    usable_pass = [
        d
        for d in documents
        if d.kind is DocumentKind.BOARDING_PASS and d.review is not DocumentReview.REJECTED
    ]
    for rejected in (d for d in documents if d.review is DocumentReview.REJECTED):
        later = [
            d
            for d in documents
            if d.id is not None
            and rejected.id is not None
            and d.id > rejected.id
            and d.kind in (rejected.kind, DocumentKind.REQUESTED)
        ]
        if not later:
            return True
    return not usable_pass


def recounted(session: Session) -> dict[int, Outcome]:
    found: dict[int, Outcome] = {}
    for claim in session.exec(select(Claim)).all():
        assert claim.id is not None
        passengers = session.exec(select(Passenger).where(Passenger.claim_id == claim.id)).all()
        events = session.exec(
            select(ClaimEvent)
            .where(ClaimEvent.claim_id == claim.id)
            .order_by(col(ClaimEvent.created_at))
        ).all()
        documents = session.exec(select(Document).where(Document.claim_id == claim.id)).all()
        won = [e.created_at for e in events if e.to_status == "ACCEPTED"]
        paid = [e.created_at for e in events if e.to_status == "PAID"]
        found[claim.id] = (
            len(passengers),
            won[0] if won else None,
            paid[0] if paid else None,
            any((e.from_status, e.to_status) == ("SENT_TO_AIRLINE", "REJECTED") for e in events),
            _missing(list(documents)),
        )
    return found


def stored(session: Session) -> dict[int, Outcome]:
    return {
        claim.id: (
            claim.passenger_count,
            claim.won_at,
            claim.paid_at,
            claim.airline_refused,
            claim.documents_missing,
        )
        for claim in session.exec(select(Claim)).all()
        if claim.id is not None
    }


def tallies(session: Session) -> dict[tuple[str, str, str], tuple[int, ...]]:
    """Every tally row but those whose figures are all zero."""
    rows = session.exec(select(ClaimTally)).all()
    found = {
        (row.dimension, row.key, row.currency): tuple(
            getattr(row, name) for name in claim_tallies.MEASURES
        )
        for row in rows
    }
    return {key: figures for key, figures in found.items() if any(figures)}


def assert_outcomes_and_tallies_right() -> dict[tuple[str, str, str], tuple[int, ...]]:
    """Asserts both; returns the tallies."""
    with session_scope() as session:
        assert stored(session) == recounted(session)
        kept = tallies(session)
        claim_tallies.rebuild(session.connection())
        rebuilt = tallies(session)
        session.rollback()
    assert kept == rebuilt
    return kept


def tally(dimension: str, key: str, currency: str = "EUR") -> dict[str, Any]:
    """One tally row as a dict of its measures (zeros when it does not exist)."""
    with session_scope() as session:
        row = session.get(ClaimTally, (dimension, key, currency))
        if row is None:
            return dict.fromkeys(claim_tallies.MEASURES, 0)
        return {name: getattr(row, name) for name in claim_tallies.MEASURES}
