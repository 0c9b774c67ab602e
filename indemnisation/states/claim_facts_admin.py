"""The facts editor of the admin claim view: the claim's flights and what happened, corrected by
the team, then the verdict computed again and what that changed.

The form keeps what the admin typed whatever the server answers; an error names its field and
shows beside it. Every handler that reads or writes facts re-derives the person from the
server-side session and lets the service decide: a claimant or an anonymous client gets nothing
to see, and a forged correction is refused and audited there.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

import reflex as rx

from indemnisation.domain.airports import search as search_airports
from indemnisation.domain.eligibility import AirlineReason, BoardingDenial
from indemnisation.i18n import format_day, format_moment, format_money
from indemnisation.services import claim_admin, claim_facts, claim_facts_admin
from indemnisation.services.claim_facts import DisruptionInput, SegmentInput
from indemnisation.services.claim_facts_admin import FactsForm, FactsView, VerdictChange
from indemnisation.services.errors import ServiceError
from indemnisation.services.views import UserView
from indemnisation.states.claim_admin import CLAIM_HINT, ClaimAdminState
from indemnisation.states.claim_display import claim_id_in
from indemnisation.states.claim_page import ClaimPageState
from indemnisation.states.forms import FormState, storable
from indemnisation.states.live import publish
from indemnisation.states.session import run_service

KINDS = claim_facts.DISRUPTIONS
REASONS = tuple(r.value for r in AirlineReason)
DENIALS = tuple(d.value for d in BoardingDenial)
EMPTY_SEGMENT = {"flight_number": "", "date": "", "departure": "", "arrival": ""}
SEGMENT_FIELDS = frozenset(EMPTY_SEGMENT)
TEXT_FIELDS = (
    "scheduled_arrival",
    "actual_arrival",
    "notice_days",
    "rerouting_departure_earlier_minutes",
    "rerouting_arrival_delay_minutes",
    "denial",
    "minutes_earlier",
)
DISRUPTION_FIELDS = frozenset({"kind", "airline_reason", "segment", *TEXT_FIELDS})
MAX_INPUT = 40


def _text(value: Any, limit: int = MAX_INPUT) -> str:
    """A client-sent text, cut short; anything else, or a text no database can keep, is ''."""
    text = value[:limit] if isinstance(value, str) else ""
    return text if storable(text) else ""


def _digits(value: str) -> int | None:
    return int(value) if value.isascii() and value.isdigit() else None


def _index(value: Any, size: int) -> int | None:
    if isinstance(value, int) and not isinstance(value, bool) and 0 <= value < size:
        return value
    return None


def _moment(value: str) -> str:
    """A stored local time ("2026-03-14T17:15") as people read it."""
    return value.replace("T", " ")


def _minutes(scheduled: str, actual: str) -> int | None:
    try:
        late = datetime.fromisoformat(actual) - datetime.fromisoformat(scheduled)
    except ValueError:
        return None
    return int(late.total_seconds() // 60)


class ClaimFactsState(FormState):
    claim_id: int = 0
    ready: bool = False
    editable: bool = False
    locked: str = ""
    summary: list[dict[str, str]] = []
    stale: bool = False
    change: list[dict[str, str]] = []
    change_by: str = ""
    editing: bool = False
    confirming: bool = False
    segments: list[dict[str, str]] = []
    single_booking: bool = True
    disruption: dict[str, str] = {}
    rerouted: bool = False
    airport_options: list[dict[str, str]] = []
    _fingerprint: str = ""

    # --- showing ---------------------------------------------------------------------------------

    @rx.event
    async def load(self) -> None:
        self._clear()
        self.ready = self.editing = self.confirming = False
        self.summary, self.change, self.segments, self.disruption = [], [], [], {}
        self.claim_id = claim_id_in(self.router.url.path)
        try:
            await self._reload(await self._current_user())
        except ServiceError:
            self.ready = False

    @rx.event
    async def refresh(self) -> None:
        """Re-read after a change made elsewhere on the page; a form being edited stays."""
        try:
            await self._reload(await self._current_user())
        except ServiceError:
            self.ready = False

    async def _reload(self, user: UserView | None) -> FactsView:
        view = await run_service(claim_facts_admin.facts_view, actor=user, claim_id=self.claim_id)
        self.editable = view.editable
        self.locked = self._tr(view.locked) if view.locked else ""
        self.summary = self._summary(view.form)
        self.stale = view.verdict_stale
        self._show_change(view.last_rerun)
        if not self.editing:
            self._fingerprint = view.fingerprint
        self.ready = True
        return view

    def _summary(self, form: FactsForm) -> list[dict[str, str]]:
        lang, d = self.lang, form.disruption
        rows = []
        for i, s in enumerate(form.segments):
            try:
                day = format_day(lang, date.fromisoformat(s.date))
            except ValueError:
                day = s.date
            rows.append(
                {
                    "key": f"segment-{i}",
                    "label": f"{self._tr('wizard.flights.flight')} {i + 1}",
                    "value": f"{s.flight_number} · {day} · {s.departure} → {s.arrival}",
                }
            )

        def row(key: str, label: str, value: str) -> None:
            rows.append({"key": key, "label": self._tr(label), "value": value})

        yes_no = "audit.yes" if form.single_booking else "audit.no"
        row("single-booking", "wizard.flights.single_booking", self._tr(yes_no))
        kind = self._tr(f"disruption.{d.kind}") if d.kind in KINDS else d.kind
        if d.kind != "delay" and len(form.segments) > 1:
            kind = f"{kind} · {self._tr('wizard.flights.flight')} {d.segment + 1}"
        row("kind", "wizard.disruption.kind", kind)
        if d.kind == "delay":
            row("scheduled", "wizard.disruption.scheduled_arrival", _moment(d.scheduled_arrival))
            row("actual", "wizard.disruption.actual_arrival", _moment(d.actual_arrival))
            late = _minutes(d.scheduled_arrival, d.actual_arrival)
            if late is not None:
                hours, minutes = f"{late // 60}", f"{late % 60:02d}"
                value = self._tr("admin.facts.delay_value", hours=hours, minutes=minutes)
                row("delay", "admin.facts.delay", value)
        if d.kind in ("cancellation", "brought_forward"):
            row("notice", "wizard.disruption.notice_days", d.notice_days)
        if d.kind == "brought_forward":
            row("earlier", "wizard.disruption.minutes_earlier", d.minutes_earlier)
        if d.kind == "denied_boarding":
            row("denial", "wizard.disruption.denial", self._tr(f"denial.{d.denial}"))
        if d.rerouted:
            row(
                "rerouting",
                "wizard.disruption.rerouted",
                self._tr(
                    "admin.facts.rerouting",
                    earlier=d.rerouting_departure_earlier_minutes,
                    later=d.rerouting_arrival_delay_minutes,
                ),
            )
        row("reason", "wizard.disruption.reason", self._tr(f"reason.{d.airline_reason}"))
        return rows

    def _show_change(self, change: VerdictChange | None) -> None:
        if change is None:
            self.change, self.change_by = [], ""
            return
        lang = self.lang

        def verdict(value: str) -> str:
            return self._tr(f"admin.facts.eligibility.{value or 'none'}")

        def money(amount: int) -> str:
            return format_money(lang, amount, change.currency)

        rows = [
            {
                "key": "eligibility",
                "label": self._tr("admin.facts.change.eligibility"),
                "before": verdict(change.eligibility_before),
                "after": verdict(change.eligibility_after),
            },
            {
                "key": "amount",
                "label": self._tr("admin.facts.change.amount"),
                "before": money(change.amount_before),
                "after": money(change.amount_after),
            },
        ]
        if change.regime_before != change.regime_after:
            rows.append(
                {
                    "key": "regime",
                    "label": self._tr("admin.facts.change.regime"),
                    "before": change.regime_before or "—",
                    "after": change.regime_after or "—",
                }
            )
        for key, codes in (("added", change.reasons_added), ("removed", change.reasons_removed)):
            if codes:
                rows.append(
                    {
                        "key": f"reasons-{key}",
                        "label": self._tr(f"admin.facts.change.reasons_{key}"),
                        "before": "",
                        "after": ", ".join(codes),
                    }
                )
        self.change = [r | {"same": "1" if r["before"] == r["after"] else ""} for r in rows]
        self.change_by = self._tr(
            "admin.facts.change.by",
            name=change.by or self._tr("audit.nobody"),
            when=format_moment(lang, change.at),
        )

    # --- editing ---------------------------------------------------------------------------------

    @rx.event
    async def edit(self) -> None:
        """Open the form, filled with the facts as they are now."""
        self._clear()
        self.editing = self.confirming = False
        try:
            view = await self._reload(await self._current_user())
        except ServiceError as error:
            self._fail(error)
            return
        if not view.editable:
            return
        form = view.form
        self.segments = [
            {
                "flight_number": s.flight_number,
                "date": s.date,
                "departure": s.departure,
                "arrival": s.arrival,
            }
            for s in form.segments
        ] or [dict(EMPTY_SEGMENT)]
        self.single_booking = form.single_booking
        d = form.disruption
        self.disruption = {
            "kind": d.kind,
            "airline_reason": d.airline_reason,
            "segment": str(d.segment),
            **{name: getattr(d, name) for name in TEXT_FIELDS},
        }
        self.rerouted = d.rerouted
        self._fingerprint = view.fingerprint
        self.editing = True

    @rx.event
    def cancel(self) -> None:
        self._clear()
        self.editing = self.confirming = False
        self.airport_options = []

    @rx.event
    def set_segment_field(self, index: Any, name: Any, value: Any) -> None:
        position = _index(index, len(self.segments))
        if position is None or not isinstance(name, str) or name not in SEGMENT_FIELDS:
            return
        self.segments[position][name] = _text(value)

    @rx.event
    def search_airport(self, index: Any, name: Any, value: Any) -> None:
        """The ``departure`` or ``arrival`` of flight ``index`` as typed, and airports that fit."""
        position = _index(index, len(self.segments))
        if position is None or name not in ("departure", "arrival"):
            return
        text = _text(value, 60)
        self.segments[position][name] = text.upper() if len(text) <= 3 else text
        self.airport_options = (
            [
                {"code": a.iata, "label": f"{a.name}, {a.city} ({a.country})"}
                for a in search_airports(text, limit=6)
            ]
            if len(text.strip()) >= 2
            else []
        )

    @rx.event
    def add_segment(self) -> None:
        if self.segments and len(self.segments) < claim_facts.MAX_SEGMENTS:
            previous = self.segments[-1]
            self.segments.append(
                {**EMPTY_SEGMENT, "date": previous["date"], "departure": previous["arrival"]}
            )

    @rx.event
    def remove_segment(self, index: Any) -> None:
        position = _index(index, len(self.segments))
        if position is not None and len(self.segments) > 1:
            self.segments.pop(position)
            chosen = _digits(self.disruption.get("segment", ""))
            if chosen is None or chosen >= len(self.segments):
                self.disruption["segment"] = "0"

    @rx.event
    def set_single_booking(self, value: Any) -> None:
        self.single_booking = value is True

    @rx.event
    def set_field(self, name: Any, value: Any) -> None:
        if isinstance(name, str) and name in DISRUPTION_FIELDS:
            self.disruption[name] = _text(value)

    @rx.event
    def set_rerouted(self, value: Any) -> None:
        self.rerouted = value is True

    @rx.event
    def ask_save(self) -> None:
        """Open the confirmation; nothing is sent yet."""
        self._clear()
        self.confirming = self.editing

    @rx.event
    def close_confirm(self, is_open: Any = False) -> None:
        if is_open is not True:
            self.confirming = False

    def _inputs(self) -> tuple[list[SegmentInput], DisruptionInput]:
        segments = [
            SegmentInput(**{k: _text(s.get(k, "")) for k in EMPTY_SEGMENT}) for s in self.segments
        ]
        values = self.disruption
        kind = _text(values.get("kind", ""))
        chosen = _digits(_text(values.get("segment", "")))
        # A delay counts at the final destination, as in the wizard.
        segment = len(segments) - 1 if kind == "delay" else -1 if chosen is None else chosen
        disruption = DisruptionInput(
            kind=kind,
            airline_reason=_text(values.get("airline_reason", "")),
            segment=segment,
            rerouted=self.rerouted,
            **{name: _text(values.get(name, "")) for name in TEXT_FIELDS},
        )
        return segments, disruption

    @rx.event
    async def save(self) -> list[object] | None:
        """Send the correction; on a refusal the form stays as typed, the error at its field."""
        self._clear()
        self.confirming = False
        segments, disruption = self._inputs()
        user = await self._current_user()
        try:
            done = await run_service(
                claim_facts_admin.correct_facts,
                actor=user,
                claim_id=self.claim_id,
                segments=segments,
                single_booking=self.single_booking,
                disruption=disruption,
                expected=self._fingerprint,
                ip=self.router.session.client_ip,
            )
            if done.changed:
                await publish([n.channel for n in done.notify], CLAIM_HINT)
            self.editing = False
            self.airport_options = []
            await self._reload(user)
        except ServiceError as error:
            self._fail(error)
            return None
        self.notice = self._tr("admin.facts.saved" if done.changed else "admin.facts.unchanged")
        return [ClaimPageState.refresh, ClaimAdminState.refresh]

    @rx.event
    async def rerun(self) -> list[object] | None:
        """Compute the verdict again from the corrected facts, then show what changed."""
        self._clear()
        user = await self._current_user()
        try:
            done = await run_service(
                claim_admin.rerun_verdict,
                actor=user,
                claim_id=self.claim_id,
                ip=self.router.session.client_ip,
            )
            await publish([n.channel for n in done.notify], CLAIM_HINT)
            await self._reload(user)
        except ServiceError as error:
            self._fail(error)
            return None
        self.notice = self._tr("admin.claim.verdict_done")
        return [ClaimPageState.refresh, ClaimAdminState.refresh]
