"""covering indexes for the article list and the live poll's token

SQLite stores a row's columns in order and `article.text` sits before `imported_at` and
`version`: reading those two for every article (the list at start-up, the poll's token) walked
each article's text through its overflow pages: 360 ms for 10,000 articles of 140 kB. An index
holding what those reads need answers them without touching the rows (PostgreSQL keeps long text
out of line already; the same indexes let it scan the index alone too). CREATE INDEX copies no
table: the triggers stay in place.

Revision ID: 0015
Revises: 0014
Create Date: 2026-11-30 10:55:00
"""

from __future__ import annotations

from alembic import op

revision = '0015'
down_revision = '0014'
branch_labels = None
depends_on = None

# A downgrade past this revision drops two indexes: nothing of the user's.
LOSES: tuple[tuple[str, str], ...] = ()


def upgrade() -> None:
    op.create_index('ix_article_listed', 'article', ['imported_at', 'id', 'title'], unique=False)
    op.create_index('ix_article_version', 'article', ['id', 'version'], unique=False)


def downgrade() -> None:
    op.drop_index('ix_article_version', table_name='article')
    op.drop_index('ix_article_listed', table_name='article')
