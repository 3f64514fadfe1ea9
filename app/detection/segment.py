"""Sentences and clauses with their offsets, for English, French and Russian text."""

from __future__ import annotations

import re


def _words(text: str) -> frozenset[str]:
    return frozenset(text.split())


# Words that end with a full stop without ending the sentence.
_ABBREVIATIONS = _words(
    """st mr mrs ms dr prof gen col lt sgt capt cmdr adm gov sen rep pres jr sr no nos vs etc fig
    inc ltd co corp dept univ approx est jan feb mar apr jun jul aug sep sept oct nov dec mt ft
    mme mlle mm me m art al ca cf ibid vol pp p ch sec
    г гг т е им ул см др пр тыс млн млрд руб ст"""
)

# A sentence ends at . ! ? … (with closing quotes or brackets) before white space, or at a line end.
# It takes the white space after the stop along, and notes the first character after it.
_END = re.compile(r"[.!?…]+[\"'»”’)\]]*(?P<gap>\s+(?=(?P<next>\S))|\s*\Z)|\n\s*")

# Clause boundaries inside a sentence: semicolons, a spaced French colon, and the conjunctions that
# start a new statement. Commas alone are not boundaries: lists and appositions stay together.
# Matched against the lower-cased text: a case-insensitive pattern costs ten times as much.
_CONJUNCTIONS = (
    "but",
    "whereas",
    "while",
    "although",
    "mais",
    "alors que",
    "tandis que",
    "но",
    "однако",
    "а также",
)
_AFTER_COMMA = (
    r",\s+(?:which|who|qui|lequel|laquelle|который|которая|которое|которые)\s+"
    # ", soit 112 % du PIB" restates a figure another way: a second claim, checked separately.
    r"|,\s+(?:soit|i\.\s?e\.|that is|то есть)\s+"
    # ", and last month …" starts a new statement; ", and Belarus" goes on with a list (the case of
    # the next letter is read from the original text).
    r"|,\s+(?P<list_and>and|et|и)\s+(?=[a-zà-ÿа-яё])"
)
_CLAUSE_BREAK = re.compile(
    r";\s+|(?<=\s):\s|,?\s+(?:" + "|".join(_CONJUNCTIONS) + r")\s+|" + _AFTER_COMMA
)
_ANY_CONJUNCTION = re.compile("|".join(_CONJUNCTIONS))
# The same without a bare conjunction: every alternative then starts with ; : or a comma, which
# the regex engine skips to directly instead of trying each word at every space.
_PUNCT_BREAK = re.compile(
    r";\s+|(?<=\s):\s|,\s+(?:" + "|".join(_CONJUNCTIONS) + r")\s+|" + _AFTER_COMMA
)


def sentences(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """(start, end) of each sentence in text[start:end], trimmed of white space."""
    out: list[tuple[int, int]] = []
    while start < end and text[start].isspace():
        start += 1
    pos = start
    for m in _END.finditer(text, start, end):
        stop = m.start()
        if text[stop] == "\n":
            cut = stop
            while cut > pos and text[cut - 1].isspace():
                cut -= 1
        else:
            # The next sentence starts with a capital, a digit, a quote or a bracket; a lower-case
            # word after the stop settles most cases without reading the word before.
            nxt = m.group("next")
            if nxt and not (nxt.isupper() or nxt.isdigit() or nxt in _OPENERS):
                continue
            # A word longer than any abbreviation, seen in C, settles most of the rest.
            if (
                text[stop] == "."
                and not _long_word_before(text, stop)
                and _abbreviation_before(text, stop)
            ):
                continue
            cut = m.start("gap")
        if cut > pos:
            out.append((pos, cut))
        pos = m.end()
    cut = end
    while cut > pos and text[cut - 1].isspace():
        cut -= 1
    if cut > pos:
        out.append((pos, cut))
    return out


_OPENERS = frozenset("\"'«“‘([¿¡—–-")
_LONGEST_ABBREVIATION = max(map(len, _ABBREVIATIONS))


def _long_word_before(text: str, dot: int) -> bool:
    """Whether more letters than any abbreviation has stand before this full stop (seen in C)."""
    start = dot - _LONGEST_ABBREVIATION - 1
    return start >= 0 and text[start:dot].isalpha()


def _abbreviation_before(text: str, dot: int) -> bool:
    """Whether the word before this full stop is an abbreviation or an initial ("U.N.", "Р.")."""
    k = dot
    while (
        k > 0 and dot - k <= _LONGEST_ABBREVIATION and (text[k - 1].isalnum() or text[k - 1] == "_")
    ):
        k -= 1
    word = text[k:dot]
    return bool(word) and (word.lower() in _ABBREVIATIONS or (len(word) == 1 and word.isalpha()))


def clauses(text: str, lowered: str, start: int, end: int) -> list[tuple[int, int]]:
    """The clauses of one sentence. A parenthesis is a clause of its own (its brackets left out),
    and the sentence around it is split as if it were not there. `lowered` is text.lower(), of
    the same length."""
    if lowered.find("(", start, end) < 0:
        return _split(text, lowered, start, end, 0)
    inner: list[tuple[int, int]] = []
    masked = list(lowered[start:end])
    depth, opened = 0, 0
    for i, ch in enumerate(masked):
        if ch == "(":
            if depth == 0:
                opened = i
            depth += 1
        elif ch == ")" and depth:
            depth -= 1
            if depth == 0:
                inner.extend(_split(text, lowered, start + opened + 1, start + i, 0))
                for j in range(opened, i + 1):
                    masked[j] = " "
    outer = "".join(masked)
    result = inner + [(start + s, start + e) for s, e in _split(text, outer, 0, len(outer), start)]
    return sorted(result)


def _split(text: str, low: str, start: int, end: int, shift: int) -> list[tuple[int, int]]:
    """Clauses of low[start:end], where low[i] is text[shift + i] lower-cased or masked out."""
    parts: list[tuple[int, int]] = []
    pos = start
    breaks = _CLAUSE_BREAK if _ANY_CONJUNCTION.search(low, start, end) else _PUNCT_BREAK
    for m in breaks.finditer(low, start, end):
        if m.group("list_and") and not text[shift + m.end()].islower():
            continue
        parts.extend(_gaps(low, pos, m.start()))
        word = m.group().lstrip(" ,")
        # A relative clause keeps its pronoun ("which is the exact copy of …"); a conjunction goes.
        pos = m.end() - len(word) if word.startswith(_RELATIVE) else m.end()
    parts.extend(_gaps(low, pos, end))
    return parts


_RELATIVE = ("which", "who", "qui", "lequel", "laquelle", "котор")


def _gaps(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """The clause text[start:end] trimmed of white space and stray punctuation, or nothing."""
    piece = text[start:end]
    head = piece.lstrip()
    head = head.lstrip(_EDGE)
    core = head.rstrip().rstrip(_EDGE)
    if not core:
        return []
    s = start + len(piece) - len(head)
    return [(s, s + len(core))]


_EDGE = ",.;:—–- "


# Where a question can start inside one sentence: after a stop the sentence splitter passed over
# ("… in the U.S. Why did …?"), a semicolon, or a comma before a question word ("…, so why are
# they complaining?", "…, didn't we?").
_QUESTION_WORDS = _words(
    """why what how is are was were do does did can could will would should shall has have had
    isn't aren't wasn't weren't don't doesn't didn't can't won't wouldn't shouldn't haven't
    hasn't right pourquoi comment combien est-ce n'est-ce qu'est-ce почему зачем разве неужели"""
)
# Words that open a question at its start; "who", "which", "when", "where" only there or after a
# conjunction, as after a bare comma they open a relative clause ("…, which runs 1,200 clinics").
_OPENING_WORDS = _QUESTION_WORDS | _words(
    """who whom whose which when where if quand où qui que quel quelle quels quelles кто что как
    когда где сколько какой какая какие ли"""
)
_CONJ = r"(?:(?:so|and|but|then|or|yet|et|mais|donc|а|и|но)\s+)"


def _alternatives(words: frozenset[str]) -> str:
    return "|".join(re.escape(w) for w in sorted(words, key=len, reverse=True))


_QUESTION_CUT = re.compile(
    r"(?P<stop>[.!?…]+[\"'»”’)\]]*)\s+|;\s+|,\s+(?="
    + f"{_CONJ}(?:{_alternatives(_OPENING_WORDS)})\\b|(?:{_alternatives(_QUESTION_WORDS)})\\b)"
)
_FIRST_WORD = re.compile(r"[\s\"'«“‘(\[¿¡—–-]*" + _CONJ + r"?([\w'’-]+)")
_PRONOUNS = _words("il elle on ils elles vous nous tu je")


def question_start(lowered: str, start: int, end: int) -> int:
    """Where the question ends what the sentence lowered[start:end] states: start if the
    sentence is a question from its first word; else the end of the statement before it
    ("Unemployment fell to 3.1% in the U.S. Why …?", "We cut taxes by $2 billion, so why …?")."""
    if _asks(lowered, start):
        return start
    cut = start
    for m in _QUESTION_CUT.finditer(lowered, start, end):
        cut = m.end("stop") if m.group("stop") else m.start()
        while cut > start and lowered[cut - 1].isspace():  # "2023 ; est-ce …": the French space
            cut -= 1
        if _asks(lowered, m.end()):
            return cut
    return cut  # the last piece asks, in the voice of a statement ("…, in May?")


def _asks(lowered: str, at: int) -> bool:
    m = _FIRST_WORD.match(lowered, at)
    if not m:
        return False
    word = m.group(1).replace("’", "'")
    # French inversion: "va-t-il", "est-elle", "peut-on"
    return word in _OPENING_WORDS or ("-" in word and word.rpartition("-")[2] in _PRONOUNS)
