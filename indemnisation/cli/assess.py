"""``assess FILE``: print the EU261/UK261 verdict for a case described in JSON (``-`` = stdin)."""

from __future__ import annotations

import argparse
import json
import sys
from typing import Any

from indemnisation.domain.eligibility import CaseError, assess, parse_case_json

EXIT_BAD_INPUT = 2


def _read(path: str) -> str:
    if path == "-":
        return sys.stdin.read()
    with open(path, encoding="utf-8") as file:
        return file.read()


def _assess(args: argparse.Namespace) -> int:
    try:
        case = parse_case_json(_read(args.file))
    except OSError as error:
        print(f"error: cannot read {args.file}: {error.strerror}", file=sys.stderr)
        return EXIT_BAD_INPUT
    except UnicodeDecodeError:
        print(f"error: {args.file} is not UTF-8 text", file=sys.stderr)
        return EXIT_BAD_INPUT
    except CaseError as error:
        print(f"error: {error.field}: {error.message}", file=sys.stderr)
        return EXIT_BAD_INPUT
    print(json.dumps(assess(case).to_dict(), ensure_ascii=False, indent=2))
    return 0


def register(subparsers: Any) -> None:
    parser = subparsers.add_parser(
        "assess",
        help="assess an EU261/UK261 claim described in a JSON file (see docs/eligibility.md)",
    )
    parser.add_argument("file", metavar="FILE", help="JSON case file, or - for standard input")
    parser.set_defaults(handler=_assess)
