"""A claim's message thread: who may post and read, internal notes, idempotent sending, rate
limit, read pointers, unread counts, notification recipients, attachments."""

from __future__ import annotations

import itertools
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

import pytest
from sqlalchemy import event
from sqlmodel import col, select, update

from indemnisation.db import get_engine, session_scope
from indemnisation.models import Message, MessageAttachment, ThreadRead, ThreadSummary, UnreadTally
from indemnisation.models.types import utcnow
from indemnisation.services import messaging as m
from indemnisation.services.errors import Forbidden, InvalidInput, NotAuthenticated, NotFound
from indemnisation.services.views import UserView
from tests.claim_factory import eligible_draft, pdf_bytes, png_bytes, submitted_claim

_keys = itertools.count()


def key() -> str:
    return f"composer-key-{next(_keys):06d}"


@dataclass(frozen=True)
class World:
    owner: UserView
    other: UserView
    admin: UserView
    claim_id: int


@pytest.fixture
def world(make: Any) -> World:
    owner, other, admin = make.user(), make.user(), make.admin()
    return World(owner, other, admin, submitted_claim(owner))


def send(actor: UserView, claim_id: int, content: str = "Bonjour", **kw: Any) -> m.SentMessage:
    return m.send_message(actor=actor, claim_id=claim_id, content=content, client_key=key(), **kw)


def read(actor: UserView | None, claim_id: int, up_to: Any) -> int:
    return m.mark_read(actor=actor, claim_id=claim_id, up_to_message_id=up_to)


def stored_messages() -> list[Message]:
    with session_scope() as session:
        return list(session.exec(select(Message).order_by(col(Message.id))).all())


# --- who may do what ----------------------------------------------------------------------------


def test_owner_and_admin_talk_other_claimant_and_anonymous_are_refused(world: World) -> None:
    send(world.owner, world.claim_id, "Où en est mon dossier ?")
    send(world.admin, world.claim_id, "Nous l'examinons.")
    with pytest.raises(NotFound):
        send(world.other, world.claim_id)
    with pytest.raises(NotAuthenticated):
        m.send_message(actor=None, claim_id=world.claim_id, content="x", client_key=key())
    for reader in (world.owner, world.admin):
        thread = m.list_thread(actor=reader, claim_id=world.claim_id)
        assert [x.content for x in thread.messages] == [
            "Où en est mon dossier ?",
            "Nous l'examinons.",
        ]
    with pytest.raises(NotFound):
        m.list_thread(actor=world.other, claim_id=world.claim_id)
    with pytest.raises(NotAuthenticated):
        m.list_thread(actor=None, claim_id=world.claim_id)


@pytest.mark.parametrize("claim_id", [0, -1, 2**40, "1", None, True, 1.0])
def test_bad_claim_ids_are_not_found(world: World, claim_id: Any) -> None:
    with pytest.raises(NotFound):
        m.send_message(actor=world.admin, claim_id=claim_id, content="x", client_key=key())
    with pytest.raises(NotFound):
        m.list_thread(actor=world.admin, claim_id=claim_id)


def test_mark_read_and_unread_for_the_four_actors(world: World) -> None:
    sent = send(world.admin, world.claim_id).message
    reply = send(world.owner, world.claim_id).message
    # the owner's own reply had already moved their pointer past the admin's message
    assert read(world.owner, world.claim_id, sent.id) == reply.id
    with pytest.raises(NotFound):
        read(world.other, world.claim_id, sent.id)
    with pytest.raises(NotAuthenticated):
        read(None, world.claim_id, sent.id)
    assert read(world.admin, world.claim_id, reply.id) == reply.id
    with pytest.raises(Forbidden):
        m.mark_unread(actor=world.owner, claim_id=world.claim_id)
    with pytest.raises(Forbidden):
        m.mark_unread(actor=world.other, claim_id=world.claim_id)
    with pytest.raises(NotAuthenticated):
        m.mark_unread(actor=None, claim_id=world.claim_id)
    m.mark_unread(actor=world.admin, claim_id=world.claim_id)
    assert m.unread_counts(actor=world.admin) == {world.claim_id: 1}


def test_unread_and_recent_for_the_four_actors(world: World) -> None:
    send(world.admin, world.claim_id, "Pièce manquante")
    assert m.unread_total(actor=world.owner) == 1
    assert m.unread_total(actor=world.other) == 0
    assert m.unread_counts(actor=world.other) == {}
    assert m.recent_messages(actor=world.other) == ()
    assert [r.excerpt for r in m.recent_messages(actor=world.owner)] == ["Pièce manquante"]
    assert m.unread_total(actor=world.admin) == 0
    for function in (m.unread_total, m.unread_counts, m.recent_messages):
        with pytest.raises(NotAuthenticated):
            function(actor=None)


def test_drafts_have_no_thread(make: Any) -> None:
    owner, admin = make.user(), make.admin()
    claim_id = eligible_draft(owner)
    for actor in (owner, admin):
        with pytest.raises(InvalidInput) as caught:
            send(actor, claim_id)
        assert caught.value.code == "error.thread_closed_draft"
    assert stored_messages() == []


# --- internal notes -----------------------------------------------------------------------------


def test_internal_notes_are_for_admins_only(world: World) -> None:
    send(world.owner, world.claim_id, "Question")
    note = send(world.admin, world.claim_id, "Compagnie difficile", internal=True).message
    send(world.admin, world.claim_id, "Réponse")
    assert note.internal and note.from_team
    with pytest.raises(Forbidden):
        send(world.owner, world.claim_id, "Je tente", internal=True)
    owner_view = m.list_thread(actor=world.owner, claim_id=world.claim_id)
    assert [x.content for x in owner_view.messages] == ["Question", "Réponse"]
    admin_view = m.list_thread(actor=world.admin, claim_id=world.claim_id)
    assert [x.internal for x in admin_view.messages] == [False, True, False]
    assert m.unread_total(actor=world.owner) == 1
    assert [r.excerpt for r in m.recent_messages(actor=world.owner)] == ["Réponse"]


def test_internal_notes_never_count_for_anyone(world: World, make: Any) -> None:
    colleague = make.admin()
    send(world.admin, world.claim_id, "note", internal=True)
    assert m.unread_total(actor=world.owner) == 0
    assert m.unread_total(actor=colleague) == 0
    assert m.recent_messages(actor=world.owner) == ()


def test_a_claimant_cannot_read_past_internal_notes_or_fetch_their_files(world: World) -> None:
    public = send(world.admin, world.claim_id, "public").message
    note = send(
        world.admin, world.claim_id, "note", internal=True, attachments=[("n.png", png_bytes())]
    )
    assert read(world.owner, world.claim_id, 10**6) == public.id
    (attachment,) = note.message.attachments
    with pytest.raises(NotFound):
        m.read_attachment(actor=world.owner, attachment_id=attachment.id, thumbnail=False)
    download = m.read_attachment(actor=world.admin, attachment_id=attachment.id, thumbnail=False)
    assert download.data == png_bytes()


# --- content, idempotency, rate limit -----------------------------------------------------------


@pytest.mark.parametrize(
    ("content", "code"),
    [
        ("", "error.message_empty"),
        ("  \n\t ", "error.message_empty"),
        ("\x00\x07", "error.message_empty"),
        (None, "error.message_empty"),
        ("x" * 5001, "error.message_too_long"),
    ],
)
def test_bad_content_is_refused(world: World, content: Any, code: str) -> None:
    with pytest.raises(InvalidInput) as caught:
        m.send_message(
            actor=world.owner, claim_id=world.claim_id, content=content, client_key=key()
        )
    assert caught.value.code == code
    if code == "error.message_too_long":
        assert caught.value.params == {"max": 5000}
    assert stored_messages() == []


def test_content_is_stored_clean(world: World) -> None:
    sent = send(world.owner, world.claim_id, "  Bonjour\r\nmerci\x00  ")
    assert sent.message.content == "Bonjour\nmerci"
    assert len(send(world.owner, world.claim_id, "y" * 5000).message.content) == 5000


@pytest.mark.parametrize("client_key", ["", "short", "bad key!", None, 42, "k" * 65])
def test_bad_client_keys_are_refused(world: World, client_key: Any) -> None:
    with pytest.raises(InvalidInput) as caught:
        m.send_message(
            actor=world.owner, claim_id=world.claim_id, content="x", client_key=client_key
        )
    assert caught.value.code == "error.message_key_invalid"


def test_the_same_key_twice_stores_one_message(world: World) -> None:
    first = m.send_message(
        actor=world.owner, claim_id=world.claim_id, content="Bonjour", client_key="same-key-1"
    )
    again = m.send_message(
        actor=world.owner, claim_id=world.claim_id, content="Bonjour", client_key="same-key-1"
    )
    assert again.duplicate and not first.duplicate
    assert again.message.id == first.message.id and again.notify == ()
    assert len(stored_messages()) == 1
    other_sender = m.send_message(
        actor=world.admin, claim_id=world.claim_id, content="Hi", client_key="same-key-1"
    )
    assert not other_sender.duplicate and len(stored_messages()) == 2


def test_a_key_reused_on_another_claim_is_refused(world: World) -> None:
    second = submitted_claim(world.owner)
    m.send_message(actor=world.owner, claim_id=world.claim_id, content="a", client_key="reuse-k-1")
    with pytest.raises(InvalidInput) as caught:
        m.send_message(actor=world.owner, claim_id=second, content="a", client_key="reuse-k-1")
    assert caught.value.code == "error.message_key_reused"


def test_twenty_messages_a_minute_then_refused(world: World) -> None:
    for number in range(20):
        send(world.owner, world.claim_id, f"message {number}")
    with pytest.raises(InvalidInput) as caught:
        send(world.owner, world.claim_id, "one too many")
    assert caught.value.code == "error.message_rate_limited"
    assert 1 <= caught.value.params["seconds"] <= 60
    send(world.admin, world.claim_id, "the team is not slowed by the claimant")
    with session_scope() as session:  # a minute later the claimant may post again
        session.exec(update(Message).values(created_at=utcnow() - timedelta(seconds=61)))
        session.commit()
    send(world.owner, world.claim_id, "later")
    assert len(stored_messages()) == 22


# --- pagination and read state ------------------------------------------------------------------


def test_keyset_pagination_oldest_first(world: World) -> None:
    for number in range(7):
        send(world.owner if number % 2 else world.admin, world.claim_id, f"m{number}")
    page = m.list_thread(actor=world.owner, claim_id=world.claim_id, limit=3)
    assert [x.content for x in page.messages] == ["m4", "m5", "m6"] and page.has_more
    page = m.list_thread(
        actor=world.owner, claim_id=world.claim_id, limit=3, before_id=page.messages[0].id
    )
    assert [x.content for x in page.messages] == ["m1", "m2", "m3"] and page.has_more
    page = m.list_thread(
        actor=world.owner, claim_id=world.claim_id, limit=3, before_id=page.messages[0].id
    )
    assert [x.content for x in page.messages] == ["m0"] and not page.has_more
    assert [x.mine for x in page.messages] == [False]


def test_two_ticks_follow_the_other_sides_pointer(world: World, make: Any) -> None:
    question = send(world.owner, world.claim_id, "Question").message
    answer = send(world.admin, world.claim_id, "Réponse").message
    assert not question.read_by_other and not answer.read_by_other
    read(world.owner, world.claim_id, answer.id)
    colleague = make.admin()
    read(colleague, world.claim_id, question.id)
    thread = m.list_thread(actor=world.owner, claim_id=world.claim_id)
    assert [x.read_by_other for x in thread.messages] == [True, True]
    assert thread.my_last_read == answer.id


def test_the_pointer_only_moves_forward(world: World) -> None:
    ids = [send(world.admin, world.claim_id, f"m{i}").message.id for i in range(3)]
    assert read(world.owner, world.claim_id, ids[2]) == ids[2]
    assert read(world.owner, world.claim_id, ids[0]) == ids[2]
    assert read(world.owner, world.claim_id, 0) == ids[2]
    with session_scope() as session:
        (pointer,) = session.exec(
            select(ThreadRead).where(ThreadRead.user_id == world.owner.id)
        ).all()
    assert pointer.last_read_message_id == ids[2]


def test_ids_beyond_the_thread_clamp_to_its_last_message(world: World) -> None:
    last = send(world.admin, world.claim_id).message.id
    assert read(world.owner, world.claim_id, 10**9) == last
    with pytest.raises(NotFound):
        read(world.owner, world.claim_id, "7")


def test_mark_unread_puts_the_pointer_before_the_claimants_last_message(world: World) -> None:
    first = send(world.owner, world.claim_id, "un").message
    second = send(world.owner, world.claim_id, "deux").message
    send(world.admin, world.claim_id, "réponse")
    read(world.admin, world.claim_id, second.id)
    assert m.unread_total(actor=world.admin) == 0
    m.mark_unread(actor=world.admin, claim_id=world.claim_id)
    assert m.unread_total(actor=world.admin) == 1
    m.mark_unread(actor=world.admin, claim_id=world.claim_id)  # never moves it forward either
    assert m.unread_total(actor=world.admin) == 1
    assert first.id < second.id


# --- unread counts ------------------------------------------------------------------------------


def test_unread_counts_for_a_claimant(world: World) -> None:
    second = submitted_claim(world.owner)
    send(world.admin, world.claim_id, "a")
    last = send(world.admin, world.claim_id, "b").message
    send(world.owner, second, "mine do not count")
    send(world.admin, second, "c")
    assert m.unread_counts(actor=world.owner) == {world.claim_id: 2, second: 1}
    assert m.unread_total(actor=world.owner) == 3
    read(world.owner, world.claim_id, last.id)
    assert m.unread_counts(actor=world.owner) == {second: 1}
    send(world.owner, second, "a reply reads the thread")
    assert m.unread_total(actor=world.owner) == 0


def test_unread_counts_for_admins_ignore_colleagues(world: World, make: Any) -> None:
    colleague = make.admin()
    other_claim = submitted_claim(world.other)
    send(world.owner, world.claim_id, "q1")
    send(world.owner, world.claim_id, "q2")
    send(world.other, other_claim, "q3")
    send(colleague, world.claim_id, "answer from a colleague")
    assert m.unread_counts(actor=world.admin) == {world.claim_id: 2, other_claim: 1}
    assert m.unread_total(actor=world.admin) == 3
    assert m.unread_total(actor=colleague) == 1  # posting read the thread up to their answer
    recent = m.recent_messages(actor=world.admin, limit=2)
    assert [(r.excerpt, r.claim_id, r.unread) for r in recent] == [
        ("q3", other_claim, True),
        ("q2", world.claim_id, True),
    ]
    assert recent[0].reference and recent[0].reference != recent[1].reference


def _statements(work: Any) -> int:
    """How many SQL statements ``work`` runs."""
    engine = get_engine()
    seen: list[str] = []

    def count(*args: Any) -> None:
        seen.append(args[2])

    event.listen(engine, "before_cursor_execute", count)
    try:
        work()
    finally:
        event.remove(engine, "before_cursor_execute", count)
    return len(seen)


def test_unread_counts_take_one_query_whatever_the_number_of_claims(world: World) -> None:
    for claim_id in (world.claim_id, submitted_claim(world.owner), submitted_claim(world.owner)):
        send(world.admin, claim_id, "a")
        send(world.owner, claim_id, "b")
    assert _statements(lambda: m.unread_counts(actor=world.owner)) == 1
    assert _statements(lambda: m.unread_counts(actor=world.admin)) == 1
    m.unread_total(actor=world.admin)  # the first call counts the admin's tally once
    assert _statements(lambda: m.unread_total(actor=world.admin)) == 1
    assert _statements(lambda: m.recent_messages(actor=world.admin)) == 1


# --- notifications ------------------------------------------------------------------------------


def test_notification_recipients(world: World) -> None:
    team = send(world.admin, world.claim_id, "public").notify
    assert team == (
        m.Notification(f"claim-{world.claim_id}"),
        m.Notification(f"user-{world.owner.id}", world.owner.id),
    )
    claimant = send(world.owner, world.claim_id, "question").notify
    assert claimant == (m.Notification(f"claim-{world.claim_id}"), m.Notification("admins"))
    note = send(world.admin, world.claim_id, "note", internal=True).notify
    assert note == (m.Notification(f"team-{world.claim_id}"),)  # never the claimant's channels


def test_thread_summary_follows_public_messages(world: World) -> None:
    first = send(world.owner, world.claim_id, "Bonjour,   une question").message
    second = send(world.owner, world.claim_id, "Encore une").message
    send(world.admin, world.claim_id, "secret note", internal=True)
    with session_scope() as session:
        summary = session.get(ThreadSummary, world.claim_id)
        assert summary is not None
        assert (summary.last_message_id, summary.message_count) == (second.id, 2)
        assert summary.excerpt == "Encore une" and not summary.last_from_team
        assert summary.waiting_since == first.created_at  # the first unanswered question
        assert summary.last_claimant_message_id == second.id
    answer = send(world.admin, world.claim_id, "Réponse").message
    with session_scope() as session:
        summary = session.get(ThreadSummary, world.claim_id)
        assert summary is not None
        assert summary.last_message_id == answer.id and summary.waiting_since is None
        assert summary.last_sender_name == world.admin.full_name


def test_read_receipts_carry_the_time_the_other_side_read(world: World) -> None:
    question = send(world.owner, world.claim_id, "question").message
    assert m.list_thread(actor=world.owner, claim_id=world.claim_id).messages[0].read_at is None
    m.mark_read(actor=world.admin, claim_id=world.claim_id, up_to_message_id=question.id)
    seen = m.list_thread(actor=world.owner, claim_id=world.claim_id).messages[0]
    assert seen.read_by_other and seen.read_at is not None
    assert seen.read_at >= question.created_at


def test_admin_tally_always_equals_a_fresh_count(world: World, make: Any) -> None:
    """The tally moves with sends, reads, replies and mark-unread; a fresh count agrees."""
    colleague = make.admin()
    m.unread_total(actor=world.admin)  # the tally exists before the traffic below
    second = submitted_claim(world.owner)
    steps = [
        lambda: send(world.owner, world.claim_id, "one"),
        lambda: send(world.owner, second, "two"),
        lambda: send(world.owner, world.claim_id, "three"),
        lambda: m.mark_read(actor=world.admin, claim_id=world.claim_id, up_to_message_id=10**6),
        lambda: send(colleague, second, "colleague answers"),
        lambda: m.mark_unread(actor=world.admin, claim_id=world.claim_id),
        lambda: send(world.admin, second, "admin answers, so has read"),
        lambda: send(world.owner, second, "four"),
        lambda: send(world.admin, world.claim_id, "note", internal=True),
    ]
    for step in steps:
        step()
        with session_scope() as session:
            tally = session.get(UnreadTally, world.admin.id)
            assert tally is not None
        assert tally.unread == sum(m.unread_counts(actor=world.admin).values())
    assert m.unread_total(actor=world.admin) == 1  # writing the note read the thread again


# --- attachments --------------------------------------------------------------------------------


def test_attachments_are_checked_stored_and_readable_by_the_thread_only(world: World) -> None:
    pdf = pdf_bytes()  # made once: the PDF carries the second it was written
    files = [("pass.pdf", pdf), ("p.png", png_bytes())]
    sent = send(world.owner, world.claim_id, "Voici", attachments=files).message
    assert [(a.name, a.content_type, a.has_thumbnail) for a in sent.attachments] == [
        ("pass.pdf", "application/pdf", True),
        ("p.png", "image/png", True),
    ]
    first = sent.attachments[0].id
    assert m.read_attachment(actor=world.admin, attachment_id=first, thumbnail=False).data == pdf
    thumb = m.read_attachment(actor=world.owner, attachment_id=first, thumbnail=True)
    assert thumb.content_type == "image/png"
    with pytest.raises(NotFound):
        m.read_attachment(actor=world.other, attachment_id=first, thumbnail=False)
    with pytest.raises(NotAuthenticated):
        m.read_attachment(actor=None, attachment_id=first, thumbnail=False)
    listed = m.list_thread(actor=world.admin, claim_id=world.claim_id).messages[0]
    assert listed.attachments == sent.attachments


def test_bad_attachments_store_nothing(world: World) -> None:
    with pytest.raises(InvalidInput) as caught:
        send(world.owner, world.claim_id, "x", attachments=[("a.pdf", b"<html>")])
    assert caught.value.code == "error.file_type"
    with pytest.raises(InvalidInput) as too_many:
        send(world.owner, world.claim_id, "x", attachments=[("p.png", png_bytes())] * 6)
    assert too_many.value.code == "error.too_many_attachments"
    with session_scope() as session:
        assert session.exec(select(MessageAttachment)).all() == []
    assert stored_messages() == []


def test_concurrent_claimant_posts_all_count_for_every_admin(make: Any) -> None:
    """Every claimant post bumps every admin's tally: posts at the same moment queue on the
    tally rows in one order (a deadlock here once lost a message)."""
    from concurrent.futures import ThreadPoolExecutor

    admins = [make.admin() for _ in range(3)]
    for admin in admins:
        assert m.unread_total(actor=admin) == 0  # creates each tally
    owners = [make.user() for _ in range(6)]
    claims = [submitted_claim(owner) for owner in owners]

    def post(index: int) -> int:
        owner, claim_id = owners[index % 6], claims[index % 6]
        sent = m.send_message(
            actor=owner, claim_id=claim_id, content=f"n{index}", client_key=f"burst-key-{index}"
        )
        return sent.message.id

    with ThreadPoolExecutor(max_workers=6) as pool:
        ids = list(pool.map(post, range(24)))
    assert len(set(ids)) == 24
    assert [m.unread_total(actor=admin) for admin in admins] == [24, 24, 24]
