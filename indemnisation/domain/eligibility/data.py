"""The legal data files (``data/*.json``), read once and turned into typed, immutable tables."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from functools import cache
from importlib import resources
from typing import Any

from indemnisation.domain.eligibility.model import AirlineReason, Carrier, Regime

_UK_CASE_LAW_CUTOFF = date(2020, 12, 31)  # European Union (Withdrawal) Act 2018, s. 6


@dataclass(frozen=True, slots=True)
class Text:
    """A reason's legal reference and its French and English templates."""

    reference: str
    fr: str
    en: str
    later_cjeu_cases: tuple[str, ...]  # cited CJEU rulings given after the UK's cut-off


@dataclass(frozen=True, slots=True)
class Band:
    code: str
    up_to_km: float | None
    amount: Decimal
    reduction_within_minutes: int


@dataclass(frozen=True, slots=True)
class RegimeAmounts:
    currency: str
    bands: tuple[Band, ...]
    cap_territory: frozenset[str]  # a journey inside it never goes past the cap band
    cap_band: str


@dataclass(frozen=True, slots=True)
class Circumstance:
    category: str  # "ordinary", "extraordinary" or "depends"
    text: Text


@dataclass(frozen=True, slots=True)
class ReroutingWindow:
    from_notice_days: int
    code: str
    max_departure_earlier_minutes: int
    arrival_delay_below_minutes: int


@dataclass(frozen=True, slots=True)
class LimitPeriod:
    flights_from: date | None
    years: int
    months: int
    start: str  # "flight_date" or "end_of_year"
    source: str
    certain: bool


@dataclass(frozen=True, slots=True)
class Jurisdiction:
    name_fr: str
    name_en: str
    periods: tuple[LimitPeriod, ...]


@dataclass(frozen=True, slots=True)
class LegalData:
    eu: frozenset[str]  # EU member states, outermost regions included
    eu261: frozenset[str]  # where EU261 applies: EU, EEA and Switzerland
    uk: frozenset[str]
    eu_or_uk: frozenset[str]  # EU member states and the UK: UK261's Community or UK carriers
    eu261_or_uk: frozenset[str]  # anywhere either regulation reaches
    carriers: dict[str, Carrier]
    amounts: dict[Regime, RegimeAmounts]
    eur_per_gbp: Decimal
    earth_radius_km: float
    delay_minimum_minutes: int
    brought_forward_above_minutes: int
    return_trip_within_km: float
    no_compensation_from_notice_days: int
    rerouting_windows: tuple[ReroutingWindow, ...]  # longest notice first
    texts: dict[str, Text]  # reasons.json codes, and circumstances.json as circumstance_<code>
    circumstances: dict[AirlineReason, Circumstance]
    jurisdictions: dict[str, Jurisdiction]
    jurisdiction_aliases: dict[str, str]
    documents: dict[str, tuple[str, str]]  # code -> (fr, en)
    document_rules: dict[str, Any]
    versions: dict[str, str]


def _load(name: str) -> dict[str, Any]:
    with resources.files(__package__).joinpath("data", name).open(encoding="utf-8") as file:
        data: dict[str, Any] = json.load(file)
    if not data.get("version") or not data.get("source"):
        raise ValueError(f"legal data file {name} needs 'version' and 'source'")
    return data


def _reference(law: str, ruling_ids: list[str], rulings: dict[str, Any]) -> str:
    cited = [rulings[ruling] for ruling in ruling_ids]
    return "; ".join([law, *(f"{r['court']} {r['case']} {r['name']} ({r['date']})" for r in cited)])


def _text(entry: dict[str, Any], rulings: dict[str, Any]) -> Text:
    later = tuple(
        rulings[ruling]["case"]
        for ruling in entry["rulings"]
        if rulings[ruling]["court"] == "CJEU"
        and date.fromisoformat(rulings[ruling]["date"]) > _UK_CASE_LAW_CUTOFF
    )
    return Text(
        _reference(entry["law"], entry["rulings"], rulings), entry["fr"], entry["en"], later
    )


def _amounts(raw: dict[str, Any], territories: dict[str, frozenset[str]]) -> RegimeAmounts:
    return RegimeAmounts(
        currency=raw["currency"],
        bands=tuple(
            Band(
                code=band["code"],
                up_to_km=None if band["up_to_km"] is None else float(band["up_to_km"]),
                amount=Decimal(band["amount"]),
                reduction_within_minutes=int(band["reduction_if_arrival_within_minutes"]),
            )
            for band in raw["bands"]
        ),
        cap_territory=territories[raw["territory_cap"]["territory"]],
        cap_band=raw["territory_cap"]["band"],
    )


def _jurisdiction(raw: dict[str, Any]) -> Jurisdiction:
    periods = tuple(
        LimitPeriod(
            flights_from=date.fromisoformat(p["flights_from"]) if "flights_from" in p else None,
            years=int(p.get("years", 0)),
            months=int(p.get("months", 0)),
            start=p["start"],
            source=p["source"],
            certain=bool(p.get("certain", True)),
        )
        for p in raw["periods"]
    )
    return Jurisdiction(raw["name"]["fr"], raw["name"]["en"], periods)


@cache
def legal_data() -> LegalData:
    countries = _load("countries.json")
    airlines = _load("airlines.json")
    amounts = _load("amounts.json")
    thresholds = _load("thresholds.json")
    rulings_file = _load("rulings.json")
    rulings = rulings_file["rulings"]
    reasons = _load("reasons.json")
    circumstances = _load("circumstances.json")
    limits = _load("time_limits.json")
    documents = _load("documents.json")
    eu = frozenset(countries["eu"] + countries["eu_outermost"])
    territories = {
        "eu": eu,
        "eu261": eu | frozenset(countries["eea"] + countries["switzerland"]),
        "uk": frozenset(countries["uk"]),
    }
    files = {
        "countries": countries,
        "airlines": airlines,
        "amounts": amounts,
        "thresholds": thresholds,
        "rulings": rulings_file,
        "reasons": reasons,
        "circumstances": circumstances,
        "time_limits": limits,
        "documents": documents,
    }
    return LegalData(
        eu=eu,
        eu261=territories["eu261"],
        uk=territories["uk"],
        eu_or_uk=eu | territories["uk"],
        eu261_or_uk=territories["eu261"] | territories["uk"],
        carriers={
            a["iata"]: Carrier(a["iata"], a["name"], a["country"]) for a in airlines["airlines"]
        },
        amounts={
            Regime(name): _amounts(raw, territories) for name, raw in amounts["regimes"].items()
        },
        eur_per_gbp=Decimal(amounts["comparison_rate"]["eur_per_gbp"]),
        earth_radius_km=float(amounts["earth_radius_km"]),
        delay_minimum_minutes=int(thresholds["delay_minimum_minutes"]),
        brought_forward_above_minutes=int(thresholds["brought_forward_cancellation_above_minutes"]),
        return_trip_within_km=float(thresholds["return_trip_within_km"]),
        no_compensation_from_notice_days=int(
            thresholds["cancellation"]["no_compensation_from_notice_days"]
        ),
        rerouting_windows=tuple(
            sorted(
                (
                    ReroutingWindow(**window)
                    for window in thresholds["cancellation"]["rerouting_windows"]
                ),
                key=lambda window: -window.from_notice_days,
            )
        ),
        texts={
            **{code: _text(entry, rulings) for code, entry in reasons["reasons"].items()},
            **{
                f"circumstance_{code}": _text(entry, rulings)
                for code, entry in circumstances["circumstances"].items()
            },
        },
        circumstances={
            AirlineReason(code): Circumstance(entry["category"], _text(entry, rulings))
            for code, entry in circumstances["circumstances"].items()
        },
        jurisdictions={code: _jurisdiction(raw) for code, raw in limits["jurisdictions"].items()},
        jurisdiction_aliases=dict(limits["aliases"]),
        documents={code: (doc["fr"], doc["en"]) for code, doc in documents["documents"].items()},
        document_rules=documents,
        versions={name: str(data["version"]) for name, data in files.items()},
    )
