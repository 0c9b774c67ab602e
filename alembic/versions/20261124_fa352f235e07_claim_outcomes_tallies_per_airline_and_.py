"""claim outcomes, tallies per airline and route, trigram user search

What each claim's passengers, history and documents come to, kept on the claim (filled here from
those tables); the all-time tallies per airline and per route built from them; the queue's
"missing documents" index; on PostgreSQL, an index that holds what the dashboard and analytics
read of a period's claims, and trigram indexes for the people search (pg_trgm).

Revision ID: fa352f235e07
Revises: 839120f2c325
Create Date: 2026-11-24 22:34:43.261182
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

import indemnisation.models.types

revision: str = 'fa352f235e07'
down_revision: str | None = '839120f2c325'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

TRIGRAM_INDEXES = {
    'ix_users_email_trgm': 'email',
    'ix_users_full_name_trgm': 'full_name',
}
# The claims of a period read from the index alone: the dashboard's top lists, the analytics.
OUTCOMES_INDEX = (
    'CREATE INDEX IF NOT EXISTS ix_claims_outcomes ON claims (submitted_at) INCLUDE '
    '(status, currency, flight_numbers, route, amount_per_passenger, passenger_count, won_at, '
    'paid_at, airline_refused)'
)
OUTCOMES = """
UPDATE claims SET
  passenger_count = (SELECT count(*) FROM passengers p WHERE p.claim_id = claims.id),
  won_at = (SELECT min(e.created_at) FROM claim_events e
            WHERE e.claim_id = claims.id AND e.to_status = 'ACCEPTED'),
  paid_at = (SELECT min(e.created_at) FROM claim_events e
             WHERE e.claim_id = claims.id AND e.to_status = 'PAID'),
  airline_refused = EXISTS (SELECT 1 FROM claim_events e WHERE e.claim_id = claims.id
                            AND e.from_status = 'SENT_TO_AIRLINE' AND e.to_status = 'REJECTED'),
  documents_missing = (
    NOT EXISTS (SELECT 1 FROM documents d WHERE d.claim_id = claims.id
                AND d.kind = 'BOARDING_PASS' AND d.review <> 'REJECTED')
    OR EXISTS (SELECT 1 FROM documents r WHERE r.claim_id = claims.id AND r.review = 'REJECTED'
               AND r.id = (SELECT max(n.id) FROM documents n WHERE n.claim_id = r.claim_id
                           AND (n.kind = r.kind OR n.kind = 'REQUESTED'))))
"""
TALLIES = """
INSERT INTO claim_tallies (dimension, key, currency, claims, won, refused, paid, paid_seconds,
                           claimed, obtained, paid_amount)
SELECT '{dimension}', {key}, currency,
  count(*),
  count(won_at),
  count(CASE WHEN airline_refused AND won_at IS NULL THEN 1 END),
  count(paid_at),
  coalesce(sum(CASE WHEN paid_at IS NOT NULL
                    THEN {seconds_paid} - {seconds_submitted} ELSE 0 END), 0),
  coalesce(sum(CASE WHEN status = 'WITHDRAWN' THEN 0
                    ELSE amount_per_passenger * passenger_count END), 0),
  coalesce(sum(CASE WHEN won_at IS NOT NULL
                    THEN amount_per_passenger * passenger_count ELSE 0 END), 0),
  coalesce(sum(CASE WHEN paid_at IS NOT NULL
                    THEN amount_per_passenger * passenger_count ELSE 0 END), 0)
FROM claims
WHERE submitted_at IS NOT NULL AND status <> 'DRAFT'
GROUP BY {key}, currency
"""


def _seconds(column: str, dialect: str) -> str:
    """Whole seconds since 1970, the same on both databases."""
    if dialect == 'postgresql':
        return f'floor(extract(epoch FROM {column}))::bigint'
    return f"CAST(strftime('%s', {column}) AS INTEGER)"


def upgrade() -> None:
    op.create_table('claim_tallies',
    sa.Column('dimension', sqlmodel.sql.sqltypes.AutoString(length=8), nullable=False),
    sa.Column('key', sqlmodel.sql.sqltypes.AutoString(length=40), nullable=False),
    sa.Column('currency', sqlmodel.sql.sqltypes.AutoString(length=3), nullable=False),
    sa.Column('claims', sa.Integer(), server_default='0', nullable=False),
    sa.Column('won', sa.Integer(), server_default='0', nullable=False),
    sa.Column('refused', sa.Integer(), server_default='0', nullable=False),
    sa.Column('paid', sa.Integer(), server_default='0', nullable=False),
    sa.Column('paid_seconds', sa.BigInteger(), server_default='0', nullable=False),
    sa.Column('claimed', sa.BigInteger(), server_default='0', nullable=False),
    sa.Column('obtained', sa.BigInteger(), server_default='0', nullable=False),
    sa.Column('paid_amount', sa.BigInteger(), server_default='0', nullable=False),
    sa.PrimaryKeyConstraint('dimension', 'key', 'currency')
    )
    with op.batch_alter_table('claims', schema=None) as batch_op:
        batch_op.add_column(sa.Column('passenger_count', sa.Integer(), server_default='0', nullable=False))
        batch_op.add_column(sa.Column('won_at', indemnisation.models.types.AwareDateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column('paid_at', indemnisation.models.types.AwareDateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column('airline_refused', sa.Boolean(), server_default=sa.false(), nullable=False))
        batch_op.add_column(sa.Column('documents_missing', sa.Boolean(), server_default=sa.true(), nullable=False))

    dialect = op.get_bind().dialect.name
    op.execute(OUTCOMES)
    seconds = {
        'seconds_paid': _seconds('paid_at', dialect),
        'seconds_submitted': _seconds('submitted_at', dialect),
    }
    op.execute(TALLIES.format(dimension='airline', key='substr(flight_numbers, 1, 2)', **seconds))
    op.execute(TALLIES.format(dimension='route', key='route', **seconds))

    with op.batch_alter_table('claims', schema=None) as batch_op:
        batch_op.create_index('ix_claims_documents_missing', ['documents_missing', 'submitted_at', 'id'], unique=False)

    if dialect == 'postgresql':
        op.execute(OUTCOMES_INDEX)
        op.execute('CREATE EXTENSION IF NOT EXISTS pg_trgm')
        for name, column in TRIGRAM_INDEXES.items():
            op.execute(f'CREATE INDEX IF NOT EXISTS {name} ON users USING gin ({column} gin_trgm_ops)')


def downgrade() -> None:
    if op.get_bind().dialect.name == 'postgresql':
        op.execute('DROP INDEX IF EXISTS ix_claims_outcomes')
        for name in TRIGRAM_INDEXES:
            op.execute(f'DROP INDEX IF EXISTS {name}')
    with op.batch_alter_table('claims', schema=None) as batch_op:
        batch_op.drop_index('ix_claims_documents_missing')
        batch_op.drop_column('documents_missing')
        batch_op.drop_column('airline_refused')
        batch_op.drop_column('paid_at')
        batch_op.drop_column('won_at')
        batch_op.drop_column('passenger_count')

    op.drop_table('claim_tallies')
