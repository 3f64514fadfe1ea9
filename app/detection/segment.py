"""Sentences and clauses with their offsets, for English, French and Russian text."""

from __future__ import annotations

import re
from collections.abc import Iterator

# Words that end with a full stop without ending the sentence.
_ABBREVIATIONS = frozenset(
    """st mr mrs ms dr prof gen col lt sgt capt cmdr adm gov sen rep pres jr sr no nos vs etc fig
    inc ltd co corp dept univ approx est jan feb mar apr jun jul aug sep sept oct nov dec mt ft
    mme mlle mm me m art al ca cf ibid vol pp p ch sec""".split()
) | frozenset(["г", "гг", "т", "е", "им", "ул", "см", "др", "пр", "тыс", "млн", "млрд", "руб", "ст"])

# A sentence ends at . ! ? … (with closing quotes or brackets) before white space, or at a line end.
_END = re.compile(r"(?:[.!?…]+[\"'»”’)\]]*)(?=\s)|\n+")
_WORD_BEFORE = re.compile(r"(\w+)\.$")
_INITIALS = re.compile(r"(?:\b[^\W\d_]\.)+$")  # "U.N.", "R.", but not "article 4."

# Clause boundaries inside a sentence: semicolons, a spaced French colon, and the conjunctions that
# start a new statement. Commas alone are not boundaries: lists and appositions stay together.
_CLAUSE_BREAK = re.compile(
    r";\s+|\s:\s|,?\s+(?:but|whereas|while|although|mais|alors que|tandis que|но|однако|а также)\s+"
    r"|,\s+(?:which|who|qui|lequel|laquelle|который|которая|которое|которые)\s+"
    # ", and last month …" starts a new statement; ", and Belarus" goes on with a list.
    r"|,\s+(?:and|et|и)\s+(?-i:(?=[a-zà-ÿа-яё]))",
    re.IGNORECASE,
)


def sentences(text: str, start: int, end: int) -> Iterator[tuple[int, int]]:
    """(start, end) of each sentence in text[start:end], trimmed of white space."""
    pos = start
    for m in _END.finditer(text, start, end):
        if m.group().startswith("\n") or _ends_sentence(text, m.start(), m.end(), end):
            yield from _trimmed(text, pos, m.end() if not m.group().startswith("\n") else m.start())
            pos = m.end()
    yield from _trimmed(text, pos, end)


def _ends_sentence(text: str, dot: int, after: int, end: int) -> bool:
    if text[dot] == ".":
        before = text[max(0, dot - 12) : dot + 1]
        word = _WORD_BEFORE.search(before)
        if word and (word.group(1).lower() in _ABBREVIATIONS or _INITIALS.search(before)):
            return False
    # The next sentence starts with a capital, a digit, a quote or a bracket.
    nxt = after
    while nxt < end and text[nxt].isspace():
        nxt += 1
    if nxt >= end:
        return True
    ch = text[nxt]
    return ch.isupper() or ch.isdigit() or ch in "\"'«“‘([¿¡—–-"


def _trimmed(text: str, start: int, end: int) -> Iterator[tuple[int, int]]:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    if end > start:
        yield start, end


def clauses(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """The clauses of one sentence. A parenthesis is a clause of its own (its brackets left out),
    and the sentence around it is split as if it were not there."""
    if text.find("(", start, end) < 0:
        return _split(text, start, end)
    inner: list[tuple[int, int]] = []
    masked = list(text[start:end])
    depth, opened = 0, 0
    for i, ch in enumerate(masked):
        if ch == "(":
            if depth == 0:
                opened = i
            depth += 1
        elif ch == ")" and depth:
            depth -= 1
            if depth == 0:
                inner.extend(_split(text, start + opened + 1, start + i))
                for j in range(opened, i + 1):
                    masked[j] = " "
    outer = "".join(masked)
    result = inner + [(start + s, start + e) for s, e in _split(outer, 0, len(outer))]
    return sorted(result)


def _split(text: str, start: int, end: int) -> list[tuple[int, int]]:
    parts, pos = [], start
    for m in _CLAUSE_BREAK.finditer(text, start, end):
        parts.extend(_gaps(text, pos, m.start()))
        word = m.group().lstrip(" ,")
        # A relative clause keeps its pronoun ("which is the exact copy of …"); a conjunction goes.
        pos = m.end() - len(word) if word.lower().startswith(_RELATIVE) else m.end()
    parts.extend(_gaps(text, pos, end))
    return parts


_RELATIVE = ("which", "who", "qui", "lequel", "laquelle", "котор")


def _gaps(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """A clause trimmed of spaces and stray punctuation at both ends; runs of blanks split it."""
    out = []
    for s, e in _trimmed(text, start, end):
        while s < e and text[s] in ",.;:—–- ":
            s += 1
        while e > s and text[e - 1] in ",;:—–-. ":
            e -= 1
        if e > s:
            out.append((s, e))
    return out
