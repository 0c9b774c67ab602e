"""``migrate``: bring the database schema to the latest revision."""

from __future__ import annotations

import argparse
from typing import Any

from indemnisation.migrations import upgrade_to_head
from indemnisation.settings import get_settings


def _migrate(_args: argparse.Namespace) -> int:
    upgrade_to_head()
    url = get_settings().database_url
    print(f"Database at head: {url.split('@')[-1]}")
    return 0


def register(subparsers: Any) -> None:
    parser = subparsers.add_parser("migrate", help="upgrade the database to the latest revision")
    parser.set_defaults(handler=_migrate)
