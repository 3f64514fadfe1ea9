"""suggestions: accepted flag, speaker, language, rejected suggestions

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-25 09:30:05.800628
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = '0002'
down_revision = '0001'
branch_labels = None
depends_on = None

# What a downgrade past this revision drops (see 0001). Upgrading again makes every claim accepted.
LOSES = (
    ("rejected suggestions", "SELECT count(*) FROM rejected_suggestion"),
    ("suggestions nobody accepted (they would come back as claims)", "SELECT count(*) FROM claim WHERE NOT accepted"),
    ("claims' speakers, languages or comment marks",
     "SELECT count(*) FROM claim WHERE speaker <> '' OR lang IS NOT NULL OR from_comment"),
)


def upgrade() -> None:
    op.create_table('rejected_suggestion',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('article_id', sa.Integer(), nullable=False),
    sa.Column('start_offset', sa.Integer(), nullable=False),
    sa.Column('end_offset', sa.Integer(), nullable=False),
    sa.Column('quote', sa.Text(), nullable=False),
    sa.ForeignKeyConstraint(['article_id'], ['article.id'], name=op.f('fk_rejected_suggestion_article_id_article'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_rejected_suggestion'))
    )
    with op.batch_alter_table('rejected_suggestion', schema=None) as batch_op:
        batch_op.create_index('ix_rejected_suggestion_article', ['article_id', 'start_offset'], unique=False)

    with op.batch_alter_table('claim', schema=None) as batch_op:
        # Claims made before suggestions existed were shown as claims: they stay accepted.
        batch_op.add_column(sa.Column('accepted', sa.Boolean(), nullable=False, server_default=sa.true()))
        batch_op.add_column(sa.Column('speaker', sa.String(length=200), nullable=False, server_default=''))
        batch_op.add_column(sa.Column('lang', sa.String(length=8), nullable=True))
        batch_op.add_column(sa.Column('from_comment', sa.Boolean(), nullable=False, server_default=sa.false()))



def downgrade() -> None:
    with op.batch_alter_table('claim', schema=None) as batch_op:
        batch_op.drop_column('from_comment')
        batch_op.drop_column('lang')
        batch_op.drop_column('speaker')
        batch_op.drop_column('accepted')

    with op.batch_alter_table('rejected_suggestion', schema=None) as batch_op:
        batch_op.drop_index('ix_rejected_suggestion_article')

    op.drop_table('rejected_suggestion')
