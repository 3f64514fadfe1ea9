"""Carry a claim's quote selector from one revision of a text to the next, and say how sure we are.

The order is the one Hypothesis and the annotation literature recommend, with one rule added:
never a silent wrong anchor.

1. Map the claim's offsets through a diff of the two texts (diff-match-patch, which also finds
   the equal runs around a rewritten sentence, so an edit in place maps onto its new wording).
2. Gather other places the claim may have gone: every exact occurrence of the quote, the text
   between a surviving copy of its context (a paragraph moved far, then edited), and the places
   a stretch of the quote survives.
3. Verify each place against the stored quote and its 32 characters of context on each side,
   and compare the figures in it (3,000 against 5,000 is never "the same").
4. Decide: ANCHORED only when the best place is the quote, or nearly (similarity >= 0.8), its
   figures are unchanged, its context agrees, and no other place comes close. Where another
   place holds the quote too (a look-alike paragraph), two witnesses must agree: the diff's
   mapping, and either the context by a clear margin, or the exact words against look-alikes
   whose words changed, or a stretch the diff keeps equal around the quote and its whole
   context. Otherwise it is CHANGED: a person confirms. CHANGED also when a place verifies by
   its context or most of its wording but the words or figures differ. ORPHANED when no place
   verifies: the nearest candidate is offered, never taken.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from difflib import SequenceMatcher

from diff_match_patch import diff_match_patch

from app.domain.revisions import Anchor

CONTEXT_CHARS = 32
SAME = 0.8  # quote similarity at or above which the wording counts as "the same, or nearly"
CONTEXT_OK = 0.6  # context similarity at which a place verifies by what surrounds it
CONTEXT_FLOOR = 0.35  # below this the surroundings disagree: even an exact quote is not trusted alone
MARGIN = 0.12  # how far the best place must beat the runner-up elsewhere to be taken unasked
SUGGEST = 0.45  # an orphan's nearest candidate is offered from this quote similarity up
_SEED = 12  # characters of quote or context used to find where text went
_MAX_HITS = 25  # occurrences of one seed looked at (a seed found more often tells nothing)

__all__ = ["Anchor", "Candidate", "Carrier", "Placement", "Selector", "carry", "changed_spans", "figures", "similarity"]


@dataclass(frozen=True, slots=True)
class Selector:
    """What a claim remembers of its place: the exact quote, the text on each side, its offsets."""

    quote: str
    prefix: str
    suffix: str
    start: int
    end: int

    @classmethod
    def of(cls, text: str, start: int, end: int) -> Selector:
        return cls(text[start:end], text[max(0, start - CONTEXT_CHARS) : start], text[end : end + CONTEXT_CHARS],
                   start, end)


@dataclass(frozen=True, slots=True)
class Candidate:
    """A place in the new text, scored against the selector."""

    start: int
    end: int
    text: str
    quote_similarity: float
    context_similarity: float
    figures_same: bool
    how: str
    best_side: float = 0.0  # the better of the two sides' similarity: one side intact is evidence too  # "mapped", "exact", "context", "fuzzy": which search found it

    @property
    def score(self) -> float:
        return 0.5 * self.quote_similarity + 0.5 * self.context_similarity


@dataclass(frozen=True, slots=True)
class Placement:
    """The outcome for one claim. `start`/`end`: the new span (ANCHORED), the span to confirm
    (CHANGED), or the nearest suggestion (ORPHANED; None when nothing came close)."""

    state: Anchor
    start: int | None
    end: int | None
    similarity: float
    reason: str
    candidate: Candidate | None = None


_NUMBER = re.compile(r"\d+(?:[ \u00a0\u202f,.]\d{3})*(?:[.,]\d+)?")
_SMALL = ("zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten", "eleven", "twelve",
          "thirteen", "fourteen", "fifteen", "sixteen", "seventeen", "eighteen", "nineteen", "twenty")
_NUMBER_WORDS: dict[str, float] = {w: i for i, w in enumerate(_SMALL)} | {
    "thirty": 30, "forty": 40, "fifty": 50, "hundred": 100, "thousand": 1000, "million": 10**6,
    "billion": 10**9, "half": 0.5, "twice": 2, "double": 2, "triple": 3, "dozen": 12,
}
_WORD = re.compile(r"\w+")


def figures(text: str) -> list[str]:
    """The figures a text states, digits with their separators removed, and number words:
    what must not change for a claim to count as the same claim."""
    found = [re.sub(r"[ \u00a0\u202f,.]", "", m.group()) for m in _NUMBER.finditer(text)]
    found += [str(_NUMBER_WORDS[w]) for w in _WORD.findall(text.lower()) if w in _NUMBER_WORDS]
    return sorted(found)


def similarity(a: str, b: str) -> float:
    if a == b:
        return 1.0
    if not a or not b:
        return 0.0
    return SequenceMatcher(None, a, b, autojunk=False).ratio()


class Carrier:
    """One diff of two revisions, used to place any number of claims."""

    def __init__(self, old: str, new: str, timeout: float = 2.0) -> None:
        self.old, self.new = old, new
        dmp = diff_match_patch()
        dmp.Diff_Timeout = timeout
        diffs = dmp.diff_main(old, new, False)
        dmp.diff_cleanupSemantic(diffs)
        self._dmp, self._diffs = dmp, diffs

    def map(self, offset: int) -> int:
        """An offset in the old text, carried into the new one through the diff."""
        return int(self._dmp.diff_xIndex(self._diffs, offset))

    def place(self, selector: Selector) -> Placement:
        candidates = self._candidates(selector)
        if not candidates:
            return Placement(Anchor.ORPHANED, None, None, 0.0, "no place in this revision resembles it")
        ranked = sorted(candidates, key=lambda c: (c.score, c.how == "mapped", -c.start), reverse=True)
        # Among spans over the same place, the one closest to the quote: a word inserted right
        # before the claim belongs to the text around it, not to the claim.
        best = max((c for c in ranked if _overlap(c, ranked[0])), key=lambda c: (c.quote_similarity, c.score))
        mapped = [c for c in candidates if c.how == "mapped"]
        # Look-alikes: other places that hold the quote, or nearly.
        rivals = [c for c in ranked if not _overlap(c, best) and c.quote_similarity >= SAME]
        if rivals:
            # Two witnesses must agree: the context, by a clear margin, and the diff's mapping.
            by_diff = any(_overlap(c, best) for c in mapped)
            by_context = best.context_similarity - max(r.context_similarity for r in rivals) >= MARGIN
            # The exact quote, where the diff puts it, against look-alikes whose wording changed and
            # whose context is no better: the words themselves tell them apart.
            by_words = best.text == selector.quote and all(
                r.text != selector.quote and r.context_similarity <= best.context_similarity for r in rivals
            )
            # Untouched: the quote and its whole context lie in a stretch the diff says is equal,
            # and it is still there, word for word. Copies elsewhere (old or new) change nothing.
            untouched = (best.how == "mapped" and best.text == selector.quote and best.context_similarity == 1.0
                         and self._unchanged(selector.start - len(selector.prefix), selector.end + len(selector.suffix)))
            clear = by_diff and (by_context or by_words or untouched)
        else:
            clear = True
        verified_here = best.context_similarity >= CONTEXT_OK or best.best_side >= 0.9 or self._unique(selector, best)
        if (best.quote_similarity >= SAME and best.figures_same and clear and verified_here
                and best.context_similarity >= CONTEXT_FLOOR or (not rivals and self._unique(selector, best))):
            why = "same text" if best.text == selector.quote else f"nearly the same text ({best.quote_similarity:.2f})"
            return Placement(Anchor.ANCHORED, best.start, best.end, best.quote_similarity, why, best)
        if rivals and best.quote_similarity >= SAME and best.figures_same:
            place = next((c for c in ranked if any(_overlap(c, m) for m in mapped) and c.quote_similarity >= SAME), best)
            return Placement(Anchor.CHANGED, place.start, place.end, place.quote_similarity,
                             "the quote fits more than one place; its context does not say which", place)
        verified = [c for c in ranked if c.context_similarity >= CONTEXT_OK or c.best_side >= 0.9
                    or c.quote_similarity >= SAME]
        if verified:
            top = verified[0]
            place = max((c for c in verified if _overlap(c, top)), key=lambda c: (c.quote_similarity, c.score))
            if not place.figures_same:
                why = "its figures changed"
            elif place.quote_similarity >= SAME:
                why = "the text around it changed: confirm its place"
            else:
                why = f"the wording changed ({place.quote_similarity:.2f} similar)"
            return Placement(Anchor.CHANGED, place.start, place.end, place.quote_similarity, why, place)
        near = ranked[0] if ranked[0].quote_similarity >= SUGGEST else None
        return Placement(
            Anchor.ORPHANED, near.start if near else None, near.end if near else None,
            near.quote_similarity if near else 0.0, "no place in this revision verifies", near,
        )

    def _unchanged(self, start: int, end: int) -> bool:
        """Does [start, end) of the old text lie inside one stretch the diff keeps as it was?"""
        at = 0
        for op, part in self._diffs:
            if op == 1:  # an insertion takes no room in the old text
                continue
            if op == 0 and at <= start and end <= at + len(part):
                return True
            at += len(part)
            if at > start:
                return False
        return False

    def _unique(self, selector: Selector, best: Candidate) -> bool:
        """An exact quote found once in each revision is itself the evidence of its place."""
        return (len(selector.quote) >= 20 and best.text == selector.quote and _count(self.old, selector.quote) == 1 and _count(self.new, selector.quote) == 1)

    # -- where the claim may have gone ----------------------------------------------------------

    def _candidates(self, sel: Selector) -> list[Candidate]:
        new, quote = self.new, sel.quote
        spans: dict[tuple[int, int], str] = {}

        def add(start: int, end: int, how: str) -> None:
            start, end = _trim(new, max(0, start), min(len(new), end))
            if end > start and (start, end) not in spans:
                spans[(start, end)] = how

        mapped_start, mapped_end = self.map(sel.start), self.map(sel.end)
        if mapped_end > mapped_start:
            add(mapped_start, mapped_end, "mapped")
            refined = _align(new, mapped_start, mapped_end, quote)
            if refined:
                add(*refined, "mapped")
        for hit in _find_all(new, quote):
            add(hit, hit + len(quote), "exact")
        # The context survived (a paragraph moved far, then edited): the claim lies between.
        head, tail = sel.prefix[-_SEED:], sel.suffix[:_SEED]
        befores = [h + len(head) for h in _find_all(new, head)] if len(head.strip()) >= 6 else []
        afters = list(_find_all(new, tail)) if len(tail.strip()) >= 6 else []
        reach = 2 * len(quote) + 40
        for b in befores:
            closing = [a for a in afters if 0 < a - b <= reach]
            if closing:
                add(b, closing[0], "context")
            else:
                found = _align(new, b, b + len(quote), quote)
                if found:
                    add(*found, "context")
        for a in afters:
            if not any(0 < a - b <= reach for b in befores):
                found = _align(new, a - len(quote), a, quote)
                if found:
                    add(*found, "context")
        # A stretch of the quote survived.
        if len(quote) >= 2 * _SEED:
            for seed, shift in ((quote[:_SEED], 0), (quote[-_SEED:], len(quote) - _SEED)):
                for hit in _find_all(new, seed):
                    found = _align(new, hit - shift, hit - shift + len(quote), quote)
                    if found:
                        add(*found, "fuzzy")
        return [self._score(sel, start, end, how) for (start, end), how in spans.items()]

    def _score(self, sel: Selector, start: int, end: int, how: str) -> Candidate:
        text = self.new[start:end]
        prefix = self.new[max(0, start - len(sel.prefix)) : start] if sel.prefix else ""
        suffix = self.new[end : end + len(sel.suffix)] if sel.suffix else ""
        sides = []
        if sel.prefix or start == 0:
            sides.append(1.0 if not sel.prefix else similarity(sel.prefix, prefix))
        if sel.suffix or end == len(self.new):
            sides.append(1.0 if not sel.suffix else similarity(sel.suffix, suffix))
        context = sum(sides) / len(sides) if sides else 0.0
        return Candidate(start, end, text, similarity(sel.quote, text), context, figures(sel.quote) == figures(text), how,
                         max(sides, default=0.0))


def carry(old: str, new: str, selectors: Iterable[Selector]) -> list[Placement]:
    """Place every selector of the old text in the new one."""
    carrier = Carrier(old, new)
    return [carrier.place(s) for s in selectors]


def _overlap(a: Candidate, b: Candidate) -> bool:
    return a.start < b.end and b.start < a.end


def _count(text: str, quote: str) -> int:
    return sum(1 for _ in _find_all(text, quote, limit=3))


def _find_all(text: str, needle: str, limit: int = _MAX_HITS) -> Iterable[int]:
    if not needle:
        return
    found, at = 0, text.find(needle)
    while at >= 0 and found < limit:
        yield at
        found += 1
        at = text.find(needle, at + 1)


def _trim(text: str, start: int, end: int) -> tuple[int, int]:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return start, end


def _align(text: str, start: int, end: int, quote: str) -> tuple[int, int] | None:
    """The stretch near [start, end) that lines up best with the quote, snapped to whole words."""
    pad = max(20, len(quote) // 2)
    lo, hi = max(0, start - pad), min(len(text), end + pad)
    window = text[lo:hi]
    if not window or not quote:
        return None
    blocks = [b for b in SequenceMatcher(None, quote, window, autojunk=False).get_matching_blocks() if b.size >= 4]
    if not blocks or sum(b.size for b in blocks) < 0.4 * len(quote):
        return None
    first, last = blocks[0], blocks[-1]
    s = lo + max(0, first.b - first.a)
    e = lo + min(len(window), last.b + last.size + (len(quote) - last.a - last.size))
    return _snap(text, s, e)


def _snap(text: str, start: int, end: int) -> tuple[int, int]:
    """Out to whole words: a span never starts or ends inside a word."""
    while 0 < start < len(text) and text[start - 1].isalnum() and text[start].isalnum():
        start -= 1
    while 0 < end < len(text) and text[end - 1].isalnum() and text[end].isalnum():
        end += 1
    return start, end


_TOKEN = re.compile(r"\w+|\s+|[^\w\s]")


def changed_spans(old: str, new: str) -> Sequence[tuple[str, str]]:
    """The two texts as runs of ("equal" | "delete" | "insert", text), word by word, for a diff
    view: each word is diffed as one symbol (diff-match-patch's lines-to-chars technique, on words),
    so "3 000" -> "5 000" reads as a word replaced, not as scattered letters."""
    dmp = diff_match_patch()
    dmp.Diff_Timeout = 2.0
    vocabulary: dict[str, str] = {}
    words: list[str] = []

    def encode(text: str) -> str | None:
        out = []
        for token in _TOKEN.findall(text):
            code = vocabulary.get(token)
            if code is None:
                if len(words) >= 0xD000:  # below the surrogates: past that, letters will do
                    return None
                code = vocabulary[token] = chr(len(words) + 1)
                words.append(token)
            out.append(code)
        return "".join(out)

    old_codes, new_codes = encode(old), encode(new)
    if old_codes is None or new_codes is None:
        diffs = dmp.diff_main(old, new, False)
        dmp.diff_cleanupSemantic(diffs)
    else:
        diffs = [(op, "".join(words[ord(c) - 1] for c in part)) for op, part in dmp.diff_main(old_codes, new_codes, False)]
    names = {0: "equal", -1: "delete", 1: "insert"}
    return [(names[op], part) for op, part in diffs]
