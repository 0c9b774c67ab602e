"""Airport index over ``airportsdata`` (IATA): lookup by code and autocomplete search.

The index is built once, on first use. Search matches the IATA code, city, airport name and
country name (English and French), ignoring case and accents. Results rank an exact code
first, then city matches, then airport-name matches, then country matches; within a tier, busy
airports come before airstrips.
"""

from __future__ import annotations

import bisect
import heapq
import unicodedata
from dataclasses import dataclass
from functools import cache

import airportsdata
import babel

# About 380 of the world's busiest passenger airports, roughly in order of traffic, with extra
# weight on Europe where this product's claims start. Compiled from ACI World's annual airport
# traffic rankings (2019 and 2023) and Wikipedia's "List of busiest airports by passenger
# traffic" and its per-country lists. Only the order matters: it ranks search results.
_MAJOR_TEXT = """
ATL DXB DFW LHR HND DEN IST LAX ORD DEL CDG JFK LAS AMS MIA MAD CAN PVG SZX CTU PEK ICN SIN MCO
EWR CLT SFO SEA PHX IAH BOS MSP DTW FLL BCN FRA MUC FCO LGW SAW DOH BKK CGK KUL MNL HKG TPE NRT
KIX BOM BLR YYZ MEX CUN GRU BOG JED RUH SYD MEL DUB ORY PMI ZRH CPH OSL ARN VIE LIS MAN BER BRU
ATH MXP STN DUS HEL AGP WAW LTN LCY SEN ALC NCE EDI PRG BUD GVA HAM LYS MRS TLS BOD NTE TFS
LPA OPO FAO
BGY VCE NAP CTA PMO BLQ LIN CGN STR HAJ NUE IBZ VLC SVQ BIO ACE FUE FNC PDL BSL LIL BVA CRL EIN
GLA BHX BRS NCL LPL EMA LBA ABZ BFS BHD KRK KTW GDN WRO OTP SOF ZAG SPU DBV LJU BEG RIX VNO TLL
KEF BGO TRD SVG GOT BLL AAL HER RHO CFU SKG JTR JMK LCA PFO MLA TFN SCQ MAH XRY REU GRO TRN FLR
PSA BRI CAG OLB LEJ BRE DTM FMM HHN RTM SOU EXT CWL POZ CLJ VAR BOJ SKP TIA CHQ KGS TLV AMM BEY
CAI HRG SSH CMN RAK AGA TNG ALG TUN DJE AUH KWI BAH MCT DMM YVR YUL YYC SJU HNL SLC SAN TPA BWI
IAD DCA PHL MDW BNA AUS MSY RDU STL MCI PDX SJC OAK SMF SNA CLE PIT CMH IND CVG MKE JAX RSW PBI
DAL HOU ANC GIG CGH BSB CNF VCP EZE AEP SCL LIM MDE GDL MTY PTY SJO HAV PUJ SDQ MBJ NAS AUA CUR
SXM BGI POS UIO GYE ADD NBO JNB CPT DUR LOS ABV ACC DSS MRU SEZ DAR ZNZ KGL EBB GMP ITM NGO FUK
CTS OKA PKX SHA TFU KMG XIY CKG HGH NKG WUH XMN CSX TAO DLC SHE HRB TSN CGO DMK HKT CNX CEB DPS
SUB HAN SGN DAD RGN MAA HYD CCU COK GOI AMD PNQ CMB MLE KTM DAC KHI LHE ISB TAS ALA NQZ
GYD TBS EVN SVO DME VKO LED BNE PER ADL OOL CNS AKL CHC WLG NAN PPT NOU RUN PTP FDF CAY DZA SFG
SBH MPL BES PUF BIQ AJA BIA SXB CFE PGF PUY TRS BDS SUF AOI PSR ORK SNN NOC KIR
"""

# Names people type that airportsdata does not carry: French exonyms and local spellings.
_EXTRA_CITY_NAMES = """
LHR LGW STN LTN LCY SEN: Londres
EWR: New York
LIS: Lisbonne
BRU CRL: Bruxelles Brussel
GVA: Geneve Genf
BSL MLH: Basel Bale
FRA: Francfort
HAM: Hambourg
VIE: Vienne Wien
WAW WMI: Varsovie
KRK: Cracovie Krakow
PRG: Praha
CPH: Copenhague
EDI: Edimbourg
SVQ: Seville
BCN: Barcelone
PMI: Majorque Mallorca Palma
VCE TSF: Venice Venise
MXP LIN BGY: Milano
NAP: Naples
FLR: Florence
FCO CIA: Roma
ATH: Athenes
SVO DME VKO: Moscou
PEK PKX: Pekin
CAI: Caire
ALG: Alger
MUC: Munchen
CGN: Koln
DUS: Duesseldorf
OTP: Bucarest
ANR: Anvers
LED: Petersbourg
BEG: Belgrade
GOT: Goteborg
TFS TFN: Tenerife
LPA: Palmas
CPT: Cap
TNG: Tanger
JNB: Johannesbourg
HAV: Havane
SIN: Singapour
MLA: Malte
DBV: Raguse
GDN: Dantzig
"""

_MINOR_WORDS = ("heliport", "seaplane", "air base", "afb", "airstrip", "army", "naval", "air force")
_STOPWORDS_TEXT = (
    "airport international intl aeroport aeropuerto aeroporto flughafen lufthavn airfield field "
    "aerodrome airstrip regional municipal the of de del la le du des y"
)
_SYNONYMS = {"st": "saint", "ste": "sainte"}
_COUNTRY_ALIASES = {
    "uk": "GB",
    "great britain": "GB",
    "england": "GB",
    "scotland": "GB",
    "wales": "GB",
    "northern ireland": "GB",
    "angleterre": "GB",
    "ecosse": "GB",
    "pays de galles": "GB",
    "usa": "US",
    "etats unis": "US",
    "america": "US",
    "holland": "NL",
    "hollande": "NL",
}
_MAJOR = tuple(_MAJOR_TEXT.split())
_STOPWORDS = frozenset(_STOPWORDS_TEXT.split())
_TIER_CODE, _TIER_CITY, _TIER_NAME, _TIER_COUNTRY = 0, 1, 2, 3


def _extra_city_names() -> dict[str, str]:
    names: dict[str, str] = {}
    for line in _EXTRA_CITY_NAMES.strip().splitlines():
        codes, extra = line.split(":")
        for code in codes.split():
            names[code] = extra
    return names


@dataclass(frozen=True, slots=True)
class Airport:
    iata: str
    name: str
    city: str
    country: str  # ISO 3166-1 alpha-2, as airportsdata gives it (RE for Réunion, not FR)
    lat: float
    lon: float
    tz: str


def normalize(text: str) -> str:
    """Lower-case, accent-free, punctuation as single spaces: "Zürich-Kloten" -> "zurich kloten"."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    kept = (" " if not ch.isalnum() else ch for ch in decomposed if not unicodedata.combining(ch))
    return " ".join("".join(kept).split())


def _words(text: str, *, drop_stopwords: bool = False) -> set[str]:
    words = set()
    for word in normalize(text).split():
        if drop_stopwords and (word in _STOPWORDS or len(word) < 2):
            continue
        words.add(word)
        if word in _SYNONYMS:
            words.add(_SYNONYMS[word])
    return words


def _importance(airport: Airport, major: dict[str, int]) -> tuple[int, str]:
    if airport.iata in major:
        return major[airport.iata], airport.name
    name = airport.name.casefold()
    penalty = 2 if any(word in name for word in _MINOR_WORDS) else 0
    if "international" not in name:
        penalty += 1
    if not airport.city:
        penalty += 1
    return len(major) + penalty, airport.name


@dataclass(frozen=True, slots=True)
class _Index:
    airports: tuple[Airport, ...]  # most important first: a position is a rank
    by_code: dict[str, int]
    keys: tuple[str, ...]  # sorted "token" strings, for bisect
    postings: tuple[tuple[int, int], ...]  # (tier, position) aligned with keys
    country_keys: tuple[str, ...]  # sorted normalized country names (English, French, aliases)
    country_codes: tuple[str, ...]  # ISO code of each country key
    by_country: dict[str, tuple[int, ...]]  # ISO code -> positions, most important first


def _country_names() -> dict[str, str]:
    names: dict[str, str] = {}
    for locale in ("en", "fr"):
        for code, name in babel.Locale(locale).territories.items():
            if len(code) == 2 and code.isalpha():
                names[normalize(name)] = code
    for alias, code in _COUNTRY_ALIASES.items():
        names[normalize(alias)] = code
    return names


@cache
def _index() -> _Index:
    major = {code: rank for rank, code in enumerate(dict.fromkeys(_MAJOR))}
    raw = airportsdata.load("IATA")
    airports = sorted(
        (
            Airport(
                iata=code,
                name=row["name"],
                city=row["city"],
                country=row["country"],
                lat=float(row["lat"]),
                lon=float(row["lon"]),
                tz=row["tz"],
            )
            for code, row in raw.items()
        ),
        key=lambda airport: _importance(airport, major),
    )
    extra = _extra_city_names()
    entries: list[tuple[str, int, int]] = []
    by_country: dict[str, list[int]] = {}
    for position, airport in enumerate(airports):
        city_words = _words(f"{airport.city} {extra.get(airport.iata, '')}")
        name_words = _words(airport.name, drop_stopwords=True) - city_words
        entries.extend((word, _TIER_CITY, position) for word in city_words)
        entries.extend((word, _TIER_NAME, position) for word in name_words)
        entries.append((airport.iata.casefold(), _TIER_NAME, position))
        by_country.setdefault(airport.country, []).append(position)
    entries.sort()
    countries = sorted(_country_names().items())
    return _Index(
        airports=tuple(airports),
        by_code={airport.iata: position for position, airport in enumerate(airports)},
        keys=tuple(entry[0] for entry in entries),
        postings=tuple((entry[1], entry[2]) for entry in entries),
        country_keys=tuple(name for name, _ in countries),
        country_codes=tuple(code for _, code in countries),
        by_country={code: tuple(positions) for code, positions in by_country.items()},
    )


def get_airport(code: str) -> Airport | None:
    """The airport with this IATA code (any case), or None."""
    index = _index()
    position = index.by_code.get(code.strip().upper())
    return None if position is None else index.airports[position]


def _prefix_range(keys: tuple[str, ...], prefix: str) -> range:
    low = bisect.bisect_left(keys, prefix)
    high = bisect.bisect_left(keys, prefix + "\U0010ffff", lo=low)
    return range(low, high)


def _word_matches(index: _Index, word: str, limit: int | None) -> dict[int, int]:
    """Positions whose city, name or country has a word starting with ``word`` -> best tier."""
    best: dict[int, int] = {}
    for i in _prefix_range(index.keys, word):
        tier, position = index.postings[i]
        if best.get(position, _TIER_COUNTRY + 1) > tier:
            best[position] = tier
    _add_country_matches(index, word, best, limit)
    return best


def _add_country_matches(index: _Index, text: str, best: dict[int, int], limit: int | None) -> None:
    """A full country name ranks like a city; a country-name prefix ranks after names."""
    for i in _prefix_range(index.country_keys, text):
        tier = _TIER_CITY if index.country_keys[i] == text else _TIER_COUNTRY
        positions = index.by_country.get(index.country_codes[i], ())
        for position in positions if limit is None else positions[:limit]:
            if best.get(position, _TIER_COUNTRY + 1) > tier:
                best[position] = tier


def search(query: str, limit: int = 10) -> list[Airport]:
    """Airports matching ``query`` for an autocomplete, best first (at most ``limit``)."""
    text = normalize(query)
    if not text or limit <= 0:
        return []
    index = _index()
    words = text.split()
    scored: dict[int, int] = {}
    if len(words) == 1:
        scored = _word_matches(index, words[0], limit)
    else:
        per_word = sorted((_word_matches(index, word, None) for word in words), key=len)
        for position, tier in per_word[0].items():
            tiers = [tier]
            for other in per_word[1:]:
                if position not in other:
                    break
                tiers.append(other[position])
            else:
                scored[position] = max(tiers)
        _add_country_matches(index, text, scored, limit)
    code = index.by_code.get(text.upper().replace(" ", ""))
    if code is not None:
        scored[code] = _TIER_CODE
    best = heapq.nsmallest(limit, scored.items(), key=lambda item: (item[1], item[0]))
    return [index.airports[position] for position, _ in best]
