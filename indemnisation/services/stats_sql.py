"""SQL pieces shared by the admin dashboard and the analytics page, written once for SQLite and
PostgreSQL.

A claim's outcome is read from its status history (``claim_events``), since CLOSED says nothing
of how a claim ended:
- *won*: the airline accepted it (an event to ACCEPTED; PAID always comes after ACCEPTED);
- *paid*: the compensation was paid (an event to PAID);
- *refused*: the airline refused it (an event from SENT_TO_AIRLINE to REJECTED) and it was never
  won afterwards (a refused claim can be reopened and sent again).
A claim's amount is ``amount_per_passenger`` times its passengers (a submitted claim always has
at least one). Periods are days and weeks in Paris, where the team works.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from typing import Any, cast
from zoneinfo import ZoneInfo

from sqlalchemy import Float, and_, case, func, select
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.sql.compiler import SQLCompiler
from sqlalchemy.sql.elements import ColumnElement
from sqlalchemy.sql.functions import FunctionElement
from sqlalchemy.sql.selectable import Subquery
from sqlmodel import col

from indemnisation.domain.claim_status import ClaimStatus
from indemnisation.models import Claim, ClaimEvent, Passenger

TEAM_ZONE = ZoneInfo("Europe/Paris")
EARLIEST_DAY = date(2000, 1, 1)
LATEST_DAY = date(2100, 12, 31)
SECONDS_PER_DAY = 86400.0


class seconds_between(FunctionElement[float]):
    """``later - earlier`` in seconds, as a float, on either database."""

    type = Float()
    name = "seconds_between"
    inherit_cache = True


@compiles(seconds_between)
def _seconds_postgresql(element: seconds_between, compiler: SQLCompiler, **kw: Any) -> str:
    later, earlier = (compiler.process(arg, **kw) for arg in element.clauses)
    return f"EXTRACT(EPOCH FROM ({later} - {earlier}))"


@compiles(seconds_between, "sqlite")
def _seconds_sqlite(element: seconds_between, compiler: SQLCompiler, **kw: Any) -> str:
    later, earlier = (compiler.process(arg, **kw) for arg in element.clauses)
    return f"((julianday({later}) - julianday({earlier})) * 86400.0)"


def day_start(day: date) -> datetime:
    """Midnight in Paris at the start of ``day``, in UTC."""
    return datetime.combine(day, time(0), TEAM_ZONE).astimezone(UTC)


def local_today(now: datetime) -> date:
    return now.astimezone(TEAM_ZONE).date()


def week_start(day: date) -> date:
    """The Monday of ``day``'s week."""
    return day - timedelta(days=day.weekday())


def airline_code() -> ColumnElement[str]:
    """The airline of a claim: the IATA designator of its first flight (``AF6 KL1234`` → AF)."""
    return func.substr(col(Claim.flight_numbers), 1, 2)


def route() -> ColumnElement[str]:
    """The route of a claim, "CDG-JFK" (first departure to final arrival)."""
    return cast(ColumnElement[str], col(Claim.route))


def passenger_count(claim_id: Any) -> ColumnElement[int]:
    """The passengers of the claim ``claim_id`` (a correlated subquery: one index probe)."""
    return (
        select(func.count())
        .where(col(Passenger.claim_id) == claim_id)
        .correlate_except(Passenger)
        .scalar_subquery()
    )


def outcomes() -> Subquery:
    """One row per claim that reached ACCEPTED, PAID or REJECTED: won, paid, refused (0/1) and
    the moment of its first payment."""
    event = ClaimEvent
    to_status = col(event.to_status)
    won = func.max(case((to_status == ClaimStatus.ACCEPTED.value, 1), else_=0))
    refused = func.max(
        case(
            (
                and_(
                    to_status == ClaimStatus.REJECTED.value,
                    col(event.from_status) == ClaimStatus.SENT_TO_AIRLINE.value,
                ),
                1,
            ),
            else_=0,
        )
    )
    paid = func.max(case((to_status == ClaimStatus.PAID.value, 1), else_=0))
    paid_at = func.min(case((to_status == ClaimStatus.PAID.value, col(event.created_at))))
    return (
        select(
            col(event.claim_id).label("claim_id"),
            won.label("won"),
            refused.label("refused"),
            paid.label("paid"),
            paid_at.label("paid_at"),
        )
        .where(
            to_status.in_(
                [ClaimStatus.ACCEPTED.value, ClaimStatus.PAID.value, ClaimStatus.REJECTED.value]
            )
        )
        .group_by(col(event.claim_id))
        .subquery("outcomes")
    )
