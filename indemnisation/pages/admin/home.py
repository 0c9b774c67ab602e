"""/admin : the back-office dashboard (claims, messages, compensation, accounts) with charts."""

import reflex as rx

from indemnisation.components.i18n import tr
from indemnisation.components.layout import guarded, page
from indemnisation.components.status import COLOURS
from indemnisation.states.admin_home import AdminHomeState as S

CHART_HEIGHT = 260


def _figure(label_key: str, value: rx.Var, figure_id: str, note: rx.Var | str = "") -> rx.Component:
    return rx.card(
        rx.vstack(
            rx.text(tr(label_key), size="2", color_scheme="gray"),
            rx.heading(value, size="7", id=figure_id),
            rx.text(note, size="1", color_scheme="gray"),
            spacing="1",
        ),
        flex="1",
    )


def _row(*children: rx.Component) -> rx.Component:
    return rx.flex(
        *children, spacing="3", width="100%", direction=rx.breakpoints(initial="column", sm="row")
    )


def _panel(title_key: str, content: rx.Component, panel_id: str) -> rx.Component:
    return rx.card(
        rx.vstack(rx.heading(tr(title_key), size="3"), content, width="100%"),
        flex="1",
        min_width="0",
        id=panel_id,
    )


def _later(content: rx.Component) -> rx.Component:
    """Shown once the figures that read many claims have arrived."""
    return rx.cond(S.details_loaded, content, rx.center(rx.spinner(), height="6em"))


def _weeks_chart() -> rx.Component:
    return rx.recharts.line_chart(
        rx.recharts.cartesian_grid(stroke_dasharray="3 3"),
        rx.recharts.x_axis(data_key="week"),
        rx.recharts.y_axis(allow_decimals=False),
        rx.recharts.graphing_tooltip(),
        rx.recharts.line(
            data_key="claims", name=tr("dashboard.chart.claims"), stroke="var(--accent-9)"
        ),
        data=S.weeks,
        width="100%",
        height=CHART_HEIGHT,
    )


def _status_colour(code: rx.Var) -> rx.Var:
    pairs = [(status, f"var(--{colour}-9)") for status, colour in COLOURS.items()]
    return rx.match(code, *pairs, "var(--gray-9)")


def _status_chart() -> rx.Component:
    return rx.recharts.pie_chart(
        rx.recharts.pie(
            rx.foreach(S.by_status, lambda r: rx.recharts.cell(fill=_status_colour(r["code"]))),
            data=S.by_status,
            data_key="count",
            name_key="name",
            inner_radius="45%",
            outer_radius="80%",
        ),
        rx.recharts.graphing_tooltip(),
        rx.recharts.legend(),
        width="100%",
        height=CHART_HEIGHT,
    )


def _bars(data: rx.Var) -> rx.Component:
    return rx.recharts.bar_chart(
        rx.recharts.cartesian_grid(stroke_dasharray="3 3", horizontal=False),
        rx.recharts.x_axis(type_="number", allow_decimals=False),
        rx.recharts.y_axis(data_key="name", type_="category", width=80),
        rx.recharts.graphing_tooltip(),
        rx.recharts.bar(
            data_key="claims", name=tr("dashboard.chart.claims"), fill="var(--accent-9)"
        ),
        data=data,
        layout="vertical",
        width="100%",
        height=CHART_HEIGHT,
    )


def _money() -> rx.Component:
    def line(m: rx.Var) -> rx.Component:
        return rx.table.row(
            rx.table.row_header_cell(m["currency"]),
            rx.table.cell(m["claimed"]),
            rx.table.cell(m["obtained"]),
            rx.table.cell(m["paid"]),
        )

    return rx.table.root(
        rx.table.header(
            rx.table.row(
                rx.table.column_header_cell(tr("dashboard.money.currency")),
                rx.table.column_header_cell(tr("dashboard.money.claimed")),
                rx.table.column_header_cell(tr("dashboard.money.obtained")),
                rx.table.column_header_cell(tr("dashboard.money.paid")),
            )
        ),
        rx.table.body(rx.foreach(S.money, line)),
        width="100%",
        id="dashboard-money",
    )


def _claims() -> rx.Component:
    return rx.fragment(
        _row(
            _figure("dashboard.new_today", S.claims_today, "fig-claims-today"),
            _figure("dashboard.new_week", S.claims_week, "fig-claims-week"),
            _figure("dashboard.open", S.open_claims, "fig-open"),
            _figure("dashboard.waiting", S.waiting_threads, "fig-waiting", S.oldest_wait),
            _figure(
                "dashboard.first_reply", S.first_reply, "fig-first-reply", S.first_reply_claims
            ),
        ),
        _panel("dashboard.money.title", _later(_money()), "panel-money"),
        _row(
            _panel("dashboard.chart.weeks", _weeks_chart(), "chart-weeks"),
            _panel("dashboard.chart.statuses", _status_chart(), "chart-statuses"),
        ),
        _row(
            _panel("dashboard.chart.airlines", _later(_bars(S.top_airlines)), "chart-airlines"),
            _panel("dashboard.chart.routes", _later(_bars(S.top_routes)), "chart-routes"),
        ),
    )


def _accounts() -> rx.Component:
    return rx.fragment(
        rx.heading(tr("dashboard.accounts"), size="5"),
        _row(
            _figure("admin.home.claimants", S.claimants, "fig-claimants"),
            _figure("admin.home.admins", S.admins, "fig-admins"),
            _figure("admin.home.new_week", S.new_this_week, "fig-new"),
            _figure("admin.home.sessions", S.active_sessions, "fig-sessions"),
        ),
        rx.heading(tr("admin.home.recent"), size="4"),
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
                    S.recent,
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
    )


def admin_home_page() -> rx.Component:
    return page(
        rx.hstack(
            rx.heading(tr("admin.home.title"), size="7", id="admin-title"),
            rx.spacer(),
            rx.link(
                rx.button(rx.icon("chart-bar", size=16), tr("analytics.title"), variant="soft"),
                href="/admin/analytics",
                id="dashboard-analytics-link",
            ),
            width="100%",
            align="center",
        ),
        guarded(_claims(), _accounts()),
        width="80em",
    )
