"""/admin/users/<id> : one person: who they are, their claims, and what the team can do about
their account (role, deactivate / reactivate, password-reset link), each behind a confirmation."""

import reflex as rx

from indemnisation.components.admin_nav import admin_nav
from indemnisation.components.forms import error_callout, notice_callout
from indemnisation.components.i18n import tr
from indemnisation.components.layout import guarded, page
from indemnisation.components.status import status_badge
from indemnisation.states.users_admin import ROLES
from indemnisation.states.users_admin import UserDetailState as S


def _fact(key: str, value: rx.Var | str, fact_id: str) -> rx.Component:
    return rx.hstack(
        rx.text(tr(key), size="2", color_scheme="gray", min_width="11em"),
        rx.text(value, size="2", id=fact_id),
        spacing="3",
    )


def _identity() -> rx.Component:
    return rx.card(
        rx.vstack(
            rx.hstack(
                rx.heading(S.name, size="5", id="user-name"),
                rx.badge(
                    rx.cond(S.active, tr("users.active"), tr("users.inactive")),
                    color_scheme=rx.cond(S.active, "green", "red"),
                    id="user-state",
                ),
                align="center",
                spacing="3",
            ),
            _fact("users.col.email", S.email, "user-email"),
            _fact("users.language", S.language, "user-language"),
            _fact("users.col.created", S.created, "user-created"),
            _fact(
                "users.last_login",
                rx.cond(S.last_login != "", S.last_login, "—"),
                "user-last-login",
            ),
            _fact("users.open_sessions", S.open_sessions.to_string(), "user-sessions"),
            spacing="2",
        ),
        width="100%",
    )


def _actions() -> rx.Component:
    return rx.card(
        rx.vstack(
            rx.heading(tr("users.actions"), size="3"),
            rx.flex(
                rx.vstack(
                    rx.text(tr("users.col.role"), as_="label", size="2", html_for="user-role"),
                    rx.select.root(
                        rx.select.trigger(id="user-role", min_width="10em"),
                        rx.select.content(
                            *[rx.select.item(tr(f"users.role.{r}"), value=r) for r in ROLES]
                        ),
                        value=S.role_code,
                        on_change=S.ask_role,
                        disabled=S.is_self,
                    ),
                    spacing="1",
                ),
                rx.cond(
                    S.active,
                    rx.button(
                        tr("users.deactivate"),
                        color_scheme="red",
                        variant="soft",
                        on_click=S.ask("deactivate"),
                        disabled=S.is_self,
                        id="user-deactivate",
                    ),
                    rx.button(
                        tr("users.reactivate"),
                        color_scheme="green",
                        variant="soft",
                        on_click=S.ask("reactivate"),
                        id="user-reactivate",
                    ),
                ),
                rx.button(
                    tr("users.reset_link"),
                    variant="soft",
                    on_click=S.ask("reset"),
                    disabled=~S.active,
                    id="user-reset-link",
                ),
                spacing="4",
                align="end",
                wrap="wrap",
            ),
            rx.cond(
                S.is_self,
                rx.text(tr("users.self_note"), size="1", color_scheme="gray"),
            ),
            spacing="3",
            width="100%",
        ),
        width="100%",
    )


def _claim_row(row: rx.Var) -> rx.Component:
    return rx.table.row(
        rx.table.cell(
            rx.cond(
                row["draft"] == "1",
                rx.text(row["reference"], size="2", color_scheme="gray"),
                rx.link(row["reference"], href=row["href"]),
            )
        ),
        rx.table.cell(status_badge(row["status_code"], row["status"])),
        rx.table.cell(rx.text(row["route"], size="2")),
        rx.table.cell(rx.text(row["flights"], size="2")),
        rx.table.cell(rx.text(row["updated"], size="2", white_space="nowrap")),
        custom_attrs={"data-claim-id": row["id"]},
    )


def _claims() -> rx.Component:
    def header(key: str) -> rx.Component:
        return rx.table.column_header_cell(tr(key))

    return rx.card(
        rx.vstack(
            rx.heading(tr("users.claims"), " (", S.claim_count, ")", size="3"),
            rx.cond(
                S.claims.length() == 0,
                rx.text(tr("users.no_claims"), color_scheme="gray"),
                rx.table.root(
                    rx.table.header(
                        rx.table.row(
                            header("users.claim.reference"),
                            header("users.claim.status"),
                            header("users.claim.route"),
                            header("users.claim.flights"),
                            header("users.claim.updated"),
                        )
                    ),
                    rx.table.body(rx.foreach(S.claims, _claim_row)),
                    width="100%",
                    id="user-claims",
                ),
            ),
            width="100%",
        ),
        width="100%",
    )


def _dialog() -> rx.Component:
    question = rx.match(
        S.confirm,
        ("role", tr("users.confirm.role")),
        ("deactivate", tr("users.confirm.deactivate")),
        ("reactivate", tr("users.confirm.reactivate")),
        ("reset", tr("users.confirm.reset")),
        "",
    )
    return rx.alert_dialog.root(
        rx.alert_dialog.content(
            rx.alert_dialog.title(tr("users.confirm.title")),
            rx.alert_dialog.description(
                rx.vstack(
                    rx.text(question),
                    rx.text(S.name, " · ", S.email, weight="bold"),
                    rx.cond(
                        S.confirm == "role",
                        rx.text(
                            tr("users.confirm.new_role"),
                            " ",
                            rx.match(
                                S.pending_role,
                                *[(r, tr(f"users.role.{r}")) for r in ROLES],
                                "",
                            ),
                        ),
                    ),
                    spacing="2",
                )
            ),
            rx.hstack(
                rx.alert_dialog.cancel(
                    rx.button(tr("users.confirm.cancel"), variant="soft", id="user-confirm-cancel")
                ),
                rx.alert_dialog.action(
                    rx.button(
                        tr("users.confirm.ok"),
                        color_scheme=rx.cond(S.confirm == "deactivate", "red", "blue"),
                        on_click=S.confirm_action,
                        id="user-confirm",
                    )
                ),
                spacing="3",
                justify="end",
                margin_top="1em",
            ),
            id="user-dialog",
        ),
        open=S.confirm != "",
        on_open_change=S.close_dialog,
    )


def user_page() -> rx.Component:
    return page(
        guarded(
            admin_nav("/admin/users"),
            rx.link(tr("users.back"), href="/admin/users", size="2", id="user-back"),
            error_callout(S.error),
            notice_callout(S.notice),
            rx.cond(
                S.ready,
                rx.vstack(_identity(), _actions(), _claims(), _dialog(), spacing="4", width="100%"),
            ),
        ),
        width="72em",
    )
