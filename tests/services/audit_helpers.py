"""Reading back what the processing services wrote: audit entries, timeline events, a claim."""

from __future__ import annotations

from typing import Any

from sqlmodel import col, select

from indemnisation.db import session_scope
from indemnisation.domain.claim_status import ClaimStatus
from indemnisation.models import AuditEntry, Claim, ClaimEvent


def entries(**where: Any) -> list[AuditEntry]:
    """Audit entries, oldest first, whose columns equal ``where``."""
    with session_scope() as session:
        query = select(AuditEntry).order_by(col(AuditEntry.id))
        for name, value in where.items():
            query = query.where(getattr(AuditEntry, name) == value)
        return list(session.exec(query).all())


def events(claim_id: int) -> list[ClaimEvent]:
    with session_scope() as session:
        return list(
            session.exec(
                select(ClaimEvent)
                .where(ClaimEvent.claim_id == claim_id)
                .order_by(col(ClaimEvent.id))
            ).all()
        )


def claim(claim_id: int) -> Claim:
    with session_scope() as session:
        found = session.get(Claim, claim_id)
    assert found is not None
    return found


def force_status(claim_id: int, status: ClaimStatus) -> None:
    """Put a claim in ``status`` directly, as if it had got there through the right steps."""
    with session_scope() as session:
        found = session.get(Claim, claim_id)
        assert found is not None
        found.status = status
        session.commit()
