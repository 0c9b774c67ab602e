"""Extraordinary circumstances, Art. 5(3), and the rulings behind each airline reason."""

from __future__ import annotations

import pytest

from indemnisation.domain.eligibility import AirlineReason, Cancellation, Delay, Eligibility, assess

from .builders import case, codes, seg

R = AirlineReason


@pytest.mark.parametrize(
    ("reason", "eligible", "cited"),
    [
        (R.NONE, Eligibility.YES, ()),
        (R.UNKNOWN, Eligibility.YES, ()),
        (R.TECHNICAL_FAULT, Eligibility.YES, ("C-549/07", "C-257/14")),
        (R.CREW_ILLNESS, Eligibility.YES, ("C-156/22",)),
        (R.OWN_STAFF_STRIKE, Eligibility.YES, ("C-195/17", "C-28/20")),
        (R.THIRD_PARTY_STRIKE, Eligibility.NO, ("C-28/20",)),
        (R.ATC_STRIKE, Eligibility.NO, ()),
        (R.ATC_RESTRICTION, Eligibility.NO, ()),
        (R.WEATHER, Eligibility.NO, ()),
        (R.SECURITY, Eligibility.NO, ()),
        (R.POLITICAL_INSTABILITY, Eligibility.NO, ()),
        (R.MEDICAL_EMERGENCY, Eligibility.NO, ()),
        (R.UNRULY_PASSENGER, Eligibility.NO, ("C-74/19",)),
        (R.AIRPORT_FUEL_SYSTEM, Eligibility.NO, ("C-308/21",)),
        (R.FUEL_ON_RUNWAY, Eligibility.NO, ("C-159/18",)),
        (R.BIRD_STRIKE, Eligibility.UNCERTAIN, ("C-315/15",)),
        (R.RUNWAY_DEBRIS, Eligibility.UNCERTAIN, ("C-501/17",)),
    ],
)
def test_each_reason(reason: AirlineReason, eligible: Eligibility, cited: tuple[str, ...]) -> None:
    verdict = assess(
        case(seg("CDG", "NCE"), disruption=Delay(arrival_delay_minutes=200), reason=reason)
    )
    assert verdict.eligible is eligible
    explained = next(r for r in verdict.reasons if r.code == f"circumstance_{reason.value}")
    assert "Art. 5(3)" in explained.reference
    for ruling in cited:
        assert ruling in explained.reference
    assert explained.fr and explained.en


def test_every_reason_has_data() -> None:
    for reason in AirlineReason:
        verdict = assess(case(seg("CDG", "NCE"), disruption=Cancellation(1), reason=reason))
        assert f"circumstance_{reason.value}" in codes(verdict.reasons)


@pytest.mark.parametrize("reason", [R.BIRD_STRIKE, R.RUNWAY_DEBRIS])
def test_depends_reasons_ask_about_reasonable_measures_and_keep_the_amount(
    reason: AirlineReason,
) -> None:
    verdict = assess(case(seg("CDG", "NCE"), disruption=Cancellation(1), reason=reason))
    assert codes(verdict.open_questions) == ["reasonable_measures_question"]
    assert verdict.per_passenger is not None
    assert verdict.claim_deadline is not None and verdict.documents


@pytest.mark.parametrize("reason", [R.WEATHER, R.THIRD_PARTY_STRIKE, R.SECURITY])
def test_extraordinary_reasons_are_explained_honestly(reason: AirlineReason) -> None:
    verdict = assess(case(seg("CDG", "NCE"), disruption=Cancellation(1), reason=reason))
    assert verdict.per_passenger is None and verdict.documents == ()
    explained = next(r for r in verdict.reasons if r.code.startswith("circumstance_"))
    assert "prove" in explained.en and "reasonable measures" in explained.en
    assert "prouv" in explained.fr and "mesures raisonnables" in explained.fr


def test_circumstances_are_not_weighed_when_nothing_is_due() -> None:
    verdict = assess(
        case(
            seg("CDG", "NCE"), disruption=Delay(arrival_delay_minutes=60), reason=R.TECHNICAL_FAULT
        )
    )
    assert not any(code.startswith("circumstance_") for code in codes(verdict.reasons))


def test_unknown_delay_with_an_extraordinary_reason_is_not_due() -> None:
    verdict = assess(case(seg("CDG", "NCE"), disruption=Delay(), reason=R.WEATHER))
    assert verdict.eligible is Eligibility.NO
