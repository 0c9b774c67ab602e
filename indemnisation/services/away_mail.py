"""Email people about messages they have not read while away.

A public message still unread by its recipient ``away_email_minutes`` after it was posted, the
recipient not viewing the thread, earns them one email in their language with a link. Everything
still unread on that side of the thread goes into the same email, and ``ThreadRead.emailed_up_to``
then remembers the newest message included, so no message is emailed twice.

Recipients: the claim's owner for the team's messages; for the claimant's, the admin the claim is
assigned to, else the admins who already wrote in the thread, else nobody (the inbox shows it).
Internal notes are never emailed, and inactive accounts get nothing.

A run reads only the public messages of the last ``LOOKBACK`` (older ones are left to the inbox
and the badge), found by a binary search over the primary key since ids and creation times grow
together (``messages.created_at`` has no index), then their claims and read pointers by key.

Several runners may work at once: each email is first claimed by a conditional UPDATE that only
one of them can win, then sent; when sending fails the claim is given back for the next run.
"""

from __future__ import annotations

import logging
import smtplib
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import and_, func, update
from sqlmodel import Session, col, select

from indemnisation import presence
from indemnisation.db import session_scope
from indemnisation.i18n import normalize_locale, translate
from indemnisation.models import Claim, Message, Role, ThreadRead, User
from indemnisation.models.types import utcnow
from indemnisation.services.mailer import send_mail
from indemnisation.services.messaging import excerpt_of
from indemnisation.services.read_state import insert_if_missing
from indemnisation.settings import get_settings

log = logging.getLogger(__name__)

LOOKBACK = timedelta(hours=6)
CHUNK = 500


@dataclass(frozen=True)
class _Recipient:
    id: int
    email: str
    name: str
    locale: str
    is_admin: bool


@dataclass(frozen=True)
class _Due:
    """One email to send: ``messages`` (ids ascending) of one claim for one recipient."""

    recipient: _Recipient
    claim_id: int
    reference: str
    messages: tuple[int, ...]
    emailed_before: int


# --- finding what is due --------------------------------------------------------------------------


def _first_id_since(session: Session, moment: datetime) -> int | None:
    """The smallest id worth reading: every message from ``moment`` on has an id at least this
    (a binary search over the primary key, about 20 index probes for a million messages)."""
    lowest, highest = session.exec(select(func.min(Message.id), func.max(Message.id))).one()
    if lowest is None or highest is None:
        return None
    low, high = int(lowest), int(highest) + 1
    while low < high:
        middle = (low + high) // 2
        probe = session.exec(
            select(Message.id, Message.created_at)
            .where(col(Message.id) >= middle)
            .order_by(col(Message.id))
            .limit(1)
        ).one()
        if probe[1] < moment:
            low = (probe[0] or middle) + 1
        else:
            high = middle
    return low


def _recent(first_id: int) -> Any:
    """Public messages from ``first_id`` on, read once (MATERIALIZED) so that every join is
    driven from these few rows rather than from the large tables."""
    return (
        select(Message.id, Message.claim_id, Message.from_team, Message.created_at)
        .where(col(Message.id) >= first_id, col(Message.internal).is_(False))
        .cte("recent")
        .prefix_with("MATERIALIZED")
    )


@dataclass(frozen=True)
class _Unseen:
    """A recent message its would-be reader has neither read nor been emailed about."""

    message_id: int
    claim_id: int
    from_team: bool
    created_at: datetime
    reader_id: int
    reference: str
    emailed: int
    assigned_to_id: int | None


def _unseen_by(recent: Any, reader: Any, *, from_team: bool) -> Any:
    """Recent messages of one side past ``reader``'s read pointer and emailed mark. Only the
    recent rows, claims by primary key and pointers by (claim, user) are read; people are
    checked afterwards, so the plan does not depend on how many claims each admin has."""
    columns: tuple[Any, ...] = (
        recent.c.id,
        recent.c.claim_id,
        recent.c.from_team,
        recent.c.created_at,
        reader,
        Claim.reference,
        func.coalesce(ThreadRead.emailed_up_to, 0),
        Claim.assigned_to_id,
    )
    return (
        select(*columns)
        .select_from(recent)
        .join(Claim, col(Claim.id) == recent.c.claim_id)
        .where(
            recent.c.from_team.is_(from_team),
            recent.c.id > func.coalesce(ThreadRead.last_read_message_id, 0),
            recent.c.id > func.coalesce(ThreadRead.emailed_up_to, 0),
        )
    )


def _unseen(session: Session, first_id: int) -> list[_Unseen]:
    """Candidates: team messages for the claim's owner; claimant messages for the assignee
    and for every admin with a pointer on the thread (writing moves the writer's pointer)."""
    recent = _recent(first_id)
    to_owner = _unseen_by(recent, Claim.owner_id, from_team=True).outerjoin(
        ThreadRead,
        and_(
            col(ThreadRead.claim_id) == recent.c.claim_id,
            col(ThreadRead.user_id) == Claim.owner_id,
        ),
    )
    to_assignee = (
        _unseen_by(recent, Claim.assigned_to_id, from_team=False)
        .outerjoin(
            ThreadRead,
            and_(
                col(ThreadRead.claim_id) == recent.c.claim_id,
                col(ThreadRead.user_id) == Claim.assigned_to_id,
            ),
        )
        .where(col(Claim.assigned_to_id).is_not(None))
    )
    to_team = (
        _unseen_by(recent, ThreadRead.user_id, from_team=False)
        .join(ThreadRead, col(ThreadRead.claim_id) == recent.c.claim_id)
        .where(col(ThreadRead.user_id) != Claim.owner_id)
    )
    found: set[_Unseen] = set()
    for query in (to_owner, to_assignee, to_team):
        found.update(_Unseen(*row) for row in session.exec(query).all())
    return list(found)


def _people(session: Session, user_ids: set[int]) -> dict[int, User]:
    """The active accounts among ``user_ids``."""
    ordered = sorted(user_ids)
    found: dict[int, User] = {}
    for start in range(0, len(ordered), CHUNK):
        users = session.exec(
            select(User).where(
                col(User.id).in_(ordered[start : start + CHUNK]), col(User.is_active).is_(True)
            )
        ).all()
        found.update((user.id or 0, user) for user in users)
    return found


def _writers(session: Session, claim_ids: set[int]) -> set[tuple[int, int]]:
    """(claim, person) for everyone who wrote in these threads as the team."""
    ordered = sorted(claim_ids)
    found: set[tuple[int, int]] = set()
    for start in range(0, len(ordered), CHUNK):
        rows = session.exec(
            select(Message.claim_id, Message.sender_id)
            .where(
                col(Message.claim_id).in_(ordered[start : start + CHUNK]),
                col(Message.from_team).is_(True),
            )
            .distinct()
        ).all()
        found.update((claim_id, sender_id) for claim_id, sender_id in rows)
    return found


def _is_recipient(
    row: _Unseen, user: User, people: dict[int, User], writers: set[tuple[int, int]]
) -> bool:
    """The module's rule: the owner for the team's messages; for the claimant's, the active
    admin assignee, else the active admins who wrote in the thread."""
    if row.from_team:
        return True
    if user.role is not Role.ADMIN:
        return False
    assignee = _assignee(row, people)
    if assignee is not None:
        return row.reader_id == assignee.id
    return (row.claim_id, row.reader_id) in writers


def _assignee(row: _Unseen, people: dict[int, User]) -> User | None:
    """The claim's assignee if they are an active admin (``people`` holds only the active)."""
    user = people.get(row.assigned_to_id or 0)
    return user if user is not None and user.role is Role.ADMIN else None


def _find_due(session: Session, now: datetime) -> list[_Due]:
    cutoff = now - timedelta(minutes=get_settings().away_email_minutes)
    first_id = _first_id_since(session, cutoff - LOOKBACK)
    if first_id is None:
        return []
    unseen = _unseen(session, first_id)
    people = _people(
        session,
        {row.reader_id for row in unseen} | {row.assigned_to_id or 0 for row in unseen},
    )
    writers = _writers(
        session,
        {row.claim_id for row in unseen if not row.from_team and _assignee(row, people) is None},
    )
    groups: dict[tuple[int, int], list[_Unseen]] = defaultdict(list)
    for row in unseen:
        user = people.get(row.reader_id)
        if user is not None and _is_recipient(row, user, people, writers):
            groups[(row.claim_id, row.reader_id)].append(row)
    due: list[_Due] = []
    for (claim_id, user_id), rows in groups.items():
        rows.sort(key=lambda row: row.message_id)
        if rows[0].created_at > cutoff:
            continue
        user = people[user_id]
        recipient = _Recipient(
            user_id, user.email, user.full_name, user.locale, user.role is Role.ADMIN
        )
        messages = tuple(row.message_id for row in rows)
        reference = rows[0].reference or f"#{claim_id}"
        due.append(_Due(recipient, claim_id, reference, messages, rows[0].emailed))
    return sorted(due, key=lambda item: item.messages[0])


# --- claiming and sending -------------------------------------------------------------------------


def _claim(session: Session, due: _Due) -> bool:
    """Record the email as sent, unless another runner did or the person read meanwhile."""
    insert_if_missing(
        session,
        ThreadRead,
        ["claim_id", "user_id"],
        claim_id=due.claim_id,
        user_id=due.recipient.id,
        last_read_message_id=0,
        emailed_up_to=0,
        updated_at=utcnow(),
    )
    first = due.messages[0]
    result = session.connection().execute(
        update(ThreadRead)
        .where(
            col(ThreadRead.claim_id) == due.claim_id,
            col(ThreadRead.user_id) == due.recipient.id,
            col(ThreadRead.emailed_up_to) < first,
            col(ThreadRead.last_read_message_id) < first,
        )
        .values(emailed_up_to=due.messages[-1])
    )
    session.commit()
    return result.rowcount == 1


def _give_back(session: Session, due: _Due) -> None:
    """The email did not leave: let the next run try again."""
    session.connection().execute(
        update(ThreadRead)
        .where(
            col(ThreadRead.claim_id) == due.claim_id,
            col(ThreadRead.user_id) == due.recipient.id,
            col(ThreadRead.emailed_up_to) == due.messages[-1],
        )
        .values(emailed_up_to=due.emailed_before)
    )
    session.commit()


def _link(due: _Due) -> str:
    base = get_settings().public_base_url.rstrip("/")
    section = "/admin/claims/" if due.recipient.is_admin else "/claims/"
    return f"{base}{section}{due.claim_id}"


def _send(due: _Due, latest_content: str) -> None:
    locale = normalize_locale(due.recipient.locale)
    count = len(due.messages)
    many = count > 1
    excerpt = excerpt_of(latest_content) or translate(locale, "email.away.files_only")
    params = {"reference": due.reference, "count": count}
    subject_key = "email.away.subject_many" if many else "email.away.subject"
    body_key = "email.away.body_many" if many else "email.away.body"
    send_mail(
        to=due.recipient.email,
        subject=translate(locale, subject_key, **params),
        body=translate(
            locale, body_key, name=due.recipient.name, excerpt=excerpt, link=_link(due), **params
        ),
    )


def _latest_contents(session: Session, dues: Sequence[_Due]) -> dict[int, str]:
    latest = sorted({due.messages[-1] for due in dues})
    found: dict[int, str] = {}
    for chunk in (latest[start : start + CHUNK] for start in range(0, len(latest), CHUNK)):
        rows = session.exec(
            select(Message.id, Message.content).where(col(Message.id).in_(chunk))
        ).all()
        found.update((message_id or 0, content) for message_id, content in rows)
    return found


def send_due(now: datetime | None = None) -> int:
    """Send every away email that is due at ``now`` (default: the current time); returns how
    many left. Whether someone is viewing a thread is always judged at the real current time.

    A recipient the mail server refuses is skipped until the next run; when the server itself
    cannot be reached the run stops there. Database errors propagate to the caller."""
    moment = now or utcnow()
    sent = 0
    with session_scope() as session:
        dues = _find_due(session, moment)
        session.rollback()
        dues = [
            due
            for due in dues
            if not presence.is_viewing(due.claim_id, due.recipient.is_admin, due.recipient.id)
        ]
        contents = _latest_contents(session, dues)
        session.rollback()
        for due in dues:
            if not _claim(session, due):
                continue
            try:
                _send(due, contents.get(due.messages[-1], ""))
            except smtplib.SMTPRecipientsRefused:
                _give_back(session, due)
                log.warning("away email refused", extra={"user_id": due.recipient.id})
                continue
            except OSError as error:
                _give_back(session, due)
                log.warning("away emails paused: %s", error.__class__.__name__)
                break
            sent += 1
            log.info(
                "away email sent",
                extra={
                    "user_id": due.recipient.id,
                    "claim_id": due.claim_id,
                    "messages": len(due.messages),
                },
            )
    return sent
