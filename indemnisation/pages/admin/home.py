"""/admin : the back-office home."""

import reflex as rx

from indemnisation.components.i18n import tr
from indemnisation.components.layout import guarded, page
from indemnisation.states.admin_home import AdminHomeState


def _figure(label_key: str, value: rx.Var[int], figure_id: str) -> rx.Component:
    return rx.card(
        rx.vstack(
            rx.text(tr(label_key), size="2", color_scheme="gray"),
            rx.heading(value, size="7", id=figure_id),
        ),
        flex="1",
    )


def admin_home_page() -> rx.Component:
    return page(
        rx.heading(tr("admin.home.title"), size="7", id="admin-title"),
        guarded(
            rx.flex(
                _figure("admin.home.claimants", AdminHomeState.claimants, "fig-claimants"),
                _figure("admin.home.admins", AdminHomeState.admins, "fig-admins"),
                _figure("admin.home.new_week", AdminHomeState.new_this_week, "fig-new"),
                _figure("admin.home.sessions", AdminHomeState.active_sessions, "fig-sessions"),
                spacing="3",
                width="100%",
                direction=rx.breakpoints(initial="column", sm="row"),
            ),
            rx.heading(tr("admin.home.recent"), size="5"),
            rx.table.root(
                rx.table.header(
                    rx.table.row(
                        rx.table.column_header_cell(tr("field.full_name")),
                        rx.table.column_header_cell(tr("field.email")),
                        rx.table.column_header_cell(tr("admin.home.role")),
                        rx.table.column_header_cell(tr("admin.home.registered")),
                    )
                ),
                rx.table.body(
                    rx.foreach(
                        AdminHomeState.recent,
                        lambda r: rx.table.row(
                            rx.table.cell(r["name"]),
                            rx.table.cell(r["email"]),
                            rx.table.cell(r["role"]),
                            rx.table.cell(r["created"]),
                        ),
                    )
                ),
                width="100%",
            ),
        ),
        width="70em",
    )
