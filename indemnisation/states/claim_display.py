"""What the claim pages show of a claim: the verdict's reasons, and the documents with fresh
signed links."""

from __future__ import annotations

import re
from typing import Any

from indemnisation.i18n import format_moment, translate
from indemnisation.services import claim_documents
from indemnisation.services.claim_views import DocumentView
from indemnisation.services.views import UserView
from indemnisation.states.session import run_service


async def document_rows(
    user: UserView, documents: list[DocumentView], lang: str
) -> list[dict[str, str]]:
    links = await run_service(
        claim_documents.document_links, actor=user, document_ids=[d.id for d in documents]
    )
    return [
        {
            "id": str(d.id),
            "kind": translate(lang, f"document.kind.{d.kind.value}"),
            "name": d.name,
            "date": format_moment(lang, d.created_at),
            "file": links.get(d.id, {}).get("file", ""),
            "thumb": links.get(d.id, {}).get("thumb", ""),
            "review": d.review,
            "review_label": translate(lang, f"review.{d.review}"),
            "review_reason": d.review_reason,
        }
        for d in documents
    ]


def reason_rows(items: list[dict[str, Any]], lang: str) -> list[dict[str, str]]:
    """The engine's reasons (or open questions) in the person's language, with their reference."""
    return [{"text": str(item[lang]), "reference": str(item["reference"])} for item in items]


_CLAIM_PATH = re.compile(r"^(?:/admin)?/claims/(\d{1,9})(?:/|$)")


def claim_id_in(path: str) -> int:
    """The claim id of a ``/claims/<id>[/...]`` or ``/admin/claims/<id>`` page, or 0."""
    match = _CLAIM_PATH.match(path)
    return int(match.group(1)) if match else 0
