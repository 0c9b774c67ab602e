"""The admin claims queue at scale, read-only, through the real services, on a database filled by
``python -m indemnisation load-synthetic`` (100,000 claims, 1,000,000 messages):

    INDEMNISATION_DATABASE_URL=postgresql+psycopg://postgres@127.0.0.1:5432/indemnisation_scale \\
        .venv/bin/python bench/bench_scale_queue.py

Aim (issue 6): the queue's first screen under 100 ms of database time ("db": planning +
execution of its statements from EXPLAIN ANALYZE), whatever the filter, search or sort; the CSV
export of every claim streaming in flat memory (rows/s, time to the first piece, and the peak of
Python allocations measured by tracemalloc). A figure that misses its aim is followed by its plan.
Every connection is read-only. BENCH_RUNS (default 20) timed runs after BENCH_WARMUP (default 3).
The "missing documents" filter reads ``documents.review``: on a database older than that column
it is reported as skipped.
"""

from __future__ import annotations

import os
import sys
import time
import tracemalloc
from datetime import date
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent))
os.environ.setdefault("BENCH_RUNS", "20")
os.environ.setdefault("BENCH_WARMUP", "3")

from bench_scale_messaging import _read_only, _scalar, _user, misses, timed
from sqlalchemy import event

from indemnisation.db import get_engine
from indemnisation.domain.claim_status import ClaimStatus
from indemnisation.models import Role
from indemnisation.services import claims_queue as queue
from indemnisation.services.claims_queue import QueueFilters, QueueOrder, Sort
from indemnisation.services.claims_queue_export import _chunks
from indemnisation.services.views import UserView

AIM = 100


def _has_review_column() -> bool:
    return bool(
        _scalar(
            "SELECT count(*) FROM information_schema.columns"
            " WHERE table_name = 'documents' AND column_name = 'review'"
        )
    )


def _pages(admin: UserView) -> None:
    print("First screen (25 claims), by sort")
    for sort in Sort:
        for descending in (True, False):
            order = QueueOrder(sort, descending)
            label = f"sort {sort.value} {'desc' if descending else 'asc'}"
            timed(
                label,
                AIM,
                lambda order=order: queue.list_queue(
                    actor=admin, filters=QueueFilters(), order=order
                ),
            )
    first = queue.list_queue(actor=admin, filters=QueueFilters())
    cursor = first.next_cursor
    timed(
        "second page (keyset), sort submitted desc",
        AIM,
        lambda: queue.list_queue(actor=admin, filters=QueueFilters(), cursor=cursor),
    )
    far = first
    for _ in range(40):
        assert far.next_cursor
        far = queue.list_queue(actor=admin, filters=QueueFilters(), cursor=far.next_cursor)
    deep = far.next_cursor
    timed(
        "page 42 (keyset), sort submitted desc",
        AIM,
        lambda: queue.list_queue(actor=admin, filters=QueueFilters(), cursor=deep),
    )


def _filters(admin: UserView, with_review: bool) -> None:
    reference = _scalar("SELECT max(reference) FROM claims WHERE status <> 'DRAFT'")
    owner = _scalar(
        "SELECT u.email FROM claims c JOIN users u ON u.id = c.owner_id"
        " WHERE c.status <> 'DRAFT' ORDER BY c.id LIMIT 1 OFFSET 500"
    )
    name = _scalar("SELECT split_part(full_name, ' ', 2) FROM users WHERE email = :e", e=owner)
    flight = _scalar("SELECT flight_numbers FROM claims WHERE status <> 'DRAFT' LIMIT 1")
    busy = _scalar(
        "SELECT assigned_to_id FROM claims WHERE assigned_to_id IS NOT NULL"
        " GROUP BY 1 ORDER BY count(*) DESC LIMIT 1"
    )
    cases: list[tuple[str, QueueFilters]] = [
        ("status NEEDS_INFO", QueueFilters(status=ClaimStatus.NEEDS_INFO)),
        ("status SUBMITTED", QueueFilters(status=ClaimStatus.SUBMITTED)),
        ("airline AF", QueueFilters(airline="AF")),
        ("departure country FR", QueueFilters(country="FR")),
        (
            "submitted in March 2026",
            QueueFilters(date_from=_day("2026-03-01"), date_to=_day("2026-03-31")),
        ),
        (
            "flight date in one week",
            QueueFilters(
                date_field="flight", date_from=_day("2025-06-01"), date_to=_day("2025-06-07")
            ),
        ),
        ("amount 600 to 600", QueueFilters(amount_min=600, amount_max=600)),
        ("assigned to me", QueueFilters(assigned="me")),
        ("assigned to the busiest admin", QueueFilters(assigned=busy)),
        ("assigned to nobody", QueueFilters(assigned="none")),
        ("unread for me", QueueFilters(unread_only=True)),
        ("unread for me, assigned to me", QueueFilters(unread_only=True, assigned="me")),
        (f"search reference {reference}", QueueFilters(q=reference)),
        (f"search email {owner}", QueueFilters(q=owner)),
        (f"search flight {flight}", QueueFilters(q=flight)),
        (f"search name {name!r}", QueueFilters(q=name)),
        ("search name 'zzzz' (no hit)", QueueFilters(q="zzzz")),
        (
            "NEEDS_INFO + airline AF + amount >= 400",
            QueueFilters(status=ClaimStatus.NEEDS_INFO, airline="AF", amount_min=400),
        ),
    ]
    if with_review:
        cases.append(("missing documents", QueueFilters(missing_documents=True)))
        cases.append(
            (
                "missing documents, NEEDS_INFO",
                QueueFilters(missing_documents=True, status=ClaimStatus.NEEDS_INFO),
            )
        )
    print("\nFirst screen (25 claims, sort submitted desc), by filter")
    for label, filters in cases:
        timed(label, AIM, lambda filters=filters: queue.list_queue(actor=admin, filters=filters))
    if not with_review:
        print("missing documents: skipped (documents.review is missing: alembic upgrade head)")
    print("\nCount announced before an export")
    timed(
        "count_queue, no filter",
        None,
        lambda: queue.count_queue(actor=admin, filters=QueueFilters()),
    )
    timed(
        "count_queue, status NEEDS_INFO",
        None,
        lambda: queue.count_queue(actor=admin, filters=QueueFilters(status=ClaimStatus.NEEDS_INFO)),
    )


def _day(text: str) -> date:
    return date.fromisoformat(text)


def _export(admin: UserView) -> None:
    print("\nCSV export of every claim (sort submitted desc), one run")
    tracemalloc.start()
    started = time.perf_counter()
    first_piece = None
    size = pieces = 0
    for piece in _chunks(admin, QueueFilters(), QueueOrder(), "fr"):
        if pieces == 1:
            first_piece = time.perf_counter() - started
        pieces += 1
        size += len(piece.encode())
    elapsed = time.perf_counter() - started
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    rows = queue.count_queue(actor=admin, filters=QueueFilters())
    print(
        f"{rows:,} rows, {size / 1e6:.1f} MB in {pieces} pieces, {elapsed:.2f} s"
        f" ({rows / elapsed:,.0f} rows/s), first rows after {1000 * (first_piece or 0):.0f} ms,"
        f" peak Python memory {peak / 1e6:.1f} MB"
    )


def main() -> None:
    engine = get_engine()
    if engine.dialect.name != "postgresql":
        raise SystemExit("point INDEMNISATION_DATABASE_URL at the PostgreSQL scale database")
    event.listen(engine, "connect", _read_only)
    claims = _scalar("SELECT count(*) FROM claims WHERE status <> 'DRAFT'")
    print(f"{engine.url.database}: {claims:,} submitted claims; runs from BENCH_RUNS\n")
    admin = _user(_scalar("SELECT min(id) FROM users WHERE role = :r", r=Role.ADMIN.value))
    _pages(admin)
    _filters(admin, _has_review_column())
    _export(admin)
    if misses:
        print(f"\nMissed aims: {', '.join(misses)}")


if __name__ == "__main__":
    main()
