"""The message thread of a claim: its owner and the claims team talk there, admins also leave
internal notes that the claimant never sees.

Every function reaches the claim through ``access_claim`` (owner or admin, else NotFound). Read
state is one pointer per person and thread (the last message id read), so unread counts are a
single grouped query. Writes happen in one transaction; ``send_message`` then says whom to
notify, and a realtime layer does the pushing.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import and_, func, true
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, col, select

from indemnisation.db import session_scope
from indemnisation.domain.channels import ADMINS, claim_channel, team_channel, user_channel
from indemnisation.domain.claim_status import ClaimStatus
from indemnisation.domain.messages import (
    MAX_LENGTH,
    RATE_LIMIT,
    ContentError,
    is_valid_client_key,
    normalize_content,
    rate_limit_wait,
)
from indemnisation.models import (
    Claim,
    Message,
    MessageAttachment,
    Role,
    ThreadRead,
    ThreadSummary,
    User,
)
from indemnisation.models.types import utcnow
from indemnisation.services.authz import authorize
from indemnisation.services.claim_documents import Download
from indemnisation.services.claims import MAX_ID, access_claim
from indemnisation.services.errors import Forbidden, InvalidInput, NotFound
from indemnisation.services.files import CheckedFile, inspect_upload, make_thumbnail
from indemnisation.services.read_state import (
    addressed_to,
    admin_unread_total,
    advance_pointer,
    count_new_claimant_message,
    insert_if_missing,
    move_back_before,
    my_pointer,
    read_pointers,
    read_times,
    unread_query,
)
from indemnisation.services.views import UserView
from indemnisation.settings import get_settings
from indemnisation.storage import get_store, sign_link

log = logging.getLogger(__name__)

MB = 1024 * 1024
MAX_ATTACHMENTS = 5
MAX_PAGE = 200
EXCERPT_LENGTH = 140


@dataclass(frozen=True)
class AttachmentView:
    id: int
    name: str
    content_type: str
    size: int
    has_thumbnail: bool


@dataclass(frozen=True)
class MessageView:
    id: int
    claim_id: int
    sender_name: str
    mine: bool
    from_team: bool
    internal: bool
    content: str
    created_at: datetime
    read_by_other: bool
    attachments: tuple[AttachmentView, ...] = ()
    read_at: datetime | None = None


@dataclass(frozen=True)
class Notification:
    """A live channel to hint: ``claim-<id>`` (everyone viewing the thread), ``team-<id>``
    (admins viewing it), ``user-<id>`` (one person's tabs) or ``admins`` (every admin's badge)."""

    channel: str
    user_id: int | None = None


@dataclass(frozen=True)
class SentMessage:
    message: MessageView
    notify: tuple[Notification, ...]
    duplicate: bool = False


@dataclass(frozen=True)
class ThreadView:
    claim_id: int
    messages: tuple[MessageView, ...]
    has_more: bool
    my_last_read: int
    open: bool  # False on drafts: nothing can be posted before the claim is submitted


@dataclass(frozen=True)
class RecentMessage:
    message_id: int
    claim_id: int
    reference: str
    sender_name: str
    excerpt: str
    created_at: datetime
    unread: bool


# --- helpers ------------------------------------------------------------------------------------


def _id_or_not_found(value: Any) -> int:
    if not isinstance(value, int) or isinstance(value, bool) or not 0 <= value < MAX_ID:
        raise NotFound()
    return value


def _clean_content(content: Any, *, with_files: bool) -> str:
    """The text to store; it may be empty only when files are attached."""
    if not isinstance(content, str):
        raise InvalidInput("error.message_empty", field="content")
    if with_files and not content.strip():
        return ""
    try:
        return normalize_content(content)
    except ContentError as error:
        if error.reason == "too_long":
            raise InvalidInput("error.message_too_long", field="content", max=MAX_LENGTH) from None
        raise InvalidInput("error.message_empty", field="content") from None


def _check_files(attachments: Sequence[tuple[str, bytes]]) -> list[tuple[CheckedFile, bytes]]:
    if len(attachments) > MAX_ATTACHMENTS:
        raise InvalidInput("error.too_many_attachments", field="file", max=MAX_ATTACHMENTS)
    max_bytes = get_settings().max_file_mb * MB
    return [(inspect_upload(data, name, max_bytes=max_bytes), data) for name, data in attachments]


def _visible(user: UserView) -> Any:
    """Condition on Message: claimants never see internal notes (they are not even queried)."""
    return true() if user.is_admin else col(Message.internal).is_(False)


def _attachments_of(
    session: Session, message_ids: list[int]
) -> dict[int, tuple[AttachmentView, ...]]:
    if not message_ids:
        return {}
    rows = session.exec(
        select(MessageAttachment)
        .where(col(MessageAttachment.message_id).in_(message_ids))
        .order_by(col(MessageAttachment.id))
    ).all()
    found: dict[int, list[AttachmentView]] = {}
    for row in rows:
        assert row.id is not None
        found.setdefault(row.message_id, []).append(
            AttachmentView(
                row.id, row.original_name, row.content_type, row.size, bool(row.thumbnail_key)
            )
        )
    return {message_id: tuple(views) for message_id, views in found.items()}


def _view(
    message: Message,
    sender_name: str,
    user: UserView,
    pointers: tuple[int, int],
    attachments: tuple[AttachmentView, ...] = (),
    read_at: datetime | None = None,
) -> MessageView:
    assert message.id is not None
    owner_pointer, team_pointer = pointers
    if message.internal:
        read = False
    else:
        read = (owner_pointer if message.from_team else team_pointer) >= message.id
    return MessageView(
        id=message.id,
        claim_id=message.claim_id,
        sender_name=sender_name,
        mine=message.sender_id == user.id,
        from_team=message.from_team,
        internal=message.internal,
        content=message.content,
        created_at=message.created_at,
        read_by_other=read,
        attachments=attachments,
        read_at=read_at if read else None,
    )


def _recipients(claim: Claim, message: Message) -> tuple[Notification, ...]:
    """Who hears of a new message. Internal notes only reach admins viewing the thread; the
    claimant's tabs listen to ``claim-<id>`` and their own ``user-<id>``, never to these."""
    assert claim.id is not None
    if message.internal:
        return (Notification(team_channel(claim.id)),)
    thread = Notification(claim_channel(claim.id))
    if message.from_team:
        return (thread, Notification(user_channel(claim.owner_id), claim.owner_id))
    return (thread, Notification(ADMINS))


def _update_summary(session: Session, claim_id: int, message: Message, sender_name: str) -> None:
    """Keep the thread's inbox row in step with its newest public message."""
    assert message.id is not None
    insert_if_missing(
        session,
        ThreadSummary,
        ["claim_id"],
        claim_id=claim_id,
        last_message_id=message.id,
        last_message_at=message.created_at,
        last_from_team=message.from_team,
        last_claimant_message_id=0,
        last_sender_name=sender_name[:120],
        excerpt="",
        waiting_since=None,
        message_count=0,
    )
    summary = session.exec(
        select(ThreadSummary).where(ThreadSummary.claim_id == claim_id).with_for_update()
    ).one()
    summary.last_message_id = max(summary.last_message_id, message.id)
    summary.last_message_at = message.created_at
    summary.last_from_team = message.from_team
    summary.last_sender_name = sender_name[:120]
    summary.excerpt = excerpt_of(message.content)
    summary.message_count += 1
    if message.from_team:
        summary.waiting_since = None
    else:
        summary.last_claimant_message_id = message.id
        summary.waiting_since = summary.waiting_since or message.created_at
    session.add(summary)


def excerpt_of(content: str) -> str:
    return " ".join(content.split())[:EXCERPT_LENGTH]


# --- sending --------------------------------------------------------------------------------------


def _existing(session: Session, user: UserView, claim: Claim, client_key: str) -> Message | None:
    message = session.exec(
        select(Message).where(Message.sender_id == user.id, Message.client_key == client_key)
    ).first()
    if message is not None and message.claim_id != claim.id:
        raise InvalidInput("error.message_key_reused", field="client_key")
    return message


def _check_rate(session: Session, claim_id: int, user_id: int) -> None:
    """Only the sender's latest RATE_LIMIT messages in the thread can decide, so only they are
    read (newest first along the thread's index)."""
    now = utcnow()
    recent = session.exec(
        select(Message.created_at)
        .where(Message.claim_id == claim_id, Message.sender_id == user_id)
        .order_by(col(Message.id).desc())
        .limit(RATE_LIMIT)
    ).all()
    wait = rate_limit_wait(recent, now)
    if wait:
        raise InvalidInput("error.message_rate_limited", seconds=wait)


def _store_files(
    message_id: int, files: list[tuple[CheckedFile, bytes]]
) -> list[MessageAttachment]:
    store = get_store()
    rows = []
    saved: list[str] = []
    try:  # the files saved before one that fails (a full disk) do not stay behind
        for checked, data in files:
            thumbnail = make_thumbnail(data, checked.content_type)
            saved.append(store.save(data))
            if thumbnail:
                saved.append(store.save(thumbnail))
            rows.append(
                MessageAttachment(
                    message_id=message_id,
                    original_name=checked.safe_name,
                    content_type=checked.content_type,
                    size=checked.size,
                    sha256=checked.sha256,
                    storage_key=saved[-2] if thumbnail else saved[-1],
                    thumbnail_key=saved[-1] if thumbnail else None,
                )
            )
    except BaseException:
        for key in saved:
            store.delete(key)
        raise
    return rows


def _delete_files(rows: list[MessageAttachment]) -> None:
    store = get_store()
    for row in rows:
        for key in (row.storage_key, row.thumbnail_key):
            if key:
                store.delete(key)


def send_message(
    *,
    actor: UserView | None,
    claim_id: Any,
    content: Any,
    client_key: Any,
    internal: bool = False,
    attachments: Sequence[tuple[str, bytes]] = (),
) -> SentMessage:
    """Post to the claim's thread. Sending the same ``client_key`` again returns the stored
    message (``duplicate=True``, nobody to notify) instead of posting it twice."""
    user = authorize(actor)
    if not is_valid_client_key(client_key):
        raise InvalidInput("error.message_key_invalid", field="client_key")
    text = _clean_content(content, with_files=bool(attachments))
    internal = internal is True
    if internal and not user.is_admin:
        raise Forbidden()
    files = _check_files(attachments)
    with session_scope() as session:
        claim = access_claim(session, user, claim_id)
        if claim.status is ClaimStatus.DRAFT:
            raise InvalidInput("error.thread_closed_draft")
        assert claim.id is not None
        existing = _existing(session, user, claim, client_key)
        if existing is not None:
            return SentMessage(_sent_view(session, claim, existing, user), (), duplicate=True)
        _check_rate(session, claim.id, user.id)
        message = Message(
            claim_id=claim.id,
            sender_id=user.id,
            from_team=user.is_admin,
            internal=internal,
            content=text,
            client_key=client_key,
        )
        stored: list[MessageAttachment] = []
        try:
            session.add(message)
            session.flush()
            assert message.id is not None
            stored = _store_files(message.id, files)
            session.add_all(stored)
            if not internal:
                _update_summary(session, claim.id, message, user.full_name)
            advance_pointer(session, claim.id, user, message.id)
            if not user.is_admin:
                count_new_claimant_message(session)
            session.commit()
        except IntegrityError:
            session.rollback()
            _delete_files(stored)
            existing = _existing(session, user, claim, client_key)
            if existing is None:
                raise
            return SentMessage(_sent_view(session, claim, existing, user), (), duplicate=True)
        except BaseException:
            _delete_files(stored)
            raise
        notify = _recipients(claim, message)
        sent = _sent_view(session, claim, message, user)
    log.info("message posted", extra={"claim_id": sent.claim_id, "message_id": sent.id})
    return SentMessage(sent, notify)


def _sent_view(session: Session, claim: Claim, message: Message, user: UserView) -> MessageView:
    assert message.id is not None
    files = _attachments_of(session, [message.id]).get(message.id, ())
    owner, team, _ = read_pointers(session, claim)
    return _view(message, user.full_name, user, (owner, team), files)


# --- reading --------------------------------------------------------------------------------------


def list_thread(
    *,
    actor: UserView | None,
    claim_id: Any,
    before_id: Any = None,
    after_id: Any = None,
    limit: Any = 50,
) -> ThreadView:
    """The ``limit`` messages before ``before_id`` (default: the latest), oldest first; with
    ``after_id``, the first ``limit`` messages after it instead (what a live tab re-reads: the
    messages it has not shown yet, and its own ones not yet read by the other side)."""
    user = authorize(actor)
    before = None if before_id is None else _id_or_not_found(before_id)
    after = None if after_id is None else _id_or_not_found(after_id)
    size = limit if isinstance(limit, int) and not isinstance(limit, bool) else 50
    size = min(max(size, 1), MAX_PAGE)
    with session_scope() as session:
        claim = access_claim(session, user, claim_id)
        assert claim.id is not None
        query = (
            select(Message, User.full_name)
            .join(User, col(User.id) == Message.sender_id)
            .where(Message.claim_id == claim.id, _visible(user))
        )
        if after is not None:
            query = query.where(col(Message.id) > after).order_by(col(Message.id))
            rows = session.exec(query.limit(size + 1)).all()
            page = list(rows[:size])
        else:
            if before is not None:
                query = query.where(col(Message.id) < before)
            rows = session.exec(query.order_by(col(Message.id).desc()).limit(size + 1)).all()
            page = list(reversed(rows[:size]))
        owner, team, mine = read_pointers(session, claim, user.id)
        files = _attachments_of(session, [m.id for m, _ in page if m.id is not None])
        seen = read_times(session, claim.id, [m for m, _ in page])
    messages = tuple(
        _view(m, name, user, (owner, team), files.get(m.id or 0, ()), seen.get(m.id or 0))
        for m, name in page
    )
    return ThreadView(
        claim.id, messages, len(rows) > size, mine, claim.status is not ClaimStatus.DRAFT
    )


def mark_read(*, actor: UserView | None, claim_id: Any, up_to_message_id: Any) -> int:
    """Move the actor's pointer forward to ``up_to_message_id`` (at most the last message they
    can see); returns the pointer."""
    user = authorize(actor)
    up_to = _id_or_not_found(up_to_message_id)
    with session_scope() as session:
        claim = access_claim(session, user, claim_id)
        assert claim.id is not None
        last = session.exec(
            select(func.max(Message.id)).where(Message.claim_id == claim.id, _visible(user))
        ).one()
        target = min(up_to, last or 0)
        if target > 0 and advance_pointer(session, claim.id, user, target):
            session.commit()
        return my_pointer(session, claim.id, user.id)


def mark_unread(*, actor: UserView | None, claim_id: Any) -> bool:
    """An admin marks the thread unread again: their pointer goes just before the claimant's
    last message (never forward). True when something changed."""
    user = authorize(actor, Role.ADMIN)
    with session_scope() as session:
        claim = access_claim(session, user, claim_id)
        assert claim.id is not None
        last = session.exec(
            select(func.max(Message.id)).where(Message.claim_id == claim.id, addressed_to(user))
        ).one()
        if last is None or not move_back_before(session, claim.id, user, last):
            return False
        session.commit()
        return True


def unread_counts(*, actor: UserView | None) -> dict[int, int]:
    """Unread incoming messages per claim (claims with none are left out)."""
    user = authorize(actor)
    query = unread_query(user, Message.claim_id, func.count()).group_by(col(Message.claim_id))
    with session_scope() as session:
        return {claim_id: count for claim_id, count in session.exec(query).all()}


def unread_total(*, actor: UserView | None) -> int:
    user = authorize(actor)
    with session_scope() as session:
        if user.is_admin:
            return admin_unread_total(session, user)
        return int(session.exec(unread_query(user, func.count())).one())


def recent_messages(*, actor: UserView | None, limit: int = 5) -> tuple[RecentMessage, ...]:
    """The latest messages addressed to the actor, newest first, for the messages menu."""
    user = authorize(actor)
    size = min(max(limit, 1), 50)
    query = (
        select(Message, Claim.reference, User.full_name, ThreadRead.last_read_message_id)
        .join(Claim, col(Claim.id) == Message.claim_id)
        .join(User, col(User.id) == Message.sender_id)
        .outerjoin(
            ThreadRead,
            and_(col(ThreadRead.claim_id) == Message.claim_id, col(ThreadRead.user_id) == user.id),
        )
        .where(addressed_to(user))
        .order_by(col(Message.id).desc())
        .limit(size)
    )
    if not user.is_admin:
        query = query.where(Claim.owner_id == user.id)
    with session_scope() as session:
        rows = session.exec(query).all()
    return tuple(
        RecentMessage(
            message_id=message.id or 0,
            claim_id=message.claim_id,
            reference=reference or "",
            sender_name=name,
            excerpt=excerpt_of(message.content),
            created_at=message.created_at,
            unread=(message.id or 0) > (pointer or 0),
        )
        for message, reference, name, pointer in rows
    )


# --- attachments --------------------------------------------------------------------------------


def access_attachment(
    session: Session, actor: UserView | None, attachment_id: Any
) -> MessageAttachment:
    """The attachment if ``actor`` may read its message (never an internal note's for a
    claimant), else NotFound."""
    user = authorize(actor)
    attachment = session.get(MessageAttachment, _id_or_not_found(attachment_id))
    if attachment is None:
        raise NotFound()
    message = session.get(Message, attachment.message_id)
    if message is None or (message.internal and not user.is_admin):
        raise NotFound()
    access_claim(session, user, message.claim_id)
    return attachment


def read_attachment(*, actor: UserView | None, attachment_id: Any, thumbnail: bool) -> Download:
    with session_scope() as session:
        attachment = access_attachment(session, actor, attachment_id)
        key = attachment.thumbnail_key if thumbnail else attachment.storage_key
        if key is None:
            raise NotFound()
        content_type = "image/png" if thumbnail else attachment.content_type
        name = attachment.original_name
    return Download(name, content_type, get_store().read(key))


def attachment_links(
    *, actor: UserView | None, attachment_ids: Sequence[int]
) -> dict[int, dict[str, str]]:
    """Signed, short-lived URLs (file, and thumbnail when there is one) of each attachment the
    actor may read; others are left out."""
    user = authorize(actor)
    ttl = get_settings().download_link_seconds
    links: dict[int, dict[str, str]] = {}
    with session_scope() as session:
        for attachment_id in attachment_ids:
            try:
                attachment = access_attachment(session, user, attachment_id)
            except NotFound:
                continue
            entry = {"file": "/files/" + sign_link(attachment_id, user.id, ttl, "message-file")}
            if attachment.thumbnail_key:
                entry["thumb"] = "/files/" + sign_link(attachment_id, user.id, ttl, "message-thumb")
            links[attachment_id] = entry
    return links
