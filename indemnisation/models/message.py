"""Per-claim messaging: messages, their attachments and each participant's read pointer.

Ids only grow (``sqlite_autoincrement`` keeps SQLite from reusing them), so "read up to id N" is a
complete read state for a thread and unread counts are a comparison against one pointer.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import (
    Column,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
    func,
    literal_column,
)
from sqlmodel import Field, SQLModel

from indemnisation.models.types import AwareDateTime, cascade_fk, utcnow


class Message(SQLModel, table=True):
    __tablename__ = "messages"
    __table_args__ = (
        UniqueConstraint("sender_id", "client_key", name="uq_messages_sender_client_key"),
        Index("ix_messages_claim_id_id", "claim_id", "id"),
        Index("ix_messages_unread", "from_team", "internal", "claim_id", "id"),
        {"sqlite_autoincrement": True},
    )

    id: int | None = Field(default=None, primary_key=True)
    claim_id: int = cascade_fk("claims.id", index=False)
    sender_id: int = cascade_fk("users.id", index=False)
    from_team: bool = Field(default=False)
    internal: bool = Field(default=False)
    content: str = Field(sa_column=Column(Text, nullable=False))
    client_key: str = Field(sa_column=Column(String(64), nullable=False))
    created_at: datetime = Field(default_factory=utcnow, sa_type=AwareDateTime, nullable=False)


# Full-text search of the admin inbox (PostgreSQL only; SQLite searches with LIKE). The "simple"
# configuration neither stems nor drops stop words, so French and English are treated alike.
FTS_CONFIG = "simple"
Index(
    "ix_messages_fts",
    func.to_tsvector(literal_column(f"'{FTS_CONFIG}'"), Message.__table__.c.content),  # type: ignore[attr-defined]
    postgresql_using="gin",
).ddl_if(dialect="postgresql")


class MessageAttachment(SQLModel, table=True):
    __tablename__ = "message_attachments"

    id: int | None = Field(default=None, primary_key=True)
    message_id: int = cascade_fk("messages.id", index=True)
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
    claim_id: int = cascade_fk("claims.id", index=False)
    user_id: int = cascade_fk("users.id", index=True)
    last_read_message_id: int = Field(default=0)
    emailed_up_to: int = Field(default=0, sa_column_kwargs={"server_default": "0"})
    updated_at: datetime = Field(default_factory=utcnow, sa_type=AwareDateTime, nullable=False)


class ReadMark(SQLModel, table=True):
    """One forward move of a read pointer: a message was first seen by that person at
    ``read_at`` if its id is at most ``message_id`` and above their previous mark."""

    __tablename__ = "read_marks"
    __table_args__ = (Index("ix_read_marks_claim_message", "claim_id", "message_id"),)

    id: int | None = Field(default=None, primary_key=True)
    claim_id: int = cascade_fk("claims.id", index=False)
    user_id: int = cascade_fk("users.id", index=False)
    from_team: bool = Field(default=False)
    message_id: int
    read_at: datetime = Field(default_factory=utcnow, sa_type=AwareDateTime, nullable=False)


class ThreadSummary(SQLModel, table=True):
    """One row per claim thread with public messages, kept by every send in the same
    transaction: the admin inbox lists and sorts threads without scanning messages."""

    __tablename__ = "threads"
    __table_args__ = (
        Index("ix_threads_last_message_id", "last_message_id"),
        Index("ix_threads_waiting_since", "waiting_since"),
        Index("ix_threads_last_claimant_message_id", "last_claimant_message_id"),
    )

    claim_id: int = Field(
        sa_column=Column(Integer, ForeignKey("claims.id", ondelete="CASCADE"), primary_key=True)
    )
    last_message_id: int
    last_message_at: datetime = Field(sa_type=AwareDateTime, nullable=False)
    last_from_team: bool = Field(default=False)
    last_claimant_message_id: int = Field(default=0)
    last_sender_name: str = Field(default="", max_length=120)
    excerpt: str = Field(default="", max_length=140)
    waiting_since: datetime | None = Field(default=None, sa_type=AwareDateTime)
    message_count: int = Field(default=0)


class UnreadTally(SQLModel, table=True):
    """An admin's unread claimant messages across all threads, moved by sends and reads so the
    badge is one primary-key read however many messages there are."""

    __tablename__ = "unread_tallies"

    user_id: int = Field(
        sa_column=Column(Integer, ForeignKey("users.id", ondelete="CASCADE"), primary_key=True)
    )
    unread: int = Field(default=0)


class CannedResponse(SQLModel, table=True):
    """A reply the team inserts in the composer, written once per language."""

    __tablename__ = "canned_responses"

    id: int | None = Field(default=None, primary_key=True)
    locale: str = Field(max_length=2, index=True)
    title: str = Field(max_length=80)
    body: str = Field(sa_column=Column(Text, nullable=False))
    updated_at: datetime = Field(default_factory=utcnow, sa_type=AwareDateTime, nullable=False)
