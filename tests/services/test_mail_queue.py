"""Emails to claimants survive a mail server that is down: the change goes through at once, the
email waits in the queue and leaves exactly once when the server is back (a real SMTP server,
stopped and started again on its port)."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta
from typing import Any

import pytest
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import SMTP, Envelope, Session
from sqlmodel import select

from indemnisation import away_runner
from indemnisation.db import session_scope
from indemnisation.domain.claim_status import ClaimStatus
from indemnisation.models import OutgoingMail
from indemnisation.models.types import utcnow
from indemnisation.services import claim_admin, claim_documents, claim_submission, mail_queue
from indemnisation.services.mail_queue import Outcome
from indemnisation.settings import get_settings
from tests.claim_factory import eligible_draft, pdf_bytes, submitted_claim
from tests.services.audit_helpers import claim
from tests.smtp_server import Collector, free_port


class Server:
    """An SMTP server on a fixed port that can be stopped (unreachable) and started again."""

    def __init__(self, handler: Any) -> None:
        self.handler, self.port = handler, free_port()
        self.controller: Controller | None = None

    def start(self) -> None:
        self.controller = Controller(self.handler, hostname="127.0.0.1", port=self.port)
        self.controller.start()

    def stop(self) -> None:
        if self.controller is not None:
            self.controller.stop()
            self.controller = None


@pytest.fixture
def collector() -> Collector:
    return Collector()


@pytest.fixture
def server(collector: Collector, monkeypatch: pytest.MonkeyPatch) -> Iterator[Server]:
    running = Server(collector)
    settings = get_settings()
    monkeypatch.setattr(settings, "smtp_host", "127.0.0.1")
    monkeypatch.setattr(settings, "smtp_port", running.port)
    monkeypatch.setattr(settings, "smtp_starttls", False)
    running.start()
    yield running
    running.stop()


def later(seconds: float) -> Any:
    return utcnow() + timedelta(seconds=seconds)


def test_a_status_change_while_the_server_is_down_is_emailed_once_it_is_back(
    make: Any, server: Server, collector: Collector
) -> None:
    admin, owner = make.admin(), make.user(locale="en")
    claim_id = submitted_claim(owner)
    collector.messages.clear()
    server.stop()

    done = claim_admin.change_status(actor=admin, claim_id=claim_id, to_status="IN_REVIEW")

    assert done.status is ClaimStatus.IN_REVIEW and claim(claim_id).status is ClaimStatus.IN_REVIEW
    assert mail_queue.pending() == 1
    assert mail_queue.send_due(later(1)) == 0  # tried again only after a pause
    assert mail_queue.send_due(later(11)) == 0  # still down: tried, kept
    assert mail_queue.pending() == 1
    server.start()
    assert mail_queue.send_due(later(12)) == 0  # the pause doubled
    assert mail_queue.send_due(later(40)) == 1
    assert mail_queue.send_due(later(3600)) == 0
    assert mail_queue.pending() == 0
    (subject,) = collector.subjects()
    assert subject.startswith("Your claim IND-") and "review" in subject.lower()


def test_a_submission_confirmation_waits_for_the_server_and_the_runner_sends_it(
    make: Any, server: Server, collector: Collector
) -> None:
    owner = make.user()
    claim_id = eligible_draft(owner)
    claim_documents.add_document(
        actor=owner, claim_id=claim_id, kind="BOARDING_PASS", data=pdf_bytes(), filename="p.pdf"
    )
    server.stop()
    reference = claim_submission.sign_and_submit(
        actor=owner,
        claim_id=claim_id,
        signer_name=owner.full_name,
        consent=True,
        ip="203.0.113.9",
        user_agent="pytest",
        locale="fr",
    )
    assert claim(claim_id).status is ClaimStatus.SUBMITTED
    assert mail_queue.pending() == 1
    server.start()
    assert away_runner.run_round() == 0  # its next attempt is not due yet
    mail_queue.send_due(later(11))
    assert collector.subjects() == [f"Votre demande {reference} est bien envoyée"]
    assert away_runner.run_round() == 0 and mail_queue.pending() == 0


def queued_ids() -> list[int]:
    with session_scope() as session:
        return [i for i in session.exec(select(OutgoingMail.id)).all() if i is not None]


def test_an_email_is_sent_once_however_many_runners_try(
    make: Any, server: Server, collector: Collector
) -> None:
    admin, owner = make.admin(), make.user()
    claim_id = submitted_claim(owner)
    collector.messages.clear()
    server.stop()
    claim_admin.change_status(actor=admin, claim_id=claim_id, to_status="IN_REVIEW")
    (mail_id,) = queued_ids()
    server.start()
    moment = later(11)
    assert mail_queue.attempt(mail_id, moment) is Outcome.SENT
    assert mail_queue.attempt(mail_id, moment) is Outcome.TAKEN
    assert mail_queue.send_due(later(3600)) == 0
    assert len(collector.messages) == 1


class Refusing:
    """A server that refuses every recipient (550): the email is kept, then given up on."""

    async def handle_RCPT(
        self, server: SMTP, session: Session, envelope: Envelope, address: str, options: Any
    ) -> str:
        return "550 no such mailbox"


def test_an_email_refused_for_good_is_dropped_after_the_last_attempt(
    make: Any, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    admin, owner = make.admin(), make.user()
    claim_id = submitted_claim(owner)
    refusing = Server(Refusing())
    settings = get_settings()
    monkeypatch.setattr(settings, "smtp_host", "127.0.0.1")
    monkeypatch.setattr(settings, "smtp_port", refusing.port)
    monkeypatch.setattr(settings, "smtp_starttls", False)
    refusing.start()
    try:
        claim_admin.change_status(actor=admin, claim_id=claim_id, to_status="IN_REVIEW")
        (mail_id,) = queued_ids()
        moment = utcnow()
        for _ in range(mail_queue.MAX_ATTEMPTS - 2):
            moment += mail_queue.RETRY_LONGEST
            assert mail_queue.attempt(mail_id, moment) is Outcome.REFUSED
        assert mail_queue.pending() == 1
        assert mail_queue.attempt(mail_id, moment + mail_queue.RETRY_LONGEST) is Outcome.REFUSED
        assert mail_queue.pending() == 0
        assert "email dropped" in caplog.text
    finally:
        refusing.stop()
