"""Great-circle distance, Art. 7(4): from the first departure to the final destination."""

from __future__ import annotations

import math

from indemnisation.domain.airports import Airport
from indemnisation.domain.eligibility.data import legal_data


def great_circle_km(origin: Airport, destination: Airport) -> float:
    """Haversine distance on a sphere of the mean Earth radius (6,371 km, data/amounts.json),
    rounded to 0.1 km: the figure compared with the distance bands."""
    lat1, lat2 = math.radians(origin.lat), math.radians(destination.lat)
    dlat = lat2 - lat1
    dlon = math.radians(destination.lon - origin.lon)
    h = math.sin(dlat / 2) ** 2 + math.cos(lat1) * math.cos(lat2) * math.sin(dlon / 2) ** 2
    radius = legal_data().earth_radius_km
    return round(2 * radius * math.asin(min(1.0, math.sqrt(h))), 1)
