"""The admin inbox: unread threads first (per admin), then the newest; filters, text search on
both databases, keyset pages without gaps or repeats, cursors and filters checked."""

from __future__ import annotations

import base64
import itertools
from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Any

import pytest
from sqlmodel import update

from indemnisation.db import get_engine, session_scope
from indemnisation.domain.claim_status import ClaimStatus
from indemnisation.models import Claim, ThreadRead, ThreadSummary
from indemnisation.services import inbox
from indemnisation.services import messaging as m
from indemnisation.services.errors import Forbidden, InvalidInput, NotAuthenticated
from indemnisation.services.inbox import InboxFilters, check_filters, list_threads
from indemnisation.services.views import UserView
from tests.claim_factory import submitted_claim

_keys = itertools.count()
POSTGRES = get_engine().dialect.name == "postgresql"


@dataclass(frozen=True)
class World:
    alice: UserView  # admin
    bob: UserView  # admin
    claimant: UserView
    claims: tuple[int, ...]


def send(actor: UserView, claim_id: int, content: str = "Bonjour", **kw: Any) -> int:
    sent = m.send_message(
        actor=actor, claim_id=claim_id, content=content, client_key=f"key-{next(_keys):08d}", **kw
    )
    return sent.message.id


def read_all(admin: UserView, claim_id: int) -> None:
    m.mark_read(actor=admin, claim_id=claim_id, up_to_message_id=2**31 - 1)


def page(admin: UserView, cursor: str | None = None, limit: int = 25, **filters: Any) -> Any:
    return list_threads(actor=admin, filters=InboxFilters(**filters), cursor=cursor, limit=limit)


def ids(admin: UserView, limit: int = 25, **filters: Any) -> list[int]:
    return [row.claim_id for row in page(admin, limit=limit, **filters).rows]


def set_claim(claim_id: int, **values: Any) -> None:
    with session_scope() as session:
        session.exec(update(Claim).where(Claim.id == claim_id).values(**values))  # type: ignore[call-overload]
        session.commit()


def set_last_at(claim_id: int, moment: datetime) -> None:
    with session_scope() as session:
        session.exec(
            update(ThreadSummary)  # type: ignore[call-overload]
            .where(ThreadSummary.claim_id == claim_id)
            .values(last_message_at=moment)
        )
        session.commit()


def make_world(make: Any, count: int) -> World:
    alice = make.admin(full_name="Alice Admin")
    bob = make.admin(full_name="Bob Admin")
    claimant = make.user(full_name="Claire Claimant")
    return World(alice, bob, claimant, tuple(submitted_claim(claimant) for _ in range(count)))


@pytest.fixture
def world(make: Any) -> World:
    return make_world(make, 3)


# --- who may look -------------------------------------------------------------------------------


def test_claimant_and_anonymous_are_refused(world: World) -> None:
    with pytest.raises(NotAuthenticated):
        list_threads(actor=None, filters=InboxFilters())
    with pytest.raises(Forbidden):
        list_threads(actor=world.claimant, filters=InboxFilters())
    with pytest.raises(Forbidden):
        inbox.list_admins(actor=world.claimant)


def test_admins_are_listed_by_name(make: Any, world: World) -> None:
    make.admin(full_name="Aaron First")
    names = [a.full_name for a in inbox.list_admins(actor=world.alice)]
    assert names == ["Aaron First", "Alice Admin", "Bob Admin"]


# --- what a row says, unread per admin, ordering -----------------------------------------------


def test_a_row_describes_the_thread(world: World) -> None:
    claim = world.claims[0]
    first = send(world.claimant, claim, "Mon vol a eu   4 heures de retard")
    set_claim(claim, assigned_to_id=world.bob.id)
    (row,) = page(world.alice).rows
    assert row.claim_id == claim and row.reference.startswith("IND-")
    assert (row.claimant_name, row.assigned_name) == ("Claire Claimant", "Bob Admin")
    assert row.status is ClaimStatus.SUBMITTED
    assert (row.last_sender_name, row.excerpt) == (
        "Claire Claimant",
        "Mon vol a eu 4 heures de retard",
    )
    assert row.unread and not row.last_from_team and row.message_count == 1
    assert row.waiting_since == row.last_message_at and row.last_message_id == first

    send(world.claimant, claim, "Vous avez reçu mes documents ?")
    (row,) = page(world.alice).rows
    assert row.waiting_since is not None and row.waiting_since < row.last_message_at

    send(world.bob, claim, "Note pour l'équipe", internal=True)
    (row,) = page(world.alice).rows
    assert row.waiting_since is not None and row.message_count == 2, "notes change nothing"

    send(world.bob, claim, "Oui, merci !")
    (row,) = page(world.alice).rows
    assert row.waiting_since is None and row.last_from_team
    assert (row.last_sender_name, row.message_count) == ("Bob Admin", 3)
    assert row.unread, "Alice has not read the claimant's messages yet"


def test_unread_first_then_newest(world: World) -> None:
    a, b, c = world.claims
    send(world.claimant, a, "a")
    send(world.claimant, b, "b")
    send(world.claimant, c, "c")
    assert ids(world.alice) == [c, b, a]
    read_all(world.alice, c)
    assert ids(world.alice) == [b, a, c]
    assert [r.unread for r in page(world.alice).rows] == [True, True, False]
    send(world.claimant, c, "c again")
    assert ids(world.alice) == [c, b, a]


def test_unread_is_per_admin_and_colleagues_messages_never_count(world: World) -> None:
    a, b, c = world.claims
    send(world.claimant, a, "a")
    send(world.bob, b, "Bob starts this thread")
    send(world.claimant, c, "c")
    read_all(world.alice, a)
    alice = {r.claim_id: r.unread for r in page(world.alice).rows}
    bob = {r.claim_id: r.unread for r in page(world.bob).rows}
    assert alice == {a: False, b: False, c: True}
    assert bob == {a: True, b: False, c: True}

    send(world.bob, a, "Bob answers")
    assert {r.claim_id: r.unread for r in page(world.alice).rows}[a] is False

    assert m.mark_unread(actor=world.alice, claim_id=a)
    assert ids(world.alice, unread_only=True) == [a, c], "Bob's answer made it the newest"
    assert ids(world.bob, unread_only=True) == [c], "answering read the thread"


# --- filters ------------------------------------------------------------------------------------


def test_unread_only(world: World) -> None:
    a, b, c = world.claims
    for claim in world.claims:
        send(world.claimant, claim, "hello")
    read_all(world.alice, b)
    assert ids(world.alice, unread_only=True) == [c, a]
    result = page(world.alice, unread_only=True, limit=1)
    assert result.has_more and [r.claim_id for r in result.rows] == [c]
    rest = page(world.alice, cursor=result.next_cursor, unread_only=True, limit=1)
    assert [r.claim_id for r in rest.rows] == [a] and not rest.has_more


def test_status_and_assignment(world: World) -> None:
    a, b, c = world.claims
    for claim in world.claims:
        send(world.claimant, claim, "hello")
    set_claim(a, status=ClaimStatus.IN_REVIEW, assigned_to_id=world.alice.id)
    set_claim(b, assigned_to_id=world.bob.id)
    assert ids(world.alice, status=ClaimStatus.IN_REVIEW) == [a]
    assert ids(world.alice, status=ClaimStatus.SUBMITTED) == [c, b]
    assert ids(world.alice, status=ClaimStatus.PAID) == []
    assert ids(world.alice, assigned="me") == [a]
    assert ids(world.bob, assigned="me") == [b]
    assert ids(world.alice, assigned=world.bob.id) == [b]
    assert ids(world.alice, assigned="none") == [c]
    assert ids(world.alice, assigned="none", status=ClaimStatus.IN_REVIEW) == []


def test_date_range_on_the_last_message(world: World) -> None:
    a, b, c = world.claims
    for claim in world.claims:
        send(world.claimant, claim, "hello")
    set_last_at(a, datetime(2026, 3, 1, 23, 30, tzinfo=UTC))  # 2 March, 00:30 in Paris
    set_last_at(b, datetime(2026, 3, 10, 12, 0, tzinfo=UTC))
    set_last_at(c, datetime(2026, 4, 2, 21, 59, tzinfo=UTC))  # 2 April, 23:59 in Paris
    assert ids(world.alice, date_from=date(2026, 3, 2)) == [c, b, a]
    assert ids(world.alice, date_from=date(2026, 3, 3)) == [c, b]
    assert ids(world.alice, date_to=date(2026, 3, 1)) == []
    assert ids(world.alice, date_to=date(2026, 3, 2)) == [a]
    assert ids(world.alice, date_from=date(2026, 3, 10), date_to=date(2026, 3, 10)) == [b]
    assert ids(world.alice, date_from=date(2026, 4, 2), date_to=date(2026, 4, 2)) == [c]


def test_search_in_messages_notes_and_reference(world: World) -> None:
    a, b, c = world.claims
    send(world.claimant, a, "Mon vol AF6 a été annulé à cause de la grève")
    send(world.claimant, b, "Voici ma carte d'embarquement")
    send(world.claimant, c, "Bonjour")
    send(world.alice, c, "Dossier prioritaire : bagages perdus", internal=True)
    assert ids(world.alice, q="grève") == [a]
    assert ids(world.alice, q="embarquement") == [b]
    assert ids(world.alice, q="EMBARQUEMENT") == [b]
    assert ids(world.alice, q="bagages") == [c], "internal notes are searched for admins"
    assert ids(world.alice, q="inconnu") == []
    reference = page(world.alice, q="embarquement").rows[0].reference
    assert ids(world.alice, q=reference.lower()) == [b]
    assert ids(world.alice, q="  vol   AF6 ") == [a]


@pytest.mark.skipif(POSTGRES, reason="the LIKE fallback is SQLite's")
def test_sqlite_search_escapes_wildcards(world: World) -> None:
    a, b, _ = world.claims
    send(world.claimant, a, "Remise de 100% demandée")
    send(world.claimant, b, "Remise de 1000 euros, fichier mon_dossier.pdf")
    assert ids(world.alice, q="100%") == [a]
    assert ids(world.alice, q="%") == [a]
    assert ids(world.alice, q="_") == [b]
    assert ids(world.alice, q="mon_dossier") == [b]
    assert ids(world.alice, q="REMISE") == [b, a]
    assert ids(world.alice, q="\\") == []


@pytest.mark.skipif(not POSTGRES, reason="full-text search is PostgreSQL's")
def test_postgres_search_matches_words(world: World) -> None:
    a, b, _ = world.claims
    send(world.claimant, a, "Le vol était retardé de quatre heures")
    send(world.claimant, b, "Retard, puis annulation du vol")
    assert ids(world.alice, q="vol") == [b, a]
    assert ids(world.alice, q="retardé heures") == [a]
    assert ids(world.alice, q="retar") == [], "whole words, no stemming"
    assert ids(world.alice, q="!!! & | :*") == []


# --- pages --------------------------------------------------------------------------------------


def all_pages(admin: UserView, limit: int, **filters: Any) -> list[list[int]]:
    pages, cursor = [], None
    while True:
        result = page(admin, cursor=cursor, limit=limit, **filters)
        pages.append([r.claim_id for r in result.rows])
        assert result.has_more == (result.next_cursor is not None)
        if not result.has_more:
            return pages
        cursor = result.next_cursor


@pytest.mark.parametrize("window", [2000, 2])  # 2: short index walks, the rest by a scan
@pytest.mark.parametrize("limit", [1, 3, 4, 8])  # 4: the unread threads fill a page
def test_pages_walk_every_thread_once(
    make: Any, monkeypatch: pytest.MonkeyPatch, limit: int, window: int
) -> None:
    monkeypatch.setattr(inbox, "WINDOW", window)
    world = make_world(make, 7)
    for claim in world.claims:
        send(world.claimant, claim, "hello")
    for claim in world.claims[1::2]:  # three read, four unread
        read_all(world.alice, claim)
    expected = ids(world.alice)
    assert expected[:4] == list(reversed(world.claims[0::2]))
    pages = all_pages(world.alice, limit)
    assert [claim for p in pages for claim in p] == expected
    assert all(len(p) == limit for p in pages[:-1]) and 0 < len(pages[-1]) <= limit


def test_a_zero_tally_skips_the_unread_segment_but_hides_nothing(world: World) -> None:
    a, b, c = world.claims
    for claim in world.claims:
        send(world.claimant, claim, "hello")
    for claim in world.claims:
        read_all(world.alice, claim)
    assert m.unread_total(actor=world.alice) == 0
    assert ids(world.alice) == [c, b, a]
    assert [r.claim_id for r in page(world.alice, limit=2).rows] == [c, b]
    with session_scope() as session:  # a tally out of step must not make a thread disappear
        session.exec(
            update(ThreadRead).where(ThreadRead.claim_id == a).values(last_read_message_id=0)
        )  # type: ignore[call-overload]
        session.commit()
    assert [(r.claim_id, r.unread) for r in page(world.alice).rows] == [
        (c, False),
        (b, False),
        (a, True),
    ]
    assert ids(world.alice, unread_only=True) == [a]


def test_an_empty_inbox(world: World) -> None:
    result = page(world.alice)
    assert (result.rows, result.has_more, result.next_cursor) == ((), False, None)


@pytest.mark.parametrize(
    "cursor",
    [
        "garbage!",
        "x" * 200,
        "AAAA",
        base64.urlsafe_b64encode(b"z12").decode(),
        base64.urlsafe_b64encode(b"u-5").decode(),
        base64.urlsafe_b64encode(b"u99999999999").decode(),
        "w6k",
        12,
        ["u1"],
    ],
)
def test_forged_cursors_are_refused(world: World, cursor: Any) -> None:
    with pytest.raises(InvalidInput) as refused:
        list_threads(actor=world.alice, filters=InboxFilters(), cursor=cursor)
    assert refused.value.code == "error.inbox_cursor_invalid"


def test_a_hand_made_cursor_only_moves_the_position(world: World) -> None:
    a, _, c = world.claims
    for claim in world.claims:
        send(world.claimant, claim, "hello")
    read_all(world.alice, a)
    first = page(world.alice, limit=1)
    cursor = base64.urlsafe_b64encode(b"r0").decode().rstrip("=")
    assert [r.claim_id for r in page(world.alice, cursor=cursor).rows] == [a]
    assert [r.claim_id for r in first.rows] == [c]


# --- validation ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("values", "field"),
    [
        ({"unread_only": "yes"}, "unread_only"),
        ({"status": "LOST"}, "status"),
        ({"status": 3}, "status"),
        ({"assigned": "someone"}, "assigned"),
        ({"assigned": -4}, "assigned"),
        ({"assigned": True}, "assigned"),
        ({"assigned": 2**40}, "assigned"),
        ({"date_from": "2026-02-30"}, "date_from"),
        ({"date_from": "yesterday"}, "date_from"),
        ({"date_to": "1890-01-01"}, "date_to"),
        ({"date_to": datetime(2026, 1, 1, tzinfo=UTC)}, "date_to"),
        ({"date_from": "2026-03-02", "date_to": "2026-03-01"}, "date_to"),
        ({"q": ["grève"]}, "q"),
        ({"q": "x" * 201}, "q"),
    ],
)
def test_bad_filters_name_their_field(values: dict[str, Any], field: str) -> None:
    with pytest.raises(InvalidInput) as refused:
        check_filters(**values)
    assert refused.value.field == field


def test_filters_from_page_strings() -> None:
    assert check_filters(
        status="NEEDS_INFO", assigned="12", date_from="2026-01-31", date_to="", q="  a  b "
    ) == InboxFilters(False, ClaimStatus.NEEDS_INFO, 12, date(2026, 1, 31), None, "a b")
    assert check_filters(assigned="me").assigned == "me"
    assert check_filters(assigned="none", status="").assigned == "none"


def test_list_threads_checks_what_it_is_given(world: World) -> None:
    with pytest.raises(InvalidInput):
        list_threads(actor=world.alice, filters=InboxFilters(status="LOST"))  # type: ignore[arg-type]
    with pytest.raises(InvalidInput):
        list_threads(actor=world.alice, filters={"q": "x"})  # type: ignore[arg-type]
    for limit in (0, 101, "5", True):
        with pytest.raises(InvalidInput):
            list_threads(actor=world.alice, filters=InboxFilters(), limit=limit)  # type: ignore[arg-type]
