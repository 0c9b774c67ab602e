"""The audit log page (/admin/audit): filters, one page of entries at a time, before / after in
words. Filters are kept as the page shows them (strings) and checked on every load; the cursors of
the pages already seen stay on the server. Every handler checks the admin role again."""

from __future__ import annotations

from datetime import date
from typing import Any

import reflex as rx

from indemnisation.i18n import catalog, format_moment
from indemnisation.models import Role
from indemnisation.services import audit, audit_page
from indemnisation.services.audit import AuditFilters, AuditView
from indemnisation.services.errors import InvalidInput, ServiceError
from indemnisation.states.forms import FormState, storable
from indemnisation.states.session import run_service

ALL = "all"
PAGE_SIZE = 50
OUTCOMES = ["done", "refused"]
MAX_VALUE_SHOWN = 80
LABELLED = {
    "status": "status",
    "from_status": "status",
    "to_status": "status",
    "review": "review",
    "role": "users.role",
}
"""Recorded values shown through a translation: the key's value is the label's prefix."""


def _day(value: str, field: str) -> date | None:
    if not value:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise InvalidInput("error.date_invalid", field=field) from None


class AuditState(FormState):
    rows: list[dict[str, str]] = []
    actor_options: list[dict[str, str]] = []
    action_options: list[dict[str, str]] = []
    actor: str = ALL
    action: str = ALL
    claim: str = ""
    date_from: str = ""
    date_to: str = ""
    outcome: str = ALL
    page_number: int = 1
    has_more: bool = False
    loaded: bool = False
    _cursors: list[int] = []
    _next_cursor: int = 0

    async def _filters(self, **changed: str) -> AuditFilters:
        """The filters with ``changed`` applied, checked (InvalidInput names the field)."""
        values = {
            "actor": self.actor,
            "action": self.action,
            "claim": self.claim,
            "date_from": self.date_from,
            "date_to": self.date_to,
            "outcome": self.outcome,
        }
        values.update(changed)
        claim_id = await run_service(
            audit_page.claim_id_for, actor=await self._require(Role.ADMIN), text=values["claim"]
        )
        actor = values["actor"]
        return AuditFilters(
            actor_id=None if actor == ALL else int(actor),
            action="" if values["action"] == ALL else values["action"],
            claim_id=claim_id,
            since=_day(values["date_from"], "date_from"),
            until=_day(values["date_to"], "date_to"),
            refused=None if values["outcome"] == ALL else values["outcome"] == "refused",
        )

    def _word(self, key: str, value: Any) -> str:
        """One recorded value as people read it."""
        if value is None or value == "":
            return "—"
        if isinstance(value, bool):
            return self._tr("audit.yes" if value else "audit.no")
        texts = catalog(self.lang)
        prefix = LABELLED.get(key)
        if prefix and f"{prefix}.{value}" in texts:
            return texts[f"{prefix}.{value}"]
        if key.endswith("percent"):
            return f"{value} %"
        text = ", ".join(map(str, value)) if isinstance(value, list) else str(value)
        return text if len(text) <= MAX_VALUE_SHOWN else text[: MAX_VALUE_SHOWN - 1] + "…"

    def _field(self, key: str) -> str:
        label = f"audit.field.{key}"
        return catalog(self.lang).get(label, key)

    def _changes(self, entry: AuditView) -> str:
        """One line per field: "field: before → after" (only "after" when nothing was before)."""
        before, after = entry.before or {}, entry.after or {}
        lines = []
        for key in [*after, *(k for k in before if k not in after)]:
            if key in before and key in after:
                if before[key] == after[key]:
                    continue
                lines.append(
                    f"{self._field(key)} : {self._word(key, before[key])} → "
                    f"{self._word(key, after[key])}"
                )
            elif key in after:
                lines.append(f"{self._field(key)} : {self._word(key, after[key])}")
            else:
                lines.append(f"{self._field(key)} : {self._word(key, before[key])} → —")
        return "\n".join(lines)

    def _row(self, entry: AuditView) -> dict[str, str]:
        texts = catalog(self.lang)
        action_key = f"audit.action.{entry.action}"
        target = ""
        href = ""
        if entry.target_id is not None:
            target = f"{self._tr(f'audit.target.{entry.target_type}')} #{entry.target_id}"
            if entry.target_type == "claim":
                href = f"/admin/claims/{entry.target_id}"
            elif entry.target_type == "user":
                href = f"/admin/users/{entry.target_id}"
        elif f"audit.target.{entry.target_type}" in texts:
            target = texts[f"audit.target.{entry.target_type}"]
        return {
            "id": str(entry.id),
            "when": format_moment(self.lang, entry.at),
            "who": entry.actor_name or self._tr("audit.nobody"),
            "who_href": f"/admin/users/{entry.actor_id}" if entry.actor_id else "",
            "action": texts.get(action_key, entry.action),
            "target": target,
            "target_href": href,
            "changes": self._changes(entry),
            "note": (
                self._tr("audit.refused", code=texts.get(entry.note, entry.note))
                if entry.refused
                else entry.note
            ),
            "refused": "1" if entry.refused else "",
            "ip": entry.ip,
        }

    async def _show_page(self, page_number: int) -> None:
        user = await self._require(Role.ADMIN)
        cursors = self._cursors or [0]
        cursor = cursors[page_number - 1] if page_number <= len(cursors) else 0
        result = await run_service(
            audit.list_audit,
            actor=user,
            filters=await self._filters(),
            cursor=cursor or None,
            limit=PAGE_SIZE,
        )
        self.rows = [self._row(entry) for entry in result.entries]
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
        self.actor = self.action = self.outcome = ALL
        self.claim = self.date_from = self.date_to = ""
        try:
            user = await self._require(Role.ADMIN)
            people = await run_service(audit_page.actor_options, actor=user)
            self.actor_options = [
                {
                    "id": str(p.id),
                    "name": p.name if p.active else f"{p.name} ({self._tr('users.inactive')})",
                }
                for p in people
            ]
            texts = catalog(self.lang)
            self.action_options = [
                {"code": code, "label": texts.get(f"audit.action.{code}", code)}
                for code in audit_page.ACTIONS
            ]
            await self._first_page()
        except ServiceError as error:
            self._fail(error)

    async def _apply(self, name: str, value: str) -> None:
        """Set one filter once the whole set is valid, then show the first page."""
        self._clear()
        previous = getattr(self, name)
        try:
            await self._require(Role.ADMIN)
            await self._filters(**{name: value})
            setattr(self, name, value)
            await self._first_page()
        except ServiceError as error:
            setattr(self, name, previous)
            self._fail(error)

    @rx.event
    async def set_actor(self, value: Any) -> None:
        if value == ALL or value in [o["id"] for o in self.actor_options]:
            await self._apply("actor", value)

    @rx.event
    async def set_action(self, value: Any) -> None:
        if value == ALL or value in audit_page.ACTIONS:
            await self._apply("action", value)

    @rx.event
    async def set_claim(self, value: Any) -> None:
        if (
            isinstance(value, str)
            and len(value) <= 2 * audit_page.MAX_CLAIM_TEXT
            and storable(value)
        ):
            await self._apply("claim", value)

    @rx.event
    async def set_date_from(self, value: Any) -> None:
        if isinstance(value, str) and len(value) <= 10:
            await self._apply("date_from", value)

    @rx.event
    async def set_date_to(self, value: Any) -> None:
        if isinstance(value, str) and len(value) <= 10:
            await self._apply("date_to", value)

    @rx.event
    async def set_outcome(self, value: Any) -> None:
        if value == ALL or value in OUTCOMES:
            await self._apply("outcome", value)

    @rx.event
    async def clear_filters(self) -> None:
        self._clear()
        try:
            await self._require(Role.ADMIN)
            self.actor = self.action = self.outcome = ALL
            self.claim = self.date_from = self.date_to = ""
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
