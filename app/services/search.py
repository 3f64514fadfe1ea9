"""Search across every article's claims (SQLite FTS5; on PostgreSQL a tsvector, see app.storage.postgres).

What comes back, on both engines: when at most `limit` claims match, all of them, best first
(bm25 on SQLite, ts_rank on PostgreSQL); when more match, the `limit` newest of them, newest
first. Ranking needs statistics over every match (bm25 counts each word's matches before it can
score one row), which for a common word at a million claims took a quarter of a second and for
one letter seconds; the newest matches come straight from the index, in the time a bare
`MATCH … LIMIT` takes. A person who gets a hundred hits for a word refines the query anyway."""

from __future__ import annotations

import re
from operator import itemgetter
from typing import Any

from sqlalchemy import text

from app.domain import SearchHit, State
from app.services.context import Context
from app.storage import plain, postgres

_WORD = re.compile(r"\w+")
_ID = itemgetter(0)

# The newest matches, with what a hit shows: one statement, the index walked newest first and
# stopped after `limit` + 1 (the extra one says "there are more"). They are put newest first in
# Python: a hundred tuples sort in microseconds, SQLite's sorter for them took a tenth of the search.
_NEWEST = (
    "SELECT c.id, c.article_id, a.title, c.quote, c.state, coalesce(r.name, c.conclusion)"
    " FROM (SELECT rowid AS id FROM claim_search WHERE claim_search MATCH ? ORDER BY rowid DESC LIMIT ?) AS hits"
    " JOIN claim c ON c.id = hits.id"
    " JOIN article a ON a.id = c.article_id LEFT JOIN rating_label r ON r.id = c.verdict_id"
)
# Few matches: their order by bm25 (FTS5's rank), which is cheap when there are few to count.
_RANKED = "SELECT rowid FROM claim_search WHERE claim_search MATCH ? ORDER BY rank"


class Search:
    def __init__(self, ctx: Context) -> None:
        self._ctx = ctx

    def search(self, query: str, limit: int = 100) -> list[SearchHit]:
        """Claims whose text, verdict, notes or sources match every word typed: all of them best
        first, or, when more than `limit` match, the newest `limit`, newest first."""
        words = _WORD.findall(query)
        if not words:
            return []
        if self._ctx.db.postgresql:
            quoted = " ".join(f'"{w}"' for w in words)
            with self._ctx.read() as s:
                found = s.execute(text(postgres.SEARCH), {"query": quoted, "limit": limit + 1}).all()
            if len(found) <= limit:  # all the matches: best first
                found = sorted(found, key=lambda r: (-r[6], r[0]))
            return _hits(found[:limit])
        # Each word quoted (so FTS syntax typed by the user is just text) and prefix-matched; a
        # word (\w+) holds no quote.
        match = " ".join([f'"{w}"*' for w in words])
        with self._ctx.read_raw() as c:  # no pool checkout: that was more than the search itself
            rows: list[Any] = c.execute(_NEWEST, (match, limit + 1)).fetchall()
            if 1 < len(rows) <= limit:  # all the matches, and more than one: best first
                order = {claim_id: i for i, (claim_id,) in enumerate(c.execute(_RANKED, (match,)))}
                rows.sort(key=lambda r: (order.get(r[0], len(order)), -r[0]))
            elif len(rows) > limit:  # the newest `limit`, newest first
                rows.sort(key=_ID, reverse=True)
                del rows[limit:]
        return _hits(rows)


_STATES = {state.value: state for state in State}


# Hits built slot by slot (app.storage.plain), on both engines: SearchHit(...) for each was a
# third of a common word's search.
_hits = plain.maker(SearchHit, "r[0]", "r[1]", "r[2]", "r[3]", "states(r[4]) or State(r[4])", "r[5]",
                           states=_STATES.get, State=State)
