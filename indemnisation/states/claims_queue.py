"""The claims queue (/admin/claims): filters, search, sortable columns, keyset pages, bulk
assignment and the CSV export.

Filters are kept as the page shows them (strings) and checked by the service on every change;
the cursors of the pages seen stay on the server, so the client only says "next" or "previous".
Selections are ids of the rows on screen only. The export: the handler counts the rows and signs a
five-minute ticket for this admin and these filters, then has the browser download it from
/exports/queue/<ticket> (which checks the session cookie and the filters again): the page shows
the number of rows, and the browser its own progress of the download as the rows stream in.
Every handler checks the admin role again from the session.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any

import reflex as rx
from babel import Locale

from indemnisation.i18n import format_day, format_moment, format_money, format_number
from indemnisation.models import Role
from indemnisation.services import claims_queue, claims_queue_export, inbox
from indemnisation.services.claims_queue import QueueFilters, QueueOrder, QueueRow, Sort
from indemnisation.services.errors import ServiceError
from indemnisation.states.claim_admin import CLAIM_HINT
from indemnisation.states.forms import FormState, storable
from indemnisation.states.live import publish
from indemnisation.states.session import run_service

ALL = "all"
PAGE_SIZE = 25
STATUSES = [s.value for s in claims_queue.STATUSES]
SORTS = [s.value for s in Sort]
TEXT_FILTERS = {
    "airline": 2,
    "date_from": 10,
    "date_to": 10,
    "amount_min": 6,
    "amount_max": 6,
    "search": 4 * claims_queue.MAX_QUERY,
}
CHOICE_FILTERS = {"status", "country", "assigned", "date_field"}
FLAG_FILTERS = {"unread_only", "missing_documents"}


class QueueState(FormState):
    rows: list[dict[str, str]] = []
    admin_options: list[dict[str, str]] = []
    country_options: list[dict[str, str]] = []
    status: str = ALL
    airline: str = ""
    country: str = ALL
    date_field: str = "submitted"
    date_from: str = ""
    date_to: str = ""
    amount_min: str = ""
    amount_max: str = ""
    assigned: str = ALL
    unread_only: bool = False
    missing_documents: bool = False
    search: str = ""
    sort: str = Sort.SUBMITTED.value
    descending: bool = True
    selected: list[str] = []
    bulk_assignee: str = ""
    page_number: int = 1
    has_more: bool = False
    loaded: bool = False
    export_rows: str = ""
    exporting: bool = False
    _cursors: list[str] = []
    _next_cursor: str = ""

    # --- reading ------------------------------------------------------------------------------

    def _filters(self, **changed: Any) -> QueueFilters:
        """The filters with ``changed`` applied, checked (InvalidInput names the field)."""
        values: dict[str, Any] = {
            "status": self.status,
            "airline": self.airline,
            "country": self.country,
            "date_field": self.date_field,
            "date_from": self.date_from,
            "date_to": self.date_to,
            "amount_min": self.amount_min,
            "amount_max": self.amount_max,
            "assigned": self.assigned,
            "unread_only": self.unread_only,
            "missing_documents": self.missing_documents,
            "search": self.search,
        }
        values.update(changed)
        for name in ("status", "country", "assigned"):
            if values[name] == ALL:
                values[name] = None
        values["q"] = values.pop("search")
        return claims_queue.check_filters(**values)

    def _order(self) -> QueueOrder:
        return claims_queue.check_order(self.sort, self.descending)

    def _row(self, row: QueueRow) -> dict[str, str]:
        lang = self.lang
        return {
            "claim_id": str(row.claim_id),
            "href": f"/admin/claims/{row.claim_id}",
            "reference": row.reference,
            "status_code": row.status.value,
            "status": self._tr(f"status.{row.status.value}"),
            "claimant": row.claimant_name,
            "email": row.claimant_email,
            "flights": row.flight_numbers,
            "route": row.route,
            "flight_date": format_day(lang, row.flight_date, "d MMM y") if row.flight_date else "",
            "amount": format_money(lang, row.amount_per_passenger, row.currency),
            "passengers": str(row.passengers),
            "assigned": row.assigned_name or "—",
            "submitted": format_moment(lang, row.submitted_at) if row.submitted_at else "",
            "last_message": format_moment(lang, row.last_message_at) if row.last_message_at else "",
            "unread": "1" if row.unread else "",
        }

    async def _show_page(self, page_number: int) -> None:
        """Page ``page_number`` (1-based, its cursor known) with the current filters and sort."""
        user = await self._require(Role.ADMIN)
        cursors = self._cursors or [""]
        cursor = cursors[page_number - 1] if page_number <= len(cursors) else ""
        result = await run_service(
            claims_queue.list_queue,
            actor=user,
            filters=self._filters(),
            order=self._order(),
            cursor=cursor or None,
            limit=PAGE_SIZE,
        )
        self.rows = [self._row(row) for row in result.rows]
        self.selected = []
        self.export_rows = ""
        self.page_number = page_number
        self._cursors = cursors[:page_number]
        self._next_cursor = result.next_cursor or ""
        self.has_more = result.next_cursor is not None
        self.loaded = True

    async def _first_page(self) -> None:
        self._cursors = [""]
        await self._show_page(1)

    def _reset_filters(self) -> None:
        self.status = self.country = self.assigned = ALL
        self.airline = self.date_from = self.date_to = ""
        self.amount_min = self.amount_max = self.search = ""
        self.date_field = "submitted"
        self.unread_only = self.missing_documents = False

    @rx.event
    async def load(self) -> None:
        """Runs after the page guard; refuses again on its own, whatever the client sends."""
        self._clear()
        self.rows, self.selected, self.loaded = [], [], False
        self.admin_options, self.country_options = [], []
        self._reset_filters()
        self.sort, self.descending, self.bulk_assignee = Sort.SUBMITTED.value, True, ""
        try:
            user = await self._require(Role.ADMIN)
            admins = await run_service(inbox.list_admins, actor=user)
            self.admin_options = [{"id": str(a.id), "name": a.full_name} for a in admins]
            self.country_options = self._countries()
            await self._first_page()
        except ServiceError as error:
            self._fail(error)

    def _countries(self) -> list[dict[str, str]]:
        """The countries with an airport, by their name in the admin's language."""
        names = Locale(self.lang).territories
        shown = [
            {"code": code, "name": names.get(code, code)}
            for code in claims_queue.departure_countries()
        ]
        return sorted(shown, key=lambda c: c["name"])

    # --- filters, sort, pages ------------------------------------------------------------------

    @rx.event
    async def set_filter(self, name: Any, value: Any) -> None:
        """Set one filter once the whole set is valid, then show the first page."""
        if not isinstance(name, str):
            return
        if name not in TEXT_FILTERS and name not in CHOICE_FILTERS and name not in FLAG_FILTERS:
            return
        if name in FLAG_FILTERS and not isinstance(value, bool):
            return
        if name not in FLAG_FILTERS and (
            not isinstance(value, str) or len(value) > 400 or not storable(value)
        ):
            return
        if name in TEXT_FILTERS and len(value) > TEXT_FILTERS[name]:
            return
        self._clear()
        try:
            await self._require(Role.ADMIN)
            self._filters(**{name: value})
            setattr(self, name, value)
            await self._first_page()
        except ServiceError as error:
            self._fail(error)

    @rx.event
    async def clear_filters(self) -> None:
        self._clear()
        try:
            await self._require(Role.ADMIN)
            self._reset_filters()
            await self._first_page()
        except ServiceError as error:
            self._fail(error)

    @rx.event
    async def sort_by(self, column: Any) -> None:
        """Sort on ``column``; the same column again turns the order around."""
        if column not in SORTS:
            return
        self._clear()
        try:
            await self._require(Role.ADMIN)
            self.descending = not self.descending if column == self.sort else True
            self.sort = column
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

    # --- selection and bulk assignment ----------------------------------------------------------

    @rx.event
    def toggle_select(self, claim_id: Any, checked: Any) -> None:
        """Only a row on screen can be selected."""
        shown = {row["claim_id"] for row in self.rows}
        if not isinstance(claim_id, str) or claim_id not in shown or not isinstance(checked, bool):
            return
        rest = [c for c in self.selected if c != claim_id]
        self.selected = [*rest, claim_id] if checked else rest

    @rx.event
    def select_page(self, checked: Any) -> None:
        if isinstance(checked, bool):
            self.selected = [row["claim_id"] for row in self.rows] if checked else []

    @rx.event
    def set_bulk_assignee(self, value: Any) -> None:
        if isinstance(value, str) and len(value) <= 10:
            self.bulk_assignee = value

    @rx.event
    async def bulk_assign(self) -> None:
        """Give the selected claims to the chosen admin (or to nobody), all or nothing."""
        self._clear()
        try:
            user = await self._require(Role.ADMIN)
            claim_ids = [int(c) for c in self.selected if c.isdigit() and len(c) <= 10]
            done = await run_service(
                claims_queue.bulk_assign,
                actor=user,
                claim_ids=claim_ids,
                assignee=self.bulk_assignee,
                ip=self.router.session.client_ip,
            )
            await publish([n.channel for n in done.notify], CLAIM_HINT)
            await self._show_page(self.page_number)
            self.notice = self._tr("queue.bulk.done", count=len(claim_ids))
        except ServiceError as error:
            self._fail(error)

    # --- export ---------------------------------------------------------------------------------

    @rx.event
    async def export(self) -> AsyncIterator[rx.event.EventSpec | None]:
        """Count the rows, sign a ticket for them, and have the browser download the CSV; the
        button spins meanwhile, then "N rows" stays beside it."""
        self._clear()
        self.export_rows, self.exporting = "", True
        yield None
        try:
            user = await self._require(Role.ADMIN)
            filters, order = self._filters(), self._order()
            count = await run_service(claims_queue.count_queue, actor=user, filters=filters)
            ticket = await run_service(
                claims_queue_export.sign_export, actor=user, filters=filters, order=order
            )
        except ServiceError as error:
            self._fail(error)
            return
        finally:
            self.exporting = False
        self.export_rows = self._tr("queue.export.rows", count=format_number(self.lang, count))
        yield rx.download(url=f"/exports/queue/{ticket}")
