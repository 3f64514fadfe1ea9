"""segments: the structure of each article

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-25 09:58:56.079862
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = '0006'
down_revision = '0005'
branch_labels = None
depends_on = None

# What a downgrade past this revision drops (see 0001): recomputed from the text on first open,
# but the importer's speakers, authors, dates and reader comments are gone.
LOSES = (("articles' structure (paragraphs, speakers, reader comments)", "SELECT count(DISTINCT article_id) FROM segment"),)


def upgrade() -> None:
    op.create_table('segment',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('article_id', sa.Integer(), nullable=False),
    sa.Column('start_offset', sa.Integer(), nullable=False),
    sa.Column('end_offset', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=16), nullable=False),
    sa.Column('speaker', sa.String(length=200), nullable=True),
    sa.Column('author', sa.String(length=200), nullable=True),
    sa.Column('date', sa.String(length=100), nullable=True),
    sa.Column('lang', sa.String(length=8), nullable=True),
    sa.ForeignKeyConstraint(['article_id'], ['article.id'], name=op.f('fk_segment_article_id_article'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_segment'))
    )
    with op.batch_alter_table('segment', schema=None) as batch_op:
        batch_op.create_index('ix_segment_article_start', ['article_id', 'start_offset'], unique=False)



# Articles stored before this revision get their segments computed on first open.


def downgrade() -> None:
    with op.batch_alter_table('segment', schema=None) as batch_op:
        batch_op.drop_index('ix_segment_article_start')

    op.drop_table('segment')
