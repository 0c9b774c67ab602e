"""The thread and badge handlers, called as a hostile client could: on someone else's thread,
anonymous, with forged arguments; and the composer's promises (one message per key, text kept
on failure, internal notes never in a claimant's state)."""

from __future__ import annotations

import logging
import time
from typing import Any

import pytest
from sqlmodel import func, select

from indemnisation import presence
from indemnisation.db import session_scope
from indemnisation.models import Message
from indemnisation.services import accounts, messaging
from indemnisation.states.badge import BadgeState, _figures_for
from indemnisation.states.live import SKIP
from indemnisation.states.thread import REFRESH_SECONDS, ThreadState, _Compared
from tests.claim_factory import eligible_draft, submitted_claim
from tests.conftest import PASSWORD
from tests.states.harness import call, make_state


def _token(user: Any) -> str:
    return accounts.login(email=user.email, password=PASSWORD).token


def _count() -> int:
    with session_scope() as session:
        return int(session.exec(select(func.count()).select_from(Message)).one())


async def _thread(user: Any, claim_id: int, *, admin_path: bool = False) -> ThreadState:
    path = f"/admin/claims/{claim_id}" if admin_path else f"/claims/{claim_id}"
    state = make_state(ThreadState, token=_token(user) if user else "", path=path)
    await call(state, "load")
    return state


async def test_owner_loads_posts_and_gets_a_new_key(make: Any) -> None:
    owner = make.user()
    claim_id = submitted_claim(owner)
    state = await _thread(owner, claim_id)
    assert state.available and state.messages == [] and state.composer_key
    key = state.composer_key
    result = await call(state, "send", {"content": "Bonjour https://example.org", "key": key})
    assert result is not None and state.error == ""
    assert [p.href for p in state.messages[0].parts] == ["", "https://example.org"]
    assert state.messages[0].ticks == 1
    assert state.composer_key != key


async def test_the_same_key_posts_once_even_when_sent_again(make: Any) -> None:
    owner = make.user()
    state = await _thread(owner, submitted_claim(owner))
    key = state.composer_key
    await call(state, "send", {"content": "Une seule fois", "key": key})
    await call(state, "send", {"content": "Une seule fois", "key": key})  # the answer was lost
    assert _count() == 1
    await call(state, "send", {"content": "Texte corrigé", "key": key})  # edited since
    assert _count() == 2
    assert [m.parts[0].text for m in state.messages] == ["Une seule fois", "Texte corrigé"]


@pytest.mark.parametrize(
    "form", [{"content": "   ", "key": "k" * 20}, {"content": "x" * 5001, "key": "k" * 20}, "junk"]
)
async def test_refused_text_keeps_the_composer_and_its_key(make: Any, form: Any) -> None:
    owner = make.user()
    state = await _thread(owner, submitted_claim(owner))
    key = state.composer_key
    assert await call(state, "send", form) is None
    assert state.error and state.composer_key == key and _count() == 0


async def test_drafts_have_no_thread(make: Any) -> None:
    owner = make.user()
    state = await _thread(owner, eligible_draft(owner))
    assert not state.available
    await call(state, "send", {"content": "hello", "key": state.composer_key})
    assert _count() == 0 and state.error


async def test_someone_elses_thread_is_refused_and_logged(
    make: Any, caplog: pytest.LogCaptureFixture
) -> None:
    victim, mallory, admin = make.user(), make.user(), make.admin()
    claim_id = submitted_claim(victim)
    sent = messaging.send_message(
        actor=admin, claim_id=claim_id, content="Pour la victime", client_key="victim-key-1"
    )
    caplog.set_level(logging.WARNING)
    state = await _thread(mallory, claim_id)
    assert not state.available and state.messages == []
    assert "claim access refused" in caplog.text
    state.claim_id, state.available = claim_id, True  # as if the client forced its way in
    await call(state, "send", {"content": "intrus", "key": "mallory-key-1"})
    await call(state, "seen", sent.message.id)
    await call(state, "mark_unread")
    await call(state, "older")
    await call(state, "typed", "abc")
    assert state.messages == [] and _count() == 1
    assert messaging.unread_total(actor=victim) == 1
    anonymous = await _thread(None, claim_id)
    assert not anonymous.available and anonymous.messages == []


async def test_internal_notes_never_reach_a_claimants_state(make: Any) -> None:
    owner, admin = make.user(), make.admin()
    claim_id = submitted_claim(owner)
    team = await _thread(admin, claim_id, admin_path=True)
    assert team.is_team
    await call(team, "set_internal", True)
    await call(team, "send", {"content": "Note interne secrète", "key": team.composer_key})
    assert team.messages[0].internal
    claimant = await _thread(owner, claim_id)
    await call(claimant, "set_internal", True)
    assert claimant.internal is False
    claimant.internal = True  # even forced, a claimant's message is never an internal note
    await call(claimant, "send", {"content": "Question", "key": claimant.composer_key})
    assert [m.internal for m in claimant.messages] == [False]
    assert "secrète" not in repr(claimant.dict())
    assert messaging.unread_total(actor=owner) == 0


async def test_seen_moves_the_pointer_forward_only(make: Any) -> None:
    owner, admin = make.user(), make.admin()
    claim_id = submitted_claim(owner)
    first = messaging.send_message(
        actor=admin, claim_id=claim_id, content="1", client_key="k-one-11"
    )
    messaging.send_message(actor=admin, claim_id=claim_id, content="2", client_key="k-two-222")
    state = await _thread(owner, claim_id)
    for forged in ("3", True, -1, 0, 10**12, None):
        await call(state, "seen", forged)
    assert messaging.unread_total(actor=owner) == 2
    await call(state, "seen", first.message.id)
    assert messaging.unread_total(actor=owner) == 1 and state.last_read == first.message.id


async def test_only_admins_mark_unread(make: Any) -> None:
    owner, admin = make.user(), make.admin()
    claim_id = submitted_claim(owner)
    sent = messaging.send_message(
        actor=owner, claim_id=claim_id, content="Q", client_key="k-q-1111"
    )
    messaging.mark_read(actor=admin, claim_id=claim_id, up_to_message_id=sent.message.id)
    claimant = await _thread(owner, claim_id)
    await call(claimant, "mark_unread")
    assert claimant.error and messaging.unread_total(actor=admin) == 0
    team = await _thread(admin, claim_id, admin_path=True)
    await call(team, "mark_unread")
    assert team.notice and messaging.unread_total(actor=admin) == 1
    await call(team, "seen", sent.message.id)  # still on screen: stays unread until reopened
    assert messaging.unread_total(actor=admin) == 1


async def test_canned_text_goes_only_to_an_admins_composer(make: Any) -> None:
    owner, admin = make.user(), make.admin()
    claim_id = submitted_claim(owner)
    claimant = await _thread(owner, claim_id)
    assert await call(claimant, "insert_text", "hello") is None
    team = await _thread(admin, claim_id, admin_path=True)
    assert await call(team, "insert_text", "hello") is not None
    assert await call(team, "insert_text", {"x": 1}) is None


async def test_badge_refresh_counts_per_claim(make: Any) -> None:
    owner, admin = make.user(), make.admin()
    claim_id = submitted_claim(owner)
    messaging.send_message(actor=admin, claim_id=claim_id, content="Réponse", client_key="k-r-1111")
    token = _token(owner)
    badge = make_state(BadgeState, token=token, path="/claims")
    found = await _figures_for(token, time.monotonic())
    assert found is not None and found[0].id == owner.id
    badge._show_figures(*found)
    assert badge.unread == 1 and badge.per_claim == {str(claim_id): 1}
    assert badge.recent[0].href == f"/claims/{claim_id}" and badge.recent[0].unread


async def test_badge_figures_end_with_the_session(make: Any) -> None:
    owner = make.user()
    token = _token(owner)
    assert await _figures_for(token, time.monotonic()) is not None
    accounts.logout(token=token)
    assert await _figures_for(token, time.monotonic()) is None
    assert await _figures_for("forged-" + "x" * 40, time.monotonic()) is None


async def test_a_hint_re_reads_only_what_can_have_changed(make: Any) -> None:
    owner, admin = make.user(), make.admin()
    claim_id = submitted_claim(owner)
    for n in range(3):
        messaging.send_message(
            actor=admin, claim_id=claim_id, content=f"Équipe {n}", client_key=f"k-team-{n}000"
        )
    state = await _thread(owner, claim_id)
    await call(state, "send", {"content": "Ma question", "key": state.composer_key})
    mine = state.messages[-1]
    assert len(state.messages) == 4 and mine.mine and mine.ticks == 1
    messaging.mark_read(actor=admin, claim_id=claim_id, up_to_message_id=mine.id)
    reply = messaging.send_message(
        actor=admin, claim_id=claim_id, content="Réponse", client_key="k-reply-0000"
    )
    hint = {"t": "message"}
    found = await state._read(owner, claim_id, hint)
    assert found.partial and found.thread is not None
    assert [m.id for m in found.thread.messages] == [mine.id, reply.message.id]
    await state._on_hint(owner, hint, found)
    assert [m.parts[0].text for m in state.messages] == [
        "Équipe 0",
        "Équipe 1",
        "Équipe 2",
        "Ma question",
        "Réponse",
    ]
    assert state.messages[3].ticks == 2 and state.last_id == reply.message.id
    found = await state._read(owner, claim_id, None)  # a quiet wake-up soon after: nothing new
    assert found is SKIP


async def test_a_quiet_wake_up_takes_the_lock_only_for_a_change(make: Any) -> None:
    owner, admin = make.user(), make.admin()
    claim_id = submitted_claim(owner)
    messaging.send_message(actor=admin, claim_id=claim_id, content="Bonjour", client_key="k-q-1111")
    state = await _thread(owner, claim_id)
    compared = _Compared(time.monotonic())
    assert await state._read(owner, claim_id, None, compared) is SKIP
    # A minute later the whole page is compared again: still the same, still no lock.
    compared.at = state._reloaded_at = time.monotonic() - REFRESH_SECONDS - 1
    assert await state._read(owner, claim_id, None, compared) is SKIP
    assert time.monotonic() - compared.at < 1  # the next quiet wake-ups compare presence only
    # A message whose hint was missed shows at the next comparison.
    messaging.send_message(actor=admin, claim_id=claim_id, content="Suite", client_key="k-q-2222")
    assert await state._read(owner, claim_id, None, compared) is SKIP
    compared.at = time.monotonic() - REFRESH_SECONDS - 1
    found = await state._read(owner, claim_id, None, compared)
    assert found is not SKIP and found.thread is not None
    await state._on_hint(owner, None, found)
    assert [m.parts[0].text for m in state.messages] == ["Bonjour", "Suite"]
    # The other side arriving changes the presence line: that wake-up takes the lock.
    presence.touch(claim_id=claim_id, is_admin=True, user_id=admin.id)
    found = await state._read(owner, claim_id, {"t": "presence"}, compared)
    assert found is not SKIP and found.seen is not None and found.seen.online
    await state._on_hint(owner, {"t": "presence"}, found)
    assert state.other_online
    assert await state._read(owner, claim_id, {"t": "presence"}, compared) is SKIP
