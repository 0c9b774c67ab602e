"""The CSV export route: an admin's session cookie streams the table; anyone else gets 404."""

from __future__ import annotations

from typing import Any

import pytest
from starlette.testclient import TestClient

from indemnisation.routes import api
from indemnisation.services import accounts
from tests.conftest import PASSWORD
from tests.services.admin_stats_world import World, build


@pytest.fixture
def world(make: Any) -> World:
    return build(make)


def _get(path: str, user: Any = None) -> Any:
    client = TestClient(api)
    if user is not None:
        token = accounts.login(email=user.email, password=PASSWORD).token
        client.cookies.set("ind_session", token)
    return client.get(path)


def test_an_admin_downloads_the_airlines_csv(world: World) -> None:
    answer = _get("/exports/airlines?from=2026-03-01&to=2026-03-16", world.admin)
    assert answer.status_code == 200
    assert answer.headers["content-type"] == "text/csv; charset=utf-8"
    assert answer.headers["content-disposition"] == (
        'attachment; filename="airlines-2026-03-01-2026-03-16.csv"'
    )
    assert answer.headers["cache-control"] == "private, no-store"
    lines = answer.text.splitlines()
    assert lines[0].startswith("Compagnie,Devise,")  # the admin's language (French)
    assert lines[1:] == ["AF,EUR,2,1,0,100.0,,250", "BA,GBP,1,0,1,0.0,,0"]


def test_routes_without_dates(world: World) -> None:
    answer = _get("/exports/routes", world.admin)
    assert answer.status_code == 200
    assert answer.headers["content-disposition"].endswith('"routes-start-today.csv"')
    assert len(answer.text.splitlines()) == 1 + 5


@pytest.mark.parametrize(
    "path",
    [
        "/exports/claims",
        "/exports/airlines?from=2026-13-01",
        "/exports/routes?from=2026-03-02&to=2026-03-01",
    ],
)
def test_bad_tables_or_dates_are_not_found(world: World, path: str) -> None:
    assert _get(path, world.admin).status_code == 404


def test_only_an_admin_session_exports(world: World) -> None:
    assert _get("/exports/airlines").status_code == 404
    assert _get("/exports/airlines", world.claimant).status_code == 404
    client = TestClient(api)
    client.cookies.set("ind_session", "forged" * 8)
    assert client.get("/exports/airlines").status_code == 404
