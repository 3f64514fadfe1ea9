"""Propose the claims in a text: clauses with checkable signals, outside page furniture."""

from __future__ import annotations

import re
from collections.abc import Sequence

from app.detection.segment import clauses, sentences
from app.detection.signals import (
    DIGIT,
    HEDGE_ONLY,
    INTENTION,
    OPINION,
    PREDICTION,
    reported_prediction,
    STRENGTH,
    kind_of,
    signals,
    weak,
)
from app.domain import DetectedClaim, Kind
from app.domain.segments import Segment, SegmentKind

COMMENT_SCORE_CAP = 0.4  # a reader comment's claim ranks below every claim of the article
MIN_CLAUSE_CHARS = 8
WORDS_ONLY_SCORE = 0.5

_SPEAKER_PREFIX = re.compile(r"^[^\n:]{1,60}?\s?:\s")
_CYRILLIC = re.compile(r"[\u0400-\u04ff]")
_FRENCH = re.compile(r"\b(?:le|la|les|des|du|une|est|sont|qui|que|dans|pour|avec|pas|cette|aux|à|d’|l’)\b", re.I)
_ENGLISH = re.compile(r"\b(?:the|is|are|was|were|of|and|to|in|that|with|has|have|this|for|on)\b", re.I)
_REPORTER = re.compile(
    r"(?P<who>[^,;:()]{3,80}?)\s*,?\s+(?:\w+ly\s+)?(?:has |have |had )?"
    r"(?:said|says|stated|told|asked|asks|requested|announced|declared|claimed|a déclaré|a dit|a annoncé|"
    r"заявил\w*|сообщил\w*)\b",
    re.I,
)
_LEADING_WORDS = re.compile(r"^(?:but|and|then|also|mais|et|но|и|а)\s+", re.I)


def detect_claims(text: str, lang: str | None = None) -> list[DetectedClaim]:
    """Claims a fact-checker would check in `text`, sorted and non-overlapping, with offsets into it."""
    from app.ingest import analyse  # the structure: title, turns, comments, furniture

    found: list[DetectedClaim] = []
    for segment in analyse(text, lang=False):
        if segment.kind is SegmentKind.FURNITURE:
            continue
        start = segment.start
        if segment.kind is SegmentKind.TURN and segment.speaker:
            prefix = _SPEAKER_PREFIX.match(text, start, segment.end)
            if prefix and text[start : prefix.end()].strip(" :") == segment.speaker:
                start = prefix.end()
        found.extend(_in_segment(text, start, segment, lang))
    return _merge_overlaps(text, found)


def _in_segment(text: str, start: int, segment: Segment, lang: str | None) -> list[DetectedClaim]:
    out = []
    for s_start, s_end in sentences(text, start, segment.end):
        sentence = text[s_start:s_end]
        if sentence.rstrip("\"'»”’) ").endswith("?") or OPINION.search(sentence):
            continue
        speaker = _reported_speaker(sentence) or (
            segment.author if segment.kind is SegmentKind.COMMENT else segment.speaker
        )
        language = lang or _language(sentence)
        for c_start, c_end in clauses(text, s_start, s_end):
            clause = text[c_start:c_end]
            if len(clause) < MIN_CLAUSE_CHARS or OPINION.search(clause):
                continue
            found = signals(clause)
            if not found or weak(found, clause):
                continue
            forecast = PREDICTION.search(clause)
            if forecast and not reported_prediction(clause, forecast):
                continue  # a forecast cannot be checked yet; that someone made it can
            aim = INTENTION.search(clause)
            if aim and set(found) <= HEDGE_ONLY:
                # "wants to serve as …" is an aim, not a fact; a fact before it, set off by a
                # comma ("la Géorgie, qui possède une frontière …, wants to …"), still counts.
                cut = clause.rfind(",", 0, aim.start())
                if cut <= 0:
                    continue
                clause, c_end = clause[:cut], c_start + cut
                found = signals(clause)
                if not found:
                    continue
            kind = kind_of(found, clause)
            score = min(0.99, STRENGTH[kind] + 0.03 * (sum(found.values()) - 1))
            if kind is Kind.QUANTITY and not DIGIT.search(clause):
                score = min(score, WORDS_ONLY_SCORE)  # "two consequences" is rarely the point
            from_comment = segment.kind is SegmentKind.COMMENT
            if from_comment:
                score = min(score, COMMENT_SCORE_CAP)
            out.append(DetectedClaim(
                c_start, c_end, clause, kind, round(score, 3), language, speaker or None, from_comment,
            ))
    return out


def _reported_speaker(sentence: str) -> str | None:
    """"the president of Kazakhstan has said that …" → "the president of Kazakhstan"."""
    m = _REPORTER.search(sentence)
    if not m:
        return None
    who = _LEADING_WORDS.sub("", m.group("who").strip())
    # "at the forum last May, the president of X": the speaker is the last comma-separated part.
    who = who.split(",")[-1].strip() or who
    words = who.split()
    if not words or len(words) > 8 or words[0].lower() in ("it", "this", "that", "which", "who", "il", "elle"):
        return None
    return who


def _language(sentence: str) -> str | None:
    if _CYRILLIC.search(sentence):
        return "uk" if re.search(r"[іїєґ]", sentence) else "ru"
    french, english = len(_FRENCH.findall(sentence)), len(_ENGLISH.findall(sentence))
    if french > english:
        return "fr"
    if english:
        return "en"
    return None


def _merge_overlaps(text: str, claims: Sequence[DetectedClaim]) -> list[DetectedClaim]:
    """A parenthesis inside a claim clause makes the two overlap: keep one span, the better kind."""
    from app.detection.signals import PRIORITY

    merged: list[DetectedClaim] = []
    for claim in sorted(claims, key=lambda c: (c.start, -c.end)):
        if merged and claim.start < merged[-1].end:
            last = merged[-1]
            kind = min((last.kind, claim.kind), key=PRIORITY.index)
            end = max(last.end, claim.end)
            merged[-1] = DetectedClaim(
                last.start, end, text[last.start : end], kind, max(last.score, claim.score),
                last.lang, last.speaker or claim.speaker, last.from_comment,
            )
        else:
            merged.append(claim)
    return merged
