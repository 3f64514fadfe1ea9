"""public claim numbers: one number per claim in its article, never given twice

Existing claims are numbered in text order, article by article; each article remembers the
highest number it gave out, so a number freed by a rejection or a deletion is not given again.
ADD COLUMN and CREATE INDEX copy no table: the search and history triggers stay in place.

Revision ID: 0011
Revises: 0010
Create Date: 2026-11-30 05:30:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = '0011'
down_revision = '0010'
branch_labels = None
depends_on = None

# What a downgrade past this revision drops (see 0001). Upgrading again numbers claims in text
# order, so only numbers that differ from it (gaps left by a rejection or a deletion) are lost.
LOSES = (
    ("claim numbers that are not the claim's place in the text",
     "SELECT count(*) FROM claim WHERE number <> (SELECT count(*) FROM claim AS other"
     " WHERE other.article_id = claim.article_id AND (other.start_offset < claim.start_offset"
     " OR (other.start_offset = claim.start_offset AND other.id <= claim.id)))"),
    ("articles' count of numbers given out (so that a freed number is not given again)",
     "SELECT count(*) FROM article WHERE claims_numbered <> (SELECT COALESCE(MAX(claim.number), 0) FROM claim"
     " WHERE claim.article_id = article.id)"),
)


def upgrade() -> None:
    with op.batch_alter_table('claim', schema=None) as batch_op:
        batch_op.add_column(sa.Column('number', sa.Integer(), nullable=False, server_default='0'))
    with op.batch_alter_table('article', schema=None) as batch_op:
        batch_op.add_column(sa.Column('claims_numbered', sa.Integer(), nullable=False, server_default='0'))
    # Portable SQL (SQLite and PostgreSQL): a claim's number is its place in the text.
    op.execute(
        "UPDATE claim SET number = (SELECT COUNT(*) FROM claim AS other"
        " WHERE other.article_id = claim.article_id AND (other.start_offset < claim.start_offset"
        " OR (other.start_offset = claim.start_offset AND other.id <= claim.id)))"
    )
    op.execute(
        "UPDATE article SET claims_numbered = (SELECT COALESCE(MAX(claim.number), 0) FROM claim"
        " WHERE claim.article_id = article.id)"
    )
    op.create_index('uq_claim_article_number', 'claim', ['article_id', 'number'], unique=True)


def downgrade() -> None:
    op.drop_index('uq_claim_article_number', table_name='claim')
    op.execute("ALTER TABLE article DROP COLUMN claims_numbered")
    op.execute("ALTER TABLE claim DROP COLUMN number")
