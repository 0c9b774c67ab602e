"""/claims : the claimant's claims (none yet until the claim wizard lands)."""

import reflex as rx

from indemnisation.components.i18n import tr
from indemnisation.components.layout import guarded, page


def claims_page() -> rx.Component:
    return page(
        rx.heading(tr("claims.title"), size="7", id="claims-title"),
        guarded(
            rx.card(
                rx.vstack(
                    rx.icon("plane", size=32),
                    rx.heading(tr("claims.empty.title"), size="4"),
                    rx.text(tr("claims.empty.text"), color_scheme="gray"),
                    align="center",
                    spacing="3",
                    padding="2em",
                ),
                width="100%",
                id="claims-empty",
            ),
        ),
    )
