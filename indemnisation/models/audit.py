"""The audit log: every admin action, and every refused attempt at one, with who, what, when, on
what, and the values before and after.

Ids only grow (``sqlite_autoincrement``), so the newest entries come first by id and pages are
keyset pages on it; the indexes serve the log's filters (actor, action, target, time).
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, Column, ForeignKey, Index, Integer, String
from sqlmodel import Field, SQLModel

from indemnisation.models.types import AwareDateTime, utcnow


class AuditEntry(SQLModel, table=True):
    __tablename__ = "audit_entries"
    __table_args__ = (
        Index("ix_audit_entries_actor", "actor_id", "id"),
        Index("ix_audit_entries_action", "action", "id"),
        Index("ix_audit_entries_target", "target_type", "target_id", "id"),
        Index("ix_audit_entries_at", "at"),
        {"sqlite_autoincrement": True},
    )

    id: int | None = Field(default=None, primary_key=True)
    at: datetime = Field(default_factory=utcnow, sa_type=AwareDateTime, nullable=False)
    actor_id: int | None = Field(
        default=None,
        sa_column=Column(
            Integer,
            ForeignKey("users.id", ondelete="SET NULL", name="fk_audit_entries_actor_id_users"),
            nullable=True,
        ),
    )
    action: str = Field(sa_column=Column(String(40), nullable=False))
    target_type: str = Field(sa_column=Column(String(20), nullable=False))
    target_id: int | None = Field(default=None)
    before: dict[str, Any] | None = Field(default=None, sa_column=Column(JSON, nullable=True))
    after: dict[str, Any] | None = Field(default=None, sa_column=Column(JSON, nullable=True))
    note: str = Field(default="", max_length=2000)
    refused: bool = Field(default=False)
    """An attempt that was refused: ``note`` holds the error code, nothing else was written."""
    ip: str = Field(default="", max_length=64)
