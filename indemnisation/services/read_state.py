"""Read state of threads, kept inside the caller's transaction.

Each person has one pointer per thread (the last message id they read), only moved forward by
reading. Every forward move is also recorded as a ``ReadMark``, which dates the read receipts.
Admins additionally keep an ``UnreadTally`` (unread claimant messages across all threads), moved
by the same writes, so their badge is a primary-key read however many messages exist.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import and_, func, update
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlmodel import Session, SQLModel, col, select

from indemnisation.models import Claim, Message, ReadMark, Role, ThreadRead, UnreadTally, User
from indemnisation.models.types import utcnow
from indemnisation.services.views import UserView


def insert_if_missing(
    session: Session, model: type[SQLModel], keys: list[str], **values: Any
) -> None:
    """``INSERT ... ON CONFLICT DO NOTHING``: the row exists afterwards, whoever created it."""
    table = SQLModel.metadata.tables[str(model.__tablename__)]
    postgres = session.get_bind().dialect.name == "postgresql"
    insert = pg_insert(table) if postgres else sqlite_insert(table)
    session.connection().execute(
        insert.values(**values).on_conflict_do_nothing(index_elements=keys)
    )


def addressed_to(user: UserView) -> Any:
    """Messages that count as incoming for ``user``: team messages for a claimant, claimant
    messages for an admin (another admin's messages are colleagues', not incoming)."""
    return and_(col(Message.internal).is_(False), col(Message.from_team).is_(not user.is_admin))


def _incoming_between(session: Session, user: UserView, claim_id: int, low: int, high: int) -> int:
    """Incoming messages of the thread with ``low < id <= high``."""
    return int(
        session.exec(
            select(func.count())
            .select_from(Message)
            .where(Message.claim_id == claim_id, addressed_to(user))
            .where(col(Message.id) > low, col(Message.id) <= high)
        ).one()
    )


def _tally_add(session: Session, user_id: int, delta: int) -> None:
    if delta:
        session.exec(
            update(UnreadTally)
            .where(col(UnreadTally.user_id) == user_id)
            .values(unread=UnreadTally.unread + delta)
        )


def count_new_claimant_message(session: Session) -> None:
    """A claimant posted: one more unread message for every admin's tally. The rows are locked
    in user order first, so concurrent posts queue instead of deadlocking."""
    locked = select(UnreadTally.user_id).order_by(col(UnreadTally.user_id)).with_for_update()
    session.exec(
        update(UnreadTally)
        .where(col(UnreadTally.user_id).in_(locked))
        .values(unread=UnreadTally.unread + 1)
    )


def _locked_pointer(session: Session, claim_id: int, user_id: int) -> ThreadRead:
    insert_if_missing(
        session,
        ThreadRead,
        ["claim_id", "user_id"],
        claim_id=claim_id,
        user_id=user_id,
        last_read_message_id=0,
        emailed_up_to=0,
        updated_at=utcnow(),
    )
    return session.exec(
        select(ThreadRead)
        .where(ThreadRead.claim_id == claim_id, ThreadRead.user_id == user_id)
        .with_for_update()
    ).one()


def advance_pointer(session: Session, claim_id: int, user: UserView, message_id: int) -> bool:
    """Move the user's pointer forward to ``message_id`` (never back); True when it moved."""
    pointer = _locked_pointer(session, claim_id, user.id)
    previous = pointer.last_read_message_id
    if message_id <= previous:
        return False
    pointer.last_read_message_id = message_id
    pointer.updated_at = utcnow()
    session.add(pointer)
    session.add(
        ReadMark(claim_id=claim_id, user_id=user.id, from_team=user.is_admin, message_id=message_id)
    )
    if user.is_admin:
        _tally_add(
            session, user.id, -_incoming_between(session, user, claim_id, previous, message_id)
        )
    return True


def move_back_before(session: Session, claim_id: int, user: UserView, message_id: int) -> bool:
    """Put the pointer just before ``message_id`` if it is at or past it (mark unread)."""
    pointer = _locked_pointer(session, claim_id, user.id)
    previous = pointer.last_read_message_id
    if previous < message_id:
        return False
    pointer.last_read_message_id = message_id - 1
    pointer.updated_at = utcnow()
    session.add(pointer)
    if user.is_admin:
        _tally_add(
            session, user.id, _incoming_between(session, user, claim_id, message_id - 1, previous)
        )
    return True


def read_pointers(session: Session, claim: Claim, user_id: int = 0) -> tuple[int, int, int]:
    """(owner's pointer, furthest admin pointer, ``user_id``'s own pointer) of the claim's
    thread, in one query."""
    rows = session.exec(
        select(ThreadRead.user_id, ThreadRead.last_read_message_id, User.role)
        .join(User, col(User.id) == ThreadRead.user_id)
        .where(ThreadRead.claim_id == claim.id)
    ).all()
    owner = max((last for uid, last, _ in rows if uid == claim.owner_id), default=0)
    team = max((last for uid, last, role in rows if role is Role.ADMIN), default=0)
    mine = max((last for uid, last, _ in rows if uid == user_id), default=0)
    return owner, team, mine


def my_pointer(session: Session, claim_id: int, user_id: int) -> int:
    pointer = session.exec(
        select(ThreadRead.last_read_message_id).where(
            ThreadRead.claim_id == claim_id, ThreadRead.user_id == user_id
        )
    ).first()
    return pointer or 0


def read_times(session: Session, claim_id: int, messages: Sequence[Message]) -> dict[int, datetime]:
    """When each public message was first seen by the other side (claimant or team)."""
    public = [m for m in messages if m.id is not None and not m.internal]
    if not public:
        return {}
    lowest = min(m.id or 0 for m in public)
    marks = session.exec(
        select(ReadMark.message_id, ReadMark.from_team, ReadMark.read_at)
        .where(ReadMark.claim_id == claim_id, col(ReadMark.message_id) >= lowest)
        .order_by(col(ReadMark.message_id))
    ).all()
    # One sweep from the newest: a mark covers every message at or below its id.
    found: dict[int, datetime] = {}
    earliest: dict[bool, datetime] = {}  # by the reader's side (True: the team)
    index = len(marks) - 1
    for message in sorted(public, key=lambda m: m.id or 0, reverse=True):
        assert message.id is not None
        while index >= 0 and marks[index][0] >= message.id:
            _, by_team, read_at = marks[index]
            if by_team not in earliest or read_at < earliest[by_team]:
                earliest[by_team] = read_at
            index -= 1
        seen_at = earliest.get(not message.from_team)
        if seen_at is not None:
            found[message.id] = seen_at
    return found


def unread_query(user: UserView, *columns: Any) -> Any:
    query = (
        select(*columns)
        .select_from(Message)
        .outerjoin(
            ThreadRead,
            and_(col(ThreadRead.claim_id) == Message.claim_id, col(ThreadRead.user_id) == user.id),
        )
        .where(
            addressed_to(user),
            col(Message.id) > func.coalesce(ThreadRead.last_read_message_id, 0),
        )
    )
    if not user.is_admin:  # from the claimant's few claims, not from all team messages
        query = query.where(
            col(Message.claim_id).in_(select(Claim.id).where(Claim.owner_id == user.id))
        )
    return query


def admin_unread_total(session: Session, user: UserView) -> int:
    """The admin's tally; counted once from the messages when it does not exist yet."""
    tally = session.get(UnreadTally, user.id)
    if tally is not None:
        return tally.unread
    counted = int(session.exec(unread_query(user, func.count())).one())
    insert_if_missing(session, UnreadTally, ["user_id"], user_id=user.id, unread=counted)
    session.commit()
    return counted
