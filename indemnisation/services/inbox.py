"""The admin inbox: every claim thread with its last message, unread ones first.

It reads the ``threads`` summaries (one row per thread, kept by every send), never the messages,
except for a text search. "Unread" is per admin: the claimant wrote after that admin's read
pointer. Pages are walked by keyset in two segments, the admin's unread threads and then the
read ones, each newest first along ``ix_threads_last_message_id``; a cursor says which segment
and where in it the next page starts, so no page sorts the whole table.
"""

from __future__ import annotations

import base64
import binascii
import re
from dataclasses import asdict, dataclass
from datetime import date, datetime, time, timedelta
from typing import Any, Literal
from zoneinfo import ZoneInfo

from sqlalchemy import ColumnElement, and_, func, literal_column
from sqlalchemy import select as select_columns
from sqlalchemy.orm import aliased
from sqlmodel import Session, col, select

from indemnisation.db import session_scope
from indemnisation.domain.claim_status import ClaimStatus
from indemnisation.models import Claim, Message, Role, ThreadRead, ThreadSummary, User
from indemnisation.models.message import FTS_CONFIG
from indemnisation.services.authz import authorize
from indemnisation.services.claims import MAX_ID
from indemnisation.services.errors import InvalidInput
from indemnisation.services.views import UserView

MAX_LIMIT = 100
MAX_QUERY = 200
# Dates typed by the team are days in Paris, where the team works.
TEAM_ZONE = ZoneInfo("Europe/Paris")
EARLIEST_DAY = date(2000, 1, 1)
LATEST_DAY = date(2100, 12, 31)

Segment = Literal["u", "r"]
_CURSOR = re.compile(r"([ur])(\d{1,10})")


@dataclass(frozen=True)
class InboxFilters:
    """What the admin asked to see. ``assigned`` is an admin's id, ``"me"`` or ``"none"``."""

    unread_only: bool = False
    status: ClaimStatus | None = None
    assigned: int | Literal["me", "none"] | None = None
    date_from: date | None = None
    date_to: date | None = None
    q: str = ""


@dataclass(frozen=True)
class InboxRow:
    claim_id: int
    last_message_id: int
    reference: str
    claimant_name: str
    status: ClaimStatus
    assigned_name: str | None
    last_sender_name: str
    excerpt: str
    last_message_at: datetime
    last_from_team: bool
    waiting_since: datetime | None
    message_count: int
    unread: bool


@dataclass(frozen=True)
class InboxPage:
    rows: tuple[InboxRow, ...]
    next_cursor: str | None
    has_more: bool


@dataclass(frozen=True)
class AdminOption:
    id: int
    full_name: str


# --- validation of what the client sent -----------------------------------------------------


def _invalid(field: str) -> InvalidInput:
    return InvalidInput("error.inbox_filter_invalid", field=field)


def _status(value: Any) -> ClaimStatus | None:
    if value is None or value == "":
        return None
    if isinstance(value, str) and value in ClaimStatus.__members__:
        return ClaimStatus(value)
    raise _invalid("status")


def _assigned(value: Any) -> int | Literal["me", "none"] | None:
    if value is None or value == "":
        return None
    if value == "me":
        return "me"
    if value == "none":
        return "none"
    if isinstance(value, str) and value.isascii() and value.isdigit() and len(value) <= 10:
        value = int(value)
    if isinstance(value, int) and not isinstance(value, bool) and 0 < value < MAX_ID:
        return value
    raise _invalid("assigned")


def _day(value: Any, field: str) -> date | None:
    if value is None or value == "":
        return None
    if isinstance(value, str) and len(value) == 10 and value.isascii():
        try:
            value = date.fromisoformat(value)
        except ValueError:
            raise _invalid(field) from None
    if (
        isinstance(value, date)
        and not isinstance(value, datetime)
        and EARLIEST_DAY <= value <= LATEST_DAY
    ):
        return value
    raise _invalid(field)


def _query(value: Any) -> str:
    if value is None:
        return ""
    if not isinstance(value, str):
        raise _invalid("q")
    text = " ".join(value.split())
    if len(text) > MAX_QUERY:
        raise InvalidInput("error.inbox_query_too_long", field="q", max=MAX_QUERY)
    return text


def check_filters(
    *,
    unread_only: Any = False,
    status: Any = None,
    assigned: Any = None,
    date_from: Any = None,
    date_to: Any = None,
    q: Any = "",
) -> InboxFilters:
    """Filters from untrusted values (strings from a page, or already typed); InvalidInput
    names the field at fault."""
    if not isinstance(unread_only, bool):
        raise _invalid("unread_only")
    start, end = _day(date_from, "date_from"), _day(date_to, "date_to")
    if start and end and start > end:
        raise InvalidInput("error.inbox_dates_reversed", field="date_to")
    return InboxFilters(unread_only, _status(status), _assigned(assigned), start, end, _query(q))


def _limit(value: Any) -> int:
    if isinstance(value, int) and not isinstance(value, bool) and 1 <= value <= MAX_LIMIT:
        return value
    raise InvalidInput("error.inbox_filter_invalid", field="limit")


# --- cursors ------------------------------------------------------------------------------------


def _encode(segment: Segment, before_id: int) -> str:
    """``before_id`` 0 means the top of the segment."""
    return base64.urlsafe_b64encode(f"{segment}{before_id}".encode()).decode().rstrip("=")


def _decode(cursor: Any) -> tuple[Segment, int]:
    if cursor is None or cursor == "":
        return "u", 0
    if not isinstance(cursor, str) or len(cursor) > 24 or not cursor.isascii():
        raise InvalidInput("error.inbox_cursor_invalid")
    try:
        text = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)).decode("ascii")
    except (binascii.Error, UnicodeDecodeError, ValueError):
        raise InvalidInput("error.inbox_cursor_invalid") from None
    match = _CURSOR.fullmatch(text)
    if match is None or int(match.group(2)) >= MAX_ID:
        raise InvalidInput("error.inbox_cursor_invalid")
    segment: Segment = "u" if match.group(1) == "u" else "r"
    return segment, int(match.group(2))


# --- the query ----------------------------------------------------------------------------------


def _day_start(day: date) -> datetime:
    return datetime.combine(day, time(0), TEAM_ZONE)


def _like_pattern(text: str) -> str:
    escaped = text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"


def _search(session: Session, text: str) -> Any:
    """Threads whose messages (internal notes included) contain ``text``, or whose claim has
    this reference. PostgreSQL uses the full-text GIN index ``ix_messages_fts``: the expression
    below must stay identical to the index's."""
    if session.get_bind().dialect.name == "postgresql":
        config: ColumnElement[Any] = literal_column(f"'{FTS_CONFIG}'")
        matched = func.to_tsvector(config, Message.content).op("@@")(
            func.plainto_tsquery(config, text)
        )
    else:
        matched = col(Message.content).ilike(_like_pattern(text), escape="\\")
    in_messages = select(Message.claim_id).where(matched)
    by_reference = select(Claim.id).where(Claim.reference == text.upper())
    return col(ThreadSummary.claim_id).in_(in_messages.union(by_reference))


def _conditions(session: Session, user: UserView, filters: InboxFilters) -> list[Any]:
    found: list[Any] = []
    if filters.status is not None:
        found.append(col(Claim.status) == filters.status)
    if filters.assigned == "none":
        found.append(col(Claim.assigned_to_id).is_(None))
    elif filters.assigned is not None:
        assignee = user.id if filters.assigned == "me" else filters.assigned
        found.append(col(Claim.assigned_to_id) == assignee)
    if filters.date_from is not None:
        found.append(col(ThreadSummary.last_message_at) >= _day_start(filters.date_from))
    if filters.date_to is not None:
        end = _day_start(filters.date_to + timedelta(days=1))
        found.append(col(ThreadSummary.last_message_at) < end)
    if filters.q:
        found.append(_search(session, filters.q))
    return found


def _segment_rows(
    session: Session,
    user: UserView,
    conditions: list[Any],
    segment: Segment,
    before_id: int,
    size: int,
) -> list[InboxRow]:
    owner, assignee = aliased(User), aliased(User)
    thread = ThreadSummary
    pointer = func.coalesce(ThreadRead.last_read_message_id, 0)
    claimant_last = col(thread.last_claimant_message_id)
    query = (
        select_columns(
            col(thread.claim_id),
            col(thread.last_message_id),
            col(Claim.reference),
            col(owner.full_name),
            col(Claim.status),
            col(assignee.full_name),
            col(thread.last_sender_name),
            col(thread.excerpt),
            col(thread.last_message_at),
            col(thread.last_from_team),
            col(thread.waiting_since),
            col(thread.message_count),
        )
        .select_from(thread)
        .join(Claim, col(Claim.id) == thread.claim_id)
        .join(owner, col(owner.id) == Claim.owner_id)
        .outerjoin(assignee, col(assignee.id) == Claim.assigned_to_id)
        .outerjoin(
            ThreadRead,
            and_(col(ThreadRead.claim_id) == thread.claim_id, col(ThreadRead.user_id) == user.id),
        )
        .where(claimant_last > pointer if segment == "u" else claimant_last <= pointer)
        .where(*conditions)
    )
    if before_id:
        query = query.where(col(thread.last_message_id) < before_id)
    query = query.order_by(col(thread.last_message_id).desc()).limit(size)
    return [
        InboxRow(
            claim_id=claim_id,
            last_message_id=last_id,
            reference=reference or "",
            claimant_name=claimant,
            status=status,
            assigned_name=assigned,
            last_sender_name=sender,
            excerpt=excerpt,
            last_message_at=last_at,
            last_from_team=from_team,
            waiting_since=waiting,
            message_count=count,
            unread=segment == "u",
        )
        for (
            claim_id,
            last_id,
            reference,
            claimant,
            status,
            assigned,
            sender,
            excerpt,
            last_at,
            from_team,
            waiting,
            count,
        ) in session.connection().execute(query).all()
    ]


def list_threads(
    *,
    actor: UserView | None,
    filters: InboxFilters,
    cursor: str | None = None,
    limit: int = 25,
) -> InboxPage:
    """One page of the inbox for this admin; pass ``next_cursor`` back for the next one."""
    user = authorize(actor, Role.ADMIN)
    if not isinstance(filters, InboxFilters):
        raise _invalid("filters")
    checked = check_filters(**asdict(filters))
    size = _limit(limit)
    segment, before_id = _decode(cursor)
    with session_scope() as session:
        conditions = _conditions(session, user, checked)
        rows: list[InboxRow] = []
        if segment == "u":
            rows = _segment_rows(session, user, conditions, "u", before_id, size + 1)
            if len(rows) > size:
                return InboxPage(
                    tuple(rows[:size]), _encode("u", rows[size - 1].last_message_id), True
                )
            if checked.unread_only:
                return InboxPage(tuple(rows), None, False)
            segment, before_id = "r", 0
        wanted = size - len(rows)
        read = _segment_rows(session, user, conditions, segment, before_id, wanted + 1)
    if len(read) <= wanted:
        return InboxPage(tuple(rows + read), None, False)
    # The read threads start on the next page when this one is full of unread ones.
    following = _encode("r", read[wanted - 1].last_message_id if wanted else 0)
    return InboxPage(tuple(rows + read[:wanted]), following, True)


def list_admins(*, actor: UserView | None) -> tuple[AdminOption, ...]:
    """Active admins by name, for the "assigned to" filter."""
    authorize(actor, Role.ADMIN)
    with session_scope() as session:
        found = session.exec(
            select(User.id, User.full_name)
            .where(User.role == Role.ADMIN, col(User.is_active).is_(True))
            .order_by(col(User.full_name), col(User.id))
        ).all()
    return tuple(AdminOption(admin_id, name) for admin_id, name in found if admin_id is not None)
