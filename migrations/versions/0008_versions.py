"""optimistic concurrency: a version on articles, claims and sources, and in the history

Each write says which version it read; a stale one is refused as a conflict instead of
overwriting someone else's change. The history records the claim's version after each
change, so a conflict can name the fields changed since and who changed them.

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-02 09:00:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = '0008'
down_revision = '0007'
branch_labels = None
depends_on = None

# What a downgrade past this revision drops (see 0001).
LOSES = (
    ("version numbers of changed records and history entries",
     "SELECT (SELECT count(*) FROM article WHERE version > 1) + (SELECT count(*) FROM claim WHERE version > 1)"
     " + (SELECT count(*) FROM source WHERE version > 1) + (SELECT count(*) FROM history WHERE version IS NOT NULL)"),
)

TABLES = ("article", "claim", "source")


def upgrade() -> None:
    # ADD COLUMN needs no table copy on SQLite: the search and history triggers stay in place.
    for table in TABLES:
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.add_column(sa.Column('version', sa.Integer(), nullable=False, server_default='1'))
    with op.batch_alter_table('history', schema=None) as batch_op:
        batch_op.add_column(sa.Column('version', sa.Integer(), nullable=True))


def downgrade() -> None:
    # Native DROP COLUMN (SQLite 3.35+) keeps each table and its triggers where they are.
    for table in (*TABLES, "history"):
        op.execute(f"ALTER TABLE {table} DROP COLUMN version")
