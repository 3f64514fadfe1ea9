"""ClaimMatcher: earlier checks of the same claim, by BM25 over normalised text and a fuzzy re-ranking.

Stage one asks an in-memory SQLite FTS5 index (bm25()) for the best few dozen candidates: the
index holds each claim's normalised words (app.matching.normalise), so "3,000"/"3000" and
"defence"/"defense" meet. Stage two scores each candidate with a small logistic model over
the BM25 score and RapidFuzz similarities (fitted on the CheckThat! 2020 train queries by
app.matching.evaluate), so a score is a probability that the two say the same thing,
comparable across queries, and the list is re-ordered by it.

The index lives in the process, whichever database the archive is on: SQLite and PostgreSQL
give the same scores, so one calibrated threshold holds for both. Adding or removing one
claim is one FTS5 row (well under a millisecond).
"""

from __future__ import annotations

import math
import sqlite3
import threading
from collections.abc import Hashable, Iterable
from dataclasses import dataclass

from rapidfuzz import fuzz

from app.matching.normalise import normalise

# Words too common to say which claim is meant (FTS5 would still score them, slowly).
STOPWORDS = frozenset(
    ["a", "an", "the", "and", "or", "but", "if", "of", "to", "in", "on", "at", "by", "for", "with", "from", "as", "is", "are", "was", "were", "be", "been", "being", "it", "its", "this", "that", "these", "those", "he", "she", "they", "them", "his", "her", "their", "we", "our", "you", "your", "i", "me", "my", "not", "no", "so", "than", "then", "there", "here", "what", "which", "who", "whom", "whose", "when", "where", "why", "how", "all", "any", "some", "such", "can", "could", "will", "would", "should", "may", "might", "must", "do", "does", "did", "has", "have", "had", "just", "about", "into", "over", "after", "before", "up", "down", "out", "more", "most", "very", "also", "only", "s", "t", "rt", "amp", "https", "http", "www", "com", "co"]
)


@dataclass(frozen=True, slots=True)
class Weights:
    """The re-ranking model: score = sigmoid(bias + Σ weight × feature). Fitted on train.

    The BM25 features are relative to the best candidate's score (`relative`, `gap` to the
    runner-up), so they do not depend on the archive's size: a raw bm25() grows with the
    number of claims indexed, and a threshold on it would not carry from one archive to another."""

    bias: float
    relative: float
    gap: float
    token_set: float
    partial: float
    coverage: float
    rank: float
    candidates: int = 30


# Fitted by `python -m app.matching.evaluate --fit` on the train queries (see README).
WEIGHTS = Weights(
    bias=-6.7886, relative=1.6126, gap=4.5522, token_set=2.1181, partial=0.9085, coverage=0.5644, rank=3.9024,
)
# A match at or above this score is "the same claim": precision >= 0.99 on the dev queries
# (app.matching.evaluate --calibrate); below it a match is only "similar".
SAME_CLAIM = 0.86


def _sigmoid(x: float) -> float:
    return 1.0 / (1.0 + math.exp(-x)) if x > -50 else 0.0


class ClaimMatcher:
    """Finds the indexed texts that say the same as a query. Thread-safe; ids are any hashable."""

    def __init__(self, items: Iterable[tuple[Hashable, str]] = (), weights: Weights = WEIGHTS) -> None:
        self.weights = weights
        self._lock = threading.Lock()
        self._db = sqlite3.connect(":memory:", check_same_thread=False)
        self._db.execute("CREATE VIRTUAL TABLE item USING fts5(text, tokenize = \"porter unicode61 tokenchars '_'\")")
        self._rows: dict[Hashable, int] = {}
        self._ids: dict[int, Hashable] = {}
        self._texts: dict[int, str] = {}
        self._next = 1
        self.update(items)

    def __len__(self) -> int:
        return len(self._rows)

    def __contains__(self, item_id: object) -> bool:
        return item_id in self._rows

    def update(self, items: Iterable[tuple[Hashable, str]]) -> None:
        """Add texts, or replace those whose id is already indexed."""
        with self._lock:
            rows = []
            for item_id, text in items:
                self._drop(item_id)
                row = self._next
                self._next += 1
                normal = normalise(text)
                self._rows[item_id], self._ids[row], self._texts[row] = row, item_id, normal
                rows.append((row, normal))
            self._db.executemany("INSERT INTO item(rowid, text) VALUES (?, ?)", rows)

    def add(self, item_id: Hashable, text: str) -> None:
        self.update([(item_id, text)])

    def remove(self, item_id: Hashable) -> None:
        with self._lock:
            self._drop(item_id)

    def _drop(self, item_id: Hashable) -> None:
        row = self._rows.pop(item_id, None)
        if row is not None:
            del self._ids[row], self._texts[row]
            self._db.execute("DELETE FROM item WHERE rowid = ?", (row,))

    def bm25(self, text: str, k: int) -> list[tuple[Hashable, float]]:
        """Stage one alone: the plain BM25 ranking (score = -bm25(), higher is better)."""
        return [(self._ids[row], score) for row, score, _ in self._candidates(normalise(text), k)]

    def _candidates(self, query: str, k: int) -> list[tuple[int, float, str]]:
        words = sorted({w for w in query.split() if w not in STOPWORDS and len(w) > 1 or w.isdigit()})
        if not words:
            return []
        match = " OR ".join(f'"{w}"' for w in words)
        with self._lock:
            rows = self._db.execute(
                "SELECT rowid, -bm25(item) FROM item WHERE item MATCH ? ORDER BY bm25(item) LIMIT ?", (match, k)
            ).fetchall()
            return [(row, score, self._texts[row]) for row, score in rows]

    def search(self, text: str, k: int = 5) -> list[tuple[Hashable, float]]:
        """The k best matches for `text`, best first, each with a score in [0, 1]: the
        probability that it is the same claim (see SAME_CLAIM)."""
        query = normalise(text)
        candidates = self._candidates(query, max(k, self.weights.candidates))
        scored = [(self._ids[row], score) for row, score in self.score(query, candidates)]
        scored.sort(key=lambda pair: -pair[1])
        return scored[:k]

    def score(self, query: str, candidates: list[tuple[int, float, str]]) -> list[tuple[int, float]]:
        """Each candidate's probability of being the same claim as the (normalised) query."""
        w = self.weights
        return [(row, _sigmoid(w.bias + sum(a * b for a, b in zip(_coefficients(w), f, strict=True))))
                for row, f in features(query, candidates)]


def _coefficients(w: Weights) -> tuple[float, ...]:
    return (w.relative, w.gap, w.token_set, w.partial, w.coverage, w.rank)


def features(query: str, candidates: list[tuple[int, float, str]]) -> list[tuple[int, tuple[float, ...]]]:
    """The re-ranking model's inputs for each candidate (row, bm25 score, normalised text)."""
    if not candidates:
        return []
    top = candidates[0][1] or 1.0
    scores = [score for _, score, _ in candidates]
    query_words = set(query.split())
    out: list[tuple[int, tuple[float, ...]]] = []
    for i, (row, score, text) in enumerate(candidates):
        others = max((s for j, s in enumerate(scores) if j != i), default=0.0)
        words = {w for w in text.split() if w not in STOPWORDS} or set(text.split())
        coverage = len(words & query_words) / len(words) if words else 0.0
        out.append((row, (
            score / top,
            (score - others) / top,
            fuzz.token_set_ratio(query, text) / 100,
            fuzz.partial_ratio(text, query) / 100,
            coverage,
            1 / (i + 1),
        )))
    return out
