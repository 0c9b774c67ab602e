"""/claims : the claimant's claims, newest first, drafts apart, and a new claim."""

import reflex as rx

from indemnisation.components.forms import error_callout
from indemnisation.components.i18n import tr
from indemnisation.components.layout import guarded, page
from indemnisation.components.status import status_badge
from indemnisation.states.badge import BadgeState as B
from indemnisation.states.claims_list import ClaimsListState as L


def _claim_card(claim: rx.Var) -> rx.Component:
    return rx.link(
        rx.card(
            rx.hstack(
                rx.vstack(
                    rx.hstack(
                        rx.text(claim["reference"], weight="bold"),
                        status_badge(claim["status_code"], claim["status"]),
                    ),
                    rx.text(
                        claim["route"], " · ", claim["flights"], " · ", claim["date"], size="2"
                    ),
                    rx.text(claim["next"], size="1", color_scheme="gray"),
                    spacing="1",
                ),
                rx.spacer(),
                rx.vstack(
                    rx.text(claim["amount"], weight="bold", size="4"),
                    rx.cond(
                        B.per_claim.contains(claim["id"]),
                        rx.badge(
                            tr("claims.unread"),
                            " ",
                            B.per_claim[claim["id"]].to_string(),
                            color_scheme="red",
                            class_name="claim-unread",
                        ),
                    ),
                    align="end",
                    spacing="1",
                ),
                width="100%",
            ),
            width="100%",
        ),
        href=claim["href"],
        underline="none",
        width="100%",
        class_name="claim-card",
    )


def claims_page() -> rx.Component:
    return page(
        rx.hstack(
            rx.heading(tr("claims.title"), size="7", id="claims-title"),
            rx.spacer(),
            rx.button(tr("claims.new"), size="3", on_click=L.new_claim, id="new-claim"),
            width="100%",
            align="center",
        ),
        error_callout(L.error),
        guarded(
            rx.cond(
                L.loaded & (L.submitted.length() == 0) & (L.drafts.length() == 0),
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
            rx.cond(
                L.submitted.length() > 0,
                rx.vstack(rx.foreach(L.submitted, _claim_card), width="100%", id="claims-list"),
            ),
            rx.cond(
                L.drafts.length() > 0,
                rx.vstack(
                    rx.heading(tr("claims.drafts"), size="4"),
                    rx.foreach(L.drafts, _claim_card),
                    width="100%",
                    id="drafts-list",
                ),
            ),
        ),
    )
