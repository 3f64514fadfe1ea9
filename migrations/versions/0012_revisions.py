"""revisions: earlier versions of an article's text, and where each claim stands in the newest

Each article's text becomes its revision 1; a new version of the article is stored as its next
revision, and article.text stays the newest one, so everything that reads it keeps working.
Each claim gets its anchor in the current revision (anchored, changed, orphaned), the reason,
and an orphan's suggested place. The quote selector (quote, 32 characters of context on each
side, offsets) was already stored; claims stored without their context get it back from the text.
ADD COLUMN and CREATE TABLE copy no table: the search and history triggers stay in place.

Revision ID: 0012
Revises: 0011
Create Date: 2026-11-30 07:00:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = '0012'
down_revision = '0011'
branch_labels = None
depends_on = None

CONTEXT_CHARS = 32  # app.storage.mapping.CONTEXT_CHARS, as it was when this was written

# What a downgrade past this revision drops (see 0001). Revision 1 is the article's text as it
# was imported, so only later revisions count; and claims not anchored lose their state.
LOSES = (
    ("earlier revisions of articles' texts",
     "SELECT count(*) FROM article_revision WHERE number < (SELECT MAX(other.number) FROM article_revision AS other"
     " WHERE other.article_id = article_revision.article_id)"),
    ("claims that are changed or not in their article's current revision (they would look anchored)",
     "SELECT count(*) FROM claim WHERE anchor <> 'anchored'"),
)


def upgrade() -> None:
    op.create_table('article_revision',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('article_id', sa.Integer(), nullable=False),
    sa.Column('number', sa.Integer(), nullable=False),
    sa.Column('text', sa.Text(), nullable=False),
    sa.Column('text_hash', sa.String(length=64), nullable=False),
    sa.Column('title', sa.String(length=500), nullable=False),
    sa.Column('source_url', sa.String(length=2000), nullable=False),
    sa.Column('imported_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['article_id'], ['article.id'], name=op.f('fk_article_revision_article_id_article'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_article_revision'))
    )
    op.create_index('uq_article_revision_number', 'article_revision', ['article_id', 'number'], unique=True)
    with op.batch_alter_table('claim', schema=None) as batch_op:
        batch_op.add_column(sa.Column('anchor', sa.String(length=16), nullable=False, server_default='anchored'))
        batch_op.add_column(sa.Column('anchor_note', sa.Text(), nullable=False, server_default=''))
        batch_op.add_column(sa.Column('suggest_start', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('suggest_end', sa.Integer(), nullable=True))
    # Portable SQL (SQLite and PostgreSQL): every article's text is its first revision.
    op.execute(
        "INSERT INTO article_revision (article_id, number, text, text_hash, title, source_url, imported_at)"
        " SELECT id, 1, text, text_hash, title, source_url, imported_at FROM article"
    )
    _backfill_context()


def _backfill_context() -> None:
    """The quote selector of claims stored without context (none should be; older tools wrote them)."""
    bind = op.get_bind()
    rows = bind.execute(sa.text(
        "SELECT claim.id, claim.start_offset, claim.end_offset, article.text FROM claim"
        " JOIN article ON article.id = claim.article_id"
        " WHERE claim.context_before = '' AND claim.context_after = ''"
    )).all()
    for claim_id, start, end, text in rows:
        before, after = text[max(0, start - CONTEXT_CHARS) : start], text[end : end + CONTEXT_CHARS]
        if before or after:
            bind.execute(sa.text("UPDATE claim SET context_before = :b, context_after = :a WHERE id = :id"),
                         {"b": before, "a": after, "id": claim_id})


def downgrade() -> None:
    # Native DROP COLUMN (SQLite 3.35+) keeps the claim table and its triggers where they are.
    for column in ("suggest_end", "suggest_start", "anchor_note", "anchor"):
        op.execute(f"ALTER TABLE claim DROP COLUMN {column}")
    op.drop_index('uq_article_revision_number', table_name='article_revision')
    op.drop_table('article_revision')
