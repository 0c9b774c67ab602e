"""The users back office: search in keyset pages, a person's claims, role changes, deactivation
(which revokes every session at once), reset links; each change audited with before / after,
each refusal audited and nothing else written."""

from __future__ import annotations

import threading
from pathlib import Path
from typing import Any

import pytest
from sqlmodel import select

from indemnisation.db import session_scope
from indemnisation.domain.claim_status import ClaimStatus
from indemnisation.models import LoginSession, Role, User
from indemnisation.services import accounts, users_admin
from indemnisation.services.errors import Forbidden, InvalidInput, NotAuthenticated
from indemnisation.services.views import UserView
from tests.claim_factory import eligible_draft, submitted_claim
from tests.conftest import PASSWORD, outbox_mails, reset_token_from
from tests.services.audit_helpers import entries


def token_of(user: UserView) -> str:
    return accounts.login(email=user.email, password=PASSWORD).token


def stored(user_id: int) -> User:
    with session_scope() as session:
        found = session.get(User, user_id)
    assert found is not None
    return found


def all_pages(admin: UserView, **filters: Any) -> list[list[int]]:
    pages, cursor = [], None
    while True:
        page = users_admin.list_users(actor=admin, cursor=cursor, limit=2, **filters)
        pages.append([row.id for row in page.rows])
        if page.next_cursor is None:
            return pages
        cursor = page.next_cursor


# --- reading ------------------------------------------------------------------------------------


def test_list_newest_first_in_keyset_pages(make: Any) -> None:
    admin = make.admin()
    people = [make.user() for _ in range(4)]
    ids = [p.id for p in reversed(people)] + [admin.id]
    assert all_pages(admin) == [ids[0:2], ids[2:4], ids[4:5]]


def test_search_by_name_or_email_case_insensitive(make: Any) -> None:
    admin = make.admin()
    marie = make.user(full_name="Marie Curie", email="marie@example.org")
    pierre = make.user(full_name="Pierre Curie", email="pierre@labo.fr")
    make.user(full_name="Paul Langevin", email="paul@example.org")
    found = users_admin.list_users(actor=admin, query="  curie ")
    assert [r.id for r in found.rows] == [pierre.id, marie.id]
    found = users_admin.list_users(actor=admin, query="LABO.FR")
    assert [r.id for r in found.rows] == [pierre.id]
    # LIKE wildcards in the text are plain characters
    assert users_admin.list_users(actor=admin, query="%").rows == ()
    assert users_admin.list_users(actor=admin, query="_").rows == ()


def test_filters_by_role_and_activity(make: Any) -> None:
    admin = make.admin()
    other_admin = make.admin()
    claimant = make.user()
    users_admin.set_active(actor=admin, user_id=claimant.id, active=False)
    admins = users_admin.list_users(actor=admin, role=Role.ADMIN)
    assert [r.id for r in admins.rows] == [other_admin.id, admin.id]
    inactive = users_admin.list_users(actor=admin, active=False)
    assert [(r.id, r.is_active) for r in inactive.rows] == [(claimant.id, False)]


def test_rows_count_submitted_claims_only(make: Any) -> None:
    admin = make.admin()
    owner = make.user()
    submitted_claim(owner)
    eligible_draft(owner)
    (row, _) = users_admin.list_users(actor=admin).rows
    assert (row.id, row.claims) == (owner.id, 1)


@pytest.mark.parametrize(
    "bad",
    [
        {"query": "x" * 101},
        {"query": 5},
        {"role": "ADMIN"},
        {"active": "yes"},
        {"cursor": "10"},
        {"cursor": -1},
        {"limit": 0},
        {"limit": 101},
        {"limit": True},
    ],
)
def test_list_refuses_malformed_arguments(make: Any, bad: dict[str, Any]) -> None:
    admin = make.admin()
    with pytest.raises(InvalidInput):
        users_admin.list_users(actor=admin, **bad)


def test_detail_with_claims_and_sessions(make: Any) -> None:
    admin = make.admin()
    owner = make.user(locale="en")
    submitted = submitted_claim(owner)
    draft = eligible_draft(owner)
    token_of(owner)
    detail = users_admin.user_detail(actor=admin, user_id=owner.id)
    assert (detail.email, detail.locale, detail.is_active) == (owner.email, "en", True)
    assert [c.id for c in detail.claims] == [draft, submitted]
    assert detail.claims[0].status is ClaimStatus.DRAFT
    assert detail.claims[1].reference
    assert detail.claim_count == 2
    assert detail.open_sessions == 1 and detail.last_login_at is not None
    assert detail.last_login_at.tzinfo is not None


@pytest.mark.parametrize("user_id", [0, -3, "1", 2**31, True, None, 10**6])
def test_detail_of_unknown_or_forged_id_is_not_found(make: Any, user_id: Any) -> None:
    admin = make.admin()
    with pytest.raises(InvalidInput) as refused:
        users_admin.user_detail(actor=admin, user_id=user_id)
    assert refused.value.code == "error.user_not_found"


def test_claimant_and_anonymous_cannot_read(make: Any) -> None:
    claimant = make.user()
    with pytest.raises(Forbidden):
        users_admin.list_users(actor=claimant)
    with pytest.raises(Forbidden):
        users_admin.user_detail(actor=claimant, user_id=claimant.id)
    with pytest.raises(NotAuthenticated):
        users_admin.list_users(actor=None)


# --- role ---------------------------------------------------------------------------------------


def test_promote_then_demote_with_audit(make: Any) -> None:
    admin = make.admin()
    person = make.user()
    done = users_admin.change_role(actor=admin, user_id=person.id, role="ADMIN", ip="198.51.100.4")
    assert done.changed and stored(person.id).role is Role.ADMIN
    users_admin.change_role(actor=admin, user_id=person.id, role=Role.CLAIMANT)
    assert stored(person.id).role is Role.CLAIMANT
    first, second = entries(action="user.role")
    assert (first.actor_id, first.target_type, first.target_id) == (admin.id, "user", person.id)
    assert (first.before, first.after, first.ip) == (
        {"role": "CLAIMANT"},
        {"role": "ADMIN"},
        "198.51.100.4",
    )
    assert (second.before, second.after, second.refused) == (
        {"role": "ADMIN"},
        {"role": "CLAIMANT"},
        False,
    )


def test_same_role_writes_nothing(make: Any) -> None:
    admin = make.admin()
    person = make.user()
    assert not users_admin.change_role(actor=admin, user_id=person.id, role="CLAIMANT").changed
    assert entries(action="user.role") == []


def test_an_admin_cannot_change_their_own_role(make: Any) -> None:
    admin = make.admin()
    make.admin()
    with pytest.raises(InvalidInput) as refused:
        users_admin.change_role(actor=admin, user_id=admin.id, role="CLAIMANT")
    assert refused.value.code == "error.own_role"
    assert stored(admin.id).role is Role.ADMIN
    (entry,) = entries(action="user.role")
    assert (entry.refused, entry.note, entry.after) == (
        True,
        "error.own_role",
        {"role": "CLAIMANT"},
    )


def test_the_last_active_admin_cannot_be_demoted(make: Any) -> None:
    """Only reachable when the acting admin is not active any more (a stale view of them)."""
    acting = make.admin()
    last = make.admin()
    with session_scope() as session:
        row = session.get(User, acting.id)
        assert row is not None
        row.is_active = False
        session.commit()
    with pytest.raises(InvalidInput) as refused:
        users_admin.change_role(actor=acting, user_id=last.id, role="CLAIMANT")
    assert refused.value.code == "error.last_admin"
    assert stored(last.id).role is Role.ADMIN
    assert [e.refused for e in entries(action="user.role")] == [True]


def test_an_inactive_admin_does_not_count(make: Any) -> None:
    admin = make.admin()
    other = make.admin()
    third = make.admin()
    users_admin.set_active(actor=admin, user_id=third.id, active=False)
    users_admin.change_role(actor=admin, user_id=other.id, role="CLAIMANT")
    with session_scope() as session:
        active_admins = session.exec(
            select(User.id).where(User.role == Role.ADMIN, User.is_active == True)  # noqa: E712
        ).all()
    assert active_admins == [admin.id]


@pytest.mark.parametrize("role", ["SUPERUSER", "", None, 1, ["ADMIN"]])
def test_unknown_role_is_refused(make: Any, role: Any) -> None:
    admin = make.admin()
    person = make.user()
    with pytest.raises(InvalidInput):
        users_admin.change_role(actor=admin, user_id=person.id, role=role)
    assert stored(person.id).role is Role.CLAIMANT


def test_claimant_and_anonymous_cannot_change_roles(make: Any) -> None:
    claimant = make.user()
    with pytest.raises(Forbidden):
        users_admin.change_role(actor=claimant, user_id=claimant.id, role="ADMIN")
    with pytest.raises(NotAuthenticated):
        users_admin.change_role(actor=None, user_id=claimant.id, role="ADMIN")
    assert stored(claimant.id).role is Role.CLAIMANT
    logged = entries(action="user.role")
    assert [(e.actor_id, e.refused, e.note) for e in logged] == [
        (claimant.id, True, "error.forbidden"),
        (None, True, "error.not_authenticated"),
    ]


def test_two_admins_demoting_each_other_at_once_leave_one(make: Any) -> None:
    first, second = make.admin(), make.admin()
    barrier = threading.Barrier(2)
    outcomes: list[str] = []

    def demote(actor: UserView, target: UserView) -> None:
        barrier.wait()
        try:
            users_admin.change_role(actor=actor, user_id=target.id, role="CLAIMANT")
            outcomes.append("done")
        except InvalidInput as error:
            outcomes.append(error.code)

    threads = [
        threading.Thread(target=demote, args=(first, second)),
        threading.Thread(target=demote, args=(second, first)),
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    roles = [stored(first.id).role, stored(second.id).role]
    assert sorted(outcomes) == ["done", "error.last_admin"]
    assert roles.count(Role.ADMIN) == 1


# --- activation ----------------------------------------------------------------------------------


def test_deactivation_revokes_every_session_at_once(make: Any) -> None:
    admin = make.admin()
    person = make.user()
    tokens = [token_of(person), token_of(person)]
    assert all(accounts.access_session(t) for t in tokens)
    users_admin.set_active(actor=admin, user_id=person.id, active=False)
    assert [accounts.access_session(t) for t in tokens] == [None, None]
    with session_scope() as session:
        open_sessions = session.exec(
            select(LoginSession).where(
                LoginSession.user_id == person.id,
                LoginSession.revoked_at == None,  # noqa: E711
            )
        ).all()
    assert open_sessions == []
    (entry,) = entries(action="user.active")
    assert (entry.before, entry.after, entry.target_id) == (
        {"active": True},
        {"active": False},
        person.id,
    )
    with pytest.raises(InvalidInput):
        accounts.login(email=person.email, password=PASSWORD)


def test_reactivation_needs_a_new_login(make: Any) -> None:
    admin = make.admin()
    person = make.user()
    old = token_of(person)
    users_admin.set_active(actor=admin, user_id=person.id, active=False)
    users_admin.set_active(actor=admin, user_id=person.id, active=True)
    assert stored(person.id).is_active
    assert accounts.access_session(old) is None
    assert accounts.access_session(token_of(person)) is not None
    assert [(e.before, e.after) for e in entries(action="user.active")] == [
        ({"active": True}, {"active": False}),
        ({"active": False}, {"active": True}),
    ]


def test_a_deactivated_admin_loses_access(make: Any) -> None:
    admin = make.admin()
    other = make.admin()
    token = token_of(other)
    users_admin.set_active(actor=admin, user_id=other.id, active=False)
    assert accounts.access_session(token) is None


def test_an_admin_cannot_deactivate_themselves(make: Any) -> None:
    admin = make.admin()
    make.admin()
    token = token_of(admin)
    with pytest.raises(InvalidInput) as refused:
        users_admin.set_active(actor=admin, user_id=admin.id, active=False)
    assert refused.value.code == "error.deactivate_self"
    assert stored(admin.id).is_active and accounts.access_session(token) is not None
    (entry,) = entries(action="user.active")
    assert (entry.refused, entry.note) == (True, "error.deactivate_self")


def test_only_an_admin_can_deactivate_and_nothing_is_revoked(make: Any) -> None:
    make.admin()
    claimant = make.user()
    victim = make.user()
    token = token_of(victim)
    with pytest.raises(Forbidden):
        users_admin.set_active(actor=claimant, user_id=victim.id, active=False)
    with pytest.raises(NotAuthenticated):
        users_admin.set_active(actor=None, user_id=victim.id, active=False)
    assert stored(victim.id).is_active and accounts.access_session(token) is not None


@pytest.mark.parametrize("active", ["false", 0, None, "0"])
def test_activation_must_be_a_boolean(make: Any, active: Any) -> None:
    admin = make.admin()
    person = make.user()
    with pytest.raises(InvalidInput):
        users_admin.set_active(actor=admin, user_id=person.id, active=active)
    assert stored(person.id).is_active


def test_unknown_user_is_refused_and_audited(make: Any) -> None:
    admin = make.admin()
    with pytest.raises(InvalidInput):
        users_admin.set_active(actor=admin, user_id=999_999, active=False)
    (entry,) = entries(action="user.active")
    assert (entry.refused, entry.target_id, entry.note) == (True, 999_999, "error.user_not_found")


# --- reset link ----------------------------------------------------------------------------------


def test_reset_link_in_the_persons_language_works_once(make: Any, outbox: Path) -> None:
    admin = make.admin()
    person = make.user(locale="en")
    sent_to = users_admin.send_reset_link(actor=admin, user_id=person.id)
    assert sent_to == person.email
    ((subject, _),) = outbox_mails(outbox)
    assert subject == "Reset your Indemnisation password"
    token = reset_token_from(outbox)
    accounts.reset_password(token=token, new_password="Another-Horse-77")
    assert accounts.login(email=person.email, password="Another-Horse-77")
    (entry,) = entries(action="user.reset_link")
    assert (entry.actor_id, entry.target_id, entry.after) == (
        admin.id,
        person.id,
        {"to": person.email},
    )


def test_no_reset_link_for_a_deactivated_account(make: Any, outbox: Path) -> None:
    admin = make.admin()
    person = make.user()
    users_admin.set_active(actor=admin, user_id=person.id, active=False)
    with pytest.raises(InvalidInput) as refused:
        users_admin.send_reset_link(actor=admin, user_id=person.id)
    assert refused.value.code == "error.user_inactive"
    assert outbox_mails(outbox) == []
    (entry,) = entries(action="user.reset_link")
    assert entry.refused


def test_claimant_cannot_send_reset_links(make: Any, outbox: Path) -> None:
    make.admin()
    claimant = make.user()
    other = make.user()
    with pytest.raises(Forbidden):
        users_admin.send_reset_link(actor=claimant, user_id=other.id)
    assert outbox_mails(outbox) == []


def test_reset_link_when_the_mail_server_is_down(
    make: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    from indemnisation.settings import get_settings
    from tests.smtp_server import free_port

    settings = get_settings()
    monkeypatch.setattr(settings, "smtp_host", "127.0.0.1")
    monkeypatch.setattr(settings, "smtp_port", free_port())
    monkeypatch.setattr(settings, "smtp_starttls", False)
    admin = make.admin()
    person = make.user()
    with pytest.raises(InvalidInput) as refused:
        users_admin.send_reset_link(actor=admin, user_id=person.id)
    assert refused.value.code == "error.email_failed"
    assert "refused" in refused.value.params["detail"].lower()
    assert [e.refused for e in entries(action="user.reset_link")] == [False, True]
