"""Small read-only views of rows, safe to hand to the UI layer."""

from __future__ import annotations

from dataclasses import dataclass

from indemnisation.models import Role, User


@dataclass(frozen=True)
class UserView:
    id: int
    email: str
    full_name: str
    role: Role
    locale: str

    @property
    def is_admin(self) -> bool:
        return self.role is Role.ADMIN

    @classmethod
    def of(cls, user: User) -> UserView:
        assert user.id is not None
        return cls(user.id, user.email, user.full_name, user.role, user.locale)
