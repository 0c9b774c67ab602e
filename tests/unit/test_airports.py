"""Airport lookup and autocomplete search over airportsdata."""

from __future__ import annotations

import pytest

from indemnisation.domain.airports import get_airport, normalize, search


def _codes(query: str, limit: int = 10) -> list[str]:
    return [airport.iata for airport in search(query, limit)]


@pytest.mark.parametrize("code", ["CDG", "cdg", " Cdg "])
def test_get_airport_ignores_case_and_spaces(code: str) -> None:
    airport = get_airport(code)
    assert airport is not None
    assert (airport.iata, airport.city, airport.country, airport.tz) == (
        "CDG",
        "Paris",
        "FR",
        "Europe/Paris",
    )
    assert airport.lat == pytest.approx(49.0128) and airport.lon == pytest.approx(2.55)


def test_unknown_code() -> None:
    assert get_airport("XXX") is None and get_airport("") is None


def test_overseas_departments_keep_their_own_country_code() -> None:
    assert [get_airport(c).country for c in ("RUN", "PTP", "FDF", "CAY", "DZA", "SFG")] == [  # type: ignore[union-attr]
        "RE",
        "GP",
        "MQ",
        "GF",
        "YT",
        "MF",
    ]


@pytest.mark.parametrize("query", ["CDG", "cdg", "Cdg"])
def test_exact_code_comes_first(query: str) -> None:
    assert _codes(query)[0] == "CDG"


@pytest.mark.parametrize(
    ("query", "first"), [("ams", "AMS"), ("mad", "MAD"), ("ber", "BER"), ("lhr", "LHR")]
)
def test_exact_code_beats_city_and_name_prefixes(query: str, first: str) -> None:
    assert _codes(query)[0] == first


@pytest.mark.parametrize("query", ["Zürich", "zurich", "ZURICH", "zür"])
def test_accents_and_case_do_not_matter(query: str) -> None:
    assert _codes(query)[0] == "ZRH"


def test_city_returns_main_airports_before_small_fields() -> None:
    found = _codes("paris")
    assert found[:2] == ["CDG", "ORY"]
    assert "PRX" in found  # Paris, Texas, after the Paris airports
    assert found.index("PRX") > found.index("ORY")


def test_london_airports_rank_by_traffic() -> None:
    assert _codes("london", 5) == ["LHR", "LGW", "STN", "LTN", "LCY"]


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("france", ["CDG", "ORY", "NCE"]),
        ("Allemagne", ["FRA", "MUC", "BER"]),
        ("spain", ["MAD", "BCN"]),
    ],
)
def test_country_name_in_english_or_french(query: str, expected: list[str]) -> None:
    assert _codes(query, len(expected)) == expected


@pytest.mark.parametrize(
    ("query", "code"),
    [
        ("londres", "LHR"),
        ("lisbonne", "LIS"),
        ("munchen", "MUC"),
        ("heathrow", "LHR"),
        ("orly", "ORY"),
        ("reunion", "RUN"),
    ],
)
def test_french_names_and_airport_names(query: str, code: str) -> None:
    assert code in _codes(query, 3)


def test_several_words_must_all_match() -> None:
    assert _codes("paris orly") == ["ORY"]
    assert _codes("new york", 3)[0] == "JFK"
    assert "EWR" in _codes("new york", 5)


def test_limit_and_empty_queries() -> None:
    assert len(search("a", limit=4)) == 4
    assert search("", 10) == [] and search("   ", 10) == [] and search("paris", 0) == []
    assert search("qqqqzzzz") == []


def test_results_are_unique() -> None:
    found = _codes("san", 50)
    assert len(found) == len(set(found)) == 50


def test_normalize() -> None:
    assert normalize("  Zürich-Kloten ") == "zurich kloten"
    assert normalize("Côte d'Azur") == "cote d azur"
