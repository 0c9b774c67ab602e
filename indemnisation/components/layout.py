"""The frame of every page: navigation bar, language switch, content, footer."""

from __future__ import annotations

import reflex as rx

from indemnisation.components.i18n import tr
from indemnisation.states.badge import BadgeState as B
from indemnisation.states.session import SessionState


def language_switch() -> rx.Component:
    def option(code: str, label: str) -> rx.Component:
        return rx.button(
            label,
            size="1",
            variant=rx.cond(SessionState.lang == code, "solid", "ghost"),
            on_click=SessionState.set_language(code),
            id=f"lang-{code}",
            aria_label=label,
        )

    return rx.hstack(option("fr", "FR"), option("en", "EN"), spacing="1")


def nav_link(key: str, href: str, link_id: str) -> rx.Component:
    return rx.link(tr(key), href=href, id=link_id, weight="medium")


def _recent_item(row: rx.Var) -> rx.Component:
    return rx.menu.item(
        rx.vstack(
            rx.hstack(
                rx.cond(
                    row.unread,
                    rx.box(
                        width="7px", height="7px", border_radius="50%", background="var(--red-9)"
                    ),
                ),
                rx.text(row.reference, " · ", row.sender, size="2", weight="bold"),
                align="center",
                spacing="1",
            ),
            rx.text(row.excerpt, size="1", color_scheme="gray"),
            rx.text(row.when, size="1", color_scheme="gray"),
            spacing="0",
        ),
        on_click=rx.redirect(row.href),
        height="auto",
        padding="0.4em 0.6em",
        class_name="recent-message",
    )


def messages_menu() -> rx.Component:
    """The envelope with the live unread count, opening the latest messages addressed to me."""
    return rx.menu.root(
        rx.menu.trigger(
            rx.button(
                rx.icon("mail", size=18),
                rx.badge(
                    B.badge_text,
                    color_scheme="red",
                    variant="solid",
                    radius="full",
                    id="nav-unread",
                    display=rx.cond(B.unread > 0, "inline-flex", "none"),
                ),
                variant="ghost",
                id="nav-messages",
                aria_label=tr("nav.messages"),
            )
        ),
        rx.menu.content(
            rx.cond(
                B.recent.length() == 0,
                rx.menu.item(tr("nav.no_messages"), disabled=True),
                rx.foreach(B.recent, _recent_item),
            ),
            rx.cond(
                SessionState.is_admin,
                rx.fragment(
                    rx.menu.separator(),
                    rx.menu.item(tr("nav.inbox"), on_click=rx.redirect("/admin/inbox")),
                ),
            ),
            max_width="22em",
        ),
    )


def navbar() -> rx.Component:
    signed_in = rx.hstack(
        rx.cond(
            SessionState.is_admin,
            rx.hstack(
                nav_link("nav.admin", "/admin", "nav-admin"),
                nav_link("nav.queue", "/admin/claims", "nav-queue"),
                nav_link("nav.inbox", "/admin/inbox", "nav-inbox"),
                nav_link("nav.users", "/admin/users", "nav-users"),
                nav_link("nav.settings", "/admin/settings", "nav-settings"),
                spacing="4",
            ),
            nav_link("nav.my_claims", "/claims", "nav-claims"),
        ),
        messages_menu(),
        nav_link("nav.account", "/account", "nav-account"),
        rx.text(SessionState.user_name, size="2", color_scheme="gray", id="nav-user"),
        rx.button(tr("nav.logout"), on_click=SessionState.logout, variant="soft", id="logout"),
        spacing="4",
        align="center",
    )
    anonymous = rx.hstack(
        nav_link("nav.login", "/login", "nav-login"),
        rx.link(rx.button(tr("nav.register")), href="/register", id="nav-register"),
        spacing="4",
        align="center",
    )
    return rx.hstack(
        rx.link(rx.heading("Indemnisation", size="5"), href="/", underline="none"),
        rx.spacer(),
        rx.cond(SessionState.is_authenticated, signed_in, anonymous),
        language_switch(),
        padding="1em 2em",
        border_bottom="1px solid var(--gray-a5)",
        align="center",
        spacing="5",
        width="100%",
    )


def footer() -> rx.Component:
    return rx.hstack(
        rx.text(tr("footer.text"), size="1", color_scheme="gray"),
        padding="2em",
        justify="center",
        width="100%",
    )


def page(*children: rx.Component, width: str = "60em") -> rx.Component:
    return rx.vstack(
        navbar(),
        rx.box(
            rx.vstack(*children, spacing="4", width="100%"),
            max_width=width,
            width="100%",
            padding="2em 1em",
            margin="0 auto",
        ),
        footer(),
        min_height="100vh",
        spacing="0",
        width="100%",
    )


def guarded(*children: rx.Component) -> rx.Component:
    """The content once the server confirmed the session (its data comes from the server anyway)."""
    return rx.cond(
        SessionState.is_authenticated,
        rx.fragment(*children),
        rx.center(rx.spinner(size="3"), padding="4em", width="100%"),
    )
