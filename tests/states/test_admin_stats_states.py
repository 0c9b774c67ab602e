"""The dashboard and analytics pages' handlers, called as any connected client can: only an
admin's session loads figures; dates are checked before they apply; numbers and amounts are
written the reader's way."""

from __future__ import annotations

from typing import Any

import pytest

from indemnisation.i18n import translate
from indemnisation.services import accounts
from indemnisation.services.views import UserView
from indemnisation.states.admin_home import AdminHomeState
from indemnisation.states.analytics import AnalyticsState
from tests.conftest import PASSWORD
from tests.services.admin_stats_world import World, build
from tests.states.harness import call, make_state


def token_of(user: UserView) -> str:
    return accounts.login(email=user.email, password=PASSWORD).token


@pytest.fixture
def world(make: Any) -> World:
    return build(make)


async def _dashboard(token: str, locale: str = "fr") -> AdminHomeState:
    state = make_state(AdminHomeState, token=token, locale=locale, path="/admin")
    follow_up = await call(state, "load")
    if follow_up is not None:  # the second step, as the event queue would run it
        await call(state, "load_details")
    return state


async def test_dashboard_figures_for_an_admin(world: World) -> None:
    state = await _dashboard(token_of(world.admin), locale="en")
    assert state.waiting_threads == "1"
    assert state.oldest_wait.startswith("the oldest for ")
    statuses = {row["code"]: row["count"] for row in state.by_status}
    assert statuses["REJECTED"] == 2 and "DRAFT" not in statuses
    assert {row["name"] for row in state.by_status} >= {"Rejected", "Paid"}
    assert len(state.weeks) == 12 and all(isinstance(w["claims"], int) for w in state.weeks)
    assert state.details_loaded
    assert state.money == [
        {"currency": "EUR", "claimed": "€3,900.00", "obtained": "€1,700.00", "paid": "€1,450.00"},
        {"currency": "GBP", "claimed": "£350.00", "obtained": "£0.00", "paid": "£0.00"},
    ]
    assert (state.claimants, state.admins) == (1, 1)


async def test_dashboard_money_in_french(world: World) -> None:
    state = await _dashboard(token_of(world.admin), locale="fr")
    assert state.money[0]["claimed"] == "3\u202f900,00\xa0€"


@pytest.mark.parametrize("who", ["anonymous", "garbage", "claimant"])
async def test_dashboard_loads_nothing_for_anyone_but_an_admin(world: World, who: str) -> None:
    token = {"anonymous": "", "garbage": "x" * 40, "claimant": token_of(world.claimant)}[who]
    state = make_state(AdminHomeState, token=token, path="/admin")
    assert await call(state, "load") is None
    await call(state, "load_details")  # a forged call of the second step
    assert (state.claims_today, state.by_status, state.weeks) == ("", [], [])
    assert (state.money, state.top_airlines, state.details_loaded) == ([], [], False)


async def _analytics(token: str, locale: str = "fr") -> AnalyticsState:
    state = make_state(AnalyticsState, token=token, locale=locale, path="/admin/analytics")
    await call(state, "load")
    return state


async def test_analytics_tables_and_export_links(world: World) -> None:
    state = await _analytics(token_of(world.admin), locale="en")
    assert state.loaded and state.error == ""
    assert state.airlines[0] == {
        "key": "AF",
        "currency": "EUR",
        "claims": "6",
        "won": "2",
        "refused": "1",
        "rate": "66.7 %",
        "days": "10.0",
        "obtained": "€1,450.00",
    }
    assert [row["key"] for row in state.airlines] == ["AF", "BA", "KL", "LH"]
    assert state.airlines[-1]["rate"] == "—" and state.airlines[-1]["days"] == "—"
    assert state.routes[0]["key"] == "CDG-JFK" and len(state.routes) == 5
    assert state.airlines_csv == "/exports/airlines?from=&to="
    french = await _analytics(token_of(world.admin), locale="fr")
    assert french.airlines[0]["rate"] == "66,7 %"


async def test_analytics_dates_filter_and_reset(world: World) -> None:
    state = await _analytics(token_of(world.admin))
    await call(state, "set_date_from", "2026-03-01")
    await call(state, "set_date_to", "2026-03-16")
    assert (state.date_from, state.date_to) == ("2026-03-01", "2026-03-16")
    assert {(row["key"], row["claims"]) for row in state.airlines} == {("AF", "2"), ("BA", "1")}
    assert state.routes_csv == "/exports/routes?from=2026-03-01&to=2026-03-16"
    await call(state, "clear_dates")
    assert (state.date_from, state.date_to, len(state.airlines)) == ("", "", 4)


@pytest.mark.parametrize(
    ("handler", "value"),
    [
        ("set_date_from", "2026-02-30"),
        ("set_date_from", "1999-12-31"),
        ("set_date_to", "2025-01-01"),  # before the start date set below
    ],
)
async def test_analytics_refuses_bad_dates_and_keeps_the_tables(
    make: Any, handler: str, value: str
) -> None:
    state = await _analytics(token_of(make.admin()))
    await call(state, "set_date_from", "2026-01-01")
    before = (state.date_from, state.date_to, state.airlines)
    await call(state, handler, value)
    assert state.error != ""
    assert (state.date_from, state.date_to, state.airlines) == before


@pytest.mark.parametrize("value", [None, 20260101, ["2026-01-01"], "2026-01-01T00:00"])
async def test_analytics_ignores_values_that_are_not_short_strings(make: Any, value: Any) -> None:
    state = await _analytics(token_of(make.admin()))
    await call(state, "set_date_from", "2026-01-01")
    await call(state, "set_date_from", value)
    assert state.date_from == "2026-01-01" and state.error == ""


@pytest.mark.parametrize("who", ["anonymous", "claimant"])
async def test_analytics_shows_nothing_to_anyone_but_an_admin(world: World, who: str) -> None:
    token = "" if who == "anonymous" else token_of(world.claimant)
    state = await _analytics(token)
    for handler, args in [("set_date_from", ("2026-01-01",)), ("clear_dates", ())]:
        await call(state, handler, *args)
    assert (state.airlines, state.routes, state.loaded, state.airlines_csv) == ([], [], False, "")
    expected = "error.not_authenticated" if who == "anonymous" else "error.forbidden"
    assert state.error == translate("fr", expected)
