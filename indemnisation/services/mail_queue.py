"""Emails that must not be lost (claimants told of their claim's progress): queued in the
transaction of the change they tell about, tried once right after its commit, and tried again
by the away-mail runner (indemnisation.away_runner, every round) while the mail server does not
take them. A change is never refused nor slowed beyond one attempt because of the mail server.

Each attempt first claims the email with a conditional UPDATE that moves its next attempt past
the time a send can take (LEASE), so that two runners never send it at once; the row is deleted
once the server accepted the email. Delivery is at least once: a process that dies between the
server's acceptance and the deletion leaves the email to be sent again when the lease ends. A
failed attempt is retried after a pause that doubles each time (RETRY_FIRST to RETRY_LONGEST);
an email still refused after MAX_ATTEMPTS is dropped, with an error in the log.
"""

from __future__ import annotations

import logging
import smtplib
from datetime import datetime, timedelta
from enum import Enum

from sqlalchemy import delete, func, update
from sqlmodel import Session, col, select

from indemnisation.db import session_scope
from indemnisation.models import OutgoingMail
from indemnisation.models.types import utcnow
from indemnisation.services.errors import OUTAGES
from indemnisation.services.mailer import send_mail

log = logging.getLogger(__name__)

LEASE = timedelta(seconds=60)
RETRY_FIRST = timedelta(seconds=10)
RETRY_LONGEST = timedelta(minutes=10)
MAX_ATTEMPTS = 40
BATCH = 50


class Outcome(Enum):
    SENT = "sent"
    REFUSED = "refused"
    """The server answered but would not take this email."""
    UNREACHABLE = "unreachable"
    """No server to talk to: the other emails need not be tried now."""
    TAKEN = "taken"
    """Another runner has it, or it is gone."""


def queue_mail(session: Session, *, to: str, subject: str, body: str) -> OutgoingMail:
    """Adds the email to ``session``: it is queued when the caller commits, with its change."""
    mail = OutgoingMail(recipient=to, subject=subject, body=body)
    session.add(mail)
    return mail


def _claim(mail_id: int, now: datetime) -> OutgoingMail | None:
    with session_scope() as session:
        result = session.connection().execute(
            update(OutgoingMail)
            .where(col(OutgoingMail.id) == mail_id, col(OutgoingMail.next_attempt_at) <= now)
            .values(next_attempt_at=now + LEASE)
        )
        session.commit()
        return session.get(OutgoingMail, mail_id) if result.rowcount == 1 else None


def _forget(session: Session, mail_id: int | None) -> None:
    session.connection().execute(delete(OutgoingMail).where(col(OutgoingMail.id) == mail_id))


def _sent(mail_id: int) -> None:
    with session_scope() as session:
        _forget(session, mail_id)
        session.commit()


def _retry_later(mail: OutgoingMail, error: Exception, now: datetime) -> None:
    attempts = mail.attempts + 1
    with session_scope() as session:
        if attempts >= MAX_ATTEMPTS:
            session.connection().execute(
                delete(OutgoingMail).where(col(OutgoingMail.id) == mail.id)
            )
            log.error(
                "email dropped after %d attempts", attempts, extra={"error": type(error).__name__}
            )
        else:
            pause = min(RETRY_FIRST * 2 ** (attempts - 1), RETRY_LONGEST)
            session.connection().execute(
                update(OutgoingMail)
                .where(col(OutgoingMail.id) == mail.id)
                .values(attempts=attempts, next_attempt_at=now + pause)
            )
        session.commit()


def attempt(mail_id: int, now: datetime | None = None) -> Outcome:
    """One attempt at one queued email, if it is due at ``now`` and nobody else has it."""
    moment = now or utcnow()
    mail = _claim(mail_id, moment)
    if mail is None:
        return Outcome.TAKEN
    try:
        send_mail(to=mail.recipient, subject=mail.subject, body=mail.body)
    except (smtplib.SMTPRecipientsRefused, smtplib.SMTPSenderRefused, smtplib.SMTPDataError) as e:
        _retry_later(mail, e, moment)
        log.warning("email refused, queued for later", extra={"mail_id": mail_id})
        return Outcome.REFUSED
    except OSError as error:  # smtplib's errors are OSErrors too
        _retry_later(mail, error, moment)
        log.warning("mail server unreachable, email queued", extra={"error": type(error).__name__})
        return Outcome.UNREACHABLE
    _sent(mail_id)
    return Outcome.SENT


def send_now(mail: OutgoingMail | None) -> None:
    """Right after the commit that queued ``mail``: one attempt, never an error for the caller
    (what did not leave stays queued for the runner)."""
    if mail is None or mail.id is None:
        return
    try:
        attempt(mail.id)
    except OUTAGES:
        log.warning("email left queued: the database could not be reached")


def send_due(now: datetime | None = None) -> int:
    """The runner's round: every queued email that is due, oldest first, until the mail server
    cannot be reached; returns how many left. Database errors propagate to the caller."""
    moment = now or utcnow()
    with session_scope() as session:
        due = session.exec(
            select(OutgoingMail.id)
            .where(col(OutgoingMail.next_attempt_at) <= moment)
            .order_by(col(OutgoingMail.id))
            .limit(BATCH)
        ).all()
    sent = 0
    for mail_id in due:
        outcome = attempt(mail_id or 0, moment)
        if outcome is Outcome.UNREACHABLE:
            break
        sent += outcome is Outcome.SENT
    return sent


def pending() -> int:
    """Emails still waiting (for health checks and tests)."""
    with session_scope() as session:
        return int(session.exec(select(func.count()).select_from(OutgoingMail)).one())
