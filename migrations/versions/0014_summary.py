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

revision = '0014'
down_revision = '0013'
branch_labels = None
depends_on = None

# A downgrade past this revision drops nothing of the user's: the counts are derived from the
# claims, and the indexes from their tables.
LOSES: tuple[tuple[str, str], ...] = ()

# The statements as this revision made them, written out rather than built from app code, so a
# later change to app.storage.summary or search_index cannot change what this step creates (that
# takes a new revision). app.storage.summary.restore() puts back what the head revision has;
# tests/test_summary.py holds the two equal.
SQLITE_INSTALL = [
    (
        'CREATE TABLE article_summary ( article_id INTEGER NOT NULL PRIMARY KEY REFERENCES article (id) '
        'ON DELETE CASCADE, claims INTEGER NOT NULL DEFAULT 0, resolved INTEGER NOT NULL DEFAULT 0)'
    ),
    (
        'CREATE TABLE claim_tally ( outlet VARCHAR(200) NOT NULL, speaker VARCHAR(200) NOT NULL, state '
        'VARCHAR(16) NOT NULL, verdict_id INTEGER NOT NULL, resolved INTEGER NOT NULL, n INTEGER NOT '
        'NULL, PRIMARY KEY (outlet, speaker, state, verdict_id, resolved))'
    ),
    (
        'CREATE TRIGGER claim_summary_ai AFTER INSERT ON claim BEGIN UPDATE article_summary SET claims = '
        'claims + 1, resolved = resolved + (CASE WHEN new.verdict_id IS NOT NULL OR '
        "coalesce(new.conclusion, '') <> '' THEN 1 ELSE 0 END) WHERE article_id = new.article_id; INSERT "
        'INTO claim_tally (outlet, speaker, state, verdict_id, resolved, n) SELECT a.outlet, '
        "coalesce(new.speaker, ''), new.state, coalesce(new.verdict_id, 0), (CASE WHEN new.verdict_id IS "
        "NOT NULL OR coalesce(new.conclusion, '') <> '' THEN 1 ELSE 0 END), 1 FROM article a WHERE a.id ="
        ' new.article_id AND new.accepted ON CONFLICT (outlet, speaker, state, verdict_id, resolved) DO '
        'UPDATE SET n = claim_tally.n + excluded.n; END'
    ),
    (
        'CREATE TRIGGER claim_summary_ad AFTER DELETE ON claim BEGIN UPDATE article_summary SET claims = '
        'claims - 1, resolved = resolved - (CASE WHEN old.verdict_id IS NOT NULL OR '
        "coalesce(old.conclusion, '') <> '' THEN 1 ELSE 0 END) WHERE article_id = old.article_id; UPDATE "
        'claim_tally SET n = n - 1 WHERE old.accepted AND outlet = (SELECT a.outlet FROM article a WHERE '
        "a.id = old.article_id) AND speaker = coalesce(old.speaker, '') AND state = old.state AND "
        'verdict_id = coalesce(old.verdict_id, 0) AND resolved = (CASE WHEN old.verdict_id IS NOT NULL OR'
        " coalesce(old.conclusion, '') <> '' THEN 1 ELSE 0 END); END"
    ),
    (
        'CREATE TRIGGER claim_summary_au AFTER UPDATE ON claim WHEN old.accepted IS NOT new.accepted OR '
        'old.state IS NOT new.state OR old.verdict_id IS NOT new.verdict_id OR old.conclusion IS NOT '
        'new.conclusion OR old.speaker IS NOT new.speaker OR old.article_id IS NOT new.article_id BEGIN '
        'UPDATE article_summary SET claims = claims - 1, resolved = resolved - (CASE WHEN old.verdict_id '
        "IS NOT NULL OR coalesce(old.conclusion, '') <> '' THEN 1 ELSE 0 END) WHERE article_id = "
        'old.article_id; UPDATE claim_tally SET n = n - 1 WHERE old.accepted AND outlet = (SELECT '
        "a.outlet FROM article a WHERE a.id = old.article_id) AND speaker = coalesce(old.speaker, '') AND"
        ' state = old.state AND verdict_id = coalesce(old.verdict_id, 0) AND resolved = (CASE WHEN '
        "old.verdict_id IS NOT NULL OR coalesce(old.conclusion, '') <> '' THEN 1 ELSE 0 END); UPDATE "
        'article_summary SET claims = claims + 1, resolved = resolved + (CASE WHEN new.verdict_id IS NOT '
        "NULL OR coalesce(new.conclusion, '') <> '' THEN 1 ELSE 0 END) WHERE article_id = new.article_id;"
        ' INSERT INTO claim_tally (outlet, speaker, state, verdict_id, resolved, n) SELECT a.outlet, '
        "coalesce(new.speaker, ''), new.state, coalesce(new.verdict_id, 0), (CASE WHEN new.verdict_id IS "
        "NOT NULL OR coalesce(new.conclusion, '') <> '' THEN 1 ELSE 0 END), 1 FROM article a WHERE a.id ="
        ' new.article_id AND new.accepted ON CONFLICT (outlet, speaker, state, verdict_id, resolved) DO '
        'UPDATE SET n = claim_tally.n + excluded.n; END'
    ),
    (
        'CREATE TRIGGER article_summary_ai AFTER INSERT ON article BEGIN INSERT INTO article_summary '
        '(article_id) VALUES (new.id); END'
    ),
    (
        'CREATE TRIGGER article_summary_bd BEFORE DELETE ON article BEGIN UPDATE claim_tally SET n = '
        "claim_tally.n - m.k FROM (SELECT coalesce(c.speaker, '') AS speaker, c.state AS state, "
        'coalesce(c.verdict_id, 0) AS verdict_id, (CASE WHEN c.verdict_id IS NOT NULL OR '
        "coalesce(c.conclusion, '') <> '' THEN 1 ELSE 0 END) AS resolved, count(*) AS k FROM claim c "
        "WHERE c.article_id = old.id AND c.accepted GROUP BY coalesce(c.speaker, ''), c.state, "
        "coalesce(c.verdict_id, 0), (CASE WHEN c.verdict_id IS NOT NULL OR coalesce(c.conclusion, '') <> "
        "'' THEN 1 ELSE 0 END)) AS m WHERE claim_tally.outlet = old.outlet AND claim_tally.speaker = "
        'm.speaker AND claim_tally.state = m.state AND claim_tally.verdict_id = m.verdict_id AND '
        'claim_tally.resolved = m.resolved; END'
    ),
    (
        'CREATE TRIGGER article_summary_au AFTER UPDATE OF outlet ON article WHEN old.outlet IS NOT '
        'new.outlet BEGIN UPDATE claim_tally SET n = claim_tally.n - m.k FROM (SELECT coalesce(c.speaker,'
        " '') AS speaker, c.state AS state, coalesce(c.verdict_id, 0) AS verdict_id, (CASE WHEN "
        "c.verdict_id IS NOT NULL OR coalesce(c.conclusion, '') <> '' THEN 1 ELSE 0 END) AS resolved, "
        'count(*) AS k FROM claim c WHERE c.article_id = old.id AND c.accepted GROUP BY '
        "coalesce(c.speaker, ''), c.state, coalesce(c.verdict_id, 0), (CASE WHEN c.verdict_id IS NOT NULL"
        " OR coalesce(c.conclusion, '') <> '' THEN 1 ELSE 0 END)) AS m WHERE claim_tally.outlet = "
        'old.outlet AND claim_tally.speaker = m.speaker AND claim_tally.state = m.state AND '
        'claim_tally.verdict_id = m.verdict_id AND claim_tally.resolved = m.resolved; INSERT INTO '
        'claim_tally (outlet, speaker, state, verdict_id, resolved, n) SELECT new.outlet, m.speaker, '
        "m.state, m.verdict_id, m.resolved, m.k FROM (SELECT coalesce(c.speaker, '') AS speaker, c.state "
        'AS state, coalesce(c.verdict_id, 0) AS verdict_id, (CASE WHEN c.verdict_id IS NOT NULL OR '
        "coalesce(c.conclusion, '') <> '' THEN 1 ELSE 0 END) AS resolved, count(*) AS k FROM claim c "
        "WHERE c.article_id = new.id AND c.accepted GROUP BY coalesce(c.speaker, ''), c.state, "
        "coalesce(c.verdict_id, 0), (CASE WHEN c.verdict_id IS NOT NULL OR coalesce(c.conclusion, '') <> "
        "'' THEN 1 ELSE 0 END)) AS m WHERE true ON CONFLICT (outlet, speaker, state, verdict_id, "
        'resolved) DO UPDATE SET n = claim_tally.n + excluded.n; END'
    ),
    (
        'DELETE FROM claim_tally'
    ),
    (
        'DELETE FROM article_summary'
    ),
    (
        'INSERT INTO article_summary (article_id, claims, resolved) SELECT a.id, count(c.id), '
        "coalesce(sum((CASE WHEN c.verdict_id IS NOT NULL OR coalesce(c.conclusion, '') <> '' THEN 1 ELSE"
        ' 0 END)), 0) FROM article a LEFT JOIN claim c ON c.article_id = a.id GROUP BY a.id'
    ),
    (
        'INSERT INTO claim_tally (outlet, speaker, state, verdict_id, resolved, n) SELECT a.outlet, '
        "coalesce(c.speaker, ''), c.state, coalesce(c.verdict_id, 0), (CASE WHEN c.verdict_id IS NOT NULL"
        " OR coalesce(c.conclusion, '') <> '' THEN 1 ELSE 0 END), count(*) FROM claim c JOIN article a ON"
        " a.id = c.article_id WHERE c.accepted GROUP BY a.outlet, coalesce(c.speaker, ''), c.state, "
        "coalesce(c.verdict_id, 0), (CASE WHEN c.verdict_id IS NOT NULL OR coalesce(c.conclusion, '') <> "
        "'' THEN 1 ELSE 0 END)"
    ),
]
SQLITE_UNINSTALL = [
    (
        'DROP TRIGGER IF EXISTS claim_summary_ai'
    ),
    (
        'DROP TRIGGER IF EXISTS claim_summary_ad'
    ),
    (
        'DROP TRIGGER IF EXISTS claim_summary_au'
    ),
    (
        'DROP TRIGGER IF EXISTS article_summary_ai'
    ),
    (
        'DROP TRIGGER IF EXISTS article_summary_bd'
    ),
    (
        'DROP TRIGGER IF EXISTS article_summary_au'
    ),
    (
        'DROP TABLE IF EXISTS claim_tally'
    ),
    (
        'DROP TABLE IF EXISTS article_summary'
    ),
]
POSTGRES_INSTALL = [
    (
        'CREATE TABLE article_summary ( article_id INTEGER NOT NULL PRIMARY KEY REFERENCES article (id) '
        'ON DELETE CASCADE, claims INTEGER NOT NULL DEFAULT 0, resolved INTEGER NOT NULL DEFAULT 0)'
    ),
    (
        'CREATE TABLE claim_tally ( outlet VARCHAR(200) NOT NULL, speaker VARCHAR(200) NOT NULL, state '
        'VARCHAR(16) NOT NULL, verdict_id INTEGER NOT NULL, resolved INTEGER NOT NULL, n INTEGER NOT '
        'NULL, PRIMARY KEY (outlet, speaker, state, verdict_id, resolved))'
    ),
    (
        'CREATE FUNCTION claimdesk_summary_claim() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN IF TG_OP '
        "<> 'INSERT' THEN UPDATE article_summary SET claims = claims - 1, resolved = resolved - (CASE "
        "WHEN OLD.verdict_id IS NOT NULL OR coalesce(OLD.conclusion, '') <> '' THEN 1 ELSE 0 END) WHERE "
        'article_id = OLD.article_id; UPDATE claim_tally SET n = n - 1 WHERE OLD.accepted AND outlet = '
        '(SELECT a.outlet FROM article a WHERE a.id = OLD.article_id) AND speaker = coalesce(OLD.speaker,'
        " '') AND state = OLD.state AND verdict_id = coalesce(OLD.verdict_id, 0) AND resolved = (CASE "
        "WHEN OLD.verdict_id IS NOT NULL OR coalesce(OLD.conclusion, '') <> '' THEN 1 ELSE 0 END); END "
        "IF; IF TG_OP <> 'DELETE' THEN UPDATE article_summary SET claims = claims + 1, resolved = "
        "resolved + (CASE WHEN NEW.verdict_id IS NOT NULL OR coalesce(NEW.conclusion, '') <> '' THEN 1 "
        'ELSE 0 END) WHERE article_id = NEW.article_id; INSERT INTO claim_tally (outlet, speaker, state, '
        "verdict_id, resolved, n) SELECT a.outlet, coalesce(NEW.speaker, ''), NEW.state, "
        'coalesce(NEW.verdict_id, 0), (CASE WHEN NEW.verdict_id IS NOT NULL OR coalesce(NEW.conclusion, '
        "'') <> '' THEN 1 ELSE 0 END), 1 FROM article a WHERE a.id = NEW.article_id AND NEW.accepted ON "
        'CONFLICT (outlet, speaker, state, verdict_id, resolved) DO UPDATE SET n = claim_tally.n + '
        'excluded.n; END IF; RETURN NULL; END $$'
    ),
    (
        'CREATE TRIGGER claim_summary AFTER INSERT OR DELETE ON claim FOR EACH ROW EXECUTE FUNCTION '
        'claimdesk_summary_claim()'
    ),
    (
        'CREATE TRIGGER claim_summary_au AFTER UPDATE ON claim FOR EACH ROW WHEN (old.accepted IS '
        'DISTINCT FROM new.accepted OR old.state IS DISTINCT FROM new.state OR old.verdict_id IS DISTINCT'
        ' FROM new.verdict_id OR old.conclusion IS DISTINCT FROM new.conclusion OR old.speaker IS '
        'DISTINCT FROM new.speaker OR old.article_id IS DISTINCT FROM new.article_id) EXECUTE FUNCTION '
        'claimdesk_summary_claim()'
    ),
    (
        'CREATE FUNCTION claimdesk_summary_article() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN IF '
        "TG_OP = 'INSERT' THEN INSERT INTO article_summary (article_id) VALUES (NEW.id); RETURN NULL; END"
        " IF; UPDATE claim_tally SET n = claim_tally.n - m.k FROM (SELECT coalesce(c.speaker, '') AS "
        'speaker, c.state AS state, coalesce(c.verdict_id, 0) AS verdict_id, (CASE WHEN c.verdict_id IS '
        "NOT NULL OR coalesce(c.conclusion, '') <> '' THEN 1 ELSE 0 END) AS resolved, count(*) AS k FROM "
        "claim c WHERE c.article_id = OLD.id AND c.accepted GROUP BY coalesce(c.speaker, ''), c.state, "
        "coalesce(c.verdict_id, 0), (CASE WHEN c.verdict_id IS NOT NULL OR coalesce(c.conclusion, '') <> "
        "'' THEN 1 ELSE 0 END)) AS m WHERE claim_tally.outlet = OLD.outlet AND claim_tally.speaker = "
        'm.speaker AND claim_tally.state = m.state AND claim_tally.verdict_id = m.verdict_id AND '
        "claim_tally.resolved = m.resolved; IF TG_OP = 'DELETE' THEN RETURN OLD; END IF; INSERT INTO "
        'claim_tally (outlet, speaker, state, verdict_id, resolved, n) SELECT NEW.outlet, m.speaker, '
        "m.state, m.verdict_id, m.resolved, m.k FROM (SELECT coalesce(c.speaker, '') AS speaker, c.state "
        'AS state, coalesce(c.verdict_id, 0) AS verdict_id, (CASE WHEN c.verdict_id IS NOT NULL OR '
        "coalesce(c.conclusion, '') <> '' THEN 1 ELSE 0 END) AS resolved, count(*) AS k FROM claim c "
        "WHERE c.article_id = NEW.id AND c.accepted GROUP BY coalesce(c.speaker, ''), c.state, "
        "coalesce(c.verdict_id, 0), (CASE WHEN c.verdict_id IS NOT NULL OR coalesce(c.conclusion, '') <> "
        "'' THEN 1 ELSE 0 END)) AS m WHERE true ON CONFLICT (outlet, speaker, state, verdict_id, "
        'resolved) DO UPDATE SET n = claim_tally.n + excluded.n; RETURN NULL; END $$'
    ),
    (
        'CREATE TRIGGER article_summary_ai AFTER INSERT ON article FOR EACH ROW EXECUTE FUNCTION '
        'claimdesk_summary_article()'
    ),
    (
        'CREATE TRIGGER article_summary_bd BEFORE DELETE ON article FOR EACH ROW EXECUTE FUNCTION '
        'claimdesk_summary_article()'
    ),
    (
        'CREATE TRIGGER article_summary_au AFTER UPDATE OF outlet ON article FOR EACH ROW WHEN '
        '(OLD.outlet IS DISTINCT FROM NEW.outlet) EXECUTE FUNCTION claimdesk_summary_article()'
    ),
    (
        'DELETE FROM claim_tally'
    ),
    (
        'DELETE FROM article_summary'
    ),
    (
        'INSERT INTO article_summary (article_id, claims, resolved) SELECT a.id, count(c.id), '
        "coalesce(sum((CASE WHEN c.verdict_id IS NOT NULL OR coalesce(c.conclusion, '') <> '' THEN 1 ELSE"
        ' 0 END)), 0) FROM article a LEFT JOIN claim c ON c.article_id = a.id GROUP BY a.id'
    ),
    (
        'INSERT INTO claim_tally (outlet, speaker, state, verdict_id, resolved, n) SELECT a.outlet, '
        "coalesce(c.speaker, ''), c.state, coalesce(c.verdict_id, 0), (CASE WHEN c.verdict_id IS NOT NULL"
        " OR coalesce(c.conclusion, '') <> '' THEN 1 ELSE 0 END), count(*) FROM claim c JOIN article a ON"
        " a.id = c.article_id WHERE c.accepted GROUP BY a.outlet, coalesce(c.speaker, ''), c.state, "
        "coalesce(c.verdict_id, 0), (CASE WHEN c.verdict_id IS NOT NULL OR coalesce(c.conclusion, '') <> "
        "'' THEN 1 ELSE 0 END)"
    ),
]
POSTGRES_UNINSTALL = [
    (
        'DROP TRIGGER IF EXISTS article_summary_au ON article'
    ),
    (
        'DROP TRIGGER IF EXISTS article_summary_bd ON article'
    ),
    (
        'DROP TRIGGER IF EXISTS article_summary_ai ON article'
    ),
    (
        'DROP TRIGGER IF EXISTS claim_summary_au ON claim'
    ),
    (
        'DROP TRIGGER IF EXISTS claim_summary ON claim'
    ),
    (
        'DROP FUNCTION IF EXISTS claimdesk_summary_article()'
    ),
    (
        'DROP FUNCTION IF EXISTS claimdesk_summary_claim()'
    ),
    (
        'DROP TABLE IF EXISTS claim_tally'
    ),
    (
        'DROP TABLE IF EXISTS article_summary'
    ),
]
SEARCH_AU = (
    'CREATE TRIGGER claim_search_au AFTER UPDATE ON claim WHEN old.quote IS NOT new.quote OR '
    'old.summary IS NOT new.summary OR old.notes IS NOT new.notes BEGIN DELETE FROM claim_search '
    'WHERE rowid = new.id; INSERT INTO claim_search(rowid, quote, summary, notes, sources) SELECT '
    "c.id, c.quote, c.summary, c.notes, (SELECT coalesce(group_concat(s.url || ' ' || s.title || ' ' "
    "|| s.publisher || ' ' || s.note, ' '), '') FROM source s WHERE s.claim_id = c.id) FROM claim c "
    'WHERE c.id = new.id; END'
)


def upgrade() -> None:
    bind = op.get_bind()
    postgresql = bind.dialect.name == "postgresql"
    for statement in POSTGRES_INSTALL if postgresql else SQLITE_INSTALL:
        bind.exec_driver_sql(statement)
    if not postgresql:
        op.execute("DROP TRIGGER IF EXISTS claim_search_au")
        op.execute(SEARCH_AU)
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
    for statement in POSTGRES_UNINSTALL if bind.dialect.name == "postgresql" else SQLITE_UNINSTALL:
        bind.exec_driver_sql(statement)
