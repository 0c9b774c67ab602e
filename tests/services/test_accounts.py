"""Accounts: registration, login, sessions, password change and reset, activation."""

from __future__ import annotations

import time
from datetime import timedelta
from pathlib import Path

import pytest
from sqlmodel import col, select

from indemnisation.db import session_scope
from indemnisation.models import LoginSession, PasswordResetToken, Role, User
from indemnisation.models.types import utcnow
from indemnisation.services import accounts
from indemnisation.services.errors import InvalidInput, NotAuthenticated, ServiceError
from indemnisation.services.tokens import digest
from tests.conftest import outbox_mails, reset_token_from

PASSWORD = "Correct-Horse-42"


def register(email: str = "Marie.Curie@Example.org", **kw: str) -> accounts.SignedIn:
    return accounts.register(
        email=email,
        full_name=kw.get("full_name", "Marie Curie"),
        password=kw.get("password", PASSWORD),
        locale=kw.get("locale", "fr"),
        ip="203.0.113.5",
    )


def test_register_normalizes_email_and_signs_in() -> None:
    signed_in = register()
    assert signed_in.user.email == "marie.curie@example.org"
    assert signed_in.user.role is Role.CLAIMANT
    assert accounts.access_session(signed_in.token) == signed_in.user
    with session_scope() as session:
        user = session.exec(select(User)).one()
        stored = session.exec(select(LoginSession)).one()
    assert user.password_hash.startswith("$argon2")
    assert PASSWORD not in user.password_hash
    assert stored.token_hash == digest(signed_in.token) != signed_in.token
    assert stored.created_at.tzinfo is not None


def test_session_token_has_at_least_128_bits() -> None:
    token = register().token
    assert len(token) >= 43  # 32 random bytes, base64url


@pytest.mark.parametrize(
    ("fields", "code", "field"),
    [
        ({"email": ""}, "error.email_required", "email"),
        ({"email": "not-an-email"}, "error.email_invalid", "email"),
        ({"email": "a@b"}, "error.email_invalid", "email"),
        ({"full_name": "   "}, "error.name_required", "full_name"),
        ({"full_name": "x" * 121}, "error.name_invalid", "full_name"),
        ({"full_name": "Bad\x00Name"}, "error.name_invalid", "full_name"),
        ({"password": "short1!"}, "error.password_too_short", "password"),
        ({"password": "onlyletterspassword"}, "error.password_needs_mix", "password"),
        ({"password": "12345678901234"}, "error.password_needs_mix", "password"),
        ({"password": "aaaaaaaaaa1"}, "error.password_needs_mix", "password"),
        ({"password": "marie.curie-2024"}, "error.password_like_identity", "password"),
        ({"password": "x1" * 200}, "error.password_too_long", "password"),
    ],
)
def test_register_refuses_bad_input_and_writes_nothing(
    fields: dict[str, str], code: str, field: str
) -> None:
    with pytest.raises(InvalidInput) as caught:
        register(**fields)
    assert (caught.value.code, caught.value.field) == (code, field)
    with session_scope() as session:
        assert session.exec(select(User)).all() == []


def test_duplicate_registration_is_refused_whatever_the_case() -> None:
    register()
    with pytest.raises(InvalidInput) as caught:
        register(email="MARIE.curie@example.org")
    assert caught.value.code == "error.email_taken"


def test_login_with_right_and_wrong_password() -> None:
    register()
    signed_in = accounts.login(email=" marie.curie@EXAMPLE.org ", password=PASSWORD)
    assert signed_in.user.email == "marie.curie@example.org"
    with pytest.raises(InvalidInput) as caught:
        accounts.login(email="marie.curie@example.org", password="Wrong-password-1")
    assert caught.value.code == "error.login_failed"


def test_unknown_email_gets_the_same_message_and_costs_a_hash() -> None:
    register()
    started = time.perf_counter()
    with pytest.raises(InvalidInput) as unknown:
        accounts.login(email="nobody@example.org", password=PASSWORD)
    unknown_time = time.perf_counter() - started
    started = time.perf_counter()
    with pytest.raises(InvalidInput) as wrong:
        accounts.login(email="marie.curie@example.org", password="Wrong-password-1")
    wrong_time = time.perf_counter() - started
    assert unknown.value.code == wrong.value.code == "error.login_failed"
    # Both verify one argon2 hash: neither is an order of magnitude faster than the other.
    assert unknown_time > wrong_time / 5 and wrong_time > unknown_time / 5


def test_logout_revokes_the_session() -> None:
    token = register().token
    accounts.logout(token=token)
    assert accounts.access_session(token) is None


@pytest.mark.parametrize("token", ["", "x", "a" * 43 + "'--", "é" * 50, "A" * 1000])
def test_tampered_or_unknown_session_ids_are_anonymous(token: str) -> None:
    register()
    assert accounts.access_session(token) is None


def test_expired_session_is_anonymous() -> None:
    token = register().token
    with session_scope() as session:
        stored = session.exec(select(LoginSession)).one()
        stored.expires_at = utcnow() - timedelta(seconds=1)
        session.add(stored)
        session.commit()
    assert accounts.access_session(token) is None


def test_change_password_keeps_this_session_and_revokes_the_others() -> None:
    first = register()
    second = accounts.login(email="marie.curie@example.org", password=PASSWORD)
    accounts.change_password(
        actor=first.user,
        token=first.token,
        current_password=PASSWORD,
        new_password="Brand-New-Pass-7",
    )
    assert accounts.access_session(first.token) == first.user
    assert accounts.access_session(second.token) is None
    accounts.login(email="marie.curie@example.org", password="Brand-New-Pass-7")


def test_change_password_needs_the_current_one_and_a_session() -> None:
    first = register()
    with pytest.raises(InvalidInput) as caught:
        accounts.change_password(
            actor=first.user,
            token=first.token,
            current_password="nope",
            new_password="Brand-New-Pass-7",
        )
    assert caught.value.field == "current_password"
    with pytest.raises(NotAuthenticated):
        accounts.change_password(
            actor=None, token="", current_password=PASSWORD, new_password="Brand-New-Pass-7"
        )


def test_password_reset_by_emailed_link_is_single_use(outbox: Path) -> None:
    other = register().token
    accounts.request_password_reset(email="marie.curie@example.org", locale="en")
    ((subject, _),) = outbox_mails(outbox)
    assert subject.startswith("Réinitialisation")  # the account's own language (fr), not the page's
    token = reset_token_from(outbox)
    with session_scope() as session:
        stored = session.exec(select(PasswordResetToken)).one()
    assert stored.token_hash == digest(token)
    assert abs(stored.expires_at - stored.created_at - timedelta(hours=1)) < timedelta(seconds=1)

    accounts.reset_password(token=token, new_password="Reset-Worked-99")
    accounts.login(email="marie.curie@example.org", password="Reset-Worked-99")
    assert accounts.access_session(other) is None
    with pytest.raises(InvalidInput) as reused:
        accounts.reset_password(token=token, new_password="Second-Try-99x")
    assert reused.value.code == "error.reset_link_invalid"


def test_expired_reset_link_is_refused(outbox: Path) -> None:
    register()
    accounts.request_password_reset(email="marie.curie@example.org", locale="fr")
    token = reset_token_from(outbox)
    with session_scope() as session:
        stored = session.exec(select(PasswordResetToken)).one()
        stored.expires_at = utcnow() - timedelta(seconds=1)
        session.add(stored)
        session.commit()
    with pytest.raises(InvalidInput):
        accounts.reset_password(token=token, new_password="Reset-Worked-99")
    accounts.login(email="marie.curie@example.org", password=PASSWORD)


def test_weak_password_on_reset_keeps_the_link_usable(outbox: Path) -> None:
    register()
    accounts.request_password_reset(email="marie.curie@example.org", locale="fr")
    token = reset_token_from(outbox)
    with pytest.raises(InvalidInput) as caught:
        accounts.reset_password(token=token, new_password="short")
    assert caught.value.code == "error.password_too_short"
    accounts.reset_password(token=token, new_password="Reset-Worked-99")


def test_reset_for_unknown_email_sends_nothing_and_says_nothing(outbox: Path) -> None:
    accounts.request_password_reset(email="ghost@example.org", locale="fr")
    assert list(outbox.glob("*.eml")) == []


def test_language_is_remembered_for_the_account() -> None:
    signed_in = register()
    assert accounts.set_locale(actor=signed_in.user, locale="EN") == "en"
    assert accounts.login(email="marie.curie@example.org", password=PASSWORD).user.locale == "en"
    assert accounts.set_locale(actor=None, locale="de") == "fr"


def test_old_hashes_are_upgraded_on_login() -> None:
    from passlib.hash import argon2

    register()
    weak = argon2.using(rounds=1, memory_cost=1024).hash(PASSWORD)
    with session_scope() as session:
        user = session.exec(select(User)).one()
        user.password_hash = weak
        session.add(user)
        session.commit()
    accounts.login(email="marie.curie@example.org", password=PASSWORD)
    with session_scope() as session:
        assert session.exec(select(User.password_hash)).one() != weak


def test_service_errors_carry_a_translatable_code() -> None:
    with pytest.raises(ServiceError) as caught:
        register(password="short")
    assert caught.value.code.startswith("error.")
    with session_scope() as session:
        assert session.exec(select(col(User.id))).all() == []
