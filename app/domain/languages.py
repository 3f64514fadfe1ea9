"""What detection covers in each language, so the window can say where it is limited."""

from __future__ import annotations

from collections.abc import Iterable

from app.domain.segments import Segment, SegmentKind

# English gets the model and the rules; French and Russian the rules. Any other language gets the
# figures-and-dates fallback. Kept here, without Qt or the detector's patterns, so the window can ask
# without importing app.detection (whose patterns cost start-up time).
FULL_DETECTION = frozenset({"en", "fr", "ru"})

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
        if g.lang and g.lang not in FULL_DETECTION and g.kind is not SegmentKind.FURNITURE:
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
