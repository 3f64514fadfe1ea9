"""search: an FTS5 index over claim text, verdicts, notes and sources, kept in sync by triggers

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-25 09:40:00
"""

from __future__ import annotations

from collections.abc import Callable

from alembic import op

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


# PostgreSQL's index as this revision makes it, likewise written out: a tsvector per claim kept in
# step by triggers, accent-insensitive (unaccent when the server has it, else translate()). 0016
# replaced claimdesk_search_claim() in its own step. app.storage.postgres.SEARCH_DOCUMENT is the
# runtime's copy of the document; tests/test_team.py holds it equal to what the head installs.

# Letters folded when the unaccent extension is missing (Latin-1 and Latin Extended-A's common ones).
_ACCENTED = "àáâãäåāăąçćčďèéêëēėęěìíîïīįłñńňòóôõöøōőŕřśšşťţùúûüūůűųýÿźżž"
_PLAIN = "aaaaaaaaacccdeeeeeeeeiiiiiilnnnoooooooorrsssttuuuuuuuuyyzzz"
assert len(_ACCENTED) == len(_PLAIN)

# A claim's search document. Words as SQLite's unicode61 tokenizer sees them: runs of letters and
# digits, so "covid-19" is two words and a link is its parts (PostgreSQL's parser would keep
# "-19", hosts, decimals).
_DOCUMENT = (
    "to_tsvector('simple', regexp_replace(claimdesk_fold(c.quote || ' ' || c.summary || ' ' || c.notes || ' ' ||"
    " coalesce((SELECT string_agg(s.url || ' ' || s.title || ' ' || s.publisher || ' ' || s.note, ' ')"
    " FROM source s WHERE s.claim_id = c.id), '')), '[^[:alnum:]]+', ' ', 'g'))"
)


def postgres_install(has_unaccent: bool, unaccent_schema: str = "public") -> list[str]:
    fold = (
        f"SELECT lower({unaccent_schema}.unaccent(t))" if has_unaccent
        else f"SELECT translate(lower(t), '{_ACCENTED}', '{_PLAIN}')"
    )
    return [
        f"CREATE FUNCTION claimdesk_fold(t text) RETURNS text LANGUAGE sql STABLE AS $$ {fold} $$",
        "CREATE TABLE claim_search (claim_id integer PRIMARY KEY, document tsvector NOT NULL)",
        "CREATE INDEX ix_claim_search_document ON claim_search USING gin (document)",
        "CREATE FUNCTION claimdesk_search_refresh(claim integer) RETURNS void LANGUAGE sql AS $$"
        " DELETE FROM claim_search WHERE claim_id = claim;"
        f" INSERT INTO claim_search (claim_id, document) SELECT c.id, {_DOCUMENT} FROM claim c WHERE c.id = claim; $$",
        "CREATE FUNCTION claimdesk_search_claim() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN"
        " IF TG_OP = 'DELETE' THEN DELETE FROM claim_search WHERE claim_id = OLD.id; RETURN NULL; END IF;"
        " PERFORM claimdesk_search_refresh(NEW.id); RETURN NULL; END $$",
        "CREATE TRIGGER claim_search_ai AFTER INSERT OR DELETE ON claim"
        " FOR EACH ROW EXECUTE FUNCTION claimdesk_search_claim()",
        # Only when searchable text changed: a state or version change is most updates.
        "CREATE TRIGGER claim_search_au AFTER UPDATE ON claim FOR EACH ROW WHEN ("
        "OLD.quote IS DISTINCT FROM NEW.quote OR OLD.summary IS DISTINCT FROM NEW.summary"
        " OR OLD.notes IS DISTINCT FROM NEW.notes) EXECUTE FUNCTION claimdesk_search_claim()",
        "CREATE FUNCTION claimdesk_search_source() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN"
        " IF TG_OP <> 'INSERT' THEN PERFORM claimdesk_search_refresh(OLD.claim_id); END IF;"
        " IF TG_OP <> 'DELETE' AND (TG_OP = 'INSERT' OR NEW.claim_id <> OLD.claim_id) THEN"
        " PERFORM claimdesk_search_refresh(NEW.claim_id); END IF; RETURN NULL; END $$",
        "CREATE TRIGGER source_search AFTER INSERT OR UPDATE OR DELETE ON source"
        " FOR EACH ROW EXECUTE FUNCTION claimdesk_search_source()",
        f"INSERT INTO claim_search (claim_id, document) SELECT c.id, {_DOCUMENT} FROM claim c",
    ]


POSTGRES_UNINSTALL = [
    "DROP TRIGGER IF EXISTS source_search ON source",
    "DROP TRIGGER IF EXISTS claim_search_au ON claim",
    "DROP TRIGGER IF EXISTS claim_search_ai ON claim",
    "DROP FUNCTION IF EXISTS claimdesk_search_source()",
    "DROP FUNCTION IF EXISTS claimdesk_search_claim()",
    "DROP FUNCTION IF EXISTS claimdesk_search_refresh(integer)",
    "DROP TABLE IF EXISTS claim_search",
    "DROP FUNCTION IF EXISTS claimdesk_fold(text)",
]


def unaccent_schema(execute: Callable[[str], object], scalar: Callable[[str], object]) -> str | None:
    """Make sure of the unaccent extension if the server ships it (Debian's does, in the server
    package); the schema it lives in, or None if it cannot be had (then translate() folds)."""
    available = scalar("SELECT count(*) FROM pg_available_extensions WHERE name = 'unaccent'")
    if available:
        # In a subtransaction: a role that may not create it leaves the migration usable.
        execute("DO $$ BEGIN CREATE EXTENSION IF NOT EXISTS unaccent; EXCEPTION WHEN OTHERS THEN NULL; END $$")
    schema = scalar("SELECT extnamespace::regnamespace::text FROM pg_extension WHERE extname = 'unaccent'")
    return None if schema is None else str(schema)

def upgrade() -> None:
    bind = op.get_bind()
    if bind.dialect.name == "postgresql":  # a tsvector per claim instead of FTS5
        schema = unaccent_schema(bind.exec_driver_sql, lambda sql: bind.exec_driver_sql(sql).scalar())
        for statement in postgres_install(schema is not None, schema or "public"):
            op.execute(statement)
        return
    for statement in SQLITE_INSTALL:
        op.execute(statement)


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        for statement in POSTGRES_UNINSTALL:
            op.execute(statement)
        return
    for statement in SQLITE_UNINSTALL:
        op.execute(statement)
