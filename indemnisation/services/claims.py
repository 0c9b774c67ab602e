"""Claims as their owner sees them: drafts, the wizard's steps, submission, withdrawal.

Every function fetches the claim through ``access_claim``, the one place that decides who may see
or change a claim: its owner, or an admin. A claim that exists but is not yours is reported as not
found, so ids cannot be probed.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import Any

from sqlmodel import Session, col, delete, select

from indemnisation.db import session_scope
from indemnisation.domain.claim_status import Actor, ClaimStatus, can_move
from indemnisation.models import Claim, ClaimEvent, Document, Passenger, Role
from indemnisation.models.types import utcnow
from indemnisation.services import app_settings, claim_outcome
from indemnisation.services.accounts import normalize_email
from indemnisation.services.authz import authorize
from indemnisation.services.errors import InvalidInput, NotFound
from indemnisation.services.views import UserView
from indemnisation.storage import get_store

log = logging.getLogger(__name__)

MAX_PASSENGERS = 9
MAX_DRAFTS = 20
MAX_ID = 2**31  # ids are 32-bit integers in PostgreSQL


def access_claim(
    session: Session, actor: UserView | None, claim_id: Any, *, draft_only: bool = False
) -> Claim:
    """The claim ``claim_id`` if ``actor`` may see it (owner or admin), else NotFound."""
    user = authorize(actor)
    if not isinstance(claim_id, int) or isinstance(claim_id, bool) or not 0 < claim_id < MAX_ID:
        raise NotFound()
    claim = session.get(Claim, claim_id)
    if claim is None:
        raise NotFound()
    if claim.owner_id != user.id and user.role is not Role.ADMIN:
        # Only a forged request reaches someone else's claim: the UI never links there.
        log.warning("claim access refused", extra={"user_id": user.id, "claim_id": claim_id})
        raise NotFound()
    if draft_only and (claim.status is not ClaimStatus.DRAFT or claim.owner_id != user.id):
        raise InvalidInput("error.claim_not_draft")
    return claim


def record_event(
    session: Session, claim: Claim, to_status: ClaimStatus, actor: UserView, note: str = ""
) -> None:
    """Move the claim to ``to_status`` if the domain allows this actor to, and log it."""
    if not can_move(claim.status, to_status, Actor(actor.role.value)):
        raise InvalidInput("error.transition_refused")
    assert claim.id is not None
    session.add(
        ClaimEvent(
            claim_id=claim.id,
            from_status=claim.status.value,
            to_status=to_status.value,
            actor_id=actor.id,
            note=note,
        )
    )
    claim.status = to_status
    claim.updated_at = utcnow()


def create_draft(*, actor: UserView | None) -> int:
    user = authorize(actor, Role.CLAIMANT)
    with session_scope() as session:
        drafts = session.exec(
            select(Claim.id).where(Claim.owner_id == user.id, Claim.status == ClaimStatus.DRAFT)
        ).all()
        if len(drafts) >= MAX_DRAFTS:
            raise InvalidInput("error.too_many_drafts", max=MAX_DRAFTS)
        rates = app_settings.rates_in(session)
        claim = Claim(
            owner_id=user.id, fee_percent=rates.fee_percent, vat_percent=rates.vat_percent
        )
        session.add(claim)
        session.flush()
        assert claim.id is not None
        session.add(
            Passenger(claim_id=claim.id, position=0, full_name=user.full_name, email=user.email)
        )
        claim_outcome.refresh(session, claim)
        session.commit()
        return claim.id


def delete_draft(*, actor: UserView | None, claim_id: Any) -> None:
    with session_scope() as session:
        claim = access_claim(session, actor, claim_id, draft_only=True)
        keys = session.exec(
            select(Document.storage_key, Document.thumbnail_key).where(
                Document.claim_id == claim.id
            )
        ).all()
        session.delete(claim)
        session.commit()
    store = get_store()
    for storage_key, thumbnail_key in keys:
        for key in (storage_key, thumbnail_key):
            if key:
                store.delete(key)


@dataclass(frozen=True)
class PassengerInput:
    full_name: str
    email: str = ""
    phone: str = ""
    is_minor: bool = False


def _clean_passenger(index: int, raw: PassengerInput) -> PassengerInput:
    name = " ".join(raw.full_name.split())
    if not name or len(name) > 120:
        raise InvalidInput("error.passenger_name", field=f"passenger_{index}", number=index + 1)
    email = ""
    if not raw.is_minor:
        try:
            email = normalize_email(raw.email)
        except InvalidInput:
            raise InvalidInput(
                "error.passenger_email", field=f"passenger_{index}", number=index + 1
            ) from None
    phone = "".join(c for c in raw.phone if c.isdigit() or c in "+ ")[:40].strip()
    return PassengerInput(name, email, phone, raw.is_minor)


def save_passengers(
    *, actor: UserView | None, claim_id: Any, passengers: list[PassengerInput]
) -> None:
    """Replace the passenger list; the first passenger is the claimant and must be an adult."""
    if not passengers:
        raise InvalidInput("error.passengers_none", field="passenger_0")
    if len(passengers) > MAX_PASSENGERS:
        raise InvalidInput("error.passengers_too_many", max=MAX_PASSENGERS)
    clean = [_clean_passenger(i, p) for i, p in enumerate(passengers)]
    if clean[0].is_minor:
        raise InvalidInput("error.claimant_minor", field="passenger_0")
    with session_scope() as session:
        claim = access_claim(session, actor, claim_id, draft_only=True)
        assert claim.id is not None
        session.exec(delete(Passenger).where(col(Passenger.claim_id) == claim.id))
        for position, p in enumerate(clean):
            session.add(
                Passenger(
                    claim_id=claim.id,
                    position=position,
                    full_name=p.full_name,
                    email=p.email,
                    phone=p.phone,
                    is_minor=p.is_minor,
                )
            )
        claim.step = max(claim.step, 5)
        claim.updated_at = utcnow()
        claim_outcome.refresh(session, claim)
        session.commit()


def withdraw(*, actor: UserView | None, claim_id: Any) -> None:
    """The owner withdraws a submitted claim, until it is sent to the airline."""
    user = authorize(actor)
    with session_scope() as session:
        claim = access_claim(session, user, claim_id)
        if claim.owner_id != user.id or not can_move(
            claim.status, ClaimStatus.WITHDRAWN, Actor.CLAIMANT
        ):
            raise InvalidInput("error.cannot_withdraw")
        record_event(session, claim, ClaimStatus.WITHDRAWN, user)
        session.commit()
    log.info("claim withdrawn", extra={"claim_id": claim_id})
