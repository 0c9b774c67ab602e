"""Registration, login, password reset and password change."""

from __future__ import annotations

import logging
from typing import Any

import reflex as rx

from indemnisation.services import accounts
from indemnisation.services.errors import InvalidInput, ServiceError
from indemnisation.states.forms import FormState, field
from indemnisation.states.session import run_service, safe_next

log = logging.getLogger(__name__)


class RegisterState(FormState):
    @rx.event
    async def register(self, form_data: Any) -> rx.event.EventSpec | None:
        self._clear()
        if field(form_data, "password") != field(form_data, "password_confirm"):
            self._fail(InvalidInput("error.password_mismatch", field="password_confirm"))
            return None
        try:
            signed_in = await run_service(
                accounts.register,
                email=field(form_data, "email"),
                full_name=field(form_data, "full_name"),
                password=field(form_data, "password"),
                locale=self.lang,
                ip=self.router.session.client_ip,
                user_agent=self.router.headers.user_agent,
            )
        except ServiceError as error:
            self._fail(error)
            return None
        self._sign_in(signed_in)
        return rx.redirect("/claims")


class LoginState(FormState):
    @rx.event
    async def login(self, form_data: Any) -> rx.event.EventSpec | None:
        self._clear()
        try:
            signed_in = await run_service(
                accounts.login,
                email=field(form_data, "email"),
                password=field(form_data, "password"),
                ip=self.router.session.client_ip,
                user_agent=self.router.headers.user_agent,
            )
        except ServiceError as error:
            self._fail(error)
            return None
        self._sign_in(signed_in)
        home = "/admin" if signed_in.user.is_admin else "/claims"
        return rx.redirect(safe_next(self.router.url.query_parameters.get("next")) or home)


class ForgotPasswordState(FormState):
    @rx.event
    async def request_reset(self, form_data: Any) -> None:
        self._clear()
        try:
            await run_service(
                accounts.request_password_reset, email=field(form_data, "email"), locale=self.lang
            )
        except ServiceError as error:
            self._fail(error)
            return
        self.notice = self._tr("auth.forgot.sent")


class ResetPasswordState(FormState):
    done: bool = False

    @rx.event
    async def set_new_password(self, form_data: Any) -> None:
        self._clear()
        if field(form_data, "password") != field(form_data, "password_confirm"):
            self._fail(InvalidInput("error.password_mismatch", field="password_confirm"))
            return
        try:
            await run_service(
                accounts.reset_password,
                token=str(self.router.url.query_parameters.get("token", "")),
                new_password=field(form_data, "password"),
            )
        except ServiceError as error:
            self._fail(error)
            return
        self.done = True
        self.notice = self._tr("auth.reset.done")

    @rx.event
    def start(self) -> None:
        self._clear()
        self.done = False


class AccountState(FormState):
    @rx.event
    async def change_password(self, form_data: Any) -> None:
        self._clear()
        try:
            user = await self._require()
            if field(form_data, "new_password") != field(form_data, "new_password_confirm"):
                raise InvalidInput("error.password_mismatch", field="new_password_confirm")
            await run_service(
                accounts.change_password,
                actor=user,
                token=self.auth_token,
                current_password=field(form_data, "current_password"),
                new_password=field(form_data, "new_password"),
            )
        except ServiceError as error:
            self._fail(error)
            return
        self.notice = self._tr("account.password_changed")
