"""thread summaries, read marks, unread tallies, canned responses, assignment

A summary row per thread for the admin inbox (filled here from existing messages), the history of
read-pointer moves for read receipts, each admin's unread tally (computed on first use), canned
replies, the admin a claim is assigned to, the away-email pointer, and PostgreSQL full-text search
over message content.

Revision ID: 29d5f33a93fe
Revises: 63ebe6692411
Create Date: 2026-11-24 18:43:59.703473
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

import indemnisation.models.types

revision: str = '29d5f33a93fe'
down_revision: str | None = '63ebe6692411'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

FK_ASSIGNED = 'fk_claims_assigned_to_id_users'
FTS_INDEX = (
    "CREATE INDEX IF NOT EXISTS ix_messages_fts ON messages "
    "USING gin (to_tsvector('simple', content))"
)


def upgrade() -> None:
    op.create_table('canned_responses',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('locale', sqlmodel.sql.sqltypes.AutoString(length=2), nullable=False),
    sa.Column('title', sqlmodel.sql.sqltypes.AutoString(length=80), nullable=False),
    sa.Column('body', sa.Text(), nullable=False),
    sa.Column('updated_at', indemnisation.models.types.AwareDateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('canned_responses', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_canned_responses_locale'), ['locale'], unique=False)

    op.create_table('unread_tallies',
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('unread', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('user_id')
    )
    op.create_table('read_marks',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('claim_id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('from_team', sa.Boolean(), nullable=False),
    sa.Column('message_id', sa.Integer(), nullable=False),
    sa.Column('read_at', indemnisation.models.types.AwareDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['claim_id'], ['claims.id'], ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('read_marks', schema=None) as batch_op:
        batch_op.create_index('ix_read_marks_claim_message', ['claim_id', 'message_id'], unique=False)

    op.create_table('threads',
    sa.Column('claim_id', sa.Integer(), nullable=False),
    sa.Column('last_message_id', sa.Integer(), nullable=False),
    sa.Column('last_message_at', indemnisation.models.types.AwareDateTime(timezone=True), nullable=False),
    sa.Column('last_from_team', sa.Boolean(), nullable=False),
    sa.Column('last_claimant_message_id', sa.Integer(), nullable=False),
    sa.Column('last_sender_name', sqlmodel.sql.sqltypes.AutoString(length=120), nullable=False),
    sa.Column('excerpt', sqlmodel.sql.sqltypes.AutoString(length=140), nullable=False),
    sa.Column('waiting_since', indemnisation.models.types.AwareDateTime(timezone=True), nullable=True),
    sa.Column('message_count', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['claim_id'], ['claims.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('claim_id')
    )
    with op.batch_alter_table('threads', schema=None) as batch_op:
        batch_op.create_index('ix_threads_last_message_id', ['last_message_id'], unique=False)
        batch_op.create_index('ix_threads_waiting_since', ['waiting_since'], unique=False)
        batch_op.create_index(
            'ix_threads_last_claimant_message_id', ['last_claimant_message_id'], unique=False
        )

    with op.batch_alter_table('claims', schema=None) as batch_op:
        batch_op.add_column(sa.Column('assigned_to_id', sa.Integer(), nullable=True))
        batch_op.create_index(batch_op.f('ix_claims_assigned_to_id'), ['assigned_to_id'], unique=False)
        batch_op.create_foreign_key(FK_ASSIGNED, 'users', ['assigned_to_id'], ['id'], ondelete='SET NULL')

    with op.batch_alter_table('thread_reads', schema=None) as batch_op:
        batch_op.add_column(sa.Column('emailed_up_to', sa.Integer(), server_default='0', nullable=False))

    if op.get_bind().dialect.name == 'postgresql':
        op.execute(FTS_INDEX)
    _fill_threads()


def _fill_threads() -> None:
    """One summary per claim that already has public messages."""
    bind = op.get_bind()
    claims = bind.execute(sa.text(
        "SELECT DISTINCT claim_id FROM messages WHERE internal = :no"), {"no": False}).scalars()
    for claim_id in list(claims):
        rows = bind.execute(sa.text(
            "SELECT m.id, m.created_at, m.from_team, m.content, u.full_name FROM messages m "
            "JOIN users u ON u.id = m.sender_id WHERE m.claim_id = :c AND m.internal = :no "
            "ORDER BY m.id"), {"c": claim_id, "no": False}).all()
        waiting = None
        last_claimant = 0
        for row in rows:
            if row.from_team:
                waiting = None
            else:
                last_claimant = row.id
                waiting = waiting or row.created_at
        last = rows[-1]
        bind.execute(sa.text(
            "INSERT INTO threads (claim_id, last_message_id, last_message_at, last_from_team, "
            "last_claimant_message_id, last_sender_name, excerpt, waiting_since, message_count) "
            "VALUES (:c, :i, :at, :team, :claimant, :name, :excerpt, :waiting, :count)"),
            {"c": claim_id, "i": last.id, "at": last.created_at, "team": last.from_team,
             "claimant": last_claimant,
             "name": last.full_name[:120], "excerpt": " ".join(last.content.split())[:140],
             "waiting": waiting, "count": len(rows)})


def downgrade() -> None:
    if op.get_bind().dialect.name == 'postgresql':
        op.execute("DROP INDEX IF EXISTS ix_messages_fts")
    with op.batch_alter_table('thread_reads', schema=None) as batch_op:
        batch_op.drop_column('emailed_up_to')

    with op.batch_alter_table('claims', schema=None) as batch_op:
        batch_op.drop_constraint(FK_ASSIGNED, type_='foreignkey')
        batch_op.drop_index(batch_op.f('ix_claims_assigned_to_id'))
        batch_op.drop_column('assigned_to_id')

    with op.batch_alter_table('threads', schema=None) as batch_op:
        batch_op.drop_index('ix_threads_last_claimant_message_id')
        batch_op.drop_index('ix_threads_waiting_since')
        batch_op.drop_index('ix_threads_last_message_id')

    op.drop_table('threads')
    with op.batch_alter_table('read_marks', schema=None) as batch_op:
        batch_op.drop_index('ix_read_marks_claim_message')

    op.drop_table('read_marks')
    op.drop_table('unread_tallies')
    with op.batch_alter_table('canned_responses', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_canned_responses_locale'))

    op.drop_table('canned_responses')
