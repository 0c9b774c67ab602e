"""The unread badge and the recent-messages menu of the navigation bar, live in every tab.

For a claimant: unread team messages on their claims (and per claim, for "My claims"); for an
admin: unread claimant messages across every claim (other admins' messages never count).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime

import reflex as rx

from indemnisation.domain.channels import ADMINS, user_channel
from indemnisation.i18n import format_ago
from indemnisation.services import messaging
from indemnisation.services.errors import ServiceError
from indemnisation.services.views import UserView
from indemnisation.states.live import run_live
from indemnisation.states.session import SessionState, run_service

RECENT = 6


@dataclass
class RecentRow:
    claim_id: int = 0
    reference: str = ""
    sender: str = ""
    excerpt: str = ""
    when: str = ""
    unread: bool = False
    href: str = ""


class BadgeState(SessionState):
    unread: int = 0
    per_claim: dict[str, int] = {}
    recent: list[RecentRow] = []
    _generation: int = 0

    @rx.var
    def badge_text(self) -> str:
        return "99+" if self.unread > 99 else str(self.unread)

    async def _refresh(self, user: UserView) -> None:
        self.unread = await run_service(messaging.unread_total, actor=user)
        if not user.is_admin:
            counts = await run_service(messaging.unread_counts, actor=user)
            self.per_claim = {str(claim): n for claim, n in counts.items() if n > 0}
        recent = await run_service(messaging.recent_messages, actor=user, limit=RECENT)
        now, prefix = datetime.now(UTC), "/admin/claims/" if user.is_admin else "/claims/"
        self.recent = [
            RecentRow(
                claim_id=m.claim_id,
                reference=m.reference,
                sender=m.sender_name,
                excerpt=m.excerpt,
                when=format_ago(self.lang, m.created_at, now),
                unread=m.unread,
                href=f"{prefix}{m.claim_id}",
            )
            for m in recent
        ]

    @rx.event(background=True)
    async def follow(self) -> None:
        """Keep the badge of this tab live while it is signed in (one loop per tab)."""
        async with self:
            self._generation += 1
            generation = self._generation
            token = self.router.session.client_token
            try:
                user = await self._require()
            except ServiceError:
                self.unread, self.per_claim, self.recent = 0, {}, []
                return
            await self._refresh(user)
        channels = [user_channel(user.id)] + ([ADMINS] if user.is_admin else [])

        async def wake(_: object) -> None:
            try:
                await self._refresh(await self._require())
            except ServiceError:
                self.unread, self.per_claim, self.recent = 0, {}, []
                self._generation += 1  # signed out: this loop ends

        await run_live(
            self,
            channels,
            token=token,
            still_wanted=lambda: self._generation == generation,
            on_wake=wake,
            coalesce=True,
        )
