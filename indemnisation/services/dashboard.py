"""Figures of the admin dashboard, from aggregate queries (Python only adds up a few sums).

- New claims: claims submitted today / since Monday (Paris time).
- Claims by status: every claim but drafts.
- Waiting threads: threads whose last public message is the claimant's (``waiting_since``).
- First reply: average time from submission to the team's first public message, over claims
  submitted in the last ``FIRST_REPLY_DAYS`` days that have one.
- Compensation per currency: *claimed* over every submitted claim not withdrawn, *obtained* over
  claims the airline accepted, *paid* over claims whose compensation was paid, read from the
  tallies of services/claim_tallies.py (a currency with nothing in any of them is left out).
- Claims per week over the last ``WEEKS`` weeks (the current one included), and the top
  airlines and routes of those weeks.

``headline`` holds the cheap figures the page shows first, ``details`` those that read the
history of many claims (the page loads them next).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from itertools import pairwise
from typing import Any

from sqlalchemy import and_, case, func, select
from sqlalchemy.orm import Session
from sqlalchemy.sql.elements import ColumnElement
from sqlmodel import col

from indemnisation.db import session_scope
from indemnisation.domain.claim_status import ClaimStatus
from indemnisation.models import Claim, ClaimTally, Message, Role
from indemnisation.models.message import ThreadSummary
from indemnisation.models.types import utcnow
from indemnisation.services import claim_tallies
from indemnisation.services.authz import authorize
from indemnisation.services.stats_sql import (
    airline_code,
    day_start,
    local_today,
    route,
    seconds_between,
    week_start,
)
from indemnisation.services.views import UserView

WEEKS = 12
TOP = 8
FIRST_REPLY_DAYS = 30
S = ClaimStatus


@dataclass(frozen=True)
class Money:
    currency: str
    claimed: int
    obtained: int
    paid: int


@dataclass(frozen=True)
class Count:
    label: str
    count: int


@dataclass(frozen=True)
class Headline:
    """What the dashboard shows first: cheap, index-backed figures."""

    new_today: int
    new_this_week: int
    by_status: list[tuple[ClaimStatus, int]]  # in the order of ClaimStatus, drafts left out
    waiting_threads: int
    oldest_wait: datetime | None
    weeks: list[tuple[date, int]]  # Monday of each week, oldest first


@dataclass(frozen=True)
class Details:
    """What the dashboard shows next: figures that read the history of many claims."""

    first_reply_seconds: float | None
    first_reply_claims: int
    money: list[Money]  # one per currency, most claimed first
    top_airlines: list[Count]
    top_routes: list[Count]


def _by_status(session: Session) -> list[tuple[ClaimStatus, int]]:
    rows = session.execute(select(col(Claim.status), func.count()).group_by(col(Claim.status)))
    found = {row[0]: int(row[1]) for row in rows}
    return [(status, found.get(status, 0)) for status in S if status is not S.DRAFT]


def _activity(session: Session, now: datetime) -> tuple[int, int, list[tuple[date, int]]]:
    today = local_today(now)
    mondays = [week_start(today) - timedelta(weeks=n) for n in range(WEEKS - 1, -1, -1)]
    submitted = col(Claim.submitted_at)
    bounds = [day_start(monday) for monday in mondays] + [now + timedelta(days=1)]
    columns: list[Any] = [
        func.count(case((submitted >= day_start(today), 1))),
        func.count(case((submitted >= bounds[-2], 1))),
    ]
    columns += [
        func.count(case((and_(submitted >= start, submitted < end), 1)))
        for start, end in pairwise(bounds)
    ]
    row = session.execute(select(*columns).where(submitted >= bounds[0])).one()
    return row[0], row[1], list(zip(mondays, row[2:], strict=True))


def _money(session: Session) -> list[Money]:
    """Sums per currency of the airline tallies (every submitted claim counts in one of them)."""
    tally = ClaimTally
    rows = session.execute(
        select(
            col(tally.currency),
            func.sum(col(tally.claimed)),
            func.sum(col(tally.obtained)),
            func.sum(col(tally.paid_amount)),
        )
        .where(col(tally.dimension) == claim_tallies.AIRLINE)
        .group_by(col(tally.currency))
    ).all()
    money = [
        Money(currency, int(claimed or 0), int(obtained or 0), int(paid or 0))
        for currency, claimed, obtained, paid in rows
        if claimed or obtained or paid
    ]
    return sorted(money, key=lambda m: (-m.claimed, m.currency))


def _waiting(session: Session) -> tuple[int, datetime | None]:
    since = col(ThreadSummary.waiting_since)
    count, oldest = session.execute(
        select(func.count(), func.min(since)).where(since.is_not(None))
    ).one()
    return int(count), oldest


def _first_reply(session: Session, now: datetime) -> tuple[float | None, int]:
    """Messages exist only on submitted claims and their ids grow with time, so the first team
    message is the lowest id (one index probe) and one row read for its time."""
    first_id = (
        select(func.min(col(Message.id)))
        .where(
            col(Message.from_team).is_(True),
            col(Message.internal).is_(False),
            col(Message.claim_id) == col(Claim.id),
        )
        .correlate(Claim)
        .scalar_subquery()
    )
    first_at = select(col(Message.created_at)).where(col(Message.id) == first_id).scalar_subquery()
    submitted = col(Claim.submitted_at)
    # OFFSET 0 keeps PostgreSQL from merging the subquery into the outer one, where it would
    # look each first reply up twice (once for the average, once for the count).
    waits = (
        select(seconds_between(first_at, submitted).label("wait"))
        .where(submitted >= now - timedelta(days=FIRST_REPLY_DAYS))
        .offset(0)
        .subquery()
    )
    average, replied = session.execute(
        select(func.avg(waits.c.wait), func.count(waits.c.wait))
    ).one()
    return (float(average) if average is not None else None), int(replied)


def _top(session: Session, label: ColumnElement[str], since: datetime) -> list[Count]:
    rows = session.execute(
        select(label, func.count())
        .where(col(Claim.submitted_at) >= since, label != "")
        .group_by(label)
        .order_by(func.count().desc(), label)
        .limit(TOP)
    ).all()
    return [Count(str(row[0]), int(row[1])) for row in rows]


def headline(*, actor: UserView | None, now: datetime | None = None) -> Headline:
    authorize(actor, Role.ADMIN)
    moment = now or utcnow()
    with session_scope() as session:
        new_today, new_week, weeks = _activity(session, moment)
        waiting, oldest = _waiting(session)
        return Headline(
            new_today=new_today,
            new_this_week=new_week,
            by_status=_by_status(session),
            waiting_threads=waiting,
            oldest_wait=oldest,
            weeks=weeks,
        )


def details(*, actor: UserView | None, now: datetime | None = None) -> Details:
    authorize(actor, Role.ADMIN)
    moment = now or utcnow()
    since = day_start(week_start(local_today(moment)) - timedelta(weeks=WEEKS - 1))
    with session_scope() as session:
        first_reply, replied = _first_reply(session, moment)
        return Details(
            first_reply_seconds=first_reply,
            first_reply_claims=replied,
            money=_money(session),
            top_airlines=_top(session, airline_code(), since),
            top_routes=_top(session, route(), since),
        )
