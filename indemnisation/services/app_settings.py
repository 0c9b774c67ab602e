"""Settings the team changes from the back office: our fee and the VAT on it; the email
settings (environment only, shown read-only) and a test email to the admin's own address.

The rates apply to claims started from then on: a claim keeps the rates of the day its draft
was created (they are stored on the claim, shown to the claimant before they sign the mandate),
so changing them never alters what an existing claimant agreed to. Until an admin saves, the
rates come from the environment.
"""

from __future__ import annotations

import logging
import re
import smtplib
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from typing import Any

from sqlalchemy.exc import IntegrityError
from sqlmodel import Session

from indemnisation.db import session_scope
from indemnisation.i18n import translate
from indemnisation.models import AppSettings, Role, User
from indemnisation.models.types import utcnow
from indemnisation.services import audit
from indemnisation.services.audit import Target, refusals_audited
from indemnisation.services.authz import authorize
from indemnisation.services.errors import InvalidInput, NotAuthenticated
from indemnisation.services.mailer import send_mail
from indemnisation.services.views import UserView
from indemnisation.settings import get_settings

log = logging.getLogger(__name__)

SETTINGS_RATES = "settings.rates"
SETTINGS_TEST_EMAIL = "settings.test_email"
ACTIONS = (SETTINGS_RATES, SETTINGS_TEST_EMAIL)
TARGET = Target("settings", None)

MAX_FEE = Decimal(50)
MAX_VAT = Decimal(30)
CENT = Decimal("0.01")
PERCENT = re.compile(r"^\d{1,3}([.,]\d{1,2})?$")


@dataclass(frozen=True)
class Rates:
    fee_percent: Decimal
    vat_percent: Decimal


def percent_text(value: Decimal) -> str:
    """A rate as people write it: 25, 20, 5.5."""
    return format(value.quantize(CENT).normalize(), "f")


def _from_environment() -> Rates:
    settings = get_settings()
    return Rates(settings.fee_percent.quantize(CENT), settings.vat_percent.quantize(CENT))


def rates_in(session: Session) -> Rates:
    """The rates for a claim started now, read in the caller's transaction."""
    row = session.get(AppSettings, 1)
    if row is None:
        return _from_environment()
    return Rates(Decimal(row.fee_percent).quantize(CENT), Decimal(row.vat_percent).quantize(CENT))


def current_rates() -> Rates:
    """The rates for a claim started now (public figures: the landing page shows them)."""
    with session_scope() as session:
        return rates_in(session)


def parse_percent(value: Any, *, field: str, high: Decimal) -> Decimal:
    """A rate from 0 to ``high`` with at most two decimals, from text ("5,5", "20") or a number."""
    if isinstance(value, bool) or not isinstance(value, str | int | Decimal):
        raise InvalidInput("error.percent_invalid", field=field)
    text = str(value).strip().removesuffix("%").strip()
    if not PERCENT.match(text):
        raise InvalidInput("error.percent_invalid", field=field)
    number = Decimal(text.replace(",", "."))
    if not Decimal(0) <= number <= high:
        raise InvalidInput("error.percent_range", field=field, max=percent_text(high))
    return number.quantize(CENT)


@dataclass(frozen=True)
class EmailSettings:
    """What the environment says about outgoing email; never the password."""

    host: str
    port: int
    sender: str
    starttls: bool
    login: str
    via_smtp: bool
    """False: emails are written to the local outbox directory instead."""


@dataclass(frozen=True)
class SettingsView:
    rates: Rates
    from_environment: bool
    """True until an admin saves rates."""
    updated_at: datetime | None
    updated_by: str
    email: EmailSettings


def _email_settings() -> EmailSettings:
    settings = get_settings()
    return EmailSettings(
        host=settings.smtp_host,
        port=settings.smtp_port,
        sender=settings.mail_from,
        starttls=settings.smtp_starttls,
        login=settings.smtp_user,
        via_smtp=bool(settings.smtp_host),
    )


def settings_view(*, actor: UserView | None) -> SettingsView:
    authorize(actor, Role.ADMIN)
    with session_scope() as session:
        row = session.get(AppSettings, 1)
        rates = rates_in(session)
        by = session.get(User, row.updated_by_id) if row and row.updated_by_id else None
        return SettingsView(
            rates=rates,
            from_environment=row is None,
            updated_at=row.updated_at if row else None,
            updated_by=by.full_name if by else "",
            email=_email_settings(),
        )


def _rates_record(rates: Rates) -> dict[str, str]:
    return {
        "fee_percent": percent_text(rates.fee_percent),
        "vat_percent": percent_text(rates.vat_percent),
    }


def update_rates(
    *, actor: UserView | None, fee_percent: Any, vat_percent: Any, ip: str = ""
) -> Rates:
    """Set the fee and VAT for claims started from now on."""
    attempted = {"fee_percent": fee_percent, "vat_percent": vat_percent}
    with refusals_audited(actor, SETTINGS_RATES, TARGET, attempted=attempted, ip=ip):
        admin = authorize(actor, Role.ADMIN)
        wanted = Rates(
            parse_percent(fee_percent, field="fee_percent", high=MAX_FEE),
            parse_percent(vat_percent, field="vat_percent", high=MAX_VAT),
        )
        for attempt in range(2):
            try:
                return _save_rates(admin, wanted, ip)
            except IntegrityError:
                # Two first saves at once: the other one created the row; do it again over it.
                if attempt:
                    raise
    raise AssertionError("unreachable")


def _save_rates(admin: UserView, wanted: Rates, ip: str) -> Rates:
    with session_scope() as session:
        row = session.get(AppSettings, 1, with_for_update=True)
        before = rates_in(session)
        if row is not None and before == wanted:
            return wanted
        if row is None:
            row = AppSettings(id=1, fee_percent=wanted.fee_percent, vat_percent=wanted.vat_percent)
            session.add(row)
        row.fee_percent, row.vat_percent = wanted.fee_percent, wanted.vat_percent
        row.updated_at, row.updated_by_id = utcnow(), admin.id
        audit.record(
            session,
            admin,
            SETTINGS_RATES,
            TARGET,
            _rates_record(before),
            _rates_record(wanted),
            ip=ip,
        )
        session.commit()
    log.info("rates changed", extra={"user_id": admin.id})
    return wanted


@dataclass(frozen=True)
class TestEmail:
    recipient: str
    via_smtp: bool


def _describe(error: Exception) -> str:
    """The SMTP server's answer, or what went wrong on the way to it, on one line."""
    if isinstance(error, smtplib.SMTPResponseException):
        answer = error.smtp_error
        text = answer.decode(errors="replace") if isinstance(answer, bytes) else str(answer)
        return f"{error.smtp_code} {text}"[:300]
    if isinstance(error, smtplib.SMTPRecipientsRefused):
        return "; ".join(
            f"{who}: {code} {answer.decode(errors='replace')}"
            for who, (code, answer) in error.recipients.items()
        )[:300]
    return (f"{type(error).__name__}: {error}" if str(error) else type(error).__name__)[:300]


def send_test_email(*, actor: UserView | None, ip: str = "") -> TestEmail:
    """Send a test email to the admin's own address with the current settings. A failure is
    raised as ``error.test_email_failed`` with the server's answer; both are in the audit log."""
    with refusals_audited(actor, SETTINGS_TEST_EMAIL, TARGET, ip=ip):
        admin = authorize(actor, Role.ADMIN)
        with session_scope() as session:
            person = session.get(User, admin.id)
            if person is None or not person.is_active:
                raise NotAuthenticated()
            recipient, locale = person.email, person.locale
    email = _email_settings()
    problem = ""
    try:
        send_mail(
            to=recipient,
            subject=translate(locale, "email.test.subject"),
            body=translate(locale, "email.test.body", host=email.host or "-", port=email.port),
        )
    except (smtplib.SMTPException, OSError) as error:
        problem = _describe(error)
        log.warning("test email failed", extra={"user_id": admin.id, "error": problem})
    with session_scope() as session:
        audit.record(
            session,
            admin,
            SETTINGS_TEST_EMAIL,
            TARGET,
            None,
            {"to": recipient, "sent": not problem},
            problem,
            ip=ip,
        )
        session.commit()
    if problem:
        raise InvalidInput("error.test_email_failed", detail=problem)
    return TestEmail(recipient, email.via_smtp)
