"""The unread badge and the recent-messages menu of the navigation bar, live in every tab.

For a claimant: unread team messages on their claims (and per claim, for "My claims"); for an
admin: unread claimant messages across every claim (other admins' messages never count).
"""

from __future__ import annotations

import asyncio
import time
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

import reflex as rx

from indemnisation.domain.channels import ADMINS, user_channel
from indemnisation.i18n import format_ago
from indemnisation.services import accounts, messaging
from indemnisation.services.views import UserView
from indemnisation.states.live import RECEIVED, SKIP, run_live
from indemnisation.states.session import SessionState, run_service

RECENT = 6
WAKE_SECONDS = 60.0
"""A quiet badge re-reads its figures this often: every change reaches it at once as a hint
(messages, reads, the account ended), so this only moves relative times, which show minutes,
and catches a hint lost in an outage. Each wake-up costs a few queries per open tab."""


@dataclass(frozen=True)
class _Figures:
    unread: int
    per_claim: dict[int, int] = field(default_factory=dict)
    recent: tuple[messaging.RecentMessage, ...] = ()


def _read_figures(token: str) -> tuple[UserView, _Figures] | None:
    """The person behind the session ``token`` and their figures, or None once it is no longer
    valid (signed out, revoked, deactivated)."""
    user = accounts.access_session(token)
    if user is None:
        return None
    counts = {} if user.is_admin else messaging.unread_counts(actor=user)
    recent = messaging.recent_messages(actor=user, limit=RECENT)
    return user, _Figures(messaging.unread_total(actor=user), counts, recent)


_Read = tuple[UserView, _Figures] | None
_reads: dict[str, tuple[float, asyncio.Future[_Read]]] = {}


async def _figures_for(token: str, since: float) -> _Read:
    """The figures of the person signed in with ``token`` as read after ``since`` (the moment a
    hint arrived): every tab of one browser on this worker woken by the same burst shares one
    read (each admin tab hears of every claimant message)."""
    loop = asyncio.get_running_loop()
    started, pending = _reads.get(token, (0.0, None))
    if pending is None or started < since or pending.get_loop() is not loop:
        started, pending = (
            time.monotonic(),
            asyncio.ensure_future(run_service(_read_figures, token=token)),
        )
        _reads[token] = (started, pending)
        if len(_reads) > 1000:  # forget the browsers that have not been read for a while
            for stale in [k for k, (at, _) in _reads.items() if at < started - 60]:
                del _reads[stale]
    return await asyncio.shield(pending)


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

    def _whens(self, figures: _Figures) -> list[str]:
        """The relative times of the recent messages, as they would show now."""
        now = datetime.now(UTC)
        return [format_ago(self.lang, m.created_at, now) for m in figures.recent]

    def _show_figures(self, user: UserView, figures: _Figures) -> None:
        self.unread = figures.unread
        if not user.is_admin:
            self.per_claim = {str(claim): n for claim, n in figures.per_claim.items() if n > 0}
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
            for m in figures.recent
        ]

    def _signed_out(self) -> None:
        """The session ended elsewhere (signed out, revoked, deactivated): the tab shows it at
        once, and this loop ends."""
        self.auth_token = ""
        self._show(None)
        self.unread, self.per_claim, self.recent = 0, {}, []
        self._generation += 1

    @rx.event
    def start(self) -> rx.event.EventSpec:
        """On every page load. The loop is handed back to the browser as an event of its own, so
        it never starts inside the page's on-load processing (whose state lock it would wait
        for until that lock expired)."""
        return BadgeState.follow

    @rx.event(background=True)
    async def follow(self) -> None:
        """Keep the badge of this tab live while it is signed in (one loop per tab). The figures
        are read before taking the tab's state lock, and a wake-up that changes nothing this tab
        shows (another admin's badge moved, a repeated read receipt, a quiet minute) does not
        take it at all."""
        async with self:
            self._generation += 1
            generation = self._generation
            tab, session = self.router.session.client_token, self._presented()
        shown: _Figures | None = None

        async def read(hint: dict[str, Any] | None) -> _Read | object:
            # A periodic wake-up may share a read made in the last second by another tab.
            since = hint[RECEIVED] if hint else time.monotonic() - 1.0
            found = await _figures_for(session, since)
            # A periodic wake-up changes something only when a relative time moved.
            same = found is not None and found[1] == shown
            if same and (hint is not None or [r.when for r in self.recent] == self._whens(shown)):
                return SKIP
            return found

        async def wake(hint: dict[str, Any] | None, found: _Read) -> None:
            nonlocal shown
            if self.auth_token != session:  # signed out or in again here: a new loop shows it
                self._generation += 1
                return
            if found is None:
                self._signed_out()
                return
            user, shown = found
            self._show_figures(user, shown)

        first = await _figures_for(session, time.monotonic())
        async with self:
            if self._generation != generation:
                return
            await wake(None, first)
            if first is None:
                return
        user = first[0]
        channels = [user_channel(user.id)] + ([ADMINS] if user.is_admin else [])
        async for _ in run_live(
            self,
            channels,
            token=tab,
            still_wanted=lambda: self._generation == generation,
            read=read,
            on_wake=wake,
            coalesce=True,
            wake_seconds=WAKE_SECONDS,
        ):
            pass  # the badge asks for nothing else
