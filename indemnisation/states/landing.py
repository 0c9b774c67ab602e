"""The landing page's figures that come from settings (our fee)."""

from __future__ import annotations

import reflex as rx

from indemnisation.settings import get_settings
from indemnisation.states.session import SessionState


class LandingState(SessionState):
    @rx.var
    def fee_text(self) -> str:
        settings = get_settings()
        return self._tr(
            "landing.fee.text", fee=f"{settings.fee_percent:g}", vat=f"{settings.vat_percent:g}"
        )
