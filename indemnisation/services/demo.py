"""Demo accounts for the embedded default; never loaded in production."""

from __future__ import annotations

from dataclasses import dataclass

from sqlmodel import select

from indemnisation.db import session_scope
from indemnisation.models import CannedResponse, Role, User
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


_SIGNATURE = {"fr": "L'équipe Indemnisation", "en": "The Indemnisation team"}
DEMO_CANNED_RESPONSES: tuple[tuple[str, str, str], ...] = (
    (
        "fr",
        "Demande de carte d'embarquement",
        "Bonjour,\n\nPour instruire votre demande, nous avons besoin de la carte d'embarquement de "
        "chaque passager (à défaut, de la confirmation de réservation). Vous pouvez la joindre "
        "à ce message, en PDF ou en photo lisible.\n\nMerci d'avance,",
    ),
    (
        "fr",
        "Accusé de réception",
        "Bonjour,\n\nNous avons bien reçu votre demande et vos documents. Notre équipe les "
        "examine et revient vers vous sous cinq jours ouvrés ; vous serez prévenu ici à chaque "
        "étape.\n\nBien cordialement,",
    ),
    (
        "fr",
        "Réclamation envoyée à la compagnie",
        "Bonjour,\n\nVotre réclamation vient d'être transmise à la compagnie aérienne. Elle "
        "répond en général sous six à huit semaines ; nous la relancerons si besoin et vous "
        "tiendrons informé ici.\n\nBien cordialement,",
    ),
    (
        "en",
        "Boarding pass request",
        "Hello,\n\nTo process your claim we need each passenger's boarding pass (or, failing "
        "that, the booking confirmation). You can attach it to this message, as a PDF or a "
        "legible photo.\n\nThank you,",
    ),
    (
        "en",
        "Receipt confirmed",
        "Hello,\n\nWe have received your claim and your documents. Our team is reviewing them "
        "and will get back to you within five working days; you will be told here at every "
        "step.\n\nKind regards,",
    ),
    (
        "en",
        "Claim sent to the airline",
        "Hello,\n\nYour claim has just been sent to the airline. Airlines usually answer within "
        "six to eight weeks; we will chase them if needed and keep you informed here.\n\n"
        "Kind regards,",
    ),
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
    _seed_canned_responses()
    return list(DEMO_ACCOUNTS)


def _seed_canned_responses() -> None:
    """The team's example replies that are missing (same language and title)."""
    with session_scope() as session:
        existing = set(session.exec(select(CannedResponse.locale, CannedResponse.title)).all())
        for locale, title, body in DEMO_CANNED_RESPONSES:
            if (locale, title) not in existing:
                text = f"{body}\n{_SIGNATURE[locale]}"
                session.add(CannedResponse(locale=locale, title=title, body=text))
        session.commit()
