"""The last step: the claimant signs the mandate and submits; the claim gets its reference."""

from __future__ import annotations

import hashlib
import logging
import unicodedata
from typing import Any

from sqlmodel import Session, col, select

from indemnisation.db import session_scope
from indemnisation.domain.claim_status import ClaimStatus
from indemnisation.i18n import normalize_locale, translate
from indemnisation.models import (
    Claim,
    Document,
    DocumentKind,
    Mandate,
    OutgoingMail,
    Passenger,
    User,
)
from indemnisation.models.types import utcnow
from indemnisation.services import claim_outcome
from indemnisation.services.authz import authorize
from indemnisation.services.claims import access_claim, record_event
from indemnisation.services.errors import InvalidInput
from indemnisation.services.mail_queue import queue_mail, send_now
from indemnisation.services.mandate_pdf import render_mandate_pdf
from indemnisation.services.views import UserView
from indemnisation.settings import get_settings
from indemnisation.storage import get_store

log = logging.getLogger(__name__)

MANDATE_VERSION = "1"
REQUIRED_DOCUMENTS = frozenset({DocumentKind.BOARDING_PASS})


def reference_for(claim: Claim) -> str:
    assert claim.id is not None and claim.submitted_at is not None
    return f"IND-{claim.submitted_at.year}-{claim.id:06d}"


def _same_name(typed: str, expected: str) -> bool:
    def fold(text: str) -> str:
        return " ".join(unicodedata.normalize("NFKC", text).casefold().split())

    return bool(typed.strip()) and fold(typed) == fold(expected)


def _check_ready(session: Session, claim: Claim) -> list[Passenger]:
    if claim.verdict is None or claim.eligibility not in ("yes", "uncertain"):
        raise InvalidInput("error.not_eligible")
    passengers = list(
        session.exec(
            select(Passenger)
            .where(Passenger.claim_id == claim.id)
            .order_by(col(Passenger.position))
        ).all()
    )
    if not passengers:
        raise InvalidInput("error.passengers_none")
    kinds = set(session.exec(select(Document.kind).where(Document.claim_id == claim.id)).all())
    if not kinds.issuperset(REQUIRED_DOCUMENTS):
        raise InvalidInput("error.boarding_pass_required", field="documents")
    return passengers


def sign_and_submit(
    *,
    actor: UserView | None,
    claim_id: Any,
    signer_name: str,
    consent: bool,
    ip: str,
    user_agent: str,
    locale: str,
) -> str:
    """Sign the mandate (typed full name, consent), store its PDF, submit; returns the reference."""
    user = authorize(actor)
    language = normalize_locale(locale)
    if consent is not True:
        raise InvalidInput("error.consent_required", field="consent")
    with session_scope() as session:
        claim = access_claim(session, user, claim_id, draft_only=True)
        passengers = _check_ready(session, claim)
        if not _same_name(signer_name, passengers[0].full_name):
            raise InvalidInput(
                "error.signature_mismatch", field="signer_name", name=passengers[0].full_name
            )
        assert claim.id is not None
        now = utcnow()
        claim.submitted_at = now
        claim.reference = reference_for(claim)
        pdf = render_mandate_pdf(
            locale=language,
            reference=claim.reference,
            signer_name=passengers[0].full_name,
            signed_at=now,
            ip=ip or "-",
            claim_summary=_summary_lines(claim, language),
            passengers=[p.full_name for p in passengers],
        )
        key = get_store().save(pdf)
        document = Document(
            claim_id=claim.id,
            kind=DocumentKind.MANDATE,
            original_name=f"{claim.reference}-mandat.pdf"
            if language == "fr"
            else f"{claim.reference}-mandate.pdf",
            content_type="application/pdf",
            size=len(pdf),
            sha256=hashlib.sha256(pdf).hexdigest(),
            storage_key=key,
            uploaded_by=user.id,
        )
        session.add(document)
        session.flush()
        session.add(
            Mandate(
                claim_id=claim.id,
                signer_name=passengers[0].full_name,
                signed_at=now,
                ip=ip[:64],
                user_agent=user_agent[:255],
                text_version=MANDATE_VERSION,
                document_id=document.id,
            )
        )
        record_event(session, claim, ClaimStatus.SUBMITTED, user)
        claim.step = 6
        claim_outcome.refresh(session, claim)
        reference = claim.reference
        owner = session.get(User, claim.owner_id)
        assert owner is not None
        queued = _confirmation(session, owner, reference, claim_id)
        session.commit()
    send_now(queued)
    log.info("claim submitted", extra={"claim_id": claim_id})
    return reference


def _summary_lines(claim: Claim, language: str) -> list[tuple[str, str]]:
    verdict = claim.verdict or {}
    per = verdict.get("per_passenger") or {}
    return [
        (translate(language, "claim.field.flights"), claim.flight_numbers),
        (translate(language, "claim.field.route"), claim.route),
        (
            translate(language, "claim.field.date"),
            claim.flight_date.isoformat() if claim.flight_date else "",
        ),
        (translate(language, "claim.field.regime"), str(verdict.get("regime", ""))),
        (
            translate(language, "claim.field.per_passenger"),
            f"{per.get('amount', '')} {per.get('currency', '')}".strip(),
        ),
    ]


def _confirmation(session: Session, owner: User, reference: str, claim_id: int) -> OutgoingMail:
    """The confirmation email, queued with the submission (services.mail_queue)."""
    language = normalize_locale(owner.locale)
    link = f"{get_settings().public_base_url.rstrip('/')}/claims/{claim_id}"
    return queue_mail(
        session,
        to=owner.email,
        subject=translate(language, "email.submitted.subject", reference=reference),
        body=translate(
            language,
            "email.submitted.body",
            name=owner.full_name,
            reference=reference,
            link=link,
        ),
    )
