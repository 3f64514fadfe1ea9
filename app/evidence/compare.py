"""Two passages side by side: a word-level diff (difflib), a similarity figure and one plain sentence.

Words are compared case-folded and without the punctuation around them, so "Charter," and
"charter" are the same word; what is shown keeps each passage's own spelling.
"""

from __future__ import annotations

import html
import re
import unicodedata
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from difflib import SequenceMatcher

from app.domain import clip
from app.domain.evidence import DiffOp, Passage

_EDGE_PUNCT = re.compile(r"^[\W_]+|[\W_]+$", re.UNICODE)
QUOTE_WORDS = 12  # the longest run a sentence quotes, in words


@dataclass(frozen=True, slots=True)
class Comparison:
    left: Passage
    right: Passage
    similarity: float  # 0..1: the share of words the two passages have in common
    diff: tuple[DiffOp, ...]
    sentence: str

    @property
    def percent(self) -> int:
        return round(self.similarity * 100)


def _norm(token: str) -> str:
    token = unicodedata.normalize("NFKC", token).casefold().replace("ё", "е")
    return _EDGE_PUNCT.sub("", token) or token


def compare(left: Passage | str, right: Passage | str) -> Comparison:
    """Compare left with right: what left adds to right, and what it leaves out of it."""
    left = left if isinstance(left, Passage) else Passage(left)
    right = right if isinstance(right, Passage) else Passage(right)
    a, b = left.text.split(), right.text.split()
    na, nb = [_norm(t) for t in a], [_norm(t) for t in b]
    # autojunk off: in a short legal text, frequent words ("the", "of") are not noise to skip.
    matcher = SequenceMatcher(None, na, nb, autojunk=False)
    ops: list[DiffOp] = []
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        op = {"equal": "equal", "delete": "left", "insert": "right", "replace": "replace"}[tag]
        ops.append(DiffOp(op, " ".join(a[i1:i2]), " ".join(b[j1:j2])))
    # "x % of the words are shared" counts words, in any order (Dice over the two bags of words):
    # the diff's in-order ratio read 16 % for two mutual-defence clauses that share 41 % of
    # their words in another order, and called them different things.
    shared = sum((Counter(na) & Counter(nb)).values())
    similarity = 2 * shared / (len(na) + len(nb)) if a or b else 1.0
    return Comparison(left, right, similarity, tuple(ops), describe(left, right, similarity, ops))


def short_label(passage: Passage, fallback: str) -> str:
    """"Article 4" out of "Article 4, Collective Security Treaty (1992)"."""
    label = passage.label.split(",")[0].split("(")[0].strip()
    return label or fallback


def describe(left: Passage, right: Passage, similarity: float, ops: list[DiffOp]) -> str:
    """"82 % of the words are shared; Article 4 adds “…” and omits “…”."""
    percent = round(similarity * 100)
    if not left.text.strip() or not right.text.strip():
        return "One of the passages is empty: there is nothing to compare."
    if all(op.op == "equal" for op in ops):
        return "The two passages are word for word the same."
    name = short_label(left, "The left passage")
    if name == short_label(right, "") and left.label != right.label:
        name = clip(left.label, 40)
    added = _longest(op.left for op in ops if op.op in ("left", "replace"))
    omitted = _longest(op.right for op in ops if op.op in ("right", "replace"))
    parts = []
    if added:
        parts.append(f"adds “{added}”")
    if omitted:
        parts.append(f"omits “{omitted}”")
    changes = f"; {name} {' and '.join(parts)}" if parts else ""
    verb = "is" if percent == 1 else "are"
    if percent < 20:
        return f"Only {percent} % of the words are shared: these passages say different things{changes}."
    return f"{percent} % of the words {verb} shared{changes}."


def _longest(runs: Iterable[str]) -> str:
    best = max(runs, key=lambda r: len(r.split()), default="")
    words = best.split()
    if len(words) > QUOTE_WORDS:
        return " ".join(words[:QUOTE_WORDS]) + " …"
    return best.strip(" ,;:")


def sides(diff: Sequence[DiffOp]) -> tuple[list[tuple[str, bool]], list[tuple[str, bool]]]:
    """Each passage as runs of (words, only in this passage?), for a side-by-side view."""
    left: list[tuple[str, bool]] = []
    right: list[tuple[str, bool]] = []
    for op in diff:
        if op.left:
            left.append((op.left, op.op != "equal"))
        if op.right:
            right.append((op.right, op.op != "equal"))
    return left, right


def side_by_side_html(diff: Sequence[DiffOp], left_label: str, right_label: str) -> str:
    """A two-column table for a rich-text view: words found in one passage only are marked."""
    def column(runs: list[tuple[str, bool]], css: str) -> str:
        return " ".join(
            f'<span style="{css}">{html.escape(text)}</span>' if only else html.escape(text) for text, only in runs
        )

    left, right = sides(diff)
    return (
        '<table width="100%" cellspacing="0" cellpadding="6" style="border-collapse:collapse">'
        f'<tr><th align="left" width="50%">{html.escape(left_label or "Left")}</th>'
        f'<th align="left" width="50%">{html.escape(right_label or "Right")}</th></tr>'
        '<tr><td valign="top" style="border-right:1px solid #c8c8c8">'
        f'{column(left, "background-color:#fbd9a6")}</td>'
        f'<td valign="top">{column(right, "background-color:#c6e9c6")}</td></tr></table>'
    )
