"""``load-synthetic``: a realistic synthetic data set for measuring the app at scale."""

from __future__ import annotations

import argparse
import sys
from typing import Any

from indemnisation.services.synthetic import (
    SYNTHETIC_PASSWORD,
    SyntheticRefused,
    load_synthetic,
)


def _load(args: argparse.Namespace) -> int:
    try:
        result = load_synthetic(
            claims=args.claims,
            messages=args.messages,
            documents=args.documents,
            admins=args.admins,
            seed=args.seed,
            replace=args.replace,
            progress=lambda line: print(line, flush=True),
        )
    except SyntheticRefused as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    total = sum(result.counts.values())
    print(
        f"Loaded {total:,} rows in {result.seconds:.1f} s (password for all: {SYNTHETIC_PASSWORD})"
    )
    return 0


def register(subparsers: Any) -> None:
    parser = subparsers.add_parser(
        "load-synthetic",
        help="fill an empty database with a synthetic data set (benchmarks, not production)",
    )
    parser.add_argument("--claims", type=int, default=100_000)
    parser.add_argument("--messages", type=int, default=1_000_000)
    parser.add_argument("--documents", type=int, default=200_000)
    parser.add_argument("--admins", type=int, default=50)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument(
        "--replace",
        action="store_true",
        help="empty every table first (only in a database named *_test or *_scale)",
    )
    parser.set_defaults(handler=_load)
