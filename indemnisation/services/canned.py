"""Canned responses: replies the claims team writes once per language and inserts in the message
composer. Only admins read or manage them."""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import func
from sqlmodel import Session, col, select

from indemnisation.db import session_scope
from indemnisation.domain.messages import MAX_LENGTH, ContentError, normalize_content
from indemnisation.i18n import LOCALES
from indemnisation.models import CannedResponse, Role
from indemnisation.models.types import utcnow
from indemnisation.services.authz import authorize
from indemnisation.services.claims import MAX_ID
from indemnisation.services.errors import InvalidInput, NotFound
from indemnisation.services.views import UserView

MAX_TITLE = 80
MAX_BODY = MAX_LENGTH


@dataclass(frozen=True)
class CannedView:
    id: int
    locale: str
    title: str
    body: str
    updated_at: datetime

    @classmethod
    def of(cls, row: CannedResponse) -> CannedView:
        assert row.id is not None
        return cls(row.id, row.locale, row.title, row.body, row.updated_at)


def check_locale(locale: object) -> str:
    """``locale`` when it is one the product speaks, else a refusal."""
    if not isinstance(locale, str) or locale not in LOCALES:
        raise InvalidInput("error.canned_locale_invalid", field="locale")
    return locale


def _title(raw: object) -> str:
    """One line: control characters removed, runs of whitespace made one space, ends stripped."""
    if not isinstance(raw, str):
        raise InvalidInput("error.canned_title_empty", field="title")
    text = " ".join("".join(c if unicodedata.category(c) != "Cc" else " " for c in raw).split())
    if not text:
        raise InvalidInput("error.canned_title_empty", field="title")
    if len(text) > MAX_TITLE:
        raise InvalidInput("error.canned_title_too_long", field="title", max=MAX_TITLE)
    return text


def _body(raw: object) -> str:
    """The same rules as a message, since the body becomes one."""
    if not isinstance(raw, str):
        raise InvalidInput("error.canned_body_empty", field="body")
    try:
        return normalize_content(raw)
    except ContentError as error:
        if error.reason == "too_long":
            raise InvalidInput("error.canned_body_too_long", field="body", max=MAX_BODY) from None
        raise InvalidInput("error.canned_body_empty", field="body") from None


def _access(session: Session, response_id: object) -> CannedResponse:
    if (
        not isinstance(response_id, int)
        or isinstance(response_id, bool)
        or not 0 < response_id < MAX_ID
    ):
        raise NotFound()
    row = session.get(CannedResponse, response_id)
    if row is None:
        raise NotFound()
    return row


def list_responses(*, actor: UserView | None, locale: str | None) -> list[CannedView]:
    """The responses of ``locale`` (all languages when None), by title."""
    authorize(actor, Role.ADMIN)
    query = select(CannedResponse)
    if locale is not None:
        query = query.where(CannedResponse.locale == check_locale(locale))
    query = query.order_by(func.lower(CannedResponse.title), col(CannedResponse.id))
    with session_scope() as session:
        return [CannedView.of(row) for row in session.exec(query).all()]


def get_response(*, actor: UserView | None, response_id: Any) -> CannedView:
    authorize(actor, Role.ADMIN)
    with session_scope() as session:
        return CannedView.of(_access(session, response_id))


def save_response(
    *, actor: UserView | None, response_id: Any | None, locale: Any, title: Any, body: Any
) -> CannedView:
    """Create (``response_id`` None) or update a response; every field is checked first."""
    authorize(actor, Role.ADMIN)
    locale, title, body = check_locale(locale), _title(title), _body(body)
    with session_scope() as session:
        if response_id is None:
            row = CannedResponse(locale=locale, title=title, body=body)
        else:
            row = _access(session, response_id)
            row.locale, row.title, row.body, row.updated_at = locale, title, body, utcnow()
        session.add(row)
        session.commit()
        session.refresh(row)
        return CannedView.of(row)


def delete_response(*, actor: UserView | None, response_id: Any) -> None:
    authorize(actor, Role.ADMIN)
    with session_scope() as session:
        session.delete(_access(session, response_id))
        session.commit()
