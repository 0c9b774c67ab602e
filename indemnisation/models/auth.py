"""Login sessions, password-reset tokens and failed-login records.

Secrets (session ids, reset tokens) are never stored: only their SHA-256 digest is.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Column, String
from sqlmodel import Field, SQLModel

from indemnisation.models.types import AwareDateTime, cascade_fk, utcnow


class LoginSession(SQLModel, table=True):
    __tablename__ = "login_sessions"

    id: int | None = Field(default=None, primary_key=True)
    user_id: int = cascade_fk("users.id", index=True)
    token_hash: str = Field(sa_column=Column(String(64), unique=True, nullable=False))
    created_at: datetime = Field(default_factory=utcnow, sa_type=AwareDateTime, nullable=False)
    expires_at: datetime = Field(sa_type=AwareDateTime, nullable=False)
    revoked_at: datetime | None = Field(default=None, sa_type=AwareDateTime)
    ip: str = Field(default="", max_length=64)
    user_agent: str = Field(default="", max_length=255)


class PasswordResetToken(SQLModel, table=True):
    __tablename__ = "password_reset_tokens"

    id: int | None = Field(default=None, primary_key=True)
    user_id: int = cascade_fk("users.id", index=True)
    token_hash: str = Field(sa_column=Column(String(64), unique=True, nullable=False))
    created_at: datetime = Field(default_factory=utcnow, sa_type=AwareDateTime, nullable=False)
    expires_at: datetime = Field(sa_type=AwareDateTime, nullable=False)
    used_at: datetime | None = Field(default=None, sa_type=AwareDateTime)


class FailedLogin(SQLModel, table=True):
    """One failed login, counted per account and per IP when Redis is not configured."""

    __tablename__ = "failed_logins"

    id: int | None = Field(default=None, primary_key=True)
    key: str = Field(sa_column=Column(String(300), nullable=False, index=True))
    created_at: datetime = Field(
        default_factory=utcnow, sa_type=AwareDateTime, nullable=False, index=True
    )
