"""Operator commands: migrate, create-admin, reset-password, seed-demo."""

from __future__ import annotations

import io
import sys

import pytest
from sqlmodel import select

from indemnisation.cli import main
from indemnisation.db import session_scope
from indemnisation.models import Role, User
from indemnisation.services import accounts
from indemnisation.services.demo import DEMO_ACCOUNTS, DEMO_PASSWORD


def _stdin(monkeypatch: pytest.MonkeyPatch, text: str) -> None:
    monkeypatch.setattr(sys, "stdin", io.StringIO(text))


def test_migrate_is_idempotent(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["migrate"]) == 0
    assert main(["migrate"]) == 0
    assert "Database at head" in capsys.readouterr().out


def test_create_admin_then_reset_password(monkeypatch: pytest.MonkeyPatch) -> None:
    _stdin(monkeypatch, "Admin-Password-1\n")
    assert (
        main(
            [
                "create-admin",
                "--email",
                "Boss@Example.org",
                "--name",
                "Big Boss",
                "--password-stdin",
            ]
        )
        == 0
    )
    with session_scope() as session:
        admin = session.exec(select(User)).one()
    assert (admin.email, admin.role) == ("boss@example.org", Role.ADMIN)
    signed_in = accounts.login(email="boss@example.org", password="Admin-Password-1")

    _stdin(monkeypatch, "Other-Password-2\n")
    assert main(["reset-password", "--email", "boss@example.org", "--password-stdin"]) == 0
    assert accounts.access_session(signed_in.token) is None
    accounts.login(email="boss@example.org", password="Other-Password-2")


def test_cli_errors_are_clear_and_exit_2(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    _stdin(monkeypatch, "short\n")
    assert (
        main(["create-admin", "--email", "a@example.org", "--name", "A", "--password-stdin"]) == 2
    )
    assert "at least 10 characters" in capsys.readouterr().err
    _stdin(monkeypatch, "Fine-Password-3\n")
    assert main(["reset-password", "--email", "ghost@example.org", "--password-stdin"]) == 2


def test_seed_demo_is_idempotent(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["seed-demo"]) == 0
    assert main(["seed-demo"]) == 0
    out = capsys.readouterr().out
    with session_scope() as session:
        emails = sorted(session.exec(select(User.email)).all())
    assert emails == sorted(a.email for a in DEMO_ACCOUNTS)
    assert DEMO_PASSWORD in out
    accounts.login(email=DEMO_ACCOUNTS[0].email, password=DEMO_PASSWORD)


def test_seed_demo_refuses_production(monkeypatch: pytest.MonkeyPatch) -> None:
    from indemnisation.settings import get_settings

    monkeypatch.setattr(get_settings(), "env", "prod")
    assert main(["seed-demo"]) == 2
