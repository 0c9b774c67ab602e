"""The team's view of the people on the platform: find them, see their claims, change their role,
deactivate or reactivate them, send them a password-reset link.

Admins only. Every change leaves an audit entry (before / after) written in the transaction of
the change, every refusal an entry marked refused. An admin cannot change their own role nor
deactivate themselves, and the last active admin cannot be demoted: the active admins are locked
while that is checked, so two admins demoting each other at once cannot leave none.
"""

from __future__ import annotations

import logging
import smtplib
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlmodel import Session, col, func, or_, select, update

from indemnisation.db import session_scope
from indemnisation.domain.claim_status import ClaimStatus
from indemnisation.models import Claim, LoginSession, Role, User
from indemnisation.models.types import utcnow
from indemnisation.services import accounts, audit
from indemnisation.services.audit import Target, refusals_audited
from indemnisation.services.authz import authorize
from indemnisation.services.errors import InvalidInput
from indemnisation.services.views import UserView

log = logging.getLogger(__name__)

MAX_ID = 2**31
PAGE = 25
MAX_PAGE = 100
MAX_QUERY = 100
MAX_CLAIMS_SHOWN = 100

USER_ROLE = "user.role"
USER_ACTIVE = "user.active"
USER_RESET_LINK = "user.reset_link"
ACTIONS = (USER_ROLE, USER_ACTIVE, USER_RESET_LINK)


def _is_id(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and 0 < value < MAX_ID


def _user_target(user_id: Any) -> Target:
    return Target("user", user_id if _is_id(user_id) else None)


# --- reading ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class UserRow:
    id: int
    email: str
    full_name: str
    role: Role
    is_active: bool
    created_at: datetime
    claims: int
    """Submitted claims (drafts are not counted)."""


@dataclass(frozen=True)
class UsersPage:
    rows: tuple[UserRow, ...]
    next_cursor: int | None
    """The cursor of the next (older) page, or None on the last page."""


def _search_condition(query: str) -> Any:
    escaped = query.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    pattern = f"%{escaped}%"
    return or_(
        col(User.email).ilike(pattern, escape="\\"),
        col(User.full_name).ilike(pattern, escape="\\"),
    )


def check_query(query: Any) -> str:
    """The search text, trimmed; refused when it is not text or too long."""
    if not isinstance(query, str) or len(query) > MAX_QUERY:
        raise InvalidInput("error.users_query", field="q", max=MAX_QUERY)
    return " ".join(query.split())


def list_users(
    *,
    actor: UserView | None,
    query: Any = "",
    role: Any = None,
    active: Any = None,
    cursor: Any = None,
    limit: Any = PAGE,
) -> UsersPage:
    """People whose name or email contains ``query``, newest accounts first, ``limit`` of them
    after ``cursor`` (a previous page's ``next_cursor``). ``role`` / ``active``: None for any."""
    authorize(actor, Role.ADMIN)
    text = check_query(query)
    if role is not None and not isinstance(role, Role):
        raise InvalidInput("error.request_invalid")
    if active is not None and not isinstance(active, bool):
        raise InvalidInput("error.request_invalid")
    if cursor is not None and not _is_id(cursor):
        raise InvalidInput("error.request_invalid")
    if not isinstance(limit, int) or isinstance(limit, bool) or not 0 < limit <= MAX_PAGE:
        raise InvalidInput("error.request_invalid")
    conditions: list[Any] = []
    if text:
        conditions.append(_search_condition(text))
    if role is not None:
        conditions.append(col(User.role) == role)
    if active is not None:
        conditions.append(col(User.is_active).is_(active))
    if cursor is not None:
        conditions.append(col(User.id) < cursor)
    with session_scope() as session:
        users = session.exec(
            select(User).where(*conditions).order_by(col(User.id).desc()).limit(limit + 1)
        ).all()
        shown = users[:limit]
        counts: dict[int, int] = dict(
            session.exec(
                select(Claim.owner_id, func.count())
                .where(
                    col(Claim.owner_id).in_([u.id for u in shown]),
                    col(Claim.status) != ClaimStatus.DRAFT,
                )
                .group_by(col(Claim.owner_id))
            ).all()
        )
    rows = tuple(
        UserRow(
            id=u.id,
            email=u.email,
            full_name=u.full_name,
            role=u.role,
            is_active=u.is_active,
            created_at=u.created_at,
            claims=counts.get(u.id, 0),
        )
        for u in shown
        if u.id is not None
    )
    more = len(users) > limit
    return UsersPage(rows, rows[-1].id if more and rows else None)


@dataclass(frozen=True)
class UserClaim:
    id: int
    reference: str
    status: ClaimStatus
    route: str
    flight_numbers: str
    updated_at: datetime


@dataclass(frozen=True)
class UserDetail:
    id: int
    email: str
    full_name: str
    role: Role
    locale: str
    is_active: bool
    created_at: datetime
    last_login_at: datetime | None
    open_sessions: int
    claims: tuple[UserClaim, ...]
    """The newest claims first (at most ``MAX_CLAIMS_SHOWN``), drafts included."""
    claim_count: int


def _access_user(session: Session, user_id: Any, *, lock: bool = False) -> User:
    if not _is_id(user_id):
        raise InvalidInput("error.user_not_found")
    user = session.get(User, user_id, with_for_update=lock)
    if user is None:
        raise InvalidInput("error.user_not_found")
    return user


def user_detail(*, actor: UserView | None, user_id: Any) -> UserDetail:
    authorize(actor, Role.ADMIN)
    now = utcnow()
    with session_scope() as session:
        user = _access_user(session, user_id)
        assert user.id is not None
        claims = session.exec(
            select(Claim)
            .where(Claim.owner_id == user.id)
            .order_by(col(Claim.id).desc())
            .limit(MAX_CLAIMS_SHOWN)
        ).all()
        claim_count = session.exec(
            select(func.count()).select_from(Claim).where(Claim.owner_id == user.id)
        ).one()
        last_login = session.exec(
            select(LoginSession.created_at)
            .where(LoginSession.user_id == user.id)
            .order_by(col(LoginSession.created_at).desc())
            .limit(1)
        ).first()
        open_sessions = session.exec(
            select(func.count())
            .select_from(LoginSession)
            .where(
                LoginSession.user_id == user.id,
                col(LoginSession.revoked_at).is_(None),
                col(LoginSession.expires_at) > now,
            )
        ).one()
        return UserDetail(
            id=user.id,
            email=user.email,
            full_name=user.full_name,
            role=user.role,
            locale=user.locale,
            is_active=user.is_active,
            created_at=user.created_at,
            last_login_at=last_login,
            open_sessions=int(open_sessions),
            claims=tuple(
                UserClaim(
                    id=c.id,
                    reference=c.reference or "",
                    status=c.status,
                    route=c.route,
                    flight_numbers=c.flight_numbers,
                    updated_at=c.updated_at,
                )
                for c in claims
                if c.id is not None
            ),
            claim_count=int(claim_count),
        )


# --- changing ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Changed:
    user_id: int
    changed: bool
    """False when the user already was as asked (nothing written)."""


def _lock_active_admins(session: Session) -> list[int]:
    """The ids of the active admins, locked until the transaction ends. SQLite ignores FOR
    UPDATE: there a write that changes nothing takes the database's write lock first, so two
    such transactions run one after the other and the second reads what the first wrote."""
    if session.get_bind().dialect.name == "sqlite":
        session.exec(update(User).where(col(User.id) == 0).values(is_active=False))
    return [
        i
        for i in session.exec(
            select(User.id)
            .where(User.role == Role.ADMIN, col(User.is_active).is_(True))
            .order_by(col(User.id))
            .with_for_update()
        ).all()
        if i is not None
    ]


def _keeps_an_admin(admins: list[int], user: User) -> None:
    """Refuse when ``user`` is the last active admin (about to lose the role or be deactivated)."""
    if user.role is Role.ADMIN and user.is_active and admins == [user.id]:
        raise InvalidInput("error.last_admin")


def change_role(*, actor: UserView | None, user_id: Any, role: Any, ip: str = "") -> Changed:
    """Give ``user_id`` the role ``role`` (a Role, or its value)."""
    attempted = {"role": role}
    with refusals_audited(actor, USER_ROLE, _user_target(user_id), attempted=attempted, ip=ip):
        admin = authorize(actor, Role.ADMIN)
        try:
            wanted = Role(role)
        except ValueError:
            raise InvalidInput("error.role_invalid", field="role") from None
        if user_id == admin.id:
            raise InvalidInput("error.own_role", field="role")
        with session_scope() as session:
            # The admins first, then the person: every change locks in this one order.
            admins = _lock_active_admins(session)
            user = _access_user(session, user_id, lock=True)
            assert user.id is not None
            if user.role is wanted:
                return Changed(user.id, False)
            if wanted is not Role.ADMIN:
                _keeps_an_admin(admins, user)
            before = {"role": user.role.value}
            user.role = wanted
            audit.record(
                session,
                admin,
                USER_ROLE,
                Target("user", user.id),
                before,
                {"role": wanted.value},
                ip=ip,
            )
            session.commit()
    log.info("role changed", extra={"user_id": user.id, "role": wanted.value})
    return Changed(user.id, True)


def set_active(*, actor: UserView | None, user_id: Any, active: Any, ip: str = "") -> Changed:
    """Deactivate (every session of theirs revoked in the same transaction: their open tabs find
    no one signed in at their next event) or reactivate (they sign in again)."""
    attempted = {"active": active}
    with refusals_audited(actor, USER_ACTIVE, _user_target(user_id), attempted=attempted, ip=ip):
        admin = authorize(actor, Role.ADMIN)
        if not isinstance(active, bool):
            raise InvalidInput("error.request_invalid")
        if not active and user_id == admin.id:
            raise InvalidInput("error.deactivate_self")
        with session_scope() as session:
            admins = _lock_active_admins(session)
            user = _access_user(session, user_id, lock=True)
            assert user.id is not None
            if user.is_active is active:
                return Changed(user.id, False)
            if not active:
                _keeps_an_admin(admins, user)
                accounts.revoke_sessions(session, user.id)
            user.is_active = active
            audit.record(
                session,
                admin,
                USER_ACTIVE,
                Target("user", user.id),
                {"active": not active},
                {"active": active},
                ip=ip,
            )
            session.commit()
    log.info("account activation changed", extra={"user_id": user.id, "active": active})
    return Changed(user.id, True)


def send_reset_link(*, actor: UserView | None, user_id: Any, ip: str = "") -> str:
    """Email ``user_id`` a single-use password-reset link (the same link as "forgotten
    password"), in their language. Returns the address it went to."""
    with refusals_audited(actor, USER_RESET_LINK, _user_target(user_id), ip=ip):
        admin = authorize(actor, Role.ADMIN)
        with session_scope() as session:
            user = _access_user(session, user_id)
            assert user.id is not None
            if not user.is_active:
                raise InvalidInput("error.user_inactive")
            link = accounts.add_reset_token(session, user)
            audit.record(
                session,
                admin,
                USER_RESET_LINK,
                Target("user", user.id),
                None,
                {"to": user.email},
                ip=ip,
            )
            session.commit()
            recipient, locale = user.email, user.locale
        try:
            accounts.send_reset_email(to=recipient, locale=locale, link=link)
        except (smtplib.SMTPException, OSError) as error:
            log.warning("reset link not sent", extra={"user_id": user_id, "error": str(error)})
            raise InvalidInput("error.email_failed", detail=str(error)[:200]) from None
    return recipient
