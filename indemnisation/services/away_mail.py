"""Email people about messages they have not read while away.

A public message still unread by its recipient ``away_email_minutes`` after it was posted, the
recipient not viewing the thread, earns them one email in their language with a link. Everything
still unread on that side of the thread goes into the same email, and ``ThreadRead.emailed_up_to``
then remembers the newest message included, so no message is emailed twice.

Recipients: the claim's owner for the team's messages; for the claimant's, the admin the claim is
assigned to, else the admins who already wrote in the thread, else nobody (the inbox shows it).
Internal notes are never emailed, and inactive accounts get nothing.

Only messages of the last ``LOOKBACK`` are read, found by a binary search over the primary key
(ids and creation times grow together), so a run costs the same with a million messages.

Several runners may work at once: each email is first claimed by a conditional UPDATE that only
one of them can win, then sent; when sending fails the claim is given back for the next run.
"""

from __future__ import annotations

import logging
import smtplib
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import func, update
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
class _Recent:
    id: int
    created_at: datetime


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


def _recent_public(session: Session, first_id: int) -> dict[tuple[int, bool], list[_Recent]]:
    """Public messages from ``first_id`` on, per (claim, from the team), oldest first."""
    rows = session.exec(
        select(Message.id, Message.claim_id, Message.from_team, Message.created_at)
        .where(col(Message.id) >= first_id, col(Message.internal).is_(False))
        .order_by(col(Message.id))
    ).all()
    groups: dict[tuple[int, bool], list[_Recent]] = defaultdict(list)
    for message_id, claim_id, from_team, created_at in rows:
        groups[(claim_id, from_team)].append(_Recent(message_id or 0, created_at))
    return groups


def _chunks(ids: Iterable[int]) -> Iterable[list[int]]:
    ordered = sorted(set(ids))
    for start in range(0, len(ordered), CHUNK):
        yield ordered[start : start + CHUNK]


def _claims(session: Session, claim_ids: Iterable[int]) -> dict[int, Claim]:
    found: dict[int, Claim] = {}
    for chunk in _chunks(claim_ids):
        for claim in session.exec(select(Claim).where(col(Claim.id).in_(chunk))).all():
            found[claim.id or 0] = claim
    return found


def _team_writers(session: Session, claim_ids: Iterable[int]) -> dict[int, set[int]]:
    """The people who wrote in each thread as the team (messages or internal notes)."""
    found: dict[int, set[int]] = defaultdict(set)
    for chunk in _chunks(claim_ids):
        rows = session.exec(
            select(Message.claim_id, Message.sender_id)
            .where(col(Message.claim_id).in_(chunk), col(Message.from_team).is_(True))
            .distinct()
        ).all()
        for claim_id, sender_id in rows:
            found[claim_id].add(sender_id)
    return found


def _active_users(session: Session, user_ids: Iterable[int]) -> dict[int, User]:
    found: dict[int, User] = {}
    for chunk in _chunks(user_ids):
        users = session.exec(
            select(User).where(col(User.id).in_(chunk), col(User.is_active).is_(True))
        ).all()
        found.update((user.id or 0, user) for user in users)
    return found


def _pointers(session: Session, claim_ids: Iterable[int]) -> dict[tuple[int, int], tuple[int, int]]:
    """(claim, user) -> (last read message id, emailed up to)."""
    found: dict[tuple[int, int], tuple[int, int]] = {}
    for chunk in _chunks(claim_ids):
        rows = session.exec(
            select(
                ThreadRead.claim_id,
                ThreadRead.user_id,
                ThreadRead.last_read_message_id,
                ThreadRead.emailed_up_to,
            ).where(col(ThreadRead.claim_id).in_(chunk))
        ).all()
        for claim_id, user_id, last_read, emailed in rows:
            found[(claim_id, user_id)] = (last_read, emailed)
    return found


def _is_admin(user: User | None) -> bool:
    return user is not None and user.role is Role.ADMIN


def _recipient_ids(
    claim: Claim, from_team: bool, writers: set[int], users: dict[int, User]
) -> list[int]:
    """Who should hear of this side's messages (see the module's docstring)."""
    if from_team:
        return [claim.owner_id] if claim.owner_id in users else []
    assigned = claim.assigned_to_id
    if assigned is not None and _is_admin(users.get(assigned)):
        return [assigned]
    return sorted(uid for uid in writers if _is_admin(users.get(uid)))


def _find_due(session: Session, now: datetime) -> list[_Due]:
    cutoff = now - timedelta(minutes=get_settings().away_email_minutes)
    first_id = _first_id_since(session, cutoff - LOOKBACK)
    if first_id is None:
        return []
    groups = {
        key: recent
        for key, recent in _recent_public(session, first_id).items()
        if recent[0].created_at <= cutoff
    }
    claims = _claims(session, {claim_id for claim_id, _ in groups})
    writers = _team_writers(session, {claim_id for claim_id, team in groups if not team})
    candidates = {claim.owner_id for claim in claims.values()}
    candidates |= {c.assigned_to_id for c in claims.values() if c.assigned_to_id is not None}
    candidates |= {uid for ids in writers.values() for uid in ids}
    users = _active_users(session, candidates)
    pointers = _pointers(session, claims.keys())
    due: list[_Due] = []
    for (claim_id, from_team), recent in groups.items():
        claim = claims.get(claim_id)
        if claim is None:
            continue
        for user_id in _recipient_ids(claim, from_team, writers.get(claim_id, set()), users):
            last_read, emailed = pointers.get((claim_id, user_id), (0, 0))
            unseen = [m for m in recent if m.id > max(last_read, emailed)]
            if not unseen or unseen[0].created_at > cutoff:
                continue
            user = users[user_id]
            recipient = _Recipient(
                user_id, user.email, user.full_name, user.locale, user.role is Role.ADMIN
            )
            reference = claim.reference or f"#{claim_id}"
            ids = tuple(m.id for m in unseen)
            due.append(_Due(recipient, claim_id, reference, ids, emailed))
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
    found: dict[int, str] = {}
    for chunk in _chunks(due.messages[-1] for due in dues):
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
