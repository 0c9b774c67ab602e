"""Art. 7(1) bands and amounts, the intra-EU cap, and the Art. 7(2) reduction."""

from __future__ import annotations

from decimal import Decimal

import pytest

from indemnisation.domain.eligibility import Regime
from indemnisation.domain.eligibility.amounts import award, band_for, halved, reduction

EU, UK = Regime.EU261, Regime.UK261


@pytest.mark.parametrize(
    ("regime", "distance", "within", "amount", "currency"),
    [
        (EU, 0.1, False, "250", "EUR"),
        (EU, 1500.0, False, "250", "EUR"),
        (EU, 1500.1, False, "400", "EUR"),
        (EU, 3500.0, False, "400", "EUR"),
        (EU, 3500.1, False, "600", "EUR"),
        (EU, 1500.0, True, "250", "EUR"),
        (EU, 1500.1, True, "400", "EUR"),
        (EU, 3500.1, True, "400", "EUR"),
        (EU, 9369.4, True, "400", "EUR"),
        (UK, 1500.0, False, "220", "GBP"),
        (UK, 1500.1, False, "350", "GBP"),
        (UK, 3500.0, False, "350", "GBP"),
        (UK, 3500.1, False, "520", "GBP"),
    ],
)
def test_band_amounts_on_both_sides_of_each_threshold(
    regime: Regime, distance: float, within: bool, amount: str, currency: str
) -> None:
    countries = ("FR", "RE") if within and regime is EU else ("US", "FR")
    granted = award(regime, distance, *countries)
    assert granted.full.amount == Decimal(amount)
    assert granted.full.currency == currency


def test_intra_eu_cap_is_reported() -> None:
    band, capped = band_for(EU, 9369.4, within_territory=True)
    assert (band.code, capped) == ("medium", True)
    assert award(EU, 9369.4, "FR", "RE").reason.code == "amount_medium_intra"
    assert award(EU, 9369.4, "FR", "US").reason.code == "amount_long"


def test_eea_and_switzerland_count_as_intra_territory_for_the_cap() -> None:
    assert award(EU, 3502.3, "PT", "IS").full.amount == Decimal("400")
    assert award(EU, 3600.0, "CH", "ES").full.amount == Decimal("400")


@pytest.mark.parametrize(
    ("distance", "rerouting_delay", "reduced"),
    [
        (1000.0, 120, True),
        (1000.0, 121, False),
        (2000.0, 180, True),
        (2000.0, 181, False),
        (5000.0, 240, True),
        (5000.0, 241, False),
        (5000.0, -30, True),
    ],
)
def test_rerouting_reduction_limits_per_band(
    distance: float, rerouting_delay: int, reduced: bool
) -> None:
    band, _ = band_for(EU, distance, within_territory=False)
    cut = reduction(band, rerouting_delay=rerouting_delay, arrival_delay=None)
    assert (cut is not None) is reduced
    if reduced:
        assert cut is not None and cut.code == "reduction_rerouting"


@pytest.mark.parametrize(
    ("distance", "within", "delay", "reduced"),
    [
        (5000.0, False, 180, True),
        (5000.0, False, 239, True),
        (5000.0, False, 240, False),
        (2000.0, False, 180, False),
        (1000.0, False, 180, False),
        (9369.4, True, 200, False),
    ],
)
def test_long_delay_reduction_only_on_long_band_under_four_hours(
    distance: float, within: bool, delay: int, reduced: bool
) -> None:
    band, _ = band_for(EU, distance, within_territory=within)
    cut = reduction(band, rerouting_delay=None, arrival_delay=delay)
    assert (cut is not None) is reduced


def test_halving_is_exact_to_the_cent() -> None:
    granted = award(UK, 2000.0, "GB", "ES").full
    assert halved(granted).amount == Decimal("175.00")
    assert halved(granted).currency == "GBP"
