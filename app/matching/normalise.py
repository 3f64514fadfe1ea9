"""Text as the matcher compares it: one spelling, one way to write a number, one name per unit.

Two claims that say the same thing often differ only in how they write it: "3,000" or "3000"
or "3 thousand", "per cent" or "%", "defence" or "defense", "Zelenskyy" or "Zélenskyy". The
matcher indexes and queries the normalised form, so BM25 sees those as the same words.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

# British spellings that differ from American ones in words that turn up in claims; the
# regular -ise/-isation and -our endings are handled by _SUFFIXES below.
_SPELLING = {
    "defence": "defense", "offence": "offense", "licence": "license", "centre": "center",
    "centres": "centers", "metre": "meter", "metres": "meters", "litre": "liter", "litres": "liters",
    "programme": "program", "programmes": "programs", "cheque": "check", "tyre": "tire", "tyres": "tires",
    "grey": "gray", "aluminium": "aluminum", "paediatric": "pediatric", "anaemia": "anemia",
    "haemorrhage": "hemorrhage", "oestrogen": "estrogen", "foetus": "fetus", "manoeuvre": "maneuver",
    "travelled": "traveled", "travelling": "traveling", "cancelled": "canceled", "cancelling": "canceling",
    "labelled": "labeled", "modelling": "modeling", "fuelled": "fueled", "jewellery": "jewelry",
    "plough": "plow", "sceptic": "skeptic", "sceptical": "skeptical", "mum": "mom", "pyjamas": "pajamas",
    "kilometre": "kilometer", "kilometres": "kilometers", "theatre": "theater", "fibre": "fiber",
    "catalogue": "catalog", "dialogue": "dialog", "analogue": "analog", "enrolment": "enrollment",
    "judgement": "judgment", "ageing": "aging", "storey": "story", "kerb": "curb", "draught": "draft",
    "whilst": "while", "amongst": "among", "towards": "toward",
}
# Regular endings: organisation -> organization, colour -> color. Listed words only where a
# rule would damage others (hour, four, your, tour and pour end in -our too).
_SUFFIXES = (
    (re.compile(r"(?<=[a-z]{3})is(e|es|ed|ing|ation|ations|er|ers)$"), r"iz\1"),
    (re.compile(r"(?<=[a-z]{2})yse(s|d)?$"), r"yze\1"),
)
_OUR = re.compile(r"^(colo|favo|hono|labo|neighbo|behavio|harbo|humo|rumo|vigo|flavo|armo|endeavo|odo|vapo)ur(s|ed|ing|ite|ites|able|hood)?$")
# -ise words that are not -ize in American English either.
_KEEP_ISE = {
    "rise", "rises", "arise", "wise", "otherwise", "likewise", "precise", "concise", "premise", "promise",
    "promised", "promises", "exercise", "exercised", "advertise", "advertised", "advertising", "enterprise",
    "franchise", "surprise", "surprised", "surprising", "compromise", "compromised", "comprise", "comprised",
    "despise", "devise", "devised", "revise", "revised", "supervise", "supervised", "televise", "televised",
    "improvise", "disguise", "merchandise", "expertise", "noise", "poise", "praise", "praised", "raise",
    "raised", "raising", "cruise", "bruise", "chaise", "paradise", "treatise", "demise", "incise", "excise",
    "circumcise", "chastise", "guise", "anise", "mortise", "cerise", "reprise", "turquoise", "vise",
    "invise", "arising", "promising", "exercising", "devising", "revising", "supervising", "surmise", "apprise",
}

_UNITS = {
    "%": "percent", "pct": "percent", "percentage": "percent", "km": "kilometer", "kms": "kilometer",
    "kilometers": "kilometer", "mi": "mile", "miles": "mile", "kg": "kilogram", "kgs": "kilogram",
    "kilograms": "kilogram", "lb": "pound", "lbs": "pound", "pounds": "pound", "usd": "dollar", "dollars": "dollar",
    "$": "dollar", "£": "pound", "€": "euro", "euros": "euro", "yrs": "year", "years": "year", "hrs": "hour",
    "hours": "hour", "mph": "mile hour",
}
# Short scale words, read as such only right after a figure ("5m", "3 bn"; "MN" alone is Minnesota).
_AFTER_NUMBER = {"m": "million", "mn": "million", "mln": "million", "bn": "billion", "b": "billion", "k": "thousand"}
_SCALE = {"thousand": 1_000, "million": 1_000_000, "billion": 1_000_000_000, "trillion": 1_000_000_000_000}
_WORD_NUMBERS = {
    "zero": 0, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8,
    "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13, "fourteen": 14, "fifteen": 15,
    "sixteen": 16, "seventeen": 17, "eighteen": 18, "nineteen": 19, "twenty": 20, "thirty": 30, "forty": 40,
    "fifty": 50, "sixty": 60, "seventy": 70, "eighty": 80, "ninety": 90, "hundred": 100, "dozen": 12,
}

# A number as people write it: 3,000 / 3 000 / 3.5 / 1,5 (a decimal comma only before 1-2 digits).
_NUMBER = re.compile(r"(?<![\w.])(\d{1,3}(?:[,\u202f\u00a0 ]\d{3})+|\d+)(?:([.,])(\d{1,2})(?!\d))?(?![\w])")
_APOSTROPHE = re.compile(r"['’`´]")


def fold(text: str) -> str:
    """Lower case, accents dropped (é -> e), apostrophes gone ("don't" -> "dont")."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    plain = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return _APOSTROPHE.sub("", plain)


def _number(match: re.Match[str]) -> str:
    whole = re.sub(r"[,\u202f\u00a0 ]", "", match.group(1))
    if match.group(3):
        fraction = match.group(3).rstrip("0")
        return f" {whole}_{fraction} " if fraction else f" {whole} "
    return f" {whole} "


@lru_cache(maxsize=65536)
def word(token: str) -> str:
    """One token in its normal spelling and unit name."""
    if token in _UNITS:
        return _UNITS[token]
    if token in _SPELLING:
        return _SPELLING[token]
    if token.isdigit() or token in _KEEP_ISE:
        return token
    match = _OUR.match(token)
    if match:
        return f"{match.group(1)}r{match.group(2) or ''}"
    for pattern, replacement in _SUFFIXES:
        if pattern.search(token):
            return pattern.sub(replacement, token)
    return token


def _scaled(tokens: list[str]) -> list[str]:
    """"3 thousand", "three thousand", "3.5 million", "3k" -> one figure; "twenty" -> "20"."""
    out: list[str] = []
    for token in tokens:
        if token in _WORD_NUMBERS and token not in ("one",):
            token = str(_WORD_NUMBERS[token])
        if token in _AFTER_NUMBER and out and re.fullmatch(r"\d+(_\d+)?", out[-1]):
            token = _AFTER_NUMBER[token]
        if token in _SCALE and out and re.fullmatch(r"\d+(_\d+)?", out[-1]):
            whole, _, fraction = out[-1].partition("_")
            value = int(whole) * _SCALE[token] + (int(fraction) * _SCALE[token] // 10 ** len(fraction) if fraction else 0)
            out[-1] = str(value)
            continue
        out.append(token)
    return out


_LINK = re.compile(r"(?:https?://|www\.|pic\.twitter\.com/)\S*", re.IGNORECASE)
_TAG = re.compile(r"[#@]([A-Za-z0-9_]+)")
_CAMEL = re.compile(r"(?<=[a-z])(?=[A-Z])|(?<=[A-Z])(?=[A-Z][a-z])|(?<=[A-Za-z])(?=[0-9])|_")


def _tag(match: re.Match[str]) -> str:
    """#JeffreyEpstein -> "Jeffrey Epstein", @realDonaldTrump -> "real Donald Trump"."""
    return " " + _CAMEL.sub(" ", match.group(1)) + " "


def tokens(text: str) -> list[str]:
    """The normalised words of a text, in order. Links are dropped; hashtags and handles split
    into their words, as posts that repeat a claim often name its subject only that way."""
    folded = fold(_TAG.sub(_tag, _LINK.sub(" ", text)))
    folded = re.sub(r"(\d)\s*(k|m|bn|mn|%)\b", r"\1 \2", folded)  # 3k, 5m, 40% -> 3 k, 5 m, 40 %
    folded = folded.replace("per cent", "percent").replace("%", " % ")
    folded = _NUMBER.sub(_number, folded)
    raw = [word(t) for t in re.findall(r"[a-z0-9_]+|[%$£€]", folded)]
    split: list[str] = []
    for t in raw:
        split.extend(t.split())
    return _scaled(split)


def normalise(text: str) -> str:
    """The text as one string of normalised words (what the index stores and fuzzy matching compares)."""
    return " ".join(tokens(text))
