"""search: an FTS5 index over claim text, verdicts, notes and sources, kept in sync by triggers

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-25 09:40:00
"""

from __future__ import annotations

from alembic import op

from app.storage import postgres

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None

# A downgrade past this revision drops nothing of the user's: the index is rebuilt from the claims.
LOSES: tuple[tuple[str, str], ...] = ()

# SQLite's index as this revision made it, written out rather than built from app.storage.search_index,
# so a later change there cannot change what this step creates (0014 narrowed claim_search_au in its
# own step). search_index.restore() puts back what the head revision has; tests/test_migrations.py
# holds the two equal.
SQLITE_INSTALL = [
    (
        'CREATE VIRTUAL TABLE IF NOT EXISTS claim_search USING fts5(quote, summary, notes, sources, '
        "tokenize = 'unicode61 remove_diacritics 2')"
    ),
    (
        'CREATE TRIGGER IF NOT EXISTS claim_search_ai AFTER INSERT ON claim BEGIN DELETE FROM '
        'claim_search WHERE rowid = new.id; INSERT INTO claim_search(rowid, quote, summary, notes, '
        "sources) SELECT c.id, c.quote, c.summary, c.notes, (SELECT coalesce(group_concat(s.url || ' ' ||"
        " s.title || ' ' || s.publisher || ' ' || s.note, ' '), '') FROM source s WHERE s.claim_id = "
        'c.id) FROM claim c WHERE c.id = new.id; END'
    ),
    (
        'CREATE TRIGGER IF NOT EXISTS claim_search_au AFTER UPDATE ON claim BEGIN DELETE FROM '
        'claim_search WHERE rowid = new.id; INSERT INTO claim_search(rowid, quote, summary, notes, '
        "sources) SELECT c.id, c.quote, c.summary, c.notes, (SELECT coalesce(group_concat(s.url || ' ' ||"
        " s.title || ' ' || s.publisher || ' ' || s.note, ' '), '') FROM source s WHERE s.claim_id = "
        'c.id) FROM claim c WHERE c.id = new.id; END'
    ),
    (
        'CREATE TRIGGER IF NOT EXISTS claim_search_ad AFTER DELETE ON claim BEGIN DELETE FROM '
        'claim_search WHERE rowid = old.id; END'
    ),
    (
        'CREATE TRIGGER IF NOT EXISTS source_search_ai AFTER INSERT ON source BEGIN DELETE FROM '
        'claim_search WHERE rowid = new.claim_id; INSERT INTO claim_search(rowid, quote, summary, notes, '
        "sources) SELECT c.id, c.quote, c.summary, c.notes, (SELECT coalesce(group_concat(s.url || ' ' ||"
        " s.title || ' ' || s.publisher || ' ' || s.note, ' '), '') FROM source s WHERE s.claim_id = "
        'c.id) FROM claim c WHERE c.id = new.claim_id; END'
    ),
    (
        'CREATE TRIGGER IF NOT EXISTS source_search_au AFTER UPDATE ON source BEGIN DELETE FROM '
        'claim_search WHERE rowid = new.claim_id; INSERT INTO claim_search(rowid, quote, summary, notes, '
        "sources) SELECT c.id, c.quote, c.summary, c.notes, (SELECT coalesce(group_concat(s.url || ' ' ||"
        " s.title || ' ' || s.publisher || ' ' || s.note, ' '), '') FROM source s WHERE s.claim_id = "
        'c.id) FROM claim c WHERE c.id = new.claim_id; DELETE FROM claim_search WHERE rowid = '
        'old.claim_id; INSERT INTO claim_search(rowid, quote, summary, notes, sources) SELECT c.id, '
        "c.quote, c.summary, c.notes, (SELECT coalesce(group_concat(s.url || ' ' || s.title || ' ' || "
        "s.publisher || ' ' || s.note, ' '), '') FROM source s WHERE s.claim_id = c.id) FROM claim c "
        'WHERE c.id = old.claim_id; END'
    ),
    (
        'CREATE TRIGGER IF NOT EXISTS source_search_ad AFTER DELETE ON source BEGIN DELETE FROM '
        'claim_search WHERE rowid = old.claim_id; INSERT INTO claim_search(rowid, quote, summary, notes, '
        "sources) SELECT c.id, c.quote, c.summary, c.notes, (SELECT coalesce(group_concat(s.url || ' ' ||"
        " s.title || ' ' || s.publisher || ' ' || s.note, ' '), '') FROM source s WHERE s.claim_id = "
        'c.id) FROM claim c WHERE c.id = old.claim_id; END'
    ),
    (
        'INSERT INTO claim_search(rowid, quote, summary, notes, sources) SELECT c.id, c.quote, c.summary,'
        " c.notes, (SELECT coalesce(group_concat(s.url || ' ' || s.title || ' ' || s.publisher || ' ' || "
        "s.note, ' '), '') FROM source s WHERE s.claim_id = c.id) FROM claim c"
    ),
]
SQLITE_UNINSTALL = [
    "DROP TRIGGER IF EXISTS claim_search_ai",
    "DROP TRIGGER IF EXISTS claim_search_au",
    "DROP TRIGGER IF EXISTS claim_search_ad",
    "DROP TRIGGER IF EXISTS source_search_ai",
    "DROP TRIGGER IF EXISTS source_search_au",
    "DROP TRIGGER IF EXISTS source_search_ad",
    "DROP TABLE IF EXISTS claim_search",
]


def upgrade() -> None:
    bind = op.get_bind()
    if bind.dialect.name == "postgresql":  # a tsvector per claim instead of FTS5
        schema = postgres.unaccent_schema(bind.exec_driver_sql, lambda sql: bind.exec_driver_sql(sql).scalar())
        for statement in postgres.search_ddl(schema is not None, schema or "public"):
            op.execute(statement)
        return
    for statement in SQLITE_INSTALL:
        op.execute(statement)


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        for statement in postgres.DROP_SEARCH:
            op.execute(statement)
        return
    for statement in SQLITE_UNINSTALL:
        op.execute(statement)
