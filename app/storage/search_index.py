"""The FTS5 search index over claims: its table and the triggers that keep it in step with every write."""

from __future__ import annotations

import sqlite3
from collections.abc import Callable

TABLE = "claim_search"

# One row per claim (rowid = claim.id). Sources are folded into one column, so a hit on a
# source's title or publisher finds its claim.
_SOURCES_OF = (
    "(SELECT coalesce(group_concat(s.url || ' ' || s.title || ' ' || s.publisher || ' ' || s.note, ' '), '')"
    " FROM source s WHERE s.claim_id = {claim})"
)
ROWS = "SELECT c.id, c.quote, c.summary, c.notes, " + _SOURCES_OF.format(claim="c.id") + " FROM claim c"
_REFRESH = (
    "DELETE FROM claim_search WHERE rowid = {claim}; "
    "INSERT INTO claim_search(rowid, quote, summary, notes, sources) " + ROWS + " WHERE c.id = {claim};"
)

CREATE_TABLE = (
    "CREATE VIRTUAL TABLE IF NOT EXISTS claim_search USING fts5("
    "quote, summary, notes, sources, tokenize = 'unicode61 remove_diacritics 2')"
)
FILL = "INSERT INTO claim_search(rowid, quote, summary, notes, sources) " + ROWS
# A bulk writer's pause (0016): a row here, written and deleted inside its transaction, has the
# insert trigger stand aside for that article's new claims, which it then indexes with FILL_ARTICLE.
PAUSED = "claim_search_paused"
FILL_ARTICLE = FILL + " WHERE c.article_id = ?"

TRIGGERS = {
    "claim_search_ai": "AFTER INSERT ON claim WHEN NOT EXISTS (SELECT 1 FROM claim_search_paused p"
    " WHERE p.article_id = new.article_id) BEGIN " + _REFRESH.format(claim="new.id") + " END",
    # Only when searchable text changed: a verdict, state or version change is most updates (0014).
    "claim_search_au": "AFTER UPDATE ON claim WHEN old.quote IS NOT new.quote OR old.summary IS NOT new.summary"
    " OR old.notes IS NOT new.notes BEGIN " + _REFRESH.format(claim="new.id") + " END",
    "claim_search_ad": "AFTER DELETE ON claim BEGIN DELETE FROM claim_search WHERE rowid = old.id; END",
    "source_search_ai": "AFTER INSERT ON source BEGIN " + _REFRESH.format(claim="new.claim_id") + " END",
    "source_search_au": "AFTER UPDATE ON source BEGIN "
    + _REFRESH.format(claim="new.claim_id") + " " + _REFRESH.format(claim="old.claim_id") + " END",
    "source_search_ad": "AFTER DELETE ON source BEGIN " + _REFRESH.format(claim="old.claim_id") + " END",
}


# claim_search_ai as it was before 0016 made the pause: what a database without the pause's table has.
_AI_UNPAUSED = "AFTER INSERT ON claim BEGIN " + _REFRESH.format(claim="new.id") + " END"


def trigger_statements(paused: bool = True) -> list[str]:
    """The triggers as the head revision has them; `paused=False`: a database below 0016."""
    bodies = TRIGGERS if paused else {**TRIGGERS, "claim_search_ai": _AI_UNPAUSED}
    return [f"CREATE TRIGGER IF NOT EXISTS {name} {body}" for name, body in bodies.items()]


def restore(execute: Callable[[str], object], existing: set[str]) -> bool:
    """Recreate triggers a batch migration dropped with its table; rebuild the index if any were
    missing, since writes made without them are not in it. True if anything was restored."""
    if TABLE not in existing:
        return False
    missing = [name for name in TRIGGERS if name not in existing]
    if not missing:
        return False
    # Between two steps of a migration the database may be below 0016 (upgrading, or on its way
    # down), without the table the pause needs: its insert trigger is the one before 0016.
    for statement in trigger_statements(paused=PAUSED in existing):
        execute(statement)
    execute("DELETE FROM claim_search")
    execute(FILL)
    return True


def schema_names(connection: sqlite3.Connection) -> set[str]:
    return {row[0] for row in connection.execute("SELECT name FROM sqlite_master")}
