"""Time one eligibility assessment and one airport search: median and p99, after a warm-up.

Run: .venv/bin/python bench/bench_eligibility.py
"""

from __future__ import annotations

import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from indemnisation.domain.airports import search
from indemnisation.domain.eligibility import Case, assess, parse_case

ROUNDS = 20_000
SEARCH_ROUNDS = 20
WARM_UP = 500

CASES: list[dict[str, object]] = [
    {
        "segments": [
            {"departure": "MAD", "arrival": "CDG", "carrier": "AF", "date": "2025-03-14"},
            {
                "departure": "CDG",
                "arrival": "JFK",
                "carrier": "AF",
                "scheduled_departure": "2025-03-14T10:30",
                "scheduled_arrival": "2025-03-14T12:45",
                "actual_arrival": "2025-03-14T16:55",
            },
        ],
        "disruption": {"type": "delay", "segment": 1},
        "airline_reason": "technical_fault",
        "passengers": 2,
        "jurisdiction": "FR",
    },
    {
        "segments": [{"departure": "CDG", "arrival": "LHR", "carrier": "BA", "date": "2025-05-02"}],
        "disruption": {
            "type": "cancellation",
            "notice_days": 3,
            "rerouting": {"departure_earlier_minutes": 30, "arrival_delay_minutes": 150},
        },
        "jurisdiction": "GB",
    },
    {
        "segments": [{"departure": "ORY", "arrival": "RUN", "carrier": "SS", "date": "2024-12-20"}],
        "disruption": {"type": "denied_boarding", "kind": "involuntary"},
        "airline_reason": "weather",
        "jurisdiction": "DE",
    },
    {
        "segments": [{"departure": "BCN", "arrival": "FCO", "carrier": "VY", "date": "2025-07-01"}],
        "disruption": {"type": "delay", "arrival_delay_minutes": 150},
        "jurisdiction": "ES",
    },
    {
        "segments": [{"departure": "JFK", "arrival": "CDG", "carrier": "DL", "date": "2025-01-10"}],
        "disruption": {"type": "delay", "arrival_delay_minutes": 400},
        "jurisdiction": "FR",
    },
    {
        "segments": [{"departure": "LGW", "arrival": "FNC", "carrier": "U2", "date": "2025-02-01"}],
        "disruption": {"type": "brought_forward", "minutes_earlier": 95, "notice_days": 4},
        "airline_reason": "bird_strike",
        "passengers": 4,
        "jurisdiction": "IT",
    },
]

# What people type into the airport box, keystroke by keystroke, plus whole words.
QUERIES = [
    *("p", "pa", "par", "pari", "paris"),
    *("l", "lo", "lon", "lond", "london", "londres"),
    *("CDG", "cdg", "jfk", "ams", "fra", "lhr", "nce", "run"),
    *("z", "zu", "zür", "zurich", "Zürich"),
    *("new", "new y", "new york", "san fr", "san francisco", "barcel", "lisbonne"),
    *("france", "allemagne", "united kingdom", "espagne", "réunion", "guadeloupe"),
    *("heathrow", "orly", "charles de gaulle", "tenerife", "munchen", "qqq"),
]


def _measure(function: Callable[[], object], rounds: int) -> list[int]:
    samples = []
    for _ in range(rounds):
        start = time.perf_counter_ns()
        function()
        samples.append(time.perf_counter_ns() - start)
    return samples


def _report(label: str, samples: list[int], unit: str, scale: float) -> None:
    ordered = sorted(samples)
    p99 = ordered[min(len(ordered) - 1, int(len(ordered) * 0.99))]
    print(
        f"{label:<34} median {statistics.median(ordered) / scale:8.1f} {unit}"
        f"   p99 {p99 / scale:8.1f} {unit}   max {ordered[-1] / scale:8.1f} {unit}"
        f"   (n={len(ordered)})"
    )


def main() -> None:
    start = time.perf_counter_ns()
    cases: list[Case] = [parse_case(raw) for raw in CASES]
    assess(cases[0])
    loaded_ms = (time.perf_counter_ns() - start) / 1e6
    print(f"cold start: legal data and airport index loaded in {loaded_ms:.0f} ms")

    for case in cases * (WARM_UP // len(cases)):
        assess(case)
    samples: list[int] = []
    for case in cases:
        samples += _measure(lambda case=case: assess(case), ROUNDS // len(cases))  # type: ignore[misc]
    _report("assess(case)", samples, "us", 1e3)

    verdicts = [assess(case) for case in cases]
    samples = []
    for verdict in verdicts:
        samples += _measure(verdict.to_dict, ROUNDS // len(cases))
    _report("verdict.to_dict()", samples, "us", 1e3)

    samples = []
    for raw in CASES:
        samples += _measure(lambda raw=raw: parse_case(raw), 2_000)  # type: ignore[misc]
    _report("parse_case(json)", samples, "us", 1e3)

    for query in QUERIES * 5:
        search(query)
    samples = []
    for _ in range(SEARCH_ROUNDS):
        for query in QUERIES:
            samples += _measure(lambda query=query: search(query), 1)  # type: ignore[misc]
    _report("search(query, limit=10)", samples, "us", 1e3)


if __name__ == "__main__":
    main()
