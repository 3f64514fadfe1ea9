"""The parts of an article's text: title, body, interview turns, reader comments, page furniture."""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Sequence
from dataclasses import dataclass
from enum import StrEnum

COMMENT_SCORE_CAP = 0.4  # a reader comment's claim ranks below every claim of the article


class SegmentKind(StrEnum):
    """What a stretch of text is; only title, body and turn are the article itself."""

    TITLE = "title"
    BODY = "body"
    TURN = "turn"
    COMMENT = "comment"
    FURNITURE = "furniture"

    @property
    def is_article(self) -> bool:
        return self in (SegmentKind.TITLE, SegmentKind.BODY, SegmentKind.TURN)


@dataclass(frozen=True, slots=True)
class Segment:
    """text[start:end], trimmed of surrounding whitespace.

    Segments are sorted, never overlap, and every non-whitespace character of the text lies in
    exactly one of them; the gaps between them are whitespace only. `speaker` is set on turns,
    `author` and `date` on comments (and on the byline or comment-header lines they come from);
    `date` is as the page shows it ("1 year ago"), since a relative date cannot be resolved
    without knowing when the page was saved. `lang` is an ISO 639-1 code, None when the text is
    too short to tell.
    """

    start: int
    end: int
    kind: SegmentKind
    speaker: str | None = None
    author: str | None = None
    date: str | None = None
    lang: str | None = None


def segment_at(segments: Sequence[Segment], offset: int) -> Segment | None:
    """The segment holding text[offset], or None if offset falls in whitespace between segments."""
    i = bisect_right(segments, offset, key=lambda s: s.start) - 1
    if i >= 0 and segments[i].start <= offset < segments[i].end:
        return segments[i]
    return None
