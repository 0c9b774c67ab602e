"""The one authorization rule that every event handler, page guard and route goes through."""

from __future__ import annotations

from indemnisation.models import Role
from indemnisation.services.errors import Forbidden, NotAuthenticated
from indemnisation.services.views import UserView


def authorize(user: UserView | None, role: Role | None = None) -> UserView:
    """Return ``user`` when signed in (and of ``role`` when one is required), else refuse."""
    if user is None:
        raise NotAuthenticated()
    if role is not None and user.role is not role:
        raise Forbidden()
    return user
