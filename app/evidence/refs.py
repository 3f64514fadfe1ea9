"""UN resolutions and treaty articles named in a claim, recognised and linked from shipped tables.

"Resolution 822 (1993)", "résolution 853", "резолюция 874", "S/RES/884 (1993)", and "four UN
Security Council resolutions adopted in 1993" (then the table's resolutions of that year about a
place the text names); "Article 5 of the North Atlantic Treaty", "article 4 of this treaty" (the
treaty named earlier in the context). Offline: the tables are resources/evidence/*.json.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from functools import cache
from typing import Any

from app import paths
from app.evidence.numbers import language_of, words_to_digits
from app.evidence.paragraph import context_before as context_before  # where it has always been found

UNDOCS = "https://undocs.org/"


@dataclass(frozen=True, slots=True)
class Reference:
    """A resolution or treaty article: what it is, its official link, and how it was recognised."""

    kind: str  # "resolution" or "article"
    key: str  # "S/RES/822(1993)", "nato:5"
    title: str  # "UN Security Council resolution 822 (1993)"
    url: str
    publisher: str
    summary: str = ""  # a resolution's gist (ours), or the article's treaty and year
    text: str = ""  # an article's text, where shipped
    original: str = ""  # the article in its original language, when the text is a translation
    text_note: str = ""
    licence: str = ""
    how: str = "named"  # "named": the text names it; "year": one of the resolutions of a year it counts

    @property
    def passage_label(self) -> str:
        return self.title


@dataclass(frozen=True, slots=True)
class Refs:
    references: tuple[Reference, ...]
    note: str = ""  # e.g. "The claim counts 4 resolutions of 1993; the table lists 4 …"


@cache
def _resolutions() -> tuple[dict[str, Any], ...]:
    data = json.loads((paths.resources_dir() / "evidence" / "resolutions.json").read_text("utf-8"))
    return tuple(data["resolutions"])


@cache
def _treaties() -> tuple[dict[str, Any], ...]:
    data = json.loads((paths.resources_dir() / "evidence" / "treaties.json").read_text("utf-8"))
    return tuple(data["treaties"])


def tables_about() -> dict[str, str]:
    """Where the shipped tables come from, as the tables themselves say."""
    out = {}
    for name in ("resolutions", "treaties"):
        out[name] = json.loads((paths.resources_dir() / "evidence" / f"{name}.json").read_text("utf-8"))["about"]
    return out


_RES_WORD = r"(?:resolutions?|résolutions?|резолюци[яиюейям]{1,3})"
_SC = re.compile(r"security council|conseil de sécurité|совет\w* безопасности|\bunsc\b|\bcsnu\b|\bсб оон\b", re.I)
_GA = re.compile(r"general assembly|assemblée générale|генеральн\w+ ассамбле\w+|\bunga\b", re.I)
_SYMBOL = re.compile(r"\b(S|A)/RES/((?:ES-\d+/)?\d+(?:/\d+)?)\s*(?:\((\d{4}|[IVXL]+)\))?", re.I)
_NAMED = re.compile(
    rf"{_RES_WORD}\s+(?:(?:no\.?|n°|№|nos\.?|numbers?)\s*)?"
    r"((?:ES-\d+/)?\d{1,4}(?:/\d{1,4})?(?:\s*\(\d{4}\))?(?:\s*(?:,|and|et|и|&)\s*(?:ES-\d+/)?\d{1,4}(?:/\d{1,4})?(?:\s*\(\d{4}\))?)*)",
    re.I,
)
_ONE = re.compile(r"((?:ES-\d+/)?\d{1,4}(?:/\d{1,4})?)(?:\s*\((\d{4})\))?")
_COUNTED = re.compile(
    rf"(\d+)\s+(?:[\w-]+\s+){{0,4}}?{_RES_WORD}(?:\s+\S+){{0,6}}?\s+(?:in|of|en|de|в|от)\s+(\d{{4}})", re.I
)
_YEAR_ONLY = re.compile(rf"{_RES_WORD}(?:\s+\S+){{0,6}}?\s+(?:in|of|en|de|в|от)\s+(\d{{4}})", re.I)


def _resolution_ref(entry: dict[str, Any], how: str = "named") -> Reference:
    body = "Security Council" if entry["body"] == "SC" else "General Assembly"
    number = entry["number"] + (f" ({entry['year']})" if entry["body"] == "SC" else "")
    return Reference(
        "resolution", entry["symbol"], f"UN {body} resolution {number}", UNDOCS + entry["symbol"], "United Nations",
        summary=f"{entry['date']}: {entry['subject']}. {entry['gist']}", how=how,
    )


def _unknown_resolution(body: str, number: str, year: str | None) -> Reference | None:
    """A resolution the table does not hold: still linked when its symbol is certain."""
    if body == "SC" and year:
        symbol = f"S/RES/{number}({year})"
        return Reference("resolution", symbol, f"UN Security Council resolution {number} ({year})", UNDOCS + symbol,
                         "United Nations", summary="Not in Claimdesk's table: check the document.")
    if body == "GA" and "/" in number:
        symbol = f"A/RES/{number}"
        return Reference("resolution", symbol, f"UN General Assembly resolution {number}", UNDOCS + symbol,
                         "United Nations", summary="Not in Claimdesk's table: check the document.")
    return None


def _find_resolution(number: str, year: str | None, body: str | None) -> dict[str, Any] | None:
    for entry in _resolutions():
        if entry["number"].lower() != number.lower():
            continue
        if year and str(entry["year"]) != year:
            continue
        if body and entry["body"] != body:
            continue
        return entry
    return None


def resolutions(text: str, context: str = "") -> Refs:
    """The UN resolutions a claim names, or counts by year ("four … resolutions adopted in 1993")."""
    lang = language_of(text)
    digits = words_to_digits(text, lang)
    body = "SC" if _SC.search(text) else "GA" if _GA.search(text) else None
    found: dict[str, Reference] = {}
    for m in _SYMBOL.finditer(text):
        b = m.group(1).upper()
        year = m.group(3) if m.group(3) and m.group(3).isdigit() else None
        entry = _find_resolution(m.group(2), year, "SC" if b == "S" else "GA")
        ref = _resolution_ref(entry) if entry else _unknown_resolution("SC" if b == "S" else "GA", m.group(2), year)
        if ref:
            found.setdefault(ref.key, ref)
    for m in _NAMED.finditer(digits):
        for one in _ONE.finditer(m.group(1)):
            number, year = one.group(1), one.group(2)
            entry = _find_resolution(number, year, body)
            ref = _resolution_ref(entry) if entry else _unknown_resolution(body or "", number, year)
            if ref:
                found.setdefault(ref.key, ref)
    note = ""
    if not found:
        counted = _COUNTED.search(digits)
        year_m = counted or _YEAR_ONLY.search(digits)
        if year_m:
            year = int(year_m.group(2) if counted else year_m.group(1))
            count = int(counted.group(1)) if counted else None
            where = f"{text}\n{context}".lower()
            matches = [
                e for e in _resolutions()
                if e["year"] == year and (body is None or e["body"] == body) and any(t in where for t in e["topics"])
            ]
            for entry in matches:
                ref = _resolution_ref(entry, how="year")
                found[ref.key] = ref
            note = _count_note(count, year, matches)
    return Refs(tuple(found.values()), note)


def _count_note(count: int | None, year: int, matches: list[dict[str, Any]]) -> str:
    if not matches:
        return f"Claimdesk's table has no resolution of {year} about the places this claim names."
    numbers = ", ".join(e["number"] for e in matches)
    subject = matches[0]["subject"]
    listed = f"Claimdesk's table lists {len(matches)} of {year} on {subject}: {numbers}"
    if count is None:
        return listed + "."
    agree = "as the claim says" if count == len(matches) else f"the claim says {count}"
    return f"{listed} ({agree})."


# -- treaty articles ---------------------------------------------------------------------------------

_ARTICLE = re.compile(
    r"\b(?:article|art\.|статья|статьи|статье|статьей|статью|ст\.)\s*(\d{1,3})(?:\s*(?:\((\d{1,2})\)|§\s*(\d{1,2})|,?\s*(?:paragraph|para\.|alinéa|пункт|п\.)\s*(\d{1,2})))?",
    re.I,
)
_THIS_TREATY = re.compile(r"^\W*(?:of\s+)?(?:this|the same|that|ce|du même|этого|настоящего|данного)\s+(?:treaty|traité|договора)", re.I)


def _alias_at(text: str) -> tuple[int, dict[str, Any]] | None:
    """The first treaty named in text, with where its name starts."""
    low = text.lower()
    best: tuple[int, dict[str, Any]] | None = None
    for treaty in _treaties():
        for alias in treaty["aliases"]:
            for m in re.finditer(rf"(?<!\w){re.escape(alias)}", low):
                if best is None or m.start() < best[0]:
                    best = (m.start(), treaty)
                break
    return best


def _last_alias(text: str) -> dict[str, Any] | None:
    low = text.lower()
    best: tuple[int, dict[str, Any]] | None = None
    for treaty in _treaties():
        for alias in treaty["aliases"]:
            at = low.rfind(alias)
            if at >= 0 and (best is None or at > best[0]):
                best = (at, treaty)
    return best[1] if best else None


def articles(text: str, context: str = "") -> Refs:
    """The treaty articles a claim names. `context`: the text before the claim (its paragraph),
    where "this treaty" finds its name."""
    found: dict[str, Reference] = {}
    matches = list(_ARTICLE.finditer(text))
    for i, m in enumerate(matches):
        number = m.group(1)
        para = m.group(2) or m.group(3) or m.group(4)
        stop = matches[i + 1].start() if i + 1 < len(matches) else len(text)
        after = text[m.end() : min(stop, m.end() + 80)]
        treaty = None
        if not _THIS_TREATY.match(after):
            named = _alias_at(after)
            if named is not None and named[0] < 60:
                treaty = named[1]
        if treaty is None:
            treaty = _last_alias(context + " " + text[: m.start()])
        if treaty is None:
            continue
        keys = [f"{number}({para})"] if para else [number]
        keys += [k for k in treaty["articles"] if k.startswith(f"{number}(")] if not para else []
        for key in keys:
            article = treaty["articles"].get(key)
            if article is None:
                continue
            ref = Reference(
                "article", f"{treaty['key']}:{key}", f"Article {key}, {treaty['name']} ({treaty['year']})",
                article.get("url", treaty["url"]), treaty["publisher"], summary=treaty["name"],
                text=article["text"], original=article.get("original", ""), text_note=article.get("text_note", ""),
                licence=treaty["licence"],
            )
            found.setdefault(ref.key, ref)
            break
    return Refs(tuple(found.values()))


def references(text: str, context: str = "") -> Refs:
    """Resolutions and treaty articles together, resolutions first."""
    res, arts = resolutions(text, context), articles(text, context)
    return Refs(res.references + arts.references, res.note)


def treaty_article(key: str) -> Reference | None:
    """A shipped article by key ("nato:5"), for picking a passage to compare."""
    return next((r for r in all_articles() if r.key == key), None)


def all_articles() -> list[Reference]:
    out = []
    for treaty in _treaties():
        for key, article in treaty["articles"].items():
            out.append(Reference(
                "article", f"{treaty['key']}:{key}", f"Article {key}, {treaty['name']} ({treaty['year']})",
                article.get("url", treaty["url"]), treaty["publisher"], summary=treaty["name"], text=article["text"],
                original=article.get("original", ""), text_note=article.get("text_note", ""), licence=treaty["licence"],
            ))
    return out


def comparison_pair(quote: str, context: str = "") -> tuple[Reference | None, Reference | None]:
    """The two shipped articles a treaty claim sets side by side, when it names two ("article 4
    of this treaty … the exact copy of the article 5 NATO"), looking back into its sentence."""
    found = list(articles(quote, context).references)
    if len(found) < 2:
        sentence = re.split(r"(?<=[.!?])\s+", context.strip())[-1] if context.strip() else ""
        earlier = articles(sentence, context[: len(context) - len(sentence)]).references if sentence else ()
        found = [r for r in earlier if r.key not in {f.key for f in found}] + found
    return (found[0] if found else None, found[1] if len(found) > 1 else None)
