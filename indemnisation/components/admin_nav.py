"""The back office's own navigation: a row of links to every admin page, the current one marked."""

from __future__ import annotations

import reflex as rx

from indemnisation.components.i18n import tr

LINKS = (
    ("admin.nav.dashboard", "/admin", "admin-nav-dashboard"),
    ("admin.nav.claims", "/admin/claims", "admin-nav-claims"),
    ("admin.nav.inbox", "/admin/inbox", "admin-nav-inbox"),
    ("admin.nav.analytics", "/admin/analytics", "admin-nav-analytics"),
    ("admin.nav.users", "/admin/users", "admin-nav-users"),
    ("admin.nav.canned", "/admin/canned", "admin-nav-canned"),
    ("admin.nav.settings", "/admin/settings", "admin-nav-settings"),
    ("admin.nav.audit", "/admin/audit", "admin-nav-audit"),
)


def admin_nav(current: str) -> rx.Component:
    """``current``: the route of the page showing it."""
    return rx.hstack(
        *[
            rx.link(
                rx.button(
                    tr(key),
                    size="1",
                    variant="solid" if href == current else "soft",
                    aria_current="page" if href == current else None,
                ),
                href=href,
                id=link_id,
                underline="none",
            )
            for key, href, link_id in LINKS
        ],
        spacing="2",
        wrap="wrap",
        id="admin-nav",
        width="100%",
    )
