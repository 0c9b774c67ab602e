"""Read-only views of claims for their owner: the list and the claim page."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from sqlmodel import col, func, select

from indemnisation.db import session_scope
from indemnisation.domain.claim_status import ClaimStatus
from indemnisation.models import (
    Claim,
    ClaimEvent,
    Document,
    DocumentKind,
    Passenger,
    Role,
    User,
)
from indemnisation.services.authz import authorize
from indemnisation.services.claims import access_claim
from indemnisation.services.views import UserView


@dataclass(frozen=True)
class ClaimSummary:
    id: int
    reference: str
    status: ClaimStatus
    route: str
    flight_numbers: str
    flight_date: date | None
    eligibility: str
    currency: str
    total: Decimal
    step: int
    updated_at: datetime


def _summary(claim: Claim, passengers: int) -> ClaimSummary:
    assert claim.id is not None
    return ClaimSummary(
        id=claim.id,
        reference=claim.reference or "",
        status=claim.status,
        route=claim.route,
        flight_numbers=claim.flight_numbers,
        flight_date=claim.flight_date,
        eligibility=claim.eligibility,
        currency=claim.currency,
        total=Decimal(claim.amount_per_passenger * max(passengers, 1)),
        step=claim.step,
        updated_at=claim.updated_at,
    )


def list_claims(*, actor: UserView | None) -> list[ClaimSummary]:
    """The actor's own claims, newest first."""
    user = authorize(actor)
    with session_scope() as session:
        claims = session.exec(
            select(Claim).where(Claim.owner_id == user.id).order_by(col(Claim.created_at).desc())
        ).all()
        counts: dict[int, int] = dict(
            session.exec(
                select(Passenger.claim_id, func.count())
                .where(col(Passenger.claim_id).in_([c.id for c in claims]))
                .group_by(col(Passenger.claim_id))
            ).all()
        )
        return [_summary(c, counts.get(c.id or 0, 1)) for c in claims]


@dataclass(frozen=True)
class PassengerView:
    full_name: str
    email: str
    phone: str
    is_minor: bool


@dataclass(frozen=True)
class DocumentView:
    id: int
    kind: DocumentKind
    name: str
    content_type: str
    size: int
    has_thumbnail: bool
    created_at: datetime
    review: str = "PENDING"
    review_reason: str = ""


@dataclass(frozen=True)
class EventView:
    from_status: str
    to_status: str
    by_team: bool
    created_at: datetime
    note: str = ""


@dataclass(frozen=True)
class ClaimDetail:
    summary: ClaimSummary
    facts: dict[str, Any]
    verdict: dict[str, Any] | None
    fee_percent: Decimal
    vat_percent: Decimal
    passengers: list[PassengerView]
    documents: list[DocumentView]
    events: list[EventView]
    submitted_at: datetime | None


def claim_detail(*, actor: UserView | None, claim_id: Any) -> ClaimDetail:
    with session_scope() as session:
        claim = access_claim(session, actor, claim_id)
        passengers = session.exec(
            select(Passenger)
            .where(Passenger.claim_id == claim.id)
            .order_by(col(Passenger.position))
        ).all()
        documents = session.exec(
            select(Document).where(Document.claim_id == claim.id).order_by(col(Document.id))
        ).all()
        events = session.exec(
            select(ClaimEvent).where(ClaimEvent.claim_id == claim.id).order_by(col(ClaimEvent.id))
        ).all()
        actor_ids = set(
            session.exec(
                select(col(ClaimEvent.actor_id)).where(ClaimEvent.claim_id == claim.id)
            ).all()
        )
        team = set(
            session.exec(
                select(User.id).where(col(User.id).in_(actor_ids), User.role == Role.ADMIN)
            ).all()
        )
        return ClaimDetail(
            summary=_summary(claim, len(passengers)),
            facts=dict(claim.facts),
            verdict=claim.verdict,
            fee_percent=claim.fee_percent,
            vat_percent=claim.vat_percent,
            passengers=[
                PassengerView(p.full_name, p.email, p.phone, p.is_minor) for p in passengers
            ],
            documents=[
                DocumentView(
                    d.id or 0,
                    d.kind,
                    d.original_name,
                    d.content_type,
                    d.size,
                    d.thumbnail_key is not None,
                    d.created_at,
                    d.review.value,
                    d.review_reason,
                )
                for d in documents
            ],
            events=[
                EventView(e.from_status, e.to_status, e.actor_id in team, e.created_at, e.note)
                for e in events
            ],
            submitted_at=claim.submitted_at,
        )
