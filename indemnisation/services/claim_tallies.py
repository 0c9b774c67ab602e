"""The all-time tallies per airline and per route (models/tally.py), kept in step with the claims.

A claim's share of the tallies is a function of its own columns (status, submission, flights,
route, currency, amount, and the outcome columns of services/claim_outcome.py). Whenever the ORM
writes a claim (insert, update, delete), the share it had in the database before is taken away
and its new share added, on the same connection, in the same transaction: whichever service
changes a claim, the tallies follow. Writes that bypass the ORM (bulk ``update(Claim)``
statements, the synthetic loader's COPY) must call ``rebuild`` afterwards.

Tally rows are locked in one order (dimension, key, currency), after the claim's own row, so two
transactions changing claims of the same airline wait for each other instead of deadlocking.
"""

from __future__ import annotations

from dataclasses import astuple, dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import BigInteger, Integer, and_, case, cast, delete, event, func, literal, select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.engine import Connection
from sqlalchemy.orm import Mapper
from sqlalchemy.orm.base import NO_VALUE
from sqlalchemy.sql.elements import ColumnElement
from sqlmodel import inspect

from indemnisation.domain.claim_status import ClaimStatus
from indemnisation.models import Claim, ClaimTally

AIRLINE = "airline"
ROUTE = "route"
DIMENSIONS = (AIRLINE, ROUTE)
MEASURES = (
    "claims",
    "won",
    "refused",
    "paid",
    "paid_seconds",
    "claimed",
    "obtained",
    "paid_amount",
)
INPUTS = (
    "status",
    "submitted_at",
    "flight_numbers",
    "route",
    "currency",
    "amount_per_passenger",
    "passenger_count",
    "won_at",
    "paid_at",
    "airline_refused",
)
_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
_PENDING = "claim_tallies.pending"

Key = tuple[str, str, str]


@dataclass(frozen=True)
class Share:
    claims: int = 0
    won: int = 0
    refused: int = 0
    paid: int = 0
    paid_seconds: int = 0
    claimed: int = 0
    obtained: int = 0
    paid_amount: int = 0


def _whole_seconds(moment: datetime) -> int:
    return (moment - _EPOCH) // timedelta(seconds=1)


def share(values: dict[str, Any]) -> dict[Key, Share]:
    """The share of a claim whose columns ``INPUTS`` hold ``values``: nothing for a draft."""
    status, submitted = values["status"], values["submitted_at"]
    if submitted is None or ClaimStatus(status) is ClaimStatus.DRAFT:
        return {}
    amount = int(values["amount_per_passenger"]) * int(values["passenger_count"])
    won, paid_at = values["won_at"] is not None, values["paid_at"]
    figures = Share(
        claims=1,
        won=int(won),
        refused=int(bool(values["airline_refused"]) and not won),
        paid=int(paid_at is not None),
        paid_seconds=_whole_seconds(paid_at) - _whole_seconds(submitted) if paid_at else 0,
        claimed=0 if ClaimStatus(status) is ClaimStatus.WITHDRAWN else amount,
        obtained=amount if won else 0,
        paid_amount=amount if paid_at is not None else 0,
    )
    currency = str(values["currency"])
    return {
        (AIRLINE, str(values["flight_numbers"])[:2], currency): figures,
        (ROUTE, str(values["route"]), currency): figures,
    }


def _difference(before: dict[Key, Share], after: dict[Key, Share]) -> dict[Key, tuple[int, ...]]:
    changes: dict[Key, tuple[int, ...]] = {}
    for key in sorted(set(before) | set(after)):
        old, new = astuple(before.get(key, Share())), astuple(after.get(key, Share()))
        delta = tuple(n - o for n, o in zip(new, old, strict=True))
        if any(delta):
            changes[key] = delta
    return changes


def _stored(connection: Connection, claim_id: Any) -> dict[str, Any]:
    table = Claim.__table__  # type: ignore[attr-defined]
    row = connection.execute(
        select(*(table.c[name] for name in INPUTS)).where(table.c.id == claim_id)
    ).one()
    return dict(zip(INPUTS, row, strict=True))


def _current(target: Claim, stored: dict[str, Any]) -> dict[str, Any]:
    loaded = inspect(target).dict
    return {name: loaded.get(name, stored.get(name)) for name in INPUTS}


def _apply(connection: Connection, changes: dict[Key, tuple[int, ...]]) -> None:
    table = ClaimTally.__table__  # type: ignore[attr-defined]
    insert = postgresql.insert if connection.dialect.name == "postgresql" else sqlite.insert
    for (dimension, key, currency), delta in sorted(changes.items()):
        values = dict(zip(MEASURES, delta, strict=True))
        statement = insert(table).values(dimension=dimension, key=key, currency=currency, **values)
        statement = statement.on_conflict_do_update(
            index_elements=["dimension", "key", "currency"],
            set_={name: table.c[name] + statement.excluded[name] for name in MEASURES},
        )
        connection.execute(statement)


def _changed(target: Claim) -> bool:
    attributes = inspect(target).attrs
    return any(attributes[name].history.has_changes() for name in INPUTS)


def _remember(target: Claim, changes: dict[Key, tuple[int, ...]]) -> None:
    if changes:
        inspect(target).info[_PENDING] = changes


def _before_insert(_mapper: Mapper[Any], _connection: Connection, target: Claim) -> None:
    values = {name: inspect(target).dict.get(name, NO_VALUE) for name in INPUTS}
    if NO_VALUE not in values.values():
        _remember(target, _difference({}, share(values)))


def _before_update(_mapper: Mapper[Any], connection: Connection, target: Claim) -> None:
    if _changed(target):
        stored = _stored(connection, target.id)
        _remember(target, _difference(share(stored), share(_current(target, stored))))


def _before_delete(_mapper: Mapper[Any], connection: Connection, target: Claim) -> None:
    _remember(target, _difference(share(_stored(connection, target.id)), {}))


def _after_write(_mapper: Mapper[Any], connection: Connection, target: Claim) -> None:
    changes = inspect(target).info.pop(_PENDING, None)
    if changes:
        _apply(connection, changes)


event.listen(Claim, "before_insert", _before_insert)
event.listen(Claim, "before_update", _before_update)
event.listen(Claim, "before_delete", _before_delete)
for _moment in ("after_insert", "after_update", "after_delete"):
    event.listen(Claim, _moment, _after_write)


# --- building every tally from the claims ---------------------------------------------------------


def _epoch_seconds(connection: Connection, column: Any) -> ColumnElement[int]:
    """Whole seconds since 1970 of a timestamp column, exactly as ``_whole_seconds``."""
    if connection.dialect.name == "postgresql":
        return cast(func.floor(func.extract("epoch", column)), BigInteger)
    return cast(func.strftime("%s", column), Integer)


def rebuild(connection: Connection) -> int:
    """Every tally computed again from the claims (after writes that bypass the ORM); returns
    the number of rows."""
    claims = Claim.__table__  # type: ignore[attr-defined]
    tallies = ClaimTally.__table__  # type: ignore[attr-defined]
    c = claims.c
    amount = c.amount_per_passenger * c.passenger_count
    won = c.won_at.is_not(None)
    paid = c.paid_at.is_not(None)
    seconds = _epoch_seconds(connection, c.paid_at) - _epoch_seconds(connection, c.submitted_at)
    measures = [
        func.count(),
        func.count(c.won_at),
        func.count(case((and_(c.airline_refused, c.won_at.is_(None)), 1))),
        func.count(c.paid_at),
        func.coalesce(func.sum(case((paid, seconds), else_=0)), 0),
        func.coalesce(
            func.sum(case((c.status == ClaimStatus.WITHDRAWN.value, 0), else_=amount)), 0
        ),
        func.coalesce(func.sum(case((won, amount), else_=0)), 0),
        func.coalesce(func.sum(case((paid, amount), else_=0)), 0),
    ]
    submitted = and_(c.submitted_at.is_not(None), c.status != ClaimStatus.DRAFT.value)
    keys = {AIRLINE: func.substr(c.flight_numbers, 1, 2), ROUTE: c.route}
    connection.execute(delete(tallies))
    for dimension, key in keys.items():
        rows = select(literal(dimension), key, c.currency, *measures).where(submitted)
        connection.execute(
            tallies.insert().from_select(
                ["dimension", "key", "currency", *MEASURES],
                rows.group_by(key, c.currency),
            )
        )
    return int(connection.execute(select(func.count()).select_from(tallies)).scalar_one())
