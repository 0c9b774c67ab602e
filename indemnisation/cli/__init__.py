"""Operator commands: ``python -m indemnisation COMMAND ...``.

Each module in ``COMMAND_MODULES`` exposes ``register(subparsers)``, which adds its sub-commands
and sets ``handler`` (a function of the parsed arguments that returns an exit code).
"""

from __future__ import annotations

import argparse
import importlib
from collections.abc import Sequence

COMMAND_MODULES = (
    "indemnisation.cli.database",
    "indemnisation.cli.accounts",
    "indemnisation.cli.demo",
    "indemnisation.cli.assess",
    "indemnisation.cli.airports",
    "indemnisation.cli.synthetic",
    "indemnisation.cli.away_mail",
)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m indemnisation", description=__doc__)
    subparsers = parser.add_subparsers(dest="command", required=True)
    for name in COMMAND_MODULES:
        importlib.import_module(name).register(subparsers)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    return int(args.handler(args))
