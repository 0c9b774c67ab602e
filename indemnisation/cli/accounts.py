"""``create-admin`` and ``reset-password``: operator commands for accounts."""

from __future__ import annotations

import argparse
import getpass
import sys
from typing import Any

from indemnisation.i18n import translate
from indemnisation.models import Role
from indemnisation.services import accounts
from indemnisation.services.errors import ServiceError


def _password(args: argparse.Namespace) -> str:
    if args.password_stdin:
        return sys.stdin.readline().rstrip("\n")
    first = getpass.getpass("Password: ")
    if first != getpass.getpass("Password again: "):
        raise ServiceError("error.password_mismatch")
    return first


def _fail(error: ServiceError) -> int:
    print(f"error: {translate('en', error.code, **error.params)}", file=sys.stderr)
    return 2


def _create_admin(args: argparse.Namespace) -> int:
    try:
        user = accounts.create_user(
            email=args.email,
            full_name=args.name,
            password=_password(args),
            role=Role.ADMIN,
            locale=args.locale,
        )
    except ServiceError as error:
        return _fail(error)
    print(f"Admin created: {user.email} (id {user.id})")
    return 0


def _reset_password(args: argparse.Namespace) -> int:
    try:
        user = accounts.admin_reset_password(email=args.email, password=_password(args))
    except ServiceError as error:
        return _fail(error)
    print(f"Password reset for {user.email}; their sessions were signed out.")
    return 0


def register(subparsers: Any) -> None:
    create = subparsers.add_parser("create-admin", help="create an admin account")
    create.add_argument("--email", required=True)
    create.add_argument("--name", required=True)
    create.add_argument("--locale", default="fr", choices=["fr", "en"])
    create.add_argument("--password-stdin", action="store_true", help="read the password on stdin")
    create.set_defaults(handler=_create_admin)

    reset = subparsers.add_parser("reset-password", help="set a new password for an account")
    reset.add_argument("--email", required=True)
    reset.add_argument("--password-stdin", action="store_true", help="read the password on stdin")
    reset.set_defaults(handler=_reset_password)
