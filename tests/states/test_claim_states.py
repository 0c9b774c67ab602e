"""Wizard, claim list and claim page handlers, called as a hostile client could: anonymous, on
someone else's claim, with forged arguments. Each is refused with a message and writes nothing."""

from __future__ import annotations

from typing import Any

import pytest

from indemnisation.services import accounts, claim_admin, claim_facts, claim_views, claims
from indemnisation.services.claim_facts import SegmentInput
from indemnisation.states.claim_display import claim_id_in
from indemnisation.states.claim_page import ClaimPageState
from indemnisation.states.claims_list import ClaimsListState
from indemnisation.states.wizard import WizardState
from tests.claim_factory import eligible_draft, submitted_claim
from tests.conftest import PASSWORD
from tests.states.harness import call, make_state, redirect_target

WRITE_HANDLERS = [
    ("save_flights", ()),
    ("save_disruption", ()),
    ("save_passengers", ()),
    ("delete_draft", ()),
    ("remove_document", ("1",)),
    ("submit", ({"signer_name": "Victim Person", "consent": "on"},)),
]


def _victim_claim(make: Any) -> tuple[Any, int]:
    victim = make.user(full_name="Victim Person")
    claim_id = claims.create_draft(actor=victim)
    claim_facts.save_flights(
        actor=victim,
        claim_id=claim_id,
        single_booking=True,
        segments=[SegmentInput("AF6", "2026-03-14", "CDG", "JFK")],
    )
    return victim, claim_id


def _wizard(token: str, claim_id: int) -> WizardState:
    state = make_state(WizardState, token=token, path=f"/claims/{claim_id}/edit")
    state.claim_id = claim_id
    state.segments = [
        {"flight_number": "LH400", "date": "2026-03-14", "departure": "FRA", "arrival": "JFK"}
    ]
    state.passengers = [
        {"full_name": "Mallory", "email": "m@example.org", "phone": "", "is_minor": ""}
    ]
    return state


@pytest.mark.parametrize(("handler", "args"), WRITE_HANDLERS)
async def test_anonymous_and_other_claimants_cannot_touch_a_claim(
    make: Any, handler: str, args: tuple[Any, ...]
) -> None:
    victim, claim_id = _victim_claim(make)
    mallory = make.user()
    before = claim_views.claim_detail(actor=victim, claim_id=claim_id)
    for token in ("", accounts.login(email=mallory.email, password=PASSWORD).token):
        state = _wizard(token, claim_id)
        result = await call(state, handler, *args)
        assert redirect_target(result) is None
        assert state.error, (handler, token[:4])
    after = claim_views.claim_detail(actor=victim, claim_id=claim_id)
    assert after == before


async def test_loading_someone_elses_draft_sends_back_to_the_list(make: Any) -> None:
    _, claim_id = _victim_claim(make)
    mallory = make.user()
    state = make_state(
        WizardState,
        path=f"/claims/{claim_id}/edit",
        token=accounts.login(email=mallory.email, password=PASSWORD).token,
    )
    assert redirect_target(await call(state, "load")) == "/claims"
    assert state.claim_id == 0 and state.segments[0]["flight_number"] == ""


@pytest.mark.parametrize(
    ("handler", "args"),
    [
        ("set_segment_field", (5, "flight_number", "X")),
        ("set_segment_field", (0, "__class__", "X")),
        ("set_segment_field", ("0", "flight_number", "X")),
        ("set_segment_field", (0, "flight_number", {"a": 1})),
        ("remove_segment", (0,)),
        ("set_passenger_field", (3, "full_name", "X")),
        ("remove_passenger", (0,)),
        ("search_airport", ("owner_id", 0, "paris")),
        ("search_airport", ("departure", 9, "paris")),
        ("go_to", (6,)),
        ("go_to", ("2",)),
        ("set_disruption_field", ("verdict", "yes")),
        ("set_upload_kind", ("MANDATE",)),
        ("on_progress", ("100",)),
    ],
)
async def test_forged_arguments_change_nothing(handler: str, args: tuple[Any, ...]) -> None:
    state = make_state(WizardState)
    before = {
        name: getattr(state, name)
        for name in (
            "segments",
            "passengers",
            "step",
            "disruption",
            "upload_kind",
            "airport_options",
            "upload_progress",
        )
    }
    await call(state, handler, *args)
    after = {name: getattr(state, name) for name in before}
    assert after == before


async def test_airport_autocomplete_offers_major_airports_first() -> None:
    state = make_state(WizardState)
    await call(state, "search_airport", "departure", 0, "paris")
    assert state.airport_options[0]["code"] in {"CDG", "ORY"}
    await call(state, "choose_airport", "CDG")
    assert state.segments[0]["departure"] == "CDG" and state.airport_options == []


async def test_admins_cannot_start_a_claim_and_claimants_can(make: Any) -> None:
    admin, claimant = make.admin(), make.user()
    state = make_state(
        ClaimsListState, token=accounts.login(email=admin.email, password=PASSWORD).token
    )
    assert await call(state, "new_claim") is None
    assert state.error
    state = make_state(
        ClaimsListState, token=accounts.login(email=claimant.email, password=PASSWORD).token
    )
    target = redirect_target(await call(state, "new_claim"))
    assert target is not None and target.endswith("/edit")


async def test_claim_page_hides_other_peoples_claims(make: Any) -> None:
    _, claim_id = _victim_claim(make)
    mallory = make.user()
    state = make_state(
        ClaimPageState,
        path=f"/claims/{claim_id}",
        token=accounts.login(email=mallory.email, password=PASSWORD).token,
    )
    await call(state, "load")
    assert state.found is False and state.route == "" and state.documents == []
    state.claim_id = claim_id
    await call(state, "withdraw")
    assert state.error


async def test_a_flight_past_the_time_limit_gets_a_warning_with_the_deadline(make: Any) -> None:
    user = make.user()
    claim_id = eligible_draft(user, reason="none", day="2018-03-14")
    state = make_state(
        WizardState,
        path=f"/claims/{claim_id}/edit",
        token=accounts.login(email=user.email, password=PASSWORD).token,
    )
    await call(state, "load")
    assert state.deadline_passed is True
    assert state.deadline == "14 mars 2023"


@pytest.mark.parametrize(
    ("path", "expected"),
    [
        ("/claims/12", 12),
        ("/claims/12/edit", 12),
        ("/claims/12/", 12),
        ("/claims/x", 0),
        ("/claims/", 0),
        ("/admin/claims/3", 3),
        ("/admin/users/3", 0),
        ("/x/claims/3", 0),
        ("/claims/1234567890", 0),
    ],
)
def test_claim_id_comes_only_from_a_claims_path(path: str, expected: int) -> None:
    assert claim_id_in(path) == expected


async def test_claimant_page_shows_review_reasons_and_status_notes(make: Any) -> None:
    owner, admin = make.user(), make.admin()
    claim_id = submitted_claim(owner)
    document = claim_views.claim_detail(actor=owner, claim_id=claim_id).documents[0]
    claim_admin.review_document(
        actor=admin,
        claim_id=claim_id,
        document_id=document.id,
        decision="reject",
        reason="Illisible, merci d'en envoyer une photo nette.",
    )
    token = accounts.login(email=owner.email, password=PASSWORD).token
    state = make_state(ClaimPageState, token=token, path=f"/claims/{claim_id}")
    await call(state, "load")
    assert state.status == "NEEDS_INFO" and state.needs_info
    row = state.documents[0]
    assert row["review"] == "REJECTED" and row["review_label"]
    assert row["review_reason"].startswith("Illisible")
    claim_admin.change_status(
        actor=admin,
        claim_id=claim_id,
        to_status="IN_REVIEW",
        note="Merci, nous reprenons le dossier.",
    )
    await call(state, "load")
    assert state.timeline[0]["note"] == "Merci, nous reprenons le dossier."
