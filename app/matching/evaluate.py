"""Measure the matcher on the CheckThat! 2020 claim-matching data: plain BM25 against ours, MAP@5.

    python -m app.matching.evaluate [--data DIR]            # the figures in the README
    python -m app.matching.evaluate --fit                   # refit the re-ranking weights on train
    python -m app.matching.evaluate --calibrate             # the "same claim" threshold on dev

The data (../shared/data/claim_matching/, see its README) is CLEF-2020 CheckThat! Lab Task 2:
Snopes' verified claims and tweets that repeat them (Shaar et al., ACL 2020). Weights are
fitted on train only; dev is measured, never tuned on.
"""

from __future__ import annotations

import argparse
import csv
import math
import random
import sqlite3
import sys
import time
from collections.abc import Callable, Hashable, Sequence
from dataclasses import replace
from pathlib import Path

from app.matching.matcher import SAME_CLAIM, STOPWORDS, ClaimMatcher, Weights
from app.matching.normalise import fold, normalise

DEFAULT_DATA = Path(__file__).resolve().parents[2] / ".." / "shared" / "data" / "claim_matching"
Ranker = Callable[[str, int], list[tuple[Hashable, float]]]


def _tsv(path: Path) -> list[list[str]]:
    csv.field_size_limit(sys.maxsize)
    with path.open(encoding="utf-8", newline="") as f:
        return list(csv.reader(f, delimiter="\t", quoting=csv.QUOTE_NONE))[1:]


def load(data: Path, split: str) -> tuple[dict[str, str], dict[str, set[str]]]:
    queries = {row[0]: row[1] for row in _tsv(data / f"{split}_queries.tsv") if len(row) >= 2}
    relevant: dict[str, set[str]] = {}
    for line in (data / f"{split}_pairs.qrels").read_text(encoding="utf-8").split("\n"):
        parts = line.split()
        if len(parts) == 4 and parts[3] != "0":
            relevant.setdefault(parts[0], set()).add(parts[2])
    return {q: t for q, t in queries.items() if q in relevant}, relevant


def verified(data: Path) -> list[tuple[str, str]]:
    """Each verified claim as the matcher indexes it: the claim and its fact-check's title."""
    return [(row[0], f"{row[1]} {row[2]}") for row in _tsv(data / "verified_claims.tsv") if len(row) >= 3]


def average_precision(ranked: Sequence[Hashable], relevant: set[str], depth: int = 5) -> float:
    hits, total = 0, 0.0
    for i, item in enumerate(ranked[:depth], 1):
        if item in relevant:
            hits += 1
            total += hits / i
    return total / min(len(relevant), depth)


def map_at_5(rank: Ranker, queries: dict[str, str], relevant: dict[str, set[str]]) -> float:
    return sum(average_precision([i for i, _ in rank(t, 5)], relevant[q]) for q, t in queries.items()) / len(queries)


class PlainBM25:
    """The baseline: FTS5 bm25() over the texts as written (accents folded), any word may match."""

    def __init__(self, items: list[tuple[str, str]]) -> None:
        self._db = sqlite3.connect(":memory:")
        self._db.execute("CREATE VIRTUAL TABLE item USING fts5(id UNINDEXED, text, tokenize = 'unicode61 remove_diacritics 2')")
        self._db.executemany("INSERT INTO item(id, text) VALUES (?, ?)", items)

    def search(self, text: str, k: int) -> list[tuple[Hashable, float]]:
        import re

        words = sorted({w for w in re.findall(r"\w+", fold(text)) if w not in STOPWORDS})
        if not words:
            return []
        match = " OR ".join(f'"{w}"' for w in words)
        return list(self._db.execute(
            "SELECT id, -bm25(item) FROM item WHERE item MATCH ? ORDER BY bm25(item) LIMIT ?", (match, k)
        ).fetchall())


# -- fitting the re-ranking model (a logistic regression by Newton's method, no numpy needed) --

def _examples(matcher: ClaimMatcher, queries: dict[str, str], relevant: dict[str, set[str]]) -> list[tuple[str, list[tuple[Hashable, tuple[float, ...]]]]]:
    out = []
    for q, text in queries.items():
        query = normalise(text)
        candidates = matcher._candidates(query, matcher.weights.candidates)
        out.append((q, [(matcher._ids[row], f) for row, f in matcher.features(query, candidates)]))
    return out


def _solve(a: list[list[float]], b: list[float]) -> list[float]:
    n = len(b)
    m = [row[:] + [b[i]] for i, row in enumerate(a)]
    for c in range(n):
        p = max(range(c, n), key=lambda r: abs(m[r][c]))
        m[c], m[p] = m[p], m[c]
        for r in range(n):
            if r != c and m[c][c]:
                f = m[r][c] / m[c][c]
                m[r] = [x - f * y for x, y in zip(m[r], m[c], strict=True)]
    return [m[i][n] / m[i][i] if m[i][i] else 0.0 for i in range(n)]


def fit(rows: list[tuple[tuple[float, ...], int]], l2: float = 1.0, rounds: int = 25) -> list[float]:
    """Logistic regression (bias first), L2-regularised, by Newton's method."""
    n = len(rows[0][0]) + 1
    beta = [0.0] * n
    for _ in range(rounds):
        grad = [0.0] * n
        hess = [[0.0] * n for _ in range(n)]
        for f, y in rows:
            x = (1.0, *f)
            z = sum(b * v for b, v in zip(beta, x, strict=True))
            p = 1 / (1 + math.exp(-max(min(z, 40), -40)))
            for i in range(n):
                grad[i] += (p - y) * x[i]
                w = p * (1 - p) * x[i]
                for j in range(i, n):
                    hess[i][j] += w * x[j]
        for i in range(n):
            for j in range(i):
                hess[i][j] = hess[j][i]
            if i:
                grad[i] += l2 * beta[i]
                hess[i][i] += l2
        step = _solve(hess, grad)
        beta = [b - s for b, s in zip(beta, step, strict=True)]
        if max(abs(s) for s in step) < 1e-6:
            break
    return beta


def _weights(beta: list[float], candidates: int) -> Weights:
    return Weights(beta[0], tuple(beta[1:]), candidates)


def fit_weights(matcher: ClaimMatcher, queries: dict[str, str], relevant: dict[str, set[str]]) -> Weights:
    rows = [(f, int(i in relevant[q])) for q, cands in _examples(matcher, queries, relevant) for i, f in cands]
    return _weights(fit(rows), matcher.weights.candidates)


def cross_validate(matcher: ClaimMatcher, queries: dict[str, str], relevant: dict[str, set[str]], folds: int = 5) -> float:
    """MAP@5 of the fitted model on held-out folds of train: how the weights are chosen without dev."""
    ids = sorted(queries)
    random.Random(13).shuffle(ids)
    total = 0.0
    for k in range(folds):
        held = set(ids[k::folds])
        train = {q: t for q, t in queries.items() if q not in held}
        matcher.weights = fit_weights(matcher, train, relevant)
        total += map_at_5(matcher.search, {q: queries[q] for q in held}, relevant) * len(held)
    return total / len(ids)


def threshold(matcher: ClaimMatcher, queries: dict[str, str], relevant: dict[str, set[str]], precision: float = 0.99) -> tuple[float, int, int]:
    """The lowest score at which every top-1 match scoring at least that is right at >= `precision`:
    (threshold, matches above it, wrong among them)."""
    tops = []
    for q, text in queries.items():
        found = matcher.search(text, 1)
        if found:
            tops.append((found[0][1], found[0][0] in relevant[q]))
    tops.sort(key=lambda t: -t[0])
    best, count, wrong = 1.0, 0, 0
    errors = 0
    for i, (score, right) in enumerate(tops, 1):
        errors += not right
        if (i - errors) / i >= precision and (i == len(tops) or tops[i][0] < score):
            best, count, wrong = score, i, errors
    return best, count, wrong


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA, help="the claim_matching folder")
    parser.add_argument("--fit", action="store_true", help="refit the weights on train (5-fold CV figure too)")
    parser.add_argument("--calibrate", action="store_true", help="the 'same claim' threshold on dev")
    args = parser.parse_args(argv)
    items = verified(args.data)
    train, train_rel = load(args.data, "train")
    dev, dev_rel = load(args.data, "dev")
    started = time.perf_counter()
    matcher = ClaimMatcher(items)
    if args.fit:
        for candidates in (30,):
            matcher.weights = replace(matcher.weights, candidates=candidates)
            print(f"candidates {candidates}: 5-fold CV MAP@5 on train {cross_validate(matcher, train, train_rel):.4f}")
        matcher.weights = fit_weights(matcher, train, train_rel)
        print("fitted on all of train:", matcher.weights)
        return 0
    if args.calibrate:
        score, count, wrong = threshold(matcher, dev, dev_rel)
        print(f"same claim at >= {score:.3f}: {count} of {len(dev)} dev queries' top match, {wrong} wrong")
        return 0
    plain = PlainBM25(items)
    print(f"{len(items)} verified claims indexed in {time.perf_counter() - started:.1f} s")
    print(f"{'':28}{'train':>8}{'dev':>8}")
    for name, rank in (("plain BM25 (FTS5)", plain.search), ("normalised BM25 (stage one)", matcher.bm25),
                       ("ours: + fuzzy re-ranking", matcher.search)):
        print(f"{name:28}{map_at_5(rank, train, train_rel):8.3f}{map_at_5(rank, dev, dev_rel):8.3f}")
    tops = [matcher.search(t, 1) for t in dev.values()]
    sure = [(q, top[0]) for q, top in zip(dev, tops, strict=True) if top and top[0][1] >= SAME_CLAIM]
    right = sum(i in dev_rel[q] for q, (i, _) in sure)
    print(f"'same claim' (score >= {SAME_CLAIM}): {len(sure)} of {len(dev)} dev queries, {right} right")
    return 0


if __name__ == "__main__":
    sys.exit(main())
