"""``away-mail [--once]``: email people about messages they left unread, every 30 seconds (or
one round), as a service of its own beside the web workers, which run the same rounds."""

from __future__ import annotations

import argparse
import contextlib
from typing import Any

from indemnisation.away_runner import run_forever
from indemnisation.logging_setup import configure_logging
from indemnisation.settings import get_settings


def _away_mail(args: argparse.Namespace) -> int:
    settings = get_settings()
    settings.check_production()
    configure_logging(json_lines=settings.json_logs)
    with contextlib.suppress(KeyboardInterrupt):
        run_forever(once=args.once)
    return 0


def register(subparsers: Any) -> None:
    parser = subparsers.add_parser(
        "away-mail", help="email people about the messages they left unread (runs until stopped)"
    )
    parser.add_argument("--once", action="store_true", help="run a single round, then exit")
    parser.set_defaults(handler=_away_mail)
