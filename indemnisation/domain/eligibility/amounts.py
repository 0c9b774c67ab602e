"""Compensation amounts, Art. 7(1), and the 50 % reduction, Art. 7(2)."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from functools import cache

from indemnisation.domain.eligibility.data import Band, legal_data
from indemnisation.domain.eligibility.model import Regime
from indemnisation.domain.eligibility.reasons import duration, reason
from indemnisation.domain.eligibility.verdict import Money, Reason

_CENT = Decimal("0.01")


@dataclass(frozen=True, slots=True)
class Award:
    band: Band
    full: Money  # before any reduction
    reason: Reason


def band_for(regime: Regime, distance_km: float, within_territory: bool) -> tuple[Band, bool]:
    """The distance band, and whether the within-territory cap (Art. 7(1)(b)) chose it."""
    table = legal_data().amounts[regime]
    band = next(b for b in table.bands if b.up_to_km is None or distance_km <= b.up_to_km)
    cap = next(b for b in table.bands if b.code == table.cap_band)
    if within_territory and cap.up_to_km is not None and distance_km > cap.up_to_km:
        return cap, True
    return band, False


def award(
    regime: Regime, distance_km: float, origin_country: str, destination_country: str
) -> Award:
    table = legal_data().amounts[regime]
    within = origin_country in table.cap_territory and destination_country in table.cap_territory
    band, capped = band_for(regime, distance_km, within)
    return _award(table.currency, band, capped)


@cache
def _award(currency: str, band: Band, capped: bool) -> Award:
    full = Money(band.amount.quantize(_CENT), currency)
    code = "amount_medium_intra" if capped else f"amount_{band.code}"
    return Award(band, full, reason(code, amount=show(full)))


def show(money: Money) -> str:
    """ "250 EUR", or "125.50 EUR" when there are cents."""
    amount = money.amount
    text = f"{amount:.0f}" if amount == amount.to_integral_value() else f"{amount:.2f}"
    return f"{text} {money.currency}"


def halved(money: Money) -> Money:
    return Money((money.amount / 2).quantize(_CENT), money.currency)


def reduction(
    band: Band, *, rerouting_delay: int | None, arrival_delay: int | None
) -> Reason | None:
    """Why the airline may halve the award, or None.

    Rerouted passengers: arrival no more than 2/3/4 h late by band (Art. 7(2)). Delayed
    passengers: less than 4 h late on the long band (Art. 7(2)(c) as read in Sturgeon, para. 63).
    """
    limit = band.reduction_within_minutes
    if rerouting_delay is not None and rerouting_delay <= limit:
        return reason("reduction_rerouting", later=duration(rerouting_delay), limit=duration(limit))
    if arrival_delay is not None and arrival_delay < limit and band.up_to_km is None:
        return reason("reduction_long_delay")
    return None
