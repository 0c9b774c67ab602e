"""/admin/analytics : outcomes per airline and per route over a period, exportable as CSV."""

import reflex as rx

from indemnisation.components.forms import error_callout
from indemnisation.components.i18n import tr
from indemnisation.components.layout import guarded, page
from indemnisation.states.analytics import AnalyticsState as S

COLUMNS = ("currency", "claims", "won", "refused", "rate", "days", "obtained")


def _date(label_key: str, value: rx.Var, handler: rx.EventHandler, input_id: str) -> rx.Component:
    return rx.vstack(
        rx.text(tr(label_key), size="1", color_scheme="gray", as_="label", html_for=input_id),
        rx.input(type="date", value=value, on_change=handler, id=input_id),
        spacing="1",
    )


def _filters() -> rx.Component:
    return rx.card(
        rx.flex(
            _date("analytics.filter.from", S.date_from, S.set_date_from, "analytics-from"),
            _date("analytics.filter.to", S.date_to, S.set_date_to, "analytics-to"),
            rx.button(
                tr("analytics.filter.all_time"),
                on_click=S.clear_dates,
                variant="soft",
                id="analytics-all-time",
            ),
            rx.text(tr("analytics.filter.hint"), size="1", color_scheme="gray"),
            spacing="3",
            align="end",
            wrap="wrap",
        ),
        width="100%",
    )


def _table(
    title_key: str, key_header: str, rows: rx.Var, csv_href: rx.Var, table_id: str
) -> rx.Component:
    def line(row: rx.Var) -> rx.Component:
        return rx.table.row(
            rx.table.row_header_cell(row["key"]),
            *[rx.table.cell(row[name]) for name in COLUMNS],
        )

    return rx.vstack(
        rx.hstack(
            rx.heading(tr(title_key), size="5"),
            rx.spacer(),
            rx.link(
                rx.button(rx.icon("download", size=16), tr("analytics.export"), variant="soft"),
                href=csv_href,
                is_external=True,
                id=f"{table_id}-csv",
            ),
            width="100%",
            align="center",
        ),
        rx.cond(
            rows.length() == 0,
            rx.text(tr("analytics.empty"), color_scheme="gray", id=f"{table_id}-empty"),
            rx.box(
                rx.table.root(
                    rx.table.header(
                        rx.table.row(
                            rx.table.column_header_cell(tr(key_header)),
                            *[
                                rx.table.column_header_cell(tr(f"analytics.csv.{name}"))
                                for name in COLUMNS
                            ],
                        )
                    ),
                    rx.table.body(rx.foreach(rows, line)),
                    width="100%",
                    id=table_id,
                ),
                overflow_x="auto",
                width="100%",
            ),
        ),
        width="100%",
    )


def analytics_page() -> rx.Component:
    return page(
        rx.heading(tr("analytics.title"), size="7", id="analytics-title"),
        guarded(
            _filters(),
            error_callout(S.error),
            rx.cond(
                S.loaded,
                rx.vstack(
                    _table(
                        "analytics.airlines",
                        "analytics.csv.key_airlines",
                        S.airlines,
                        S.airlines_csv,
                        "analytics-airlines",
                    ),
                    _table(
                        "analytics.routes",
                        "analytics.csv.key_routes",
                        S.routes,
                        S.routes_csv,
                        "analytics-routes",
                    ),
                    rx.text(tr("analytics.definitions"), size="1", color_scheme="gray"),
                    spacing="5",
                    width="100%",
                ),
                rx.center(rx.spinner(size="3"), padding="3em", width="100%"),
            ),
        ),
        width="80em",
    )
