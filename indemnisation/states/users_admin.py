"""The users back office: the list (/admin/users) and one person (/admin/users/<id>).

Filters are kept as the page shows them and checked by the service on every load; the cursors of
the pages already seen stay on the server. On the detail page the client only says which action
to confirm: the person is the one of the page (read from the URL on load, never from the client
afterwards), and every handler checks the admin role again from the session.
"""

from __future__ import annotations

import re
from typing import Any

import reflex as rx

from indemnisation.domain.channels import user_channel
from indemnisation.i18n import format_day, format_moment
from indemnisation.models import Role
from indemnisation.services import users_admin
from indemnisation.services.errors import ServiceError
from indemnisation.services.users_admin import UserDetail, UserRow
from indemnisation.states.forms import FormState, storable
from indemnisation.states.live import publish
from indemnisation.states.session import run_service

ALL = "all"
PAGE_SIZE = 25
ROLES = [r.value for r in Role]
STATUSES = ["active", "inactive"]
MAX_SEARCH = 2 * users_admin.MAX_QUERY  # longer reaches the service, which says why it is refused
ACCOUNT_HINT = {"t": "account"}
"""Sent to the tabs of a person whose role or activation changed: their live loops re-read who
they are (a deactivated person's stop)."""
_USER_PATH = re.compile(r"^/admin/users/(\d{1,10})/?$")


def user_id_in(path: str) -> int:
    """The user id of an ``/admin/users/<id>`` page, or 0."""
    match = _USER_PATH.match(path)
    return int(match.group(1)) if match else 0


class UsersState(FormState):
    rows: list[dict[str, str]] = []
    search: str = ""
    role: str = ALL
    status: str = ALL
    page_number: int = 1
    has_more: bool = False
    loaded: bool = False
    # Cursor of each page seen so far (0 for the first), and of the page after this one.
    _cursors: list[int] = []
    _next_cursor: int = 0

    def _row(self, row: UserRow) -> dict[str, str]:
        return {
            "id": str(row.id),
            "href": f"/admin/users/{row.id}",
            "name": row.full_name,
            "email": row.email,
            "role_code": row.role.value,
            "role": self._tr(f"users.role.{row.role.value}"),
            "active": "1" if row.is_active else "",
            "state": self._tr("users.active" if row.is_active else "users.inactive"),
            "created": format_day(self.lang, row.created_at.date(), "medium"),
            "claims": str(row.claims),
        }

    async def _show_page(self, page_number: int) -> None:
        user = await self._require(Role.ADMIN)
        cursors = self._cursors or [0]
        cursor = cursors[page_number - 1] if page_number <= len(cursors) else 0
        result = await run_service(
            users_admin.list_users,
            actor=user,
            query=self.search,
            role=None if self.role == ALL else Role(self.role),
            active=None if self.status == ALL else self.status == "active",
            cursor=cursor or None,
            limit=PAGE_SIZE,
        )
        self.rows = [self._row(row) for row in result.rows]
        self.page_number = page_number
        self._cursors = cursors[:page_number]
        self._next_cursor = result.next_cursor or 0
        self.has_more = result.next_cursor is not None
        self.loaded = True

    async def _first_page(self) -> None:
        self._cursors = [0]
        await self._show_page(1)

    @rx.event
    async def load(self) -> None:
        """Runs after the page guard; refuses again on its own, whatever the client sends."""
        self._clear()
        self.rows, self.loaded = [], False
        self.search, self.role, self.status = "", ALL, ALL
        try:
            await self._first_page()
        except ServiceError as error:
            self._fail(error)

    async def _apply(self, name: str, value: str) -> None:
        self._clear()
        previous = getattr(self, name)
        try:
            await self._require(Role.ADMIN)
            setattr(self, name, value)
            await self._first_page()
        except ServiceError as error:
            setattr(self, name, previous)
            self._fail(error)

    @rx.event
    async def set_search(self, value: Any) -> None:
        if isinstance(value, str) and len(value) <= MAX_SEARCH and storable(value):
            await self._apply("search", value)

    @rx.event
    async def set_role(self, value: Any) -> None:
        if value == ALL or value in ROLES:
            await self._apply("role", value)

    @rx.event
    async def set_status(self, value: Any) -> None:
        if value == ALL or value in STATUSES:
            await self._apply("status", value)

    @rx.event
    async def next_page(self) -> None:
        self._clear()
        if not self._next_cursor:
            return
        self._cursors = [*self._cursors[: self.page_number], self._next_cursor]
        try:
            await self._show_page(self.page_number + 1)
        except ServiceError as error:
            self._fail(error)

    @rx.event
    async def previous_page(self) -> None:
        self._clear()
        try:
            await self._show_page(max(self.page_number - 1, 1))
        except ServiceError as error:
            self._fail(error)


CONFIRMS = ("role", "deactivate", "reactivate", "reset")


class UserDetailState(FormState):
    user_id: int = 0
    name: str = ""
    email: str = ""
    role_code: str = ""
    role: str = ""
    language: str = ""
    active: bool = True
    created: str = ""
    last_login: str = ""
    open_sessions: int = 0
    claims: list[dict[str, str]] = []
    claim_count: int = 0
    is_self: bool = False
    ready: bool = False
    confirm: str = ""
    """The action waiting for confirmation in the dialog (one of CONFIRMS), or ""."""
    pending_role: str = ""

    def _show_detail(self, detail: UserDetail, me: int) -> None:
        lang = self.lang
        self.user_id, self.name, self.email = detail.id, detail.full_name, detail.email
        self.role_code = detail.role.value
        self.role = self._tr(f"users.role.{detail.role.value}")
        self.language = detail.locale.upper()
        self.active = detail.is_active
        self.created = format_moment(lang, detail.created_at)
        self.last_login = format_moment(lang, detail.last_login_at) if detail.last_login_at else ""
        self.open_sessions = detail.open_sessions
        self.claim_count = detail.claim_count
        self.claims = [
            {
                "id": str(c.id),
                "href": f"/admin/claims/{c.id}",
                "reference": c.reference or self._tr("users.claim.draft"),
                "status_code": c.status.value,
                "status": self._tr(f"status.{c.status.value}"),
                "draft": "1" if not c.reference else "",
                "route": c.route or "—",
                "flights": c.flight_numbers or "—",
                "updated": format_moment(lang, c.updated_at),
            }
            for c in detail.claims
        ]
        self.is_self = detail.id == me
        self.ready = True

    async def _refresh(self) -> None:
        user = await self._require(Role.ADMIN)
        detail = await run_service(users_admin.user_detail, actor=user, user_id=self.user_id)
        self._show_detail(detail, user.id)

    @rx.event
    async def load(self) -> None:
        """Runs after the page guard; refuses again on its own, whatever the client sends."""
        self._clear()
        self.ready, self.confirm, self.pending_role, self.claims = False, "", "", []
        self.user_id = user_id_in(self.router.url.path)
        try:
            await self._refresh()
        except ServiceError as error:
            self._fail(error)

    @rx.event
    async def ask_role(self, value: Any) -> None:
        """The role select changed: confirm before anything is written."""
        self._clear()
        try:
            await self._require(Role.ADMIN)
        except ServiceError as error:
            self._fail(error)
            return
        if value in ROLES and value != self.role_code:
            self.confirm, self.pending_role = "role", str(value)

    @rx.event
    async def ask(self, action: Any) -> None:
        self._clear()
        try:
            await self._require(Role.ADMIN)
        except ServiceError as error:
            self._fail(error)
            return
        if action in CONFIRMS and action != "role":
            self.confirm = str(action)

    @rx.event
    async def close_dialog(self, is_open: Any) -> None:
        """The dialog's own close (Escape, Cancel): nothing is done."""
        if is_open is False:
            self.confirm, self.pending_role = "", ""

    def _ip(self) -> str:
        return str(self.router.session.client_ip or "")

    @rx.event
    async def confirm_action(self) -> None:
        """Do what the dialog asked, on the person of this page."""
        action, role = self.confirm, self.pending_role
        self.confirm, self.pending_role = "", ""
        self._clear()
        try:
            # The service authorizes, so that a refused attempt is in the audit log.
            user = await self._current_user()
            args: dict[str, Any] = {"actor": user, "user_id": self.user_id, "ip": self._ip()}
            if action == "role":
                await run_service(users_admin.change_role, role=role, **args)
                await publish([user_channel(self.user_id)], ACCOUNT_HINT)
                self.notice = self._tr("users.role_changed")
            elif action in ("deactivate", "reactivate"):
                active = action == "reactivate"
                await run_service(users_admin.set_active, active=active, **args)
                if not active:
                    await publish([user_channel(self.user_id)], ACCOUNT_HINT)
                self.notice = self._tr(f"users.{action}d")
            elif action == "reset":
                sent_to = await run_service(users_admin.send_reset_link, **args)
                self.notice = self._tr("users.reset_sent", email=sent_to)
            else:
                return
            await self._refresh()
        except ServiceError as error:
            self._fail(error)
