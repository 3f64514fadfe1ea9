"""Counts kept with the claims, so the article list and the desk overview never count a claim table.

Two tables, derived entirely from `claim` and `article` (migration 0014 creates and fills them; a
downgrade drops them and loses nothing), kept in step by triggers on SQLite and PostgreSQL alike:

- `article_summary`: one row per article, its number of claims and of resolved ones (a rating
  label or a written conclusion): what the article list shows;
- `claim_tally`: the accepted claims counted by outlet, speaker, state, rating label (0: none)
  and resolved or not: what the desk overview groups. A few thousand rows at most, whatever
  the archive's size.

The triggers run inside the writing transaction, so the counts land (or roll back) with the
change, whichever path made it: the services, undo, revision import, `claimdesk copy`, another
client. Neither table is in the ORM models: `claimdesk copy` fills the target's through its
triggers, and Alembic's comparison leaves them alone (app.storage.models.is_mapped_table).
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable

from sqlalchemy import Column, Integer, MetaData, String, Table

SUMMARY, TALLY = "article_summary", "claim_tally"
TABLES = (SUMMARY, TALLY)

# For Core reads only (their DDL is below, run by the migration).
_metadata = MetaData()
article_summary = Table(
    SUMMARY, _metadata,
    Column("article_id", Integer, primary_key=True),
    Column("claims", Integer, nullable=False),
    Column("resolved", Integer, nullable=False),
)
claim_tally = Table(
    TALLY, _metadata,
    Column("outlet", String(200), primary_key=True),
    Column("speaker", String(200), primary_key=True),
    Column("state", String(16), primary_key=True),
    Column("verdict_id", Integer, primary_key=True),  # 0: no rating label
    Column("resolved", Integer, primary_key=True),  # 1: a rating label or a written conclusion
    Column("n", Integer, nullable=False),
)

CREATE_TABLES = [
    f"CREATE TABLE {SUMMARY} ("
    " article_id INTEGER NOT NULL PRIMARY KEY REFERENCES article (id) ON DELETE CASCADE,"
    " claims INTEGER NOT NULL DEFAULT 0, resolved INTEGER NOT NULL DEFAULT 0)",
    f"CREATE TABLE {TALLY} ("
    " outlet VARCHAR(200) NOT NULL, speaker VARCHAR(200) NOT NULL, state VARCHAR(16) NOT NULL,"
    " verdict_id INTEGER NOT NULL, resolved INTEGER NOT NULL, n INTEGER NOT NULL,"
    " PRIMARY KEY (outlet, speaker, state, verdict_id, resolved))",
]
DROP_TABLES = [f"DROP TABLE IF EXISTS {TALLY}", f"DROP TABLE IF EXISTS {SUMMARY}"]

_KEY = "outlet, speaker, state, verdict_id, resolved"


def _resolved(row: str) -> str:
    """1 if the claim has a verdict (a label or a written conclusion): the rule of
    app.domain's Claim.has_verdict, in SQL both databases read the same way."""
    return f"(CASE WHEN {row}.verdict_id IS NOT NULL OR coalesce({row}.conclusion, '') <> '' THEN 1 ELSE 0 END)"


def _remove(row: str) -> list[str]:
    """Take claim `row` (old) out of the counts. Once its article is gone (a cascade from
    deleting the article), the tally was already settled by the article's own trigger."""
    return [
        f"UPDATE {SUMMARY} SET claims = claims - 1, resolved = resolved - {_resolved(row)}"
        f" WHERE article_id = {row}.article_id",
        f"UPDATE {TALLY} SET n = n - 1 WHERE {row}.accepted"
        f" AND outlet = (SELECT a.outlet FROM article a WHERE a.id = {row}.article_id)"
        f" AND speaker = coalesce({row}.speaker, '') AND state = {row}.state"
        f" AND verdict_id = coalesce({row}.verdict_id, 0) AND resolved = {_resolved(row)}",
    ]


def _add(row: str) -> list[str]:
    """Count claim `row` (new) in."""
    return [
        f"UPDATE {SUMMARY} SET claims = claims + 1, resolved = resolved + {_resolved(row)}"
        f" WHERE article_id = {row}.article_id",
        f"INSERT INTO {TALLY} ({_KEY}, n)"
        f" SELECT a.outlet, coalesce({row}.speaker, ''), {row}.state, coalesce({row}.verdict_id, 0),"
        f" {_resolved(row)}, 1 FROM article a WHERE a.id = {row}.article_id AND {row}.accepted"
        f" ON CONFLICT ({_KEY}) DO UPDATE SET n = {TALLY}.n + excluded.n",
    ]


def _article_claims(article: str) -> str:
    """The accepted claims of one article, grouped as the tally counts them."""
    return (
        f"SELECT coalesce(c.speaker, '') AS speaker, c.state AS state, coalesce(c.verdict_id, 0) AS verdict_id,"
        f" {_resolved('c')} AS resolved, count(*) AS k FROM claim c"
        f" WHERE c.article_id = {article}.id AND c.accepted"
        " GROUP BY coalesce(c.speaker, ''), c.state, coalesce(c.verdict_id, 0), " + _resolved("c")
    )


def _article_out(article: str) -> str:
    return (
        f"UPDATE {TALLY} SET n = {TALLY}.n - m.k FROM ({_article_claims(article)}) AS m"
        f" WHERE {TALLY}.outlet = {article}.outlet AND {TALLY}.speaker = m.speaker AND {TALLY}.state = m.state"
        f" AND {TALLY}.verdict_id = m.verdict_id AND {TALLY}.resolved = m.resolved"
    )


def _article_in(article: str) -> str:
    return (
        f"INSERT INTO {TALLY} ({_KEY}, n) SELECT {article}.outlet, m.speaker, m.state, m.verdict_id, m.resolved, m.k"
        f" FROM ({_article_claims(article)}) AS m WHERE true"
        f" ON CONFLICT ({_KEY}) DO UPDATE SET n = {TALLY}.n + excluded.n"
    )


_COUNTED = ("accepted", "state", "verdict_id", "conclusion", "speaker", "article_id")


def _changed(distinct: str) -> str:
    return " OR ".join(f"old.{c} {distinct} new.{c}" for c in _COUNTED)


# -- SQLite --------------------------------------------------------------------------------------

def _body(statements: list[str]) -> str:
    return "BEGIN " + " ".join(s + ";" for s in statements) + " END"


SQLITE_TRIGGERS = {
    "claim_summary_ai": "AFTER INSERT ON claim " + _body(_add("new")),
    "claim_summary_ad": "AFTER DELETE ON claim " + _body(_remove("old")),
    "claim_summary_au": f"AFTER UPDATE ON claim WHEN {_changed('IS NOT')} " + _body(_remove("old") + _add("new")),
    "article_summary_ai": f"AFTER INSERT ON article BEGIN INSERT INTO {SUMMARY} (article_id) VALUES (new.id); END",
    # Before the delete: the claims' own triggers then find no article and leave the tally alone.
    "article_summary_bd": "BEFORE DELETE ON article " + _body([_article_out("old")]),
    "article_summary_au": "AFTER UPDATE OF outlet ON article WHEN old.outlet IS NOT new.outlet "
    + _body([_article_out("old"), _article_in("new")]),
}

# -- PostgreSQL ----------------------------------------------------------------------------------

_PL = "RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN "
POSTGRES_TRIGGERS = [
    "CREATE FUNCTION claimdesk_summary_claim() " + _PL
    + "IF TG_OP <> 'INSERT' THEN " + " ".join(s + ";" for s in _remove("OLD")) + " END IF;"
    + " IF TG_OP <> 'DELETE' THEN " + " ".join(s + ";" for s in _add("NEW")) + " END IF;"
    + " RETURN NULL; END $$",
    "CREATE TRIGGER claim_summary AFTER INSERT OR DELETE ON claim"
    " FOR EACH ROW EXECUTE FUNCTION claimdesk_summary_claim()",
    f"CREATE TRIGGER claim_summary_au AFTER UPDATE ON claim FOR EACH ROW WHEN ({_changed('IS DISTINCT FROM')})"
    " EXECUTE FUNCTION claimdesk_summary_claim()",
    "CREATE FUNCTION claimdesk_summary_article() " + _PL
    + f"IF TG_OP = 'INSERT' THEN INSERT INTO {SUMMARY} (article_id) VALUES (NEW.id); RETURN NULL; END IF;"
    + f" {_article_out('OLD')};"
    + f" IF TG_OP = 'DELETE' THEN RETURN OLD; END IF; {_article_in('NEW')}; RETURN NULL; END $$",
    "CREATE TRIGGER article_summary_ai AFTER INSERT ON article"
    " FOR EACH ROW EXECUTE FUNCTION claimdesk_summary_article()",
    "CREATE TRIGGER article_summary_bd BEFORE DELETE ON article"
    " FOR EACH ROW EXECUTE FUNCTION claimdesk_summary_article()",
    "CREATE TRIGGER article_summary_au AFTER UPDATE OF outlet ON article FOR EACH ROW"
    " WHEN (OLD.outlet IS DISTINCT FROM NEW.outlet) EXECUTE FUNCTION claimdesk_summary_article()",
]
DROP_POSTGRES_TRIGGERS = [
    "DROP TRIGGER IF EXISTS article_summary_au ON article",
    "DROP TRIGGER IF EXISTS article_summary_bd ON article",
    "DROP TRIGGER IF EXISTS article_summary_ai ON article",
    "DROP TRIGGER IF EXISTS claim_summary_au ON claim",
    "DROP TRIGGER IF EXISTS claim_summary ON claim",
    "DROP FUNCTION IF EXISTS claimdesk_summary_article()",
    "DROP FUNCTION IF EXISTS claimdesk_summary_claim()",
]

FILL = [
    f"DELETE FROM {TALLY}",
    f"DELETE FROM {SUMMARY}",
    f"INSERT INTO {SUMMARY} (article_id, claims, resolved)"
    f" SELECT a.id, count(c.id), coalesce(sum({_resolved('c')}), 0)"
    " FROM article a LEFT JOIN claim c ON c.article_id = a.id GROUP BY a.id",
    f"INSERT INTO {TALLY} ({_KEY}, n)"
    f" SELECT a.outlet, coalesce(c.speaker, ''), c.state, coalesce(c.verdict_id, 0), {_resolved('c')}, count(*)"
    " FROM claim c JOIN article a ON a.id = c.article_id WHERE c.accepted"
    f" GROUP BY a.outlet, coalesce(c.speaker, ''), c.state, coalesce(c.verdict_id, 0), {_resolved('c')}",
]


def install(execute: Callable[[str], object], postgresql: bool) -> None:
    """Create the tables and their triggers, and count what the database holds now."""
    for statement in CREATE_TABLES:
        execute(statement)
    if postgresql:
        for statement in POSTGRES_TRIGGERS:
            execute(statement)
    else:
        for name, body in SQLITE_TRIGGERS.items():
            execute(f"CREATE TRIGGER {name} {body}")
    for statement in FILL:
        execute(statement)


def uninstall(execute: Callable[[str], object], postgresql: bool) -> None:
    if postgresql:
        for statement in DROP_POSTGRES_TRIGGERS:
            execute(statement)
    else:
        for name in SQLITE_TRIGGERS:
            execute(f"DROP TRIGGER IF EXISTS {name}")
    for statement in DROP_TABLES:
        execute(statement)


def restore(execute: Callable[[str], object], existing: set[str]) -> bool:
    """SQLite: recreate triggers a batch migration dropped with the claim or article table, and
    count again, since writes made without them are not counted. True if anything was restored."""
    if SUMMARY not in existing:
        return False
    if all(name in existing for name in SQLITE_TRIGGERS):
        return False
    for name, body in SQLITE_TRIGGERS.items():
        execute(f"DROP TRIGGER IF EXISTS {name}")
        execute(f"CREATE TRIGGER {name} {body}")
    for statement in FILL:
        execute(statement)
    return True


def schema_names(connection: sqlite3.Connection) -> set[str]:
    return {row[0] for row in connection.execute("SELECT name FROM sqlite_master")}
