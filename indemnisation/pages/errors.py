"""The 404 page and the 'not allowed' page."""

import reflex as rx

from indemnisation.components.i18n import tr
from indemnisation.components.layout import page


def _message(title_key: str, text_key: str, page_id: str) -> rx.Component:
    return page(
        rx.vstack(
            rx.heading(tr(title_key), size="8", id=page_id),
            rx.text(tr(text_key), color_scheme="gray"),
            rx.link(rx.button(tr("errors.home")), href="/"),
            align="center",
            spacing="4",
            padding="4em",
            width="100%",
        )
    )


def not_found_page() -> rx.Component:
    return _message("errors.404.title", "errors.404.text", "not-found")


def forbidden_page() -> rx.Component:
    return _message("errors.403.title", "errors.403.text", "forbidden")
