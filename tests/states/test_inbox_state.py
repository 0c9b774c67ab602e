"""The inbox page's handlers, called as any connected client can: only an admin's session lists
threads or marks one unread; filters are checked before they apply; pages go forward and back."""

from __future__ import annotations

import itertools
from typing import Any

import pytest

from indemnisation.i18n import translate
from indemnisation.services import accounts
from indemnisation.services import messaging as m
from indemnisation.services.views import UserView
from indemnisation.states import inbox as inbox_state
from indemnisation.states.inbox import InboxState, requested_claim_id
from tests.claim_factory import submitted_claim
from tests.conftest import PASSWORD
from tests.states.harness import call, make_state

_keys = itertools.count()

HANDLERS = [
    ("load", ()),
    ("set_unread_only", (True,)),
    ("set_status", ("SUBMITTED",)),
    ("set_assigned", ("me",)),
    ("set_date_from", ("2020-01-01",)),
    ("set_date_to", ("2099-01-01",)),
    ("set_search", ("bonjour",)),
    ("clear_filters", ()),
    ("next_page", ()),
    ("previous_page", ()),
    ("refresh", ()),
]


def token_of(user: UserView) -> str:
    return accounts.login(email=user.email, password=PASSWORD).token


def send(actor: UserView, claim_id: int, content: str = "Bonjour") -> int:
    sent = m.send_message(
        actor=actor, claim_id=claim_id, content=content, client_key=f"st-{next(_keys):08d}"
    )
    return sent.message.id


async def inbox_of(user: UserView | None, locale: str = "fr") -> InboxState:
    token = token_of(user) if user else ""
    state = make_state(InboxState, token=token, locale=locale, path="/admin/inbox")
    await call(state, "load")
    return state


def shown(state: InboxState) -> list[tuple[int, bool]]:
    return [(int(r["claim_id"]), r["unread"] == "1") for r in state.rows]


@pytest.fixture
def threads(make: Any) -> tuple[UserView, UserView, list[int]]:
    admin = make.admin(full_name="Alice Admin")
    claimant = make.user(full_name="Claire Claimant")
    claims = [submitted_claim(claimant) for _ in range(3)]
    for claim_id in claims:
        send(claimant, claim_id, f"Question sur le dossier {claim_id}")
    m.mark_read(actor=admin, claim_id=claims[2], up_to_message_id=2**31 - 1)
    return admin, claimant, claims


# --- who may call -------------------------------------------------------------------------------


@pytest.mark.parametrize(("handler", "args"), HANDLERS)
async def test_anonymous_and_claimants_see_nothing(
    threads: tuple[UserView, UserView, list[int]], handler: str, args: tuple[Any, ...]
) -> None:
    _, claimant, _ = threads
    for state in (await inbox_of(None), await inbox_of(claimant)):
        state._next_cursor = "dTk5OTk"  # as if a page had been shown
        await call(state, handler, *args)
        assert state.rows == [] and state.admin_options == []


async def test_only_admins_mark_a_thread_unread(
    threads: tuple[UserView, UserView, list[int]],
) -> None:
    admin, claimant, claims = threads
    before = m.unread_total(actor=admin)
    for state in (await inbox_of(None), await inbox_of(claimant)):
        await call(state, "mark_unread", str(claims[2]))
        assert state.error != ""
    assert m.unread_total(actor=admin) == before


# --- what an admin sees -------------------------------------------------------------------------


async def test_load_lists_unread_first_with_readable_rows(
    threads: tuple[UserView, UserView, list[int]],
) -> None:
    admin, _, (a, b, c) = threads
    state = await inbox_of(admin)
    assert shown(state) == [(b, True), (a, True), (c, False)]
    assert state.admin_options == [{"id": str(admin.id), "name": "Alice Admin"}]
    row = state.rows[0]
    assert row["href"] == f"/admin/claims/{b}" and row["reference"].startswith("IND-")
    assert (row["claimant"], row["sender"], row["from_team"]) == (
        "Claire Claimant",
        "Claire Claimant",
        "",
    )
    assert (row["status_code"], row["status"]) == ("SUBMITTED", translate("fr", "status.SUBMITTED"))
    assert row["ago"] == translate("fr", "time.just_now")
    assert row["waiting"] == "depuis 1 minute" and row["assigned"] == "—"
    assert row["excerpt"] == f"Question sur le dossier {b}"
    assert (state.page_number, state.has_more, state.loaded) == (1, False, True)

    english = await inbox_of(admin, locale="en")
    assert english.rows[0]["waiting"].startswith("for ")


async def test_filters_apply_and_bad_values_are_refused(
    threads: tuple[UserView, UserView, list[int]],
) -> None:
    admin, _, (a, b, _) = threads
    state = await inbox_of(admin)
    await call(state, "set_unread_only", True)
    assert shown(state) == [(b, True), (a, True)]
    await call(state, "set_unread_only", "yes")
    assert state.unread_only is True
    await call(state, "set_unread_only", False)
    await call(state, "set_search", f"dossier {a}")
    assert shown(state) == [(a, True)]
    await call(state, "set_search", "")
    await call(state, "set_status", "PAID")
    assert state.rows == [] and state.status == "PAID"
    await call(state, "set_status", "LOST")
    assert state.status == "PAID"
    await call(state, "set_status", "all")
    await call(state, "set_assigned", "none")
    assert len(state.rows) == 3
    await call(state, "set_assigned", "me")
    assert state.rows == []
    await call(state, "set_assigned", "anyone")
    assert state.assigned == "me" and state.error != ""
    await call(state, "set_assigned", "all")

    await call(state, "set_date_from", "2099-01-01")
    assert state.rows == [] and state.date_from == "2099-01-01"
    await call(state, "set_date_to", "2098-01-01")
    assert state.date_to == "" and state.error == "La date de fin précède la date de début."
    await call(state, "set_date_from", "2026-02-31")
    assert state.date_from == "2099-01-01" and state.error != ""
    await call(state, "clear_filters")
    assert (state.date_from, state.status, state.assigned, state.search) == ("", "all", "all", "")
    assert len(state.rows) == 3 and state.error == ""


async def test_pages_forward_and_back(
    threads: tuple[UserView, UserView, list[int]], monkeypatch: pytest.MonkeyPatch
) -> None:
    admin, _, (a, b, c) = threads
    monkeypatch.setattr(inbox_state, "PAGE_SIZE", 1)
    state = await inbox_of(admin)
    seen = [shown(state)]
    while state.has_more:
        await call(state, "next_page")
        seen.append(shown(state))
    assert seen == [[(b, True)], [(a, True)], [(c, False)]] and state.page_number == 3
    await call(state, "next_page")
    assert state.page_number == 3
    await call(state, "previous_page")
    assert (state.page_number, shown(state), state.has_more) == (2, [(a, True)], True)
    await call(state, "previous_page")
    await call(state, "previous_page")
    assert (state.page_number, shown(state)) == (1, [(b, True)])
    await call(state, "set_unread_only", True)
    assert state.page_number == 1


async def test_mark_unread_and_refresh(threads: tuple[UserView, UserView, list[int]]) -> None:
    admin, claimant, (a, b, c) = threads
    state = await inbox_of(admin)
    await call(state, "mark_unread", str(c))
    assert shown(state) == [(c, True), (b, True), (a, True)]
    assert state.error == ""
    for forged in ("abc", "-1", None, True, "99999"):
        await call(state, "mark_unread", forged)
        assert state.error != ""
    m.mark_read(actor=admin, claim_id=b, up_to_message_id=2**31 - 1)
    send(claimant, a, "Encore moi")
    await call(state, "refresh")
    assert shown(state) == [(a, True), (c, True), (b, False)]
    assert state.rows[0]["excerpt"] == "Encore moi"


def test_claim_ids_from_the_page() -> None:
    assert requested_claim_id("12") == 12 and requested_claim_id(7) == 7
    assert (
        requested_claim_id("1e3") is None
        and requested_claim_id(True) is None
        and requested_claim_id(None) is None
    )
