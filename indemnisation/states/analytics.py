"""Airlines and analytics (/admin/analytics): the airline and route tables over a period, and
links to their CSV export. Dates are kept as the page shows them ("YYYY-MM-DD" or empty) and
checked by the service before they are kept; every handler checks the admin role again."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

import reflex as rx

from indemnisation.i18n import format_money
from indemnisation.i18n import format_number as number
from indemnisation.models import Role
from indemnisation.services import analytics
from indemnisation.services.analytics import Row, Table
from indemnisation.services.errors import ServiceError
from indemnisation.states.forms import FormState
from indemnisation.states.session import run_service

ROUTES_SHOWN = 50
NONE = "—"


def export_href(table: Table, date_from: str, date_to: str) -> str:
    """The download route of one table (it checks the session and the dates again)."""
    return f"/exports/{table.value}?" + urlencode({"from": date_from, "to": date_to})


class AnalyticsState(FormState):
    date_from: str = ""
    date_to: str = ""
    airlines: list[dict[str, str]] = []
    routes: list[dict[str, str]] = []
    airlines_csv: str = ""
    routes_csv: str = ""
    loaded: bool = False

    def _row(self, row: Row) -> dict[str, str]:
        lang = self.lang
        rate, days = row.acceptance_rate, row.days_to_payment
        return {
            "key": row.key,
            "currency": row.currency,
            "claims": number(lang, row.claims),
            "won": number(lang, row.won),
            "refused": number(lang, row.refused),
            "rate": NONE if rate is None else number(lang, rate * 100, 1) + " %",
            "days": NONE if days is None else number(lang, days, 1),
            "obtained": format_money(lang, row.obtained, row.currency),
        }

    async def _load_tables(self, date_from: str, date_to: str) -> None:
        """Both tables for the period (checked first: nothing changes when it is refused)."""
        user = await self._require(Role.ADMIN)
        analytics.check_period(date_from, date_to)
        period = {"date_from": date_from, "date_to": date_to}
        airlines = await run_service(
            analytics.table_rows, actor=user, table=Table.AIRLINES.value, **period
        )
        routes = await run_service(
            analytics.table_rows,
            actor=user,
            table=Table.ROUTES.value,
            limit=ROUTES_SHOWN,
            **period,
        )
        self.date_from, self.date_to = date_from, date_to
        self.airlines = [self._row(row) for row in airlines]
        self.routes = [self._row(row) for row in routes]
        self.airlines_csv = export_href(Table.AIRLINES, date_from, date_to)
        self.routes_csv = export_href(Table.ROUTES, date_from, date_to)
        self.loaded = True

    async def _apply(self, date_from: str, date_to: str) -> None:
        self._clear()
        try:
            await self._load_tables(date_from, date_to)
        except ServiceError as error:
            self._fail(error)

    @rx.event
    async def load(self) -> None:
        """Runs after the page guard; refuses again on its own, whatever the client sends."""
        self.airlines, self.routes, self.loaded = [], [], False
        await self._apply("", "")

    @rx.event
    async def set_date_from(self, value: Any) -> None:
        if isinstance(value, str) and len(value) <= 10:
            await self._apply(value, self.date_to)

    @rx.event
    async def set_date_to(self, value: Any) -> None:
        if isinstance(value, str) and len(value) <= 10:
            await self._apply(self.date_from, value)

    @rx.event
    async def clear_dates(self) -> None:
        await self._apply("", "")
