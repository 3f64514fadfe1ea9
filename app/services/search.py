"""Search across every article's claims (SQLite FTS5; on PostgreSQL a tsvector, see app.storage.postgres)."""

from __future__ import annotations

import re

from sqlalchemy import text

from app.domain import SearchHit, State
from app.services.context import Context
from app.storage import postgres

_WORD = re.compile(r"\w+")


class Search:
    def __init__(self, ctx: Context) -> None:
        self._ctx = ctx

    def search(self, query: str, limit: int = 100) -> list[SearchHit]:
        """Claims whose text, verdict, notes or sources match every word typed, best first."""
        words = _WORD.findall(query)
        if not words:
            return []
        if self._ctx.db.postgresql:
            with self._ctx.read() as s:
                quoted = " ".join(f'"{w}"' for w in words)
                rows = s.execute(text(postgres.SEARCH), {"query": quoted, "limit": limit}).all()
            return [SearchHit(r[0], r[1], r[2], r[3], State(r[4]), r[5]) for r in rows]
        # Each word quoted (so FTS syntax typed by the user is just text) and prefix-matched.
        match = " ".join('"' + w.replace('"', "") + '"*' for w in words)
        with self._ctx.read() as s:
            rows = s.execute(
                # The best `limit` ids first, inside FTS5 (rank is bm25), and only those joined:
                # joining every match before sorting took 4x longer for a rare word at a million
                # claims, 2x for a common one.
                text(
                    "SELECT c.id, c.article_id, a.title, c.quote, c.state, coalesce(r.name, c.conclusion)"
                    " FROM (SELECT rowid AS id, rank FROM claim_search WHERE claim_search MATCH :match"
                    " ORDER BY rank LIMIT :limit) AS hits"
                    " JOIN claim c ON c.id = hits.id"
                    " JOIN article a ON a.id = c.article_id LEFT JOIN rating_label r ON r.id = c.verdict_id"
                    " ORDER BY hits.rank"
                ),
                {"match": match, "limit": limit},
            ).all()
        return [SearchHit(r[0], r[1], r[2], r[3], State(r[4]), r[5]) for r in rows]
