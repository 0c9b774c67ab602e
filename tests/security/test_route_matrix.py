"""The authorization matrix of the HTTP routes beside the websocket (indemnisation/routes.py):
private files, the analytics and queue CSV exports, the demand letters. Each route is called by
the four callers, each with the links it could get; anything refused is the same bare 404 and
leaves no row and no audit entry behind."""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any
from urllib.parse import quote

import pytest
from hypothesis import given
from hypothesis import strategies as st
from starlette.routing import Route
from starlette.testclient import TestClient

from indemnisation.routes import SESSION_COOKIE, api
from indemnisation.services import claims_queue_export
from indemnisation.services.claims_queue import QueueFilters, QueueOrder, Sort
from indemnisation.storage import sign_link
from tests.security.conftest import fuzz_settings
from tests.security.world import (
    CALLERS,
    World,
    audit_since,
    files_fingerprint,
    fingerprint,
    last_audit_id,
)


def _queue_ticket(world: World, user_id: int) -> str:
    """A queue export ticket made for ``user_id`` (signed as the server signs them, so that the
    route's own checks are what is tested)."""
    signer = dataclasses.replace(world.admin, id=user_id)
    return claims_queue_export.sign_export(
        actor=signer, filters=QueueFilters(), order=QueueOrder(Sort.SUBMITTED, True)
    )


def _own_id(world: World, caller: str) -> int:
    user = world.user(caller)
    return user.id if user else 0


@dataclass(frozen=True)
class RouteCase:
    route: str
    """The route's path as routes.py declares it."""
    url: Callable[[World, str], str]
    """The address ``caller`` requests."""
    allowed: frozenset[str]
    """The callers who get the file (200); anyone else gets the 404."""
    audited_when_allowed: bool = False
    """An allowed download leaves one audit entry (letters and queue exports)."""


ROUTES: dict[str, RouteCase] = {
    "document, the owner's link": RouteCase(
        "/files/{token}",
        lambda w, c: f"/files/{sign_link(w.claim_document, w.owner.id)}",
        frozenset({"claimant"}),
    ),
    "document thumbnail, the owner's link": RouteCase(
        "/files/{token}",
        lambda w, c: f"/files/{sign_link(w.draft_document, w.owner.id, variant='thumb')}",
        frozenset({"claimant"}),
    ),
    "document, a link signed for the caller": RouteCase(
        "/files/{token}",
        lambda w, c: f"/files/{sign_link(w.claim_document, _own_id(w, c))}",
        frozenset({"claimant", "admin"}),
    ),
    "attachment, the owner's link": RouteCase(
        "/files/{token}",
        lambda w, c: f"/files/{sign_link(w.attachment, w.owner.id, variant='message-file')}",
        frozenset({"claimant"}),
    ),
    "attachment, a link signed for the caller": RouteCase(
        "/files/{token}",
        lambda w, c: f"/files/{sign_link(w.attachment, _own_id(w, c), variant='message-thumb')}",
        frozenset({"claimant", "admin"}),
    ),
    "airlines CSV": RouteCase(
        "/exports/{table}", lambda w, c: "/exports/airlines?from=&to=", frozenset({"admin"})
    ),
    "routes CSV": RouteCase(
        "/exports/{table}",
        lambda w, c: "/exports/routes?from=2020-01-01&to=2099-12-31",
        frozenset({"admin"}),
    ),
    "queue CSV, the admin's ticket": RouteCase(
        "/exports/queue/{token}",
        lambda w, c: f"/exports/queue/{_queue_ticket(w, w.admin.id)}",
        frozenset({"admin"}),
        audited_when_allowed=True,
    ),
    "queue CSV, a ticket signed for the caller": RouteCase(
        "/exports/queue/{token}",
        lambda w, c: f"/exports/queue/{_queue_ticket(w, _own_id(w, c))}",
        frozenset({"admin"}),
        audited_when_allowed=True,
    ),
    "demand letter": RouteCase(
        "/admin/claims/{claim_id:int}/letter.pdf",
        lambda w, c: f"/admin/claims/{w.claim}/letter.pdf?lang=en",
        frozenset({"admin"}),
        audited_when_allowed=True,
    ),
}


def get(world: World, caller: str, url: str) -> Any:
    client = TestClient(api)
    if world.tokens[caller]:
        client.cookies.set(SESSION_COOKIE, world.tokens[caller])
    return client.get(url)


def test_every_route_is_in_the_matrix() -> None:
    """A route added to routes.py without its lines here fails."""
    declared = {route.path for route in api.routes if isinstance(route, Route)}
    assert len(declared) == len(api.routes)
    assert declared == {case.route for case in ROUTES.values()}


@pytest.mark.parametrize("caller", CALLERS)
@pytest.mark.parametrize("name", list(ROUTES))
def test_route(world: World, name: str, caller: str) -> None:
    case = ROUTES[name]
    url = case.url(world, caller)
    data, files, audit_id = fingerprint(), files_fingerprint(), last_audit_id()
    answer = get(world, caller, url)
    entries = audit_since(audit_id)
    assert fingerprint() == data and files_fingerprint() == files
    assert answer.headers["cache-control"] == "private, no-store"
    assert answer.headers["x-content-type-options"] == "nosniff"
    if caller in case.allowed:
        assert answer.status_code == 200, answer.text[:200]
        assert answer.content
        assert [e.refused for e in entries] == ([False] if case.audited_when_allowed else [])
    else:
        assert answer.status_code == 404
        assert answer.text == "Not found"
        assert entries == []


def _part(text: str) -> str:
    return quote(text.encode("utf-8", "surrogatepass"), safe="")


@pytest.mark.parametrize("caller", CALLERS)
def test_fuzz_routes(world: World, restore: Callable[[], None], caller: str) -> None:
    """Any address under the routes, with any token, table, dates, language or claim id: the
    answer is the file or the bare 404, never a server error, and a 404 wrote nothing."""
    texts = st.one_of(
        st.sampled_from(["", "airlines", "routes", "queue", "fr", "en", "2026-02-30", "²"]),
        st.text(st.characters(exclude_categories=()), max_size=60),
        st.sampled_from([sign_link(world.claim_document, world.owner.id)]),
    )
    ids = st.one_of(st.integers(), st.sampled_from([world.claim, world.asked, world.draft]))
    urls = st.one_of(
        texts.map(lambda t: f"/files/{_part(t)}"),
        st.tuples(texts, texts, texts).map(
            lambda t: f"/exports/{_part(t[0])}?from={_part(t[1])}&to={_part(t[2])}"
        ),
        texts.map(lambda t: f"/exports/queue/{_part(t)}"),
        st.tuples(ids, texts).map(lambda t: f"/admin/claims/{t[0]}/letter.pdf?lang={_part(t[1])}"),
    )

    @fuzz_settings()
    @given(url=urls)
    def one(url: str) -> None:
        data = fingerprint()
        try:
            answer = get(world, caller, url)
            wrote = fingerprint() != data
        finally:
            restore()
        assert answer.status_code in (200, 404), (url, answer.status_code)
        if answer.status_code == 404:
            assert not wrote and answer.text in ("Not found", "Not Found")

    one()
