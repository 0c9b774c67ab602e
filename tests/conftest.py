"""Shared fixtures: an isolated data directory, a migrated database (SQLite by default,
PostgreSQL when INDEMNISATION_DATABASE_URL points to one), Redis when INDEMNISATION_REDIS_URL is
set, emptied between tests, and factories for users.
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Iterator
from pathlib import Path

os.environ.setdefault("INDEMNISATION_ENV", "test")
os.environ.setdefault("INDEMNISATION_DATA_DIR", tempfile.mkdtemp(prefix="indemnisation-test-"))

import pytest
from sqlalchemy import text
from sqlmodel import SQLModel

from indemnisation import presence
from indemnisation.db import get_engine
from indemnisation.migrations import upgrade_to_head
from indemnisation.models import Role
from indemnisation.services import accounts
from indemnisation.services.views import UserView
from indemnisation.settings import get_settings

PASSWORD = "Correct-Horse-42"


def _reset_postgres_schema() -> None:
    engine = get_engine()
    if not engine.url.database or not engine.url.database.endswith("_test"):
        raise RuntimeError(
            "refusing to wipe a PostgreSQL database whose name does not end in _test"
        )
    with engine.begin() as connection:
        connection.execute(text("DROP SCHEMA public CASCADE"))
        connection.execute(text("CREATE SCHEMA public"))


@pytest.fixture(scope="session", autouse=True)
def migrated_database() -> Iterator[None]:
    if not get_settings().is_sqlite:
        _reset_postgres_schema()
    upgrade_to_head()
    yield
    get_engine().dispose()


def _empty_tables() -> None:
    with get_engine().begin() as connection:
        for table in reversed(SQLModel.metadata.sorted_tables):
            connection.execute(table.delete())


def _flush_redis(*, app_keys_only: bool) -> None:
    url = get_settings().redis_url
    if not url:
        return
    import redis

    client = redis.Redis.from_url(url)
    if client.connection_pool.connection_kwargs.get("db", 0) == 0:
        raise RuntimeError("tests use a Redis database other than 0 (e.g. redis://.../1)")
    if not app_keys_only:
        client.flushdb()
        return
    keys = list(client.scan_iter(match="ind:*", count=1000))
    if keys:
        client.delete(*keys)


@pytest.fixture(autouse=True)
def fresh_presence() -> None:
    """Without Redis, heartbeats live in this process: each test starts with none (ids are
    reused once the tables are emptied, so an earlier test's tab would look like a reader)."""
    presence._store_for.cache_clear()


@pytest.fixture(autouse=True)
def clean_state(request: pytest.FixtureRequest) -> Iterator[None]:
    """Empties the tables and Redis after each test. A browser test's server keeps running across
    tests with its tabs' states and locks in Redis: there only the app's own keys (``ind:``) go,
    since flushing everything would pull the lock from under an event still being processed."""
    yield
    _empty_tables()
    _flush_redis(app_keys_only="server" in request.fixturenames)


@pytest.fixture
def outbox() -> Path:
    path = get_settings().outbox_dir
    path.mkdir(parents=True, exist_ok=True)
    for old in path.glob("*.eml"):
        old.unlink()
    return path


class Factory:
    """Makes users with sensible defaults; every one gets the same known password."""

    def __init__(self) -> None:
        self.count = 0

    def user(self, role: Role = Role.CLAIMANT, locale: str = "fr", **fields: str) -> UserView:
        self.count += 1
        return accounts.create_user(
            email=fields.get("email", f"person{self.count}@example.org"),
            full_name=fields.get("full_name", f"Person Number{self.count}"),
            password=fields.get("password", PASSWORD),
            role=role,
            locale=locale,
        )

    def admin(self, **fields: str) -> UserView:
        return self.user(Role.ADMIN, **fields)


@pytest.fixture
def make() -> Factory:
    return Factory()


def outbox_mails(path: Path) -> list[tuple[str, str]]:
    """(subject, decoded body) of each email in the outbox, oldest first."""
    from email import message_from_bytes
    from email.header import decode_header, make_header

    mails = []
    for file in sorted(path.glob("*.eml")):
        message = message_from_bytes(file.read_bytes())
        body = message.get_payload(decode=True).decode()  # type: ignore[union-attr]
        mails.append((str(make_header(decode_header(message["Subject"]))), body))
    return mails


def reset_token_from(path: Path) -> str:
    import re

    (_, body), *_ = reversed(outbox_mails(path))
    match = re.search(r"reset-password\?token=([A-Za-z0-9_-]+)", body)
    assert match, body
    return match.group(1)
