"""The admin home: figures about accounts, loaded only after the admin check."""

from __future__ import annotations

import reflex as rx

from indemnisation.i18n import format_moment
from indemnisation.models import Role
from indemnisation.services import admin_overview
from indemnisation.services.errors import ServiceError
from indemnisation.states.session import SessionState, run_service


class AdminHomeState(SessionState):
    claimants: int = 0
    admins: int = 0
    new_this_week: int = 0
    active_sessions: int = 0
    recent: list[dict[str, str]] = []

    @rx.event
    async def load(self) -> None:
        """Runs after the page guard; refuses again on its own, whatever the client sends."""
        try:
            user = await self._require(Role.ADMIN)
            data = await run_service(admin_overview.overview, actor=user)
        except ServiceError:
            return
        self.claimants, self.admins = data.claimants, data.admins
        self.new_this_week, self.active_sessions = data.new_this_week, data.active_sessions
        self.recent = [
            {
                "name": r.full_name,
                "email": r.email,
                "role": self._tr(f"role.{r.role.value}"),
                "created": format_moment(self.lang, r.created_at),
            }
            for r in data.recent
        ]
