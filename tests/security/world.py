"""The world every attack runs against, built once per module and put back after each attack.

Four people: the owner of the claims (a claimant), an intruder (another claimant), an admin and a
colleague admin. The owner has a submitted claim with a document and a thread (their message with
an attachment, a team reply, an internal note), a claim the team asked more information on, and a
draft with a document. Each person's private texts are *markers*: a caller's state must never
hold a marker of someone whose data they may not see.

``fingerprint()`` sums up every table but the audit log (and the private files): an attack that
must be refused must leave it as it was. ``Snapshot`` puts the world back, rows and files.
"""

from __future__ import annotations

import hashlib
import shutil
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import redis
from sqlalchemy import func, select, text
from sqlmodel import SQLModel

from indemnisation.db import get_engine
from indemnisation.models import AuditEntry, Role
from indemnisation.services import (
    accounts,
    canned,
    claim_admin,
    claim_documents,
    claim_views,
    messaging,
)
from indemnisation.services.views import UserView
from indemnisation.settings import get_settings
from tests.claim_factory import eligible_draft, pdf_bytes, png_bytes, submitted_claim
from tests.conftest import PASSWORD

CALLERS = ("anonymous", "intruder", "claimant", "admin")
"""Who attacks: nobody signed in, a claimant acting on the owner's claims, the owner (a
claimant) calling an admin action, and an admin."""

AUDIT_TABLE = AuditEntry.__tablename__

PROOF = "<the session id the page holds>"
"""Stands for the session id an upload carries from its page: the caller's own (none for an
anonymous caller), as the real page sends it."""


@dataclass
class World:
    owner: UserView
    intruder: UserView
    admin: UserView
    colleague: UserView
    tokens: dict[str, str]
    claim: int
    """The owner's submitted claim."""
    asked: int
    """The owner's claim the team asked more information on (NEEDS_INFO)."""
    draft: int
    """The owner's draft, eligible, with a boarding pass."""
    claim_document: int
    draft_document: int
    message: int
    """The owner's message on ``claim`` (with an attachment)."""
    attachment: int
    reply: int
    """The team's reply to it."""
    canned: int
    markers: dict[str, tuple[str, ...]] = field(default_factory=dict)
    """Private texts of "owner", "intruder" and "team" (what only admins may see)."""

    def user(self, caller: str) -> UserView | None:
        """The person behind a caller ("claimant" is the owner)."""
        return {
            "anonymous": None,
            "intruder": self.intruder,
            "claimant": self.owner,
            "admin": self.admin,
        }[caller]

    def forbidden_markers(self, caller: str) -> tuple[str, ...]:
        """The markers ``caller`` must never be shown."""
        allowed = {
            "anonymous": set(),
            "intruder": {"intruder"},
            "claimant": {"owner"},
            "admin": {"owner", "intruder", "team"},
        }[caller]
        return tuple(m for who, texts in self.markers.items() if who not in allowed for m in texts)


def _login(user: UserView) -> str:
    return accounts.login(email=user.email, password=PASSWORD).token


def build_world() -> World:
    owner = accounts.create_user(
        email="ondine.proprietaire@example.org",
        full_name="Ondine Propriétaire",
        password=PASSWORD,
        role=Role.CLAIMANT,
        locale="fr",
    )
    intruder = accounts.create_user(
        email="igor.intrus@example.org",
        full_name="Igor Intrus",
        password=PASSWORD,
        role=Role.CLAIMANT,
        locale="fr",
    )
    admin = accounts.create_user(
        email="alice.equipe@example.org",
        full_name="Alice Equipe",
        password=PASSWORD,
        role=Role.ADMIN,
        locale="fr",
    )
    colleague = accounts.create_user(
        email="colette.equipe@example.org",
        full_name="Colette Equipe",
        password=PASSWORD,
        role=Role.ADMIN,
        locale="fr",
    )
    claim = submitted_claim(owner)
    asked = submitted_claim(owner)
    claim_admin.change_status(actor=admin, claim_id=asked, to_status="NEEDS_INFO", note="Pièce")
    draft = eligible_draft(owner)
    draft_document = claim_documents.add_document(
        actor=owner,
        claim_id=draft,
        kind="BOARDING_PASS",
        data=pdf_bytes(),
        filename="brouillon.pdf",
    )
    sent = messaging.send_message(
        actor=owner,
        claim_id=claim,
        content="Message privé d'Ondine sur son vol",
        client_key="world-owner-message-1",
        attachments=[("photo-ondine.png", png_bytes())],
    )
    reply = messaging.send_message(
        actor=admin, claim_id=claim, content="Réponse de l'équipe", client_key="world-team-reply-1"
    )
    messaging.send_message(
        actor=admin,
        claim_id=claim,
        content="Note interne confidentielle",
        client_key="world-internal-note-1",
        internal=True,
    )
    response = canned.save_response(
        actor=admin,
        response_id=None,
        locale="fr",
        title="Modèle confidentiel",
        body="Corps du modèle confidentiel",
    )
    documents = claim_admin.processing_view(actor=admin, claim_id=claim).documents
    references = [_reference(admin, claim_id) for claim_id in (claim, asked)]
    return World(
        owner=owner,
        intruder=intruder,
        admin=admin,
        colleague=colleague,
        tokens={
            "anonymous": "",
            "intruder": _login(intruder),
            "claimant": _login(owner),
            "admin": _login(admin),
        },
        claim=claim,
        asked=asked,
        draft=draft,
        claim_document=documents[0].id,
        draft_document=draft_document,
        message=sent.message.id,
        attachment=sent.message.attachments[0].id,
        reply=reply.message.id,
        canned=response.id,
        markers={
            "owner": (
                owner.email,
                "Ondine Propriétaire",
                "Message privé d'Ondine",
                "photo-ondine.png",
                "brouillon.pdf",
                *references,
            ),
            "intruder": (intruder.email, "Igor Intrus"),
            "team": (
                admin.email,
                colleague.email,
                "Note interne confidentielle",
                "Modèle confidentiel",
                "Corps du modèle confidentiel",
            ),
        },
    )


def _reference(admin: UserView, claim_id: int) -> str:
    reference = claim_views.claim_detail(actor=admin, claim_id=claim_id).summary.reference
    assert reference
    return reference


# --- what the data looks like ---------------------------------------------------------------------


def _tables() -> list[Any]:
    return list(SQLModel.metadata.sorted_tables)


def fingerprint() -> dict[str, str]:
    """Each table but the audit log, summed up as "rows:digest of every row"."""
    return data_point()[0]


def last_audit_id() -> int:
    return data_point()[1]


def data_point() -> tuple[dict[str, str], int]:
    """``fingerprint()`` and the last audit entry's id, on one connection."""
    with get_engine().connect() as connection:
        if connection.dialect.name == "postgresql":
            return _postgres_point(connection)
        sums = {}
        for table in _tables():
            if table.name == AUDIT_TABLE:
                continue
            rows = sorted(repr(tuple(row)) for row in connection.execute(select(table)))
            digest = hashlib.sha256("\n".join(rows).encode("utf-8", "surrogatepass"))
            sums[table.name] = f"{len(rows)}:{digest.hexdigest()}"
        return sums, int(connection.execute(_LAST_AUDIT).scalar_one() or 0)


_LAST_AUDIT = select(func.coalesce(func.max(AuditEntry.id), 0))


def _postgres_point(connection: Any) -> tuple[dict[str, str], int]:
    """The same in one round trip, each row as PostgreSQL writes it as text."""
    quote = connection.dialect.identifier_preparer.quote
    parts = [
        f"SELECT '{table.name}', count(*) || ':' || md5(coalesce("
        f"string_agg(x::text, E'\\n' ORDER BY x::text), '')) FROM {quote(table.name)} x"
        for table in _tables()
        if table.name != AUDIT_TABLE
    ]
    parts.append(f"SELECT '', coalesce(max(id), 0)::text FROM {quote(AUDIT_TABLE)}")
    sums = dict(connection.execute(text(" UNION ALL ".join(parts))).all())
    return sums, int(sums.pop(""))


def audit_since(after_id: int) -> list[Any]:
    table = AuditEntry.__table__  # type: ignore[attr-defined]
    with get_engine().connect() as connection:
        return list(
            connection.execute(select(table).where(table.c.id > after_id).order_by(table.c.id))
        )


def _files(root: Path) -> Iterator[Path]:
    return (p for p in sorted(root.rglob("*")) if p.is_file()) if root.exists() else iter(())


def files_fingerprint() -> list[tuple[str, int, int]]:
    """Every private file: its key, size and modification time (files are written whole)."""
    root = get_settings().private_dir
    return [
        (str(path.relative_to(root)), (info := path.stat()).st_size, info.st_mtime_ns)
        for path in _files(root)
    ]


def empty_tables() -> None:
    with get_engine().begin() as connection:
        for table in reversed(_tables()):
            connection.execute(table.delete())


def forget_redis_keys() -> None:
    """The app's own Redis keys (throttling, presence, caches: all under ``ind:``)."""
    url = get_settings().redis_url
    if not url:
        return
    client = redis.Redis.from_url(url)
    keys = list(client.scan_iter(match="ind:*", count=1000))
    if keys:
        client.delete(*keys)


class Snapshot:
    """Every row and every private file as they are now; ``restore`` puts them back."""

    def __init__(self, saved_files: Path) -> None:
        with get_engine().connect() as connection:
            self.rows = {
                table.name: [dict(row) for row in connection.execute(select(table)).mappings()]
                for table in _tables()
            }
        self.data, self.last_audit = data_point()
        self.files = files_fingerprint()
        self.saved_files = saved_files
        root = get_settings().private_dir
        if saved_files.exists():
            shutil.rmtree(saved_files)
        if root.exists():
            shutil.copytree(root, saved_files)

    def restore(self) -> None:
        if data_point() != (self.data, self.last_audit):
            self._restore_rows()
        if files_fingerprint() != self.files:
            root = get_settings().private_dir
            shutil.rmtree(root, ignore_errors=True)
            if self.saved_files.exists():
                shutil.copytree(self.saved_files, root)

    def _restore_rows(self) -> None:
        with get_engine().begin() as connection:
            for table in reversed(_tables()):
                connection.execute(table.delete())
            for table in _tables():
                if self.rows[table.name]:
                    connection.execute(table.insert(), self.rows[table.name])
