"""The users pages called as any connected client can: only an admin's session lists or changes
anything, the person acted on is the one of the page, every action waits for its confirmation."""

from __future__ import annotations

from typing import Any

import pytest

from indemnisation.db import session_scope
from indemnisation.models import Role, User
from indemnisation.services import accounts
from indemnisation.services.views import UserView
from indemnisation.states import users_admin as users_states
from indemnisation.states.session import SessionState
from indemnisation.states.users_admin import UserDetailState, UsersState, user_id_in
from tests.claim_factory import submitted_claim
from tests.conftest import PASSWORD, outbox_mails
from tests.services.audit_helpers import entries
from tests.states.harness import call, make_state


def token_of(user: UserView) -> str:
    return accounts.login(email=user.email, password=PASSWORD).token


def stored(user_id: int) -> User:
    with session_scope() as session:
        found = session.get(User, user_id)
    assert found is not None
    return found


async def users_page(token: str, locale: str = "fr") -> UsersState:
    state = make_state(UsersState, token=token, locale=locale, path="/admin/users")
    await call(state, "load")
    return state


async def user_page(token: str, user_id: int, locale: str = "fr") -> UserDetailState:
    state = make_state(UserDetailState, token=token, locale=locale, path=f"/admin/users/{user_id}")
    await call(state, "load")
    return state


def test_user_id_from_the_path() -> None:
    assert user_id_in("/admin/users/42") == 42
    assert user_id_in("/admin/users/42/") == 42
    assert user_id_in("/admin/users/x") == 0
    assert user_id_in("/admin/users/12345678901") == 0


async def test_list_search_and_pages(make: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(users_states, "PAGE_SIZE", 2)
    admin = make.admin(full_name="Alice Admin")
    make.user(full_name="Marie Curie")
    make.user(full_name="Pierre Curie")
    make.user(full_name="Paul Langevin")
    state = await users_page(token_of(admin), locale="en")
    assert [r["name"] for r in state.rows] == ["Paul Langevin", "Pierre Curie"]
    assert state.has_more and state.rows[0]["role"] == "Claimant"
    await call(state, "next_page")
    assert [r["name"] for r in state.rows] == ["Marie Curie", "Alice Admin"]
    assert state.page_number == 2 and not state.has_more
    await call(state, "previous_page")
    assert state.page_number == 1 and state.rows[0]["name"] == "Paul Langevin"
    await call(state, "set_search", "curie")
    assert [r["name"] for r in state.rows] == ["Pierre Curie", "Marie Curie"]
    await call(state, "set_search", "")
    await call(state, "set_role", "ADMIN")
    assert [r["name"] for r in state.rows] == ["Alice Admin"]
    assert state.rows[0]["href"] == f"/admin/users/{admin.id}"


async def test_list_ignores_forged_filters(make: Any) -> None:
    admin = make.admin()
    state = await users_page(token_of(admin))
    for handler, value in [
        ("set_role", "ROOT"),
        ("set_role", ["ADMIN"]),
        ("set_status", "deleted"),
        ("set_search", 12),
        ("set_search", {"q": "x"}),
    ]:
        await call(state, handler, value)
    assert (state.role, state.status, state.search) == ("all", "all", "")
    await call(state, "set_search", "x" * 150)
    assert state.error == "Recherche invalide (au plus 100 caractères)."
    assert state.search == ""


@pytest.mark.parametrize("who", ["anonymous", "claimant"])
async def test_claimants_and_anonymous_see_nobody(make: Any, who: str) -> None:
    make.admin()
    claimant = make.user()
    token = token_of(claimant) if who == "claimant" else ""
    state = await users_page(token)
    assert state.rows == [] and state.error
    await call(state, "set_search", "a")
    assert state.rows == []
    detail = await user_page(token, claimant.id)
    assert not detail.ready and detail.email == ""


async def test_detail_shows_the_person_and_their_claims(make: Any) -> None:
    admin = make.admin()
    owner = make.user(full_name="Marie Curie", locale="en")
    claim_id = submitted_claim(owner)
    state = await user_page(token_of(admin), owner.id)
    assert (state.name, state.email, state.role_code, state.active) == (
        "Marie Curie",
        owner.email,
        "CLAIMANT",
        True,
    )
    assert state.language == "EN" and not state.is_self and state.claim_count == 1
    (row,) = state.claims
    assert row["href"] == f"/admin/claims/{claim_id}" and row["reference"].startswith("IND-")


async def test_unknown_person_shows_not_found(make: Any) -> None:
    admin = make.admin()
    state = await user_page(token_of(admin), 999_999)
    assert not state.ready and state.error == "Compte introuvable."


async def test_role_change_waits_for_confirmation(make: Any) -> None:
    admin = make.admin()
    person = make.user()
    state = await user_page(token_of(admin), person.id, locale="en")
    await call(state, "ask_role", "ADMIN")
    assert (state.confirm, state.pending_role) == ("role", "ADMIN")
    assert stored(person.id).role is Role.CLAIMANT
    await call(state, "confirm_action")
    assert stored(person.id).role is Role.ADMIN
    assert state.role_code == "ADMIN" and state.notice == "Role changed."
    assert state.confirm == ""
    (entry,) = entries(action="user.role")
    assert (entry.before, entry.after, entry.ip) == (
        {"role": "CLAIMANT"},
        {"role": "ADMIN"},
        "192.0.2.7",
    )


async def test_closing_the_dialog_does_nothing(make: Any) -> None:
    admin = make.admin()
    person = make.user()
    state = await user_page(token_of(admin), person.id)
    await call(state, "ask", "deactivate")
    await call(state, "close_dialog", False)
    await call(state, "confirm_action")
    assert stored(person.id).is_active and entries() == []


async def test_deactivation_signs_the_person_out_of_their_open_tabs(make: Any) -> None:
    admin = make.admin()
    person = make.user()
    their_tab = make_state(SessionState, token=token_of(person), path="/claims")
    await call(their_tab, "load_session")
    assert their_tab.is_authenticated
    state = await user_page(token_of(admin), person.id)
    await call(state, "ask", "deactivate")
    await call(state, "confirm_action")
    assert not stored(person.id).is_active and not state.active
    assert state.notice == "Compte désactivé ; ses sessions sont fermées."
    await call(their_tab, "load_session")
    assert not their_tab.is_authenticated and their_tab.auth_token == ""
    await call(state, "ask", "reactivate")
    await call(state, "confirm_action")
    assert stored(person.id).is_active and state.active


async def test_reset_link_is_sent_after_confirmation(make: Any, outbox: Any) -> None:
    admin = make.admin()
    person = make.user(locale="en")
    state = await user_page(token_of(admin), person.id)
    await call(state, "ask", "reset")
    assert outbox_mails(outbox) == []
    await call(state, "confirm_action")
    ((subject, _),) = outbox_mails(outbox)
    assert subject == "Reset your Indemnisation password"
    assert state.notice == f"Lien de réinitialisation envoyé à {person.email}."


async def test_an_admin_on_their_own_page_cannot_deactivate_or_demote(make: Any) -> None:
    admin = make.admin()
    make.admin()
    state = await user_page(token_of(admin), admin.id)
    assert state.is_self
    await call(state, "ask", "deactivate")  # the button is disabled; a forged click still asks
    await call(state, "confirm_action")
    assert state.error == "Vous ne pouvez pas désactiver votre propre compte."
    await call(state, "ask_role", "CLAIMANT")
    await call(state, "confirm_action")
    assert state.error == "Vous ne pouvez pas changer votre propre rôle."
    assert stored(admin.id).is_active and stored(admin.id).role is Role.ADMIN


async def test_forged_actions_are_ignored(make: Any) -> None:
    admin = make.admin()
    person = make.user()
    state = await user_page(token_of(admin), person.id)
    for handler, value in [
        ("ask", "delete"),
        ("ask", "role"),
        ("ask", ["deactivate"]),
        ("ask_role", "ROOT"),
        ("ask_role", "CLAIMANT"),  # already so: nothing to confirm
    ]:
        await call(state, handler, value)
        assert state.confirm == "", (handler, value)
    await call(state, "confirm_action")
    assert entries() == []


async def test_a_claimant_cannot_act_even_with_a_forged_dialog(make: Any) -> None:
    make.admin()
    claimant = make.user()
    victim = make.user()
    victim_token = token_of(victim)
    state = make_state(UserDetailState, token=token_of(claimant), path=f"/admin/users/{victim.id}")
    state.user_id, state.confirm = victim.id, "deactivate"
    await call(state, "confirm_action")
    assert state.error == "Vous n'avez pas le droit de faire cela."
    assert stored(victim.id).is_active
    assert accounts.access_session(victim_token) is not None
    (entry,) = entries(action="user.active")
    assert (entry.refused, entry.actor_id) == (True, claimant.id)


async def test_a_deactivated_admins_old_session_is_refused(make: Any) -> None:
    admin = make.admin()
    other = make.admin()
    old_token = token_of(other)
    state = await user_page(token_of(admin), other.id)
    await call(state, "ask", "deactivate")
    await call(state, "confirm_action")
    stale = make_state(UsersState, token=old_token, path="/admin/users")
    await call(stale, "load")
    assert stale.rows == [] and stale.error
