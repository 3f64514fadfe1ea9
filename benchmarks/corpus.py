"""Realistic text for the benchmarks: the shared CheckThat! 2024 training sentences (debates,
speeches, interviews: 22,500 distinct English sentences) put together into paragraphs and articles,
in a seeded random order. Not templates: detection ran three times faster on 16 template sentences."""

from __future__ import annotations

import csv
import random
import sys
from functools import cache
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SENTENCES = ROOT.parent / "shared" / "data" / "checkworthiness" / "ct24_english_train.tsv"


@cache
def sentences() -> tuple[tuple[str, bool], ...]:
    """(sentence, check-worthy) pairs, as labelled."""
    if not SENTENCES.is_file():
        sys.exit(f"benchmark: the training sentences are missing: {SENTENCES} (see the Makefile's DATA)")
    with SENTENCES.open(encoding="utf-8", newline="") as f:
        rows = list(csv.DictReader(f, delimiter="\t", quoting=csv.QUOTE_NONE))
    return tuple((r["text"].strip(), r["label"].strip().lower() in ("yes", "1")) for r in rows if r["text"].strip())


def paragraphs(size: int, seed: int = 7) -> list[str]:
    """About `size` characters of paragraphs of 2 to 6 sentences."""
    rng = random.Random(seed)
    pool = [s for s, _ in sentences()]
    out, length = [], 0
    while length < size:
        para = " ".join(rng.choice(pool) for _ in range(rng.randint(2, 6)))
        out.append(para)
        length += len(para) + 2
    return out


def text(size: int, seed: int = 7) -> str:
    return "\n\n".join(paragraphs(size, seed))[:size]


def articles(total: int, size: int = 20_000, seed: int = 7) -> list[str]:
    """`total` characters cut into articles of about `size` characters of whole paragraphs."""
    out, kept, count = [], [], 0
    for para in paragraphs(total, seed):
        kept.append(para)
        count += len(para) + 2
        if count >= size:
            out.append("\n\n".join(kept))
            kept, count = [], 0
    if kept:
        out.append("\n\n".join(kept))
    return out


def claim_spans(text: str, count: int) -> list[tuple[int, int]]:
    """`count` sentence-long spans spread evenly over `text` (claims as the detector places them)."""
    step = max(1, len(text) // count)
    spans = []
    for i in range(count):
        start = i * step
        end = min(start + max(1, min(120, step - 1)), len(text))
        spans.append((start, end))
    return spans
