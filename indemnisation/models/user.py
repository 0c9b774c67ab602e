"""People who use the platform: claimants and the claims team."""

from __future__ import annotations

import enum
from datetime import datetime

from sqlalchemy import Column, Enum, String
from sqlmodel import Field, SQLModel

from indemnisation.models.types import AwareDateTime, utcnow


class Role(enum.StrEnum):
    CLAIMANT = "CLAIMANT"
    ADMIN = "ADMIN"


class User(SQLModel, table=True):
    __tablename__ = "users"

    id: int | None = Field(default=None, primary_key=True)
    email: str = Field(sa_column=Column(String(254), unique=True, nullable=False, index=True))
    full_name: str = Field(max_length=120)
    password_hash: str = Field(max_length=255)
    role: Role = Field(
        default=Role.CLAIMANT,
        sa_column=Column(
            Enum(Role, name="user_role", native_enum=False, length=16), nullable=False
        ),
    )
    locale: str = Field(default="fr", max_length=5)
    is_active: bool = Field(default=True)
    created_at: datetime = Field(default_factory=utcnow, sa_type=AwareDateTime, nullable=False)
    password_changed_at: datetime = Field(
        default_factory=utcnow, sa_type=AwareDateTime, nullable=False
    )
