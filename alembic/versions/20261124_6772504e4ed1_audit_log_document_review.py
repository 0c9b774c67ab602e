"""audit log, document review

The audit log of admin actions and refused attempts (indexed for its filters: actor, action,
target, time), and the team's review of each document: accepted or rejected with a reason, by
whom and when. Existing documents start as pending.

Revision ID: 6772504e4ed1
Revises: 29d5f33a93fe
Create Date: 2026-11-24 20:04:03.854867
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

import indemnisation.models.types

revision: str = '6772504e4ed1'
down_revision: str | None = '29d5f33a93fe'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table('audit_entries',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('at', indemnisation.models.types.AwareDateTime(timezone=True), nullable=False),
    sa.Column('actor_id', sa.Integer(), nullable=True),
    sa.Column('action', sa.String(length=40), nullable=False),
    sa.Column('target_type', sa.String(length=20), nullable=False),
    sa.Column('target_id', sa.Integer(), nullable=True),
    sa.Column('before', sa.JSON(), nullable=True),
    sa.Column('after', sa.JSON(), nullable=True),
    sa.Column('note', sqlmodel.sql.sqltypes.AutoString(length=2000), nullable=False),
    sa.Column('refused', sa.Boolean(), nullable=False),
    sa.Column('ip', sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
    sa.ForeignKeyConstraint(['actor_id'], ['users.id'], name='fk_audit_entries_actor_id_users', ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id'),
    sqlite_autoincrement=True
    )
    with op.batch_alter_table('audit_entries', schema=None) as batch_op:
        batch_op.create_index('ix_audit_entries_action', ['action', 'id'], unique=False)
        batch_op.create_index('ix_audit_entries_actor', ['actor_id', 'id'], unique=False)
        batch_op.create_index('ix_audit_entries_at', ['at'], unique=False)
        batch_op.create_index('ix_audit_entries_target', ['target_type', 'target_id', 'id'], unique=False)

    with op.batch_alter_table('documents', schema=None) as batch_op:
        batch_op.add_column(sa.Column('review', sa.Enum('PENDING', 'ACCEPTED', 'REJECTED', name='document_review', native_enum=False, length=10), server_default='PENDING', nullable=False))
        batch_op.add_column(sa.Column('review_reason', sa.String(length=500), server_default='', nullable=False))
        batch_op.add_column(sa.Column('reviewed_by', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('reviewed_at', indemnisation.models.types.AwareDateTime(timezone=True), nullable=True))
        batch_op.create_foreign_key('fk_documents_reviewed_by_users', 'users', ['reviewed_by'], ['id'], ondelete='SET NULL')



def downgrade() -> None:
    with op.batch_alter_table('documents', schema=None) as batch_op:
        batch_op.drop_constraint('fk_documents_reviewed_by_users', type_='foreignkey')
        batch_op.drop_column('reviewed_at')
        batch_op.drop_column('reviewed_by')
        batch_op.drop_column('review_reason')
        batch_op.drop_column('review')

    with op.batch_alter_table('audit_entries', schema=None) as batch_op:
        batch_op.drop_index('ix_audit_entries_target')
        batch_op.drop_index('ix_audit_entries_at')
        batch_op.drop_index('ix_audit_entries_actor')
        batch_op.drop_index('ix_audit_entries_action')

    op.drop_table('audit_entries')
