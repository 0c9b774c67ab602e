"""Emails waiting to leave: written in the transaction of the change they tell about, so that a
mail server that is down delays them but never loses them (services/mail_queue.py sends them
and deletes each one once the server accepted it)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Column, Text
from sqlmodel import Field, SQLModel

from indemnisation.models.types import AwareDateTime, utcnow


class OutgoingMail(SQLModel, table=True):
    __tablename__ = "outgoing_mails"

    id: int | None = Field(default=None, primary_key=True)
    recipient: str = Field(max_length=320)
    subject: str = Field(max_length=500)
    body: str = Field(sa_column=Column(Text, nullable=False))
    created_at: datetime = Field(default_factory=utcnow, sa_type=AwareDateTime, nullable=False)
    attempts: int = Field(default=0)
    next_attempt_at: datetime = Field(
        default_factory=utcnow, sa_type=AwareDateTime, nullable=False, index=True
    )
