"""/admin/audit : the audit log, newest first: who did what, when, on what, before and after;
filters on the person, the action, the claim, the days and refused attempts."""

import reflex as rx

from indemnisation.components.admin_nav import admin_nav
from indemnisation.components.forms import error_callout
from indemnisation.components.i18n import tr
from indemnisation.components.layout import guarded, page
from indemnisation.components.pager import pager
from indemnisation.services.audit_page import MAX_CLAIM_TEXT
from indemnisation.states.audit_log import ALL, OUTCOMES
from indemnisation.states.audit_log import AuditState as S


def _labelled(key: str, control: rx.Component) -> rx.Component:
    return rx.vstack(rx.text(tr(key), size="1", color_scheme="gray"), control, spacing="1")


def _filters() -> rx.Component:
    return rx.card(
        rx.flex(
            _labelled(
                "audit.filter.actor",
                rx.select.root(
                    rx.select.trigger(id="audit-actor", min_width="12em"),
                    rx.select.content(
                        rx.select.item(tr("audit.filter.anyone"), value=ALL),
                        rx.foreach(
                            S.actor_options, lambda o: rx.select.item(o["name"], value=o["id"])
                        ),
                    ),
                    value=S.actor,
                    on_change=S.set_actor,
                ),
            ),
            _labelled(
                "audit.filter.action",
                rx.select.root(
                    rx.select.trigger(id="audit-action", min_width="14em"),
                    rx.select.content(
                        rx.select.item(tr("audit.filter.any_action"), value=ALL),
                        rx.foreach(
                            S.action_options,
                            lambda o: rx.select.item(o["label"], value=o["code"]),
                        ),
                    ),
                    value=S.action,
                    on_change=S.set_action,
                ),
            ),
            _labelled(
                "audit.filter.claim",
                rx.input(
                    value=S.claim,
                    on_change=S.set_claim,
                    debounce_timeout=500,
                    placeholder="IND-2026-000042",
                    max_length=MAX_CLAIM_TEXT,
                    id="audit-claim",
                    width="12em",
                ),
            ),
            _labelled(
                "audit.filter.from",
                rx.input(
                    type="date", value=S.date_from, on_change=S.set_date_from, id="audit-from"
                ),
            ),
            _labelled(
                "audit.filter.to",
                rx.input(type="date", value=S.date_to, on_change=S.set_date_to, id="audit-to"),
            ),
            _labelled(
                "audit.filter.outcome",
                rx.select.root(
                    rx.select.trigger(id="audit-outcome", min_width="9em"),
                    rx.select.content(
                        rx.select.item(tr("audit.filter.any_outcome"), value=ALL),
                        *[rx.select.item(tr(f"audit.outcome.{o}"), value=o) for o in OUTCOMES],
                    ),
                    value=S.outcome,
                    on_change=S.set_outcome,
                ),
            ),
            rx.button(
                tr("audit.filter.clear"),
                variant="ghost",
                on_click=S.clear_filters,
                id="audit-clear",
            ),
            spacing="4",
            align="end",
            wrap="wrap",
            width="100%",
        ),
        width="100%",
    )


def _maybe_link(text: rx.Var, href: rx.Var) -> rx.Component:
    return rx.cond(href != "", rx.link(text, href=href), rx.text(text))


def _row(row: rx.Var) -> rx.Component:
    refused = row["refused"] == "1"
    return rx.table.row(
        rx.table.cell(rx.text(row["when"], size="2", white_space="nowrap")),
        rx.table.cell(_maybe_link(row["who"], row["who_href"]), font_size="var(--font-size-2)"),
        rx.table.cell(
            rx.vstack(
                rx.text(row["action"], size="2", weight="medium"),
                rx.cond(
                    refused,
                    rx.badge(
                        row["note"], color_scheme="red", variant="soft", class_name="audit-refused"
                    ),
                    rx.cond(
                        row["note"] != "",
                        rx.text(row["note"], size="1", color_scheme="gray"),
                    ),
                ),
                spacing="1",
            )
        ),
        rx.table.cell(
            _maybe_link(row["target"], row["target_href"]), font_size="var(--font-size-2)"
        ),
        rx.table.cell(
            rx.text(row["changes"], size="2", white_space="pre-line", class_name="audit-changes")
        ),
        rx.table.cell(rx.text(row["ip"], size="1", color_scheme="gray")),
        custom_attrs={"data-audit-id": row["id"], "data-refused": row["refused"]},
        class_name="audit-row",
    )


def _table() -> rx.Component:
    def header(key: str) -> rx.Component:
        return rx.table.column_header_cell(tr(key))

    return rx.table.root(
        rx.table.header(
            rx.table.row(
                header("audit.col.when"),
                header("audit.col.who"),
                header("audit.col.action"),
                header("audit.col.target"),
                header("audit.col.changes"),
                header("audit.col.ip"),
            )
        ),
        rx.table.body(rx.foreach(S.rows, _row)),
        width="100%",
        variant="surface",
        id="audit-table",
    )


def audit_page() -> rx.Component:
    return page(
        guarded(
            admin_nav("/admin/audit"),
            rx.heading(tr("audit.title"), size="6"),
            error_callout(S.error),
            _filters(),
            rx.cond(
                S.loaded & (S.rows.length() == 0),
                rx.text(tr("audit.empty"), color_scheme="gray", id="audit-empty"),
                rx.box(_table(), overflow_x="auto", width="100%"),
            ),
            pager(S, name="audit"),
        ),
        width="80em",
    )
