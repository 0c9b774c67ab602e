"""Auth handlers called with real and forged arguments: refusals are translated, nothing crashes."""

from __future__ import annotations

from typing import Any

import pytest
from sqlmodel import select

from indemnisation.db import session_scope
from indemnisation.models import Role, User
from indemnisation.services import accounts
from indemnisation.states.admin_home import AdminHomeState
from indemnisation.states.auth import AccountState, LoginState, RegisterState
from indemnisation.states.session import SessionState, safe_next
from tests.conftest import PASSWORD
from tests.states.harness import call, make_state, redirect_target

FORGED_FORMS: list[Any] = [
    None,
    [],
    "x",
    42,
    {"email": ["a"]},
    {"email": {"$ne": 1}},
    {"email": "a" * 100_000, "password": "b" * 100_000},
    {},
]


async def test_register_signs_in_and_ignores_a_forged_role() -> None:
    state = make_state(RegisterState, locale="en")
    result = await call(
        state,
        "register",
        {
            "full_name": "Ada Lovelace",
            "email": "ada@example.org",
            "password": PASSWORD,
            "password_confirm": PASSWORD,
            "role": "ADMIN",
            "is_admin": True,
        },
    )
    assert redirect_target(result) == "/claims"
    assert state.user_role == "CLAIMANT" and state.auth_token
    with session_scope() as session:
        user = session.exec(select(User)).one()
    assert (user.role, user.locale) == (Role.CLAIMANT, "en")


async def test_register_mismatch_is_a_translated_error() -> None:
    state = make_state(RegisterState, locale="en")
    await call(
        state,
        "register",
        {
            "full_name": "A B",
            "email": "ab@example.org",
            "password": PASSWORD,
            "password_confirm": PASSWORD + "x",
        },
    )
    assert state.error == "The two passwords do not match."
    assert state.error_field == "password_confirm"


@pytest.mark.parametrize("form", FORGED_FORMS)
async def test_forged_forms_get_a_message_and_write_nothing(form: Any) -> None:
    for cls, handler in ((RegisterState, "register"), (LoginState, "login")):
        state = make_state(cls)
        assert await call(state, handler, form) is None
        assert state.error and not state.auth_token
    with session_scope() as session:
        assert session.exec(select(User)).all() == []


async def test_login_follows_a_local_next_and_refuses_an_open_redirect(make: Any) -> None:
    user = make.user()
    state = make_state(LoginState, path="/login?next=/account")
    result = await call(state, "login", {"email": user.email, "password": PASSWORD})
    assert redirect_target(result) == "/account"
    state = make_state(LoginState, path="/login?next=//evil.example/")
    result = await call(state, "login", {"email": user.email, "password": PASSWORD})
    assert redirect_target(result) == "/claims"


@pytest.mark.parametrize("value", ["/claims", "/a/b?c=d"])
def test_safe_next_accepts_local_paths(value: str) -> None:
    assert safe_next(value) == value


@pytest.mark.parametrize(
    "value",
    [
        "https://evil.example",
        "//evil.example",
        "/\\evil",
        "",
        None,
        "javascript:alert(1)",
        "/" + "a" * 400,
    ],
)
def test_safe_next_refuses_everything_else(value: Any) -> None:
    assert safe_next(value) == ""


async def test_admin_login_goes_to_the_admin_home(make: Any) -> None:
    admin = make.admin()
    state = make_state(LoginState, path="/login")
    assert (
        redirect_target(await call(state, "login", {"email": admin.email, "password": PASSWORD}))
        == "/admin"
    )


async def test_guards_for_each_actor(make: Any) -> None:
    claimant, admin = make.user(), make.admin()
    tokens = {
        "anonymous": "",
        "claimant": accounts.login(email=claimant.email, password=PASSWORD).token,
        "admin": accounts.login(email=admin.email, password=PASSWORD).token,
    }
    expected = {
        ("anonymous", "guard_claimant"): "/login?next=/claims",
        ("anonymous", "guard_admin"): "/login?next=/claims",
        ("anonymous", "guard_signed_in"): "/login?next=/claims",
        ("claimant", "guard_claimant"): None,
        ("claimant", "guard_admin"): "/forbidden",
        ("claimant", "guard_signed_in"): None,
        ("admin", "guard_claimant"): "/forbidden",
        ("admin", "guard_admin"): None,
        ("admin", "guard_signed_in"): None,
    }
    for (actor, guard), target in expected.items():
        state = make_state(SessionState, path="/claims", token=tokens[actor])
        got = redirect_target(await call(state, guard))
        assert (got.replace("%2F", "/") if got else got) == target, (actor, guard)


async def test_admin_home_loads_nothing_for_anyone_but_an_admin(make: Any) -> None:
    claimant, admin = make.user(), make.admin()
    for token in ("", "garbage" * 8, accounts.login(email=claimant.email, password=PASSWORD).token):
        state = make_state(AdminHomeState, token=token)
        await call(state, "load")
        assert (state.claimants, state.admins, state.recent) == (0, 0, [])
    state = make_state(
        AdminHomeState, token=accounts.login(email=admin.email, password=PASSWORD).token
    )
    await call(state, "load")
    assert (state.claimants, state.admins) == (1, 1)
    assert {row["email"] for row in state.recent} == {claimant.email, admin.email}


async def test_change_password_needs_a_session_and_says_so() -> None:
    state = make_state(AccountState, token="")
    await call(
        state,
        "change_password",
        {
            "current_password": PASSWORD,
            "new_password": "Another-One-12",
            "new_password_confirm": "Another-One-12",
        },
    )
    assert state.error == "Votre session a expiré. Reconnectez-vous."


async def test_change_password_from_the_account_page(make: Any) -> None:
    user = make.user()
    token = accounts.login(email=user.email, password=PASSWORD).token
    state = make_state(AccountState, token=token, locale="en")
    await call(
        state,
        "change_password",
        {
            "current_password": PASSWORD,
            "new_password": "Another-One-12",
            "new_password_confirm": "Another-One-12",
        },
    )
    assert state.error == "" and state.notice.startswith("Password changed")
    assert accounts.access_session(token) is not None


@pytest.mark.parametrize(
    ("value", "expected"),
    [("en", "en"), ("fr", "fr"), ("xx", "fr"), (None, "fr"), ({"a": 1}, "fr"), (7, "fr")],
)
async def test_set_language_accepts_only_known_languages(value: Any, expected: str) -> None:
    state = make_state(SessionState)
    await call(state, "set_language", value)
    assert state.locale == expected


async def test_set_language_is_saved_on_the_account(make: Any) -> None:
    user = make.user()
    token = accounts.login(email=user.email, password=PASSWORD).token
    await call(make_state(SessionState, token=token), "set_language", "en")
    assert accounts.access_session(token).locale == "en"  # type: ignore[union-attr]


async def test_logout_revokes_the_session_on_the_server(make: Any) -> None:
    user = make.user()
    token = accounts.login(email=user.email, password=PASSWORD).token
    state = make_state(SessionState, token=token)
    assert redirect_target(await call(state, "logout")) == "/login"
    assert state.auth_token == "" and state.user_role == ""
    assert accounts.access_session(token) is None
    replay = make_state(SessionState, token=token, path="/claims")
    assert redirect_target(await call(replay, "guard_claimant")) is not None


@pytest.mark.parametrize("var", ["user_role", "auth_token", "claimants", "claim_id", "error"])
async def test_the_builtin_setvar_cannot_set_state(var: str) -> None:
    """Reflex registers ``setvar`` on every state; without auto setters it must set nothing."""
    from indemnisation.states.wizard import WizardState

    for cls in (SessionState, AdminHomeState, WizardState):
        state = make_state(cls)
        before = getattr(state, var, None)
        with pytest.raises(AttributeError):
            await call(state, "setvar", var, "ADMIN")
        assert getattr(state, var, None) == before
