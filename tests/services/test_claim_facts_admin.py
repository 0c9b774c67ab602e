"""The team corrects a claim's facts: the wizard's checks with their translated messages, one
transaction with its audit entry (all the facts before and after), refusals audited and leaving
nothing else, no correction on drafts or on claims nobody may move any more, no correction over
someone else's. The verdict is then re-run with ``claim_admin.rerun_verdict`` and the view says
what changed."""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta
from typing import Any

import pytest

from indemnisation.domain.channels import claim_channel
from indemnisation.domain.claim_status import Actor, ClaimStatus, allowed_transitions
from indemnisation.i18n import translate
from indemnisation.models.types import utcnow
from indemnisation.services import audit, claim_admin, claim_facts_admin
from indemnisation.services.claim_facts import DisruptionInput, SegmentInput
from indemnisation.services.claim_facts_admin import fingerprint, form_of
from indemnisation.services.errors import Forbidden, InvalidInput, NotAuthenticated, NotFound
from tests.claim_factory import eligible_draft, submitted_claim
from tests.services.audit_helpers import claim, entries, force_status
from tests.services.outcome_checks import assert_outcomes_and_tallies_right

DAY = "2026-03-14"
AF6 = SegmentInput("AF6", DAY, "CDG", "JFK")


def _delay(actual: str = f"{DAY}T16:35", **changes: Any) -> DisruptionInput:
    """AF6 due at 13:05; 16:35 is 3 h 30 late (half of 600 EUR), the factory's 17:15 4 h 10."""
    return replace(
        DisruptionInput("delay", "technical_fault", 0, f"{DAY}T13:05", actual), **changes
    )


def _correct(actor: Any, claim_id: int, **changes: Any) -> claim_facts_admin.Corrected:
    arguments: dict[str, Any] = {
        "segments": [AF6],
        "single_booking": True,
        "disruption": _delay(),
        "expected": fingerprint(claim(claim_id).facts),
    }
    arguments.update(changes)
    return claim_facts_admin.correct_facts(
        actor=actor, claim_id=claim_id, ip="198.51.100.4", **arguments
    )


# --- a correction, then the verdict computed again ------------------------------------------------


def test_an_admin_corrects_the_delay_and_the_rerun_shows_the_new_amount(make: Any) -> None:
    admin, owner = make.admin(full_name="Alice Admin"), make.user()
    claim_id = submitted_claim(owner)
    old = claim(claim_id)
    assert (old.eligibility, old.amount_per_passenger) == ("yes", 600)

    done = _correct(admin, claim_id)

    assert done.changed and [n.channel for n in done.notify] == [claim_channel(claim_id)]
    now = claim(claim_id)
    assert now.facts["disruption"]["times"] == {
        "scheduled_arrival": f"{DAY}T13:05",
        "actual_arrival": f"{DAY}T16:35",
    }
    assert now.verdict == old.verdict and now.amount_per_passenger == 600  # not re-run yet
    assert now.updated_at > old.updated_at
    [entry] = entries(action=claim_facts_admin.CLAIM_FACTS)
    assert not entry.refused and entry.actor_id == admin.id and entry.ip == "198.51.100.4"
    assert (entry.target_type, entry.target_id) == ("claim", claim_id)
    assert entry.before == old.facts and entry.after == now.facts
    view = claim_facts_admin.facts_view(actor=admin, claim_id=claim_id)
    assert view.verdict_stale and view.last_rerun is None

    claim_admin.rerun_verdict(actor=admin, claim_id=claim_id)

    assert claim(claim_id).amount_per_passenger == 300
    view = claim_facts_admin.facts_view(actor=admin, claim_id=claim_id)
    assert not view.verdict_stale
    change = view.last_rerun
    assert change is not None and change.by == "Alice Admin"
    assert (change.eligibility_before, change.eligibility_after) == ("yes", "yes")
    assert (change.amount_before, change.amount_after, change.currency) == (600, 300, "EUR")
    assert (change.reasons_added, change.reasons_removed) == (("reduction_long_delay",), ())


def test_a_correction_of_the_flights_updates_the_claims_columns(make: Any) -> None:
    admin, owner = make.admin(), make.user()
    claim_id = submitted_claim(owner)
    flights = [
        SegmentInput("kl 1228", "2026-03-13", "cdg", "AMS"),
        SegmentInput("KL641", "2026-03-14", "AMS", "JFK"),
    ]
    _correct(
        admin,
        claim_id,
        segments=flights,
        single_booking=False,
        disruption=DisruptionInput("cancellation", "weather", 1, notice_days="3"),
    )
    now = claim(claim_id)
    assert [s["flight_number"] for s in now.facts["segments"]] == ["KL1228", "KL641"]
    assert now.facts["single_booking"] is False and now.facts["jurisdiction"] == "FR"
    assert now.facts["disruption"] == {"type": "cancellation", "segment": 1, "notice_days": 3}
    assert now.facts["airline_reason"] == "weather"
    assert (now.route, now.flight_numbers, str(now.flight_date)) == (
        "CDG-AMS-JFK",
        "KL1228 KL641",
        "2026-03-13",
    )
    form = claim_facts_admin.facts_view(actor=admin, claim_id=claim_id).form
    assert form.segments[0] == SegmentInput("KL1228", "2026-03-13", "CDG", "AMS")
    kept = assert_outcomes_and_tallies_right()
    assert ("airline", "KL", "EUR") in kept and ("airline", "AF", "EUR") not in kept
    assert form.disruption == DisruptionInput("cancellation", "weather", 1, notice_days="3")


@pytest.mark.parametrize(
    "disruption",
    [
        _delay(),
        DisruptionInput(
            "cancellation",
            "none",
            0,
            notice_days="5",
            rerouted=True,
            rerouting_departure_earlier_minutes="-30",
            rerouting_arrival_delay_minutes="150",
        ),
        DisruptionInput("denied_boarding", "unknown", 0, denial="involuntary"),
        DisruptionInput("brought_forward", "atc_strike", 0, notice_days="2", minutes_earlier="90"),
    ],
)
def test_the_form_reads_back_what_was_stored(make: Any, disruption: DisruptionInput) -> None:
    admin, owner = make.admin(), make.user()
    claim_id = submitted_claim(owner)
    _correct(admin, claim_id, disruption=disruption)
    view = claim_facts_admin.facts_view(actor=admin, claim_id=claim_id)
    assert view.form == claim_facts_admin.FactsForm((AF6,), True, disruption)
    assert view.fingerprint == fingerprint(claim(claim_id).facts) and view.editable


def test_the_same_facts_again_change_nothing(make: Any) -> None:
    admin, owner = make.admin(), make.user()
    claim_id = submitted_claim(owner)
    before = claim(claim_id)
    done = _correct(admin, claim_id, disruption=_delay(f"{DAY}T17:15"))
    assert not done.changed and done.notify == ()
    assert claim(claim_id).updated_at == before.updated_at
    assert entries() == []


# --- each mistake, with the wizard's message ------------------------------------------------------

TOMORROW = (utcnow().date() + timedelta(days=2)).isoformat()
BAD_FLIGHTS = [
    ([SegmentInput("A", DAY, "CDG", "JFK")], "error.flight_number_invalid", "flight_number_0"),
    ([SegmentInput("QQ123", DAY, "CDG", "JFK")], "error.carrier_unknown", "flight_number_0"),
    ([SegmentInput("AF6", "14/03/2026", "CDG", "JFK")], "error.flight_date_invalid", "date_0"),
    ([SegmentInput("AF6", TOMORROW, "CDG", "JFK")], "error.flight_date_future", "date_0"),
    ([SegmentInput("AF6", DAY, "XXX", "JFK")], "error.airport_unknown", "departure_0"),
    ([SegmentInput("AF6", DAY, "CDG", "")], "error.airport_unknown", "arrival_0"),
    ([SegmentInput("AF6", DAY, "CDG", "CDG")], "error.airports_same", "arrival_0"),
    ([], "error.segments_none", "flight_number_0"),
    ([AF6] * 5, "error.segments_too_many", None),
    ([AF6, SegmentInput("AF7", DAY, "CDG", "ORY")], "error.segments_not_connected", "departure_1"),
    (
        [AF6, SegmentInput("AA100", "2026-03-13", "JFK", "LAX")],
        "error.segments_order",
        "date_1",
    ),
]
BAD_DISRUPTIONS = [
    (_delay(kind="storm"), "error.disruption_kind", "kind"),
    (_delay(airline_reason="aliens"), "error.reason_invalid", "airline_reason"),
    (_delay(segment=1), "error.segment_invalid", "segment"),
    (_delay(scheduled_arrival="13h05"), "error.time_invalid", "scheduled_arrival"),
    (_delay(actual=""), "error.time_invalid", "actual_arrival"),
    (_delay(actual=f"{DAY}T12:00"), "error.arrival_before_scheduled", "actual_arrival"),
    (DisruptionInput("cancellation", notice_days="three"), "error.number_invalid", "notice_days"),
    (DisruptionInput("cancellation", notice_days="400"), "error.number_range", "notice_days"),
    (DisruptionInput("denied_boarding", denial="grumpy"), "error.denial_invalid", "denial"),
    (
        DisruptionInput(
            "denied_boarding",
            denial="involuntary",
            rerouted=True,
            rerouting_departure_earlier_minutes="x",
        ),
        "error.number_invalid",
        "rerouting_departure_earlier_minutes",
    ),
    (
        DisruptionInput("brought_forward", notice_days="1", minutes_earlier="-5"),
        "error.number_range",
        "minutes_earlier",
    ),
]
INVALID = [({"segments": s}, c, f) for s, c, f in BAD_FLIGHTS] + [
    ({"disruption": d}, c, f) for d, c, f in BAD_DISRUPTIONS
]


@pytest.mark.parametrize(("changes", "code", "field"), INVALID)
def test_each_mistake_is_refused_with_its_field_and_nothing_changes(
    make: Any, changes: dict[str, Any], code: str, field: str | None
) -> None:
    admin, owner = make.admin(), make.user()
    claim_id = submitted_claim(owner)
    before = claim(claim_id)
    with pytest.raises(InvalidInput) as refused:
        _correct(admin, claim_id, **changes)
    assert (refused.value.code, refused.value.field) == (code, field)
    for locale in ("fr", "en"):
        assert translate(locale, code, **refused.value.params) != code
    after = claim(claim_id)
    assert (after.facts, after.route, after.updated_at) == (
        before.facts,
        before.route,
        before.updated_at,
    )
    [entry] = entries()
    assert entry.refused and entry.note == code and entry.actor_id == admin.id
    assert entry.action == claim_facts_admin.CLAIM_FACTS and entry.target_id == claim_id
    assert entry.after is not None and set(entry.after) == {"segments", "disruption"}


def test_the_messages_are_the_wizards_in_both_languages(make: Any) -> None:
    admin, owner = make.admin(), make.user()
    claim_id = submitted_claim(owner)
    with pytest.raises(InvalidInput) as refused:
        _correct(admin, claim_id, segments=[AF6, SegmentInput("AF7", DAY, "JFK", "JFK")])
    error = refused.value
    assert translate("fr", error.code, **error.params) == (
        "Vol 2 : les aéroports de départ et d'arrivée sont identiques."
    )
    assert translate("en", error.code, **error.params) == (
        "Flight 2: departure and arrival airports are the same."
    )


@pytest.mark.parametrize(
    "changes",
    [
        {"segments": "AF6"},
        {"segments": [{"flight_number": "AF6"}]},
        {"segments": [SegmentInput("AF6", DAY, "CDG", 3)]},  # type: ignore[arg-type]
        {"segments": [SegmentInput("AF6" * 40, DAY, "CDG", "JFK")]},
        {"single_booking": "yes"},
        {"disruption": None},
        {"disruption": _delay(segment="0")},
        {"disruption": _delay(segment=True)},
        {"disruption": _delay(rerouted="on")},
        {"segments": [SegmentInput("AF6\x00", DAY, "CDG", "JFK")]},
        {"disruption": _delay(actual=f"{DAY}T16:35\ud800")},
    ],
)
def test_arguments_of_the_wrong_kind_are_refused(make: Any, changes: dict[str, Any]) -> None:
    admin, owner = make.admin(), make.user()
    claim_id = submitted_claim(owner)
    before = claim(claim_id).facts
    with pytest.raises(InvalidInput) as refused:
        _correct(admin, claim_id, **changes)
    assert refused.value.code == "error.facts_malformed"
    assert claim(claim_id).facts == before
    [entry] = entries()
    assert entry.refused and entry.note == "error.facts_malformed"


# --- who, when, and over whose changes ------------------------------------------------------------


@pytest.mark.parametrize("who", ["owner", "other claimant", "anonymous"])
def test_claimants_and_anonymous_callers_are_refused_and_audited(make: Any, who: str) -> None:
    owner = make.user()
    claim_id = submitted_claim(owner)
    actor = {"owner": owner, "other claimant": make.user(), "anonymous": None}[who]
    before = claim(claim_id).facts
    error = NotAuthenticated if actor is None else Forbidden
    with pytest.raises(error):
        _correct(actor, claim_id)
    with pytest.raises(error):
        claim_facts_admin.facts_view(actor=actor, claim_id=claim_id)
    assert claim(claim_id).facts == before
    [entry] = entries()
    assert entry.refused and entry.action == claim_facts_admin.CLAIM_FACTS
    assert entry.actor_id == (actor.id if actor else None) and entry.ip == "198.51.100.4"
    assert entry.note == ("error.not_authenticated" if actor is None else "error.forbidden")
    assert entry.after == {"segments": [f"AF6 {DAY} CDG-JFK"], "disruption": "delay"}


def test_an_unknown_claim_is_not_found(make: Any) -> None:
    admin = make.admin()
    for claim_id in (10**6, "1", 2**40):
        with pytest.raises(NotFound):
            claim_facts_admin.correct_facts(
                actor=admin,
                claim_id=claim_id,
                segments=[AF6],
                single_booking=True,
                disruption=_delay(),
                expected="",
            )
    assert [e.refused for e in entries()] == [True, True, True]


@pytest.mark.parametrize("status", list(ClaimStatus))
def test_corrections_follow_the_claims_status(make: Any, status: ClaimStatus) -> None:
    admin, owner = make.admin(), make.user()
    claim_id = eligible_draft(owner) if status is ClaimStatus.DRAFT else submitted_claim(owner)
    force_status(claim_id, status)
    nobody_moves_it = not any(allowed_transitions(status, actor) for actor in Actor)
    view = claim_facts_admin.facts_view(actor=admin, claim_id=claim_id)
    if status is ClaimStatus.DRAFT or nobody_moves_it:
        code = "error.claim_not_submitted" if status is ClaimStatus.DRAFT else "error.facts_final"
        assert not view.editable and view.locked == code
        with pytest.raises(InvalidInput) as refused:
            _correct(admin, claim_id)
        assert refused.value.code == code
        assert claim(claim_id).facts["disruption"]["times"]["actual_arrival"].endswith("17:15")
    else:
        assert view.editable and view.locked == ""
        assert _correct(admin, claim_id).changed
    assert nobody_moves_it == (status in (ClaimStatus.CLOSED, ClaimStatus.WITHDRAWN))


def test_a_correction_made_from_old_facts_is_refused(make: Any) -> None:
    admin, colleague, owner = make.admin(), make.admin(), make.user()
    claim_id = submitted_claim(owner)
    seen = claim_facts_admin.facts_view(actor=admin, claim_id=claim_id).fingerprint
    _correct(colleague, claim_id, disruption=_delay(f"{DAY}T15:00"))
    with pytest.raises(InvalidInput) as refused:
        _correct(admin, claim_id, expected=seen)
    assert refused.value.code == "error.facts_changed_meanwhile"
    assert claim(claim_id).facts["disruption"]["times"]["actual_arrival"] == f"{DAY}T15:00"


def test_nothing_is_half_written_when_the_audit_entry_fails(make: Any, monkeypatch: Any) -> None:
    admin, owner = make.admin(), make.user()
    claim_id = submitted_claim(owner)
    before = claim(claim_id)

    def failing(*_: Any, **__: Any) -> None:
        raise RuntimeError("disk full")

    monkeypatch.setattr(audit, "record", failing)
    with pytest.raises(RuntimeError):
        _correct(admin, claim_id, segments=[SegmentInput("AF8", DAY, "CDG", "JFK")])
    after = claim(claim_id)
    assert (after.facts, after.flight_numbers, after.updated_at) == (
        before.facts,
        before.flight_numbers,
        before.updated_at,
    )


def test_a_refused_rerun_is_not_taken_for_the_last_rerun(make: Any) -> None:
    admin, owner = make.admin(), make.user()
    claim_id = submitted_claim(owner)
    claim_admin.rerun_verdict(actor=admin, claim_id=claim_id)
    _correct(admin, claim_id)
    with pytest.raises(Forbidden):
        claim_admin.rerun_verdict(actor=owner, claim_id=claim_id)
    view = claim_facts_admin.facts_view(actor=admin, claim_id=claim_id)
    assert view.verdict_stale
    assert view.last_rerun is not None and view.last_rerun.amount_after == 600


def test_form_of_tolerates_incomplete_facts() -> None:
    form = form_of({})
    assert form.segments == () and form.single_booking
    assert form.disruption == DisruptionInput("delay")
