"""The settings page and the audit log page called as any connected client can: only an admin's
session reads or changes anything; refused saves keep what was typed; the log reads in words."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from indemnisation.db import session_scope
from indemnisation.models import AppSettings, Claim
from indemnisation.services import accounts, app_settings, claim_assignment, users_admin
from indemnisation.services.errors import InvalidInput
from indemnisation.services.views import UserView
from indemnisation.settings import get_settings
from indemnisation.states import audit_log as audit_states
from indemnisation.states.app_settings import SettingsState
from indemnisation.states.audit_log import AuditState
from indemnisation.states.landing import LandingState
from tests.claim_factory import submitted_claim
from tests.conftest import PASSWORD
from tests.services.audit_helpers import entries
from tests.smtp_server import Collector, free_port, start
from tests.states.harness import call, make_state


def token_of(user: UserView) -> str:
    return accounts.login(email=user.email, password=PASSWORD).token


def saved_row() -> AppSettings | None:
    with session_scope() as session:
        return session.get(AppSettings, 1)


async def run(state: Any, handler: str) -> list[Any]:
    """A handler that yields (the test email) is run to its end; its events are returned."""
    result = await call(state, handler)
    if hasattr(result, "__anext__"):
        return [event async for event in result]
    return [result]


async def settings_page(token: str, locale: str = "fr") -> SettingsState:
    state = make_state(SettingsState, token=token, locale=locale, path="/admin/settings")
    await call(state, "load")
    return state


async def audit_page(token: str, locale: str = "fr") -> AuditState:
    state = make_state(AuditState, token=token, locale=locale, path="/admin/audit")
    await call(state, "load")
    return state


# --- settings ------------------------------------------------------------------------------------


async def test_rates_saved_show_on_the_landing_page(make: Any) -> None:
    admin = make.admin(full_name="Alice Admin")
    state = await settings_page(token_of(admin), locale="en")
    assert (state.fee, state.vat, state.from_environment) == ("25", "20", True)
    await call(state, "set_fee", "30")
    await call(state, "set_vat", "5,5")
    await call(state, "save")
    assert state.error == "" and state.notice == "Rates saved: they apply to new claims."
    assert (state.saved_fee, state.saved_vat) == ("30", "5.5")
    assert not state.from_environment and "Alice Admin" in state.updated
    landing = make_state(LandingState, path="/")
    await call(landing, "load")
    assert (landing.fee, landing.vat) == ("30", "5.5")
    assert "30" in landing.fee_text


async def test_a_refused_save_keeps_what_was_typed(make: Any) -> None:
    admin = make.admin()
    state = await settings_page(token_of(admin))
    await call(state, "set_fee", "75")
    await call(state, "save")
    assert state.error == "Le pourcentage doit être compris entre 0 et 50."
    assert (state.error_field, state.fee) == ("fee_percent", "75")
    assert saved_row() is None


async def test_forged_drafts_are_ignored(make: Any) -> None:
    admin = make.admin()
    state = await settings_page(token_of(admin))
    for value in (30, None, ["30"], "9" * 50):
        await call(state, "set_fee", value)
    assert state.fee == "25"


@pytest.mark.parametrize("who", ["anonymous", "claimant"])
async def test_claimants_and_anonymous_change_nothing(make: Any, who: str) -> None:
    make.admin()
    token = token_of(make.user()) if who == "claimant" else ""
    state = await settings_page(token)
    assert not state.ready and state.error and state.smtp_sender == ""
    state.fee, state.vat = "1", "1"  # as if the client had typed them
    await call(state, "save")
    assert state.error and saved_row() is None
    await run(state, "send_test_email")
    assert state.test_error and state.test_result == ""
    assert [e.refused for e in entries()] == [True, True]


@pytest.fixture
def smtp(monkeypatch: pytest.MonkeyPatch) -> Iterator[Collector]:
    collector = Collector()
    controller, port = start(collector)
    settings = get_settings()
    monkeypatch.setattr(settings, "smtp_host", "127.0.0.1")
    monkeypatch.setattr(settings, "smtp_port", port)
    monkeypatch.setattr(settings, "smtp_starttls", False)
    monkeypatch.setattr(settings, "smtp_password", "never-shown-42")
    yield collector
    controller.stop()


async def test_test_email_through_a_real_smtp_server(make: Any, smtp: Collector) -> None:
    admin = make.admin(email="boss@example.org", locale="en")
    state = await settings_page(token_of(admin), locale="en")
    assert state.via_smtp and state.smtp_host == "127.0.0.1"
    assert "never-shown-42" not in repr(state.dict())
    await run(state, "send_test_email")
    assert state.test_result == "Test email accepted by the SMTP server for boss@example.org."
    assert not state.sending
    assert smtp.wait_for("boss@example.org")
    assert smtp.subjects() == ["Indemnisation test email"]


async def test_test_email_failure_is_reported(make: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    settings = get_settings()
    monkeypatch.setattr(settings, "smtp_host", "127.0.0.1")
    monkeypatch.setattr(settings, "smtp_port", free_port())
    state = await settings_page(token_of(make.admin()), locale="en")
    await run(state, "send_test_email")
    assert state.test_result == ""
    assert state.test_error.startswith(
        "The test email was not sent. Answer: ConnectionRefusedError"
    )


# --- audit log -----------------------------------------------------------------------------------


async def test_the_log_in_words_newest_first(make: Any) -> None:
    admin = make.admin(full_name="Alice Admin")
    person = make.user()
    users_admin.change_role(actor=admin, user_id=person.id, role="ADMIN")
    app_settings.update_rates(actor=admin, fee_percent="30", vat_percent="20")
    state = await audit_page(token_of(admin))
    rates, role = state.rows
    assert (rates["who"], rates["action"], rates["target"]) == (
        "Alice Admin",
        "Honoraires et TVA",
        "Réglages",
    )
    assert rates["changes"] == "Honoraires : 25 % → 30 %"
    assert role["changes"] == "Rôle : Demandeur → Administrateur"
    assert role["target_href"] == f"/admin/users/{person.id}"
    assert role["who_href"] == f"/admin/users/{admin.id}"


async def test_filters_action_claim_outcome_and_days(make: Any) -> None:
    admin = make.admin()
    owner = make.user()
    claim_id = submitted_claim(owner)
    users_admin.change_role(actor=admin, user_id=owner.id, role="ADMIN")
    with pytest.raises(InvalidInput):
        users_admin.set_active(actor=admin, user_id=admin.id, active=False)
    claim_assignment.assign(actor=admin, claim_id=claim_id, assignee_id=admin.id)
    with session_scope() as session:
        claim = session.get(Claim, claim_id)
        assert claim is not None
        reference = claim.reference
    state = await audit_page(token_of(admin), locale="en")
    assert len(state.rows) == 3
    await call(state, "set_action", "user.role")
    assert [r["action"] for r in state.rows] == ["Role change"]
    await call(state, "set_action", "all")
    await call(state, "set_claim", reference.lower())
    assert [r["target_href"] for r in state.rows] == [f"/admin/claims/{claim_id}"]
    await call(state, "set_claim", "IND-1999-000000")
    assert state.error == "No claim with this id or reference."
    assert state.claim == reference.lower() and len(state.rows) == 1
    await call(state, "clear_filters")
    await call(state, "set_outcome", "refused")
    (refused,) = state.rows
    assert refused["refused"] == "1"
    assert refused["note"] == "Refused: You cannot deactivate your own account."
    await call(state, "set_date_from", "2999-01-01")
    assert state.rows == []
    await call(state, "set_date_to", "2000-01-01")
    assert state.error and state.date_to == ""
    await call(state, "set_date_from", "not a day")
    assert state.error == "Invalid date."


async def test_pages(make: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(audit_states, "PAGE_SIZE", 2)
    admin = make.admin()
    for fee in ("26", "27", "28"):
        app_settings.update_rates(actor=admin, fee_percent=fee, vat_percent="20")
    state = await audit_page(token_of(admin))
    first = [r["id"] for r in state.rows]
    assert len(first) == 2 and state.has_more
    await call(state, "next_page")
    assert len(state.rows) == 1 and not state.has_more and state.page_number == 2
    await call(state, "previous_page")
    assert [r["id"] for r in state.rows] == first


async def test_forged_filters_are_ignored(make: Any) -> None:
    admin = make.admin()
    state = await audit_page(token_of(admin))
    for handler, value in [
        ("set_actor", "999999"),
        ("set_actor", 1),
        ("set_action", "drop.table"),
        ("set_outcome", "maybe"),
        ("set_claim", 42),
        ("set_date_from", "2026-01-01" * 3),
    ]:
        await call(state, handler, value)
    assert (state.actor, state.action, state.outcome, state.claim, state.date_from) == (
        "all",
        "all",
        "all",
        "",
        "",
    )


@pytest.mark.parametrize("who", ["anonymous", "claimant"])
async def test_claimants_and_anonymous_read_no_log(make: Any, who: str) -> None:
    admin = make.admin()
    app_settings.update_rates(actor=admin, fee_percent="30", vat_percent="20")
    token = token_of(make.user()) if who == "claimant" else ""
    state = await audit_page(token)
    assert state.rows == [] and state.actor_options == [] and state.error
    await call(state, "next_page")
    await call(state, "set_outcome", "done")
    assert state.rows == []
