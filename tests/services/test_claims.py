"""Claims for their owner: drafts, the flights and what-happened steps, verdict, passengers,
withdrawal, and who may touch what (anonymous, owner, another claimant, admin)."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from sqlmodel import select

from indemnisation.db import session_scope
from indemnisation.domain.claim_status import ClaimStatus
from indemnisation.models import Claim, ClaimEvent
from indemnisation.models.types import utcnow
from indemnisation.services import claim_facts, claim_views, claims
from indemnisation.services.claim_facts import DisruptionInput, SegmentInput
from indemnisation.services.claims import PassengerInput
from indemnisation.services.errors import Forbidden, InvalidInput, NotAuthenticated, NotFound

AF6 = SegmentInput("AF 006", "2026-03-14", "cdg", "JFK")
LONG_DELAY = DisruptionInput(
    kind="delay",
    airline_reason="technical_fault",
    scheduled_arrival="2026-03-14T13:05",
    actual_arrival="2026-03-14T17:15",
)


def draft_with_verdict(owner: Any, disruption: DisruptionInput = LONG_DELAY) -> int:
    claim_id = claims.create_draft(actor=owner)
    claim_facts.save_flights(actor=owner, claim_id=claim_id, segments=[AF6], single_booking=True)
    claim_facts.save_disruption(actor=owner, claim_id=claim_id, disruption=disruption)
    return claim_id


def test_long_haul_delay_is_worth_600_eur_per_passenger(make: Any) -> None:
    owner = make.user()
    claim_id = draft_with_verdict(owner)
    detail = claim_views.claim_detail(actor=owner, claim_id=claim_id)
    assert detail.summary.status is ClaimStatus.DRAFT
    assert (detail.summary.route, detail.summary.flight_numbers) == ("CDG-JFK", "AF6")
    assert detail.verdict is not None and detail.verdict["eligible"] == "yes"
    assert detail.verdict["per_passenger"] == {"amount": "600.00", "currency": "EUR"}
    assert detail.summary.total == 600
    assert detail.passengers[0].email == owner.email


def test_passengers_scale_the_amount(make: Any) -> None:
    owner = make.user()
    claim_id = draft_with_verdict(owner)
    claims.save_passengers(
        actor=owner,
        claim_id=claim_id,
        passengers=[
            PassengerInput(owner.full_name, owner.email),
            PassengerInput("Léa Martin", "lea@example.org"),
            PassengerInput("Tom Martin", is_minor=True),
        ],
    )
    detail = claim_views.claim_detail(actor=owner, claim_id=claim_id)
    assert [p.full_name for p in detail.passengers] == [owner.full_name, "Léa Martin", "Tom Martin"]
    assert detail.summary.total == 1800


@pytest.mark.parametrize(
    ("segment", "code", "field"),
    [
        (
            SegmentInput("A", "2026-03-14", "CDG", "JFK"),
            "error.flight_number_invalid",
            "flight_number_0",
        ),
        (
            SegmentInput("ZZ9", "2026-03-14", "CDG", "JFK"),
            "error.carrier_unknown",
            "flight_number_0",
        ),
        (SegmentInput("AF6", "14/03/2026", "CDG", "JFK"), "error.flight_date_invalid", "date_0"),
        (SegmentInput("AF6", "2026-03-14", "XXX", "JFK"), "error.airport_unknown", "departure_0"),
        (SegmentInput("AF6", "2026-03-14", "CDG", ""), "error.airport_unknown", "arrival_0"),
        (SegmentInput("AF6", "2026-03-14", "CDG", "cdg"), "error.airports_same", "arrival_0"),
    ],
)
def test_bad_flights_are_refused_by_field_and_the_draft_keeps_its_facts(
    make: Any, segment: SegmentInput, code: str, field: str
) -> None:
    owner = make.user()
    claim_id = draft_with_verdict(owner)
    with pytest.raises(InvalidInput) as caught:
        claim_facts.save_flights(
            actor=owner, claim_id=claim_id, segments=[segment], single_booking=True
        )
    assert (caught.value.code, caught.value.field) == (code, field)
    detail = claim_views.claim_detail(actor=owner, claim_id=claim_id)
    assert detail.facts["segments"][0]["flight_number"] == "AF6"
    assert detail.verdict is not None


def test_a_future_flight_is_refused(make: Any) -> None:
    owner = make.user()
    claim_id = claims.create_draft(actor=owner)
    tomorrow = (utcnow() + timedelta(days=2)).date().isoformat()
    with pytest.raises(InvalidInput) as caught:
        claim_facts.save_flights(
            actor=owner,
            claim_id=claim_id,
            segments=[SegmentInput("AF6", tomorrow, "CDG", "JFK")],
            single_booking=True,
        )
    assert caught.value.code == "error.flight_date_future"


def test_connections_must_connect(make: Any) -> None:
    owner = make.user()
    claim_id = claims.create_draft(actor=owner)
    with pytest.raises(InvalidInput) as caught:
        claim_facts.save_flights(
            actor=owner,
            claim_id=claim_id,
            single_booking=True,
            segments=[
                SegmentInput("LH1029", "2026-03-14", "CDG", "FRA"),
                SegmentInput("LH400", "2026-03-14", "MUC", "JFK"),
            ],
        )
    assert (caught.value.code, caught.value.field) == (
        "error.segments_not_connected",
        "departure_1",
    )
    claim_facts.save_flights(
        actor=owner,
        claim_id=claim_id,
        single_booking=True,
        segments=[
            SegmentInput("LH1029", "2026-03-14", "CDG", "FRA"),
            SegmentInput("LH400", "2026-03-14", "FRA", "JFK"),
        ],
    )
    assert claim_views.claim_detail(actor=owner, claim_id=claim_id).summary.route == "CDG-FRA-JFK"


@pytest.mark.parametrize(
    ("disruption", "eligibility"),
    [
        (DisruptionInput("delay", "none", 0, "2026-03-14T13:05", "2026-03-14T16:04"), "no"),
        (DisruptionInput("delay", "none", 0, "2026-03-14T13:05", "2026-03-14T16:05"), "yes"),
        (DisruptionInput("delay", "weather", 0, "2026-03-14T13:05", "2026-03-14T18:00"), "no"),
        (
            DisruptionInput("delay", "bird_strike", 0, "2026-03-14T13:05", "2026-03-14T18:00"),
            "uncertain",
        ),
        (DisruptionInput("cancellation", notice_days="3"), "yes"),
        (DisruptionInput("cancellation", notice_days="14"), "no"),
        (DisruptionInput("denied_boarding", denial="involuntary"), "yes"),
        (DisruptionInput("denied_boarding", denial="voluntary"), "no"),
    ],
)
def test_verdict_for_what_happened(
    make: Any, disruption: DisruptionInput, eligibility: str
) -> None:
    owner = make.user()
    claim_id = claims.create_draft(actor=owner)
    claim_facts.save_flights(actor=owner, claim_id=claim_id, segments=[AF6], single_booking=True)
    assert (
        claim_facts.save_disruption(actor=owner, claim_id=claim_id, disruption=disruption)
        == eligibility
    )


@pytest.mark.parametrize(
    ("disruption", "code", "field"),
    [
        (DisruptionInput("storm"), "error.disruption_kind", "kind"),
        (DisruptionInput("delay", "aliens"), "error.reason_invalid", "airline_reason"),
        (
            DisruptionInput("delay", "none", 0, "soon", "later"),
            "error.time_invalid",
            "scheduled_arrival",
        ),
        (
            DisruptionInput("delay", "none", 0, "2026-03-14T13:05", "2026-03-14T12:00"),
            "error.arrival_before_scheduled",
            "actual_arrival",
        ),
        (DisruptionInput("cancellation", notice_days="-1"), "error.number_range", "notice_days"),
        (DisruptionInput("cancellation", notice_days="two"), "error.number_invalid", "notice_days"),
        (DisruptionInput("delay", segment=5), "error.segment_invalid", "segment"),
        (DisruptionInput("denied_boarding", denial="maybe"), "error.denial_invalid", "denial"),
    ],
)
def test_bad_disruptions_are_refused_and_the_verdict_stays(
    make: Any, disruption: DisruptionInput, code: str, field: str
) -> None:
    owner = make.user()
    claim_id = draft_with_verdict(owner)
    with pytest.raises(InvalidInput) as caught:
        claim_facts.save_disruption(actor=owner, claim_id=claim_id, disruption=disruption)
    assert (caught.value.code, caught.value.field) == (code, field)
    assert claim_views.claim_detail(actor=owner, claim_id=claim_id).verdict["eligible"] == "yes"  # type: ignore[index]


@pytest.mark.parametrize(
    ("passengers", "code"),
    [
        ([], "error.passengers_none"),
        ([PassengerInput("")], "error.passenger_name"),
        ([PassengerInput("Kid", is_minor=True)], "error.claimant_minor"),
        ([PassengerInput("Adult Person", "not-an-email")], "error.passenger_email"),
        (
            [PassengerInput(f"P {i}", f"p{i}@example.org") for i in range(10)],
            "error.passengers_too_many",
        ),
    ],
)
def test_bad_passenger_lists_are_refused(
    make: Any, passengers: list[PassengerInput], code: str
) -> None:
    owner = make.user()
    claim_id = draft_with_verdict(owner)
    with pytest.raises(InvalidInput) as caught:
        claims.save_passengers(actor=owner, claim_id=claim_id, passengers=passengers)
    assert caught.value.code == code
    assert len(claim_views.claim_detail(actor=owner, claim_id=claim_id).passengers) == 1


def test_who_may_see_and_change_a_claim(make: Any) -> None:
    owner, other, admin = make.user(), make.user(), make.admin()
    claim_id = draft_with_verdict(owner)
    with pytest.raises(NotAuthenticated):
        claim_views.claim_detail(actor=None, claim_id=claim_id)
    with pytest.raises(NotFound):
        claim_views.claim_detail(actor=other, claim_id=claim_id)
    assert claim_views.claim_detail(actor=admin, claim_id=claim_id).summary.id == claim_id
    for actor in (other, admin):
        with pytest.raises((NotFound, InvalidInput)):
            claim_facts.save_flights(
                actor=actor, claim_id=claim_id, segments=[AF6], single_booking=True
            )
        with pytest.raises((NotFound, InvalidInput)):
            claims.delete_draft(actor=actor, claim_id=claim_id)
    with pytest.raises(Forbidden):
        claims.create_draft(actor=admin)
    assert claim_views.list_claims(actor=other) == []
    assert [c.id for c in claim_views.list_claims(actor=owner)] == [claim_id]


@pytest.mark.parametrize("forged", [0, -1, "1", 1.0, None, True, [1], 10**12])
def test_forged_claim_ids_are_not_found(make: Any, forged: Any) -> None:
    owner = make.user()
    draft_with_verdict(owner)
    with pytest.raises(NotFound):
        claim_views.claim_detail(actor=owner, claim_id=forged)


def test_drafts_can_be_deleted_by_their_owner(make: Any) -> None:
    owner = make.user()
    claim_id = draft_with_verdict(owner)
    claims.delete_draft(actor=owner, claim_id=claim_id)
    assert claim_views.list_claims(actor=owner) == []


def test_withdrawal_only_before_the_airline(make: Any) -> None:
    owner, admin = make.user(), make.admin()
    claim_id = draft_with_verdict(owner)
    with pytest.raises(InvalidInput):
        claims.withdraw(actor=owner, claim_id=claim_id)  # a draft is deleted, not withdrawn
    with session_scope() as session:
        claim = session.get(Claim, claim_id)
        assert claim is not None
        claims.record_event(session, claim, ClaimStatus.SUBMITTED, owner)
        session.commit()
    with pytest.raises(InvalidInput):
        claims.withdraw(actor=admin, claim_id=claim_id)
    claims.withdraw(actor=owner, claim_id=claim_id)
    detail = claim_views.claim_detail(actor=owner, claim_id=claim_id)
    assert detail.summary.status is ClaimStatus.WITHDRAWN
    assert [(e.from_status, e.to_status, e.by_team) for e in detail.events] == [
        ("DRAFT", "SUBMITTED", False),
        ("SUBMITTED", "WITHDRAWN", False),
    ]
    with session_scope() as session:
        assert len(session.exec(select(ClaimEvent)).all()) == 2
