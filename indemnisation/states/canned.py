"""Canned responses: the admin page that manages them (/admin/canned) and the picker that offers
them in the message composer. Both re-check the admin role on every event."""

from __future__ import annotations

from typing import Any

import reflex as rx

from indemnisation.i18n import LOCALES, format_moment
from indemnisation.models import Role
from indemnisation.services import canned
from indemnisation.services.errors import ServiceError
from indemnisation.states.forms import FormState
from indemnisation.states.session import SessionState, run_service

EXCERPT_LENGTH = 120
# Longer than the service accepts, so that an over-long draft reaches it and gets its message.
MAX_DRAFT_TITLE = 4 * canned.MAX_TITLE
MAX_DRAFT_BODY = 2 * canned.MAX_BODY


def response_id_in(value: Any) -> int | None:
    """The id a client sent (the page sends the strings it was given), or None when malformed."""
    if isinstance(value, str) and value.isascii() and value.isdigit() and len(value) <= 10:
        return int(value)
    if isinstance(value, int) and not isinstance(value, bool):
        return value
    return None


def excerpt(body: str) -> str:
    """The beginning of a body on one line."""
    text = " ".join(body.split())
    return text if len(text) <= EXCERPT_LENGTH else text[: EXCERPT_LENGTH - 1].rstrip() + "…"


class CannedState(FormState):
    tab: str = "fr"
    responses: list[dict[str, str]] = []
    editing_id: int = 0
    draft_locale: str = "fr"
    draft_title: str = ""
    draft_body: str = ""
    confirm_id: int = 0
    confirm_title: str = ""

    def _new_draft(self, locale: str) -> None:
        self.editing_id, self.draft_locale = 0, locale
        self.draft_title = self.draft_body = ""

    async def _refresh(self) -> None:
        user = await self._require(Role.ADMIN)
        views = await run_service(canned.list_responses, actor=user, locale=self.tab)
        self.responses = [
            {
                "id": str(v.id),
                "title": v.title,
                "excerpt": excerpt(v.body),
                "updated": format_moment(self.lang, v.updated_at),
            }
            for v in views
        ]

    @rx.event
    async def load(self) -> None:
        """Runs after the page guard; refuses again on its own, whatever the client sends."""
        self._clear()
        self.confirm_id, self.confirm_title = 0, ""
        self.tab = self.lang
        self._new_draft(self.tab)
        try:
            await self._refresh()
        except ServiceError:
            self.responses = []

    @rx.event
    async def show_locale(self, locale: Any) -> None:
        self._clear()
        try:
            await self._require(Role.ADMIN)
            self.tab = canned.check_locale(locale)
            await self._refresh()
        except ServiceError as error:
            self._fail(error)
            return
        if self.editing_id == 0 and not self.draft_title and not self.draft_body:
            self.draft_locale = self.tab

    @rx.event
    async def new_response(self) -> None:
        self._clear()
        try:
            await self._require(Role.ADMIN)
        except ServiceError as error:
            self._fail(error)
            return
        self._new_draft(self.tab)

    @rx.event
    async def edit(self, response_id: Any) -> None:
        self._clear()
        try:
            user = await self._require(Role.ADMIN)
            view = await run_service(
                canned.get_response, actor=user, response_id=response_id_in(response_id)
            )
        except ServiceError as error:
            self._fail(error)
            return
        self.editing_id, self.draft_locale = view.id, view.locale
        self.draft_title, self.draft_body = view.title, view.body

    async def _set_draft(self, name: str, value: Any, limit: int) -> None:
        try:
            await self._require(Role.ADMIN)
        except ServiceError as error:
            self._fail(error)
            return
        if isinstance(value, str) and len(value) <= limit:
            setattr(self, name, value)

    @rx.event
    async def set_title(self, value: Any) -> None:
        await self._set_draft("draft_title", value, MAX_DRAFT_TITLE)

    @rx.event
    async def set_body(self, value: Any) -> None:
        await self._set_draft("draft_body", value, MAX_DRAFT_BODY)

    @rx.event
    async def set_draft_locale(self, value: Any) -> None:
        if value in LOCALES:
            await self._set_draft("draft_locale", value, 2)

    @rx.event
    async def save(self) -> None:
        """Create or update; on a refusal the draft stays as typed, with the reason."""
        self._clear()
        try:
            user = await self._require(Role.ADMIN)
            view = await run_service(
                canned.save_response,
                actor=user,
                response_id=self.editing_id or None,
                locale=self.draft_locale,
                title=self.draft_title,
                body=self.draft_body,
            )
            self.tab = view.locale
            self._new_draft(view.locale)
            await self._refresh()
        except ServiceError as error:
            self._fail(error)
            return
        self.notice = self._tr("canned.saved")

    @rx.event
    async def ask_delete(self, response_id: Any) -> None:
        self._clear()
        try:
            user = await self._require(Role.ADMIN)
            view = await run_service(
                canned.get_response, actor=user, response_id=response_id_in(response_id)
            )
        except ServiceError as error:
            self._fail(error)
            return
        self.confirm_id, self.confirm_title = view.id, view.title

    @rx.event
    async def close_dialog(self, is_open: Any) -> None:
        """The dialog's own close (Escape, Cancel): forget which response was to be deleted."""
        try:
            await self._require(Role.ADMIN)
        except ServiceError as error:
            self._fail(error)
            return
        if is_open is False:
            self.confirm_id, self.confirm_title = 0, ""

    @rx.event
    async def delete(self) -> None:
        self._clear()
        response_id, self.confirm_id, self.confirm_title = self.confirm_id, 0, ""
        try:
            user = await self._require(Role.ADMIN)
            await run_service(canned.delete_response, actor=user, response_id=response_id)
            if self.editing_id == response_id:
                self._new_draft(self.tab)
            await self._refresh()
        except ServiceError as error:
            self._fail(error)
            return
        self.notice = self._tr("canned.deleted")


class CannedPickerState(SessionState):
    """The responses of one language for the message composer: ``canned_options`` holds
    ``{"id", "title", "body"}`` rows; inserting a body into the composer is the composer's job."""

    canned_options: list[dict[str, str]] = []
    canned_options_locale: str = ""

    @rx.event
    async def load_for(self, locale: Any) -> None:
        self.canned_options, self.canned_options_locale = [], ""
        if locale not in LOCALES:
            return
        try:
            user = await self._require(Role.ADMIN)
            views = await run_service(canned.list_responses, actor=user, locale=locale)
        except ServiceError:
            return
        self.canned_options = [{"id": str(v.id), "title": v.title, "body": v.body} for v in views]
        self.canned_options_locale = str(locale)
