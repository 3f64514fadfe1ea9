"""history: append-only change log

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-25 09:35:51.055074
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = '0003'
down_revision = '0002'
branch_labels = None
depends_on = None

# PostgreSQL's triggers as this revision makes them, written out rather than taken from app code,
# so that no later change there can change what this step creates (that takes a new revision).
POSTGRES_INSTALL = [
    "CREATE FUNCTION claimdesk_history_append_only() RETURNS trigger LANGUAGE plpgsql AS $$"
    " BEGIN RAISE EXCEPTION 'history is append-only' USING ERRCODE = 'integrity_constraint_violation'; END $$",
    "CREATE TRIGGER history_no_update BEFORE UPDATE OR DELETE ON history"
    " FOR EACH ROW EXECUTE FUNCTION claimdesk_history_append_only()",
    "CREATE TRIGGER history_no_truncate BEFORE TRUNCATE ON history"
    " FOR EACH STATEMENT EXECUTE FUNCTION claimdesk_history_append_only()",
]
POSTGRES_UNINSTALL = [
    "DROP TRIGGER IF EXISTS history_no_update ON history",
    "DROP TRIGGER IF EXISTS history_no_truncate ON history",
    "DROP FUNCTION IF EXISTS claimdesk_history_append_only()",
]

# What a downgrade past this revision drops (see 0001).
LOSES = (("history entries", "SELECT count(*) FROM history"),)


def upgrade() -> None:
    op.create_table('history',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('article_id', sa.Integer(), nullable=False),
    sa.Column('claim_id', sa.Integer(), nullable=False),
    sa.Column('entity', sa.String(length=16), nullable=False),
    sa.Column('entity_id', sa.Integer(), nullable=False),
    sa.Column('field', sa.String(length=32), nullable=False),
    sa.Column('old_value', sa.Text(), nullable=True),
    sa.Column('new_value', sa.Text(), nullable=True),
    sa.Column('actor', sa.String(length=200), nullable=False),
    sa.Column('at', sa.DateTime(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_history'))
    )
    with op.batch_alter_table('history', schema=None) as batch_op:
        batch_op.create_index('ix_history_claim', ['claim_id', 'id'], unique=False)

    # Accountability: once written, a history row can be neither changed nor removed.
    if op.get_bind().dialect.name == "postgresql":
        for statement in POSTGRES_INSTALL:
            op.execute(statement)
        return
    for action in ("UPDATE", "DELETE"):
        op.execute(
            f"CREATE TRIGGER history_no_{action.lower()} BEFORE {action} ON history"
            " BEGIN SELECT RAISE(ABORT, 'history is append-only'); END"
        )



def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        for statement in POSTGRES_UNINSTALL:
            op.execute(statement)
    else:
        op.execute("DROP TRIGGER IF EXISTS history_no_update")
        op.execute("DROP TRIGGER IF EXISTS history_no_delete")
    with op.batch_alter_table('history', schema=None) as batch_op:
        batch_op.drop_index('ix_history_claim')

    op.drop_table('history')
