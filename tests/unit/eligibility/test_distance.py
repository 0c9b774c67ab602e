"""Art. 7(4): great-circle distance between the first departure and the final destination."""

from __future__ import annotations

import pytest

from indemnisation.domain.eligibility.distance import great_circle_km

from .builders import airport, km_north, synthetic


@pytest.mark.parametrize(
    ("origin", "destination", "expected_km"),
    [
        ("CDG", "JFK", 5833.6),
        ("LHR", "JFK", 5539.6),
        ("CDG", "NCE", 694.5),
        ("CDG", "RUN", 9369.4),
        ("PRG", "TRD", 1498.6),
        ("FRA", "TRD", 1500.3),
        ("FNC", "KEF", 3502.3),
    ],
)
def test_real_airport_pairs(origin: str, destination: str, expected_km: float) -> None:
    assert great_circle_km(airport(origin), airport(destination)) == expected_km


@pytest.mark.parametrize("distance", [0.0, 1.0, 1500.0, 1500.1, 3500.0, 3500.1, 12000.0])
def test_haversine_on_mean_earth_radius_rounds_to_a_tenth(distance: float) -> None:
    origin, destination = km_north(distance)
    assert great_circle_km(origin, destination) == distance


def test_distance_is_symmetric_and_independent_of_longitude_shift() -> None:
    a, b = synthetic("AAA", 48.0, 2.0), synthetic("BBB", 40.0, -74.0)
    shifted_a, shifted_b = synthetic("AAA", 48.0, 32.0), synthetic("BBB", 40.0, -44.0)
    assert great_circle_km(a, b) == great_circle_km(b, a) == great_circle_km(shifted_a, shifted_b)


def test_antipodes_are_half_the_circumference() -> None:
    assert great_circle_km(synthetic("AAA", 0, 0), synthetic("BBB", 0, 180)) == 20015.1
