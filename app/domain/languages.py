"""What detection covers in each language, so the window can say where it is limited."""

from __future__ import annotations

from collections.abc import Iterable

from app.domain.segments import Segment, SegmentKind

# What each language gets: the learned model (with the rules' spans and kinds), the rules alone, or
# only the clauses that carry figures. The one table: the detector routes by it and the window says
# where detection is limited, without importing app.detection (whose patterns cost start-up time).
MODEL, RULES, FIGURES = "model", "rules", "figures"
LANGUAGE_SUPPORT: dict[str, str] = {"en": MODEL, "fr": RULES, "ru": RULES}


def support(lang: str | None) -> str:
    """How well detection covers a language: "model", "rules" or "figures" (limited). A
    paragraph too short to tell keeps the rules, which read English, French and Russian."""
    if lang is None:
        return RULES
    return LANGUAGE_SUPPORT.get(lang, FIGURES)


LANGUAGE_NAMES = {
    "en": "English", "fr": "French", "ru": "Russian", "de": "German", "es": "Spanish", "it": "Italian",
    "pt": "Portuguese", "uk": "Ukrainian", "ar": "Arabic", "tr": "Turkish", "nl": "Dutch", "pl": "Polish",
    "sv": "Swedish", "zh": "Chinese", "ja": "Japanese",
}


def language_name(code: str) -> str:
    return LANGUAGE_NAMES.get(code, code.upper())


def limited_languages(segments: Iterable[Segment]) -> list[str]:
    """Languages of the text's paragraphs where detection falls back to figures and dates, most
    frequent first. Page furniture is never a claim, so its language does not count."""
    counts: dict[str, int] = {}
    for g in segments:
        if g.lang and support(g.lang) == FIGURES and g.kind is not SegmentKind.FURNITURE:
            counts[g.lang] = counts.get(g.lang, 0) + 1
    return sorted(counts, key=lambda code: (-counts[code], code))


def limited_notice(segments: Iterable[Segment]) -> str:
    """One quiet sentence for the window, or "" when every paragraph gets full detection."""
    codes = limited_languages(segments)
    if not codes:
        return ""
    names = [language_name(c) for c in codes]
    listed = names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]
    return f"Detection in {listed} is limited to figures and dates."
