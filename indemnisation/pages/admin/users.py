"""/admin/users : everyone on the platform, search by name or email, filters, pages."""

import reflex as rx

from indemnisation.components.admin_nav import admin_nav
from indemnisation.components.forms import error_callout
from indemnisation.components.i18n import tr
from indemnisation.components.layout import guarded, page
from indemnisation.components.pager import pager
from indemnisation.services.users_admin import MAX_QUERY
from indemnisation.states.users_admin import ALL, ROLES, STATUSES
from indemnisation.states.users_admin import UsersState as S


def _labelled(key: str, control: rx.Component) -> rx.Component:
    return rx.vstack(rx.text(tr(key), size="1", color_scheme="gray"), control, spacing="1")


def _filters() -> rx.Component:
    return rx.card(
        rx.flex(
            rx.input(
                rx.input.slot(rx.icon("search", size=16)),
                value=S.search,
                on_change=S.set_search,
                debounce_timeout=350,
                placeholder=S.t["users.search"].to(str),
                max_length=MAX_QUERY,
                type="search",
                id="users-search",
                flex="1",
                min_width="16em",
                size="3",
            ),
            _labelled(
                "users.filter.role",
                rx.select.root(
                    rx.select.trigger(id="users-role-filter", min_width="10em"),
                    rx.select.content(
                        rx.select.item(tr("users.filter.all"), value=ALL),
                        *[rx.select.item(tr(f"users.role.{r}"), value=r) for r in ROLES],
                    ),
                    value=S.role,
                    on_change=S.set_role,
                ),
            ),
            _labelled(
                "users.filter.status",
                rx.select.root(
                    rx.select.trigger(id="users-status-filter", min_width="10em"),
                    rx.select.content(
                        rx.select.item(tr("users.filter.all"), value=ALL),
                        *[rx.select.item(tr(f"users.{s}"), value=s) for s in STATUSES],
                    ),
                    value=S.status,
                    on_change=S.set_status,
                ),
            ),
            spacing="4",
            align="end",
            wrap="wrap",
            width="100%",
        ),
        width="100%",
    )


def _row(row: rx.Var) -> rx.Component:
    return rx.table.row(
        rx.table.cell(rx.link(row["name"], href=row["href"], class_name="users-link")),
        rx.table.cell(rx.text(row["email"], size="2")),
        rx.table.cell(
            rx.badge(
                row["role"],
                color_scheme=rx.cond(row["role_code"] == "ADMIN", "violet", "gray"),
                variant="soft",
            )
        ),
        rx.table.cell(
            rx.badge(
                row["state"],
                color_scheme=rx.cond(row["active"] == "1", "green", "red"),
                variant="soft",
                class_name="users-state",
            )
        ),
        rx.table.cell(rx.text(row["claims"], size="2")),
        rx.table.cell(rx.text(row["created"], size="2", white_space="nowrap")),
        custom_attrs={"data-user-id": row["id"], "data-active": row["active"]},
        class_name="users-row",
    )


def _table() -> rx.Component:
    def header(key: str) -> rx.Component:
        return rx.table.column_header_cell(tr(key))

    return rx.table.root(
        rx.table.header(
            rx.table.row(
                header("users.col.name"),
                header("users.col.email"),
                header("users.col.role"),
                header("users.col.state"),
                header("users.col.claims"),
                header("users.col.created"),
            )
        ),
        rx.table.body(rx.foreach(S.rows, _row)),
        width="100%",
        variant="surface",
        id="users-table",
    )


def users_page() -> rx.Component:
    return page(
        guarded(
            admin_nav("/admin/users"),
            rx.heading(tr("users.title"), size="6"),
            error_callout(S.error),
            _filters(),
            rx.cond(
                S.loaded & (S.rows.length() == 0),
                rx.text(tr("users.empty"), color_scheme="gray", id="users-empty"),
                rx.box(_table(), overflow_x="auto", width="100%"),
            ),
            pager(S, name="users"),
        ),
        width="72em",
    )
