"""The claims queue: each filter, each kind of search, each sort walked in keyset pages without
gaps or repeats, validation of everything a client sends, bulk assignment through the queue."""

from __future__ import annotations

import base64
import itertools
import json
from datetime import UTC, date, datetime, timedelta
from typing import Any

import pytest
from sqlmodel import col, select

from indemnisation.db import session_scope
from indemnisation.domain.claim_status import ClaimStatus
from indemnisation.models import AuditEntry, Claim, Document, Passenger
from indemnisation.models.claim import DocumentKind, DocumentReview
from indemnisation.services import claim_outcome, messaging
from indemnisation.services import claims_queue as q
from indemnisation.services.claims_queue import QueueFilters, QueueOrder, Sort
from indemnisation.services.errors import Forbidden, InvalidInput, NotAuthenticated, NotFound
from indemnisation.services.views import UserView

S = ClaimStatus
_numbers = itertools.count(1)
BASE = datetime(2026, 3, 1, 9, 0, tzinfo=UTC)


def add_claim(
    owner: UserView,
    *,
    status: ClaimStatus = S.SUBMITTED,
    flight: str = "AF6",
    route: str = "CDG-JFK",
    day: date | None = date(2026, 2, 1),
    amount: int = 600,
    submitted: datetime | None = None,
    assigned: int | None = None,
    passengers: int = 1,
    documents: tuple[tuple[DocumentKind, DocumentReview], ...] = (
        (DocumentKind.BOARDING_PASS, DocumentReview.PENDING),
    ),
) -> int:
    """A claim row as the submission leaves it (no files: the queue reads rows only)."""
    number = next(_numbers)
    at = submitted or BASE + timedelta(hours=number)
    with session_scope() as session:
        claim = Claim(
            owner_id=owner.id,
            status=status,
            flight_numbers=flight,
            route=route,
            flight_date=day,
            amount_per_passenger=amount,
            submitted_at=None if status is S.DRAFT else at,
            assigned_to_id=assigned,
        )
        session.add(claim)
        session.flush()
        assert claim.id is not None
        if status is not S.DRAFT:
            claim.reference = f"IND-{at.year}-{claim.id:06d}"
        for position in range(passengers):
            session.add(Passenger(claim_id=claim.id, position=position, full_name=owner.full_name))
        for kind, review in documents:
            session.add(
                Document(
                    claim_id=claim.id,
                    kind=kind,
                    original_name="f.pdf",
                    content_type="application/pdf",
                    size=1,
                    sha256="0" * 64,
                    storage_key="k" * 32,
                    uploaded_by=owner.id,
                    review=review,
                )
            )
        claim_outcome.refresh(session, claim)
        session.commit()
        return claim.id


def ids(admin: UserView, **filters: Any) -> list[int]:
    page = q.list_queue(actor=admin, filters=QueueFilters(**filters), limit=100)
    return [row.claim_id for row in page.rows]


def test_drafts_are_never_listed_and_rows_carry_the_columns(make: Any) -> None:
    admin, owner = make.admin(full_name="Alice Admin"), make.user(full_name="Jean Dupont")
    add_claim(owner, status=S.DRAFT)
    claim = add_claim(owner, passengers=2, assigned=admin.id, flight="AF6 KL1234")
    [row] = q.list_queue(actor=admin, filters=QueueFilters()).rows
    assert row.claim_id == claim
    assert row.reference.startswith("IND-2026-")
    assert (row.claimant_name, row.claimant_email) == ("Jean Dupont", owner.email)
    assert (row.flight_numbers, row.route, row.flight_date) == (
        "AF6 KL1234",
        "CDG-JFK",
        date(2026, 2, 1),
    )
    assert (row.amount_per_passenger, row.passengers, row.currency) == (600, 2, "EUR")
    assert (row.assigned_to_id, row.assigned_name) == (admin.id, "Alice Admin")
    assert row.last_message_at is None and row.unread is False


def test_only_admins_read_the_queue(make: Any) -> None:
    claimant = make.user()
    with pytest.raises(NotAuthenticated):
        q.list_queue(actor=None, filters=QueueFilters())
    with pytest.raises(Forbidden):
        q.list_queue(actor=claimant, filters=QueueFilters())
    with pytest.raises(Forbidden):
        q.count_queue(actor=claimant, filters=QueueFilters())
    with pytest.raises(Forbidden):
        q.bulk_assign(actor=claimant, claim_ids=[1], assignee="me")


def test_each_filter(make: Any) -> None:
    admin, other = make.admin(), make.admin()
    owner = make.user()
    c_af = add_claim(owner, flight="AF6", route="CDG-JFK", amount=600, assigned=admin.id)
    c_ba = add_claim(
        owner, status=S.NEEDS_INFO, flight="BA303", route="LHR-NCE", amount=350, assigned=other.id
    )
    c_kl = add_claim(
        owner,
        status=S.IN_REVIEW,
        flight="KL1234",
        route="AMS-CDG",
        amount=250,
        day=date(2025, 12, 24),
        submitted=datetime(2026, 1, 10, 23, 30, tzinfo=UTC),  # 11 January in Paris
    )
    everything = {c_af, c_ba, c_kl}
    assert set(ids(admin)) == everything
    assert ids(admin, status=S.NEEDS_INFO) == [c_ba]
    assert ids(admin, airline="BA") == [c_ba]
    assert ids(admin, airline="LH") == []
    assert ids(admin, country="FR") == [c_af]
    assert ids(admin, country="GB") == [c_ba]
    assert ids(admin, country="NL") == [c_kl]
    assert ids(admin, country="ZZ") == []
    assert ids(
        admin, date_field="flight", date_from=date(2025, 12, 24), date_to=date(2025, 12, 24)
    ) == [c_kl]
    assert set(ids(admin, date_field="flight", date_from=date(2026, 1, 1))) == {c_af, c_ba}
    assert ids(admin, date_from=date(2026, 1, 11), date_to=date(2026, 1, 11)) == [c_kl]
    assert ids(admin, date_to=date(2026, 1, 10)) == []
    assert set(ids(admin, amount_min=300)) == {c_af, c_ba}
    assert ids(admin, amount_min=300, amount_max=400) == [c_ba]
    assert ids(admin, assigned="me") == [c_af]
    assert ids(admin, assigned=other.id) == [c_ba]
    assert ids(admin, assigned="none") == [c_kl]
    assert ids(other, assigned="me") == [c_ba]


def test_unread_is_the_inboxs_unread_for_this_admin(make: Any) -> None:
    alice, bob, owner = make.admin(), make.admin(), make.user()
    quiet = add_claim(owner)
    talked = add_claim(owner)
    answered = add_claim(owner)
    for claim_id in (talked, answered):
        messaging.send_message(
            actor=owner, claim_id=claim_id, content="Bonjour", client_key=f"queue-{claim_id:08d}"
        )
    messaging.mark_read(actor=alice, claim_id=answered, up_to_message_id=2**31 - 1)
    assert ids(alice, unread_only=True) == [talked]
    assert set(ids(bob, unread_only=True)) == {talked, answered}
    rows = {r.claim_id: r for r in q.list_queue(actor=alice, filters=QueueFilters()).rows}
    assert rows[talked].unread and not rows[answered].unread and not rows[quiet].unread
    assert rows[talked].last_message_at is not None and rows[quiet].last_message_at is None
    messaging.send_message(
        actor=bob, claim_id=talked, content="Réponse", client_key="queue-team-0001"
    )
    assert ids(alice, unread_only=True) == [talked]  # the team's reply does not make it read


def test_missing_documents(make: Any) -> None:
    admin, owner = make.admin(), make.user()
    bp, idn, req = DocumentKind.BOARDING_PASS, DocumentKind.IDENTITY, DocumentKind.REQUESTED
    pending, rejected, accepted = (
        DocumentReview.PENDING,
        DocumentReview.REJECTED,
        DocumentReview.ACCEPTED,
    )
    complete = add_claim(owner, documents=((bp, accepted), (idn, pending)))
    no_pass = add_claim(owner, documents=((idn, pending),))
    pass_rejected = add_claim(owner, documents=((bp, rejected),))
    pass_replaced = add_claim(owner, documents=((bp, rejected), (bp, pending)))
    id_rejected = add_claim(owner, documents=((bp, pending), (idn, rejected)))
    id_sent_as_requested = add_claim(
        owner, documents=((bp, pending), (idn, rejected), (req, pending))
    )
    replaced_then_rejected = add_claim(
        owner, documents=((bp, pending), (idn, rejected), (idn, rejected))
    )
    found = set(ids(admin, missing_documents=True))
    assert found == {no_pass, pass_rejected, id_rejected, replaced_then_rejected}
    assert {complete, pass_replaced, id_sent_as_requested}.isdisjoint(found)


def test_search_kinds(make: Any) -> None:
    admin = make.admin()
    jean = make.user(full_name="Jean Dupont", email="jean.dupont@example.org")
    marie = make.user(full_name="Marie Curie_50%", email="marie@example.org")
    c_jean = add_claim(jean, flight="AF6 KL1234")
    c_marie = add_claim(marie, flight="AF66")
    with session_scope() as session:
        reference = session.get(Claim, c_marie).reference  # type: ignore[union-attr]
    assert ids(admin, q=reference) == [c_marie]
    assert ids(admin, q=reference.lower()) == [c_marie]
    assert ids(admin, q="JEAN.DUPONT@example.org") == [c_jean]
    assert ids(admin, q="jean@example.org") == []
    assert ids(admin, q="af6") == [c_jean]  # not AF66
    assert ids(admin, q="AF 0006") == [c_jean]
    assert ids(admin, q="KL1234") == [c_jean]
    assert ids(admin, q="AF66") == [c_marie]
    assert ids(admin, q="dupont") == [c_jean]
    assert ids(admin, q="  Jean   Dup ") == [c_jean]
    assert ids(admin, q="_50%") == [c_marie]  # LIKE wildcards are literal
    assert ids(admin, q="Curi_") == []


def _walk(admin: UserView, order: QueueOrder, size: int, **filters: Any) -> list[q.QueueRow]:
    seen: list[q.QueueRow] = []
    cursor = None
    for _ in range(50):
        page = q.list_queue(
            actor=admin, filters=QueueFilters(**filters), order=order, cursor=cursor, limit=size
        )
        assert len(page.rows) <= size
        seen += page.rows
        cursor = page.next_cursor
        if cursor is None:
            return seen
        assert len(page.rows) == size
    raise AssertionError("too many pages")


def _key(order: QueueOrder, row: q.QueueRow) -> Any:
    if order.sort is Sort.SUBMITTED:
        return row.submitted_at
    if order.sort is Sort.FLIGHT:
        return row.flight_date or q.NO_FLIGHT_DATE
    if order.sort is Sort.AMOUNT:
        return row.amount_per_passenger
    return q.STATUSES.index(row.status)


@pytest.mark.parametrize("sort", list(Sort))
@pytest.mark.parametrize("descending", [True, False])
def test_each_sort_pages_without_gaps_or_repeats(make: Any, sort: Sort, descending: bool) -> None:
    admin, owner = make.admin(), make.user()
    same_moment = datetime(2026, 2, 2, 10, 0, tzinfo=UTC)
    statuses = [S.SUBMITTED, S.NEEDS_INFO, S.PAID, S.IN_REVIEW]
    created = [
        add_claim(
            owner,
            status=statuses[n % 4],
            amount=(250, 400, 600)[n % 3],
            day=None if n == 5 else date(2026, 1, 1 + n % 4),
            submitted=same_moment if n % 2 else None,
        )
        for n in range(13)
    ]
    order = QueueOrder(sort, descending)
    rows = _walk(admin, order, 4)
    assert sorted(r.claim_id for r in rows) == sorted(created)
    expected = sorted(rows, key=lambda r: (_key(order, r), r.claim_id), reverse=descending)
    assert [r.claim_id for r in rows] == [r.claim_id for r in expected]
    filtered = _walk(admin, order, 2, amount_min=400)
    assert [r.claim_id for r in filtered] == [
        r.claim_id for r in expected if r.amount_per_passenger >= 400
    ]


def test_status_sorts_by_the_claims_life_not_the_alphabet(make: Any) -> None:
    admin, owner = make.admin(), make.user()
    paid = add_claim(owner, status=S.PAID)
    submitted = add_claim(owner, status=S.SUBMITTED)
    accepted = add_claim(owner, status=S.ACCEPTED)
    page = q.list_queue(actor=admin, filters=QueueFilters(), order=QueueOrder(Sort.STATUS, False))
    assert [r.claim_id for r in page.rows] == [submitted, accepted, paid]


@pytest.mark.parametrize(
    ("raw", "field"),
    [
        ({"status": "DRAFT"}, "status"),
        ({"status": "nope"}, "status"),
        ({"status": 3}, "status"),
        ({"airline": "A"}, "airline"),
        ({"airline": "AF'--"}, "airline"),
        ({"country": "FRA"}, "country"),
        ({"country": ["FR"]}, "country"),
        ({"date_field": "created"}, "date_field"),
        ({"date_from": "2026-02-30"}, "date_from"),
        ({"date_from": "1999-12-31"}, "date_from"),
        ({"date_to": datetime(2026, 1, 1, tzinfo=UTC)}, "date_to"),
        ({"amount_min": "-1"}, "amount_min"),
        ({"amount_min": 1.5}, "amount_min"),
        ({"amount_max": "100001"}, "amount_max"),
        ({"amount_max": True}, "amount_max"),
        ({"assigned": "everyone"}, "assigned"),
        ({"assigned": 0}, "assigned"),
        ({"assigned": 2**31}, "assigned"),
        ({"unread_only": "yes"}, "unread_only"),
        ({"missing_documents": 1}, "missing_documents"),
        ({"q": 12}, "q"),
        ({"q": "x" * 500}, "q"),
    ],
)
def test_bad_filters_are_refused_with_the_field(raw: dict[str, Any], field: str) -> None:
    with pytest.raises(InvalidInput) as refused:
        q.check_filters(**raw)
    assert refused.value.code == "error.queue_filter_invalid"
    assert refused.value.field == field


def test_ranges_and_long_searches_have_their_own_messages(make: Any) -> None:
    with pytest.raises(InvalidInput) as dates:
        q.check_filters(date_from="2026-03-02", date_to="2026-03-01")
    assert (dates.value.code, dates.value.field) == ("error.queue_dates_reversed", "date_to")
    with pytest.raises(InvalidInput) as amounts:
        q.check_filters(amount_min="600", amount_max="250")
    assert (amounts.value.code, amounts.value.field) == (
        "error.queue_amounts_reversed",
        "amount_max",
    )
    with pytest.raises(InvalidInput) as long:
        q.check_filters(q="x" * (q.MAX_QUERY + 1))
    assert (long.value.code, long.value.params) == (
        "error.queue_query_too_long",
        {"max": q.MAX_QUERY},
    )
    checked = q.check_filters(
        status="PAID", airline="af", country="fr", amount_min="250", assigned="7", q=" a  b "
    )
    assert checked == QueueFilters(
        status=S.PAID, airline="AF", country="FR", amount_min=250, assigned=7, q="a b"
    )


def test_forged_filters_orders_limits_and_cursors_are_refused(make: Any) -> None:
    admin, owner = make.admin(), make.user()
    for _ in range(3):
        add_claim(owner)
    with pytest.raises(InvalidInput):
        q.list_queue(actor=admin, filters=QueueFilters(status="DRAFT"))  # type: ignore[arg-type]
    with pytest.raises(InvalidInput):
        q.list_queue(actor=admin, filters={"q": ""})  # type: ignore[arg-type]
    with pytest.raises(InvalidInput):
        q.list_queue(actor=admin, filters=QueueFilters(), order=QueueOrder("id", True))  # type: ignore[arg-type]
    for limit in (0, 101, True, "5"):
        with pytest.raises(InvalidInput):
            q.list_queue(actor=admin, filters=QueueFilters(), limit=limit)  # type: ignore[arg-type]
    first = q.list_queue(actor=admin, filters=QueueFilters(), limit=1)
    assert first.next_cursor
    with pytest.raises(InvalidInput) as other_sort:
        q.list_queue(
            actor=admin,
            filters=QueueFilters(),
            order=QueueOrder(Sort.AMOUNT, True),
            cursor=first.next_cursor,
        )
    assert other_sort.value.code == "error.queue_cursor_invalid"

    def forged(body: Any) -> str:
        return base64.urlsafe_b64encode(json.dumps(body).encode()).decode().rstrip("=")

    for cursor in (
        "not base64 !",
        "x" * 200,
        forged({"a": 1}),
        forged(["submitted", True, "yesterday", 3]),
        forged(["submitted", True, "2026-03-01T10:00:00", 3]),  # no time zone
        forged(["submitted", True, "2026-03-01T10:00:00+00:00", 0]),
        forged(["submitted", "yes", "2026-03-01T10:00:00+00:00", 3]),
        forged(["amount", True, "600", 3]),
    ):
        with pytest.raises(InvalidInput):
            q.list_queue(actor=admin, filters=QueueFilters(), cursor=cursor)


def test_count(make: Any) -> None:
    admin, owner = make.admin(), make.user()
    add_claim(owner, status=S.DRAFT)
    add_claim(owner, amount=250)
    add_claim(owner, amount=600)
    assert q.count_queue(actor=admin, filters=QueueFilters()) == 2
    assert q.count_queue(actor=admin, filters=QueueFilters(amount_min=600)) == 1


def test_bulk_assignment_through_the_queue(make: Any) -> None:
    alice, bob, owner = make.admin(), make.admin(), make.user()
    claims = [add_claim(owner) for _ in range(3)]
    done = q.bulk_assign(actor=alice, claim_ids=claims[:2], assignee="me")
    assert set(done.claim_ids) == set(claims[:2]) and done.assignee_id == alice.id
    assert set(ids(alice, assigned="me")) == set(claims[:2])
    q.bulk_assign(actor=alice, claim_ids=claims, assignee=str(bob.id))
    assert set(ids(alice, assigned=bob.id)) == set(claims)
    q.bulk_assign(actor=alice, claim_ids=claims[:1], assignee="none")
    assert ids(alice, assigned="none") == [claims[0]]
    with pytest.raises(InvalidInput):
        q.bulk_assign(actor=alice, claim_ids=claims, assignee=str(owner.id))
    with pytest.raises(InvalidInput):
        q.bulk_assign(actor=alice, claim_ids=claims, assignee="somebody")
    with pytest.raises(NotFound):
        q.bulk_assign(actor=alice, claim_ids=[*claims, 2**30], assignee="me")
    assert set(ids(alice, assigned=bob.id)) == set(claims[1:])  # all or nothing
    with session_scope() as session:
        refused = session.exec(select(AuditEntry).where(col(AuditEntry.refused).is_(True))).all()
    assert len(refused) == 3
