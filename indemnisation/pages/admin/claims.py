"""/admin/claims : the claims queue, filters, sortable columns, pages, bulk assignment, export."""

import reflex as rx

from indemnisation.components.forms import error_callout
from indemnisation.components.i18n import tr
from indemnisation.components.layout import guarded, page
from indemnisation.components.pager import pager
from indemnisation.components.status import status_badge
from indemnisation.services.claims_queue import MAX_QUERY
from indemnisation.states.claims_queue import ALL, STATUSES
from indemnisation.states.claims_queue import QueueState as S


def _labelled(key: str, control: rx.Component) -> rx.Component:
    return rx.vstack(rx.text(tr(key), size="1", color_scheme="gray"), control, spacing="1")


def _select(
    control_id: str, value: rx.Var, name: str, *items: rx.Component, width: str = "11em"
) -> rx.Component:
    return rx.select.root(
        rx.select.trigger(id=control_id, min_width=width),
        rx.select.content(*items),
        value=value,
        on_change=lambda v: S.set_filter(name, v),
    )


def _text(control_id: str, value: rx.Var, name: str, **props: object) -> rx.Component:
    return rx.input(
        value=value,
        on_change=lambda v: S.set_filter(name, v),
        debounce_timeout=400,
        id=control_id,
        **props,
    )


def _switch(control_id: str, checked: rx.Var, name: str, key: str) -> rx.Component:
    return rx.hstack(
        rx.switch(checked=checked, on_change=lambda v: S.set_filter(name, v), id=control_id),
        rx.text(tr(key), as_="label", html_for=control_id),
        align="center",
        spacing="2",
        min_height="2.5em",
    )


def _filters() -> rx.Component:
    status = _select(
        "queue-status",
        S.status,
        "status",
        rx.select.item(tr("queue.filter.all_statuses"), value=ALL),
        *[rx.select.item(tr(f"status.{code}"), value=code) for code in STATUSES],
    )
    country = _select(
        "queue-country",
        S.country,
        "country",
        rx.select.item(tr("queue.filter.all_countries"), value=ALL),
        rx.foreach(S.country_options, lambda c: rx.select.item(c["name"], value=c["code"])),
    )
    assigned = _select(
        "queue-assigned",
        S.assigned,
        "assigned",
        rx.select.item(tr("queue.filter.anyone"), value=ALL),
        rx.select.item(tr("queue.filter.me"), value="me"),
        rx.select.item(tr("queue.filter.nobody"), value="none"),
        rx.select.separator(),
        rx.foreach(S.admin_options, lambda a: rx.select.item(a["name"], value=a["id"])),
    )
    date_field = _select(
        "queue-date-field",
        S.date_field,
        "date_field",
        rx.select.item(tr("queue.filter.submitted"), value="submitted"),
        rx.select.item(tr("queue.filter.flight"), value="flight"),
        width="9em",
    )
    return rx.card(
        rx.vstack(
            rx.input(
                rx.input.slot(rx.icon("search", size=16)),
                value=S.search,
                on_change=lambda v: S.set_filter("search", v),
                debounce_timeout=400,
                placeholder=S.t["queue.filter.search"].to(str),
                max_length=MAX_QUERY,
                type="search",
                id="queue-search",
                width="100%",
                size="3",
            ),
            rx.flex(
                _labelled("queue.filter.status", status),
                _labelled(
                    "queue.filter.airline",
                    _text("queue-airline", S.airline, "airline", max_length=2, width="5em"),
                ),
                _labelled("queue.filter.country", country),
                _labelled("queue.filter.assigned", assigned),
                _labelled("queue.filter.dates", date_field),
                _labelled(
                    "queue.filter.from",
                    _text("queue-from", S.date_from, "date_from", type="date"),
                ),
                _labelled("queue.filter.to", _text("queue-to", S.date_to, "date_to", type="date")),
                _labelled(
                    "queue.filter.amount_min",
                    _text(
                        "queue-amount-min", S.amount_min, "amount_min", type="number", width="7em"
                    ),
                ),
                _labelled(
                    "queue.filter.amount_max",
                    _text(
                        "queue-amount-max", S.amount_max, "amount_max", type="number", width="7em"
                    ),
                ),
                _switch("queue-unread", S.unread_only, "unread_only", "queue.filter.unread"),
                _switch(
                    "queue-missing",
                    S.missing_documents,
                    "missing_documents",
                    "queue.filter.missing_documents",
                ),
                rx.button(
                    tr("queue.filter.clear"),
                    variant="ghost",
                    on_click=S.clear_filters,
                    id="queue-clear",
                ),
                spacing="4",
                align="end",
                wrap="wrap",
                width="100%",
            ),
            spacing="3",
            width="100%",
        ),
        width="100%",
    )


def _sortable(key: str, column: str) -> rx.Component:
    arrow = rx.cond(
        S.sort == column,
        rx.icon(rx.cond(S.descending, "arrow-down", "arrow-up"), size=14),
        rx.icon("arrow-up-down", size=14, color="var(--gray-8)"),
    )
    return rx.table.column_header_cell(
        rx.button(
            tr(key),
            arrow,
            variant="ghost",
            size="1",
            on_click=S.sort_by(column),
            id=f"queue-sort-{column}",
        ),
        aria_sort=rx.cond(
            S.sort == column, rx.cond(S.descending, "descending", "ascending"), "none"
        ),
    )


def _row(row: rx.Var) -> rx.Component:
    unread = row["unread"] == "1"
    return rx.table.row(
        rx.table.cell(
            rx.checkbox(
                checked=S.selected.contains(row["claim_id"]),
                on_change=lambda checked: S.toggle_select(row["claim_id"], checked),
                class_name="queue-select",
                aria_label=row["reference"],
            )
        ),
        rx.table.cell(
            rx.hstack(
                rx.cond(
                    unread,
                    rx.box(
                        width="0.55em",
                        height="0.55em",
                        border_radius="50%",
                        background="var(--accent-9)",
                        title=tr("queue.unread"),
                    ),
                ),
                rx.link(row["reference"], href=row["href"], class_name="queue-claim-link"),
                align="center",
                spacing="2",
            )
        ),
        rx.table.cell(status_badge(row["status_code"], row["status"])),
        rx.table.cell(
            rx.vstack(
                rx.text(row["claimant"], size="2"),
                rx.text(row["email"], size="1", color_scheme="gray"),
                spacing="0",
            )
        ),
        rx.table.cell(
            rx.vstack(
                rx.text(row["flights"], size="2"),
                rx.text(row["route"], size="1", color_scheme="gray"),
                spacing="0",
            )
        ),
        rx.table.cell(rx.text(row["flight_date"], size="2", white_space="nowrap")),
        rx.table.cell(
            rx.text(row["amount"], " × ", row["passengers"], size="2", white_space="nowrap")
        ),
        rx.table.cell(rx.text(row["assigned"], size="2")),
        rx.table.cell(rx.text(row["submitted"], size="2", white_space="nowrap")),
        rx.table.cell(rx.text(row["last_message"], size="2", white_space="nowrap")),
        font_weight=rx.cond(unread, "bold", "normal"),
        class_name="queue-row",
        custom_attrs={"data-claim-id": row["claim_id"]},
    )


def _table() -> rx.Component:
    def header(key: str) -> rx.Component:
        return rx.table.column_header_cell(tr(key))

    return rx.table.root(
        rx.table.header(
            rx.table.row(
                rx.table.column_header_cell(
                    rx.checkbox(
                        checked=(S.rows.length() > 0) & (S.selected.length() == S.rows.length()),
                        on_change=S.select_page,
                        id="queue-select-page",
                        aria_label=tr("queue.select_page"),
                    )
                ),
                header("queue.col.reference"),
                _sortable("queue.col.status", "status"),
                header("queue.col.claimant"),
                header("queue.col.flights"),
                _sortable("queue.col.flight_date", "flight"),
                _sortable("queue.col.amount", "amount"),
                header("queue.col.assigned"),
                _sortable("queue.col.submitted", "submitted"),
                header("queue.col.last_message"),
            )
        ),
        rx.table.body(rx.foreach(S.rows, _row)),
        width="100%",
        id="queue-table",
    )


def _actions() -> rx.Component:
    return rx.flex(
        rx.text(tr("queue.bulk.selected"), " ", S.selected.length(), size="2", id="queue-selected"),
        rx.select.root(
            rx.select.trigger(placeholder=S.t["queue.bulk.choose"].to(str), min_width="12em"),
            rx.select.content(
                rx.select.item(tr("queue.filter.me"), value="me"),
                rx.select.item(tr("queue.bulk.nobody"), value="none"),
                rx.select.separator(),
                rx.foreach(S.admin_options, lambda a: rx.select.item(a["name"], value=a["id"])),
            ),
            value=S.bulk_assignee,
            on_change=S.set_bulk_assignee,
            id="bulk-assign",
        ),
        rx.button(
            tr("queue.bulk.assign"),
            on_click=S.bulk_assign,
            disabled=(S.selected.length() == 0) | (S.bulk_assignee == ""),
            id="bulk-assign-confirm",
        ),
        rx.spacer(),
        rx.text(S.export_rows, size="2", color_scheme="gray", id="queue-export-rows"),
        rx.button(
            rx.icon("download", size=16),
            tr("queue.export"),
            variant="soft",
            on_click=S.export,
            loading=S.exporting,
            id="queue-export",
        ),
        align="center",
        spacing="3",
        wrap="wrap",
        width="100%",
    )


def claims_queue_page() -> rx.Component:
    return page(
        rx.heading(tr("queue.title"), size="7", id="queue-title"),
        rx.text(tr("queue.intro"), color_scheme="gray"),
        guarded(
            _filters(),
            error_callout(S.error),
            rx.cond(S.notice != "", rx.callout(S.notice, color_scheme="green", id="queue-notice")),
            _actions(),
            rx.box(_table(), overflow_x="auto", width="100%"),
            rx.cond(
                S.loaded & (S.rows.length() == 0),
                rx.text(tr("queue.empty"), color_scheme="gray", padding="2em 0", id="queue-empty"),
            ),
            pager(S, name="queue"),
        ),
        width="96em",
    )
