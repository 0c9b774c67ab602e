"""SQL pieces shared by the admin dashboard and the analytics page, written once for SQLite and
PostgreSQL.

A claim's outcome (won, paid, refused by the airline) is kept on the claim from its status
history by services/claim_outcome.py, since CLOSED says nothing of how a claim ended; a refused
claim that was won later counts as won. A claim's amount is ``amount_per_passenger`` times
``passenger_count``. Periods are days and weeks in Paris, where the team works.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from typing import Any, cast
from zoneinfo import ZoneInfo

from sqlalchemy import Float, func
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.sql.compiler import SQLCompiler
from sqlalchemy.sql.elements import ColumnElement
from sqlalchemy.sql.functions import FunctionElement
from sqlmodel import col

from indemnisation.models import Claim

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
