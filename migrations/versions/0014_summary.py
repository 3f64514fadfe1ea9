"""speed at scale: counts kept with the claims, search refreshed only when its text changes, indexes for the overview

- article_summary (per article: claims, resolved ones) and claim_tally (accepted claims by
  outlet, speaker, state and verdict), kept by triggers on SQLite and PostgreSQL, filled here
  from the claims (app.storage.summary);
- SQLite's search index trigger on claim updates now fires only when the searchable text
  changes (a verdict or state change rebuilt the claim's index row), as PostgreSQL's already did;
- an index for the overview's oldest waiting claims, and one on history's time for its
  "checked per week".

Revision ID: 0014
Revises: 0013
Create Date: 2026-11-30 09:30:00
"""

from __future__ import annotations

from alembic import op

from app.storage import search_index, summary

revision = '0014'
down_revision = '0013'
branch_labels = None
depends_on = None

# A downgrade past this revision drops nothing of the user's: the counts are derived from the
# claims, and the indexes from their tables.
LOSES: tuple[tuple[str, str], ...] = ()


def upgrade() -> None:
    bind = op.get_bind()
    postgresql = bind.dialect.name == "postgresql"
    summary.install(bind.exec_driver_sql, postgresql)
    if not postgresql:
        op.execute("DROP TRIGGER IF EXISTS claim_search_au")
        op.execute(f"CREATE TRIGGER claim_search_au {search_index.TRIGGERS['claim_search_au']}")
    with op.batch_alter_table('claim', schema=None) as batch_op:
        batch_op.create_index('ix_claim_waiting', ['state', 'updated_at'], unique=False)
    with op.batch_alter_table('history', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_history_at'), ['at'], unique=False)


def downgrade() -> None:
    bind = op.get_bind()
    with op.batch_alter_table('history', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_history_at'))
    with op.batch_alter_table('claim', schema=None) as batch_op:
        batch_op.drop_index('ix_claim_waiting')
    # SQLite's search trigger keeps its narrower condition: it refreshes the same index rows.
    summary.uninstall(bind.exec_driver_sql, bind.dialect.name == "postgresql")
