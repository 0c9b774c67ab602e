"""Messaging at volume: unread badges, opening a thread and posting, on the configured database
filled in bulk with BENCH_CLAIMS claims and BENCH_MESSAGES messages.

    INDEMNISATION_DATA_DIR=$(mktemp -d) .venv/bin/python bench/bench_messaging.py
    BENCH_CLAIMS=100000 BENCH_MESSAGES=1000000 \\
    INDEMNISATION_DATABASE_URL=postgresql+psycopg://postgres@127.0.0.1:5432/indemnisation_bench \\
        .venv/bin/python bench/bench_messaging.py   (a PostgreSQL database is emptied first)
"""

from __future__ import annotations

import os
import random
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

os.environ.setdefault("INDEMNISATION_DATA_DIR", tempfile.mkdtemp(prefix="bench-messaging-"))
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from sqlalchemy import Table, text
from sqlalchemy.engine import Connection
from sqlmodel import SQLModel

from indemnisation.db import get_engine
from indemnisation.domain.claim_status import ClaimStatus
from indemnisation.migrations import upgrade_to_head
from indemnisation.models import Role
from indemnisation.services import messaging
from indemnisation.services.views import UserView

CLAIMS = int(os.environ.get("BENCH_CLAIMS", "2000"))
MESSAGES = int(os.environ.get("BENCH_MESSAGES", "20000"))
RUNS = int(os.environ.get("BENCH_RUNS", "50"))
ADMINS = 5
CLAIMS_PER_CLAIMANT = 2
BATCH = 10_000
START = datetime(2026, 1, 1, tzinfo=UTC)


def _reset() -> None:
    engine = get_engine()
    if engine.dialect.name == "postgresql":
        name = engine.url.database or ""
        if not name.endswith(("_bench", "_test")):
            raise SystemExit("refusing to wipe a database whose name does not end in _bench/_test")
        with engine.begin() as connection:
            connection.execute(text("DROP SCHEMA public CASCADE"))
            connection.execute(text("CREATE SCHEMA public"))
    upgrade_to_head()


def _insert(connection: Connection, table_name: str, rows: list[dict[str, Any]]) -> None:
    table: Table = SQLModel.metadata.tables[table_name]
    for start in range(0, len(rows), BATCH):
        connection.execute(table.insert(), rows[start : start + BATCH])


def _users(count: int, role: Role, first_id: int) -> list[UserView]:
    return [
        UserView(first_id + i, f"{role.value.lower()}{first_id + i}@example.org", "B", role, "fr")
        for i in range(count)
    ]


def _fill(rng: random.Random) -> tuple[list[UserView], list[UserView], list[tuple[int, int]]]:
    """Admins, claimants and (claim id, owner id) pairs, with messages and read pointers."""
    claimant_count = max(1, CLAIMS // CLAIMS_PER_CLAIMANT)
    admins = _users(ADMINS, Role.ADMIN, 1)
    claimants = _users(claimant_count, Role.CLAIMANT, ADMINS + 1)
    claims = [(i + 1, claimants[i % claimant_count].id) for i in range(CLAIMS)]
    with get_engine().begin() as connection:
        _insert(
            connection,
            "users",
            [
                {
                    "id": u.id,
                    "email": u.email,
                    "full_name": f"Person {u.id}",
                    "password_hash": "x",  # nobody logs in here
                    "role": u.role.name,
                    "locale": "fr",
                    "is_active": True,
                    "created_at": START,
                    "password_changed_at": START,
                }
                for u in admins + claimants
            ],
        )
        _insert(
            connection,
            "claims",
            [
                {
                    "id": claim_id,
                    "reference": f"B{claim_id:09d}",
                    "owner_id": owner_id,
                    "status": ClaimStatus.IN_REVIEW.name,
                    "step": 7,
                    "facts": {},
                    "eligibility": "yes",
                    "currency": "EUR",
                    "amount_per_passenger": 600,
                    "fee_percent": 25,
                    "vat_percent": 20,
                    "route": "CDG-JFK",
                    "flight_numbers": "AF6",
                    "created_at": START,
                    "updated_at": START,
                }
                for claim_id, owner_id in claims
            ],
        )
        messages = []
        last_of: dict[int, int] = {}
        for message_id in range(1, MESSAGES + 1):
            # one long thread (claim 1, 1 % of all messages); the rest spread evenly
            claim_id, owner_id = claims[0 if rng.random() < 0.01 else rng.randrange(CLAIMS)]
            team = rng.random() < 0.5
            messages.append(
                {
                    "id": message_id,
                    "claim_id": claim_id,
                    "sender_id": rng.choice(admins).id if team else owner_id,
                    "from_team": team,
                    "internal": team and rng.random() < 0.1,
                    "content": "Bonjour, voici où en est votre dossier. " * 3,
                    "client_key": f"bench-key-{message_id:010d}",
                    "created_at": START + timedelta(seconds=message_id),
                }
            )
            last_of[claim_id] = message_id
        _insert(connection, "messages", messages)
        pointers = []
        for claim_id, owner_id in claims:
            last = last_of.get(claim_id, 0)
            pointers.append({"claim_id": claim_id, "user_id": owner_id, "last": last})
            if rng.random() < 0.7:
                pointers.append({"claim_id": claim_id, "user_id": admins[0].id, "last": last})
        _insert(
            connection,
            "thread_reads",
            [
                {
                    "claim_id": p["claim_id"],
                    "user_id": p["user_id"],
                    "last_read_message_id": max(0, p["last"] - rng.randrange(3)),
                    "updated_at": START,
                }
                for p in pointers
            ],
        )
        if connection.dialect.name == "postgresql":
            for table in ("users", "claims", "messages", "thread_reads"):
                connection.execute(
                    text(
                        f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "
                        f"(SELECT max(id) FROM {table}))"
                    )
                )
            connection.execute(text("ANALYZE"))
    return admins, claimants, claims


def _timed(name: str, work: Callable[[int], object]) -> None:
    durations = []
    for run in range(RUNS):
        started = time.perf_counter()
        work(run)
        durations.append((time.perf_counter() - started) * 1000)
    durations.sort()
    p99 = durations[min(len(durations) - 1, round(0.99 * (len(durations) - 1)))]
    print(f"{name:<34} median {statistics.median(durations):8.2f} ms   p99 {p99:8.2f} ms")


def main() -> None:
    _reset()
    rng = random.Random(261)
    started = time.perf_counter()
    admins, claimants, claims = _fill(rng)
    engine = get_engine()
    print(
        f"{engine.dialect.name}: {CLAIMS} claims, {MESSAGES} messages, {len(claimants)} claimants,"
        f" {ADMINS} admins; filled in {time.perf_counter() - started:.1f} s; {RUNS} runs each"
    )
    _timed(
        "unread_total (claimant)",
        lambda run: messaging.unread_total(actor=rng.choice(claimants)),
    )
    _timed("unread_total (admin, read often)", lambda run: messaging.unread_total(actor=admins[0]))
    _timed("unread_total (admin, never read)", lambda run: messaging.unread_total(actor=admins[1]))
    _timed("unread_counts (admin)", lambda run: messaging.unread_counts(actor=admins[0]))
    _timed(
        "list_thread last 50, long thread",
        lambda run: messaging.list_thread(actor=admins[0], claim_id=1),
    )
    _timed(
        "list_thread, any thread",
        lambda run: messaging.list_thread(actor=admins[0], claim_id=rng.randrange(1, CLAIMS + 1)),
    )
    owners = {claim_id: owner_id for claim_id, owner_id in claims}
    by_id = {u.id: u for u in claimants}

    def send(run: int) -> object:
        claim_id = rng.randrange(1, CLAIMS + 1)
        return messaging.send_message(
            actor=by_id[owners[claim_id]],
            claim_id=claim_id,
            content="Une question sur mon dossier",
            client_key=f"bench-send-{run:06d}",
        )

    _timed("send_message (claimant)", send)


if __name__ == "__main__":
    main()
