"""Indexes for the back office: claims by submission, documents by kind and review.

Revision ID: 839120f2c325
Revises: 74d7a3b61ca2
Create Date: 2026-11-24 20:49:35.187205
"""

from collections.abc import Sequence

from alembic import op

revision: str = "839120f2c325"
down_revision: str | None = "74d7a3b61ca2"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("claims", schema=None) as batch_op:
        batch_op.create_index("ix_claims_submitted_at", ["submitted_at", "id"], unique=False)

    with op.batch_alter_table("documents", schema=None) as batch_op:
        batch_op.create_index(
            "ix_documents_claim_kind_review", ["claim_id", "kind", "review"], unique=False
        )


def downgrade() -> None:
    with op.batch_alter_table("documents", schema=None) as batch_op:
        batch_op.drop_index("ix_documents_claim_kind_review")

    with op.batch_alter_table("claims", schema=None) as batch_op:
        batch_op.drop_index("ix_claims_submitted_at")
