"""outgoing mails queue

Emails to claimants (status changes, rejected documents, submission confirmations) are written
in the transaction of the change and deleted once the mail server accepted them, so that an
unreachable server delays them without losing them.

Revision ID: de64f9edc171
Revises: fa352f235e07
Create Date: 2026-11-24 23:14:36.730320
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

import indemnisation.models.types

revision: str = 'de64f9edc171'
down_revision: str | None = 'fa352f235e07'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table('outgoing_mails',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('recipient', sqlmodel.sql.sqltypes.AutoString(length=320), nullable=False),
    sa.Column('subject', sqlmodel.sql.sqltypes.AutoString(length=500), nullable=False),
    sa.Column('body', sa.Text(), nullable=False),
    sa.Column('created_at', indemnisation.models.types.AwareDateTime(timezone=True), nullable=False),
    sa.Column('attempts', sa.Integer(), nullable=False),
    sa.Column('next_attempt_at', indemnisation.models.types.AwareDateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('outgoing_mails', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_outgoing_mails_next_attempt_at'), ['next_attempt_at'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('outgoing_mails', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_outgoing_mails_next_attempt_at'))

    op.drop_table('outgoing_mails')
