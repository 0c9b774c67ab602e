"""/ : what the service does, who can claim, how much, what it costs."""

import reflex as rx

from indemnisation.components.i18n import tr
from indemnisation.components.layout import page
from indemnisation.states.landing import LandingState
from indemnisation.states.session import SessionState


def _amount_card(amount_key: str, distance_key: str) -> rx.Component:
    return rx.card(
        rx.vstack(
            rx.heading(tr(amount_key), size="7"),
            rx.text(tr(distance_key), color_scheme="gray"),
            align="center",
        ),
        flex="1",
    )


def _section(title_key: str, *children: rx.Component) -> rx.Component:
    return rx.vstack(rx.heading(tr(title_key), size="5"), *children, spacing="2", width="100%")


def landing_page() -> rx.Component:
    return page(
        rx.heading(tr("landing.title"), size="8", id="landing-title"),
        rx.text(tr("landing.subtitle"), size="4", color_scheme="gray"),
        rx.cond(
            SessionState.is_authenticated,
            rx.fragment(),
            rx.hstack(
                rx.link(rx.button(tr("landing.cta"), size="3"), href="/register"),
                rx.link(rx.button(tr("nav.login"), size="3", variant="soft"), href="/login"),
            ),
        ),
        _section(
            "landing.who.title",
            rx.unordered_list(
                rx.list_item(tr("landing.who.delay")),
                rx.list_item(tr("landing.who.cancel")),
                rx.list_item(tr("landing.who.denied")),
                rx.list_item(tr("landing.who.scope")),
            ),
        ),
        _section(
            "landing.amounts.title",
            rx.flex(
                _amount_card("landing.amounts.250", "landing.amounts.short"),
                _amount_card("landing.amounts.400", "landing.amounts.medium"),
                _amount_card("landing.amounts.600", "landing.amounts.long"),
                spacing="3",
                width="100%",
                direction=rx.breakpoints(initial="column", sm="row"),
            ),
            rx.text(tr("landing.amounts.uk"), size="2", color_scheme="gray"),
        ),
        _section(
            "landing.fee.title",
            rx.text(LandingState.fee_text, id="fee-text"),
            rx.text(tr("landing.fee.no_win"), color_scheme="gray"),
        ),
        _section(
            "landing.how.title",
            rx.ordered_list(
                rx.list_item(tr("landing.how.step1")),
                rx.list_item(tr("landing.how.step2")),
                rx.list_item(tr("landing.how.step3")),
                rx.list_item(tr("landing.how.step4")),
            ),
        ),
    )
