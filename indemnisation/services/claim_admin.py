"""The claims team processes a claim: moves its status, reviews its documents, re-runs the verdict.

Each function authorizes an admin, checks every argument, writes the change, the claimant's
timeline event and the audit entry in one transaction, and only after the commit emails the
claimant (in their language) and says which live channels to hint. A refusal leaves nothing but
an audit entry marked refused (see services.audit.refusals_audited).
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import Any

from sqlmodel import Session, col, select

from indemnisation.db import session_scope
from indemnisation.domain.channels import claim_channel
from indemnisation.domain.claim_status import Actor, ClaimStatus, can_move
from indemnisation.i18n import normalize_locale, translate
from indemnisation.models import (
    Claim,
    Document,
    DocumentKind,
    DocumentReview,
    OutgoingMail,
    Role,
    User,
)
from indemnisation.models.types import utcnow
from indemnisation.services import audit, claim_outcome
from indemnisation.services.audit import Target, refusals_audited
from indemnisation.services.authz import authorize
from indemnisation.services.claim_facts import compute_verdict
from indemnisation.services.claims import MAX_ID, access_claim, record_event
from indemnisation.services.errors import InvalidInput, NotFound
from indemnisation.services.mail_queue import queue_mail, send_now
from indemnisation.services.messaging import Notification
from indemnisation.services.views import UserView
from indemnisation.settings import get_settings

log = logging.getLogger(__name__)

MAX_NOTE = 1000
MAX_REASON = 500
MIN_REASON = 3
DECISIONS = {"accept": DocumentReview.ACCEPTED, "reject": DocumentReview.REJECTED}


@dataclass(frozen=True)
class Processed:
    """What an action left: the claim's status now, and the live channels to hint."""

    claim_id: int
    status: ClaimStatus
    notify: tuple[Notification, ...]


@dataclass(frozen=True)
class _Mail:
    """An email for the claimant, sent once the change is committed."""

    to: str
    locale: str
    subject: str
    body: str
    params: dict[str, str]


def _text(value: Any, *, field: str, maximum: int, code: str) -> str:
    """A free text from the client, spaces tidied; refused when not a string or too long."""
    if not isinstance(value, str) or len(value) > maximum * 2:
        raise InvalidInput(code, field=field, max=maximum)
    text = "\n".join(" ".join(line.split()) for line in value.strip().splitlines()).strip()
    if len(text) > maximum:
        raise InvalidInput(code, field=field, max=maximum)
    return text


def _status(value: Any) -> ClaimStatus:
    if isinstance(value, str) and value in ClaimStatus.__members__:
        return ClaimStatus(value)
    raise InvalidInput("error.status_unknown", field="status")


def _mail_for(
    session: Session, claim: Claim, subject: str, body: str, **params: str
) -> _Mail | None:
    owner = session.get(User, claim.owner_id)
    if owner is None or not owner.is_active:
        return None
    base = get_settings().public_base_url.rstrip("/")
    params |= {
        "name": owner.full_name,
        "reference": claim.reference or "",
        "link": f"{base}/claims/{claim.id}",
    }
    return _Mail(owner.email, normalize_locale(owner.locale), subject, body, params)


def _queue(session: Session, mail: _Mail | None) -> OutgoingMail | None:
    """Queue the email with the change (services.mail_queue): sent once committed, and again
    later while the mail server does not take it; a mail server failure never undoes the
    change nor loses the email."""
    if mail is None:
        return None
    locale, params = mail.locale, dict(mail.params)
    if "status" in params:
        status = params["status"]
        params["status"] = translate(locale, f"status.{status}")
        params["next"] = translate(locale, f"status.next.{status}")
    if params.get("note"):
        params["note"] = translate(locale, "email.status.note", note=params["note"])
    return queue_mail(
        session,
        to=mail.to,
        subject=translate(locale, mail.subject, **params),
        body=translate(locale, mail.body, **params),
    )


def _move(
    session: Session, claim: Claim, user: UserView, to: ClaimStatus, note: str, ip: str
) -> _Mail | None:
    """Move the claim (the domain decides), with its timeline event and audit entry."""
    assert claim.id is not None
    before = {"status": claim.status.value}
    record_event(session, claim, to, user, note)
    claim_outcome.refresh(session, claim)
    audit.record(
        session,
        user,
        audit.CLAIM_STATUS,
        Target.claim(claim.id),
        before,
        {"status": to},
        note,
        ip=ip,
    )
    return _mail_for(
        session, claim, "email.status.subject", "email.status.body", status=to.value, note=note
    )


def change_status(
    *, actor: UserView | None, claim_id: Any, to_status: Any, note: Any = "", ip: str = ""
) -> Processed:
    """Move the claim to ``to_status`` when the domain allows the team to, with a note the
    claimant sees on their timeline and in the email."""
    attempted = {"to": to_status, "note": note}
    with refusals_audited(
        actor, audit.CLAIM_STATUS, Target.claim(claim_id), attempted=attempted, ip=ip
    ):
        user = authorize(actor, Role.ADMIN)
        target = _status(to_status)
        clean_note = _text(note, field="note", maximum=MAX_NOTE, code="error.note_too_long")
        with session_scope() as session:
            claim = access_claim(session, user, claim_id)
            assert claim.id is not None
            queued = _queue(session, _move(session, claim, user, target, clean_note, ip))
            session.commit()
    send_now(queued)
    log.info("claim status changed", extra={"claim_id": claim.id, "status": target.value})
    return Processed(claim.id, target, (Notification(claim_channel(claim.id)),))


def allowed_statuses(*, actor: UserView | None, claim_id: Any) -> tuple[ClaimStatus, ...]:
    """The statuses the team may move this claim to now, in the enum's order."""
    return processing_view(actor=actor, claim_id=claim_id).allowed


@dataclass(frozen=True)
class ReviewedDocument:
    id: int
    kind: DocumentKind
    name: str
    review: DocumentReview
    reason: str


@dataclass(frozen=True)
class ProcessingView:
    """What the processing panel acts on: where the claim is, where it may go, who has it."""

    claim_id: int
    status: ClaimStatus
    allowed: tuple[ClaimStatus, ...]
    assigned_to_id: int | None
    documents: tuple[ReviewedDocument, ...]


def processing_view(*, actor: UserView | None, claim_id: Any) -> ProcessingView:
    user = authorize(actor, Role.ADMIN)
    with session_scope() as session:
        claim = access_claim(session, user, claim_id)
        assert claim.id is not None
        documents = session.exec(
            select(Document).where(Document.claim_id == claim.id).order_by(col(Document.id))
        ).all()
    return ProcessingView(
        claim_id=claim.id,
        status=claim.status,
        allowed=tuple(s for s in ClaimStatus if can_move(claim.status, s, Actor.ADMIN)),
        assigned_to_id=claim.assigned_to_id,
        documents=tuple(
            ReviewedDocument(d.id or 0, d.kind, d.original_name, d.review, d.review_reason)
            for d in documents
        ),
    )


def _document(session: Session, claim: Claim, document_id: Any) -> Document:
    if not isinstance(document_id, int) or isinstance(document_id, bool):
        raise NotFound()
    document = session.get(Document, document_id) if 0 < document_id < MAX_ID else None
    if document is None:
        raise NotFound()
    if document.claim_id != claim.id:
        raise InvalidInput("error.document_other_claim")
    return document


def review_document(
    *,
    actor: UserView | None,
    claim_id: Any,
    document_id: Any,
    decision: Any,
    reason: Any = "",
    ip: str = "",
) -> Processed:
    """Accept a document, or reject it with a reason: the claimant is asked for a new one and
    the claim moves to NEEDS_INFO (a rejection is refused when it could not)."""
    attempted = {"document": document_id, "decision": decision, "reason": reason}
    with refusals_audited(
        actor, audit.DOCUMENT_REVIEW, Target.claim(claim_id), attempted=attempted, ip=ip
    ):
        user = authorize(actor, Role.ADMIN)
        review = DECISIONS.get(decision) if isinstance(decision, str) else None
        if review is None:
            raise InvalidInput("error.review_decision")
        clean = _text(reason, field="reason", maximum=MAX_REASON, code="error.reason_too_long")
        rejected = review is DocumentReview.REJECTED
        if rejected and len(clean) < MIN_REASON:
            raise InvalidInput("error.reason_required", field="reason")
        with session_scope() as session:
            claim = access_claim(session, user, claim_id)
            assert claim.id is not None
            document = _document(session, claim, document_id)
            if claim.status is ClaimStatus.DRAFT:
                raise InvalidInput("error.claim_not_submitted")
            moves = rejected and can_move(claim.status, ClaimStatus.NEEDS_INFO, Actor.ADMIN)
            if rejected and not moves and claim.status is not ClaimStatus.NEEDS_INFO:
                raise InvalidInput("error.reject_not_now")
            before = {
                "document": document.id,
                "review": document.review.value,
                "reason": document.review_reason,
            }
            document.review = review
            document.review_reason = clean if rejected else ""
            document.reviewed_by = user.id
            document.reviewed_at = utcnow()
            claim_outcome.refresh(session, claim)
            after = {
                "document": document.id,
                "review": review.value,
                "reason": document.review_reason,
            }
            audit.record(
                session, user, audit.DOCUMENT_REVIEW, Target.claim(claim.id), before, after, ip=ip
            )
            mail = None
            if moves:
                _move(session, claim, user, ClaimStatus.NEEDS_INFO, clean, ip)
            if rejected:
                mail = _mail_for(
                    session,
                    claim,
                    "email.document_rejected.subject",
                    "email.document_rejected.body",
                    document=document.original_name,
                    reason=clean,
                )
            status = claim.status
            queued = _queue(session, mail)
            session.commit()
    send_now(queued)
    return Processed(claim.id, status, (Notification(claim_channel(claim.id)),))


def _verdict_summary(claim: Claim) -> dict[str, Any]:
    verdict = claim.verdict or {}
    return {
        "eligibility": claim.eligibility,
        "amount_per_passenger": claim.amount_per_passenger,
        "currency": claim.currency,
        "regime": verdict.get("regime"),
        "reasons": [r.get("code") for r in verdict.get("reasons", []) if isinstance(r, dict)],
    }


def rerun_verdict(*, actor: UserView | None, claim_id: Any, ip: str = "") -> Processed:
    """Run the engine again on the stored facts (after they were corrected); the audit entry
    keeps the verdict before and after."""
    with refusals_audited(actor, audit.CLAIM_VERDICT, Target.claim(claim_id), ip=ip):
        user = authorize(actor, Role.ADMIN)
        with session_scope() as session:
            claim = access_claim(session, user, claim_id)
            assert claim.id is not None
            if not claim.facts.get("segments") or not claim.facts.get("disruption"):
                raise InvalidInput("error.facts_incomplete")
            before = _verdict_summary(claim)
            compute_verdict(session, claim)
            claim.updated_at = utcnow()
            claim_outcome.refresh(session, claim)
            audit.record(
                session,
                user,
                audit.CLAIM_VERDICT,
                Target.claim(claim.id),
                before,
                _verdict_summary(claim),
                ip=ip,
            )
            status = claim.status
            session.commit()
    return Processed(claim.id, status, (Notification(claim_channel(claim.id)),))


def claim_trail(
    *, actor: UserView | None, claim_id: Any, cursor: Any = None, limit: Any = audit.PAGE
) -> audit.AuditPage:
    """The audit entries about this claim, newest first, refused attempts included."""
    user = authorize(actor, Role.ADMIN)
    with session_scope() as session:
        claim = access_claim(session, user, claim_id)
    filters = audit.AuditFilters(claim_id=claim.id)
    return audit.list_audit(actor=user, filters=filters, cursor=cursor, limit=limit)
