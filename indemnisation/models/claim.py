"""Claims and what hangs off them: passengers, documents, status history, signed mandate.

``facts`` holds the itinerary and what happened in the eligibility engine's JSON input format, so
a draft keeps exactly what the claimant typed, valid or not; ``verdict`` is the engine's answer,
always computed on the server.
"""

from __future__ import annotations

import enum
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import (
    JSON,
    Boolean,
    Column,
    Enum,
    ForeignKey,
    Index,
    Integer,
    Numeric,
    String,
    false,
    true,
)
from sqlmodel import Field, SQLModel

from indemnisation.domain.claim_status import ClaimStatus
from indemnisation.models.types import AwareDateTime, cascade_fk, utcnow


class Claim(SQLModel, table=True):
    __tablename__ = "claims"
    __table_args__ = (
        Index("ix_claims_owner_created", "owner_id", "created_at"),
        # Dashboard, analytics and the queue's default order count and sort by submission.
        Index("ix_claims_submitted_at", "submitted_at", "id"),
        # The queue's "missing documents" filter, newest submissions first.
        Index("ix_claims_documents_missing", "documents_missing", "submitted_at", "id"),
    )

    id: int | None = Field(default=None, primary_key=True)
    reference: str | None = Field(
        default=None, sa_column=Column(String(20), unique=True, nullable=True)
    )
    owner_id: int = Field(
        sa_column=Column(Integer, ForeignKey("users.id", ondelete="CASCADE"), nullable=False)
    )
    assigned_to_id: int | None = Field(
        default=None,
        sa_column=Column(
            Integer,
            ForeignKey("users.id", ondelete="SET NULL", name="fk_claims_assigned_to_id_users"),
            nullable=True,
            index=True,
        ),
    )
    status: ClaimStatus = Field(
        default=ClaimStatus.DRAFT,
        sa_column=Column(
            Enum(ClaimStatus, name="claim_status", native_enum=False, length=20),
            nullable=False,
            index=True,
        ),
    )
    step: int = Field(default=1)
    facts: dict[str, Any] = Field(default_factory=dict, sa_column=Column(JSON, nullable=False))
    verdict: dict[str, Any] | None = Field(default=None, sa_column=Column(JSON, nullable=True))
    eligibility: str = Field(default="", max_length=12)
    currency: str = Field(default="EUR", max_length=3)
    amount_per_passenger: int = Field(default=0)
    fee_percent: Decimal = Field(
        default=Decimal("0"), sa_column=Column(Numeric(5, 2), nullable=False)
    )
    vat_percent: Decimal = Field(
        default=Decimal("0"), sa_column=Column(Numeric(5, 2), nullable=False)
    )
    flight_date: date | None = Field(default=None)
    route: str = Field(default="", max_length=40)
    flight_numbers: str = Field(default="", max_length=60)
    created_at: datetime = Field(default_factory=utcnow, sa_type=AwareDateTime, nullable=False)
    updated_at: datetime = Field(default_factory=utcnow, sa_type=AwareDateTime, nullable=False)
    submitted_at: datetime | None = Field(default=None, sa_type=AwareDateTime)
    # What the claim's passengers, history and documents come to, kept up to date by
    # services/claim_outcome.py in the transaction of each change, so the back office counts
    # and filters claims without reading those tables.
    passenger_count: int = Field(
        default=0, sa_column=Column(Integer, nullable=False, server_default="0")
    )
    won_at: datetime | None = Field(default=None, sa_type=AwareDateTime)
    """When the airline accepted the claim (its first move to ACCEPTED)."""
    paid_at: datetime | None = Field(default=None, sa_type=AwareDateTime)
    """When the compensation was paid (its first move to PAID)."""
    airline_refused: bool = Field(
        default=False, sa_column=Column(Boolean, nullable=False, server_default=false())
    )
    """The airline refused it once (a move from SENT_TO_AIRLINE to REJECTED)."""
    documents_missing: bool = Field(
        default=True, sa_column=Column(Boolean, nullable=False, server_default=true())
    )
    """No boarding pass (other than a rejected one), or a rejected document not replaced."""


class Passenger(SQLModel, table=True):
    __tablename__ = "passengers"

    id: int | None = Field(default=None, primary_key=True)
    claim_id: int = cascade_fk("claims.id", index=True)
    position: int = Field(default=0)
    full_name: str = Field(max_length=120)
    email: str = Field(default="", max_length=254)
    phone: str = Field(default="", max_length=40)
    is_minor: bool = Field(default=False)


class DocumentKind(enum.StrEnum):
    BOARDING_PASS = "BOARDING_PASS"  # noqa: S105  (a document kind, not a password)
    IDENTITY = "IDENTITY"
    DISRUPTION_PROOF = "DISRUPTION_PROOF"
    RECEIPT = "RECEIPT"
    MANDATE = "MANDATE"
    REQUESTED = "REQUESTED"


class DocumentReview(enum.StrEnum):
    PENDING = "PENDING"
    ACCEPTED = "ACCEPTED"
    REJECTED = "REJECTED"


class Document(SQLModel, table=True):
    __tablename__ = "documents"
    # The queue's "missing documents" filter looks for a kind, and whether it was rejected.
    __table_args__ = (Index("ix_documents_claim_kind_review", "claim_id", "kind", "review"),)

    id: int | None = Field(default=None, primary_key=True)
    claim_id: int = cascade_fk("claims.id", index=True)
    kind: DocumentKind = Field(
        sa_column=Column(
            Enum(DocumentKind, name="document_kind", native_enum=False, length=20), nullable=False
        )
    )
    original_name: str = Field(max_length=160)
    content_type: str = Field(max_length=60)
    size: int
    sha256: str = Field(max_length=64)
    storage_key: str = Field(max_length=64)
    thumbnail_key: str | None = Field(default=None, max_length=64)
    uploaded_by: int = Field(
        sa_column=Column(Integer, ForeignKey("users.id", ondelete="CASCADE"), nullable=False)
    )
    created_at: datetime = Field(default_factory=utcnow, sa_type=AwareDateTime, nullable=False)
    # The team's review: a rejected document carries the reason the claimant is shown.
    review: DocumentReview = Field(
        default=DocumentReview.PENDING,
        sa_column=Column(
            Enum(DocumentReview, name="document_review", native_enum=False, length=10),
            nullable=False,
            server_default=DocumentReview.PENDING.value,
        ),
    )
    review_reason: str = Field(
        default="", sa_column=Column(String(500), nullable=False, server_default="")
    )
    reviewed_by: int | None = Field(
        default=None,
        sa_column=Column(
            Integer,
            ForeignKey("users.id", ondelete="SET NULL", name="fk_documents_reviewed_by_users"),
            nullable=True,
        ),
    )
    reviewed_at: datetime | None = Field(default=None, sa_type=AwareDateTime)


class ClaimEvent(SQLModel, table=True):
    """One step of the status timeline shown to the claimant (who, when, from what to what)."""

    __tablename__ = "claim_events"

    id: int | None = Field(default=None, primary_key=True)
    claim_id: int = cascade_fk("claims.id", index=True)
    from_status: str = Field(default="", max_length=20)
    to_status: str = Field(max_length=20)
    actor_id: int | None = Field(
        default=None,
        sa_column=Column(Integer, ForeignKey("users.id", ondelete="SET NULL"), nullable=True),
    )
    note: str = Field(default="", max_length=2000)
    created_at: datetime = Field(default_factory=utcnow, sa_type=AwareDateTime, nullable=False)


class Mandate(SQLModel, table=True):
    """The signed assignment / power of attorney: who signed, when, from where."""

    __tablename__ = "mandates"

    id: int | None = Field(default=None, primary_key=True)
    claim_id: int = Field(
        sa_column=Column(
            Integer, ForeignKey("claims.id", ondelete="CASCADE"), nullable=False, unique=True
        )
    )
    signer_name: str = Field(max_length=120)
    signed_at: datetime = Field(default_factory=utcnow, sa_type=AwareDateTime, nullable=False)
    ip: str = Field(default="", max_length=64)
    user_agent: str = Field(default="", max_length=255)
    text_version: str = Field(default="1", max_length=10)
    document_id: int | None = Field(
        default=None,
        sa_column=Column(Integer, ForeignKey("documents.id", ondelete="SET NULL"), nullable=True),
    )
