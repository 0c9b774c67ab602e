"""Fee and VAT set by admins (for claims started from then on), the read-only email settings and
the test email through a real SMTP server."""

from __future__ import annotations

from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from indemnisation.db import session_scope
from indemnisation.models import AppSettings, Claim
from indemnisation.services import app_settings, claims
from indemnisation.services.errors import Forbidden, InvalidInput, NotAuthenticated
from indemnisation.settings import get_settings
from tests.conftest import outbox_mails
from tests.services.audit_helpers import entries
from tests.smtp_server import Collector, free_port, start


def claim_rates(claim_id: int) -> tuple[Decimal, Decimal]:
    with session_scope() as session:
        claim = session.get(Claim, claim_id)
        assert claim is not None
        return claim.fee_percent, claim.vat_percent


def saved_row() -> AppSettings | None:
    with session_scope() as session:
        return session.get(AppSettings, 1)


def test_environment_rates_until_an_admin_saves(make: Any) -> None:
    admin = make.admin()
    view = app_settings.settings_view(actor=admin)
    assert view.from_environment and view.updated_at is None
    assert view.rates == app_settings.Rates(Decimal("25.00"), Decimal("20.00"))
    assert app_settings.current_rates() == view.rates


def test_new_rates_apply_to_new_claims_only(make: Any) -> None:
    admin = make.admin(full_name="Alice Admin")
    owner = make.user()
    before = claims.create_draft(actor=owner)
    saved = app_settings.update_rates(
        actor=admin, fee_percent="30", vat_percent="5,5", ip="203.0.113.9"
    )
    assert saved == app_settings.Rates(Decimal("30.00"), Decimal("5.50"))
    after = claims.create_draft(actor=owner)
    assert claim_rates(before) == (Decimal("25.00"), Decimal("20.00"))
    assert claim_rates(after) == (Decimal("30.00"), Decimal("5.50"))
    view = app_settings.settings_view(actor=admin)
    assert not view.from_environment and view.updated_by == "Alice Admin"
    (entry,) = entries(action="settings.rates")
    assert (entry.actor_id, entry.target_type, entry.ip) == (admin.id, "settings", "203.0.113.9")
    assert entry.before == {"fee_percent": "25", "vat_percent": "20"}
    assert entry.after == {"fee_percent": "30", "vat_percent": "5.5"}


def test_saving_again_updates_the_single_row(make: Any) -> None:
    admin = make.admin()
    app_settings.update_rates(actor=admin, fee_percent="30", vat_percent="20")
    app_settings.update_rates(actor=admin, fee_percent=Decimal("28.5"), vat_percent=20)
    assert app_settings.current_rates().fee_percent == Decimal("28.50")
    assert [(e.before, e.after) for e in entries(action="settings.rates")][1] == (
        {"fee_percent": "30", "vat_percent": "20"},
        {"fee_percent": "28.5", "vat_percent": "20"},
    )


def test_unchanged_rates_write_nothing(make: Any) -> None:
    admin = make.admin()
    app_settings.update_rates(actor=admin, fee_percent="30", vat_percent="20")
    app_settings.update_rates(actor=admin, fee_percent="30.00", vat_percent="20 %")
    assert len(entries(action="settings.rates")) == 1


@pytest.mark.parametrize(
    ("fee", "vat", "code", "field"),
    [
        ("50.01", "20", "error.percent_range", "fee_percent"),
        ("60", "20", "error.percent_range", "fee_percent"),
        ("25", "30.5", "error.percent_range", "vat_percent"),
        ("-1", "20", "error.percent_invalid", "fee_percent"),
        ("25.123", "20", "error.percent_invalid", "fee_percent"),
        ("abc", "20", "error.percent_invalid", "fee_percent"),
        ("", "20", "error.percent_invalid", "fee_percent"),
        ("25", None, "error.percent_invalid", "vat_percent"),
        (25.0, "20", "error.percent_invalid", "fee_percent"),
        (True, "20", "error.percent_invalid", "fee_percent"),
        ("NaN", "20", "error.percent_invalid", "fee_percent"),
        ("1e1", "20", "error.percent_invalid", "fee_percent"),
    ],
)
def test_rates_out_of_range_or_malformed_are_refused(
    make: Any, fee: Any, vat: Any, code: str, field: str
) -> None:
    admin = make.admin()
    with pytest.raises(InvalidInput) as refused:
        app_settings.update_rates(actor=admin, fee_percent=fee, vat_percent=vat)
    assert (refused.value.code, refused.value.field) == (code, field)
    assert saved_row() is None
    (entry,) = entries(action="settings.rates")
    assert (entry.refused, entry.note) == (True, code)


@pytest.mark.parametrize(("fee", "vat"), [("0", "0"), ("50", "30"), ("12,34", "0.5")])
def test_bounds_are_accepted(make: Any, fee: str, vat: str) -> None:
    admin = make.admin()
    app_settings.update_rates(actor=admin, fee_percent=fee, vat_percent=vat)
    assert saved_row() is not None


def test_claimant_and_anonymous_cannot_change_rates(make: Any) -> None:
    claimant = make.user()
    with pytest.raises(Forbidden):
        app_settings.update_rates(actor=claimant, fee_percent="1", vat_percent="1")
    with pytest.raises(NotAuthenticated):
        app_settings.update_rates(actor=None, fee_percent="1", vat_percent="1")
    with pytest.raises(Forbidden):
        app_settings.settings_view(actor=claimant)
    assert saved_row() is None
    assert [e.refused for e in entries(action="settings.rates")] == [True, True]


def test_email_settings_never_show_the_password(make: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    settings = get_settings()
    monkeypatch.setattr(settings, "smtp_host", "smtp.example.org")
    monkeypatch.setattr(settings, "smtp_user", "mailer")
    monkeypatch.setattr(settings, "smtp_password", "s3cret-pass")
    view = app_settings.settings_view(actor=make.admin())
    assert (view.email.host, view.email.login, view.email.via_smtp) == (
        "smtp.example.org",
        "mailer",
        True,
    )
    assert "s3cret-pass" not in repr(view)


# --- the test email ------------------------------------------------------------------------------


@pytest.fixture
def smtp(monkeypatch: pytest.MonkeyPatch) -> Iterator[Collector]:
    collector = Collector()
    controller, port = start(collector)
    settings = get_settings()
    monkeypatch.setattr(settings, "smtp_host", "127.0.0.1")
    monkeypatch.setattr(settings, "smtp_port", port)
    monkeypatch.setattr(settings, "smtp_starttls", False)
    yield collector
    controller.stop()


def test_test_email_reaches_the_admin_through_smtp(make: Any, smtp: Collector) -> None:
    admin = make.admin(email="boss@example.org", locale="en")
    sent = app_settings.send_test_email(actor=admin, ip="192.0.2.1")
    assert (sent.recipient, sent.via_smtp) == ("boss@example.org", True)
    assert smtp.recipients() == ["boss@example.org"]
    assert smtp.subjects() == ["Indemnisation test email"]
    (entry,) = entries(action="settings.test_email")
    assert (entry.after, entry.note, entry.refused) == (
        {"to": "boss@example.org", "sent": True},
        "",
        False,
    )


def test_test_email_reports_the_servers_refusal(make: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    class Refusing(Collector):
        async def handle_RCPT(
            self, server: object, session: object, envelope: object, address: str, options: Any
        ) -> str:
            return "550 5.1.1 Mailbox unavailable"

    collector = Refusing()
    controller, port = start(collector)
    settings = get_settings()
    monkeypatch.setattr(settings, "smtp_host", "127.0.0.1")
    monkeypatch.setattr(settings, "smtp_port", port)
    monkeypatch.setattr(settings, "smtp_starttls", False)
    try:
        with pytest.raises(InvalidInput) as failed:
            app_settings.send_test_email(actor=make.admin(email="boss@example.org"))
    finally:
        controller.stop()
    assert failed.value.code == "error.test_email_failed"
    assert "550" in failed.value.params["detail"]
    assert "Mailbox unavailable" in failed.value.params["detail"]
    (entry,) = entries(action="settings.test_email")
    assert entry.after == {"to": "boss@example.org", "sent": False}
    assert "550" in entry.note


def test_test_email_reports_an_unreachable_server(
    make: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    settings = get_settings()
    monkeypatch.setattr(settings, "smtp_host", "127.0.0.1")
    monkeypatch.setattr(settings, "smtp_port", free_port())
    with pytest.raises(InvalidInput) as failed:
        app_settings.send_test_email(actor=make.admin())
    assert "ConnectionRefusedError" in failed.value.params["detail"]


def test_without_smtp_the_test_email_goes_to_the_outbox(make: Any, outbox: Path) -> None:
    sent = app_settings.send_test_email(actor=make.admin(locale="fr"))
    assert not sent.via_smtp
    ((subject, _),) = outbox_mails(outbox)
    assert subject == "Indemnisation : email de test"


def test_claimant_cannot_send_a_test_email(make: Any, outbox: Path) -> None:
    with pytest.raises(Forbidden):
        app_settings.send_test_email(actor=make.user())
    assert outbox_mails(outbox) == []
    (entry,) = entries(action="settings.test_email")
    assert entry.refused
