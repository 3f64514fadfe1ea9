"""search: an FTS5 index over claim text, verdicts, notes and sources, kept in sync by triggers

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-25 09:40:00
"""

from __future__ import annotations

from alembic import op

from app.storage import postgres, search_index

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None

# A downgrade past this revision drops nothing of the user's: the index is rebuilt from the claims.
LOSES: tuple[tuple[str, str], ...] = ()


def upgrade() -> None:
    bind = op.get_bind()
    if bind.dialect.name == "postgresql":  # a tsvector per claim instead of FTS5
        schema = postgres.unaccent_schema(bind.exec_driver_sql, lambda sql: bind.exec_driver_sql(sql).scalar())
        for statement in postgres.search_ddl(schema is not None, schema or "public"):
            op.execute(statement)
        return
    op.execute(search_index.CREATE_TABLE)
    for statement in search_index.trigger_statements():
        op.execute(statement)
    op.execute(search_index.FILL)


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        for statement in postgres.DROP_SEARCH:
            op.execute(statement)
        return
    for name in search_index.TRIGGERS:
        op.execute(f"DROP TRIGGER IF EXISTS {name}")
    op.execute(f"DROP TABLE IF EXISTS {search_index.TABLE}")
