"""Emails leave through a real SMTP server when one is configured (aiosmtpd here)."""

from __future__ import annotations

import socket
from collections.abc import Iterator
from email import message_from_bytes
from email.message import Message
from pathlib import Path

import pytest
from aiosmtpd.controller import Controller

from indemnisation.services import accounts
from indemnisation.services.mailer import send_mail
from indemnisation.settings import get_settings


class Collector:
    def __init__(self) -> None:
        self.messages: list[Message] = []

    async def handle_DATA(self, server: object, session: object, envelope: object) -> str:
        self.messages.append(message_from_bytes(envelope.content))  # type: ignore[attr-defined]
        return "250 OK"


@pytest.fixture
def smtp(monkeypatch: pytest.MonkeyPatch) -> Iterator[Collector]:
    collector = Collector()
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    controller = Controller(collector, hostname="127.0.0.1", port=port)
    controller.start()
    settings = get_settings()
    monkeypatch.setattr(settings, "smtp_host", "127.0.0.1")
    monkeypatch.setattr(settings, "smtp_port", port)
    monkeypatch.setattr(settings, "smtp_starttls", False)
    yield collector
    controller.stop()


def test_send_mail_through_smtp(smtp: Collector, outbox: Path) -> None:
    send_mail(to="someone@example.org", subject="Bonjour", body="Corps du message é")
    (message,) = smtp.messages
    assert message["To"] == "someone@example.org"
    assert message["Subject"] == "Bonjour"
    assert list(outbox.glob("*.eml")) == []


def test_reset_email_in_the_accounts_language(smtp: Collector, make) -> None:  # type: ignore[no-untyped-def]
    user = make.user(locale="en")
    accounts.request_password_reset(email=user.email, locale="fr")
    (message,) = smtp.messages
    assert message["Subject"] == "Reset your Indemnisation password"
    assert "/reset-password?token=" in message.get_payload(decode=True).decode()


def test_without_smtp_the_mail_goes_to_the_outbox(outbox: Path) -> None:
    send_mail(to="someone@example.org", subject="Hello", body="Body")
    (path,) = outbox.glob("*.eml")
    assert "someone@example.org" in path.read_text()
