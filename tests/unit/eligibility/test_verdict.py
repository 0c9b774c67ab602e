"""The verdict as a whole: regime choice, totals, documents, JSON, and the data files."""

from __future__ import annotations

import json
from decimal import Decimal
from importlib import resources

import pytest

from indemnisation.domain.eligibility import (
    AirlineReason,
    BoardingDenial,
    Cancellation,
    Delay,
    DeniedBoarding,
    Eligibility,
    Regime,
    Rerouting,
    assess,
)
from indemnisation.domain.eligibility.data import legal_data

from .builders import case, codes, seg


@pytest.mark.parametrize(
    ("jurisdiction", "regime", "amount", "currency"),
    [
        ("FR", Regime.EU261, "250", "EUR"),
        ("GB", Regime.UK261, "220", "GBP"),
        ("GB-SCT", Regime.UK261, "220", "GBP"),
        ("US", Regime.UK261, "220", "GBP"),  # neither home regime: 220 GBP is worth more
    ],
)
def test_both_regimes_listed_and_best_chosen(
    jurisdiction: str, regime: Regime, amount: str, currency: str
) -> None:
    verdict = assess(
        case(
            seg("CDG", "LHR", "BA"),
            disruption=Delay(arrival_delay_minutes=200),
            jurisdiction=jurisdiction,
        )
    )
    assert verdict.applicable == (Regime.EU261, Regime.UK261)
    assert [outcome.regime for outcome in verdict.outcomes] == [Regime.EU261, Regime.UK261]
    assert verdict.regime is regime
    assert verdict.per_passenger is not None
    assert (verdict.per_passenger.amount, verdict.per_passenger.currency) == (
        Decimal(amount),
        currency,
    )
    assert "scope_both" in codes(verdict.reasons)


def test_totals_multiply_the_per_passenger_amount() -> None:
    full = assess(case(seg("CDG", "ATH"), disruption=Cancellation(1), passengers=3))
    halved = assess(
        case(
            seg("CDG", "ATH"), disruption=Cancellation(1, rerouting=Rerouting(90, 60)), passengers=3
        )
    )
    assert full.total is not None and full.total.amount == Decimal("1200")
    assert halved.total is not None and halved.total.amount == Decimal("600")
    assert halved.reduced and not full.reduced


def test_uk261_flags_cjeu_rulings_after_2020() -> None:
    strike = assess(
        case(
            seg("LHR", "JFK", "DL"),
            disruption=Cancellation(1),
            reason=AirlineReason.OWN_STAFF_STRIKE,
        )
    )
    fault = assess(
        case(
            seg("LHR", "JFK", "DL"),
            disruption=Cancellation(1),
            reason=AirlineReason.TECHNICAL_FAULT,
        )
    )
    eu_strike = assess(
        case(
            seg("CDG", "JFK", "DL"),
            disruption=Cancellation(1),
            reason=AirlineReason.OWN_STAFF_STRIKE,
        )
    )
    note = next(r for r in strike.reasons if r.code == "uk_later_rulings")
    assert "C-28/20" in note.en and "C-195/17" not in note.en
    assert "uk_later_rulings" not in codes(fault.reasons)
    assert "uk_later_rulings" not in codes(eu_strike.reasons)


@pytest.mark.parametrize(
    ("verdict_case", "expected", "absent"),
    [
        (
            case(seg("CDG", "NCE"), disruption=Delay(arrival_delay_minutes=200)),
            {"boarding_pass", "proof_of_arrival_time"},
            {"cancellation_notice"},
        ),
        (
            case(seg("CDG", "NCE"), disruption=Cancellation(1)),
            {"cancellation_notice"},
            {"rerouting_ticket"},
        ),
        (
            case(seg("CDG", "NCE"), disruption=Cancellation(1, rerouting=Rerouting(0, 300))),
            {"rerouting_ticket"},
            set(),
        ),
        (
            case(seg("CDG", "NCE"), disruption=DeniedBoarding(BoardingDenial.INVOLUNTARY)),
            {"check_in_proof", "denied_boarding_statement"},
            set(),
        ),
        (
            case(seg("CDG", "NCE"), disruption=Delay(arrival_delay_minutes=200), passengers=2),
            {"co_passenger_mandates"},
            set(),
        ),
        (
            case(
                seg("CDG", "NCE", booking="A"),
                disruption=Delay(arrival_delay_minutes=200),
                single_booking=False,
            ),
            {"all_booking_confirmations"},
            set(),
        ),
    ],
)
def test_documents_depend_on_the_case(verdict_case, expected: set[str], absent: set[str]) -> None:  # type: ignore[no-untyped-def]
    documents = {document.code for document in assess(verdict_case).documents}
    assert {"booking_confirmation", "identity_document", "mandate"} <= documents
    assert expected <= documents
    assert not absent & documents
    assert all(doc.fr and doc.en for doc in assess(verdict_case).documents)


def test_no_documents_when_nothing_is_due() -> None:
    assert (
        assess(case(seg("CDG", "NCE"), disruption=Delay(arrival_delay_minutes=10))).documents == ()
    )


def test_to_dict_is_plain_json() -> None:
    verdict = assess(
        case(seg("CDG", "JFK"), disruption=Delay(arrival_delay_minutes=250), passengers=2)
    )
    data = json.loads(json.dumps(verdict.to_dict()))
    assert data["regime"] == "EU261" and data["eligible"] == "yes"
    assert data["per_passenger"] == {"amount": "600.00", "currency": "EUR"}
    assert data["total"] == {"amount": "1200.00", "currency": "EUR"}
    assert data["distance_km"] == 5833.6
    assert data["claim_deadline"] == "2030-06-01"
    assert all({"code", "reference", "fr", "en"} == set(r) for r in data["reasons"])
    assert data["outcomes"][0]["regime"] == "EU261"


def test_no_regime_to_dict() -> None:
    data = assess(case(seg("JFK", "LAX", "AA"))).to_dict()
    assert (
        data["regime"] == "none"
        and data["per_passenger"] is None
        and data["claim_deadline"] is None
    )


def test_every_data_file_is_versioned_and_sourced() -> None:
    folder = resources.files("indemnisation.domain.eligibility").joinpath("data")
    names = sorted(item.name for item in folder.iterdir() if item.name.endswith(".json"))
    assert len(names) == len(legal_data().versions) == 9
    for name in names:
        content = json.loads(folder.joinpath(name).read_text(encoding="utf-8"))
        assert content["version"] and len(content["source"]) > 20, name


def test_airline_table_is_clean() -> None:
    folder = resources.files("indemnisation.domain.eligibility").joinpath("data")
    rows = json.loads(folder.joinpath("airlines.json").read_text(encoding="utf-8"))["airlines"]
    assert len(rows) == len(legal_data().carriers) >= 200
    assert all(len(row["iata"]) == 2 and len(row["country"]) == 2 for row in rows)
    assert legal_data().carriers["AF"].country == "FR"
    assert legal_data().carriers["BA"].country == "GB"


def test_every_french_overseas_department_is_eu_territory() -> None:
    assert {"RE", "GP", "MQ", "GF", "YT", "MF"} <= legal_data().eu
    assert not {"PF", "NC", "BL", "PM", "GI", "JE"} & (legal_data().eu261 | legal_data().uk)


def test_uncertain_verdict_keeps_the_amount_at_stake() -> None:
    verdict = assess(
        case(seg("CDG", "NCE"), disruption=Cancellation(2), reason=AirlineReason.BIRD_STRIKE)
    )
    assert verdict.eligible is Eligibility.UNCERTAIN
    assert verdict.per_passenger is not None and verdict.per_passenger.amount == Decimal("250")


def test_verdict_records_the_data_versions_used() -> None:
    data = assess(case(seg("CDG", "NCE"), disruption=Delay(arrival_delay_minutes=200))).to_dict()
    assert set(data["data_versions"]) >= {"amounts", "reasons", "time_limits", "airlines"}
    assert all(data["data_versions"].values())
