"""The admin dashboard's figures on a hand-built set of claims (see admin_stats_world)."""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any

import pytest
from sqlmodel import col, update

from indemnisation.db import session_scope
from indemnisation.domain.claim_status import ClaimStatus
from indemnisation.models import Claim, ThreadSummary
from indemnisation.services import dashboard
from indemnisation.services.dashboard import Count, Money
from indemnisation.services.errors import Forbidden, NotAuthenticated
from tests.services.admin_stats_world import NOW, World, build

S = ClaimStatus


@pytest.fixture
def world(make: Any) -> World:
    return build(make)


def test_headline_counts_new_claims_statuses_weeks_and_waiting_threads(world: World) -> None:
    data = dashboard.headline(actor=world.admin, now=NOW)
    assert (data.new_today, data.new_this_week) == (1, 2)
    assert dict(data.by_status) == {
        S.SUBMITTED: 1,
        S.IN_REVIEW: 0,
        S.NEEDS_INFO: 0,
        S.SENT_TO_AIRLINE: 1,
        S.ACCEPTED: 1,
        S.PAID: 1,
        S.REJECTED: 2,
        S.CLOSED: 2,
        S.WITHDRAWN: 1,
    }
    assert data.by_status[0][0] is S.SUBMITTED
    weeks = dict(data.weeks)
    assert len(data.weeks) == 12
    assert data.weeks[0][0] == date(2025, 12, 29) and data.weeks[-1][0] == date(2026, 3, 16)
    assert {day: n for day, n in weeks.items() if n} == {
        date(2026, 1, 5): 1,
        date(2026, 2, 2): 1,
        date(2026, 2, 9): 2,
        date(2026, 3, 2): 2,
        date(2026, 3, 16): 2,
    }
    with session_scope() as session:
        summary = session.get(ThreadSummary, world.claims["c1"])
        assert summary is not None
        expected_wait = summary.waiting_since
    assert data.waiting_threads == 1
    assert data.oldest_wait == expected_wait


def test_details_money_first_reply_and_top_lists(world: World) -> None:
    data = dashboard.details(actor=world.admin, now=NOW)
    assert data.money == [
        Money("EUR", claimed=3900, obtained=1700, paid=1450),
        Money("GBP", claimed=350, obtained=0, paid=0),
    ]
    assert data.first_reply_claims == 2
    assert data.first_reply_seconds == pytest.approx(3 * 3600, abs=1)
    assert data.top_airlines == [Count("AF", 6), Count("BA", 1), Count("KL", 1)]
    assert data.top_routes == [
        Count("CDG-JFK", 5),
        Count("AMS-CDG", 1),
        Count("LHR-NCE", 1),
        Count("NCE-CDG", 1),
    ]


def test_a_quiet_platform_has_zeros_and_no_averages(make: Any) -> None:
    admin = make.admin()
    head = dashboard.headline(actor=admin, now=NOW)
    assert (head.new_today, head.new_this_week, head.waiting_threads) == (0, 0, 0)
    assert head.oldest_wait is None and all(n == 0 for _, n in head.weeks)
    details = dashboard.details(actor=admin, now=NOW)
    assert details.money == [] and details.top_airlines == [] and details.top_routes == []
    assert (details.first_reply_seconds, details.first_reply_claims) == (None, 0)


@pytest.mark.parametrize(
    ("submitted", "today"), [("2026-03-17T22:59:59", 0), ("2026-03-17T23:00:00", 1)]
)
def test_today_starts_at_midnight_in_paris(world: World, submitted: str, today: int) -> None:
    """Midnight of 18 March in Paris is 17 March 23:00 UTC."""
    moment = datetime.fromisoformat(submitted).replace(tzinfo=UTC)
    with session_scope() as session:
        session.exec(
            update(Claim)  # type: ignore[call-overload]
            .where(col(Claim.id) == world.claims["c1"])
            .values(submitted_at=moment)
        )
        session.commit()
    data = dashboard.headline(actor=world.admin, now=NOW)
    assert (data.new_today, data.new_this_week) == (today, 2)


@pytest.mark.parametrize("service", [dashboard.headline, dashboard.details])
def test_only_admins_see_the_dashboard(make: Any, service: Any) -> None:
    with pytest.raises(NotAuthenticated):
        service(actor=None)
    with pytest.raises(Forbidden):
        service(actor=make.user())
