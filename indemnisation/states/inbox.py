"""The admin inbox (/admin/inbox): filters, one page of threads at a time, "mark as unread".

Filters are kept as the page shows them (strings) and checked by the service on every load;
the cursors of the pages already seen stay on the server, so the client only says "next" or
"previous". Every handler checks the admin role again from the session.
"""

from __future__ import annotations

from typing import Any

import reflex as rx

from indemnisation.domain.channels import ADMINS, user_channel
from indemnisation.domain.claim_status import ClaimStatus
from indemnisation.i18n import format_ago, format_duration, format_moment
from indemnisation.models import Role
from indemnisation.models.types import utcnow
from indemnisation.services import inbox, messaging
from indemnisation.services.errors import ServiceError
from indemnisation.services.inbox import InboxFilters, InboxRow
from indemnisation.states.forms import FormState, storable
from indemnisation.states.live import run_live
from indemnisation.states.session import run_service

ALL = "all"
PAGE_SIZE = 25
MAX_SEARCH = 2 * inbox.MAX_QUERY  # longer reaches the service, which says why it is refused
STATUSES = [s.value for s in ClaimStatus if s is not ClaimStatus.DRAFT]


def requested_claim_id(value: Any) -> int | None:
    """The claim id a client sent (the page sends the strings it was given), or None."""
    if isinstance(value, str) and value.isascii() and value.isdigit() and len(value) <= 10:
        return int(value)
    if isinstance(value, int) and not isinstance(value, bool):
        return value
    return None


class InboxState(FormState):
    rows: list[dict[str, str]] = []
    admin_options: list[dict[str, str]] = []
    unread_only: bool = False
    status: str = ALL
    assigned: str = ALL
    date_from: str = ""
    date_to: str = ""
    search: str = ""
    page_number: int = 1
    has_more: bool = False
    loaded: bool = False
    _generation: int = 0
    # Cursor of each page seen so far ("" for the first), and of the page after this one.
    _cursors: list[str] = []
    _next_cursor: str = ""

    def _filters(self, **changed: Any) -> InboxFilters:
        """The filters with ``changed`` applied, checked (InvalidInput names the field)."""
        values: dict[str, Any] = {
            "unread_only": self.unread_only,
            "status": self.status,
            "assigned": self.assigned,
            "date_from": self.date_from,
            "date_to": self.date_to,
            "q": self.search,
        }
        values.update(changed)
        for name in ("status", "assigned"):
            if values[name] == ALL:
                values[name] = None
        return inbox.check_filters(**values)

    def _row(self, row: InboxRow, now: Any) -> dict[str, str]:
        lang = self.lang
        return {
            "claim_id": str(row.claim_id),
            "href": f"/admin/claims/{row.claim_id}",
            "reference": row.reference,
            "claimant": row.claimant_name,
            "status_code": row.status.value,
            "status": self._tr(f"status.{row.status.value}"),
            "assigned": row.assigned_name or "—",
            "sender": row.last_sender_name,
            "from_team": "1" if row.last_from_team else "",
            "excerpt": row.excerpt,
            "ago": format_ago(lang, row.last_message_at, now),
            "moment": format_moment(lang, row.last_message_at),
            "waiting": self._tr(
                "inbox.waiting_for", duration=format_duration(lang, now - row.waiting_since)
            )
            if row.waiting_since
            else "",
            "waiting_moment": format_moment(lang, row.waiting_since) if row.waiting_since else "",
            "count": str(row.message_count),
            "unread": "1" if row.unread else "",
        }

    async def _show_page(self, page_number: int) -> None:
        """Load page ``page_number`` (1-based; its cursor is known) with the current filters."""
        user = await self._require(Role.ADMIN)
        cursors = self._cursors or [""]
        cursor = cursors[page_number - 1] if page_number <= len(cursors) else ""
        result = await run_service(
            inbox.list_threads,
            actor=user,
            filters=self._filters(),
            cursor=cursor or None,
            limit=PAGE_SIZE,
        )
        now = utcnow()
        self.rows = [self._row(row, now) for row in result.rows]
        self.page_number = page_number
        self._cursors = cursors[:page_number]
        self._next_cursor = result.next_cursor or ""
        self.has_more = result.has_more
        self.loaded = True

    async def _first_page(self) -> None:
        self._cursors = [""]
        await self._show_page(1)

    @rx.event
    async def load(self) -> rx.event.EventSpec | None:
        """Runs after the page guard; refuses again on its own, whatever the client sends. Then
        the list stays live."""
        self._clear()
        self.rows, self.loaded = [], False
        self.unread_only, self.status, self.assigned = False, ALL, ALL
        self.date_from = self.date_to = self.search = ""
        try:
            user = await self._require(Role.ADMIN)
            admins = await run_service(inbox.list_admins, actor=user)
            self.admin_options = [{"id": str(a.id), "name": a.full_name} for a in admins]
            await self._first_page()
        except ServiceError as error:
            self._fail(error)
            return None
        return InboxState.follow

    @rx.event(background=True)
    async def follow(self) -> None:
        """Re-read the page on screen when a claimant writes or a thread is read elsewhere, and
        every few seconds for the relative times (one loop per tab)."""
        async with self:
            self._generation += 1
            generation = self._generation
            token = self.router.session.client_token
            try:
                user = await self._require(Role.ADMIN)
            except ServiceError:
                return

        async def wake(*_: object) -> None:
            try:
                await self._show_page(self.page_number)
            except ServiceError as error:
                self._fail(error)

        async for _ in run_live(
            self,
            [ADMINS, user_channel(user.id)],
            token=token,
            still_wanted=lambda: (
                self._generation == generation
                and self.router.url.path.rstrip("/") == "/admin/inbox"
            ),
            on_wake=wake,
            coalesce=True,
        ):
            pass  # the inbox asks for nothing else

    async def _apply(self, name: str, value: Any, **changed: Any) -> None:
        """Set one filter once the whole set is valid, then show the first page."""
        self._clear()
        try:
            await self._require(Role.ADMIN)
            self._filters(**changed)
            setattr(self, name, value)
            await self._first_page()
        except ServiceError as error:
            self._fail(error)

    @rx.event
    async def set_unread_only(self, value: Any) -> None:
        if isinstance(value, bool):
            await self._apply("unread_only", value, unread_only=value)

    @rx.event
    async def set_status(self, value: Any) -> None:
        if value == ALL or value in STATUSES:
            await self._apply("status", value, status=None if value == ALL else value)

    @rx.event
    async def set_assigned(self, value: Any) -> None:
        if not isinstance(value, str) or len(value) > 10:
            return
        await self._apply("assigned", value, assigned=None if value == ALL else value)

    @rx.event
    async def set_date_from(self, value: Any) -> None:
        if isinstance(value, str) and len(value) <= 10:
            await self._apply("date_from", value, date_from=value)

    @rx.event
    async def set_date_to(self, value: Any) -> None:
        if isinstance(value, str) and len(value) <= 10:
            await self._apply("date_to", value, date_to=value)

    @rx.event
    async def set_search(self, value: Any) -> None:
        if isinstance(value, str) and len(value) <= MAX_SEARCH and storable(value):
            await self._apply("search", value, q=value)

    @rx.event
    async def clear_filters(self) -> None:
        self._clear()
        try:
            await self._require(Role.ADMIN)
            self.unread_only, self.status, self.assigned = False, ALL, ALL
            self.date_from = self.date_to = self.search = ""
            await self._first_page()
        except ServiceError as error:
            self._fail(error)

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

    @rx.event
    async def refresh(self) -> None:
        """Reload the page on screen (a message arrived, a thread was read elsewhere)."""
        try:
            await self._show_page(self.page_number)
        except ServiceError as error:
            self._fail(error)

    @rx.event
    async def mark_unread(self, claim_id: Any) -> None:
        self._clear()
        try:
            user = await self._require(Role.ADMIN)
            await run_service(
                messaging.mark_unread, actor=user, claim_id=requested_claim_id(claim_id)
            )
            await self._show_page(self.page_number)
        except ServiceError as error:
            self._fail(error)
