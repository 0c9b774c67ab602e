"""The processing panel of the admin claim view: status moves, document reviews, assignment, the
verdict re-run and the claim's audit trail.

Every acting handler re-derives the person from the server-side session and hands them, with the
client's arguments, to the service, which refuses anyone but an admin and logs the refusal in the
audit trail. After a change the claim page is re-read here, and the claimant's open tabs are
hinted (``{"t": "claim"}``) to re-read theirs.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import reflex as rx

from indemnisation.i18n import format_moment
from indemnisation.services import claim_admin, claim_assignment, inbox
from indemnisation.services.audit import AuditView
from indemnisation.services.errors import ServiceError
from indemnisation.services.messaging import Notification
from indemnisation.services.views import UserView
from indemnisation.states.claim_display import claim_id_in
from indemnisation.states.claim_page import ClaimPageState
from indemnisation.states.forms import FormState, storable
from indemnisation.states.live import publish
from indemnisation.states.session import run_service

CLAIM_HINT = {"t": "claim"}
NOBODY = "none"
MAX_TEXT = 4000
"""Longer texts from the client are not even passed on (the services cap them far lower)."""


def _id(value: Any) -> Any:
    """A client-sent id as an int when it looks like one; anything else goes to the service as
    it came, to be refused and logged there."""
    if isinstance(value, str) and value.isascii() and value.isdigit() and len(value) <= 10:
        return int(value)
    return value


def _text(form_data: Any, name: str) -> Any:
    """A client-sent text, cut short; one the database cannot store goes on as None, for the
    service to refuse (and audit) like any value that is not text."""
    value = form_data.get(name, "") if isinstance(form_data, dict) else ""
    if not isinstance(value, str):
        return value
    return value[:MAX_TEXT] if storable(value[:MAX_TEXT]) else None


class ClaimAdminState(FormState):
    claim_id: int = 0
    ready: bool = False
    statuses: list[dict[str, str]] = []
    pending_label: str = ""
    documents: list[dict[str, str]] = []
    reject_name: str = ""
    admins: list[dict[str, str]] = []
    assigned: str = NOBODY
    trail: list[dict[str, str]] = []
    trail_more: bool = False
    _pending_status: str = ""
    _reject_id: int = 0
    _trail_cursor: int | None = None

    # --- showing ---------------------------------------------------------------------------------

    @rx.event
    async def load(self) -> None:
        self._clear()
        self.ready, self._pending_status, self._reject_id = False, "", 0
        self.pending_label = self.reject_name = ""
        self.claim_id = claim_id_in(self.router.url.path)
        try:
            await self._reload(await self._current_user())
        except ServiceError:
            self.ready = False

    @rx.event
    async def refresh(self) -> None:
        """Re-read the claim after a change made elsewhere; what is on screen (notice, open
        dialog) stays."""
        try:
            await self._reload(await self._current_user())
        except ServiceError:
            self.ready = False

    async def _reload(self, user: UserView | None) -> None:
        view = await run_service(claim_admin.processing_view, actor=user, claim_id=self.claim_id)
        self.statuses = [
            {"value": s.value, "label": self._tr(f"status.{s.value}")} for s in view.allowed
        ]
        self.documents = [
            {
                "id": str(d.id),
                "name": d.name,
                "kind": self._tr(f"document.kind.{d.kind.value}"),
                "review": d.review.value,
                "review_label": self._tr(f"review.{d.review.value}"),
                "reason": d.reason,
            }
            for d in view.documents
        ]
        admins = await run_service(inbox.list_admins, actor=user)
        self.admins = [{"id": str(a.id), "name": a.full_name} for a in admins]
        self.assigned = str(view.assigned_to_id) if view.assigned_to_id else NOBODY
        page = await run_service(claim_admin.claim_trail, actor=user, claim_id=self.claim_id)
        self.trail = [self._trail_row(e) for e in page.entries]
        self._trail_cursor, self.trail_more = page.next_cursor, page.next_cursor is not None
        self.ready = True

    def _trail_row(self, entry: AuditView) -> dict[str, str]:
        return {
            "id": str(entry.id),
            "when": format_moment(self.lang, entry.at),
            "who": entry.actor_name or self._tr("audit.nobody"),
            "action": self._tr(f"audit.action.{entry.action}"),
            "detail": _detail(entry, self._word),
            "refused": self._tr("audit.refused", code=self._tr(entry.note))
            if entry.refused
            else "",
        }

    def _word(self, key: str, value: Any) -> str:
        if value is None or value == "":
            return "—"
        if key == "status":
            return self._tr(f"status.{value}")
        if key == "review":
            return self._tr(f"review.{value}")
        if key == "assigned_to":
            names = {a["id"]: a["name"] for a in self.admins}
            return names.get(str(value), f"#{value}")
        return str(value)

    @rx.event
    async def more_trail(self) -> None:
        """The next, older page of the trail."""
        if self._trail_cursor is None:
            return
        try:
            page = await run_service(
                claim_admin.claim_trail,
                actor=await self._current_user(),
                claim_id=self.claim_id,
                cursor=self._trail_cursor,
            )
        except ServiceError as error:
            self._fail(error)
            return
        self.trail = self.trail + [self._trail_row(e) for e in page.entries]
        self._trail_cursor, self.trail_more = page.next_cursor, page.next_cursor is not None

    async def _changed(self, user: UserView | None, notify: tuple[Notification, ...]) -> None:
        """After a change: this panel and the claim page re-read, the other tabs hinted."""
        await publish([n.channel for n in notify], CLAIM_HINT)
        await self._reload(user)
        page = await self.get_state(ClaimPageState)
        if page.claim_id == self.claim_id:
            await page._refresh()

    # --- status -----------------------------------------------------------------------------------

    @rx.event
    def ask_status(self, status: Any) -> None:
        """Open the confirmation for one of the statuses offered (nothing else can be asked)."""
        self._clear()
        offered = {s["value"]: s["label"] for s in self.statuses}
        if isinstance(status, str) and status in offered:
            self._pending_status, self.pending_label = status, offered[status]

    @rx.event
    def close_status(self, is_open: Any = False) -> None:
        if is_open is not True:
            self._pending_status, self.pending_label = "", ""

    @rx.event
    async def confirm_status(self, form_data: Any) -> None:
        self._clear()
        status, self._pending_status, self.pending_label = self._pending_status, "", ""
        user = await self._current_user()
        try:
            done = await run_service(
                claim_admin.change_status,
                actor=user,
                claim_id=self.claim_id,
                to_status=status,
                note=_text(form_data, "note"),
                ip=self.router.session.client_ip,
            )
            await self._changed(user, done.notify)
        except ServiceError as error:
            self._fail(error)
            return
        self.notice = self._tr("admin.claim.status_done", status=self._tr(f"status.{status}"))

    # --- documents --------------------------------------------------------------------------------

    @rx.event
    async def accept_document(self, document_id: Any) -> None:
        await self._review(document_id, "accept", "")

    @rx.event
    def ask_reject(self, document_id: Any) -> None:
        self._clear()
        wanted = str(document_id)
        for document in self.documents:
            if document["id"] == wanted:
                self._reject_id, self.reject_name = int(wanted), document["name"]

    @rx.event
    def close_reject(self, is_open: Any = False) -> None:
        if is_open is not True:
            self._reject_id, self.reject_name = 0, ""

    @rx.event
    async def confirm_reject(self, form_data: Any) -> None:
        document_id, self._reject_id, self.reject_name = self._reject_id, 0, ""
        await self._review(document_id, "reject", _text(form_data, "reason"))

    async def _review(self, document_id: Any, decision: str, reason: Any) -> None:
        self._clear()
        user = await self._current_user()
        try:
            done = await run_service(
                claim_admin.review_document,
                actor=user,
                claim_id=self.claim_id,
                document_id=_id(document_id),
                decision=decision,
                reason=reason,
                ip=self.router.session.client_ip,
            )
            await self._changed(user, done.notify)
        except ServiceError as error:
            self._fail(error)
            return
        self.notice = self._tr(
            "admin.claim.document_rejected"
            if decision == "reject"
            else "admin.claim.document_accepted"
        )

    # --- assignment and verdict -------------------------------------------------------------------

    @rx.event
    async def assign(self, value: Any) -> None:
        self._clear()
        user = await self._current_user()
        try:
            done = await run_service(
                claim_assignment.assign,
                actor=user,
                claim_id=self.claim_id,
                assignee_id=None if value == NOBODY else _id(value),
                ip=self.router.session.client_ip,
            )
            await self._changed(user, done.notify)
        except ServiceError as error:
            self._fail(error)
            return
        self.notice = self._tr("admin.claim.assigned")

    @rx.event
    async def rerun_verdict(self) -> None:
        self._clear()
        user = await self._current_user()
        try:
            done = await run_service(
                claim_admin.rerun_verdict,
                actor=user,
                claim_id=self.claim_id,
                ip=self.router.session.client_ip,
            )
            await self._changed(user, done.notify)
        except ServiceError as error:
            self._fail(error)
            return
        self.notice = self._tr("admin.claim.verdict_done")


SHOWN = ("status", "review", "reason", "assigned_to", "eligibility", "amount_per_passenger")
"""The values of an entry the trail shows, in this order."""


def _detail(entry: AuditView, word: Callable[[str, Any], str]) -> str:
    """What changed, "before → after", each value in words (``word(key, value)``)."""
    if entry.refused or entry.before is None or entry.after is None:
        return ""
    before, after = entry.before, entry.after
    changed = [
        f"{word(key, before.get(key))} → {word(key, after.get(key))}"
        for key in SHOWN
        if key in after and before.get(key) != after.get(key)
    ]
    return "; ".join(changed)[:300]
