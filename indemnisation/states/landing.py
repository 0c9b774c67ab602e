"""The landing page's figures that come from settings (our fee)."""

from __future__ import annotations

import reflex as rx

from indemnisation.services.app_settings import current_rates, percent_text
from indemnisation.settings import get_settings
from indemnisation.states.session import SessionState, run_service


class LandingState(SessionState):
    # The environment's rates until ``load`` reads the ones admins set.
    fee: str = percent_text(get_settings().fee_percent)
    vat: str = percent_text(get_settings().vat_percent)

    @rx.event
    async def load(self) -> None:
        """The rates a claim started now gets (admins change them on the settings page)."""
        rates = await run_service(current_rates)
        self.fee, self.vat = percent_text(rates.fee_percent), percent_text(rates.vat_percent)

    @rx.var
    def fee_text(self) -> str:
        return self._tr("landing.fee.text", fee=self.fee, vat=self.vat)
