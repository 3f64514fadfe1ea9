"""sources with evidence: kind, stance, passage, archived copy

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-25 09:42:06.805110
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = '0005'
down_revision = '0004'
branch_labels = None
depends_on = None

# What a downgrade past this revision drops (see 0001).
LOSES = (
    ("sources' kinds, stances, quoted passages or archive links",
     "SELECT count(*) FROM source WHERE kind <> 'other' OR stance <> 'context' OR passage <> '' OR archived_url <> ''"),
)


def upgrade() -> None:
    with op.batch_alter_table('source', schema=None) as batch_op:
        batch_op.add_column(sa.Column('kind', sa.String(length=16), nullable=False, server_default='other'))
        batch_op.add_column(sa.Column('stance', sa.String(length=16), nullable=False, server_default='context'))
        batch_op.add_column(sa.Column('passage', sa.Text(), nullable=False, server_default=''))
        batch_op.add_column(sa.Column('archived_url', sa.String(length=2000), nullable=False, server_default=''))



def downgrade() -> None:
    with op.batch_alter_table('source', schema=None) as batch_op:
        batch_op.drop_column('archived_url')
        batch_op.drop_column('passage')
        batch_op.drop_column('stance')
        batch_op.drop_column('kind')

