"""'My claims': the claimant's claims, newest first, drafts apart; and starting a new one."""

from __future__ import annotations

from decimal import Decimal

import reflex as rx

from indemnisation.i18n import format_day, format_money
from indemnisation.models import Role
from indemnisation.services import claim_views, claims
from indemnisation.services.claim_views import ClaimSummary
from indemnisation.services.errors import ServiceError
from indemnisation.states.forms import FormState
from indemnisation.states.session import run_service


class ClaimsListState(FormState):
    submitted: list[dict[str, str]] = []
    drafts: list[dict[str, str]] = []
    loaded: bool = False

    def _row(self, claim: ClaimSummary) -> dict[str, str]:
        lang = self.lang
        status = claim.status.value
        return {
            "id": str(claim.id),
            "reference": claim.reference or self._tr("claims.draft"),
            "route": claim.route.replace("-", " → ") or "—",
            "flights": claim.flight_numbers,
            "date": format_day(lang, claim.flight_date) if claim.flight_date else "—",
            "status": self._tr(f"status.{status}"),
            "status_code": status,
            "amount": format_money(lang, Decimal(claim.total), claim.currency)
            if claim.total
            else "—",
            "next": self._tr(f"status.next.{status}"),
            "href": f"/claims/{claim.id}/edit" if status == "DRAFT" else f"/claims/{claim.id}",
        }

    @rx.event
    async def load(self) -> None:
        try:
            user = await self._require(Role.CLAIMANT)
            rows = await run_service(claim_views.list_claims, actor=user)
        except ServiceError:
            return
        self.drafts = [self._row(c) for c in rows if c.status.value == "DRAFT"]
        self.submitted = [self._row(c) for c in rows if c.status.value != "DRAFT"]
        self.loaded = True

    @rx.event
    async def new_claim(self) -> rx.event.EventSpec | None:
        self._clear()
        try:
            claim_id = await run_service(
                claims.create_draft, actor=await self._require(Role.CLAIMANT)
            )
        except ServiceError as error:
            self._fail(error)
            return None
        return rx.redirect(f"/claims/{claim_id}/edit")
