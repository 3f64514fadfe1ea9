"""Propose the claims in a text: the model rates English sentences, the rules find spans and kinds."""

from __future__ import annotations

import bisect
import re
from collections.abc import Sequence
from dataclasses import replace

from app.detection.segment import clauses, question_start, sentences
from app.detection.signals import (
    ATTRIB,
    HEDGE_ONLY,
    HIT_START,
    HIT_TAG,
    PRIORITY,
    STRENGTH,
    Evidence,
    Scan,
    ceremony,
    evidence,
    guess_language,
    judgement,
    kind_of,
    scan,
    weak,
    words,
)
from app.domain import DetectedClaim, Kind
from app.domain.languages import FIGURES, MODEL, RULES, support
from app.domain.segments import COMMENT_SCORE_CAP, Segment, SegmentKind

WORDS_ONLY_SCORE = 0.5  # "two consequences" is rarely the point
# Bounds on one article's detection, so a 20 MB file costs seconds, not minutes (measured on 2
# cores: about 1.3 s per MB of news and 0.3 ms per claim; 537,732 claims took most of 119 s).
# Nobody works through more suggestions than this in one article, nor reads more text than
# this (about 800 pages) as one; beyond them detection stops, and the caller can say so.
MAX_CLAIMS = 2000
MAX_CHARS = 2_000_000
MIN_CLAUSE_CHARS = 8
SHORT_SENTENCE = 90

_SPEAKER_PREFIX = re.compile(r"[^\n:]{1,60}?\s?:\s")
_LEADING = ("but ", "and ", "then ", "also ", "mais ", "et ", "но ", "и ", "а ")
_DETERMINERS = words(
    """the a an this that these those his her its their our my your le la les un une ce cette ces
    son sa ses leur leurs"""
)
_NOT_SPEAKERS = words("it this that which who il elle он она они they he she we i")


def paragraph_language(text: str, segment: Segment, lowered: str | None = None) -> str | None:
    """The one place a paragraph's language is decided: the importer's (lingua) when it tagged
    the segment, else one cheap guess for the whole paragraph."""
    if segment.lang:
        return segment.lang
    low = lowered[segment.start : segment.end] if lowered is not None else text[segment.start : segment.end].lower()
    return guess_language(low)


def detect_claims(
    text: str,
    lang: str | None = None,
    segments: Sequence[Segment] | None = None,
    min_score: float | None = None,
) -> list[DetectedClaim]:
    """Claims a fact-checker would check in `text`: sorted, non-overlapping, offsets into it.
    `segments` is the text's structure when the caller has it already (an import does); `lang`
    forces one language for every paragraph. Every claim down to the model's floor is proposed
    (min_score=None); the window hides those below the workspace's sensitivity."""
    if segments is None:
        from app.ingest import analyse  # the structure: title, turns, comments, furniture

        segments = analyse(text[:MAX_CHARS], lang=False)
    return prepare(text, lang, min_score).claims(segments)


class Prepared:
    """What detection reads once per text, whatever its segments: the scan of its signals and
    the model's floor (which loads the model). claims() over consecutive runs of the segments,
    joined in order, is exactly detect_claims over all of them: a segment's claims depend on
    nothing outside it, so a text can be detected in parts, in two processes (app/cli_import.py)."""

    __slots__ = ("text", "lang", "limit", "sc", "floor")

    def __init__(self, text: str, lang: str | None, min_score: float | None) -> None:
        self.text = text
        self.lang = lang
        self.limit = min(len(text), MAX_CHARS)
        self.sc = scan(text[: self.limit])  # offsets into the prefix are offsets into text
        self.floor = _floor() if min_score is None else min_score

    def claims(self, segments: Sequence[Segment]) -> list[DetectedClaim]:
        """The claims of these segments (at most MAX_CLAIMS); join parts with joined()."""
        text, lang, limit, sc, floor = self.text, self.lang, self.limit, self.sc, self.floor
        found: list[DetectedClaim] = []
        for segment in segments:
            if segment.start >= limit or len(found) >= MAX_CLAIMS:
                break
            if segment.kind is SegmentKind.FURNITURE:
                continue
            if segment.end > limit:
                segment = replace(segment, end=limit)
            start = segment.start
            language = lang or paragraph_language(text, segment, sc.lowered)
            level = support(language)
            if level != MODEL and bisect.bisect_left(sc.starts, start) == bisect.bisect_left(
                sc.starts, segment.end
            ):
                continue  # not one signal in the paragraph
            if segment.kind is SegmentKind.TURN and segment.speaker:
                prefix = _SPEAKER_PREFIX.match(text, start, segment.end)
                if prefix and text[start : prefix.end()].strip(" :") == segment.speaker:
                    start = prefix.end()
            # Segments never overlap, so neither do claims of two segments: merged segment by
            # segment, the count is exact and detection can stop at the cap.
            claims = _merge_overlaps(text, _in_segment(text, start, segment, language, sc, level))
            found.extend(c for c in claims if c.score >= floor)
        return found[:MAX_CLAIMS]


def prepare(text: str, lang: str | None = None, min_score: float | None = None) -> Prepared:
    """Detection's reading of `text` before any segment (see Prepared)."""
    return Prepared(text, lang, min_score)


def joined(*parts: Sequence[DetectedClaim]) -> list[DetectedClaim]:
    """The claims of consecutive runs of segments, as detect_claims gives them over all of them."""
    return [c for part in parts for c in part][:MAX_CLAIMS]


def stopped_early(text: str, count: int) -> str:
    """Why detection proposed no more than `count` claims in text, for the user; "" if it read
    all of it."""
    if count >= MAX_CLAIMS:
        return f"detection stops at {MAX_CLAIMS:,} suggestions per article"
    if len(text) > MAX_CHARS:
        return f"detection read the first {MAX_CHARS:,} characters only"
    return ""


def _floor() -> float:
    from app.detection.model import model

    return model().floor


def _in_segment(
    text: str, start: int, segment: Segment, lang: str | None, sc: Scan, level: str = RULES
) -> list[DetectedClaim]:
    out: list[DetectedClaim] = []
    for s_start, s_end in sentences(text, start, segment.end):
        if text[max(s_start, s_end - 8) : s_end].rstrip("\"'»”’) ").endswith("?"):
            # A question asks; it does not state. What a merged sentence states before it
            # ("… in the U.S. Why …?", "We cut taxes by $2 billion, so why …?") still counts.
            s_end = question_start(sc.lowered, s_start, s_end)
            if s_end - s_start < MIN_CLAUSE_CHARS:
                continue
        first, last = bisect.bisect_left(sc.starts, s_start), bisect.bisect_left(sc.starts, s_end)
        if level == MODEL:
            out.extend(_by_model(text, s_start, s_end, segment, lang, sc, first, last))
            continue
        found = _rule_claims(text, s_start, s_end, segment, lang, sc, first, last)
        if level == FIGURES:
            # Only what the rules can read in any language: figures, percentages, years.
            found = [c for c in found if any(ch.isdigit() for ch in c.quote)]
        out.extend(found)
    return out


def _by_model(
    text: str,
    s_start: int,
    s_end: int,
    segment: Segment,
    lang: str | None,
    sc: Scan,
    first: int,
    last: int,
) -> list[DetectedClaim]:
    """An English sentence: the model says whether and how strongly it is check-worthy, the rules
    where its claims are and of what kind."""
    from app.detection.model import model, rule_features

    sentence = text[s_start:s_end]
    if sentence.rstrip("\"'”’»)] ").endswith("!") and text.count(",", s_start, s_end) >= 2:
        return []  # "Lieutenant Governor …, members of …, my fellow Alabamians!": a salutation
    mdl = model()
    ev = evidence(sc, text, s_start, s_end, first, last)
    if ceremony(ev):
        return []  # greetings and thanks state nothing, however the model rates them
    rules = rule_features(sorted(map(str, ev.kinds)), ev.opinion, ev.forecast_at >= 0)
    p = round(mdl.probability(sentence, rules), 3)
    if p < mdl.floor:
        # Measured ("strong_rules" in the model file): of the sentences the model rates below its
        # line but where the rules find a resolution, a treaty article or a figure in digits,
        # only 1 in 5 is check-worthy, so the rules do not overrule the model.
        return []
    found = [_scored(c, p) for c in _rule_claims(text, s_start, s_end, segment, lang, sc, first, last, ev)]
    if not found:
        # A whole sentence with no cue the rules know needs the model's own line, not the floor:
        # below it, "Non." and "They are in a logic of revenge" were proposed on the sample.
        # Questions and calls to act ("We need to get rid of …") are never claims.
        if p < (mdl.threshold if ev.kinds and not weak(ev) else mdl.fewer) or _excluded(ev):
            # With no signal, or only that someone spoke ("I've said it a million times": an
            # idiom's number is none), only a sentence the model is sure of, at the "fewer"
            # line, is proposed whole.
            return []
        if text[max(s_start, s_end - 8) : s_end].rstrip("\"'»”’) ").endswith("?"):
            return []  # a question asks; it does not state
        end = _without_full_stop(text, s_start, s_end)
        from_comment = segment.kind is SegmentKind.COMMENT
        speaker = _speaker(text, s_start, segment, sc, first, last)
        found = [
            DetectedClaim(
                s_start, end, text[s_start:end], Kind.OTHER, p, lang, speaker or None, from_comment
            )
        ]
    return _capped(found, segment)


def _excluded(ev: Evidence) -> bool:
    """What the rules never propose, whatever the model says: opinions and calls to act, ceremony,
    value judgements and anecdotes, promises and forecasts with no figure stated before them."""
    return (
        ev.opinion
        or ceremony(ev)
        or judgement(ev)
        or (
            ev.forecast_at >= 0
            and not 0 <= ev.reported_at < ev.forecast_at
            and not 0 <= ev.figure_at < ev.forecast_at
        )
    )


def _scored(c: DetectedClaim, score: float) -> DetectedClaim:
    # The constructor, not dataclasses.replace: replace() introspects the fields on every call.
    return DetectedClaim(c.start, c.end, c.quote, c.kind, score, c.lang, c.speaker, c.from_comment)


def _capped(claims: list[DetectedClaim], segment: Segment) -> list[DetectedClaim]:
    """A reader comment's claims rank below every claim of the article."""
    if segment.kind is not SegmentKind.COMMENT:
        return claims
    return [_scored(c, min(c.score, COMMENT_SCORE_CAP)) for c in claims]


def _rule_claims(
    text: str,
    s_start: int,
    s_end: int,
    segment: Segment,
    lang: str | None,
    sc: Scan,
    first: int,
    last: int,
    sentence_ev: Evidence | None = None,
) -> list[DetectedClaim]:
    """The rules' claims in one sentence: its clauses with checkable signals. `sentence_ev` is
    the evidence of the sentence's hits, when the caller has read it already."""
    out: list[DetectedClaim] = []
    from_comment = segment.kind is SegmentKind.COMMENT
    if not any(sc.states[first:last]) and text.count(",", s_start, s_end) < 2:
        return out  # nothing stated, and too few commas for a list of names
    speaker: str | None = None
    speaker_known = False
    # A short sentence is one clause; splitting it costs more than it tells.
    parts = (
        clauses(text, sc.lowered, s_start, s_end)
        if s_end - s_start > SHORT_SENTENCE
        else [(s_start, _without_full_stop(text, s_start, s_end))]
    )
    for c_start, c_end in parts:
        if c_end - c_start < MIN_CLAUSE_CHARS:
            continue
        lo = bisect.bisect_left(sc.starts, c_start, first, last)
        hi = bisect.bisect_left(sc.starts, c_end, lo, last)
        if not any(sc.states[lo:hi]) and text.count(",", c_start, c_end) < 2:
            continue  # nothing stated, and too few commas for a list of names
        # Evidence is read from the hits alone: a clause holding all the sentence's has the same.
        claim = _clause(text, c_start, c_end, sc, lo, hi, sentence_ev if (lo, hi) == (first, last) else None)
        if claim is None:
            continue
        c_end, kind, score = claim
        if from_comment:
            score = min(score, COMMENT_SCORE_CAP)
        if not speaker_known:  # worked out only for sentences that hold a claim
            speaker = _speaker(text, s_start, segment, sc, first, last)
            speaker_known = True
        out.append(
            DetectedClaim(
                c_start,
                c_end,
                text[c_start:c_end],
                kind,
                round(score, 3),
                lang,
                speaker or None,
                from_comment,
            )
        )
    return out


def _without_full_stop(text: str, start: int, end: int) -> int:
    """The end of a sentence less its full stop, as a split clause has none; "the U.S." keeps
    it, being an abbreviation's."""
    if end - start > 1 and text[end - 1] == "." and text[end - 2] != ".":
        before = text[end - 2]
        if before.islower() or before.isdigit() or before in ")]\"'”’»":
            return end - 1
    return end


def _clause(
    text: str, start: int, end: int, sc: Scan, lo: int, hi: int, ev: Evidence | None = None
) -> tuple[int, Kind, float] | None:
    """(end, kind, score) if the clause states something checkable, else None. The clause's
    hits are sc.hits[lo:hi]; `ev` is their evidence when the caller has read it already."""
    if ev is None:
        ev = evidence(sc, text, start, end, lo, hi)
    if not ev.kinds or ev.opinion or ceremony(ev) or weak(ev) or judgement(ev):
        return None
    if (
        ev.forecast_at >= 0
        and not 0 <= ev.reported_at < ev.forecast_at
        and not 0 <= ev.figure_at < ev.forecast_at
    ):
        # A forecast cannot be checked yet; "X said he will …" can (that X said it), and so can
        # a figure stated before the forecast ("the $38bn investment will create …").
        return None
    if ev.aim_at >= 0 and set(ev.kinds) <= HEDGE_ONLY:
        # "wants to serve as …" is an aim, not a fact; a fact before it, set off by a comma
        # ("la Géorgie, qui possède une frontière …, wants to …"), still counts.
        cut = text.rfind(",", start, ev.aim_at)
        if cut <= start:
            return None
        end = cut
        ev = evidence(sc, text, start, end)
        if not ev.kinds or weak(ev):
            return None
    kind = kind_of(ev)
    score = min(0.99, STRENGTH[kind] + 0.03 * (sum(ev.kinds.values()) - 1))
    if kind is Kind.QUANTITY and not ev.digits:
        score = min(score, WORDS_ONLY_SCORE)
    return end, kind, score


def _speaker(text: str, start: int, segment: Segment, sc: Scan, first: int, last: int) -> str | None:
    """Who states the sentence: a reader comment's claims are the commenter's, whoever the
    comment quotes; otherwise the speaker it reports, or the paragraph's."""
    if segment.kind is SegmentKind.COMMENT:
        return segment.author
    return _reported_speaker(text, start, sc, first, last) or segment.speaker


def _reported_speaker(text: str, start: int, sc: Scan, first: int, last: int) -> str | None:
    """Who the sentence reports as speaking: "… last May, the president of Kazakhstan has said
    that …" gives "the president of Kazakhstan"."""
    for verb in sc.hits[first:last]:
        if verb[HIT_TAG] & ATTRIB:
            before = text[start : verb[HIT_START]]
            # "this request", "la demande": a noun after a determiner, not a verb of speech
            if (
                before.rsplit(None, 1)[-1:]
                and before.rsplit(None, 1)[-1].lower() not in _DETERMINERS
            ):
                break
    else:
        return None
    for aux in ("has ", "have ", "had ", "immediately ", "also "):
        if before.lower().endswith(aux):
            before = before[: -len(aux)]
    # The speaker is the last comma-separated part that names someone.
    parts = [p.strip(" “”\"'") for p in re.split(r"[,;:()]", before)]
    who = next((p for p in reversed(parts) if p), "")
    low = who.lower()
    for word in _LEADING:
        if low.startswith(word):
            who, low = who[len(word) :], low[len(word) :]
    words = who.split()
    if (
        not words
        or len(words) > 8
        or words[0].lower() in _NOT_SPEAKERS
        # A capital that only opens the sentence names nobody: "The opioid crisis claimed 237 lives".
        or not any(w[0].isupper() for w in (words[1:] if words[0].lower() in _DETERMINERS else words))
    ):
        return None
    return who


def _merge_overlaps(text: str, claims: Sequence[DetectedClaim]) -> list[DetectedClaim]:
    """A parenthesis inside a claim clause makes the two overlap: keep one span, the better kind."""
    merged: list[DetectedClaim] = []
    for claim in sorted(claims, key=lambda c: (c.start, -c.end)):
        if merged and claim.start < merged[-1].end:
            last = merged[-1]
            end = max(last.end, claim.end)
            merged[-1] = DetectedClaim(
                last.start,
                end,
                text[last.start : end],
                min((last.kind, claim.kind), key=PRIORITY.index),
                max(last.score, claim.score),
                last.lang,
                last.speaker or claim.speaker,
                last.from_comment,
            )
        else:
            merged.append(claim)
    return merged
