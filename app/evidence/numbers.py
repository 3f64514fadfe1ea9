"""Figures in a claim and in a source's quoted passage, read and set against each other.

Number words go through well-kept parsers first: number-parser for English and Russian
("three thousand", "тысяча девятьсот"), text2num for French ("trois mille"). Then one pass
reads digits ("3 000", "3,000", "1,5 %"), scale words ("3 million", "3 тыс."), qualifiers
("more than", "plus de", "около"), ranges ("2,000–3,000", "entre 2 et 3 millions") and years.

A disagreement is a hint for the fact-checker, never a verdict.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from enum import StrEnum

MINUS = "\u2212"


class Qualifier(StrEnum):
    EXACT = ""
    MORE = "more"  # strictly more than
    AT_LEAST = "at_least"
    LESS = "less"
    AT_MOST = "at_most"  # up to
    ABOUT = "about"

    @property
    def words(self) -> str:
        return _QUALIFIER_WORDS[self]


_QUALIFIER_WORDS = {
    Qualifier.EXACT: "", Qualifier.MORE: "more than", Qualifier.AT_LEAST: "at least",
    Qualifier.LESS: "less than", Qualifier.AT_MOST: "up to", Qualifier.ABOUT: "about",
}

# Longest phrases first: "no more than" before "more than" before "more".
_QUALIFIERS: list[tuple[str, Qualifier]] = sorted(
    [
        # English
        ("more than", Qualifier.MORE), ("over", Qualifier.MORE), ("more", Qualifier.MORE),
        ("in excess of", Qualifier.MORE), ("upwards of", Qualifier.MORE), ("above", Qualifier.MORE),
        ("at least", Qualifier.AT_LEAST), ("no fewer than", Qualifier.AT_LEAST), ("no less than", Qualifier.AT_LEAST),
        ("not less than", Qualifier.AT_LEAST),
        ("less than", Qualifier.LESS), ("fewer than", Qualifier.LESS), ("under", Qualifier.LESS),
        ("below", Qualifier.LESS),
        ("up to", Qualifier.AT_MOST), ("at most", Qualifier.AT_MOST), ("no more than", Qualifier.AT_MOST),
        ("as many as", Qualifier.AT_MOST), ("not more than", Qualifier.AT_MOST),
        ("about", Qualifier.ABOUT), ("around", Qualifier.ABOUT), ("approximately", Qualifier.ABOUT),
        ("roughly", Qualifier.ABOUT), ("some", Qualifier.ABOUT), ("nearly", Qualifier.ABOUT),
        ("almost", Qualifier.ABOUT), ("close to", Qualifier.ABOUT), ("an estimated", Qualifier.ABOUT),
        ("approx.", Qualifier.ABOUT), ("circa", Qualifier.ABOUT), ("c.", Qualifier.ABOUT),
        # French
        ("plus de", Qualifier.MORE), ("plus d'", Qualifier.MORE), ("plus d’", Qualifier.MORE),
        ("au-delà de", Qualifier.MORE),
        ("au moins", Qualifier.AT_LEAST), ("pas moins de", Qualifier.AT_LEAST),
        ("moins de", Qualifier.LESS), ("moins d'", Qualifier.LESS), ("moins d’", Qualifier.LESS),
        ("jusqu'à", Qualifier.AT_MOST), ("jusqu’à", Qualifier.AT_MOST), ("au plus", Qualifier.AT_MOST),
        ("pas plus de", Qualifier.AT_MOST),
        ("environ", Qualifier.ABOUT), ("près de", Qualifier.ABOUT), ("quelque", Qualifier.ABOUT),
        ("quelques", Qualifier.ABOUT), ("approximativement", Qualifier.ABOUT), ("presque", Qualifier.ABOUT),
        ("autour de", Qualifier.ABOUT), ("à peu près", Qualifier.ABOUT),
        # Russian
        ("более", Qualifier.MORE), ("больше", Qualifier.MORE), ("свыше", Qualifier.MORE), ("более чем", Qualifier.MORE),
        ("не менее", Qualifier.AT_LEAST), ("как минимум", Qualifier.AT_LEAST), ("минимум", Qualifier.AT_LEAST),
        ("менее", Qualifier.LESS), ("меньше", Qualifier.LESS),
        ("до", Qualifier.AT_MOST), ("не более", Qualifier.AT_MOST), ("вплоть до", Qualifier.AT_MOST),
        ("около", Qualifier.ABOUT), ("примерно", Qualifier.ABOUT), ("почти", Qualifier.ABOUT),
        ("порядка", Qualifier.ABOUT), ("приблизительно", Qualifier.ABOUT), ("ок.", Qualifier.ABOUT),
        ("почти что", Qualifier.ABOUT),
    ],
    key=lambda pair: -len(pair[0]),
)

_SPACE = "[ \u00a0\u202f\u2009]"
_NUM = (
    rf"\d{{1,3}}(?:{_SPACE}\d{{3}})+(?:[.,]\d+)?(?!\d)"  # 3 000, 1 900,5
    r"|\d{1,3}(?:,\d{3})+(?:\.\d+)?(?![\d,])"  # 3,000 (or French 1,500 = 1.5: see _value)
    r"|\d{1,3}(?:\.\d{3})+(?:,\d+)?(?![\d.])"  # 3.000 (French, Russian)
    r"|\d+(?:[.,]\d+)?"
)
_SCALE = {
    "thousand": 1e3, "thousands": 1e3, "k": 1e3, "million": 1e6, "millions": 1e6, "m": 1e6, "mn": 1e6,
    "billion": 1e9, "billions": 1e9, "bn": 1e9,
    "mille": 1e3, "milliers": 1e3, "millier": 1e3, "milliard": 1e9, "milliards": 1e9, "md": 1e9, "mds": 1e9,
    "тысяча": 1e3, "тысячи": 1e3, "тысяч": 1e3, "тысячу": 1e3, "тыс": 1e3, "тыс.": 1e3,
    "миллион": 1e6, "миллиона": 1e6, "миллионов": 1e6, "млн": 1e6, "млн.": 1e6,
    "миллиард": 1e9, "миллиарда": 1e9, "миллиардов": 1e9, "млрд": 1e9, "млрд.": 1e9,
}
_SCALE_RE = "|".join(sorted((re.escape(k) for k in _SCALE), key=len, reverse=True))
_PERCENT = r"%|per\s?cent|pour\s?cent|процент(?:а|ов)?|проц\."
_RANGE_SEP = r"\s*(?:-|–|—|to|à|au|до|или|or|ou)\s*"
_FIGURE = re.compile(
    rf"(?:(?P<between>between|from|entre|de|от|из)\s+)?"
    rf"(?<![\w.,])(?P<n1>{_NUM})(?:\s*(?P<s1>{_SCALE_RE})(?![\w]))?"
    rf"(?:(?:{_RANGE_SEP}|\s+(?:and|et|и)\s+)(?P<n2>{_NUM})(?:\s*(?P<s2>{_SCALE_RE})(?![\w]))?)?"
    rf"(?:\s*(?P<pct>{_PERCENT}))?",
    re.IGNORECASE,
)
_SCALED = re.compile(rf"(?<![\w.,])({_NUM})\s*({_SCALE_RE})(?!\w)", re.IGNORECASE)
_TOKEN = re.compile(r"\s*([^\W\d_][\w’'-]*|\S)", re.UNICODE)
_WORD = re.compile(r"[^\W\d_][\w’'-]*", re.UNICODE)
_YEAR_BEFORE = re.compile(
    r"(?:\b(?:in|since|by|from|until|of|en|depuis|de|dès|в|с|до|к|году|year|année|an)|[(\[])\s*$", re.IGNORECASE
)
_REFERENCE_BEFORE = re.compile(
    r"(?:\b(?:article|art\.|resolutions?|résolutions?|статья|статьи|резолюци\w*|no\.|n°|№|s/res/|a/res/)|§)\s*$", re.I
)
_YEAR_AFTER = re.compile(r"^\s*(?:год\w*|г\.|[)\].;,:]|$)", re.IGNORECASE)
_STOP = {"of", "the", "de", "des", "d", "du", "la", "le", "les", "and", "et", "и", "a", "an", "from", "in", "on"}
# Words that name the same sort of people, across the three languages: "3,000 Russians" and
# "1,900 troops" are both counts of soldiers.
_PEOPLE = {
    "men", "troops", "soldiers", "personnel", "servicemen", "russians", "peacekeepers",
    "hommes", "soldats", "militaires", "troupes", "russes", "casques",
    "человек", "военнослужащих", "солдат", "военных", "миротворцев", "россиян", "военнослужащие",
}


_FRENCH_HINTS = {
    "de", "des", "les", "et", "le", "la", "du", "plus", "environ", "une", "sont", "à", "en", "mille", "cent", "cents",
    "deux", "trois", "quatre", "cinq", "sept", "huit", "neuf", "dix", "vingt", "trente", "quarante", "cinquante",
    "soixante", "hommes", "soldats", "millions", "milliards", "pour",
}


def language_of(text: str) -> str:
    """"ru", "fr" or "en": enough to pick a number-word parser and the decimal comma."""
    if re.search(r"[а-яё]", text, re.IGNORECASE):
        return "ru"
    words = re.findall(r"[a-zàâçéèêëîïôûùüÿœ']+", text.lower())
    french = sum(w in _FRENCH_HINTS for w in words)
    english = sum(w in {"the", "of", "and", "more", "than", "about", "were", "are", "in", "on", "is"} for w in words)
    return "fr" if french > english or re.search(r"[àâçéèêœ]", text.lower()) and french >= english else "en"


def words_to_digits(text: str, lang: str) -> str:
    """Number words as digits, by the language's parser: "trois mille" -> "3000"."""
    text = re.sub(r"\b(?:pour|per)\s?cent\b", "%", text, flags=re.IGNORECASE)  # not "cent" = 100
    text = re.sub(r"\b(?:un|une)\s+millier\b", "environ 1000", text, flags=re.IGNORECASE)
    text = re.sub(r"\b(?:un|une)\s+centaine\b", "environ 100", text, flags=re.IGNORECASE)
    # A figure with its scale word first ("3 тысяч", "1,5 млн", "2 million"): the word parsers
    # would read the scale word alone as a second number.
    text = _SCALED.sub(lambda m: _fmt_plain(_value(m.group(1), lang) * _SCALE[m.group(2).lower()]), text)
    if lang == "fr":
        from text_to_num import alpha2digit

        return str(alpha2digit(text, "fr"))
    from number_parser import parse

    return str(parse(text, language="ru" if lang == "ru" else "en"))


@dataclass(frozen=True, slots=True)
class Figure:
    """One figure read from a text: a value (or a range), how it is hedged, what it counts."""

    value: float
    high: float | None = None  # a range's upper end
    qualifier: Qualifier = Qualifier.EXACT
    unit: str = ""  # the words after it ("russians", "transport vehicles"), "%" for a share
    year: bool = False
    percent: bool = False
    text: str = ""

    @property
    def kind(self) -> str:
        return "year" if self.year else "percent" if self.percent else "count"

    @property
    def shown(self) -> str:
        """"more than 3,000", "1.5 %", "2,000–3,000", "1993"."""
        if self.year:
            return str(int(self.value))
        number = _fmt(self.value) + (f"–{_fmt(self.high)}" if self.high is not None else "")
        if self.percent:
            number += " %"
        return f"{self.qualifier.words} {number}".strip()

    @property
    def low(self) -> float:
        return self.value

    @property
    def top(self) -> float:
        return self.high if self.high is not None else self.value


def _fmt(value: float) -> str:
    if value == int(value):
        return f"{int(value):,}"
    return f"{value:,.2f}".rstrip("0").rstrip(".")


def _fmt_plain(value: float) -> str:
    return str(int(value)) if value == int(value) else str(value)


def _value(raw: str, lang: str) -> float:
    raw = re.sub(_SPACE, "", raw)
    if re.fullmatch(r"\d{1,3}(?:,\d{3})+(?:\.\d+)?", raw) and (lang == "en" or raw.count(",") > 1 or "." in raw):
        return float(raw.replace(",", ""))  # 3,000 in English
    if re.fullmatch(r"\d{1,3}(?:\.\d{3})+(?:,\d+)?", raw) and (lang != "en" or raw.count(".") > 1 or "," in raw):
        return float(raw.replace(".", "").replace(",", "."))  # 3.000 in French or Russian
    return float(raw.replace(",", "."))  # 1,5 and 1.5 alike


def _qualifier(before: str) -> Qualifier:
    tail = " ".join(before.lower().split()[-3:])
    for phrase, qualifier in _QUALIFIERS:
        if re.search(rf"(?:^|\s){re.escape(phrase)}\s*$", tail) or (phrase.endswith(("'", "’")) and tail.endswith(phrase)):
            return qualifier
    return Qualifier.EXACT


def _unit(after: str) -> str:
    """The one or two words after a figure, up to any punctuation: what it counts."""
    words: list[str] = []
    for m in _TOKEN.finditer(after[:60]):
        word = m.group(1).lower()
        if not _WORD.fullmatch(word) or (word in _STOP and words):
            break
        if word in _STOP:
            continue
        words.append(word)
        if len(words) == 2:
            break
    return " ".join(words)


def read_figures(text: str, lang: str | None = None) -> list[Figure]:
    """Every figure in the text, in order."""
    lang = lang or language_of(text)
    text = words_to_digits(text, lang)
    out: list[Figure] = []
    for m in _FIGURE.finditer(text):
        if m.group("n1") is None:
            continue
        n1, s1 = m.group("n1"), (m.group("s1") or "").lower()
        n2, s2 = m.group("n2"), (m.group("s2") or "").lower()
        if n2 is not None and not m.group("between") and re.match(r"\s+(?:and|et|и)\s+", text[m.end("n1") + len(m.group("s1") or "") :] if not s1 else text[m.end("s1") :]):
            # "90 transport vehicles and 88 units" never gets here (words between); "1 and 2" without
            # "between" is two figures, not a range: read the first alone.
            n2, s2 = None, ""
        low = _value(n1, lang) * _SCALE.get(s1, 1)
        high = _value(n2, lang) * _SCALE.get(s2, 1) if n2 is not None else None
        if high is not None and not s1 and s2:
            low *= _SCALE[s2]  # "2 to 3 million": the scale word covers both
        if high is not None and not s1 and not s2 and high >= 1000 and low < 10:
            scale = 1000 ** int(math.log(high, 1000) + 1e-9)  # "2 to 3 million", read "2 to 3000000"
            if high % scale == 0 and low * scale < high:
                low *= scale
        end = m.end("s2") if s2 else m.end("n2") if n2 is not None else m.end("s1") if s1 else m.end("n1")
        percent = bool(m.group("pct"))
        if percent:
            end = m.end("pct")
        before = text[: m.start("n1")]
        if m.group("between") and n2 is not None:
            before = text[: m.start()]
        qualifier = _qualifier(before)
        after = text[end:]
        raw = re.sub(_SPACE, "", n1)
        year = (
            not percent and high is None and not s1 and re.fullmatch(r"\d{4}", raw) is not None
            and 1800 <= int(raw) <= 2100 and qualifier is Qualifier.EXACT
            and (_YEAR_BEFORE.search(before[-20:]) is not None or _YEAR_AFTER.match(after) is not None)
        )
        if high is None and re.match(r"^\s*с\s+лишним", after):
            qualifier = Qualifier.MORE  # "три тысячи с лишним"
        if _REFERENCE_BEFORE.search(before[-30:]):
            continue  # "Article 5", "resolution 822": a name, not a figure
        if re.match(r"^\s*(?:-|–|—)?\s*(?:th|st|nd|rd|e|er|ème|ème|й|го)\b", after) and not year:
            continue  # an ordinal ("5th", "4e") is not a figure
        out.append(Figure(
            low, high, qualifier, "%" if percent else "" if year else _unit(after), year, percent,
            text[m.start() : end].strip(),
        ))
    return out


# -- setting a claim's figures against a source's ------------------------------------------------

@dataclass(frozen=True, slots=True)
class FigureCheck:
    """One figure of the claim against the source figure it is compared with."""

    claim: Figure
    source: Figure | None
    consistent: bool | None  # None: the source gives no comparable figure
    change: float | None = None  # (source - claim) / claim, for a hint like "−37 %"

    @property
    def mismatch(self) -> bool:
        return self.consistent is False

    @property
    def line(self) -> str:
        """"claim: more than 3,000; source: 1,900 (−37 %)"."""
        if self.source is None:
            return f"claim: {self.claim.shown}; source: no comparable figure"
        note = "matches" if self.consistent and not self.change else (
            f"{_signed(self.change)}, consistent" if self.consistent else _signed(self.change)
        )
        if self.claim.year:
            note = "same year" if self.consistent else "another year"
        return f"claim: {self.claim.shown}; source: {self.source.shown} ({note})"


def _signed(change: float | None) -> str:
    if change is None:
        return "differs"
    percent = round(change * 100)
    if percent == 0:
        return "±0 %"
    return f"{'+' if percent > 0 else MINUS}{abs(percent)} %"


def consistent(claim: Figure, source: Figure) -> bool:
    """Could the source's figure be what the claim states?"""
    if claim.year or source.year:
        return claim.year and source.year and claim.value == source.value
    tolerance = 0.10 if Qualifier.ABOUT in (claim.qualifier, source.qualifier) else 0.01
    lo, hi = source.low, source.top
    c_lo, c_hi = claim.low, claim.top
    q = claim.qualifier
    if q is Qualifier.MORE:
        return hi > c_lo
    if q is Qualifier.AT_LEAST:
        return hi >= c_lo
    if q is Qualifier.LESS:
        return lo < c_hi
    if q is Qualifier.AT_MOST:
        return lo <= c_hi
    return hi >= c_lo * (1 - tolerance) and lo <= c_hi * (1 + tolerance)


def _related(a: Figure, b: Figure) -> bool:
    """Do the two figures count the same sort of thing, judging by the words after them?"""
    if not a.unit or not b.unit:
        return False
    aw, bw = a.unit.split(), b.unit.split()
    if any(x[:5] == y[:5] for x in aw for y in bw):
        return True
    return bool(set(aw) & _PEOPLE and set(bw) & _PEOPLE)


def check_figures(claim: str, passage: str, lang: str | None = None) -> list[FigureCheck]:
    """Each figure of the claim against the passage's figure of the same sort (a year with a
    year, a share with a share, a count with the count of the same thing, else the first count)."""
    claim_figures = read_figures(claim, lang)
    source_figures = read_figures(passage, None if lang is None else language_of(passage))
    checks = []
    for figure in claim_figures:
        same_kind = [s for s in source_figures if s.kind == figure.kind]
        related = [s for s in same_kind if _related(figure, s)]
        if figure.kind == "count" and figure.value < 10 and figure.high is None and not related:
            continue  # "one of them", "two bases": not the figure a source is quoted for
        pick = related or same_kind
        if figure.year:
            pick = [s for s in same_kind if s.value == figure.value] or same_kind
        if not pick:
            checks.append(FigureCheck(figure, None, None))
            continue
        best = next((s for s in pick if consistent(figure, s)), pick[0])
        change = None if figure.year or not figure.value else (best.value - figure.value) / figure.value
        if best.high is not None and figure.high is None and figure.value:
            change = None
        checks.append(FigureCheck(figure, best, consistent(figure, best), change))
    return checks
