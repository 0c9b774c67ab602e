"""The claim page: facts, verdict, documents with previews, the status timeline, withdrawal, and the
place to upload a document the team asked for."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

import reflex as rx

from indemnisation.domain.channels import claim_channel
from indemnisation.domain.claim_status import WITHDRAWABLE, ClaimStatus
from indemnisation.i18n import format_day, format_moment, format_money
from indemnisation.models import Role
from indemnisation.services import claim_documents, claim_views, claims
from indemnisation.services.errors import ServiceError
from indemnisation.states.claim_display import claim_id_in, document_rows, reason_rows
from indemnisation.states.forms import FormState, uploaded_files
from indemnisation.states.live import publish
from indemnisation.states.session import run_service


class ClaimPageState(FormState):
    claim_id: int = 0
    found: bool = False
    reference: str = ""
    status: str = ""
    status_label: str = ""
    next_step: str = ""
    route: str = ""
    flights: str = ""
    flight_date: str = ""
    eligibility: str = ""
    amount_per_passenger: str = ""
    amount_total: str = ""
    reasons: list[dict[str, str]] = []
    deadline: str = ""
    passengers: list[str] = []
    documents: list[dict[str, str]] = []
    timeline: list[dict[str, str]] = []
    can_withdraw: bool = False
    needs_info: bool = False
    uploading: bool = False

    @rx.event
    async def load(self) -> None:
        self._clear()
        self.claim_id = claim_id_in(self.router.url.path)
        try:
            await self._refresh()
        except ServiceError:
            self.found = False

    @rx.event
    async def refresh(self) -> None:
        """Re-read the claim (the team changed it while the page was open)."""
        try:
            await self._refresh()
        except ServiceError:
            self.found = False

    async def _refresh(self) -> None:
        user = await self._require()
        detail = await run_service(claim_views.claim_detail, actor=user, claim_id=self.claim_id)
        lang, summary = self.lang, detail.summary
        self.found = True
        self.reference = summary.reference or self._tr("claims.draft")
        self.status = summary.status.value
        self.status_label = self._tr(f"status.{self.status}")
        self.next_step = self._tr(f"status.next.{self.status}")
        self.route = summary.route.replace("-", " → ")
        self.flights = summary.flight_numbers
        self.flight_date = format_day(lang, summary.flight_date) if summary.flight_date else ""
        verdict = detail.verdict or {}
        self.eligibility = str(verdict.get("eligible", ""))
        per = verdict.get("per_passenger")
        if per:
            self.amount_per_passenger = format_money(lang, Decimal(per["amount"]), per["currency"])
            self.amount_total = format_money(lang, Decimal(summary.total), summary.currency)
        self.reasons = reason_rows(verdict.get("reasons", []), lang)
        deadline = verdict.get("claim_deadline")
        self.deadline = format_day(lang, date.fromisoformat(deadline)) if deadline else ""
        self.passengers = [p.full_name for p in detail.passengers]
        self.documents = await document_rows(user, detail.documents, lang)
        self.timeline = [
            {
                "status": self._tr(f"status.{e.to_status}"),
                "when": format_moment(lang, e.created_at),
                "who": self._tr("claim.by_team" if e.by_team else "claim.by_you"),
                "note": e.note,
            }
            for e in reversed(detail.events)
        ]
        self.can_withdraw = summary.status in WITHDRAWABLE and user.role is Role.CLAIMANT
        self.needs_info = summary.status is ClaimStatus.NEEDS_INFO and user.role is Role.CLAIMANT

    @rx.event
    async def withdraw(self) -> None:
        self._clear()
        try:
            await run_service(claims.withdraw, actor=await self._require(), claim_id=self.claim_id)
            await self._refresh()
        except ServiceError as error:
            self._fail(error)
            return
        self.notice = self._tr("claim.withdrawn")
        await publish([claim_channel(self.claim_id)], {"t": "claim"})

    @rx.event
    async def upload_requested(self, files: list[rx.UploadFile], proof: Any = "") -> None:
        """Upload a document the team asked for (only while the claim needs information).
        ``proof`` is the session id the page holds (see SessionState._require_upload)."""
        self._clear()
        self.uploading = True
        try:
            user = await self._require_upload(proof)
            for file in uploaded_files(files)[:10]:
                await run_service(
                    claim_documents.add_document,
                    actor=user,
                    claim_id=self.claim_id,
                    kind="REQUESTED",
                    data=await file.read(),
                    filename=str(file.name or ""),
                )
            await self._refresh()
            self.notice = self._tr("claim.document_received")
            await publish([claim_channel(self.claim_id)], {"t": "claim"})
        except ServiceError as error:
            self._fail(error)
        finally:
            self.uploading = False
