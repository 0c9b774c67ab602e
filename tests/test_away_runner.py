"""The away-email runner: one round per interval across workers (a Redis lock), errors logged
and survived, the app's lifespan task and the ``away-mail`` command."""

from __future__ import annotations

import asyncio
import logging
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy.exc import OperationalError
from sqlmodel import col, update

from indemnisation import away_runner
from indemnisation.cli import main
from indemnisation.db import session_scope
from indemnisation.models import Message
from indemnisation.models.types import utcnow
from indemnisation.services import messaging
from indemnisation.settings import get_settings
from tests.claim_factory import submitted_claim
from tests.conftest import outbox_mails


@pytest.fixture
def due_message(make: Any, outbox: Path) -> Path:
    """A team message to a claimant, posted three minutes ago and still unread."""
    owner, admin = make.user(locale="en"), make.admin()
    claim_id = submitted_claim(owner)
    sent = messaging.send_message(
        actor=admin, claim_id=claim_id, content="Hello", client_key="runner-key-1"
    )
    with session_scope() as session:
        session.exec(
            update(Message)
            .where(col(Message.id) == sent.message.id)
            .values(created_at=utcnow() - timedelta(minutes=3))
        )
        session.commit()
    for old in outbox.glob("*.eml"):
        old.unlink()
    return outbox


def test_a_round_sends_what_is_due(due_message: Path) -> None:
    assert away_runner.run_round() == 1
    ((subject, _body),) = outbox_mails(due_message)
    assert subject.startswith("New message")
    assert away_runner.run_round() == 0


@pytest.mark.skipif(not get_settings().redis_url, reason="the turn lock needs Redis")
def test_with_redis_one_runner_per_turn(due_message: Path) -> None:
    assert away_runner.take_turn() is True
    assert away_runner.take_turn() is False
    assert away_runner.run_round() == 0
    assert outbox_mails(due_message) == []


@pytest.mark.skipif(bool(get_settings().redis_url), reason="without Redis only")
def test_without_redis_every_round_runs() -> None:
    assert away_runner.take_turn() is True
    assert away_runner.take_turn() is True


def test_a_failed_round_is_logged_and_survived(
    monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    def down(*_args: Any) -> int:
        raise OperationalError("SELECT 1", {}, Exception("database is down"))

    # Importing the app elsewhere may have stopped the app's loggers from reaching caplog's.
    monkeypatch.setattr(logging.getLogger("indemnisation"), "propagate", True)
    monkeypatch.setattr(away_runner, "send_due", down)
    monkeypatch.setattr(away_runner, "take_turn", lambda: True)
    with caplog.at_level("ERROR", logger="indemnisation"):
        assert away_runner.run_round() == 0
    assert "the round failed" in caplog.text


async def test_the_lifespan_task_keeps_running_rounds(monkeypatch: pytest.MonkeyPatch) -> None:
    rounds: list[int] = []
    monkeypatch.setattr(get_settings(), "away_check_seconds", 0.01)
    monkeypatch.setattr(away_runner, "run_round", lambda: rounds.append(1) or 0)
    task = asyncio.create_task(away_runner.away_mail_loop())
    await asyncio.sleep(0.2)
    task.cancel()
    with pytest.raises(asyncio.CancelledError):
        await task
    assert len(rounds) >= 3


def test_the_app_registers_the_lifespan_task() -> None:
    from indemnisation.indemnisation import app

    assert away_runner.away_mail_loop in app.get_lifespan_tasks()


def test_the_away_mail_command_runs_one_round(
    due_message: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("indemnisation.cli.away_mail.configure_logging", lambda **_kw: None)
    assert main(["away-mail", "--once"]) == 0
    assert len(outbox_mails(due_message)) == 1
