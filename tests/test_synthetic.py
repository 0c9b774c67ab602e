"""The synthetic data set at small scale: counts, a consistent story for every claim, derived
tables equal to what the app computes from the messages, and the refusals."""

from __future__ import annotations

import re
from collections import defaultdict

import pytest
from sqlalchemy import func
from sqlmodel import col, select

from indemnisation.db import get_engine, session_scope
from indemnisation.domain.claim_status import Actor, ClaimStatus, can_move
from indemnisation.models import (
    Claim,
    ClaimEvent,
    Document,
    DocumentKind,
    Mandate,
    Message,
    Passenger,
    ReadMark,
    Role,
    ThreadRead,
    ThreadSummary,
    UnreadTally,
    User,
)
from indemnisation.services import accounts, claim_views, messaging
from indemnisation.services.messaging import excerpt_of
from indemnisation.services.read_state import unread_query
from indemnisation.services.synthetic import (
    SYNTHETIC_PASSWORD,
    SyntheticRefused,
    load_synthetic,
)
from indemnisation.services.synthetic_text import COMMON_WORD, RARE_WORDS
from indemnisation.services.views import UserView
from tests.services.outcome_checks import assert_outcomes_and_tallies_right

CLAIMS, MESSAGES, DOCUMENTS, ADMINS = 150, 1_500, 300, 3


def _load(**overrides: int | bool) -> dict[str, int]:
    options: dict[str, int | bool] = {
        "claims": CLAIMS,
        "messages": MESSAGES,
        "documents": DOCUMENTS,
        "admins": ADMINS,
        "seed": 7,
    }
    options.update(overrides)
    return load_synthetic(**options).counts  # type: ignore[arg-type]


@pytest.fixture
def loaded() -> dict[str, int]:
    return _load()


def _users(role: Role) -> list[UserView]:
    with session_scope() as session:
        rows = session.exec(select(User).where(User.role == role).order_by(col(User.id))).all()
        return [UserView.of(user) for user in rows]


def test_counts(loaded: dict[str, int]) -> None:
    assert loaded["claims"] == CLAIMS
    assert loaded["messages"] == MESSAGES
    assert loaded["documents"] == DOCUMENTS
    assert len(_users(Role.ADMIN)) == ADMINS
    assert len(_users(Role.CLAIMANT)) == round(CLAIMS * 0.8)
    assert loaded["unread_tallies"] == ADMINS
    with session_scope() as session:
        statuses = set(session.exec(select(Claim.status)).all())
        locales = set(session.exec(select(User.locale)).all())
        owners = session.exec(select(func.count(func.distinct(Claim.owner_id)))).one()
    assert statuses == set(ClaimStatus), "every status is represented"
    assert locales == {"fr", "en"}
    assert owners == round(CLAIMS * 0.8), "every claimant has a claim"


def test_every_claim_tells_a_story_the_domain_allows(loaded: dict[str, int]) -> None:
    with session_scope() as session:
        claims = session.exec(select(Claim).order_by(col(Claim.id))).all()
        events: dict[int, list[ClaimEvent]] = defaultdict(list)
        for event in session.exec(select(ClaimEvent).order_by(col(ClaimEvent.id))).all():
            events[event.claim_id].append(event)
        admins = set(session.exec(select(User.id).where(User.role == Role.ADMIN)).all())
        passengers = dict(
            session.exec(
                select(Passenger.claim_id, func.count()).group_by(col(Passenger.claim_id))
            ).all()
        )
        kinds: dict[int, set[DocumentKind]] = defaultdict(set)
        for claim_id, kind in session.exec(select(Document.claim_id, Document.kind)).all():
            kinds[claim_id].add(kind)
        mandates = set(session.exec(select(Mandate.claim_id)).all())
    for claim in claims:
        assert claim.id is not None
        assert 1 <= passengers[claim.id] <= 4
        story = events[claim.id]
        if claim.status is ClaimStatus.DRAFT:
            assert claim.reference is None and claim.submitted_at is None and not story
            continue
        assert claim.submitted_at is not None
        assert claim.reference == f"IND-{claim.submitted_at.year}-{claim.id:06d}"
        assert claim.eligibility in ("yes", "uncertain") and claim.verdict is not None
        assert claim.amount_per_passenger in (
            125,
            200,
            250,
            300,
            400,
            600,
            110,
            175,
            220,
            260,
            350,
            520,
        )
        assert claim.verdict["passengers"] == passengers[claim.id]
        assert {DocumentKind.BOARDING_PASS, DocumentKind.MANDATE} <= kinds[claim.id]
        assert claim.id in mandates
        status = ClaimStatus.DRAFT
        for event in story:
            actor = Actor.ADMIN if event.actor_id in admins else Actor.CLAIMANT
            assert event.from_status == status.value
            assert can_move(status, ClaimStatus(event.to_status), actor)
            status = ClaimStatus(event.to_status)
            assert event.created_at <= claim.updated_at
        assert status is claim.status
        if any(event.actor_id in admins for event in story):
            assert claim.assigned_to_id in admins


def _messages() -> list[Message]:
    with session_scope() as session:
        return list(session.exec(select(Message).order_by(col(Message.id))).all())


def test_outcome_columns_and_tallies_equal_a_recount(loaded: dict[str, int]) -> None:
    figures = assert_outcomes_and_tallies_right()
    with session_scope() as session:
        submitted = session.exec(
            select(func.count()).where(col(Claim.submitted_at).is_not(None))
        ).one()
        missing = session.exec(
            select(func.count()).where(
                col(Claim.submitted_at).is_not(None), col(Claim.documents_missing).is_(True)
            )
        ).one()
    claims = sum(row[0] for (dimension, _, _), row in figures.items() if dimension == "airline")
    assert claims == submitted and missing == 0


def test_message_ids_grow_with_time_and_threads_alternate(loaded: dict[str, int]) -> None:
    messages = _messages()
    times = [m.created_at for m in messages]
    assert times == sorted(times)
    internal = sum(m.internal for m in messages)
    assert 0.02 < internal / len(messages) < 0.09
    assert all(m.from_team for m in messages if m.internal)
    text = " ".join(m.content.lower() for m in messages)
    assert COMMON_WORD in text
    assert any(word in text for word in RARE_WORDS["fr"] + RARE_WORDS["en"])


def test_thread_summaries_equal_a_recount(loaded: dict[str, int]) -> None:
    messages = _messages()
    with session_scope() as session:
        names = dict(session.exec(select(User.id, User.full_name)).all())
        summaries = {s.claim_id: s for s in session.exec(select(ThreadSummary)).all()}
    public: dict[int, list[Message]] = defaultdict(list)
    for message in messages:
        if not message.internal:
            public[message.claim_id].append(message)
    assert set(summaries) == set(public)
    for claim_id, thread in public.items():
        summary = summaries[claim_id]
        last = thread[-1]
        waiting = None
        for message in thread:
            waiting = None if message.from_team else waiting or message.created_at
        claimant_ids = [m.id for m in thread if not m.from_team]
        assert summary.last_message_id == last.id
        assert summary.last_message_at == last.created_at
        assert summary.last_from_team is last.from_team
        assert summary.last_claimant_message_id == (claimant_ids[-1] if claimant_ids else 0)
        assert summary.last_sender_name == names[last.sender_id]
        assert summary.excerpt == excerpt_of(last.content)
        assert summary.waiting_since == waiting
        assert summary.message_count == len(thread)


def test_read_pointers_match_their_marks_and_messages(loaded: dict[str, int]) -> None:
    messages = _messages()
    by_id = {m.id: m for m in messages}
    with session_scope() as session:
        pointers = session.exec(select(ThreadRead)).all()
        marks = {
            (claim_id, user_id): highest
            for claim_id, user_id, highest in session.exec(
                select(ReadMark.claim_id, ReadMark.user_id, func.max(ReadMark.message_id)).group_by(
                    col(ReadMark.claim_id), col(ReadMark.user_id)
                )
            ).all()
        }
        roles = dict(session.exec(select(User.id, User.role)).all())
    sent_last: dict[tuple[int, int], int] = {}
    for message in messages:
        sent_last[(message.claim_id, message.sender_id)] = message.id or 0
    assert pointers
    unread_threads = 0
    for pointer in pointers:
        key = (pointer.claim_id, pointer.user_id)
        assert marks.get(key, 0) == pointer.last_read_message_id
        assert pointer.last_read_message_id >= sent_last.get(key, 0)
        if pointer.last_read_message_id:
            read = by_id[pointer.last_read_message_id]
            assert read.claim_id == pointer.claim_id
            assert roles[pointer.user_id] is Role.ADMIN or not read.internal
        visible = [
            m.id or 0
            for m in messages
            if m.claim_id == pointer.claim_id
            and (roles[pointer.user_id] is Role.ADMIN or not m.internal)
        ]
        unread_threads += max(visible, default=0) > pointer.last_read_message_id
    assert 0 < unread_threads < len(pointers) / 2, "most threads are read, some are not"


def test_unread_totals_equal_a_fresh_count(loaded: dict[str, int]) -> None:
    with session_scope() as session:
        tallies = dict(session.exec(select(UnreadTally.user_id, UnreadTally.unread)).all())
    for admin in _users(Role.ADMIN):
        with session_scope() as session:
            fresh = session.exec(unread_query(admin, func.count())).one()
        assert tallies[admin.id] == fresh
        assert messaging.unread_total(actor=admin) == fresh
    claimants = _users(Role.CLAIMANT)
    assert sum(messaging.unread_total(actor=c) for c in claimants) > 0
    for claimant in claimants[:40]:
        counts = messaging.unread_counts(actor=claimant)
        assert messaging.unread_total(actor=claimant) == sum(counts.values())


def test_internal_notes_never_reach_excerpts_or_claimants(loaded: dict[str, int]) -> None:
    internal_ids = {m.id for m in _messages() if m.internal}
    with session_scope() as session:
        summaries = session.exec(select(ThreadSummary)).all()
        owners = dict(session.exec(select(Claim.id, Claim.owner_id)).all())
    assert internal_ids
    assert not {s.last_message_id for s in summaries} & internal_ids
    by_id = {c.id: c for c in _users(Role.CLAIMANT)}
    for summary in summaries[:30]:
        owner = by_id[owners[summary.claim_id]]
        thread = messaging.list_thread(actor=owner, claim_id=summary.claim_id, limit=200)
        assert thread.messages and not any(m.internal for m in thread.messages)
        assert thread.messages[-1].id == summary.last_message_id


def test_claimant_pages_load_and_password_works(loaded: dict[str, int]) -> None:
    claimants = _users(Role.CLAIMANT)
    for claimant in claimants[:25]:
        for summary in claim_views.list_claims(actor=claimant):
            detail = claim_views.claim_detail(actor=claimant, claim_id=summary.id)
            assert detail.passengers[0].full_name == claimant.full_name
            if summary.status is not ClaimStatus.DRAFT:
                assert re.fullmatch(r"IND-\d{4}-\d{6}", detail.summary.reference)
                assert detail.events[0].to_status == ClaimStatus.SUBMITTED.value
    signed_in = accounts.login(email=claimants[0].email, password=SYNTHETIC_PASSWORD)
    assert signed_in is not None


def test_refuses_a_non_empty_database(loaded: dict[str, int]) -> None:
    with pytest.raises(SyntheticRefused, match="not empty"):
        _load()
    if get_engine().dialect.name == "sqlite":
        with pytest.raises(SyntheticRefused, match="_test or _scale"):
            _load(replace=True)
    else:
        counts = _load(replace=True, claims=20, messages=100, documents=40)
        assert counts["claims"] == 20
        with session_scope() as session:
            assert session.exec(select(func.count()).select_from(Claim)).one() == 20
            assert session.exec(select(func.max(Claim.id))).one() == 20


def test_refuses_bad_sizes() -> None:
    with pytest.raises(SyntheticRefused):
        _load(admins=0)
    with pytest.raises(SyntheticRefused):
        _load(messages=-1)
