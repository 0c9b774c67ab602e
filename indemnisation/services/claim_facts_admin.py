"""The claims team corrects a claim's facts: the flights as booked and what happened.

The correction goes through the wizard's own checks (``claim_facts.check_segments`` and
``check_disruption``), so every mistake gets the same translated message naming the field. It is
refused on a draft (the claimant is still writing it) and on a claim the domain lets nobody move
any more (closed, withdrawn). The facts, the claim's columns that follow from the flights and the
audit entry (all the facts before and after) are written in one transaction; a refusal leaves
only an audit entry marked refused. The verdict is not touched: the team re-runs it with
``claim_admin.rerun_verdict`` and this view then shows what that re-run changed.
"""

from __future__ import annotations

import hashlib
import json
import logging
from dataclasses import dataclass, fields
from datetime import datetime
from typing import Any

from sqlalchemy import func
from sqlmodel import Session, col, select

from indemnisation.db import session_scope
from indemnisation.domain.channels import claim_channel
from indemnisation.domain.claim_status import Actor, ClaimStatus, allowed_transitions
from indemnisation.models import AuditEntry, Claim, Role, User
from indemnisation.models.types import utcnow
from indemnisation.services import audit
from indemnisation.services.audit import Target, refusals_audited
from indemnisation.services.authz import authorize
from indemnisation.services.claim_facts import (
    MAX_SEGMENTS,
    DisruptionInput,
    SegmentInput,
    check_disruption,
    check_segments,
    with_itinerary,
)
from indemnisation.services.claims import access_claim
from indemnisation.services.errors import InvalidInput
from indemnisation.services.messaging import Notification
from indemnisation.services.views import UserView

log = logging.getLogger(__name__)

CLAIM_FACTS = "claim.facts"
MAX_TEXT = 100
"""Longest text accepted in any field of the form (the checks then want far less)."""
_DISRUPTION_TYPES = {"segment": int, "rerouted": bool}


def is_final(status: ClaimStatus) -> bool:
    """A status nobody may move the claim out of (closed, withdrawn): its facts stay as they are."""
    return not any(allowed_transitions(status, actor) for actor in Actor)


def fingerprint(facts: dict[str, Any]) -> str:
    """A short digest of the stored facts: a correction names the version it was made from."""
    text = json.dumps(facts, sort_keys=True, ensure_ascii=True, default=str)
    return hashlib.sha256(text.encode()).hexdigest()[:20]


@dataclass(frozen=True)
class FactsForm:
    """The stored facts as the editor shows them, in the wizard's input types."""

    segments: tuple[SegmentInput, ...]
    single_booking: bool
    disruption: DisruptionInput


@dataclass(frozen=True)
class VerdictChange:
    """What the last re-run of the verdict changed, from its audit entry."""

    at: datetime
    by: str
    eligibility_before: str
    eligibility_after: str
    amount_before: int
    amount_after: int
    currency: str
    regime_before: str
    regime_after: str
    reasons_added: tuple[str, ...]
    reasons_removed: tuple[str, ...]


@dataclass(frozen=True)
class FactsView:
    claim_id: int
    status: ClaimStatus
    editable: bool
    locked: str
    """Why the facts cannot be corrected (an i18n key), or "" when they can."""
    form: FactsForm
    fingerprint: str
    verdict_stale: bool
    """The facts were corrected after the verdict was last computed again."""
    last_rerun: VerdictChange | None


@dataclass(frozen=True)
class Corrected:
    claim_id: int
    changed: bool
    notify: tuple[Notification, ...]


def _locked(claim: Claim) -> str:
    if claim.status is ClaimStatus.DRAFT:
        return "error.claim_not_submitted"
    if is_final(claim.status):
        return "error.facts_final"
    return ""


def form_of(facts: dict[str, Any]) -> FactsForm:
    """The inverse of the wizard's checks: stored facts back into form values."""
    segments = tuple(
        SegmentInput(
            str(s.get("flight_number", "")),
            str(s.get("date", "")),
            str(s.get("departure", "")),
            str(s.get("arrival", "")),
        )
        for s in facts.get("segments") or []
        if isinstance(s, dict)
    )
    stored = facts.get("disruption") or {}
    times = stored.get("times") or {}
    rerouting = stored.get("rerouting")

    def text(source: dict[str, Any], key: str) -> str:
        value = source.get(key)
        return "" if value is None else str(value)

    segment = stored.get("segment", 0)
    disruption = DisruptionInput(
        kind=str(stored.get("type", "delay")),
        airline_reason=str(facts.get("airline_reason", "none")),
        segment=segment if isinstance(segment, int) and not isinstance(segment, bool) else 0,
        scheduled_arrival=text(times, "scheduled_arrival"),
        actual_arrival=text(times, "actual_arrival"),
        notice_days=text(stored, "notice_days"),
        rerouted=isinstance(rerouting, dict),
        rerouting_departure_earlier_minutes=text(rerouting or {}, "departure_earlier_minutes"),
        rerouting_arrival_delay_minutes=text(rerouting or {}, "arrival_delay_minutes"),
        denial=text(stored, "kind"),
        minutes_earlier=text(stored, "minutes_earlier"),
    )
    return FactsForm(segments, bool(facts.get("single_booking", True)), disruption)


def _latest_id(session: Session, claim_id: int, action: str) -> int:
    found = session.exec(
        select(func.max(col(AuditEntry.id))).where(
            AuditEntry.target_type == "claim",
            AuditEntry.target_id == claim_id,
            AuditEntry.action == action,
            col(AuditEntry.refused).is_(False),
        )
    ).one()
    return int(found or 0)


def _codes(summary: dict[str, Any]) -> list[str]:
    reasons = summary.get("reasons")
    return [str(r) for r in reasons] if isinstance(reasons, list) else []


def _amount(value: Any) -> int:
    return value if isinstance(value, int) and not isinstance(value, bool) else 0


def _last_rerun(session: Session, claim_id: int) -> VerdictChange | None:
    row = session.exec(
        select(AuditEntry, User.full_name)
        .join(User, col(User.id) == col(AuditEntry.actor_id), isouter=True)
        .where(
            AuditEntry.target_type == "claim",
            AuditEntry.target_id == claim_id,
            AuditEntry.action == audit.CLAIM_VERDICT,
            col(AuditEntry.refused).is_(False),
        )
        .order_by(col(AuditEntry.id).desc())
        .limit(1)
    ).first()
    if row is None:
        return None
    entry, name = row
    before, after = entry.before or {}, entry.after or {}
    old, new = _codes(before), _codes(after)
    return VerdictChange(
        at=entry.at,
        by=name or "",
        eligibility_before=str(before.get("eligibility") or ""),
        eligibility_after=str(after.get("eligibility") or ""),
        amount_before=_amount(before.get("amount_per_passenger")),
        amount_after=_amount(after.get("amount_per_passenger")),
        currency=str(after.get("currency") or before.get("currency") or "EUR"),
        regime_before=str(before.get("regime") or ""),
        regime_after=str(after.get("regime") or ""),
        reasons_added=tuple(c for c in new if c not in old),
        reasons_removed=tuple(c for c in old if c not in new),
    )


def facts_view(*, actor: UserView | None, claim_id: Any) -> FactsView:
    """What the facts editor shows: the current facts, whether they may be corrected, whether the
    verdict predates the last correction, and what the last re-run of the verdict changed."""
    user = authorize(actor, Role.ADMIN)
    with session_scope() as session:
        claim = access_claim(session, user, claim_id)
        assert claim.id is not None
        locked = _locked(claim)
        corrected = _latest_id(session, claim.id, CLAIM_FACTS)
        rerun = _latest_id(session, claim.id, audit.CLAIM_VERDICT)
        return FactsView(
            claim_id=claim.id,
            status=claim.status,
            editable=not locked,
            locked=locked,
            form=form_of(claim.facts),
            fingerprint=fingerprint(claim.facts),
            verdict_stale=corrected > rerun,
            last_rerun=_last_rerun(session, claim.id),
        )


def _well_formed(segments: Any, single_booking: Any, disruption: Any) -> bool:
    """The arguments have the wizard's input types (a forged call may send anything)."""

    def texts_ok(value: Any, types: dict[str, type]) -> bool:
        for field in fields(value):
            item, wanted = getattr(value, field.name), types.get(field.name, str)
            if not isinstance(item, wanted) or (wanted is int and isinstance(item, bool)):
                return False
            if isinstance(item, str) and (len(item) > MAX_TEXT or not _storable(item)):
                return False
        return True

    return (
        isinstance(segments, list | tuple)
        and all(isinstance(s, SegmentInput) and texts_ok(s, {}) for s in segments)
        and isinstance(single_booking, bool)
        and isinstance(disruption, DisruptionInput)
        and texts_ok(disruption, _DISRUPTION_TYPES)
    )


def _storable(text: str) -> bool:
    """A text the database can keep (no NUL, no lone surrogate)."""
    return "\x00" not in text and text.encode("utf-8", "replace").decode("utf-8") == text


def _shown(value: Any) -> str:
    """A client-sent value as a short text any database can keep."""
    text = str(value)[:MAX_TEXT].replace("\x00", "")
    return text.encode("utf-8", "replace").decode("utf-8")


def _attempted(segments: Any, disruption: Any) -> dict[str, Any]:
    """What a refused correction tried, kept short and plain in its audit entry."""
    flights = (
        [
            _shown(f"{s.flight_number} {s.date} {s.departure}-{s.arrival}")
            for s in segments[: MAX_SEGMENTS + 1]
            if isinstance(s, SegmentInput)
        ]
        if isinstance(segments, list | tuple)
        else []
    )
    kind = _shown(disruption.kind) if isinstance(disruption, DisruptionInput) else None
    return {"segments": flights, "disruption": kind}


def correct_facts(
    *,
    actor: UserView | None,
    claim_id: Any,
    segments: Any,
    single_booking: Any,
    disruption: Any,
    expected: Any,
    ip: str = "",
) -> Corrected:
    """Replace the claim's flights and what happened with checked values. ``expected`` is the
    ``fingerprint`` of the facts the correction was made from: when someone changed them since,
    the correction is refused rather than silently overwriting theirs."""
    attempted = _attempted(segments, disruption)
    with refusals_audited(actor, CLAIM_FACTS, Target.claim(claim_id), attempted=attempted, ip=ip):
        user = authorize(actor, Role.ADMIN)
        if not _well_formed(segments, single_booking, disruption):
            raise InvalidInput("error.facts_malformed")
        with session_scope() as session:
            claim = access_claim(session, user, claim_id)
            assert claim.id is not None
            locked = _locked(claim)
            if locked:
                raise InvalidInput(locked)
            if expected != fingerprint(claim.facts):
                raise InvalidInput("error.facts_changed_meanwhile")
            clean = check_segments(list(segments), today=utcnow().date())
            before = dict(claim.facts)
            after = with_itinerary(claim, before, clean, single_booking)
            after |= check_disruption(disruption, clean)
            if after == before:
                return Corrected(claim.id, False, ())
            claim.facts = after
            claim.updated_at = utcnow()
            audit.record(session, user, CLAIM_FACTS, Target.claim(claim.id), before, after, ip=ip)
            session.commit()
    log.info("claim facts corrected", extra={"claim_id": claim.id})
    return Corrected(claim.id, True, (Notification(claim_channel(claim.id)),))
