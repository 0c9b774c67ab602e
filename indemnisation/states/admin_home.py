"""The admin dashboard (/admin): figures about accounts and claims, loaded only after the admin
check, in two steps: the cheap headline figures first, then those that read many claims' history
(money, first reply, top airlines and routes), so the first screen does not wait for them."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import reflex as rx

from indemnisation.domain.claim_status import ClaimStatus
from indemnisation.i18n import format_day, format_duration, format_moment, format_money
from indemnisation.i18n import format_number as number
from indemnisation.models import Role
from indemnisation.models.types import utcnow
from indemnisation.services import admin_overview, dashboard
from indemnisation.services.dashboard import Count
from indemnisation.services.errors import ServiceError
from indemnisation.states.session import SessionState, run_service

NONE = "—"


class AdminHomeState(SessionState):
    claimants: int = 0
    admins: int = 0
    new_this_week: int = 0
    active_sessions: int = 0
    recent: list[dict[str, str]] = []
    # Claims (numbers already written the admin's way).
    claims_today: str = ""
    claims_week: str = ""
    open_claims: str = ""
    waiting_threads: str = ""
    oldest_wait: str = ""
    by_status: list[dict[str, Any]] = []  # code, name, count (a number for the charts), shown
    weeks: list[dict[str, Any]] = []  # week, claims
    first_reply: str = ""
    first_reply_claims: str = ""
    money: list[dict[str, str]] = []  # currency, claimed, obtained, paid
    top_airlines: list[dict[str, Any]] = []  # name, claims
    top_routes: list[dict[str, Any]] = []
    details_loaded: bool = False

    @rx.event
    async def load(self) -> rx.event.EventSpec | None:
        """Runs after the page guard; refuses again on its own, whatever the client sends."""
        self.details_loaded = False
        try:
            user = await self._require(Role.ADMIN)
            data = await run_service(admin_overview.overview, actor=user)
            head = await run_service(dashboard.headline, actor=user)
        except ServiceError:
            return None
        lang = self.lang
        self.claimants, self.admins = data.claimants, data.admins
        self.new_this_week, self.active_sessions = data.new_this_week, data.active_sessions
        self.recent = [
            {
                "name": r.full_name,
                "email": r.email,
                "role": self._tr(f"role.{r.role.value}"),
                "created": format_moment(lang, r.created_at),
            }
            for r in data.recent
        ]
        self.claims_today = number(lang, head.new_today)
        self.claims_week = number(lang, head.new_this_week)
        closed = {ClaimStatus.PAID, ClaimStatus.REJECTED, ClaimStatus.CLOSED, ClaimStatus.WITHDRAWN}
        self.open_claims = number(lang, sum(n for s, n in head.by_status if s not in closed))
        self.waiting_threads = number(lang, head.waiting_threads)
        self.oldest_wait = (
            self._tr(
                "dashboard.oldest_wait",
                duration=format_duration(lang, utcnow() - head.oldest_wait),
            )
            if head.oldest_wait
            else ""
        )
        self.by_status = [
            {
                "code": status.value,
                "name": self._tr(f"status.{status.value}"),
                "count": count,
                "shown": number(lang, count),
            }
            for status, count in head.by_status
        ]
        self.weeks = [
            {"week": format_day(lang, monday, "d MMM"), "claims": count}
            for monday, count in head.weeks
        ]
        return AdminHomeState.load_details

    @rx.event
    async def load_details(self) -> None:
        try:
            user = await self._require(Role.ADMIN)
            data = await run_service(dashboard.details, actor=user)
        except ServiceError:
            return
        lang = self.lang
        self.first_reply = (
            format_duration(lang, timedelta(seconds=data.first_reply_seconds))
            if data.first_reply_seconds is not None
            else NONE
        )
        self.first_reply_claims = self._tr(
            "dashboard.first_reply_over",
            claims=number(lang, data.first_reply_claims),
            days=dashboard.FIRST_REPLY_DAYS,
        )
        self.money = [
            {
                "currency": m.currency,
                "claimed": format_money(lang, m.claimed, m.currency),
                "obtained": format_money(lang, m.obtained, m.currency),
                "paid": format_money(lang, m.paid, m.currency),
            }
            for m in data.money
        ]
        self.top_airlines = _bars(data.top_airlines)
        self.top_routes = _bars(data.top_routes)
        self.details_loaded = True


def _bars(counts: list[Count]) -> list[dict[str, Any]]:
    return [{"name": c.label, "claims": c.count} for c in counts]
