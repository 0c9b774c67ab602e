"""Bench data for the live delivery benchmark: submitted claims with their claimants, a few
admins, and a signed-in session for each person (through the services, as the app makes them).

Idempotent: people and claims made by an earlier run are found again by their e-mail addresses.
"""

from __future__ import annotations

import sys
from dataclasses import dataclass
from pathlib import Path

from sqlmodel import col, select

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))

from claim_factory import submitted_claim  # noqa: E402

from indemnisation.db import session_scope  # noqa: E402
from indemnisation.domain.claim_status import ClaimStatus  # noqa: E402
from indemnisation.models import Claim, Role, User  # noqa: E402
from indemnisation.services import accounts  # noqa: E402
from indemnisation.services.views import UserView  # noqa: E402

PASSWORD = "Banc-d-essai-2026!"
DOMAIN = "bench-live.example.org"


@dataclass(frozen=True)
class Thread:
    index: int
    claim_id: int
    claimant_session: str
    admin_session: str


def _person(email: str, name: str, role: Role) -> UserView:
    with session_scope() as session:
        user = session.exec(select(User).where(User.email == email)).first()
        if user is not None:
            return UserView.of(user)
    return accounts.create_user(
        email=email, full_name=name, password=PASSWORD, role=role, locale="fr"
    )


def _claim_of(owner: UserView) -> int:
    with session_scope() as session:
        found = session.exec(
            select(Claim.id)
            .where(Claim.owner_id == owner.id, Claim.status != ClaimStatus.DRAFT)
            .order_by(col(Claim.id))
        ).first()
    return found if found is not None else submitted_claim(owner)


def _session(email: str) -> str:
    """The session a login opens, without the password check: its deliberate cost (argon2)
    would make preparing 1,000 people take minutes on every run."""
    with session_scope() as session:
        user = session.exec(select(User).where(User.email == email)).one()
        signed_in = accounts._open_session(session, user, ip="127.0.0.1", user_agent="bench")
        session.commit()
    return signed_in.token


def prepare(threads: int, admins: int) -> list[Thread]:
    """``threads`` submitted claims, each with its claimant, and ``admins`` admins who share
    the threads (thread i is followed by admin i % admins); one fresh session per person."""
    admin_sessions = []
    for a in range(admins):
        email = f"admin{a}@{DOMAIN}"
        _person(email, f"Agent Banc {a}", Role.ADMIN)
        admin_sessions.append(_session(email))
    prepared = []
    for i in range(threads):
        email = f"claimant{i}@{DOMAIN}"
        owner = _person(email, f"Passager Banc {i}", Role.CLAIMANT)
        prepared.append(Thread(i, _claim_of(owner), _session(email), admin_sessions[i % admins]))
    return prepared
