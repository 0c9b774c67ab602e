"""HTTP routes beside Reflex's websocket: private downloads behind signed, expiring links.

A link is only good for the person it was made for: the signed token names the document and the
user, and the session cookie of the request must belong to that same user (who must still be
allowed to read the document). Every refusal is the same 404: nothing says whether a file exists.
"""

from __future__ import annotations

from urllib.parse import quote

from starlette.applications import Starlette
from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import PlainTextResponse, Response, StreamingResponse
from starlette.routing import Route

from indemnisation.models import Role
from indemnisation.services import accounts, analytics, claims_queue_export
from indemnisation.services.claim_documents import Download, read_document
from indemnisation.services.demand_letter import demand_letter
from indemnisation.services.errors import ServiceError
from indemnisation.services.messaging import read_attachment
from indemnisation.storage import verify_link

SESSION_COOKIE = "ind_session"
PRIVATE_HEADERS = {
    "X-Content-Type-Options": "nosniff",
    "Content-Security-Policy": "default-src 'none'; img-src 'self'; sandbox",
    "Cache-Control": "private, no-store",
    "Referrer-Policy": "no-referrer",
    "Cross-Origin-Resource-Policy": "same-origin",
}


def _not_found() -> Response:
    return PlainTextResponse("Not found", status_code=404, headers=PRIVATE_HEADERS)


def _fetch(token: str, session_token: str) -> Download | None:
    claims = verify_link(token)
    if claims is None:
        return None
    user = accounts.access_session(session_token)
    if user is None or user.id != claims.user_id:
        return None
    try:
        if claims.variant.startswith("message-"):
            return read_attachment(
                actor=user,
                attachment_id=claims.document_id,
                thumbnail=claims.variant == "message-thumb",
            )
        return read_document(
            actor=user, document_id=claims.document_id, thumbnail=claims.variant == "thumb"
        )
    except (ServiceError, KeyError, ValueError, OSError):
        return None


async def download(request: Request) -> Response:
    token = str(request.path_params.get("token", ""))[:512]
    found = await run_in_threadpool(_fetch, token, request.cookies.get(SESSION_COOKIE, ""))
    if found is None:
        return _not_found()
    disposition = "inline" if found.content_type.startswith("image/") else "attachment"
    headers = {
        **PRIVATE_HEADERS,
        "Content-Disposition": f"{disposition}; filename*=UTF-8''{quote(found.name)}",
    }
    return Response(found.data, media_type=found.content_type, headers=headers)


async def export_csv(request: Request) -> Response:
    """An analytics table as CSV, streamed, for the admin of the session cookie (else 404)."""
    user = await run_in_threadpool(accounts.access_session, request.cookies.get(SESSION_COOKIE, ""))
    table = request.path_params.get("table")
    period = {
        "date_from": request.query_params.get("from", "")[:10],
        "date_to": request.query_params.get("to", "")[:10],
    }
    try:
        lines = analytics.export_csv(
            actor=user, table=table, locale=user.locale if user else "fr", **period
        )
        name = analytics.export_filename(table=table, **period)
    except ServiceError:
        return _not_found()
    headers = {**PRIVATE_HEADERS, "Content-Disposition": f'attachment; filename="{name}"'}
    return StreamingResponse(lines, media_type="text/csv; charset=utf-8", headers=headers)


def _queue_export(
    token: str, session_token: str, ip: str
) -> claims_queue_export.QueueExport | None:
    ticket = claims_queue_export.verify_export(token)
    if ticket is None:
        return None
    user = accounts.access_session(session_token)
    if user is None or user.id != ticket.user_id:
        return None
    try:
        return claims_queue_export.export_csv(
            actor=user, filters=ticket.filters, order=ticket.order, locale=user.locale, ip=ip
        )
    except ServiceError:
        return None


async def export_queue(request: Request) -> Response:
    """The claims queue as CSV, streamed, for the admin the signed ticket was made for, who
    must be the admin of the session cookie (checked again here); anything else is a 404."""
    token = str(request.path_params.get("token", ""))[: claims_queue_export.MAX_TICKET + 1]
    ip = request.client.host if request.client else ""
    found = await run_in_threadpool(
        _queue_export, token, request.cookies.get(SESSION_COOKIE, ""), ip
    )
    if found is None:
        return _not_found()
    headers = {
        **PRIVATE_HEADERS,
        "Content-Disposition": f'attachment; filename="{found.filename}"',
        "X-Total-Rows": str(found.rows),
    }
    return StreamingResponse(found.chunks, media_type="text/csv; charset=utf-8", headers=headers)


def _letter(claim_id: int, locale: str, session_token: str, ip: str) -> Download | None:
    user = accounts.access_session(session_token)
    if user is None or user.role is not Role.ADMIN:
        return None
    try:
        return demand_letter(actor=user, claim_id=claim_id, locale=locale, ip=ip)
    except ServiceError:
        return None


async def letter(request: Request) -> Response:
    """A claim's demand letter to the airline as a PDF (``?lang=fr`` or ``en``), for the admin
    of the session cookie; anything else is a 404."""
    claim_id = int(request.path_params["claim_id"])
    locale = request.query_params.get("lang", "fr")[:8]
    ip = request.client.host if request.client else ""
    found = await run_in_threadpool(
        _letter, claim_id, locale, request.cookies.get(SESSION_COOKIE, ""), ip
    )
    if found is None:
        return _not_found()
    headers = {
        **PRIVATE_HEADERS,
        "Content-Disposition": f"attachment; filename*=UTF-8''{quote(found.name)}",
    }
    return Response(found.data, media_type=found.content_type, headers=headers)


api = Starlette(
    routes=[
        Route("/files/{token}", download, methods=["GET"]),
        Route("/exports/{table}", export_csv, methods=["GET"]),
        Route("/exports/queue/{token}", export_queue, methods=["GET"]),
        Route("/admin/claims/{claim_id:int}/letter.pdf", letter, methods=["GET"]),
    ]
)
