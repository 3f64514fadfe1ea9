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
import weakref
from collections import Counter
from collections.abc import Hashable, Iterable
from dataclasses import dataclass

from rapidfuzz import fuzz

from app.matching.normalise import normalise

# Words too common to say which claim is meant (FTS5 would still score them, slowly).
STOPWORDS = frozenset(
    ["a", "an", "the", "and", "or", "but", "if", "of", "to", "in", "on", "at", "by", "for", "with", "from", "as", "is", "are", "was", "were", "be", "been", "being", "it", "its", "this", "that", "these", "those", "he", "she", "they", "them", "his", "her", "their", "we", "our", "you", "your", "i", "me", "my", "not", "no", "so", "than", "then", "there", "here", "what", "which", "who", "whom", "whose", "when", "where", "why", "how", "all", "any", "some", "such", "can", "could", "will", "would", "should", "may", "might", "must", "do", "does", "did", "has", "have", "had", "just", "about", "into", "over", "after", "before", "up", "down", "out", "more", "most", "very", "also", "only", "s", "t", "rt", "amp", "https", "http", "www", "com", "co"]
)


# What the re-ranking model looks at, for a query and one candidate from stage one.
FEATURES = (
    "relative",  # its BM25 score over the best candidate's
    "gap",  # its BM25 lead over the best other candidate, over the best score
    "token_set",  # RapidFuzz token_set_ratio of the two normalised texts
    "partial",  # RapidFuzz partial_ratio: the candidate found inside a longer query
    "rank",  # 1 / its rank in stage one
    "claim_covered",  # IDF-weighted share of the candidate's words that the query has
    "query_covered",  # IDF-weighted share of the query's words that the candidate has
    "pairs_covered",  # share of the candidate's word pairs that the query has
    "figures",  # +1 its figures all in the query, -1 none of them, 0 it has none
)


@dataclass(frozen=True, slots=True)
class Weights:
    """The re-ranking model: score = sigmoid(bias + Σ coefficient × feature), one coefficient per
    name in FEATURES. Fitted on train.

    The BM25 features are relative to the best candidate's score, and the overlaps are shares,
    so they do not depend on the archive's size: a raw bm25() grows with the number of claims
    indexed, and a threshold on it would not carry from one archive to another."""

    bias: float
    coefficients: tuple[float, ...]
    candidates: int = 30


# Fitted by `python -m app.matching.evaluate --fit` on the train queries (see README).
WEIGHTS = Weights(
    bias=-6.5864, coefficients=(1.5490, 4.4776, 1.6712, 0.6416, 3.8780, 0.8315, 0.9384, -0.3469, 0.0185),
)
# A match at or above this score is "the same claim": precision >= 0.99 on the dev queries
# (app.matching.evaluate --calibrate); below it a match is only "similar".
SAME_CLAIM = 0.86


# A candidate whose figures contradict the query's is never "the same claim", however alike
# the words: "3,000 troops" and "5,000 troops" are two claims. Its score stays just under SAME_CLAIM.
_DIFFERENT_FIGURES = SAME_CLAIM - 0.01


def _figures(text: str) -> frozenset[str]:
    return frozenset(w for w in text.split() if w[:1].isdigit() and not (len(w) == 4 and w[:2] in ("19", "20")))


def _contradicts(query_figures: frozenset[str], text: str) -> bool:
    """Both give figures (years aside) and share none of them."""
    figures = _figures(text)
    return bool(query_figures and figures and not query_figures & figures)


def stems(text: str) -> list[str]:
    """A normalised text's informative words, cut to six letters: a crude stemmer, enough for
    overlap ("deployed"/"deployment") and cheap."""
    return [w[:6] for w in text.split() if w not in STOPWORDS and (len(w) > 1 or w.isdigit())]


def _sigmoid(x: float) -> float:
    return 1.0 / (1.0 + math.exp(-x)) if x > -50 else 0.0


class ClaimMatcher:
    """Finds the indexed texts that say the same as a query. Thread-safe; ids are any hashable."""

    def __init__(self, items: Iterable[tuple[Hashable, str]] = (), weights: Weights = WEIGHTS) -> None:
        self.weights = weights
        self._lock = threading.Lock()
        self._db = sqlite3.connect(":memory:", check_same_thread=False)
        weakref.finalize(self, self._db.close)  # the in-memory index goes with the matcher
        self._db.execute("CREATE VIRTUAL TABLE item USING fts5(text, tokenize = \"porter unicode61 tokenchars '_'\")")
        self._rows: dict[Hashable, int] = {}
        self._ids: dict[int, Hashable] = {}
        self._texts: dict[int, str] = {}
        self._stems: dict[int, frozenset[str]] = {}
        self._df: Counter[str] = Counter()  # in how many indexed texts each stem occurs
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
                self._stems[row] = words = frozenset(stems(normal))
                self._df.update(words)
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
            self._df.subtract(self._stems[row])
            del self._ids[row], self._texts[row], self._stems[row]
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
        query_figures = _figures(query)
        scored = [
            (self._ids[row], min(score, _DIFFERENT_FIGURES) if _contradicts(query_figures, self._texts[row]) else score)
            for row, score in self.score(query, candidates)
        ]
        scored.sort(key=lambda pair: -pair[1])
        return scored[:k]

    def score(self, query: str, candidates: list[tuple[int, float, str]]) -> list[tuple[int, float]]:
        """Each candidate's probability of being the same claim as the (normalised) query."""
        w = self.weights
        return [(row, _sigmoid(w.bias + sum(a * b for a, b in zip(w.coefficients, f, strict=True))))
                for row, f in self.features(query, candidates)]

    def idf(self, stem: str) -> float:
        n, df = len(self._rows), self._df.get(stem, 0)
        return math.log(1 + (n - df + 0.5) / (df + 0.5))

    def features(self, query: str, candidates: list[tuple[int, float, str]]) -> list[tuple[int, tuple[float, ...]]]:
        """The re-ranking model's inputs (FEATURES) for each candidate (row, bm25 score, normalised text)."""
        if not candidates:
            return []
        top = candidates[0][1] or 1.0
        scores = [score for _, score, _ in candidates]
        query_stems = stems(query)
        query_set = frozenset(query_stems)
        query_pairs = set(zip(query_stems, query_stems[1:], strict=False))
        query_figures = {w for w in query.split() if w[:1].isdigit()}
        query_weight = sum(self.idf(w) for w in query_set) or 1.0
        out: list[tuple[int, tuple[float, ...]]] = []
        for i, (row, score, text) in enumerate(candidates):
            others = max((s for j, s in enumerate(scores) if j != i), default=0.0)
            words = self._stems[row]
            shared = sum(self.idf(w) for w in words & query_set)
            ordered = stems(text)
            pairs = set(zip(ordered, ordered[1:], strict=False))
            figures = {w for w in text.split() if w[:1].isdigit()}
            out.append((row, (
                score / top,
                (score - others) / top,
                fuzz.token_set_ratio(query, text) / 100,
                fuzz.partial_ratio(text, query) / 100,
                1 / (i + 1),
                shared / (sum(self.idf(w) for w in words) or 1.0),
                shared / query_weight,
                len(pairs & query_pairs) / len(pairs) if pairs else 0.0,
                0.0 if not figures else (1.0 if figures <= query_figures else (-1.0 if not figures & query_figures else 0.0)),
            )))
        return out
