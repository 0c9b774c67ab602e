"""The settings page (/admin/settings): our fee and VAT, the email settings (read-only) and a test
email to the admin's own address. Every handler checks the admin role again from the session."""

from __future__ import annotations

from typing import Any

import reflex as rx

from indemnisation.i18n import format_moment
from indemnisation.models import Role
from indemnisation.services import app_settings
from indemnisation.services.app_settings import SettingsView, percent_text
from indemnisation.services.errors import ServiceError
from indemnisation.states.forms import FormState
from indemnisation.states.session import run_service

MAX_DRAFT = 20  # longer reaches the service, which says why it is refused


class SettingsState(FormState):
    fee: str = ""
    vat: str = ""
    saved_fee: str = ""
    saved_vat: str = ""
    from_environment: bool = True
    updated: str = ""
    smtp_host: str = ""
    smtp_port: str = ""
    smtp_sender: str = ""
    smtp_starttls: bool = False
    smtp_login: str = ""
    via_smtp: bool = False
    test_result: str = ""
    test_error: str = ""
    sending: bool = False
    ready: bool = False

    def _show_settings(self, view: SettingsView) -> None:
        self.saved_fee = self.fee = percent_text(view.rates.fee_percent)
        self.saved_vat = self.vat = percent_text(view.rates.vat_percent)
        self.from_environment = view.from_environment
        self.updated = (
            self._tr(
                "settings.updated_by",
                when=format_moment(self.lang, view.updated_at),
                who=view.updated_by or "—",
            )
            if view.updated_at
            else ""
        )
        email = view.email
        self.smtp_host, self.smtp_port = email.host, str(email.port)
        self.smtp_sender, self.smtp_starttls = email.sender, email.starttls
        self.smtp_login, self.via_smtp = email.login, email.via_smtp
        self.ready = True

    async def _refresh(self) -> None:
        user = await self._require(Role.ADMIN)
        self._show_settings(await run_service(app_settings.settings_view, actor=user))

    @rx.event
    async def load(self) -> None:
        """Runs after the page guard; refuses again on its own, whatever the client sends."""
        self._clear()
        self.ready, self.test_result, self.test_error, self.sending = False, "", "", False
        try:
            await self._refresh()
        except ServiceError as error:
            self._fail(error)

    async def _set_draft(self, name: str, value: Any) -> None:
        try:
            await self._require(Role.ADMIN)
        except ServiceError as error:
            self._fail(error)
            return
        if isinstance(value, str) and len(value) <= MAX_DRAFT:
            setattr(self, name, value)

    @rx.event
    async def set_fee(self, value: Any) -> None:
        await self._set_draft("fee", value)

    @rx.event
    async def set_vat(self, value: Any) -> None:
        await self._set_draft("vat", value)

    @rx.event
    async def save(self) -> None:
        """Save the rates as typed; a refusal keeps them typed, with the reason."""
        self._clear()
        try:
            # The service authorizes, so that a refused attempt is in the audit log.
            user = await self._current_user()
            await run_service(
                app_settings.update_rates,
                actor=user,
                fee_percent=self.fee,
                vat_percent=self.vat,
                ip=str(self.router.session.client_ip or ""),
            )
            await self._refresh()
        except ServiceError as error:
            self._fail(error)
            return
        self.notice = self._tr("settings.saved")

    @rx.event
    async def send_test_email(self) -> Any:
        """Shows the button busy while the server talks to the mail server (up to its timeout)."""
        self.test_result, self.test_error, self.sending = "", "", True
        yield
        try:
            user = await self._current_user()
            sent = await run_service(
                app_settings.send_test_email,
                actor=user,
                ip=str(self.router.session.client_ip or ""),
            )
        except ServiceError as error:
            self.test_error = self._error_text(error)
            return
        finally:
            self.sending = False
        key = "settings.test_sent" if sent.via_smtp else "settings.test_outbox"
        self.test_result = self._tr(key, email=sent.recipient)
