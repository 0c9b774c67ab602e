"""Art. 3 of EU261 and UK261: which regulation covers which journey."""

from __future__ import annotations

import pytest

from indemnisation.domain.eligibility import Delay, Eligibility, Regime, assess
from indemnisation.domain.eligibility.scope import applicable_regimes

from .builders import airport, carrier, case, codes, seg

EU, UK = Regime.EU261, Regime.UK261


@pytest.mark.parametrize(
    ("origin", "destination", "airline", "expected"),
    [
        # departure from the EU/EEA/CH: any carrier
        ("CDG", "JFK", "AF", (EU,)),
        ("CDG", "JFK", "DL", (EU,)),
        ("OSL", "JFK", "DY", (EU,)),
        ("ZRH", "JFK", "LX", (EU,)),
        ("RUN", "CDG", "AF", (EU,)),
        ("PTP", "ORY", "TX", (EU,)),
        # arrival in the EU/EEA/CH from outside: only on a Community carrier
        ("JFK", "CDG", "AF", (EU,)),
        ("JFK", "ZRH", "LX", (EU,)),
        ("DXB", "RUN", "UU", (EU,)),
        ("JFK", "CDG", "DL", ()),
        ("DXB", "RUN", "EK", ()),
        # UK261: departure from the UK on any carrier
        ("LHR", "JFK", "DL", (UK,)),
        ("LHR", "EDI", "BA", (UK,)),
        # UK261: arrival in the UK on a UK or EU carrier
        ("JFK", "LHR", "BA", (UK,)),
        ("JFK", "LHR", "AF", (UK,)),
        ("JFK", "LHR", "DL", ()),
        ("JFK", "LHR", "DY", ()),  # UK261 counts EU member states' carriers only
        # UK261: arrival in an EU member state on a UK carrier
        ("JFK", "CDG", "BA", (UK,)),
        ("JFK", "ZRH", "BA", ()),
        ("JFK", "OSL", "BA", ()),
        # routes under both
        ("CDG", "LHR", "BA", (EU, UK)),
        ("CDG", "LHR", "AF", (EU, UK)),
        ("LHR", "CDG", "AF", (EU, UK)),
        ("CDG", "FCO", "U2", (EU, UK)),
        # one only
        ("LHR", "CDG", "BA", (UK,)),
        ("CDG", "LHR", "DL", (EU,)),
        # neither
        ("PPT", "LAX", "TN", ()),
        ("JFK", "LAX", "AA", ()),
        ("GIB", "JFK", "BA", ()),
    ],
)
def test_scope_matrix(
    origin: str, destination: str, airline: str, expected: tuple[Regime, ...]
) -> None:
    scope = applicable_regimes(airport(origin), airport(destination), carrier(airline))
    assert scope.regimes == expected


def test_arrival_on_non_eu_carrier_says_why() -> None:
    scope = applicable_regimes(airport("JFK"), airport("CDG"), carrier("DL"))
    assert codes(scope.reasons) == ["scope_eu_arrival_other_carrier"]
    assert "Delta Air Lines (licence: US)" in scope.reasons[0].en


def test_no_regime_gives_no_compensation_and_no_deadline() -> None:
    verdict = assess(case(seg("JFK", "LAX", "AA")))
    assert verdict.regime is Regime.NONE
    assert verdict.eligible is Eligibility.NO
    assert verdict.per_passenger is None and verdict.claim_deadline is None
    assert verdict.documents == () and verdict.outcomes == ()
    assert "scope_none" in codes(verdict.reasons)


def test_wegener_stop_outside_eu_on_non_eu_carrier_is_one_journey_from_the_eu() -> None:
    """C-537/17: Berlin - Casablanca - Agadir on one booking, delay on the Moroccan leg."""
    verdict = assess(
        case(seg("BER", "CMN", "AT"), seg("CMN", "AGA", "AT"), disruption=Delay(1, 240))
    )
    assert verdict.regime is EU
    assert verdict.eligible is Eligibility.YES
    assert verdict.distance_km == 3080.7
    assert verdict.per_passenger is not None and str(verdict.per_passenger.amount) == "400.00"
    assert "journey_single_booking" in codes(verdict.reasons)


def test_chelluri_stop_in_the_uk_does_not_bring_an_outside_journey_in_scope() -> None:
    verdict = assess(
        case(
            seg("MCI", "DTW", "DL"),
            seg("DTW", "LHR", "DL"),
            seg("LHR", "BOM", "AI"),
            seg("BOM", "BLR", "AI"),
            disruption=Delay(2, 2880),
        )
    )
    assert verdict.regime is Regime.NONE
    assert codes(verdict.reasons)[:2] == ["scope_none", "scope_stop_does_not_count"]


def test_separate_bookings_are_assessed_alone() -> None:
    first = seg("JFK", "CDG", "DL", booking="A")
    second = seg("CDG", "NCE", "AF", booking="B")
    outside = assess(case(first, second, disruption=Delay(0, 300), single_booking=False))
    inside = assess(case(first, second, disruption=Delay(1, 300), single_booking=False))
    assert outside.regime is Regime.NONE
    assert inside.regime is EU and inside.distance_km == 694.5
    assert inside.per_passenger is not None and str(inside.per_passenger.amount) == "250.00"
    assert "journey_separate_bookings" in codes(inside.reasons)


def test_separate_bookings_group_segments_by_reference() -> None:
    legs = (
        seg("JFK", "LHR", "BA", booking="X"),
        seg("LHR", "CDG", "BA", booking="X"),
        seg("CDG", "NCE", "AF", booking="Y"),
    )
    verdict = assess(case(*legs, disruption=Delay(1, 200), single_booking=False))
    assert verdict.regime is UK  # JFK -> CDG on a UK carrier
    assert verdict.distance_km == 5833.6


def test_return_trip_halves_are_separate_journeys_emirates_schenkel() -> None:
    """C-173/07: the return half of CDG - JFK - CDG (via AMS) is JFK - CDG, not CDG - CDG."""
    legs = (seg("CDG", "AMS", "KL"), seg("AMS", "JFK", "KL"), seg("JFK", "CDG", "DL"))
    outbound = assess(case(*legs, disruption=Delay(1, 240)))
    inbound = assess(case(*legs, disruption=Delay(2, 240)))
    assert (outbound.regime, outbound.distance_km) == (EU, 5833.6)
    assert "journey_return_trip" in codes(outbound.reasons)
    assert inbound.regime is Regime.NONE  # JFK -> CDG on a US carrier
    assert inbound.distance_km == 5833.6


def test_return_trip_back_to_another_airport_of_the_same_city() -> None:
    verdict = assess(case(seg("ORY", "NCE"), seg("NCE", "CDG"), disruption=Delay(1, 200)))
    assert verdict.distance_km == 694.5  # NCE - CDG, the return half
    assert "journey_return_trip" in codes(verdict.reasons)
    assert "journey_single_booking" not in codes(verdict.reasons)
