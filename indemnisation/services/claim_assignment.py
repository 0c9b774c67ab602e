"""Which admin handles a claim: one claim at a time from its page, or many at once from the queue.

Only an active admin can be given a claim; None takes it back. A bulk assignment is all or
nothing: one unknown claim id refuses the whole list. Every change leaves one audit entry per
claim (so each claim's trail shows it), every refusal one entry marked refused.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import Any

from sqlmodel import Session, col, select

from indemnisation.db import session_scope
from indemnisation.domain.channels import team_channel
from indemnisation.models import Claim, Role, User
from indemnisation.models.types import utcnow
from indemnisation.services import audit
from indemnisation.services.audit import Target, refusals_audited
from indemnisation.services.authz import authorize
from indemnisation.services.claims import MAX_ID, access_claim
from indemnisation.services.errors import InvalidInput, NotFound
from indemnisation.services.messaging import Notification
from indemnisation.services.views import UserView

log = logging.getLogger(__name__)

MAX_BULK = 500


@dataclass(frozen=True)
class Assigned:
    """The claims whose assignee changed (an unchanged one is left alone), and whom to hint."""

    claim_ids: tuple[int, ...]
    assignee_id: int | None
    notify: tuple[Notification, ...]


def _is_id(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and 0 < value < MAX_ID


def _assignee(session: Session, assignee_id: Any) -> int | None:
    """None (unassign), or the id of an active admin; anyone else is refused."""
    if assignee_id is None:
        return None
    person = session.get(User, assignee_id) if _is_id(assignee_id) else None
    if person is None or person.role is not Role.ADMIN:
        raise InvalidInput("error.assignee_not_admin", field="assignee")
    if not person.is_active:
        raise InvalidInput("error.assignee_inactive", field="assignee")
    return person.id


def _assign(
    session: Session, user: UserView, claims: list[Claim], assignee: int | None, ip: str
) -> tuple[int, ...]:
    changed = []
    for claim in claims:
        if claim.assigned_to_id == assignee:
            continue
        assert claim.id is not None
        before = {"assigned_to": claim.assigned_to_id}
        claim.assigned_to_id = assignee
        claim.updated_at = utcnow()
        audit.record(
            session,
            user,
            audit.CLAIM_ASSIGN,
            Target.claim(claim.id),
            before,
            {"assigned_to": assignee},
            ip=ip,
        )
        changed.append(claim.id)
    return tuple(changed)


def assign(*, actor: UserView | None, claim_id: Any, assignee_id: Any, ip: str = "") -> Assigned:
    """Give the claim to an active admin, or to nobody with ``assignee_id=None``."""
    attempted = {"assignee": assignee_id}
    target = Target.claim(claim_id)
    with refusals_audited(actor, audit.CLAIM_ASSIGN, target, attempted=attempted, ip=ip):
        user = authorize(actor, Role.ADMIN)
        with session_scope() as session:
            claim = access_claim(session, user, claim_id)
            assignee = _assignee(session, assignee_id)
            changed = _assign(session, user, [claim], assignee, ip)
            session.commit()
    return Assigned(changed, assignee, tuple(Notification(team_channel(c)) for c in changed))


def bulk_assign(
    *, actor: UserView | None, claim_ids: Any, assignee_id: Any, ip: str = ""
) -> Assigned:
    """Give every claim of ``claim_ids`` to one admin (or to nobody), all or nothing."""
    attempted = {"claims": claim_ids, "assignee": assignee_id}
    target = Target("claims", None)
    with refusals_audited(actor, audit.CLAIM_ASSIGN, target, attempted=attempted, ip=ip):
        user = authorize(actor, Role.ADMIN)
        if not isinstance(claim_ids, list | tuple) or not 0 < len(claim_ids) <= MAX_BULK:
            raise InvalidInput("error.bulk_size", max=MAX_BULK)
        if not all(_is_id(c) for c in claim_ids):
            raise NotFound()
        wanted = sorted(set(claim_ids))
        with session_scope() as session:
            assignee = _assignee(session, assignee_id)
            claims = list(
                session.exec(
                    select(Claim).where(col(Claim.id).in_(wanted)).order_by(col(Claim.id))
                ).all()
            )
            if len(claims) != len(wanted):
                raise NotFound()
            changed = _assign(session, user, claims, assignee, ip)
            session.commit()
    log.info("claims assigned", extra={"count": len(changed), "assignee": assignee})
    return Assigned(changed, assignee, tuple(Notification(team_channel(c)) for c in changed))
