"""Documents of a claim: checked from their content, kept in the private store, shown only to the
claim's owner and admins through short-lived signed links."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import Any

from sqlmodel import Session, func, select

from indemnisation.db import session_scope
from indemnisation.domain.claim_status import ClaimStatus
from indemnisation.models import Claim, Document, DocumentKind, Role
from indemnisation.services import claim_outcome
from indemnisation.services.authz import authorize
from indemnisation.services.claims import access_claim
from indemnisation.services.errors import InvalidInput, NotFound
from indemnisation.services.files import inspect_upload, make_thumbnail
from indemnisation.services.views import UserView
from indemnisation.settings import get_settings
from indemnisation.storage import get_store, sign_link

log = logging.getLogger(__name__)

MB = 1024 * 1024
CLAIMANT_KINDS = frozenset(
    {
        DocumentKind.BOARDING_PASS,
        DocumentKind.IDENTITY,
        DocumentKind.DISRUPTION_PROOF,
        DocumentKind.RECEIPT,
        DocumentKind.REQUESTED,
    }
)


def _may_upload(claim: Claim, user: UserView, kind: DocumentKind) -> bool:
    if claim.owner_id != user.id or kind not in CLAIMANT_KINDS:
        return False
    if claim.status is ClaimStatus.DRAFT:
        return kind is not DocumentKind.REQUESTED
    return claim.status is ClaimStatus.NEEDS_INFO


def _claim_bytes(session: Session, claim_id: int) -> int:
    return int(
        session.exec(
            select(func.coalesce(func.sum(Document.size), 0)).where(Document.claim_id == claim_id)
        ).one()
    )


def add_document(
    *, actor: UserView | None, claim_id: Any, kind: Any, data: bytes, filename: str
) -> int:
    """Check and store one file for the claim; returns the document id."""
    user = authorize(actor)
    try:
        document_kind = DocumentKind(kind)
    except ValueError:
        raise InvalidInput("error.document_kind", field="kind") from None
    settings = get_settings()
    checked = inspect_upload(data, filename, max_bytes=settings.max_file_mb * MB)
    with session_scope() as session:
        claim = access_claim(session, user, claim_id)
        if not _may_upload(claim, user, document_kind):
            raise InvalidInput("error.upload_not_allowed")
        assert claim.id is not None
        if _claim_bytes(session, claim.id) + checked.size > settings.max_claim_mb * MB:
            raise InvalidInput("error.claim_too_large", max_mb=settings.max_claim_mb)
        store = get_store()
        saved: list[str] = []
        try:  # a file is never left behind without its row (a full disk, a failed commit)
            saved.append(store.save(data))
            thumbnail = make_thumbnail(data, checked.content_type)
            if thumbnail:
                saved.append(store.save(thumbnail))
            document = Document(
                claim_id=claim.id,
                kind=document_kind,
                original_name=checked.safe_name,
                content_type=checked.content_type,
                size=checked.size,
                sha256=checked.sha256,
                storage_key=saved[0],
                thumbnail_key=saved[1] if thumbnail else None,
                uploaded_by=user.id,
            )
            session.add(document)
            claim_outcome.refresh(session, claim)
            session.commit()
        except BaseException:
            for key in saved:
                store.delete(key)
            raise
        assert document.id is not None
        log.info("document stored", extra={"claim_id": claim.id, "document_id": document.id})
        return document.id


def remove_document(*, actor: UserView | None, claim_id: Any, document_id: Any) -> None:
    """A claimant removes a document from their draft."""
    with session_scope() as session:
        claim = access_claim(session, actor, claim_id, draft_only=True)
        document = session.get(Document, document_id) if isinstance(document_id, int) else None
        if document is None or document.claim_id != claim.id:
            raise NotFound()
        if document.kind is DocumentKind.MANDATE:
            raise InvalidInput("error.upload_not_allowed")
        keys = (document.storage_key, document.thumbnail_key)
        session.delete(document)
        claim_outcome.refresh(session, claim)
        session.commit()
    for key in keys:
        if key:
            get_store().delete(key)


@dataclass(frozen=True)
class Download:
    name: str
    content_type: str
    data: bytes


def access_document(session: Session, actor: UserView | None, document_id: Any) -> Document:
    """The document if ``actor`` may read it (the claim's owner or an admin), else NotFound."""
    user = authorize(actor)
    if not isinstance(document_id, int) or isinstance(document_id, bool):
        raise NotFound()
    document = session.get(Document, document_id)
    if document is None:
        raise NotFound()
    claim = session.get(Claim, document.claim_id)
    if claim is None or (claim.owner_id != user.id and user.role is not Role.ADMIN):
        raise NotFound()
    return document


def read_document(*, actor: UserView | None, document_id: Any, thumbnail: bool) -> Download:
    with session_scope() as session:
        document = access_document(session, actor, document_id)
        key = document.thumbnail_key if thumbnail else document.storage_key
        if key is None:
            raise NotFound()
        content_type = "image/png" if thumbnail else document.content_type
        name, data = document.original_name, get_store().read(key)
    return Download(name, content_type, data)


def document_links(*, actor: UserView | None, document_ids: list[int]) -> dict[int, dict[str, str]]:
    """Signed, short-lived URLs of each readable document (file and thumbnail)."""
    user = authorize(actor)
    ttl = get_settings().download_link_seconds
    links: dict[int, dict[str, str]] = {}
    with session_scope() as session:
        for document_id in document_ids:
            try:
                document = access_document(session, user, document_id)
            except NotFound:
                continue
            entry = {"file": "/files/" + sign_link(document_id, user.id, ttl, "file")}
            if document.thumbnail_key:
                entry["thumb"] = "/files/" + sign_link(document_id, user.id, ttl, "thumb")
            links[document_id] = entry
    return links
