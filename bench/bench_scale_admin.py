"""The admin dashboard, analytics, home and people pages at scale, read-only, through the real
services, on a database filled by ``python -m indemnisation load-synthetic`` (100,000 claims,
1,000,000 messages):

    INDEMNISATION_DATABASE_URL=postgresql+psycopg://postgres@127.0.0.1:5432/indemnisation_scale \\
        .venv/bin/python bench/bench_scale_admin.py

Aim (issue 6): each page's first screen under 100 ms of database time. Each line gives the
median, p95 and p99 around the call (Python included) and "db", the database's own time for the
same statements (planning + execution, from EXPLAIN ANALYZE); a missed aim prints the plans.
Every connection is read-only. BENCH_RUNS (default 20) sets the number of timed runs, after
BENCH_WARMUP (default 5).
"""

from __future__ import annotations

import os
import sys
from collections.abc import Callable
from datetime import timedelta
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench_scale_messaging import _read_only, misses, timed
from sqlalchemy import event, select

from indemnisation.db import get_engine, session_scope
from indemnisation.models import Role, User
from indemnisation.models.types import utcnow
from indemnisation.services import admin_overview, analytics, dashboard, users_admin
from indemnisation.services.stats_sql import (
    airline_code,
    day_start,
    local_today,
    route,
    week_start,
)
from indemnisation.services.views import UserView

RUNS = int(os.environ.get("BENCH_RUNS", "20"))
AIM = 100.0


def _in_session(work: Callable[[Any], object]) -> Callable[[], object]:
    def run() -> object:
        with session_scope() as session:
            return work(session)

    return run


def _people(admin: UserView, query: str) -> Callable[[], object]:
    return lambda: users_admin.list_users(actor=admin, query=query)


def main() -> None:
    engine = get_engine()
    if engine.dialect.name != "postgresql":
        raise SystemExit("point INDEMNISATION_DATABASE_URL at the PostgreSQL scale database")
    event.listen(engine, "connect", _read_only)
    with session_scope() as session:
        admin_row = session.execute(
            select(User).where(User.role == Role.ADMIN).order_by(User.id).limit(1)
        ).scalar_one()
        admin = UserView.of(admin_row)
    now = utcnow()
    weeks_ago = day_start(week_start(local_today(now)) - timedelta(weeks=dashboard.WEEKS - 1))

    print("Dashboard, first screen (one service call, then each of its queries)")
    timed("headline (whole)", AIM, lambda: dashboard.headline(actor=admin), RUNS)
    timed(
        "  new today / week + 12 weekly counts",
        AIM,
        _in_session(lambda s: dashboard._activity(s, now)),
        RUNS,
    )
    timed("  claims by status", AIM, _in_session(dashboard._by_status), RUNS)
    timed("  threads waiting + oldest wait", AIM, _in_session(dashboard._waiting), RUNS)

    print("\nDashboard, loaded after the first screen")
    timed("details (whole)", AIM, lambda: dashboard.details(actor=admin), RUNS)
    timed("  compensation claimed / obtained / paid", AIM, _in_session(dashboard._money), RUNS)
    timed(
        "  average time to first reply (30 days)",
        AIM,
        _in_session(lambda s: dashboard._first_reply(s, now)),
        RUNS,
    )
    timed(
        "  top airlines (12 weeks)",
        AIM,
        _in_session(lambda s: dashboard._top(s, airline_code(), weeks_ago)),
        RUNS,
    )
    timed(
        "  top routes (12 weeks)",
        AIM,
        _in_session(lambda s: dashboard._top(s, route(), weeks_ago)),
        RUNS,
    )

    print("\nAirlines and analytics, first screen")
    timed(
        "airlines, all time", AIM, lambda: analytics.table_rows(actor=admin, table="airlines"), RUNS
    )
    timed(
        "routes, top 50, all time",
        AIM,
        lambda: analytics.table_rows(actor=admin, table="routes", limit=50),
        RUNS,
    )
    last_quarter = (now - timedelta(days=90)).date().isoformat()
    timed(
        "airlines, last 90 days",
        AIM,
        lambda: analytics.table_rows(actor=admin, table="airlines", date_from=last_quarter),
        RUNS,
    )
    timed(
        "CSV export, every route, all time (streamed)",
        None,
        lambda: sum(1 for _ in analytics.export_csv(actor=admin, table="routes")),
        max(RUNS // 4, 3),
    )

    print("\nPeople and the admin home, first screen")
    timed("admin home (whole)", AIM, lambda: admin_overview.overview(actor=admin), RUNS)
    timed("people, newest first", AIM, lambda: users_admin.list_users(actor=admin), RUNS)
    for label, query in (
        ("people, search name 'Garcia'", "Garcia"),
        ("people, search email 'garcia.601'", "garcia.601"),
        ("people, search 'example.net' (every third)", "example.net"),
        ("people, search 'ma' (two letters)", "ma"),
        ("people, search 'zzzz' (no hit)", "zzzz"),
    ):
        timed(label, AIM, _people(admin, query), RUNS)

    print("\nMissed aims: " + (", ".join(m.strip() for m in misses) or "none"))


if __name__ == "__main__":
    main()
