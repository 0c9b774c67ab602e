"""Airline and route figures and their CSV export, on the hand-built claims of
admin_stats_world (AF: 6 claims, 2 won, 1 refused by the airline, paid 10 days after)."""

from __future__ import annotations

import csv
import io
from dataclasses import replace
from datetime import date
from typing import Any

import pytest

from indemnisation.services import analytics
from indemnisation.services.analytics import Row
from indemnisation.services.errors import Forbidden, InvalidInput, NotAuthenticated
from tests.services.admin_stats_world import World, build


@pytest.fixture
def world(make: Any) -> World:
    return build(make)


def test_airlines_all_time(world: World) -> None:
    rows = analytics.table_rows(actor=world.admin, table="airlines")
    assert rows == [
        Row(
            "AF",
            "EUR",
            claims=6,
            won=2,
            refused=1,
            days_to_payment=pytest.approx(10.0),
            obtained=1450,
        ),
        Row("BA", "GBP", claims=1, won=0, refused=1, days_to_payment=None, obtained=0),
        Row(
            "KL",
            "EUR",
            claims=1,
            won=1,
            refused=0,
            days_to_payment=pytest.approx(20.0),
            obtained=250,
        ),
        Row("LH", "EUR", claims=1, won=0, refused=0, days_to_payment=None, obtained=0),
    ]
    rates = [row.acceptance_rate for row in rows]
    assert rates == [pytest.approx(2 / 3), 0.0, 1.0, None]


def test_routes_with_a_limit(world: World) -> None:
    rows = analytics.table_rows(actor=world.admin, table="routes", limit=2)
    assert rows == [
        Row("CDG-JFK", "EUR", 5, 1, 1, pytest.approx(10.0), 1200),
        Row("AMS-CDG", "EUR", 1, 1, 0, pytest.approx(20.0), 250),
    ]


@pytest.mark.parametrize(
    ("date_from", "date_to", "expected"),
    [
        # 16 March 09:00 UTC is 10:00 in Paris: the last day of the period is included...
        ("2026-03-01", "2026-03-16", {("AF", 2, 1, 250), ("BA", 1, 0, 0)}),
        # ...and a day before, it is out.
        ("2026-03-01", "2026-03-15", {("AF", 2, 1, 250)}),
        ("2026-03-17", "", {("AF", 1, 0, 0)}),
        ("", "2025-12-31", {("LH", 1, 0, 0)}),
        (date(2027, 1, 1), None, set()),
    ],
)
def test_the_period_filters_on_submission_day_in_paris(
    world: World, date_from: Any, date_to: Any, expected: set[tuple[str, int, int, int]]
) -> None:
    rows = analytics.table_rows(
        actor=world.admin, table="airlines", date_from=date_from, date_to=date_to
    )
    assert {(row.key, row.claims, row.won, row.obtained) for row in rows} == expected


@pytest.mark.parametrize("table", ["airlines", "routes"])
def test_all_time_tallies_equal_a_period_that_covers_every_claim(world: World, table: str) -> None:
    """All time reads the tallies, a period the claims themselves: both agree."""
    tallied = analytics.table_rows(actor=world.admin, table=table)
    counted = analytics.table_rows(
        actor=world.admin, table=table, date_from="2000-01-01", date_to="2100-12-31"
    )
    assert [replace(row, days_to_payment=None) for row in tallied] == [
        replace(row, days_to_payment=None) for row in counted
    ]
    for kept, fresh in zip(tallied, counted, strict=True):
        assert kept.days_to_payment == pytest.approx(fresh.days_to_payment, abs=1e-4)


def test_csv_export_streams_a_header_and_every_row(world: World) -> None:
    lines = analytics.export_csv(actor=world.admin, table="airlines", locale="en")
    assert not isinstance(lines, list)  # a generator: rows are written as they are read
    table = list(csv.reader(io.StringIO("".join(lines))))
    assert table[0] == [
        "Airline",
        "Currency",
        "Claims",
        "Won",
        "Refused by the airline",
        "Acceptance rate (%)",
        "Average days to payment",
        "Amount obtained",
    ]
    assert table[1:] == [
        ["AF", "EUR", "6", "2", "1", "66.7", "10.0", "1450"],
        ["BA", "GBP", "1", "0", "1", "0.0", "", "0"],
        ["KL", "EUR", "1", "1", "0", "100.0", "20.0", "250"],
        ["LH", "EUR", "1", "0", "0", "", "", "0"],
    ]
    french = list(analytics.export_csv(actor=world.admin, table="routes", date_to="2026-01-31"))
    assert french[0].startswith("Trajet,")
    assert french[1:] == ["CDG-JFK,EUR,1,1,0,100.0,10.0,1200\r\n", "FRA-CDG,EUR,1,0,0,,,0\r\n"]


@pytest.mark.parametrize(
    "kwargs",
    [
        {"table": "claims"},
        {"table": 1},
        {"table": "airlines", "date_from": "2026-13-01"},
        {"table": "airlines", "date_from": "yesterday"},
        {"table": "airlines", "date_to": 20260101},
        {"table": "airlines", "date_from": "1999-12-31"},
        {"table": "airlines", "date_from": "2026-03-02", "date_to": "2026-03-01"},
        {"table": "airlines", "limit": 0},
        {"table": "airlines", "limit": 10_000},
        {"table": "airlines", "limit": True},
    ],
)
def test_bad_filters_are_refused(make: Any, kwargs: dict[str, Any]) -> None:
    with pytest.raises(InvalidInput):
        analytics.table_rows(actor=make.admin(), **kwargs)
    if "limit" not in kwargs:
        with pytest.raises(InvalidInput):
            analytics.export_csv(actor=make.admin(), **kwargs)


def test_only_admins_see_or_export_analytics(make: Any) -> None:
    claimant = make.user()
    for actor, error in ((None, NotAuthenticated), (claimant, Forbidden)):
        with pytest.raises(error):
            analytics.table_rows(actor=actor, table="airlines")
        with pytest.raises(error):  # refused when called, before any line is asked for
            analytics.export_csv(actor=actor, table="routes")
