"""Airline and route figures for the analytics page, and their CSV export.

One row per airline (or route) and currency, over the claims submitted in a period (days in
Paris, both ends included): claims, won, refused by the airline, acceptance rate (won among the
decided claims: won + refused), average days from submission to payment, amount obtained (the
compensation of the won claims), from each claim's outcome columns (services/claim_outcome.py).
All time, the figures are the tallies kept per airline and route (services/claim_tallies.py);
for a period, one aggregate query over the period's claims. The export streams its rows as they
come from the database.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, datetime
from enum import StrEnum
from typing import Any

from sqlalchemy import Float, Select, and_, case, cast, func, select
from sqlalchemy.sql.elements import ColumnElement
from sqlmodel import col

from indemnisation.db import session_scope
from indemnisation.domain.claim_status import ClaimStatus
from indemnisation.i18n import translate
from indemnisation.models import Claim, ClaimTally, Role
from indemnisation.services import claim_tallies
from indemnisation.services.authz import authorize
from indemnisation.services.errors import InvalidInput
from indemnisation.services.stats_sql import (
    EARLIEST_DAY,
    LATEST_DAY,
    SECONDS_PER_DAY,
    airline_code,
    day_start,
    route,
    seconds_between,
)
from indemnisation.services.views import UserView

MAX_LIMIT = 500
STREAM_BATCH = 500


class Table(StrEnum):
    AIRLINES = "airlines"
    ROUTES = "routes"


@dataclass(frozen=True)
class Period:
    start: date | None = None
    end: date | None = None  # included


@dataclass(frozen=True)
class Row:
    key: str  # airline designator or route
    currency: str
    claims: int
    won: int
    refused: int
    days_to_payment: float | None
    obtained: int

    @property
    def acceptance_rate(self) -> float | None:
        """Won among decided claims (0 to 1); None while none is decided."""
        decided = self.won + self.refused
        return self.won / decided if decided else None


def _day(value: Any, field: str) -> date | None:
    if value is None or value == "":
        return None
    if isinstance(value, str) and len(value) == 10 and value.isascii():
        try:
            value = date.fromisoformat(value)
        except ValueError:
            raise InvalidInput("error.analytics_filter_invalid", field=field) from None
    if (
        isinstance(value, date)
        and not isinstance(value, datetime)
        and EARLIEST_DAY <= value <= LATEST_DAY
    ):
        return value
    raise InvalidInput("error.analytics_filter_invalid", field=field)


def check_period(date_from: Any = None, date_to: Any = None) -> Period:
    """A period from untrusted values ("YYYY-MM-DD", a date, or empty for open ends)."""
    start, end = _day(date_from, "date_from"), _day(date_to, "date_to")
    if start and end and start > end:
        raise InvalidInput("error.analytics_dates_reversed", field="date_to")
    return Period(start, end)


def check_table(value: Any) -> Table:
    if isinstance(value, str) and value in {t.value for t in Table}:
        return Table(value)
    raise InvalidInput("error.analytics_filter_invalid", field="table")


def _limit(value: Any) -> int | None:
    if value is None:
        return None
    if isinstance(value, int) and not isinstance(value, bool) and 1 <= value <= MAX_LIMIT:
        return value
    raise InvalidInput("error.analytics_filter_invalid", field="limit")


def _key(table: Table) -> ColumnElement[str]:
    return airline_code() if table is Table.AIRLINES else route()


def _from_tallies(table: Table) -> Select[Any]:
    """All time: the tallies, one row per airline (or route) and currency, already summed."""
    tally = ClaimTally
    dimension = claim_tallies.AIRLINE if table is Table.AIRLINES else claim_tallies.ROUTE
    paid = col(tally.paid)
    days = case((paid > 0, cast(col(tally.paid_seconds), Float) / paid / SECONDS_PER_DAY))
    claims = col(tally.claims)
    return (
        select(
            col(tally.key),
            col(tally.currency),
            claims,
            col(tally.won),
            col(tally.refused),
            days,
            col(tally.obtained),
        )
        .where(col(tally.dimension) == dimension, col(tally.key) != "", claims > 0)
        .order_by(claims.desc(), col(tally.key), col(tally.currency))
    )


def _statement(table: Table, period: Period) -> Select[Any]:
    """The period's claims, one row each, summed per airline (or route) and currency."""
    if period.start is None and period.end is None:
        return _from_tallies(table)
    key = _key(table)
    submitted = col(Claim.submitted_at)
    won = col(Claim.won_at).is_not(None)
    refused = and_(col(Claim.airline_refused), col(Claim.won_at).is_(None))
    paid_at = col(Claim.paid_at)
    days = seconds_between(paid_at, submitted) / SECONDS_PER_DAY
    amount = col(Claim.amount_per_passenger) * col(Claim.passenger_count)
    conditions: list[ColumnElement[bool]] = [
        submitted.is_not(None),
        col(Claim.status) != ClaimStatus.DRAFT,
        key != "",
    ]
    if period.start is not None:
        conditions.append(submitted >= day_start(period.start))
    if period.end is not None:
        conditions.append(submitted < day_start(date.fromordinal(period.end.toordinal() + 1)))
    return (
        select(
            key.label("key"),
            col(Claim.currency),
            func.count(),
            func.count(case((won, 1))),
            func.count(case((refused, 1))),
            func.avg(case((paid_at.is_not(None), days))),
            func.sum(case((won, amount), else_=0)),
        )
        .where(*conditions)
        .group_by(key, col(Claim.currency))
        .order_by(func.count().desc(), key, col(Claim.currency))
    )


def _row(values: Any) -> Row:
    key, currency, claims, won, refused, days, obtained = values
    return Row(
        key=str(key),
        currency=str(currency),
        claims=int(claims),
        won=int(won),
        refused=int(refused),
        days_to_payment=float(days) if days is not None else None,
        obtained=int(obtained or 0),
    )


def table_rows(
    *,
    actor: UserView | None,
    table: Any,
    date_from: Any = None,
    date_to: Any = None,
    limit: Any = None,
) -> list[Row]:
    """The rows of ``table`` ("airlines" or "routes"), most claims first, at most ``limit``."""
    authorize(actor, Role.ADMIN)
    kind, period, most = check_table(table), check_period(date_from, date_to), _limit(limit)
    statement = _statement(kind, period)
    if most is not None:
        statement = statement.limit(most)
    with session_scope() as session:
        return [_row(values) for values in session.execute(statement)]


def _csv_line(values: list[object]) -> str:
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\r\n").writerow(values)
    return buffer.getvalue()


def _lines(table: Table, period: Period, locale: str) -> Iterator[str]:
    columns = [
        "key_" + table.value,
        "currency",
        "claims",
        "won",
        "refused",
        "rate",
        "days",
        "obtained",
    ]
    yield _csv_line([translate(locale, f"analytics.csv.{name}") for name in columns])
    statement = _statement(table, period).execution_options(yield_per=STREAM_BATCH)
    with session_scope() as session:
        for values in session.execute(statement):
            row = _row(values)
            rate = row.acceptance_rate
            days = row.days_to_payment
            yield _csv_line(
                [
                    row.key,
                    row.currency,
                    row.claims,
                    row.won,
                    row.refused,
                    "" if rate is None else f"{rate * 100:.1f}",
                    "" if days is None else f"{days:.1f}",
                    row.obtained,
                ]
            )


def export_csv(
    *,
    actor: UserView | None,
    table: Any,
    date_from: Any = None,
    date_to: Any = None,
    locale: str = "fr",
) -> Iterator[str]:
    """CSV lines of ``table`` for the period, streamed. Refuses at once (before the first line)
    when the actor is not an admin or a filter is wrong."""
    authorize(actor, Role.ADMIN)
    return _lines(check_table(table), check_period(date_from, date_to), locale)


def export_filename(*, table: Any, date_from: Any = None, date_to: Any = None) -> str:
    """``airlines-2026-01-01-2026-03-31.csv``; open ends are written "start" and "today"."""
    kind, period = check_table(table), check_period(date_from, date_to)
    start = period.start.isoformat() if period.start else "start"
    end = period.end.isoformat() if period.end else "today"
    return f"{kind.value}-{start}-{end}.csv"
