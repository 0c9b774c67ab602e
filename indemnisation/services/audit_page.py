"""What the audit log page needs besides ``audit.list_audit``: the actions it can filter on, the
people who can have acted (every admin, active or not) and a claim typed by id or reference."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlmodel import col, select

from indemnisation.db import session_scope
from indemnisation.models import Claim, Role, User
from indemnisation.services import (
    app_settings,
    audit,
    claim_facts_admin,
    claims_queue_export,
    demand_letter,
    users_admin,
)
from indemnisation.services.authz import authorize
from indemnisation.services.errors import InvalidInput
from indemnisation.services.views import UserView

ACTIONS = (
    audit.CLAIM_STATUS,
    audit.DOCUMENT_REVIEW,
    audit.CLAIM_ASSIGN,
    audit.CLAIM_VERDICT,
    claim_facts_admin.CLAIM_FACTS,
    demand_letter.DEMAND_LETTER,
    claims_queue_export.CLAIMS_EXPORT,
    *users_admin.ACTIONS,
    *app_settings.ACTIONS,
)
MAX_CLAIM_TEXT = 20


@dataclass(frozen=True)
class ActorOption:
    id: int
    name: str
    active: bool


def actor_options(*, actor: UserView | None) -> tuple[ActorOption, ...]:
    """Every admin, active first, by name."""
    authorize(actor, Role.ADMIN)
    with session_scope() as session:
        rows = session.exec(
            select(User.id, User.full_name, User.is_active)
            .where(User.role == Role.ADMIN)
            .order_by(col(User.is_active).desc(), col(User.full_name), col(User.id))
        ).all()
    return tuple(ActorOption(i, name, active) for i, name, active in rows if i is not None)


def claim_id_for(*, actor: UserView | None, text: Any) -> int | None:
    """The claim of ``text``: its id ("42") or its reference, any case; None for ""."""
    authorize(actor, Role.ADMIN)
    if not isinstance(text, str) or len(text.strip()) > MAX_CLAIM_TEXT:
        raise InvalidInput("error.audit_claim_unknown", field="claim")
    value = text.strip()
    if not value:
        return None
    if value.isascii() and value.isdigit():
        if not 0 < int(value) < audit.MAX_ID:
            raise InvalidInput("error.audit_claim_unknown", field="claim")
        return int(value)
    with session_scope() as session:
        found = session.exec(select(Claim.id).where(Claim.reference == value.upper())).first()
    if found is None:
        raise InvalidInput("error.audit_claim_unknown", field="claim")
    return found
