"""/admin/inbox : every claim thread with its last message, unread first, filters and pages."""

import reflex as rx

from indemnisation.components.forms import error_callout
from indemnisation.components.i18n import tr
from indemnisation.components.layout import guarded, page
from indemnisation.components.pager import pager
from indemnisation.components.status import status_badge
from indemnisation.services.inbox import MAX_QUERY
from indemnisation.states.inbox import ALL, STATUSES
from indemnisation.states.inbox import InboxState as S


def _labelled(key: str, control: rx.Component) -> rx.Component:
    return rx.vstack(rx.text(tr(key), size="1", color_scheme="gray"), control, spacing="1")


def _status_select() -> rx.Component:
    return rx.select.root(
        rx.select.trigger(id="inbox-status", min_width="11em"),
        rx.select.content(
            rx.select.item(tr("inbox.filter.all_statuses"), value=ALL),
            *[rx.select.item(tr(f"status.{code}"), value=code) for code in STATUSES],
        ),
        value=S.status,
        on_change=S.set_status,
    )


def _assigned_select() -> rx.Component:
    return rx.select.root(
        rx.select.trigger(id="inbox-assigned", min_width="11em"),
        rx.select.content(
            rx.select.item(tr("inbox.filter.anyone"), value=ALL),
            rx.select.item(tr("inbox.filter.me"), value="me"),
            rx.select.item(tr("inbox.filter.nobody"), value="none"),
            rx.select.separator(),
            rx.foreach(
                S.admin_options, lambda admin: rx.select.item(admin["name"], value=admin["id"])
            ),
        ),
        value=S.assigned,
        on_change=S.set_assigned,
    )


def _filters() -> rx.Component:
    return rx.card(
        rx.vstack(
            rx.input(
                rx.input.slot(rx.icon("search", size=16)),
                value=S.search,
                on_change=S.set_search,
                debounce_timeout=350,
                placeholder=S.t["inbox.filter.search"].to(str),
                max_length=MAX_QUERY,
                type="search",
                id="inbox-search",
                width="100%",
                size="3",
            ),
            rx.flex(
                rx.hstack(
                    rx.switch(
                        checked=S.unread_only,
                        on_change=S.set_unread_only,
                        id="inbox-unread-only",
                    ),
                    rx.text(
                        tr("inbox.filter.unread_only"), as_="label", html_for="inbox-unread-only"
                    ),
                    align="center",
                    spacing="2",
                    min_height="2.5em",
                ),
                _labelled("inbox.filter.status", _status_select()),
                _labelled("inbox.filter.assigned", _assigned_select()),
                _labelled(
                    "inbox.filter.from",
                    rx.input(
                        type="date", value=S.date_from, on_change=S.set_date_from, id="inbox-from"
                    ),
                ),
                _labelled(
                    "inbox.filter.to",
                    rx.input(type="date", value=S.date_to, on_change=S.set_date_to, id="inbox-to"),
                ),
                rx.button(
                    tr("inbox.filter.clear"),
                    variant="ghost",
                    on_click=S.clear_filters,
                    id="inbox-clear",
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


def _unread_dot(row: rx.Var) -> rx.Component:
    return rx.cond(
        row["unread"] == "1",
        rx.box(
            width="0.55em",
            height="0.55em",
            border_radius="50%",
            background="var(--accent-9)",
            flex_shrink="0",
            title=tr("inbox.unread"),
            class_name="inbox-unread-dot",
        ),
        rx.box(width="0.55em", flex_shrink="0"),
    )


def _last_message(row: rx.Var) -> rx.Component:
    return rx.vstack(
        rx.hstack(
            rx.text(row["sender"], size="2"),
            rx.cond(
                row["from_team"] == "1",
                rx.badge(tr("inbox.team"), size="1", variant="soft"),
            ),
            spacing="2",
            align="center",
        ),
        rx.text(
            row["excerpt"],
            size="2",
            color_scheme="gray",
            max_width="28em",
            overflow="hidden",
            text_overflow="ellipsis",
            white_space="nowrap",
        ),
        spacing="0",
        min_width="0",
    )


def _row(row: rx.Var) -> rx.Component:
    unread = row["unread"] == "1"
    return rx.table.row(
        rx.table.cell(
            rx.hstack(
                _unread_dot(row),
                rx.link(row["reference"], href=row["href"], class_name="inbox-claim-link"),
                align="center",
                spacing="2",
            )
        ),
        rx.table.cell(row["claimant"]),
        rx.table.cell(status_badge(row["status_code"], row["status"])),
        rx.table.cell(_last_message(row)),
        rx.table.cell(rx.text(row["ago"], title=row["moment"], size="2", white_space="nowrap")),
        rx.table.cell(
            rx.text(
                row["waiting"],
                title=row["waiting_moment"],
                size="2",
                color_scheme="amber",
                white_space="nowrap",
            )
        ),
        rx.table.cell(rx.text(row["assigned"], size="2")),
        rx.table.cell(
            rx.cond(
                unread,
                rx.fragment(),
                rx.icon_button(
                    rx.icon("mail", size=16),
                    variant="ghost",
                    on_click=S.mark_unread(row["claim_id"]),
                    title=tr("inbox.mark_unread"),
                    aria_label=tr("inbox.mark_unread"),
                    class_name="inbox-mark-unread",
                ),
            )
        ),
        font_weight=rx.cond(unread, "bold", "normal"),
        class_name=rx.cond(unread, "inbox-row inbox-row-unread", "inbox-row"),
        custom_attrs={"data-claim-id": row["claim_id"], "data-unread": row["unread"]},
    )


def _table() -> rx.Component:
    def header(key: str) -> rx.Component:
        return rx.table.column_header_cell(tr(key))

    return rx.table.root(
        rx.table.header(
            rx.table.row(
                header("inbox.col.claim"),
                header("inbox.col.claimant"),
                header("inbox.col.status"),
                header("inbox.col.last_message"),
                header("inbox.col.when"),
                header("inbox.col.waiting"),
                header("inbox.col.assigned"),
                rx.table.column_header_cell(""),
            )
        ),
        rx.table.body(rx.foreach(S.rows, _row)),
        width="100%",
        id="inbox-table",
    )


def inbox_page() -> rx.Component:
    return page(
        rx.heading(tr("inbox.title"), size="7", id="inbox-title"),
        rx.text(tr("inbox.intro"), color_scheme="gray"),
        guarded(
            _filters(),
            error_callout(S.error),
            rx.box(_table(), overflow_x="auto", width="100%"),
            rx.cond(
                S.loaded & (S.rows.length() == 0),
                rx.text(tr("inbox.empty"), color_scheme="gray", padding="2em 0", id="inbox-empty"),
            ),
            pager(S, name="inbox"),
        ),
        width="90em",
    )
