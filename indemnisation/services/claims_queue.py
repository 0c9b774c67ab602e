"""The claims queue: every submitted claim in one table, filtered, searched, sorted, paged.

Filters arrive as untrusted values and are checked by ``check_filters`` (InvalidInput names the
field). Pages are keyset pages on the chosen sort with the claim id as tie-breaker, so paging never
skips nor repeats a claim, however many there are; the opaque cursor names the sort it belongs to.
One page is two steps in one statement: the ids of the page (filters and sort read ``claims``,
and an EXISTS probe for unread threads), then their details (owner, assignee, thread) for those
rows only.

- "Amount" is the compensation per passenger (``amount_per_passenger``); the claim's total is that
  times ``passenger_count``.
- "Unread" is the inbox's: the claimant wrote after this admin's read pointer on the thread.
- "Missing documents": no boarding pass (other than a rejected one), or a rejected document that
  no later upload of the same kind (or a requested document) replaced (``documents_missing``,
  kept on the claim by services/claim_outcome.py).
"""

from __future__ import annotations

import base64
import binascii
import json
import re
from collections.abc import Sequence
from dataclasses import dataclass, fields
from datetime import UTC, date, datetime, time, timedelta
from enum import StrEnum
from functools import cache
from typing import Any, Literal, cast

import airportsdata
from sqlalchemy import ColumnElement, Select, and_, case, false, func, literal, tuple_
from sqlalchemy import select as select_columns
from sqlalchemy.orm import aliased
from sqlmodel import col

from indemnisation.db import session_scope
from indemnisation.domain.claim_status import ClaimStatus
from indemnisation.models import (
    Claim,
    Role,
    ThreadRead,
    ThreadSummary,
    User,
)
from indemnisation.services import claim_assignment
from indemnisation.services.authz import authorize
from indemnisation.services.claims import MAX_ID
from indemnisation.services.errors import InvalidInput
from indemnisation.services.stats_sql import TEAM_ZONE, airline_code
from indemnisation.services.views import UserView

MAX_LIMIT = 100
MAX_QUERY = 100
MAX_AMOUNT = 100_000
EARLIEST_DAY = date(2000, 1, 1)
LATEST_DAY = date(2100, 12, 31)
NO_FLIGHT_DATE = date(1900, 1, 1)
"""Where a claim without a flight date sorts (first ascending, last descending)."""
STATUSES = tuple(s for s in ClaimStatus if s is not ClaimStatus.DRAFT)

_REFERENCE = re.compile(r"IND-\d{4}-\d{1,10}", re.IGNORECASE)
_FLIGHT = re.compile(r"([A-Z0-9]{2})\s?0*(\d{1,4}[A-Z]?)", re.IGNORECASE)
_AIRLINE = re.compile(r"[A-Z0-9]{2}")
_COUNTRY = re.compile(r"[A-Z]{2}")


class Sort(StrEnum):
    SUBMITTED = "submitted"
    FLIGHT = "flight"
    AMOUNT = "amount"
    STATUS = "status"


DateField = Literal["submitted", "flight"]


@dataclass(frozen=True)
class QueueFilters:
    """What the admin asked to see; None / "" / False means any. ``assigned`` is an admin's id,
    ``"me"`` or ``"none"``; the date range applies to ``date_field``; amounts are per passenger."""

    status: ClaimStatus | None = None
    airline: str = ""
    country: str = ""
    date_field: DateField = "submitted"
    date_from: date | None = None
    date_to: date | None = None
    amount_min: int | None = None
    amount_max: int | None = None
    assigned: int | Literal["me", "none"] | None = None
    unread_only: bool = False
    missing_documents: bool = False
    q: str = ""


@dataclass(frozen=True)
class QueueOrder:
    sort: Sort = Sort.SUBMITTED
    descending: bool = True


@dataclass(frozen=True)
class QueueRow:
    claim_id: int
    reference: str
    status: ClaimStatus
    claimant_name: str
    claimant_email: str
    flight_numbers: str
    route: str
    flight_date: date | None
    amount_per_passenger: int
    passengers: int
    currency: str
    assigned_to_id: int | None
    assigned_name: str | None
    submitted_at: datetime | None
    last_message_at: datetime | None
    unread: bool


@dataclass(frozen=True)
class QueuePage:
    rows: tuple[QueueRow, ...]
    next_cursor: str | None


# --- validation of what the client sent -----------------------------------------------------


def _invalid(field: str) -> InvalidInput:
    return InvalidInput("error.queue_filter_invalid", field=field)


def _is_int(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _digits(value: Any, size: int) -> Any:
    """A string of digits from a page becomes an int; anything else is returned as it is."""
    if isinstance(value, str) and value.isascii() and value.isdigit() and len(value) <= size:
        return int(value)
    return value


def _status(value: Any) -> ClaimStatus | None:
    if value is None or value == "":
        return None
    if isinstance(value, str) and value in ClaimStatus.__members__:
        status = ClaimStatus(value)
        if status is not ClaimStatus.DRAFT:
            return status
    raise _invalid("status")


def _code(value: Any, pattern: re.Pattern[str], field: str) -> str:
    if value is None or value == "":
        return ""
    if isinstance(value, str) and pattern.fullmatch(value.strip().upper()):
        return value.strip().upper()
    raise _invalid(field)


def _assigned(value: Any) -> int | Literal["me", "none"] | None:
    if value is None or value == "":
        return None
    if value in ("me", "none"):
        return "me" if value == "me" else "none"
    value = _digits(value, 10)
    if _is_int(value) and 0 < value < MAX_ID:
        return int(value)
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


def _amount(value: Any, field: str) -> int | None:
    if value is None or value == "":
        return None
    value = _digits(value, 6)
    if _is_int(value) and 0 <= value <= MAX_AMOUNT:
        return int(value)
    raise _invalid(field)


def _query(value: Any) -> str:
    if value is None:
        return ""
    if not isinstance(value, str) or len(value) > 4 * MAX_QUERY:
        raise _invalid("q")
    text = " ".join(value.split())
    if len(text) > MAX_QUERY:
        raise InvalidInput("error.queue_query_too_long", field="q", max=MAX_QUERY)
    return text


def _flag(value: Any, field: str) -> bool:
    if isinstance(value, bool):
        return value
    raise _invalid(field)


def check_filters(
    *,
    status: Any = None,
    airline: Any = "",
    country: Any = "",
    date_field: Any = "submitted",
    date_from: Any = None,
    date_to: Any = None,
    amount_min: Any = None,
    amount_max: Any = None,
    assigned: Any = None,
    unread_only: Any = False,
    missing_documents: Any = False,
    q: Any = "",
) -> QueueFilters:
    """Filters from untrusted values (strings from a page, or already typed)."""
    if date_field not in ("submitted", "flight"):
        raise _invalid("date_field")
    start, end = _day(date_from, "date_from"), _day(date_to, "date_to")
    if start and end and start > end:
        raise InvalidInput("error.queue_dates_reversed", field="date_to")
    low, high = _amount(amount_min, "amount_min"), _amount(amount_max, "amount_max")
    if low is not None and high is not None and low > high:
        raise InvalidInput("error.queue_amounts_reversed", field="amount_max")
    return QueueFilters(
        status=_status(status),
        airline=_code(airline, _AIRLINE, "airline"),
        country=_code(country, _COUNTRY, "country"),
        date_field="flight" if date_field == "flight" else "submitted",
        date_from=start,
        date_to=end,
        amount_min=low,
        amount_max=high,
        assigned=_assigned(assigned),
        unread_only=_flag(unread_only, "unread_only"),
        missing_documents=_flag(missing_documents, "missing_documents"),
        q=_query(q),
    )


def recheck(filters: Any) -> QueueFilters:
    """A QueueFilters checked again (its fields may have been built from anything)."""
    if not isinstance(filters, QueueFilters):
        raise _invalid("filters")
    return check_filters(**{f.name: getattr(filters, f.name) for f in fields(QueueFilters)})


def check_order(sort: Any = Sort.SUBMITTED.value, descending: Any = True) -> QueueOrder:
    if not isinstance(sort, str) or sort not in {s.value for s in Sort}:
        raise _invalid("sort")
    return QueueOrder(Sort(sort), _flag(descending, "descending"))


def _limit(value: Any) -> int:
    if _is_int(value) and 1 <= value <= MAX_LIMIT:
        return int(value)
    raise _invalid("limit")


# --- countries ----------------------------------------------------------------------------------


@cache
def _airports_by_country() -> dict[str, tuple[str, ...]]:
    found: dict[str, list[str]] = {}
    for code, row in airportsdata.load("IATA").items():
        found.setdefault(row["country"], []).append(code)
    return {country: tuple(sorted(codes)) for country, codes in found.items()}


def departure_countries() -> tuple[str, ...]:
    """ISO codes of the countries with an airport, for the filter's choices."""
    return tuple(sorted(_airports_by_country()))


# --- cursors ------------------------------------------------------------------------------------


def _key_value(order: QueueOrder, row: QueueRow) -> str | int:
    if order.sort is Sort.SUBMITTED:
        assert row.submitted_at is not None
        return row.submitted_at.astimezone(UTC).isoformat()
    if order.sort is Sort.FLIGHT:
        return (row.flight_date or NO_FLIGHT_DATE).isoformat()
    if order.sort is Sort.AMOUNT:
        return row.amount_per_passenger
    return STATUSES.index(row.status)


def _encode(order: QueueOrder, row: QueueRow) -> str:
    body = [order.sort.value, order.descending, _key_value(order, row), row.claim_id]
    raw = json.dumps(body, separators=(",", ":")).encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def _cursor_key(order: QueueOrder, value: Any) -> Any:
    """The typed sort key of a cursor, or None when it cannot belong to this sort."""
    if order.sort is Sort.SUBMITTED and isinstance(value, str) and len(value) <= 40:
        try:
            moment = datetime.fromisoformat(value)
        except ValueError:
            return None
        return moment if moment.tzinfo is not None else None
    if order.sort is Sort.FLIGHT and isinstance(value, str) and len(value) == 10:
        try:
            return date.fromisoformat(value)
        except ValueError:
            return None
    if order.sort is Sort.AMOUNT and _is_int(value) and 0 <= value <= 10 * MAX_AMOUNT:
        return value
    if order.sort is Sort.STATUS and _is_int(value) and 0 <= value < len(STATUSES):
        return value
    return None


def _decode(cursor: Any, order: QueueOrder) -> tuple[Any, int] | None:
    """(sort key, claim id) after which the page starts, or None for the first page."""
    if cursor is None or cursor == "":
        return None
    failure = InvalidInput("error.queue_cursor_invalid")
    if not isinstance(cursor, str) or len(cursor) > 120 or not cursor.isascii():
        raise failure
    try:
        body = json.loads(base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)))
    except (binascii.Error, ValueError):
        raise failure from None
    if not isinstance(body, list) or len(body) != 4:
        raise failure
    sort, descending, value, claim_id = body
    if sort != order.sort.value or descending is not order.descending:
        raise failure
    key = _cursor_key(order, value)
    if key is None or not _is_int(claim_id) or not 0 < claim_id < MAX_ID:
        raise failure
    return key, claim_id


# --- the query ----------------------------------------------------------------------------------


def _day_start(day: date) -> datetime:
    return datetime.combine(day, time(0), TEAM_ZONE)


def _like(text: str) -> str:
    escaped = text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"


def _search(text: str) -> ColumnElement[bool]:
    """A reference finds its claim, an email its owner's claims, a flight number (AF6, AF 0006)
    the claims with that flight, any other text the claims whose owner's name contains it."""
    if _REFERENCE.fullmatch(text):
        return col(Claim.reference) == text.upper()
    if "@" in text:
        owners = select_columns(col(User.id)).where(col(User.email) == text.lower())
        return col(Claim.owner_id).in_(owners)
    flight = _FLIGHT.fullmatch(text)
    if flight is not None:
        number = (flight.group(1) + flight.group(2)).upper()
        spaced = literal(" ") + col(Claim.flight_numbers) + literal(" ")
        return spaced.like(f"% {number} %")
    names = select_columns(col(User.id)).where(col(User.full_name).ilike(_like(text), escape="\\"))
    return col(Claim.owner_id).in_(names)


def unread_condition(user_id: int) -> ColumnElement[bool]:
    """The claimant wrote after this admin's read pointer on the claim's thread."""
    pointer = (
        select_columns(col(ThreadRead.last_read_message_id))
        .where(col(ThreadRead.claim_id) == Claim.id, col(ThreadRead.user_id) == user_id)
        .correlate(Claim)
        .scalar_subquery()
    )
    return (
        select_columns(literal(1))
        .where(
            col(ThreadSummary.claim_id) == Claim.id,
            col(ThreadSummary.last_claimant_message_id) > func.coalesce(pointer, 0),
        )
        .correlate(Claim)
        .exists()
    )


def conditions(user: UserView, filters: QueueFilters) -> list[ColumnElement[bool]]:
    """The WHERE clauses on ``claims`` for these (checked) filters; drafts are never listed."""
    found: list[ColumnElement[bool]] = [col(Claim.status) != ClaimStatus.DRAFT]
    if filters.status is not None:
        found.append(col(Claim.status) == filters.status)
    if filters.airline:
        found.append(airline_code() == filters.airline)
    if filters.country:
        codes = _airports_by_country().get(filters.country, ())
        departure = func.substr(col(Claim.route), 1, 3)
        found.append(departure.in_(codes) if codes else false())
    if filters.date_field == "flight":
        if filters.date_from is not None:
            found.append(col(Claim.flight_date) >= filters.date_from)
        if filters.date_to is not None:
            found.append(col(Claim.flight_date) <= filters.date_to)
    else:
        if filters.date_from is not None:
            found.append(col(Claim.submitted_at) >= _day_start(filters.date_from))
        if filters.date_to is not None:
            end = _day_start(filters.date_to + timedelta(days=1))
            found.append(col(Claim.submitted_at) < end)
    if filters.amount_min is not None:
        found.append(col(Claim.amount_per_passenger) >= filters.amount_min)
    if filters.amount_max is not None:
        found.append(col(Claim.amount_per_passenger) <= filters.amount_max)
    if filters.assigned == "none":
        found.append(col(Claim.assigned_to_id).is_(None))
    elif filters.assigned is not None:
        assignee = user.id if filters.assigned == "me" else filters.assigned
        found.append(col(Claim.assigned_to_id) == assignee)
    if filters.unread_only:
        found.append(unread_condition(user.id))
    if filters.missing_documents:
        found.append(col(Claim.documents_missing).is_(True))
    if filters.q:
        found.append(_search(filters.q))
    return found


def sort_key(sort: Sort) -> ColumnElement[Any]:
    if sort is Sort.SUBMITTED:
        return cast(ColumnElement[Any], col(Claim.submitted_at))
    if sort is Sort.FLIGHT:
        return func.coalesce(col(Claim.flight_date), NO_FLIGHT_DATE)
    if sort is Sort.AMOUNT:
        return cast(ColumnElement[Any], col(Claim.amount_per_passenger))
    ranks = {status.value: rank for rank, status in enumerate(STATUSES)}
    return case(ranks, value=col(Claim.status), else_=-1)


def _ordering(columns: list[Any], descending: bool) -> list[Any]:
    return [c.desc() if descending else c.asc() for c in columns]


def ordered_ids(
    user: UserView, filters: QueueFilters, order: QueueOrder, after: tuple[Any, int] | None = None
) -> Select[Any]:
    """Ids of the matching claims in the queue's order, starting after ``after``."""
    key = sort_key(order.sort)
    query = select_columns(col(Claim.id).label("claim_id"), key.label("sort_key")).where(
        *conditions(user, filters)
    )
    if after is not None:
        there = tuple_(literal(after[0], key.type), literal(after[1]))
        here = tuple_(key, col(Claim.id))
        query = query.where(here < there if order.descending else here > there)
    return query.order_by(*_ordering([key, col(Claim.id)], order.descending))


def detailed(user: UserView, ids: Any, order: QueueOrder) -> Select[Any]:
    """The columns of each claim of the subquery ``ids`` (``claim_id``, ``sort_key``), in order."""
    owner, assignee = aliased(User), aliased(User)
    pointer = func.coalesce(col(ThreadRead.last_read_message_id), 0)
    columns: list[Any] = [
        col(Claim.id),
        col(Claim.reference),
        col(Claim.status),
        col(owner.full_name),
        col(owner.email),
        col(Claim.flight_numbers),
        col(Claim.route),
        col(Claim.flight_date),
        col(Claim.amount_per_passenger),
        col(Claim.passenger_count),
        col(Claim.currency),
        col(Claim.assigned_to_id),
        col(assignee.full_name),
        col(Claim.submitted_at),
        col(ThreadSummary.last_message_at),
        func.coalesce(col(ThreadSummary.last_claimant_message_id), 0) > pointer,
    ]
    return (
        select_columns(*columns)
        .select_from(ids)
        .join(Claim, col(Claim.id) == ids.c.claim_id)
        .join(owner, col(owner.id) == Claim.owner_id)
        .outerjoin(assignee, col(assignee.id) == Claim.assigned_to_id)
        .outerjoin(ThreadSummary, col(ThreadSummary.claim_id) == Claim.id)
        .outerjoin(
            ThreadRead,
            and_(col(ThreadRead.claim_id) == Claim.id, col(ThreadRead.user_id) == user.id),
        )
        .order_by(*_ordering([ids.c.sort_key, ids.c.claim_id], order.descending))
    )


def to_row(values: Sequence[Any]) -> QueueRow:
    return QueueRow(
        claim_id=values[0],
        reference=values[1] or "",
        status=ClaimStatus(values[2]),
        claimant_name=values[3],
        claimant_email=values[4],
        flight_numbers=values[5],
        route=values[6],
        flight_date=values[7],
        amount_per_passenger=values[8],
        passengers=int(values[9] or 0),
        currency=values[10],
        assigned_to_id=values[11],
        assigned_name=values[12],
        submitted_at=values[13],
        last_message_at=values[14],
        unread=bool(values[15]),
    )


def list_queue(
    *,
    actor: UserView | None,
    filters: QueueFilters,
    order: QueueOrder | None = None,
    cursor: str | None = None,
    limit: int = 25,
) -> QueuePage:
    """One page of the queue; pass ``next_cursor`` back (with the same order) for the next."""
    user = authorize(actor, Role.ADMIN)
    checked = recheck(filters)
    chosen = order if order is not None else QueueOrder()
    if not isinstance(chosen, QueueOrder):
        raise _invalid("sort")
    chosen = check_order(chosen.sort, chosen.descending)
    size = _limit(limit)
    after = _decode(cursor, chosen)
    ids = ordered_ids(user, checked, chosen, after).limit(size + 1).subquery("page")
    with session_scope() as session:
        rows = [to_row(values) for values in session.execute(detailed(user, ids, chosen))]
    if len(rows) <= size:
        return QueuePage(tuple(rows), None)
    return QueuePage(tuple(rows[:size]), _encode(chosen, rows[size - 1]))


def count_queue(*, actor: UserView | None, filters: QueueFilters) -> int:
    """How many claims match (the export announces it before it starts)."""
    user = authorize(actor, Role.ADMIN)
    checked = recheck(filters)
    query = select_columns(func.count()).select_from(Claim).where(*conditions(user, checked))
    with session_scope() as session:
        return int(session.execute(query).scalar_one())


def bulk_assign(
    *, actor: UserView | None, claim_ids: Any, assignee: Any, ip: str = ""
) -> claim_assignment.Assigned:
    """Give the selected claims to one admin (``assignee``: an admin's id, ``"me"``, or
    ``"none"`` to take them back), all or nothing, through the assignment service (which
    refuses anything else and audits the refusal)."""
    user = authorize(actor, Role.ADMIN)
    target: Any = _digits(assignee, 10)
    if assignee == "me":
        target = user.id
    elif assignee == "none":
        target = None
    return claim_assignment.bulk_assign(actor=user, claim_ids=claim_ids, assignee_id=target, ip=ip)
