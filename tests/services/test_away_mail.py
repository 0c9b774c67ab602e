"""Away emails, through a real SMTP server (aiosmtpd): who gets one, when, in which language,
never twice, never for internal notes or messages already read, and nothing lost when the mail
server is down."""

from __future__ import annotations

import itertools
import threading
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

import pytest
from sqlmodel import col, select, update

from indemnisation import presence
from indemnisation.db import session_scope
from indemnisation.models import Claim, Message, ThreadRead
from indemnisation.models.types import utcnow
from indemnisation.services import away_mail, users_admin
from indemnisation.services import messaging as m
from indemnisation.services.views import UserView
from indemnisation.settings import get_settings
from tests.claim_factory import submitted_claim
from tests.smtp_server import Collector, free_port, start

_keys = itertools.count()


@pytest.fixture
def smtp(monkeypatch: pytest.MonkeyPatch) -> Iterator[Collector]:
    collector = Collector()
    controller, port = start(collector)
    settings = get_settings()
    monkeypatch.setattr(settings, "smtp_host", "127.0.0.1")
    monkeypatch.setattr(settings, "smtp_port", port)
    monkeypatch.setattr(settings, "smtp_starttls", False)
    monkeypatch.setattr(settings, "away_email_minutes", 2)
    yield collector
    controller.stop()


@pytest.fixture(autouse=True)
def fresh_presence() -> Iterator[None]:
    presence._store_for.cache_clear()
    yield
    presence._store_for.cache_clear()


@dataclass(frozen=True)
class World:
    owner: UserView
    admin: UserView
    claim_id: int


def quiet_claim(owner: UserView, smtp: Collector) -> int:
    """A submitted claim, its submission emails left out of what the tests look at."""
    claim_id = submitted_claim(owner)
    smtp.messages.clear()
    return claim_id


@pytest.fixture
def world(make: Any, smtp: Collector) -> World:
    owner = make.user(locale="en", full_name="Alice Passenger")
    admin = make.admin(locale="fr", full_name="Bruno Agent")
    return World(owner, admin, quiet_claim(owner, smtp))


def send(actor: UserView, claim_id: int, content: str = "Bonjour", **kw: Any) -> int:
    sent = m.send_message(
        actor=actor, claim_id=claim_id, content=content, client_key=f"away-{next(_keys):06d}", **kw
    )
    return sent.message.id


def later(minutes: float = 3) -> datetime:
    return utcnow() + timedelta(minutes=minutes)


def emailed_up_to(claim_id: int, user_id: int) -> int:
    with session_scope() as session:
        value = session.exec(
            select(ThreadRead.emailed_up_to).where(
                ThreadRead.claim_id == claim_id, ThreadRead.user_id == user_id
            )
        ).first()
    return value or 0


def reference(claim_id: int) -> str:
    with session_scope() as session:
        claim = session.get(Claim, claim_id)
        assert claim is not None and claim.reference
        return claim.reference


def assign(claim_id: int, admin: UserView | None) -> None:
    with session_scope() as session:
        session.exec(
            update(Claim)
            .where(col(Claim.id) == claim_id)
            .values(assigned_to_id=admin.id if admin else None)
        )
        session.commit()


# --- the claimant hears of the team's messages ----------------------------------------------------


def test_an_email_after_the_delay_in_the_recipients_language_with_the_link(
    smtp: Collector, world: World
) -> None:
    last = send(world.admin, world.claim_id, "Nous avons  besoin\nde votre carte d'embarquement.")
    assert away_mail.send_due(later()) == 1
    (mail,) = smtp.messages
    ref = reference(world.claim_id)
    assert mail["To"] == world.owner.email
    assert smtp.subjects() == [f"New message – claim {ref}"]
    (body,) = smtp.bodies()
    assert body.startswith("Hello Alice Passenger,")
    assert "“Nous avons besoin de votre carte d'embarquement.”" in body
    assert f"{get_settings().public_base_url}/claims/{world.claim_id}\n" in body
    assert emailed_up_to(world.claim_id, world.owner.id) == last


def test_nothing_before_the_delay(smtp: Collector, world: World) -> None:
    send(world.admin, world.claim_id)
    assert away_mail.send_due() == 0
    assert away_mail.send_due(later(1.9)) == 0
    assert smtp.messages == []
    assert away_mail.send_due(later(2.1)) == 1


def test_the_delay_is_a_setting(
    smtp: Collector, world: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(get_settings(), "away_email_minutes", 10)
    send(world.admin, world.claim_id)
    assert away_mail.send_due(later(9)) == 0
    assert away_mail.send_due(later(11)) == 1


def test_several_messages_make_one_email(smtp: Collector, world: World) -> None:
    send(world.admin, world.claim_id, "Premier")
    send(world.admin, world.claim_id, "Deuxième")
    last = send(world.admin, world.claim_id, "Troisième et dernier")
    assert away_mail.send_due(later()) == 1
    ref = reference(world.claim_id)
    assert smtp.subjects() == [f"3 new messages – claim {ref}"]
    (body,) = smtp.bodies()
    assert "You have 3 unread messages" in body
    assert "“Troisième et dernier”" in body
    assert "Premier" not in body
    assert emailed_up_to(world.claim_id, world.owner.id) == last


def test_a_message_not_yet_due_rides_along_with_a_due_one(smtp: Collector, world: World) -> None:
    first = send(world.admin, world.claim_id, "Premier")
    with session_scope() as session:
        session.exec(
            update(Message)
            .where(col(Message.id) == first)
            .values(created_at=utcnow() - timedelta(minutes=3))
        )
        session.commit()
    last = send(world.admin, world.claim_id, "Tout juste écrit")
    assert away_mail.send_due() == 1
    assert smtp.subjects()[0].startswith("2 new messages")
    assert emailed_up_to(world.claim_id, world.owner.id) == last
    assert away_mail.send_due(later()) == 0


def test_read_in_the_meantime_sends_nothing(smtp: Collector, world: World) -> None:
    last = send(world.admin, world.claim_id)
    m.mark_read(actor=world.owner, claim_id=world.claim_id, up_to_message_id=last)
    assert away_mail.send_due(later()) == 0
    assert smtp.messages == []


def test_only_what_is_left_unread_is_counted(smtp: Collector, world: World) -> None:
    first = send(world.admin, world.claim_id, "Lu")
    send(world.admin, world.claim_id, "Pas lu")
    m.mark_read(actor=world.owner, claim_id=world.claim_id, up_to_message_id=first)
    assert away_mail.send_due(later()) == 1
    assert smtp.subjects()[0].startswith("New message")
    assert "“Pas lu”" in smtp.bodies()[0]


def test_internal_notes_are_never_emailed(smtp: Collector, world: World) -> None:
    send(world.admin, world.claim_id, "Note interne", internal=True)
    assert away_mail.send_due(later()) == 0
    assert smtp.messages == []


def test_nobody_is_emailed_about_their_own_messages(smtp: Collector, world: World) -> None:
    send(world.owner, world.claim_id, "Ma question")
    send(world.admin, world.claim_id, "Note", internal=True)
    assign(world.claim_id, world.admin)
    send(world.admin, world.claim_id, "Notre réponse")
    assert away_mail.send_due(later()) == 1
    assert smtp.recipients() == [world.owner.email]


def test_viewing_the_thread_holds_the_email_until_they_leave(smtp: Collector, world: World) -> None:
    send(world.admin, world.claim_id)
    presence.touch(world.claim_id, False, world.owner.id)
    assert away_mail.send_due(later()) == 0
    presence.leave(world.claim_id, False, world.owner.id)
    assert away_mail.send_due(later()) == 1


def test_someone_else_viewing_does_not_hold_it(smtp: Collector, world: World, make: Any) -> None:
    send(world.admin, world.claim_id)
    presence.touch(world.claim_id, True, world.admin.id)
    assert away_mail.send_due(later()) == 1


def test_not_sent_again_on_the_next_run_but_a_new_message_is(smtp: Collector, world: World) -> None:
    send(world.admin, world.claim_id, "Premier")
    assert away_mail.send_due(later()) == 1
    assert away_mail.send_due(later()) == 0
    assert away_mail.send_due(later(30)) == 0
    send(world.admin, world.claim_id, "Nouveau")
    assert away_mail.send_due(later()) == 1
    assert smtp.subjects()[1].startswith("New message")
    assert "“Nouveau”" in smtp.bodies()[1]


def test_two_runs_at_once_send_one_email(
    smtp: Collector, world: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    send(world.admin, world.claim_id)
    both_found_it = threading.Barrier(2, timeout=10)

    def viewing(*_args: Any) -> bool:
        both_found_it.wait()
        return False

    monkeypatch.setattr(away_mail.presence, "is_viewing", viewing)
    moment = later()
    counts: list[int] = []
    runners = [
        threading.Thread(target=lambda: counts.append(away_mail.send_due(moment))) for _ in range(2)
    ]
    for runner in runners:
        runner.start()
    for runner in runners:
        runner.join(timeout=30)
    assert sorted(counts) == [0, 1]
    assert len(smtp.messages) == 1


def test_smtp_down_marks_nothing_and_the_next_run_sends(
    smtp: Collector, world: World, make: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    other = make.user()
    other_claim = quiet_claim(other, smtp)
    send(world.admin, world.claim_id)
    send(world.admin, other_claim)
    settings = get_settings()
    working_port = settings.smtp_port
    monkeypatch.setattr(settings, "smtp_port", free_port())
    assert away_mail.send_due(later()) == 0
    assert emailed_up_to(world.claim_id, world.owner.id) == 0
    assert emailed_up_to(other_claim, other.id) == 0
    monkeypatch.setattr(settings, "smtp_port", working_port)
    assert away_mail.send_due(later()) == 2
    assert sorted(smtp.recipients()) == sorted([world.owner.email, other.email])


def test_messages_older_than_the_lookback_are_left_to_the_inbox(
    smtp: Collector, world: World
) -> None:
    send(world.admin, world.claim_id)
    assert away_mail.send_due(later(2 + away_mail.LOOKBACK.total_seconds() / 60 + 5)) == 0
    assert away_mail.send_due(later()) == 1


def test_inactive_accounts_get_nothing(smtp: Collector, world: World, make: Any) -> None:
    boss = make.admin()
    send(world.admin, world.claim_id)
    users_admin.set_active(actor=boss, user_id=world.owner.id, active=False)
    assert away_mail.send_due(later()) == 0


# --- the team hears of the claimant's messages ----------------------------------------------------


def test_the_assigned_admin_is_emailed_in_french_with_the_admin_link(
    smtp: Collector, world: World, make: Any
) -> None:
    colleague = make.admin()
    send(colleague, world.claim_id, "Bonjour, je prends le dossier")
    assign(world.claim_id, world.admin)
    send(world.owner, world.claim_id, "Here is my boarding pass")
    assert away_mail.send_due(later()) == 1
    assert smtp.recipients() == [world.admin.email]
    ref = reference(world.claim_id)
    # Replying moved the claimant's pointer past the colleague's message: only the admin hears.
    assert smtp.subjects() == [f"Nouveau message – dossier {ref}"]
    (body,) = smtp.bodies()
    assert body.startswith("Bonjour Bruno Agent,")
    assert "« Here is my boarding pass »" in body
    assert f"{get_settings().public_base_url}/admin/claims/{world.claim_id}\n" in body


def test_unassigned_threads_go_to_the_admins_who_wrote_there(
    smtp: Collector, world: World, make: Any
) -> None:
    colleague, bystander = make.admin(), make.admin()
    first = send(world.admin, world.claim_id, "Bonjour")
    send(colleague, world.claim_id, "Note", internal=True)
    m.mark_read(actor=world.owner, claim_id=world.claim_id, up_to_message_id=first)
    send(world.owner, world.claim_id, "Réponse")
    assert away_mail.send_due(later()) == 2
    assert sorted(smtp.recipients()) == sorted([world.admin.email, colleague.email])
    assert bystander.email not in smtp.recipients()


def test_no_assignee_and_no_admin_in_the_thread_emails_nobody(
    smtp: Collector, world: World
) -> None:
    send(world.owner, world.claim_id, "Bonjour ?")
    assert away_mail.send_due(later()) == 0
    assert smtp.messages == []


def test_an_inactive_assignee_falls_back_to_the_admins_who_wrote(
    smtp: Collector, world: World, make: Any
) -> None:
    gone, boss = make.admin(), make.admin()
    first = send(world.admin, world.claim_id, "Bonjour")
    m.mark_read(actor=world.owner, claim_id=world.claim_id, up_to_message_id=first)
    assign(world.claim_id, gone)
    users_admin.set_active(actor=boss, user_id=gone.id, active=False)
    send(world.owner, world.claim_id, "Réponse")
    assert away_mail.send_due(later()) == 1
    assert smtp.recipients() == [world.admin.email]


def test_an_admin_who_read_it_is_not_emailed(smtp: Collector, world: World) -> None:
    assign(world.claim_id, world.admin)
    last = send(world.owner, world.claim_id, "Question")
    m.mark_read(actor=world.admin, claim_id=world.claim_id, up_to_message_id=last)
    assert away_mail.send_due(later()) == 0
