"""evidence on claims: passage comparisons and figures checks saved with their passages

A new table only: nothing existing is copied or rewritten.

Revision ID: 0009
Revises: 0008
Create Date: 2026-11-30 04:58:55.819980
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = '0009'
down_revision = '0008'
branch_labels = None
depends_on = None

# What a downgrade past this revision drops (see 0001).
LOSES = (("saved pieces of evidence", "SELECT count(*) FROM evidence"),)


def upgrade() -> None:
    op.create_table('evidence',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('claim_id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=16), nullable=False),
    sa.Column('left_label', sa.String(length=500), nullable=False),
    sa.Column('left_url', sa.String(length=2000), nullable=False),
    sa.Column('left_text', sa.Text(), nullable=False),
    sa.Column('right_label', sa.String(length=500), nullable=False),
    sa.Column('right_url', sa.String(length=2000), nullable=False),
    sa.Column('right_text', sa.Text(), nullable=False),
    sa.Column('similarity', sa.Float(), nullable=True),
    sa.Column('summary', sa.Text(), nullable=False),
    sa.Column('detail', sa.Text(), nullable=False),
    sa.Column('mismatch', sa.Boolean(), nullable=False),
    sa.Column('created_by', sa.String(length=200), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['claim_id'], ['claim.id'], name=op.f('fk_evidence_claim_id_claim'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_evidence'))
    )
    with op.batch_alter_table('evidence', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_evidence_claim_id'), ['claim_id'], unique=False)



def downgrade() -> None:
    with op.batch_alter_table('evidence', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_evidence_claim_id'))

    op.drop_table('evidence')
