"""app settings: fee and vat set by admins

The fee and VAT rates admins set from the back office (one row, id 1). Without a row the rates
come from the environment, so existing databases keep their current rates.

Revision ID: 74d7a3b61ca2
Revises: 6772504e4ed1
Create Date: 2026-11-24 20:15:38.661091
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import indemnisation.models.types

revision: str = '74d7a3b61ca2'
down_revision: str | None = '6772504e4ed1'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table('app_settings',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('fee_percent', sa.Numeric(precision=5, scale=2), nullable=False),
    sa.Column('vat_percent', sa.Numeric(precision=5, scale=2), nullable=False),
    sa.Column('updated_at', indemnisation.models.types.AwareDateTime(timezone=True), nullable=False),
    sa.Column('updated_by_id', sa.Integer(), nullable=True),
    sa.CheckConstraint('id = 1', name='ck_app_settings_single_row'),
    sa.ForeignKeyConstraint(['updated_by_id'], ['users.id'], name='fk_app_settings_updated_by_id_users', ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id')
    )


def downgrade() -> None:
    op.drop_table('app_settings')
