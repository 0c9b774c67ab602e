"""``airports QUERY``: search airports by code, city, name or country."""

from __future__ import annotations

import argparse
from typing import Any

from indemnisation.domain.airports import search


def _positive(text: str) -> int:
    value = int(text)
    if value < 1:
        raise argparse.ArgumentTypeError("must be at least 1")
    return value


def _airports(args: argparse.Namespace) -> int:
    found = search(args.query, limit=args.limit)
    if not found:
        print(f"No airport matches {args.query!r}.")
        return 1
    for airport in found:
        print(f"{airport.iata}  {airport.name} — {airport.city or '?'}, {airport.country}")
    return 0


def register(subparsers: Any) -> None:
    parser = subparsers.add_parser("airports", help="search airports (code, city, name, country)")
    parser.add_argument("query", metavar="QUERY")
    parser.add_argument("--limit", type=_positive, default=10, help="how many matches (default 10)")
    parser.set_defaults(handler=_airports)
