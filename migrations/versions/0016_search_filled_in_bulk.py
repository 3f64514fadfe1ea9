"""search filled once after a bulk insert of claims: the claim insert trigger can stand aside

An import writes its 2,000 claims in one executemany; the search index's insert trigger then
refreshed the index row by row (a DELETE and an INSERT into FTS5 per claim), two thirds of the
write. Now a writer that inserts a new article's claims in bulk may say so first, in its own
transaction, and fill the index for them with one INSERT ... SELECT afterwards
(app.storage.bulk.search_filled_after); the trigger stands aside only for that article's claims,
only inside that transaction, and fires for every other insert as before.

- SQLite: an always-empty table claim_search_paused (article_id), a row of which is only ever
  written and deleted inside the bulk writer's transaction; claim_search_ai fires unless a row
  names the new claim's article.
- PostgreSQL: no table; the transaction-local setting claimdesk.search_paused names the article
  (set_config(..., true) ends with the transaction), and claimdesk_search_claim() returns early
  for an insert of a claim of that article; the writer then fills its rows with one INSERT ...
  SELECT (app.storage.postgres.SEARCH_FILL_ARTICLE).

Revision ID: 0016
Revises: 0015
Create Date: 2026-11-30 16:50:00
"""

from __future__ import annotations

from alembic import op

revision = '0016'
down_revision = '0015'
branch_labels = None
depends_on = None

# A downgrade past this revision drops nothing of the user's: claim_search_paused is empty outside
# a bulk writer's transaction, and the index itself is left as it is (it is exact either way).
LOSES: tuple[tuple[str, str], ...] = ()

# The statements as this revision makes them, written out rather than built from app code, so a
# later change to app.storage.search_index cannot change what this step creates (that takes a
# new revision). search_index.restore() puts back what the head revision has;
# tests/test_summary.py holds the two equal.
_REFRESH_NEW = (
    'DELETE FROM claim_search WHERE rowid = new.id; INSERT INTO claim_search(rowid, quote, summary, notes, '
    "sources) SELECT c.id, c.quote, c.summary, c.notes, (SELECT coalesce(group_concat(s.url || ' ' || "
    "s.title || ' ' || s.publisher || ' ' || s.note, ' '), '') FROM source s WHERE s.claim_id = c.id) "
    'FROM claim c WHERE c.id = new.id;'
)
SQLITE_INSTALL = [
    'CREATE TABLE IF NOT EXISTS claim_search_paused (article_id INTEGER NOT NULL)',
    'DROP TRIGGER IF EXISTS claim_search_ai',
    (
        'CREATE TRIGGER IF NOT EXISTS claim_search_ai AFTER INSERT ON claim WHEN NOT EXISTS (SELECT 1 FROM '
        'claim_search_paused p WHERE p.article_id = new.article_id) BEGIN ' + _REFRESH_NEW + ' END'
    ),
]
SQLITE_UNINSTALL = [
    'DROP TRIGGER IF EXISTS claim_search_ai',
    'CREATE TRIGGER IF NOT EXISTS claim_search_ai AFTER INSERT ON claim BEGIN ' + _REFRESH_NEW + ' END',
    'DROP TABLE IF EXISTS claim_search_paused',
]

POSTGRES_INSTALL = [
    (
        'CREATE OR REPLACE FUNCTION claimdesk_search_claim() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN'
        " IF TG_OP = 'DELETE' THEN DELETE FROM claim_search WHERE claim_id = OLD.id; RETURN NULL; END IF;"
        " IF TG_OP = 'INSERT' AND NEW.article_id::text = current_setting('claimdesk.search_paused', true)"
        ' THEN RETURN NULL; END IF;'
        ' PERFORM claimdesk_search_refresh(NEW.id); RETURN NULL; END $$'
    ),
]
POSTGRES_UNINSTALL = [
    (
        'CREATE OR REPLACE FUNCTION claimdesk_search_claim() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN'
        " IF TG_OP = 'DELETE' THEN DELETE FROM claim_search WHERE claim_id = OLD.id; RETURN NULL; END IF;"
        ' PERFORM claimdesk_search_refresh(NEW.id); RETURN NULL; END $$'
    ),
]


def upgrade() -> None:
    bind = op.get_bind()
    for statement in POSTGRES_INSTALL if bind.dialect.name == "postgresql" else SQLITE_INSTALL:
        bind.exec_driver_sql(statement)


def downgrade() -> None:
    bind = op.get_bind()
    for statement in POSTGRES_UNINSTALL if bind.dialect.name == "postgresql" else SQLITE_UNINSTALL:
        bind.exec_driver_sql(statement)
