"""Demo accounts for the embedded default; never loaded in production."""

from __future__ import annotations

from dataclasses import dataclass

from sqlmodel import select

from indemnisation.db import session_scope
from indemnisation.models import Role, User
from indemnisation.services import accounts
from indemnisation.settings import get_settings


@dataclass(frozen=True)
class DemoAccount:
    email: str
    full_name: str
    role: Role
    locale: str


DEMO_PASSWORD = "Demo-Passager-2026"  # noqa: S105  (printed for people trying the demo)
DEMO_ACCOUNTS = (
    DemoAccount("admin@demo.indemnisation.fr", "Alice Martin", Role.ADMIN, "fr"),
    DemoAccount("claire@demo.indemnisation.fr", "Claire Dubois", Role.CLAIMANT, "fr"),
    DemoAccount("james@demo.indemnisation.fr", "James Wilson", Role.CLAIMANT, "en"),
)


class DemoRefused(RuntimeError):
    pass


def load_demo_data() -> list[DemoAccount]:
    """Create the demo accounts that do not exist yet (idempotent)."""
    if get_settings().is_prod:
        raise DemoRefused("demo data is never loaded in production")
    with session_scope() as session:
        existing = set(session.exec(select(User.email)).all())
    for account in DEMO_ACCOUNTS:
        if account.email not in existing:
            accounts.create_user(
                email=account.email,
                full_name=account.full_name,
                password=DEMO_PASSWORD,
                role=account.role,
                locale=account.locale,
            )
    return list(DEMO_ACCOUNTS)
