"""The claims queue page's handlers, called as any connected client can: only an admin's session
lists, selects, assigns or exports; filters and sort are checked before they apply; forged
arguments change nothing."""

from __future__ import annotations

from typing import Any

import pytest

from indemnisation.services import accounts
from indemnisation.services import claims_queue as q
from indemnisation.services.claims_queue import QueueFilters
from indemnisation.services.claims_queue_export import verify_export
from indemnisation.services.views import UserView
from indemnisation.states.claims_queue import QueueState
from tests.conftest import PASSWORD
from tests.services.test_claims_queue import add_claim
from tests.states.harness import call, make_state

HANDLERS: list[tuple[str, tuple[Any, ...]]] = [
    ("load", ()),
    ("set_filter", ("status", "SUBMITTED")),
    ("set_filter", ("search", "Dupont")),
    ("set_filter", ("unread_only", True)),
    ("clear_filters", ()),
    ("sort_by", ("amount",)),
    ("next_page", ()),
    ("previous_page", ()),
    ("bulk_assign", ()),
]


def token_of(user: UserView) -> str:
    return accounts.login(email=user.email, password=PASSWORD).token


async def queue_of(user: UserView | None, locale: str = "fr") -> QueueState:
    state = make_state(
        QueueState, token=token_of(user) if user else "", locale=locale, path="/admin/claims"
    )
    await call(state, "load")
    return state


async def run(state: QueueState, handler: str, *args: Any) -> list[Any]:
    """A handler that yields (the export) is run to its end; its events are returned."""
    result = await call(state, handler, *args)
    if hasattr(result, "__anext__"):
        return [event async for event in result]
    return [result]


def shown(state: QueueState) -> list[int]:
    return [int(row["claim_id"]) for row in state.rows]


@pytest.fixture
def world(make: Any) -> tuple[UserView, UserView, UserView, list[int]]:
    admin = make.admin(full_name="Alice Admin")
    other = make.admin(full_name="Bob Admin")
    claimant = make.user(full_name="Jean Dupont")
    claims = [add_claim(claimant, amount=(250, 400, 600)[n % 3]) for n in range(30)]
    return admin, other, claimant, claims


@pytest.mark.parametrize(("handler", "args"), HANDLERS)
async def test_anonymous_and_claimants_see_and_change_nothing(
    world: tuple[UserView, UserView, UserView, list[int]], handler: str, args: tuple[Any, ...]
) -> None:
    _, _, claimant, claims = world
    for state in (await queue_of(None), await queue_of(claimant)):
        state._next_cursor = "forged"
        state.selected, state.bulk_assignee = [str(claims[0])], "me"
        await run(state, handler, *args)
        assert state.rows == [] and state.admin_options == []
    assert q.count_queue(actor=world[0], filters=QueueFilters(assigned="none")) == 30


async def test_claimants_cannot_export(
    world: tuple[UserView, UserView, UserView, list[int]],
) -> None:
    _, _, claimant, _ = world
    for state in (await queue_of(None), await queue_of(claimant)):
        events = await run(state, "export")
        assert state.error != "" and state.export_rows == "" and not state.exporting
        assert events == [None]  # only the spinner's update, no download


async def test_load_pages_and_sorts(world: tuple[UserView, UserView, UserView, list[int]]) -> None:
    admin, _, _, claims = world
    state = await queue_of(admin)
    newest_first = list(reversed(claims))
    assert shown(state) == newest_first[:25] and state.has_more
    row = state.rows[0]
    assert row["href"] == f"/admin/claims/{claims[-1]}" and row["claimant"] == "Jean Dupont"
    assert {"name": "Alice Admin", "id": str(admin.id)} in state.admin_options
    assert any(c["code"] == "FR" and c["name"] == "France" for c in state.country_options)
    await call(state, "next_page")
    assert shown(state) == newest_first[25:] and not state.has_more and state.page_number == 2
    await call(state, "previous_page")
    assert shown(state) == newest_first[:25]
    await call(state, "sort_by", "submitted")  # the same column: the order turns around
    assert shown(state) == claims[:25] and not state.descending
    await call(state, "sort_by", "amount")
    assert state.sort == "amount" and state.descending
    assert (state.rows[0]["amount"], state.rows[-1]["amount"]) == ("600,00\xa0€", "250,00\xa0€")
    await call(state, "sort_by", "id; drop table claims")
    assert state.sort == "amount"


async def test_filters_apply_and_bad_values_are_refused(
    world: tuple[UserView, UserView, UserView, list[int]],
) -> None:
    admin = world[0]
    state = await queue_of(admin)
    await call(state, "set_filter", "amount_min", "600")
    assert len(state.rows) == 10 and state.amount_min == "600"
    await call(state, "set_filter", "amount_max", "300")
    assert state.error != "" and state.error_field == "amount_max" and state.amount_max == ""
    assert len(state.rows) == 10
    await call(state, "set_filter", "status", "DRAFT")
    assert state.status == "all" and state.error_field == "status"
    await call(state, "set_filter", "unread_only", "yes")
    assert state.unread_only is False
    await call(state, "set_filter", "_cursors", ["x"])
    await call(state, "set_filter", "sort", "amount")
    assert state.sort == "submitted"
    await call(state, "set_filter", "search", "x" * 5000)
    assert state.search == ""
    await call(state, "clear_filters")
    assert len(state.rows) == 25 and state.amount_min == ""
    await call(state, "set_filter", "search", "Dupont")
    assert len(state.rows) == 25 and state.error == ""


async def test_bulk_assignment_of_selected_rows(
    world: tuple[UserView, UserView, UserView, list[int]],
) -> None:
    admin, other, _, claims = world
    state = await queue_of(admin)
    first, second = state.rows[0]["claim_id"], state.rows[1]["claim_id"]
    await call(state, "toggle_select", first, True)
    await call(state, "toggle_select", second, True)
    await call(state, "toggle_select", str(claims[0]), True)  # not on screen
    await call(state, "toggle_select", "1 OR 1=1", True)
    assert state.selected == [first, second]
    await call(state, "set_bulk_assignee", str(other.id))
    await call(state, "bulk_assign")
    assert state.error == "" and state.notice != "" and state.selected == []
    assigned = q.list_queue(actor=admin, filters=QueueFilters(assigned=other.id)).rows
    assert {str(r.claim_id) for r in assigned} == {first, second}
    assert state.rows[0]["assigned"] == "Bob Admin"
    await call(state, "select_page", True)
    assert len(state.selected) == 25
    await call(state, "set_bulk_assignee", "me")
    await call(state, "bulk_assign")
    assert q.count_queue(actor=admin, filters=QueueFilters(assigned="me")) == 25
    await call(state, "select_page", True)
    await call(state, "set_bulk_assignee", str(world[2].id))  # a claimant
    await call(state, "bulk_assign")
    assert state.error != ""
    assert q.count_queue(actor=admin, filters=QueueFilters(assigned="me")) == 25


async def test_export_counts_and_starts_a_download_of_a_ticket_for_this_admin(
    world: tuple[UserView, UserView, UserView, list[int]],
) -> None:
    admin, _, _, _ = world
    state = await queue_of(admin, locale="en")
    await call(state, "set_filter", "amount_min", "400")
    events = await run(state, "export")
    assert state.export_rows.startswith("20 rows") and not state.exporting
    download = events[-1]
    url = next(str(v._var_value) for n, v in download.args if n._js_expr == "url")
    assert url.startswith("/exports/queue/")
    ticket = verify_export(url.removeprefix("/exports/queue/"))
    assert ticket is not None and ticket.user_id == admin.id
    assert ticket.filters == QueueFilters(amount_min=400)
