"""What a claim's passengers, status history and documents come to, kept on the claim itself
(``passenger_count``, ``won_at``, ``paid_at``, ``airline_refused``, ``documents_missing``) so
the dashboard, the analytics and the queue read one row per claim, or the tallies built from
those rows (services/claim_tallies.py), instead of those tables.

Every service that adds or removes a passenger, moves a claim's status or adds, removes or
reviews a document calls ``refresh`` before its commit: the columns change in the transaction of
the change. The rules:
- *won*: the claim moved to ACCEPTED (the first time); *paid*: it moved to PAID (the first time);
- *refused by the airline*: it moved from SENT_TO_AIRLINE to REJECTED at least once (a refused
  claim can be reopened and won later: the figures count it as won then);
- *missing documents*: no boarding pass (other than a rejected one), or a rejected document that
  no later upload of the same kind (or a requested document) replaced.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

from sqlmodel import Session, col, func, select

from indemnisation.domain.claim_status import ClaimStatus
from indemnisation.models import (
    Claim,
    ClaimEvent,
    Document,
    DocumentKind,
    DocumentReview,
    Passenger,
)


def documents_missing(documents: Iterable[tuple[int, DocumentKind, DocumentReview]]) -> bool:
    """From the claim's documents as (id, kind, review)."""
    found = sorted(documents)
    rejected = DocumentReview.REJECTED
    has_pass = any(k is DocumentKind.BOARDING_PASS and r is not rejected for _, k, r in found)
    for document_id, kind, review in found:
        if review is rejected:
            newest = max(i for i, k, _ in found if k in (kind, DocumentKind.REQUESTED))
            if newest == document_id:
                return True
    return not has_pass


def _first(moments: list[datetime]) -> datetime | None:
    return min(moments) if moments else None


def refresh(session: Session, claim: Claim) -> None:
    """Compute the claim's outcome columns again from its rows (flushed first)."""
    session.flush()
    passengers = session.exec(select(func.count()).where(Passenger.claim_id == claim.id)).one()
    events = session.exec(
        select(ClaimEvent.from_status, ClaimEvent.to_status, ClaimEvent.created_at).where(
            ClaimEvent.claim_id == claim.id,
            col(ClaimEvent.to_status).in_(
                [ClaimStatus.ACCEPTED.value, ClaimStatus.PAID.value, ClaimStatus.REJECTED.value]
            ),
        )
    ).all()
    documents = session.exec(
        select(Document.id, Document.kind, Document.review).where(Document.claim_id == claim.id)
    ).all()
    claim.passenger_count = int(passengers)
    claim.won_at = _first([at for _, to, at in events if to == ClaimStatus.ACCEPTED.value])
    claim.paid_at = _first([at for _, to, at in events if to == ClaimStatus.PAID.value])
    claim.airline_refused = any(
        before == ClaimStatus.SENT_TO_AIRLINE.value and to == ClaimStatus.REJECTED.value
        for before, to, _ in events
    )
    claim.documents_missing = documents_missing(
        (i, DocumentKind(kind), DocumentReview(review)) for i, kind, review in documents if i
    )
