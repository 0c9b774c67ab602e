"""The audit log: who did what to what, when, with the values before and after.

``record`` adds an entry to the caller's session, so the entry commits (or rolls back) with the
change it describes. A refused attempt is written by ``refusals_audited`` in a transaction of its
own, after the refused one was rolled back: the log keeps the attempt, nothing else is written.
Admins read the log newest first, in keyset pages on the id (ids only grow).
"""

from __future__ import annotations

import logging
import math
import re
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from sqlmodel import Session, col, select

from indemnisation.db import session_scope
from indemnisation.models import AuditEntry, Role, User
from indemnisation.services.authz import authorize
from indemnisation.services.errors import InvalidInput, ServiceError
from indemnisation.services.views import UserView

log = logging.getLogger(__name__)

MAX_ID = 2**31
PAGE = 50
MAX_PAGE = 200
MAX_VALUE = 300
"""Longest text kept of one attempted argument in a refusal entry."""
TEAM_ZONE = ZoneInfo("Europe/Paris")
"""Days of the date filter are the team's days."""
ACTION = re.compile(r"^[a-z][a-z_.]{0,39}$")

CLAIM_STATUS = "claim.status"
DOCUMENT_REVIEW = "document.review"
CLAIM_ASSIGN = "claim.assign"
CLAIM_VERDICT = "claim.verdict"


@dataclass(frozen=True)
class Target:
    """What an action was about: a ``kind`` of thing ("claim", "user"...) and its id."""

    kind: str
    id: int | None

    @classmethod
    def claim(cls, claim_id: Any) -> Target:
        """A claim by an id that may come from a client: kept only when it is a plausible id."""
        return cls("claim", claim_id if _is_id(claim_id) else None)


def _is_id(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and 0 < value < MAX_ID


def record(
    session: Session,
    actor: UserView | None,
    action: str,
    target: Target,
    before: Mapping[str, Any] | None = None,
    after: Mapping[str, Any] | None = None,
    note: str = "",
    *,
    ip: str = "",
    refused: bool = False,
) -> None:
    """Add one entry to ``session``; it is written when the caller commits its change."""
    if not ACTION.match(action):
        raise ValueError(f"not an action code: {action!r}")
    session.add(
        AuditEntry(
            actor_id=actor.id if actor else None,
            action=action,
            target_type=target.kind[:20],
            target_id=target.id,
            before=dict(before) if before is not None else None,
            after=dict(after) if after is not None else None,
            note=note[:2000],
            refused=refused,
            ip=ip[:64] if isinstance(ip, str) else "",
        )
    )


def _plain(value: Any) -> Any:
    """A client-sent value as it can be stored in JSON, cut short (NaN and infinities, which
    JSON has no word for, as text)."""
    if isinstance(value, float) and not math.isfinite(value):
        return str(value)
    if value is None or isinstance(value, bool | int | float):
        return value
    if isinstance(value, list | tuple):
        return [_plain(v) for v in value[:50]]
    return str(value)[:MAX_VALUE]


@contextmanager
def refusals_audited(
    actor: UserView | None,
    action: str,
    target: Target,
    *,
    attempted: Mapping[str, Any] | None = None,
    ip: str = "",
) -> Iterator[None]:
    """Around an admin action: a refusal (ServiceError) leaves an entry of its own, marked
    refused, with the error code as note and what was attempted as ``after``."""
    try:
        yield
    except ServiceError as error:
        plain = {k: _plain(v) for k, v in (attempted or {}).items()}
        with session_scope() as session:
            record(session, actor, action, target, None, plain, error.code, ip=ip, refused=True)
            session.commit()
        log.warning(
            "admin action refused",
            extra={"action": action, "code": error.code, "user_id": actor.id if actor else None},
        )
        raise


# --- reading the log ------------------------------------------------------------------------------


@dataclass(frozen=True)
class AuditFilters:
    """What the log shows: one actor, one action, one claim, days from ``since`` to ``until``
    included (the team's days), refused attempts only or never; None / "" means any."""

    actor_id: int | None = None
    action: str = ""
    claim_id: int | None = None
    since: date | None = None
    until: date | None = None
    refused: bool | None = None


@dataclass(frozen=True)
class AuditView:
    id: int
    at: datetime
    actor_id: int | None
    actor_name: str
    action: str
    target_type: str
    target_id: int | None
    before: dict[str, Any] | None
    after: dict[str, Any] | None
    note: str
    refused: bool
    ip: str


@dataclass(frozen=True)
class AuditPage:
    entries: tuple[AuditView, ...]
    next_cursor: int | None
    """The cursor of the next (older) page, or None on the last page."""


def _is_day(value: Any) -> bool:
    return isinstance(value, date) and not isinstance(value, datetime)


def _check_filters(filters: Any) -> AuditFilters:
    if filters is None:
        return AuditFilters()
    if not isinstance(filters, AuditFilters):
        raise InvalidInput("error.audit_filters")
    checks = (
        filters.actor_id is None or _is_id(filters.actor_id),
        isinstance(filters.action, str) and (not filters.action or ACTION.match(filters.action)),
        filters.claim_id is None or _is_id(filters.claim_id),
        filters.since is None or _is_day(filters.since),
        filters.until is None or _is_day(filters.until),
        filters.refused is None or isinstance(filters.refused, bool),
    )
    if not all(checks):
        raise InvalidInput("error.audit_filters")
    if filters.since and filters.until and filters.since > filters.until:
        raise InvalidInput("error.date_range", field="until")
    return filters


def _conditions(filters: AuditFilters) -> list[Any]:
    found: list[Any] = []
    if filters.actor_id is not None:
        found.append(col(AuditEntry.actor_id) == filters.actor_id)
    if filters.action:
        found.append(col(AuditEntry.action) == filters.action)
    if filters.claim_id is not None:
        found += [AuditEntry.target_type == "claim", AuditEntry.target_id == filters.claim_id]
    if filters.since is not None:
        found.append(col(AuditEntry.at) >= datetime.combine(filters.since, time(), TEAM_ZONE))
    if filters.until is not None:
        end = datetime.combine(filters.until + timedelta(days=1), time(), TEAM_ZONE)
        found.append(col(AuditEntry.at) < end)
    if filters.refused is not None:
        found.append(col(AuditEntry.refused).is_(filters.refused))
    return found


def list_audit(
    *,
    actor: UserView | None,
    filters: AuditFilters | None = None,
    cursor: Any = None,
    limit: Any = PAGE,
) -> AuditPage:
    """The log, newest first, ``limit`` entries older than ``cursor`` (an id from a previous
    page's ``next_cursor``; None for the first page)."""
    authorize(actor, Role.ADMIN)
    checked = _check_filters(filters)
    if cursor is not None and not _is_id(cursor):
        raise InvalidInput("error.audit_filters")
    if not isinstance(limit, int) or isinstance(limit, bool) or not 0 < limit <= MAX_PAGE:
        raise InvalidInput("error.audit_filters")
    conditions = _conditions(checked)
    if cursor is not None:
        conditions.append(col(AuditEntry.id) < cursor)
    with session_scope() as session:
        rows = session.exec(
            select(AuditEntry, User.full_name)
            .join(User, col(User.id) == col(AuditEntry.actor_id), isouter=True)
            .where(*conditions)
            .order_by(col(AuditEntry.id).desc())
            .limit(limit + 1)
        ).all()
    entries = tuple(_view(entry, name) for entry, name in rows[:limit])
    more = len(rows) > limit
    return AuditPage(entries, entries[-1].id if more and entries else None)


def _view(entry: AuditEntry, actor_name: str | None) -> AuditView:
    assert entry.id is not None
    return AuditView(
        id=entry.id,
        at=entry.at,
        actor_id=entry.actor_id,
        actor_name=actor_name or "",
        action=entry.action,
        target_type=entry.target_type,
        target_id=entry.target_id,
        before=entry.before,
        after=entry.after,
        note=entry.note,
        refused=entry.refused,
        ip=entry.ip,
    )
