"""The claim wizard: six steps over one draft, each saved the moment it is valid.

What the person typed stays in this state whatever the server answers, so a mistake never loses a
draft; the database keeps the last valid version of each step.
"""

from __future__ import annotations

import logging
import math
from datetime import date
from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo

import reflex as rx

from indemnisation.domain.airports import get_airport
from indemnisation.domain.airports import search as search_airports
from indemnisation.domain.fees import split_compensation
from indemnisation.flights import (
    FlightLookupError,
    FlightStatus,
    InvalidFlightNumber,
    get_flight_provider,
)
from indemnisation.i18n import format_day, format_money
from indemnisation.models import Role
from indemnisation.models.types import utcnow
from indemnisation.services import (
    claim_documents,
    claim_facts,
    claim_submission,
    claim_views,
    claims,
)
from indemnisation.services.claim_facts import DisruptionInput, SegmentInput
from indemnisation.services.claims import PassengerInput
from indemnisation.services.errors import ServiceError
from indemnisation.services.files import safe_name
from indemnisation.states.claim_display import claim_id_in, document_rows, reason_rows
from indemnisation.states.forms import FormState, field, uploaded_files
from indemnisation.states.session import run_service

log = logging.getLogger(__name__)

STEPS = 6
EMPTY_SEGMENT = {"flight_number": "", "date": "", "departure": "", "arrival": ""}
EMPTY_PASSENGER = {"full_name": "", "email": "", "phone": "", "is_minor": ""}
UPLOAD_KINDS = frozenset({"BOARDING_PASS", "IDENTITY", "DISRUPTION_PROOF", "RECEIPT"})
SEGMENT_FIELDS = frozenset(EMPTY_SEGMENT)
PASSENGER_FIELDS = frozenset(EMPTY_PASSENGER)
DISRUPTION_FIELDS = frozenset(
    {
        "kind",
        "airline_reason",
        "scheduled_arrival",
        "actual_arrival",
        "notice_days",
        "rerouting_departure_earlier_minutes",
        "rerouting_arrival_delay_minutes",
        "denial",
        "minutes_earlier",
    }
)


def _text(value: Any, limit: int = 200) -> str:
    return value[:limit] if isinstance(value, str) else ""


def _percent(value: Decimal) -> str:
    """25.00 -> "25", 5.50 -> "5.5"."""
    return f"{value.normalize():f}"


def _index(value: Any, size: int) -> int | None:
    return (
        value
        if isinstance(value, int) and not isinstance(value, bool) and 0 <= value < size
        else None
    )


def _document_id(value: Any) -> int:
    """The id of a document row as the page sends it (its digits), or 0."""
    if isinstance(value, str) and value.isascii() and value.isdigit() and len(value) <= 10:
        return int(value)
    return 0


class WizardState(FormState):
    claim_id: int = 0
    step: int = 1
    reached: int = 1
    segments: list[dict[str, str]] = [dict(EMPTY_SEGMENT)]
    single_booking: bool = True
    lookup_notice: str = ""
    airport_field: str = ""
    airport_index: int = -1
    airport_options: list[dict[str, str]] = []
    disruption: dict[str, str] = {"kind": "delay", "airline_reason": "none"}
    rerouted: bool = False
    eligibility: str = ""
    verdict_regime: str = ""
    amount_per_passenger: str = ""
    amount_total: str = ""
    fee_text: str = ""
    net_text: str = ""
    distance: str = ""
    deadline: str = ""
    deadline_passed: bool = False
    reasons: list[dict[str, str]] = []
    open_questions: list[dict[str, str]] = []
    passengers: list[dict[str, str]] = [dict(EMPTY_PASSENGER)]

    @rx.var
    def progress(self) -> int:
        return int(self.step * 100 / STEPS)

    async def _actor(self) -> Any:
        return await self._require(Role.CLAIMANT)

    # --- loading -------------------------------------------------------------------------------

    @rx.event
    async def load(self) -> rx.event.EventSpec | None:
        """Fill the wizard from the draft named in the URL; anything else goes back to the list."""
        self._clear()
        try:
            user = await self._actor()
            detail = await run_service(
                claim_views.claim_detail, actor=user, claim_id=claim_id_in(self.router.url.path)
            )
        except ServiceError:
            return rx.redirect("/claims")
        if detail.summary.status.value != "DRAFT":
            return rx.redirect(f"/claims/{detail.summary.id}")
        self.claim_id = detail.summary.id
        self.reached = detail.summary.step
        self.step = min(detail.summary.step, STEPS)
        facts = detail.facts
        self.segments = [
            {key: str(s.get(key, "")) for key in EMPTY_SEGMENT} for s in facts.get("segments", [])
        ] or [dict(EMPTY_SEGMENT)]
        self.single_booking = bool(facts.get("single_booking", True))
        self._load_disruption(facts)
        self.passengers = [
            {
                "full_name": p.full_name,
                "email": p.email,
                "phone": p.phone,
                "is_minor": "1" if p.is_minor else "",
            }
            for p in detail.passengers
        ] or [dict(EMPTY_PASSENGER)]
        self._show_verdict(detail)
        self.documents = await document_rows(user, detail.documents, self.lang)
        return None

    def _load_disruption(self, facts: dict[str, Any]) -> None:
        stored = dict(facts.get("disruption") or {})
        times = stored.pop("times", {}) or {}
        rerouting = stored.pop("rerouting", None)
        self.rerouted = rerouting is not None
        values = {
            "kind": str(stored.get("type", "delay")),
            "airline_reason": str(facts.get("airline_reason", "none")),
        }
        for key in ("notice_days", "minutes_earlier"):
            if key in stored:
                values[key] = str(stored[key])
        if "kind" in stored:
            values["denial"] = str(stored["kind"])
        values.update({k: str(v) for k, v in times.items()})
        if rerouting:
            values["rerouting_departure_earlier_minutes"] = str(
                rerouting.get("departure_earlier_minutes", 0)
            )
            values["rerouting_arrival_delay_minutes"] = str(
                rerouting.get("arrival_delay_minutes", 0)
            )
        self.disruption = values

    def _show_verdict(self, detail: claim_views.ClaimDetail) -> None:
        verdict = detail.verdict
        self.eligibility = verdict["eligible"] if verdict else ""
        if not verdict:
            return
        lang = self.lang
        self.verdict_regime = verdict["regime"]
        self.distance = f"{round(verdict['distance_km']):,}".replace(",", "\u202f")
        self.reasons = reason_rows(verdict["reasons"], lang)
        self.open_questions = reason_rows(verdict["open_questions"], lang)
        deadline = verdict.get("claim_deadline")
        self.deadline = format_day(lang, date.fromisoformat(deadline)) if deadline else ""
        self.deadline_passed = bool(deadline) and date.fromisoformat(deadline) < utcnow().date()
        per = verdict.get("per_passenger")
        if per:
            currency = per["currency"]
            total = Decimal(per["amount"]) * len(detail.passengers or [None])
            split = split_compensation(total, detail.fee_percent, detail.vat_percent)
            self.amount_per_passenger = format_money(lang, Decimal(per["amount"]), currency)
            self.amount_total = format_money(lang, total, currency)
            self.fee_text = self._tr(
                "wizard.verdict.fee",
                fee=format_money(lang, split.fee, currency),
                vat=format_money(lang, split.vat, currency),
                percent=_percent(detail.fee_percent),
                vat_percent=_percent(detail.vat_percent),
            )
            self.net_text = format_money(lang, split.net, currency)
        else:
            self.amount_per_passenger = self.amount_total = self.fee_text = self.net_text = ""

    async def _reload(self) -> None:
        """Show what the server now holds: the steps reached, the verdict and the documents."""
        user = await self._actor()
        detail = await run_service(claim_views.claim_detail, actor=user, claim_id=self.claim_id)
        self.reached = detail.summary.step
        self._show_verdict(detail)
        self.documents = await document_rows(user, detail.documents, self.lang)

    # --- navigation ----------------------------------------------------------------------------

    @rx.event
    def go_to(self, step: Any) -> None:
        """Move to a step already reached; nothing further."""
        if isinstance(step, int) and 1 <= step <= min(self.reached, STEPS):
            self._clear()
            self.step = step

    # --- step 1: flights -----------------------------------------------------------------------

    @rx.event
    def set_segment_field(self, index: Any, name: Any, value: Any) -> None:
        position = _index(index, len(self.segments))
        if position is None or not isinstance(name, str) or name not in SEGMENT_FIELDS:
            return
        self.segments[position][name] = _text(value, 40)

    @rx.event
    def add_segment(self) -> None:
        if len(self.segments) < claim_facts.MAX_SEGMENTS:
            previous = self.segments[-1]
            self.segments.append(
                {**EMPTY_SEGMENT, "date": previous["date"], "departure": previous["arrival"]}
            )

    @rx.event
    def remove_segment(self, index: Any) -> None:
        position = _index(index, len(self.segments))
        if position is not None and len(self.segments) > 1:
            self.segments.pop(position)

    @rx.event
    def set_single_booking(self, value: Any) -> None:
        self.single_booking = value is True

    @rx.event
    def search_airport(self, name: Any, index: Any, query: Any) -> None:
        """Autocomplete for the ``departure`` or ``arrival`` input of flight ``index``."""
        position = _index(index, len(self.segments))
        if name not in ("departure", "arrival") or position is None:
            return
        text = _text(query, 60)
        self.segments[position][name] = text.upper() if len(text) <= 3 else text
        self.airport_field = name
        self.airport_index = position
        self.airport_options = (
            [
                {"code": a.iata, "label": f"{a.iata} · {a.name}, {a.city} ({a.country})"}
                for a in search_airports(text, limit=6)
            ]
            if len(text.strip()) >= 2
            else []
        )

    @rx.event
    def choose_airport(self, code: Any) -> None:
        position = _index(self.airport_index, len(self.segments))
        if position is not None and self.airport_field in ("departure", "arrival"):
            self.segments[position][self.airport_field] = _text(code, 3).upper()
        self.airport_field = ""
        self.airport_options = []

    @rx.event
    async def look_up(self, index: Any) -> None:
        """Fill a flight from the flight-status providers; when none knows it, say so."""
        position = _index(index, len(self.segments))
        if position is None:
            return
        self._clear()
        self.lookup_notice = ""
        segment = self.segments[position]
        try:
            flight_date = date.fromisoformat(segment["date"])
            found = await get_flight_provider().lookup(segment["flight_number"], flight_date)
        except (ValueError, InvalidFlightNumber):
            self.error = self._tr("error.lookup_needs_number_and_date")
            return
        except FlightLookupError as error:
            log.warning("flight lookup failed", extra={"code": error.code})
            self.lookup_notice = self._tr("wizard.flights.lookup_unavailable")
            return
        if found is None:
            self.lookup_notice = self._tr("wizard.flights.lookup_unknown")
            return
        segment.update(
            flight_number=found.flight_number,
            departure=found.departure_airport,
            arrival=found.arrival_airport,
        )
        self.lookup_notice = self._tr("wizard.flights.lookup_found", number=found.flight_number)
        if position == len(self.segments) - 1 and found.scheduled_arrival:
            self._prefill_times(found)

    def _prefill_times(self, found: FlightStatus) -> None:
        airport = get_airport(found.arrival_airport)
        zone = ZoneInfo(airport.tz) if airport else None
        for key, moment in (
            ("scheduled_arrival", found.scheduled_arrival),
            ("actual_arrival", found.actual_arrival),
        ):
            if moment is not None and zone is not None:
                self.disruption[key] = moment.astimezone(zone).strftime("%Y-%m-%dT%H:%M")
        if found.state.value == "cancelled":
            self.disruption["kind"] = "cancellation"

    @rx.event
    async def save_flights(self) -> None:
        self._clear()
        try:
            await run_service(
                claim_facts.save_flights,
                actor=await self._actor(),
                claim_id=self.claim_id,
                segments=[SegmentInput(**s) for s in self.segments],
                single_booking=self.single_booking,
            )
        except ServiceError as error:
            self._fail(error)
            return
        self.reached = max(self.reached, 2)
        self.step = 2

    # --- step 2: what happened -----------------------------------------------------------------

    @rx.event
    def set_disruption_field(self, name: Any, value: Any) -> None:
        if isinstance(name, str) and name in DISRUPTION_FIELDS:
            self.disruption[name] = _text(value, 40)

    @rx.event
    def set_rerouted(self, value: Any) -> None:
        self.rerouted = value is True

    @rx.event
    async def save_disruption(self) -> None:
        self._clear()
        values = {k: v for k, v in self.disruption.items() if k in DISRUPTION_FIELDS}
        kind = values.pop("kind", "")
        try:
            await run_service(
                claim_facts.save_disruption,
                actor=await self._actor(),
                claim_id=self.claim_id,
                disruption=DisruptionInput(
                    kind=kind,
                    segment=len(self.segments) - 1 if kind == "delay" else 0,
                    rerouted=self.rerouted,
                    **values,
                ),
            )
            await self._reload()
        except ServiceError as error:
            self._fail(error)
            return
        self.step = 3

    # --- step 3: verdict -----------------------------------------------------------------------

    @rx.event
    def accept_verdict(self) -> None:
        if self.eligibility in ("yes", "uncertain"):
            self.reached = max(self.reached, 4)
            self.step = 4

    @rx.event
    async def delete_draft(self) -> rx.event.EventSpec | None:
        try:
            await run_service(
                claims.delete_draft, actor=await self._actor(), claim_id=self.claim_id
            )
        except ServiceError as error:
            self._fail(error)
            return None
        return rx.redirect("/claims")

    # --- step 4: passengers --------------------------------------------------------------------

    @rx.event
    def set_passenger_field(self, index: Any, name: Any, value: Any) -> None:
        position = _index(index, len(self.passengers))
        if position is None or not isinstance(name, str) or name not in PASSENGER_FIELDS:
            return
        if name == "is_minor":
            self.passengers[position][name] = "1" if value is True else ""
        else:
            self.passengers[position][name] = _text(value, 120)

    @rx.event
    def add_passenger(self) -> None:
        if len(self.passengers) < claims.MAX_PASSENGERS:
            self.passengers.append(dict(EMPTY_PASSENGER))

    @rx.event
    def remove_passenger(self, index: Any) -> None:
        position = _index(index, len(self.passengers))
        if position is not None and position > 0:
            self.passengers.pop(position)

    @rx.event
    async def save_passengers(self) -> None:
        self._clear()
        try:
            await run_service(
                claims.save_passengers,
                actor=await self._actor(),
                claim_id=self.claim_id,
                passengers=[
                    PassengerInput(p["full_name"], p["email"], p["phone"], p["is_minor"] == "1")
                    for p in self.passengers
                ],
            )
            await self._reload()
        except ServiceError as error:
            self._fail(error)
            return
        self.step = 5

    # --- step 5: documents ---------------------------------------------------------------------

    documents: list[dict[str, str]] = []
    upload_kind: str = "BOARDING_PASS"
    upload_progress: int = 0
    uploading: bool = False

    @rx.event
    def set_upload_kind(self, kind: Any) -> None:
        if isinstance(kind, str) and kind in UPLOAD_KINDS:
            self.upload_kind = kind

    @rx.event
    def on_progress(self, progress: Any) -> None:
        if isinstance(progress, dict):
            value = progress.get("progress", 0)
            if isinstance(value, int | float) and math.isfinite(value):
                self.upload_progress = min(max(round(value * 100), 0), 100)

    @rx.event
    async def upload(self, files: list[rx.UploadFile], proof: Any = "") -> None:
        """Store each file; a refused one says why, the others are kept. ``proof`` is the session
        id the page holds (see SessionState._require_upload)."""
        self._clear()
        self.uploading = True
        problems: list[str] = []
        try:
            user = await self._require_upload(proof, Role.CLAIMANT)
            for file in uploaded_files(files)[:10]:
                data = await file.read()
                try:
                    await run_service(
                        claim_documents.add_document,
                        actor=user,
                        claim_id=self.claim_id,
                        kind=self.upload_kind,
                        data=data,
                        filename=str(file.name or ""),
                    )
                except ServiceError as error:
                    name = safe_name(str(file.name or ""))
                    problems.append(f"{name}: {self._error_text(error)}")
            await self._reload()
        except ServiceError as error:
            self._fail(error)
        finally:
            self.uploading = False
            self.upload_progress = 0
        if problems:
            self.error = " · ".join(problems)

    @rx.event
    async def remove_document(self, document_id: Any) -> None:
        self._clear()
        try:
            await run_service(
                claim_documents.remove_document,
                actor=await self._actor(),
                claim_id=self.claim_id,
                document_id=_document_id(document_id),
            )
            await self._reload()
        except ServiceError as error:
            self._fail(error)

    @rx.event
    def documents_done(self) -> None:
        self._clear()
        self.reached = max(self.reached, 6)
        self.step = 6

    # --- step 6: review and sign ---------------------------------------------------------------

    @rx.event
    async def submit(self, form_data: Any) -> rx.event.EventSpec | None:
        self._clear()
        try:
            await run_service(
                claim_submission.sign_and_submit,
                actor=await self._actor(),
                claim_id=self.claim_id,
                signer_name=field(form_data, "signer_name"),
                consent=isinstance(form_data, dict)
                and form_data.get("consent") in ("on", "true", True),
                ip=self.router.session.client_ip,
                user_agent=self.router.headers.user_agent,
                locale=self.lang,
            )
        except ServiceError as error:
            self._fail(error)
            return None
        return rx.redirect(f"/claims/{self.claim_id}")
