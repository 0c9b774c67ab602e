"""The facts card's handlers: an admin opens the form filled with the stored facts, corrects the
delay, confirms, re-runs the verdict and reads what changed; a mistake shows beside its field in
the admin's language and the form keeps what was typed. A claimant or an anonymous client sees
nothing of the card, and their forged corrections and re-runs are refused and audited."""

from __future__ import annotations

import asyncio
from typing import Any

import pytest

from indemnisation.domain.channels import claim_channel
from indemnisation.pubsub import get_hub
from indemnisation.services import accounts, audit, claim_admin, claim_facts_admin
from indemnisation.services.claim_facts import DisruptionInput, SegmentInput
from indemnisation.states.claim_admin import ClaimAdminState
from indemnisation.states.claim_facts_admin import ClaimFactsState
from indemnisation.states.claim_page import ClaimPageState
from tests.claim_factory import submitted_claim
from tests.conftest import PASSWORD
from tests.services.audit_helpers import claim, entries
from tests.states.harness import call, make_state

DAY = "2026-03-14"


def _token(user: Any) -> str:
    return accounts.login(email=user.email, password=PASSWORD).token if user else ""


async def _card(user: Any, claim_id: int, locale: str = "fr") -> ClaimFactsState:
    """The admin claim view as its page loads it: the claim page, the panel, then this card."""
    state = make_state(
        ClaimFactsState, token=_token(user), path=f"/admin/claims/{claim_id}", locale=locale
    )
    await call(await state.get_state(ClaimPageState), "load")
    await call(await state.get_state(ClaimAdminState), "load")
    await call(state, "load")
    return state


def _summary(card: ClaimFactsState) -> dict[str, str]:
    return {row["key"]: row["value"] for row in card.summary}


def _plain(text: str) -> str:
    return text.replace("\u202f", " ").replace("\xa0", " ")


@pytest.mark.parametrize(
    ("locale", "delay", "before", "after", "verdict"),
    [
        ("fr", "4 h 10", "600,00 €", "300,00 €", "Éligible"),
        ("en", "4 h 10 min", "€600.00", "€300.00", "Eligible"),
    ],
)
async def test_an_admin_corrects_the_delay_and_sees_the_new_amount(
    make: Any, locale: str, delay: str, before: str, after: str, verdict: str
) -> None:
    admin, owner = make.admin(locale=locale), make.user()
    claim_id = submitted_claim(owner)
    card = await _card(admin, claim_id, locale)
    assert card.ready and card.editable and not card.editing and card.locked == ""
    assert _summary(card)["delay"] == delay and _summary(card)["segment-0"].startswith("AF6 · ")
    assert card.change == [] and not card.stale

    await call(card, "edit")
    assert card.editing
    assert card.segments == [
        {"flight_number": "AF6", "date": DAY, "departure": "CDG", "arrival": "JFK"}
    ]
    assert card.disruption["kind"] == "delay"
    assert card.disruption["actual_arrival"] == f"{DAY}T17:15"
    await call(card, "set_field", "actual_arrival", f"{DAY}T16:35")
    await call(card, "ask_save")
    assert card.confirming and claim(claim_id).facts["disruption"]["times"][
        "actual_arrival"
    ].endswith("17:15")
    async with get_hub().listen([claim_channel(claim_id)]) as hints:
        events = await call(card, "save")
        assert await asyncio.wait_for(hints.get(), 5) == {"t": "claim"}
    assert [e.fn.__name__ for e in events] == ["refresh", "refresh"]
    assert card.error == "" and card.notice and not card.editing and not card.confirming
    assert claim(claim_id).facts["disruption"]["times"]["actual_arrival"] == f"{DAY}T16:35"
    assert card.stale and _summary(card)["actual"] == f"{DAY} 16:35"

    events = await call(card, "rerun")
    assert [e.fn.__name__ for e in events] == ["refresh", "refresh"]
    assert not card.stale and card.error == ""
    rows = {row["key"]: row for row in card.change}
    assert rows["eligibility"]["before"] == rows["eligibility"]["after"] == verdict
    assert rows["eligibility"]["same"] == "1"
    assert (_plain(rows["amount"]["before"]), _plain(rows["amount"]["after"])) == (before, after)
    assert rows["amount"]["same"] == "" and rows["reasons-added"]["after"] == "reduction_long_delay"
    assert admin.full_name in card.change_by
    page = await card.get_state(ClaimPageState)
    await call(page, "refresh")  # the event the browser sends back
    assert _plain(page.amount_per_passenger) == after
    assert [e.action for e in entries(target_id=claim_id)] == [
        claim_facts_admin.CLAIM_FACTS,
        audit.CLAIM_VERDICT,
    ]


@pytest.mark.parametrize(
    ("locale", "message"),
    [
        ("fr", "L'arrivée réelle précède l'arrivée prévue : il n'y a pas eu de retard."),
        ("en", "The actual arrival is before the scheduled one: there was no delay."),
    ],
)
async def test_a_mistake_shows_at_its_field_and_the_input_stays(
    make: Any, locale: str, message: str
) -> None:
    admin, owner = make.admin(), make.user()
    claim_id = submitted_claim(owner)
    card = await _card(admin, claim_id, locale)
    await call(card, "edit")
    await call(card, "set_segment_field", 0, "flight_number", "AF 8")
    await call(card, "set_field", "actual_arrival", f"{DAY}T12:00")
    await call(card, "ask_save")
    await call(card, "save")
    assert (card.error, card.error_field) == (message, "actual_arrival")
    assert card.editing and card.disruption["actual_arrival"] == f"{DAY}T12:00"
    assert card.segments[0]["flight_number"] == "AF 8"
    assert claim(claim_id).flight_numbers == "AF6"
    [entry] = entries()
    assert entry.refused and entry.note == "error.arrival_before_scheduled"

    await call(card, "set_segment_field", 0, "flight_number", "A")
    await call(card, "save")
    assert card.error_field == "flight_number_0" and card.error.startswith(
        {"fr": "Vol 1 :", "en": "Flight 1:"}[locale]
    )


async def test_a_correction_from_facts_changed_meanwhile_is_refused(make: Any) -> None:
    admin, colleague, owner = make.admin(), make.admin(), make.user()
    claim_id = submitted_claim(owner)
    card = await _card(admin, claim_id)
    await call(card, "edit")
    current = claim(claim_id).facts
    claim_facts_admin.correct_facts(
        actor=colleague,
        claim_id=claim_id,
        segments=[SegmentInput("AF6", DAY, "CDG", "JFK")],
        single_booking=True,
        disruption=DisruptionInput("delay", "weather", 0, f"{DAY}T13:05", f"{DAY}T17:15"),
        expected=claim_facts_admin.fingerprint(current),
    )
    await call(card, "refresh")  # the colleague's change shows, the open form stays as typed
    assert card.editing and card.disruption["airline_reason"] == "technical_fault"
    await call(card, "set_field", "actual_arrival", f"{DAY}T16:00")
    await call(card, "save")
    assert card.error_field == "" and "entre-temps" in card.error and card.editing
    assert claim(claim_id).facts["airline_reason"] == "weather"
    await call(card, "cancel")
    await call(card, "edit")
    assert card.disruption["airline_reason"] == "weather" and card.error == ""


async def test_the_form_handlers_take_only_what_the_form_offers(make: Any) -> None:
    admin, owner = make.admin(), make.user()
    claim_id = submitted_claim(owner)
    card = await _card(admin, claim_id)
    await call(card, "edit")
    await call(card, "set_segment_field", 3, "flight_number", "AF1")
    await call(card, "set_segment_field", 0, "owner_id", "1")
    await call(card, "set_segment_field", "0", "date", "2026-01-01")
    await call(card, "set_field", "passengers", "9")
    await call(card, "set_field", "kind", ["delay"])
    assert card.segments[0]["date"] == DAY and "passengers" not in card.disruption
    assert card.disruption["kind"] == ""
    await call(card, "remove_segment", 0)
    assert len(card.segments) == 1
    for _ in range(6):
        await call(card, "add_segment")
    assert len(card.segments) == 4 and card.segments[1]["departure"] == "JFK"
    await call(card, "set_field", "segment", "3")
    await call(card, "remove_segment", 3)
    assert card.disruption["segment"] == "0"
    await call(card, "search_airport", 1, "arrival", "heathrow")
    assert card.segments[1]["arrival"] == "heathrow"
    assert "LHR" in [a["code"] for a in card.airport_options]
    await call(card, "search_airport", 1, "owner", "x")
    await call(card, "cancel")
    assert not card.editing and card.airport_options == []


@pytest.mark.parametrize("who", ["claimant", "anonymous"])
@pytest.mark.parametrize("handler", ["save", "rerun"])
async def test_forged_calls_are_refused_and_audited(make: Any, who: str, handler: str) -> None:
    owner = make.user()
    claim_id = submitted_claim(owner)
    before = claim(claim_id)
    actor = owner if who == "claimant" else None
    card = await _card(actor, claim_id)
    assert not card.ready and card.summary == [] and card.segments == []
    await call(card, "edit")
    assert card.error and not card.editing and card.segments == []
    # What a forged client could have typed into a form it never got.
    card.segments = [{"flight_number": "AF6", "date": DAY, "departure": "CDG", "arrival": "JFK"}]
    card.disruption = {
        "kind": "delay",
        "airline_reason": "weather",
        "scheduled_arrival": f"{DAY}T13:05",
        "actual_arrival": f"{DAY}T13:10",
    }
    card.error = ""
    await call(card, handler)
    assert card.error and card.summary == [] and card.change == []
    after = claim(claim_id)
    assert (after.facts, after.verdict, after.updated_at) == (
        before.facts,
        before.verdict,
        before.updated_at,
    )
    # Loading the card was refused without a trace; the forged change left one entry.
    [entry] = entries()
    action = claim_facts_admin.CLAIM_FACTS if handler == "save" else audit.CLAIM_VERDICT
    assert entry.refused and entry.action == action and entry.target_id == claim_id
    assert entry.actor_id == (owner.id if actor else None) and entry.ip == "192.0.2.7"
    assert entry.note == ("error.forbidden" if actor else "error.not_authenticated")


async def test_the_claimant_page_shows_the_corrected_flights_and_nothing_of_the_card(
    make: Any,
) -> None:
    admin, owner = make.admin(), make.user()
    claim_id = submitted_claim(owner)
    card = await _card(admin, claim_id)
    await call(card, "edit")
    await call(card, "set_segment_field", 0, "flight_number", "AF8")
    await call(card, "save")
    assert card.error == ""
    page = make_state(ClaimPageState, token=_token(owner), path=f"/claims/{claim_id}")
    await call(page, "load")
    assert page.flights == "AF8"
    mine = await page.get_state(ClaimFactsState)
    assert not mine.ready and mine.summary == [] and mine.segments == []


async def test_a_closed_claim_shows_why_its_facts_cannot_be_corrected(make: Any) -> None:
    admin, owner = make.admin(locale="en"), make.user()
    claim_id = submitted_claim(owner)
    claim_admin.change_status(actor=admin, claim_id=claim_id, to_status="REJECTED")
    claim_admin.change_status(actor=admin, claim_id=claim_id, to_status="CLOSED")
    card = await _card(admin, claim_id, "en")
    assert card.ready and not card.editable and "closed or withdrawn" in card.locked
    await call(card, "edit")
    assert not card.editing
