"""Per-claim messaging: messages, their attachments and each participant's read pointer.

Ids only grow (``sqlite_autoincrement`` keeps SQLite from reusing them), so "read up to id N" is a
complete read state for a thread and unread counts are a comparison against one pointer.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import Column, ForeignKey, Index, Integer, String, Text, UniqueConstraint
from sqlmodel import Field, SQLModel

from indemnisation.models.types import AwareDateTime, utcnow


def _fk(target: str, *, index: bool = False) -> Any:
    return Field(
        sa_column=Column(
            Integer, ForeignKey(target, ondelete="CASCADE"), nullable=False, index=index
        )
    )


class Message(SQLModel, table=True):
    __tablename__ = "messages"
    __table_args__ = (
        UniqueConstraint("sender_id", "client_key", name="uq_messages_sender_client_key"),
        Index("ix_messages_claim_id_id", "claim_id", "id"),
        Index("ix_messages_unread", "from_team", "internal", "claim_id", "id"),
        {"sqlite_autoincrement": True},
    )

    id: int | None = Field(default=None, primary_key=True)
    claim_id: int = _fk("claims.id")
    sender_id: int = _fk("users.id")
    from_team: bool = Field(default=False)
    internal: bool = Field(default=False)
    content: str = Field(sa_column=Column(Text, nullable=False))
    client_key: str = Field(sa_column=Column(String(64), nullable=False))
    created_at: datetime = Field(default_factory=utcnow, sa_type=AwareDateTime, nullable=False)


class MessageAttachment(SQLModel, table=True):
    __tablename__ = "message_attachments"

    id: int | None = Field(default=None, primary_key=True)
    message_id: int = _fk("messages.id", index=True)
    original_name: str = Field(max_length=160)
    content_type: str = Field(max_length=60)
    size: int
    sha256: str = Field(max_length=64)
    storage_key: str = Field(max_length=64)
    thumbnail_key: str | None = Field(default=None, max_length=64)


class ThreadRead(SQLModel, table=True):
    """How far one participant has read one claim's thread; only ever moved forward by reading."""

    __tablename__ = "thread_reads"
    __table_args__ = (UniqueConstraint("claim_id", "user_id", name="uq_thread_reads_claim_user"),)

    id: int | None = Field(default=None, primary_key=True)
    claim_id: int = _fk("claims.id")
    user_id: int = _fk("users.id", index=True)
    last_read_message_id: int = Field(default=0)
    updated_at: datetime = Field(default_factory=utcnow, sa_type=AwareDateTime, nullable=False)
