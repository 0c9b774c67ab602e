"""Figures for the admin home: who uses the platform."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlmodel import col, func, select

from indemnisation.db import session_scope
from indemnisation.models import LoginSession, Role, User
from indemnisation.models.types import utcnow
from indemnisation.services.authz import authorize
from indemnisation.services.views import UserView


@dataclass(frozen=True)
class RecentUser:
    full_name: str
    email: str
    role: Role
    created_at: datetime


@dataclass(frozen=True)
class Overview:
    claimants: int
    admins: int
    new_this_week: int
    active_sessions: int
    recent: list[RecentUser]


def overview(*, actor: UserView | None, recent_limit: int = 10) -> Overview:
    authorize(actor, Role.ADMIN)
    now = utcnow()
    with session_scope() as session:
        by_role = dict(session.exec(select(User.role, func.count()).group_by(col(User.role))).all())
        new_this_week = session.exec(
            select(func.count()).where(col(User.created_at) >= now - timedelta(days=7))
        ).one()
        active_sessions = session.exec(
            select(func.count()).where(
                col(LoginSession.revoked_at).is_(None), col(LoginSession.expires_at) > now
            )
        ).one()
        recent = session.exec(
            select(User).order_by(col(User.created_at).desc()).limit(recent_limit)
        ).all()
    return Overview(
        claimants=by_role.get(Role.CLAIMANT, 0),
        admins=by_role.get(Role.ADMIN, 0),
        new_this_week=new_this_week,
        active_sessions=active_sessions,
        recent=[RecentUser(u.full_name, u.email, u.role, u.created_at) for u in recent],
    )
