"""``seed-demo``: the demo accounts of the embedded default."""

from __future__ import annotations

import argparse
import sys
from typing import Any

from indemnisation.services.demo import DEMO_PASSWORD, DemoRefused, load_demo_data


def _seed(_args: argparse.Namespace) -> int:
    try:
        loaded = load_demo_data()
    except DemoRefused as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    print(f"Demo accounts (password for all: {DEMO_PASSWORD}):")
    for account in loaded:
        print(f"  {account.role.value.lower():9} {account.email}  ({account.full_name})")
    return 0


def register(subparsers: Any) -> None:
    parser = subparsers.add_parser("seed-demo", help="load the demo accounts (not in production)")
    parser.set_defaults(handler=_seed)
