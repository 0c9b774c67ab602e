"""Properties that hold for any distance, delay, notice and reason (hypothesis)."""

from __future__ import annotations

from decimal import Decimal

from hypothesis import given
from hypothesis import strategies as st

from indemnisation.domain.eligibility import (
    AirlineReason,
    BoardingDenial,
    Cancellation,
    Delay,
    DeniedBoarding,
    Disruption,
    Eligibility,
    Regime,
    Rerouting,
    assess,
)
from indemnisation.domain.eligibility.amounts import award

from .builders import case, km_north, seg

distances = st.floats(min_value=1.0, max_value=19000.0, allow_nan=False).map(lambda d: round(d, 1))
regimes = st.sampled_from([Regime.EU261, Regime.UK261])
territory = {
    (Regime.EU261, True): ("FR", "RE"),
    (Regime.EU261, False): ("FR", "US"),
    (Regime.UK261, True): ("GB", "GB"),
    (Regime.UK261, False): ("GB", "US"),
}
reroutings = st.none() | st.builds(Rerouting, st.integers(-300, 300), st.integers(-300, 900))
disruptions: st.SearchStrategy[Disruption] = st.one_of(
    st.builds(Delay, st.just(0), st.integers(0, 2000)),
    st.builds(Cancellation, st.integers(0, 30), st.just(0), reroutings),
    st.builds(DeniedBoarding, st.sampled_from(BoardingDenial), st.just(0), reroutings),
)


@given(regimes, st.booleans(), distances, distances)
def test_amount_never_falls_when_the_distance_rises(
    regime: Regime, within: bool, first: float, second: float
) -> None:
    short, long = sorted((first, second))
    countries = territory[(regime, within)]
    assert (
        award(regime, short, *countries).full.amount <= award(regime, long, *countries).full.amount
    )


@given(distances, disruptions, st.sampled_from(AirlineReason), st.integers(1, 9))
def test_amount_is_the_band_amount_or_exactly_half(
    distance: float, disruption: Disruption, reason: AirlineReason, passengers: int
) -> None:
    origin, destination = km_north(distance)
    verdict = assess(
        case(seg(origin, destination), disruption=disruption, reason=reason, passengers=passengers)
    )
    full = award(Regime.EU261, verdict.distance_km, "FR", "US").full
    if verdict.per_passenger is None:
        assert verdict.eligible is Eligibility.NO and verdict.total is None
        return
    assert verdict.per_passenger.amount <= full.amount
    expected = full.amount / 2 if verdict.reduced else full.amount
    assert verdict.per_passenger.amount == expected
    assert verdict.total is not None
    assert verdict.total.amount == verdict.per_passenger.amount * passengers


@given(distances, st.integers(0, 2000))
def test_delay_is_due_exactly_from_three_hours(distance: float, minutes: int) -> None:
    origin, destination = km_north(distance)
    verdict = assess(
        case(seg(origin, destination), disruption=Delay(arrival_delay_minutes=minutes))
    )
    assert (verdict.eligible is Eligibility.YES) is (minutes >= 180)


@given(st.integers(0, 30), st.integers(0, 30), reroutings)
def test_more_notice_never_adds_compensation(
    first: int, second: int, rerouting: Rerouting | None
) -> None:
    short, long = sorted((first, second))

    def due(notice: int) -> Decimal:
        verdict = assess(
            case(seg("CDG", "NCE"), disruption=Cancellation(notice, rerouting=rerouting))
        )
        return Decimal(0) if verdict.per_passenger is None else verdict.per_passenger.amount

    assert due(long) <= due(short)
