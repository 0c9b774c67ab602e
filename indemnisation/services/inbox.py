"""The admin inbox: every claim thread with its last message, unread ones first.

It reads the ``threads`` summaries (one row per thread, kept by every send), never the messages,
except for a text search. "Unread" is per admin: the claimant wrote after that admin's read
pointer. Pages are walked by keyset in two segments, the admin's unread threads and then the
read ones, each newest first along ``ix_threads_last_message_id``; an opaque cursor says which
segment and where in it the next page starts, so no page sorts the whole table.

Walking the index is fast while matching threads are dense near the top. When they are sparse
(an admin with three unread threads among 100,000), a walk would visit every thread, so a walk
covers at most ``WINDOW`` threads and the rest is searched by one scan, sorted by the database.
An admin whose unread tally is zero skips the unread segment altogether.
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
from indemnisation.models import (
    Claim,
    Message,
    Role,
    ThreadRead,
    ThreadSummary,
    UnreadTally,
    User,
)
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

WINDOW = 2000
_REFERENCE = re.compile(r"IND-\d{4}-\d{1,10}", re.IGNORECASE)

# "u": unread threads; "r": read threads (after the unread ones); "a": all threads (when the
# admin's tally says nothing is unread, unread flags are still computed per row).
Segment = Literal["u", "r", "a"]
_CURSOR = re.compile(r"([ura])(\d{1,10})")


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
    segments: dict[str, Segment] = {"u": "u", "r": "r", "a": "a"}
    return segments[match.group(1)], int(match.group(2))


# --- the query ----------------------------------------------------------------------------------


def _day_start(day: date) -> datetime:
    return datetime.combine(day, time(0), TEAM_ZONE)


def _like_pattern(text: str) -> str:
    escaped = text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"


def _search(session: Session, text: str) -> Any:
    """A claim reference finds its claim; any other text, the threads with a message (internal
    notes included) that contains it. On PostgreSQL the match uses the full-text GIN index
    ``ix_messages_fts``, whose expression this must repeat exactly. A plain EXISTS (no OR) lets
    the planner either walk recent threads (common words) or start from the index (rare ones)."""
    if _REFERENCE.fullmatch(text):
        return col(Claim.reference) == text.upper()
    if session.get_bind().dialect.name == "postgresql":
        config: ColumnElement[Any] = literal_column(f"'{FTS_CONFIG}'")
        matched = func.to_tsvector(config, Message.content).op("@@")(
            func.plainto_tsquery(config, text)
        )
    else:
        matched = col(Message.content).ilike(_like_pattern(text), escape="\\")
    return (
        select_columns(literal_column("1"))
        .where(col(Message.claim_id) == ThreadSummary.claim_id, matched)
        .exists()
    )


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


def _segment_query(user: UserView, conditions: list[Any], segment: Segment) -> Any:
    owner, assignee = aliased(User), aliased(User)
    thread = ThreadSummary
    claimant_last = col(thread.last_claimant_message_id)
    pointer = func.coalesce(ThreadRead.last_read_message_id, 0)
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
            claimant_last > pointer,
        )
        .select_from(thread)
        .join(Claim, col(Claim.id) == thread.claim_id)
        .join(owner, col(owner.id) == Claim.owner_id)
        .outerjoin(assignee, col(assignee.id) == Claim.assigned_to_id)
        .outerjoin(
            ThreadRead,
            and_(col(ThreadRead.claim_id) == thread.claim_id, col(ThreadRead.user_id) == user.id),
        )
        .where(*conditions)
    )
    if segment == "u":
        return query.where(claimant_last > pointer)
    if segment == "r":
        return query.where(claimant_last <= pointer)
    return query


def _rows(session: Session, query: Any) -> list[InboxRow]:
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
            unread=bool(unread),
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
            unread,
        ) in session.connection().execute(query).all()
    ]


def _window_floor(session: Session, before_id: int) -> int | None:
    """The last message id just below the ``WINDOW`` newest threads under ``before_id``, or None
    when fewer threads remain."""
    query = select(ThreadSummary.last_message_id)
    if before_id:
        query = query.where(col(ThreadSummary.last_message_id) < before_id)
    return session.exec(
        query.order_by(col(ThreadSummary.last_message_id).desc()).offset(WINDOW).limit(1)
    ).first()


def _fetch(
    session: Session,
    user: UserView,
    filters: InboxFilters,
    segment: Segment,
    before_id: int,
    size: int,
) -> list[InboxRow]:
    """Up to ``size`` threads of the segment below ``before_id``, newest first."""
    last_id = col(ThreadSummary.last_message_id)
    query = _segment_query(user, _conditions(session, user, filters), segment)
    if before_id:
        query = query.where(last_id < before_id)
    floor = None if filters.q else _window_floor(session, before_id)
    if floor is None:  # few threads left, or a text search whose plan PostgreSQL weighs itself
        return _rows(session, query.order_by(last_id.desc()).limit(size))
    rows = _rows(session, query.where(last_id > floor).order_by(last_id.desc()).limit(size))
    if len(rows) < size:
        # "+ 0" keeps the planner from walking the index again: it filters, then sorts.
        rest = query.where(last_id <= floor).order_by((last_id + 0).desc())
        rows += _rows(session, rest.limit(size - len(rows)))
    return rows


def _nothing_unread(session: Session, user: UserView) -> bool:
    tally = session.get(UnreadTally, user.id)
    return tally is not None and tally.unread == 0


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
        if segment == "u" and not before_id and not checked.unread_only:
            segment = "a" if _nothing_unread(session, user) else "u"
        rows: list[InboxRow] = []
        if segment == "u":
            rows = _fetch(session, user, checked, "u", before_id, size + 1)
            if len(rows) > size:
                following = _encode("u", rows[size - 1].last_message_id)
                return InboxPage(tuple(rows[:size]), following, True)
            if checked.unread_only:
                return InboxPage(tuple(rows), None, False)
            segment, before_id = "r", 0
        wanted = size - len(rows)
        more = _fetch(session, user, checked, segment, before_id, wanted + 1)
    if len(more) <= wanted:
        return InboxPage(tuple(rows + more), None, False)
    # The read threads start on the next page when this one is full of unread ones.
    following = _encode(segment, more[wanted - 1].last_message_id if wanted else 0)
    return InboxPage(tuple(rows + more[:wanted]), following, True)


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
