"""The bar under a keyset-paged list (queue, inbox, people, audit log): previous, the page number,
next."""

from __future__ import annotations

from typing import Any

import reflex as rx

from indemnisation.components.i18n import tr


def pager(state: Any, *, name: str) -> rx.Component:
    """For a list state with ``page_number``, ``has_more``, ``previous_page`` and ``next_page``;
    the parts get the ids ``{name}-previous``, ``{name}-page`` and ``{name}-next``."""
    return rx.hstack(
        rx.button(
            rx.icon("chevron-left", size=16),
            tr("pager.previous"),
            variant="soft",
            disabled=state.page_number <= 1,
            on_click=state.previous_page,
            id=f"{name}-previous",
        ),
        rx.text(tr("pager.page"), " ", state.page_number, size="2", id=f"{name}-page"),
        rx.button(
            tr("pager.next"),
            rx.icon("chevron-right", size=16),
            variant="soft",
            disabled=~state.has_more,
            on_click=state.next_page,
            id=f"{name}-next",
        ),
        justify="center",
        align="center",
        spacing="4",
        width="100%",
    )
