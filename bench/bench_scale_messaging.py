"""Messaging at scale, read-only, through the real services, on a database filled by
``python -m indemnisation load-synthetic`` (100,000 claims, 1,000,000 messages):

    INDEMNISATION_DATABASE_URL=postgresql+psycopg://postgres@127.0.0.1:5432/indemnisation_scale \\
        .venv/bin/python bench/bench_scale_messaging.py

Each figure is printed with its aim (issue 5: unread count under 2 ms, inbox first page under
50 ms, full-text search under 100 ms, the thread's last 50 messages under 10 ms), measured around
the service call (Python included); "db" is the database's own time for the same statements
(planning + execution, from EXPLAIN ANALYZE). When a figure misses its aim, the SQL statements of
one run are shown with EXPLAIN (ANALYZE, BUFFERS).
Every connection is read-only (``default_transaction_read_only``), so nothing can be changed.
BENCH_RUNS (default 200) sets the number of timed runs, after BENCH_WARMUP (default 5).
"""

from __future__ import annotations

import os
import statistics
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from sqlalchemy import event, text

from indemnisation.db import get_engine, session_scope
from indemnisation.models import Role, User
from indemnisation.services import messaging
from indemnisation.services.synthetic_text import COMMON_WORD, RARE_WORD
from indemnisation.services.views import UserView

RUNS = int(os.environ.get("BENCH_RUNS", "200"))
WARMUP = int(os.environ.get("BENCH_WARMUP", "5"))
SEARCH_SQL = (
    "SELECT id, claim_id FROM messages"
    " WHERE to_tsvector('simple', content) @@ plainto_tsquery('simple', :word)"
    " ORDER BY id DESC LIMIT 50"
)
misses: list[str] = []


def _read_only(dbapi_connection: Any, _record: Any) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("SET default_transaction_read_only = on")
    cursor.close()
    dbapi_connection.commit()


@contextmanager
def _captured() -> Iterator[list[tuple[str, Any]]]:
    """The SQL statements (with their parameters) sent while the block runs."""
    found: list[tuple[str, Any]] = []

    def keep(_conn: Any, _cursor: Any, statement: str, parameters: Any, *_: Any) -> None:
        if statement.lstrip().upper().startswith(("SELECT", "WITH")):
            found.append((statement, parameters))

    engine = get_engine()
    event.listen(engine, "before_cursor_execute", keep)
    try:
        yield found
    finally:
        event.remove(engine, "before_cursor_execute", keep)


def _explain(work: Callable[[], object], *, show: bool, repeats: int = 3) -> float:
    """Database time of one run (planning + execution of each statement, median of
    ``repeats``); with ``show``, each statement and its plan are printed."""
    with _captured() as statements:
        work()
    raw = get_engine().raw_connection()
    totals = []
    try:
        cursor = raw.cursor()
        for repeat in range(repeats):
            total = 0.0
            for statement, parameters in statements:
                cursor.execute("EXPLAIN (ANALYZE, BUFFERS, FORMAT JSON) " + statement, parameters)
                plan = cursor.fetchone()[0][0]
                total += plan["Planning Time"] + plan["Execution Time"]
                if show and repeat == repeats - 1:
                    print("\n    " + " ".join(statement.split())[:600])
                    cursor.execute("EXPLAIN (ANALYZE, BUFFERS) " + statement, parameters)
                    for (line,) in cursor.fetchall():
                        print("      " + line)
            totals.append(total)
        raw.rollback()
    finally:
        raw.close()
    return statistics.median(totals)


def timed(name: str, aim_ms: float | None, work: Callable[[], object], runs: int = RUNS) -> None:
    for _ in range(WARMUP):
        work()
    durations = []
    for _ in range(runs):
        started = time.perf_counter()
        work()
        durations.append((time.perf_counter() - started) * 1000)
    durations.sort()

    def pct(p: float) -> float:
        return durations[min(len(durations) - 1, round(p * (len(durations) - 1)))]

    median = statistics.median(durations)
    missed = aim_ms is not None and median >= aim_ms
    verdict = "" if aim_ms is None else f"aim < {aim_ms:g}: " + ("MISSED" if missed else "ok")
    database = _explain(work, show=False)
    print(
        f"{name:<46} median {median:7.2f}  p95 {pct(0.95):7.2f}  p99 {pct(0.99):7.2f}"
        f"  (db {database:6.2f}) ms  {verdict}"
    )
    if missed:
        misses.append(name)
        _explain(work, show=True, repeats=1)


def _scalar(sql: str, **params: Any) -> Any:
    with session_scope() as session:
        return session.connection().execute(text(sql), params).scalar_one()


def _user(user_id: int) -> UserView:
    with session_scope() as session:
        user = session.get(User, user_id)
        assert user is not None
        return UserView.of(user)


def _search(word: str) -> Callable[[], object]:
    def run() -> object:
        with session_scope() as session:
            return session.connection().execute(text(SEARCH_SQL), {"word": word}).all()

    return run


def main() -> None:
    engine = get_engine()
    if engine.dialect.name != "postgresql":
        raise SystemExit("point INDEMNISATION_DATABASE_URL at the PostgreSQL scale database")
    event.listen(engine, "connect", _read_only)
    messages = _scalar("SELECT count(*) FROM messages")
    claims = _scalar("SELECT count(*) FROM claims")
    print(f"{engine.url.database}: {claims:,} claims, {messages:,} messages; {RUNS} runs each\n")

    admin = _user(_scalar("SELECT min(id) FROM users WHERE role = :r", r=Role.ADMIN.value))
    claimant = _user(
        _scalar("SELECT owner_id FROM claims GROUP BY owner_id ORDER BY count(*) DESC LIMIT 1")
    )
    busy = _scalar("SELECT claim_id FROM threads ORDER BY message_count DESC LIMIT 1")
    busy_owner = _user(_scalar("SELECT owner_id FROM claims WHERE id = :c", c=busy))
    busy_size = _scalar("SELECT message_count FROM threads WHERE claim_id = :c", c=busy)

    print("Unread badges")
    timed("unread_total, admin (tally)", 2, lambda: messaging.unread_total(actor=admin))
    timed(
        "unread_total, claimant with most claims", 2, lambda: messaging.unread_total(actor=claimant)
    )
    timed(
        "unread_counts, same claimant (My claims)",
        2,
        lambda: messaging.unread_counts(actor=claimant),
    )

    print(f"\nThread page: claim {busy}, {busy_size} public messages")
    timed(
        "list_thread last 50, admin", 10, lambda: messaging.list_thread(actor=admin, claim_id=busy)
    )
    timed(
        "list_thread last 50, claimant",
        10,
        lambda: messaging.list_thread(actor=busy_owner, claim_id=busy),
    )

    print("\nFull-text search: newest 50 messages containing a word (ix_messages_fts)")
    for label, word in (("rare", RARE_WORD), ("common", COMMON_WORD)):
        hits = _scalar(
            "SELECT count(*) FROM messages"
            " WHERE to_tsvector('simple', content) @@ plainto_tsquery('simple', :w)",
            w=word,
        )
        timed(f"search {label} word {word!r} ({hits:,} hits)", 100, _search(word))

    _inbox(admin)
    if misses:
        print(f"\nMissed aims: {', '.join(misses)}")


def _inbox(admin: UserView) -> None:
    try:
        from indemnisation.services import inbox
    except ImportError:
        print("\nInbox: indemnisation/services/inbox.py does not exist yet, skipped")
        return
    print("\nInbox first page (25 threads)")
    pages: list[tuple[str, float, inbox.InboxFilters]] = [
        ("no filter", 50, inbox.InboxFilters()),
        ("unread only", 50, inbox.InboxFilters(unread_only=True)),
        ("status NEEDS_INFO", 50, inbox.InboxFilters(status=inbox.ClaimStatus.NEEDS_INFO)),
        ("assigned to me", 50, inbox.InboxFilters(assigned="me")),
        (f"search rare {RARE_WORD!r}", 100, inbox.InboxFilters(q=RARE_WORD)),
        (f"search common {COMMON_WORD!r}", 100, inbox.InboxFilters(q=COMMON_WORD)),
    ]
    for label, aim, filters in pages:
        timed(
            f"list_threads, {label}",
            aim,
            lambda filters=filters: inbox.list_threads(actor=admin, filters=filters),
        )
    first = inbox.list_threads(actor=admin, filters=inbox.InboxFilters())
    if first.next_cursor:
        cursor = first.next_cursor
        timed(
            "list_threads, second page",
            50,
            lambda: inbox.list_threads(actor=admin, filters=inbox.InboxFilters(), cursor=cursor),
        )


if __name__ == "__main__":
    main()
