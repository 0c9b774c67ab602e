"""Bulk writing for the synthetic data set: PostgreSQL ``COPY`` (psycopg 3), batched inserts on
SQLite, in one transaction either way.

On PostgreSQL the secondary indexes of the bulk tables are dropped before the copy and created
again from their exact stored definitions (``pg_get_indexdef``) at the end of the same
transaction: building an index once is far faster than maintaining it row by row (the GIN
full-text index above all), and a failed load rolls everything back, indexes included.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from typing import Any

from sqlalchemy import func, select, text
from sqlalchemy.engine import Connection, Engine
from sqlmodel import SQLModel

SQLITE_BATCH = 2_000
SKIPPED_TABLES = frozenset({"alembic_version"})


def data_tables() -> list[str]:
    """The application's tables, parents before children."""
    return [t.name for t in SQLModel.metadata.sorted_tables if t.name not in SKIPPED_TABLES]


def non_empty_tables(connection: Connection) -> list[str]:
    found = []
    for name in data_tables():
        table = SQLModel.metadata.tables[name]
        if connection.execute(select(func.count()).select_from(table)).scalar_one():
            found.append(name)
    return found


def empty_tables(connection: Connection) -> None:
    names = data_tables()
    if connection.dialect.name == "postgresql":
        connection.execute(text(f"TRUNCATE {', '.join(names)} RESTART IDENTITY CASCADE"))
        return
    for name in reversed(names):
        connection.execute(SQLModel.metadata.tables[name].delete())


class Writer:
    """Writes rows given as tuples in the order of ``columns``; ``json_columns`` hold JSON
    already serialised (PostgreSQL parses it; SQLite gets the decoded value back)."""

    def __init__(self, connection: Connection) -> None:
        self.connection = connection
        self.postgres = connection.dialect.name == "postgresql"
        self.counts: dict[str, int] = {}

    def write(
        self,
        table: str,
        columns: Sequence[str],
        rows: Iterable[Sequence[Any]],
        json_columns: Sequence[str] = (),
    ) -> int:
        count = (
            self._copy(table, columns, rows)
            if self.postgres
            else self._insert(table, columns, rows, json_columns)
        )
        self.counts[table] = self.counts.get(table, 0) + count
        return count

    def _copy(self, table: str, columns: Sequence[str], rows: Iterable[Sequence[Any]]) -> int:
        raw = self.connection.connection.driver_connection
        assert raw is not None
        count = 0
        with (
            raw.cursor() as cursor,
            cursor.copy(f"COPY {table} ({', '.join(columns)}) FROM STDIN") as copy,
        ):
            for row in rows:
                copy.write_row(row)
                count += 1
        return count

    def _insert(
        self,
        table: str,
        columns: Sequence[str],
        rows: Iterable[Sequence[Any]],
        json_columns: Sequence[str],
    ) -> int:
        target = SQLModel.metadata.tables[table]
        decode = [columns.index(c) for c in json_columns]
        batch: list[dict[str, Any]] = []
        count = 0
        for row in rows:
            values = list(row)
            for index in decode:
                if values[index] is not None:
                    values[index] = json.loads(values[index])
            batch.append(dict(zip(columns, values, strict=True)))
            if len(batch) >= SQLITE_BATCH:
                count += self._flush(target, batch)
        return count + self._flush(target, batch)

    def _flush(self, target: Any, batch: list[dict[str, Any]]) -> int:
        if batch:
            self.connection.execute(target.insert(), batch)
        size = len(batch)
        batch.clear()
        return size


def _secondary_indexes(connection: Connection, tables: Sequence[str]) -> list[tuple[str, str]]:
    """(name, CREATE INDEX statement) of the indexes that back no constraint."""
    rows = connection.execute(
        text(
            "SELECT i.relname, pg_get_indexdef(i.oid) FROM pg_index x"
            " JOIN pg_class i ON i.oid = x.indexrelid JOIN pg_class t ON t.oid = x.indrelid"
            " JOIN pg_namespace n ON n.oid = t.relnamespace"
            " WHERE n.nspname = current_schema() AND t.relname = ANY(:tables)"
            " AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conindid = i.oid)"
        ),
        {"tables": list(tables)},
    ).all()
    return [(str(name), str(definition)) for name, definition in rows]


@contextmanager
def indexes_rebuilt_after(connection: Connection, tables: Sequence[str]) -> Iterator[None]:
    """On PostgreSQL, drop the tables' secondary indexes and create them again on exit."""
    if connection.dialect.name != "postgresql":
        yield
        return
    connection.execute(text("SET LOCAL maintenance_work_mem = '512MB'"))
    indexes = _secondary_indexes(connection, tables)
    for name, _ in indexes:
        connection.execute(text(f'DROP INDEX "{name}"'))
    yield
    for _, definition in indexes:
        connection.execute(text(definition))


def finish_postgres(engine: Engine, tables: Sequence[str]) -> None:
    """Sequences past the highest id, then fresh planner statistics."""
    with engine.begin() as connection:
        for name in tables:
            table = SQLModel.metadata.tables[name]
            if "id" in table.c and table.c.id.autoincrement is not False:
                highest = f"SELECT max(id) FROM {name}"  # noqa: S608  (a model's table name)
                connection.execute(
                    text(
                        f"SELECT setval(pg_get_serial_sequence('{name}', 'id'),"
                        f" COALESCE(({highest}), 0) + 1, false)"
                    )
                )
    with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
        connection.execute(text("VACUUM (ANALYZE)"))
