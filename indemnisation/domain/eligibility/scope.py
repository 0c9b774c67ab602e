"""Which regulation covers a journey: Art. 3 of EU261 and of UK261.

A journey booked as one is judged by its first departure, its final destination and the
operating carrier of the disrupted flight; a stop in between does not count (Wegener C-537/17,
Chelluri v Air India [2021] EWCA Civ 1953).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from indemnisation.domain.airports import Airport
from indemnisation.domain.eligibility.data import legal_data
from indemnisation.domain.eligibility.model import Carrier, Regime
from indemnisation.domain.eligibility.reasons import reason
from indemnisation.domain.eligibility.verdict import Reason


@dataclass(frozen=True, slots=True)
class Scope:
    regimes: tuple[Regime, ...]
    reasons: tuple[Reason, ...]


def applicable_regimes(
    origin: Airport, destination: Airport, carrier: Carrier, stops: Sequence[Airport] = ()
) -> Scope:
    data = legal_data()
    facts = {
        "origin": origin.iata,
        "origin_country": origin.country,
        "destination": destination.iata,
        "carrier": carrier.name,
        "carrier_country": carrier.country,
    }
    regimes: list[Regime] = []
    reasons: list[Reason] = []
    if origin.country in data.eu261:
        regimes.append(Regime.EU261)
        reasons.append(reason("scope_eu_departure", **facts))
    elif destination.country in data.eu261:
        if carrier.country in data.eu261:
            regimes.append(Regime.EU261)
            reasons.append(reason("scope_eu_arrival_eu_carrier", **facts))
        else:
            reasons.append(reason("scope_eu_arrival_other_carrier", **facts))
    if origin.country in data.uk:
        regimes.append(Regime.UK261)
        reasons.append(reason("scope_uk_departure", **facts))
    elif destination.country in data.uk and carrier.country in data.eu_or_uk:
        regimes.append(Regime.UK261)
        reasons.append(reason("scope_uk_arrival", **facts))
    elif destination.country in data.eu and carrier.country in data.uk:
        regimes.append(Regime.UK261)
        reasons.append(reason("scope_uk_carrier_to_eu", **facts))
    if regimes:
        return Scope(tuple(regimes), tuple(reasons))
    if not reasons:
        reasons.append(reason("scope_none", **facts))
    if any(stop.country in data.eu261_or_uk for stop in stops):
        reasons.append(reason("scope_stop_does_not_count"))
    return Scope((), tuple(reasons))
