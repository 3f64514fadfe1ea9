"""The article's claim highlights, applied only to the blocks on screen.

QSyntaxHighlighter coloured every block of the document in Python whenever the spans changed
(opening a 1 MB article with 5,000 claims: 7,600 highlightBlock calls, a third of the time). Here
the spans are indexed by position once, and a block's formats are written into its layout
(QTextLayout.setFormats, what QSyntaxHighlighter does too) when the view is about to paint it:
the cost follows what is on screen, not the size of the article. A change (a verdict, the
selection, new spans) marks the blocks it touches stale; they are written again when next shown.
"""

from __future__ import annotations

import bisect
from collections.abc import Callable, Iterable, Iterator, Sequence
from itertools import groupby
from operator import itemgetter
from typing import Generic, NamedTuple, TypeVar

from PySide6.QtGui import QColor, QTextBlock, QTextCharFormat, QTextDocument, QTextLayout

INK = "#1d1d1f"
"""Text on a claim's highlight: verdict colours are light in both schemes, so the ink is dark."""

_P = TypeVar("_P")

# Ranges longer than this are looked at for every block (a claim over several paragraphs is rare);
# shorter ones are found by a binary search over their starts.
LONG = 4096
_START = itemgetter(0)  # a range's start, without a Python call per range


class Intervals(Generic[_P]):
    """[start, end) ranges with a payload, found by the stretch they overlap, in start order."""

    def __init__(self, items: Iterable[tuple[int, int, _P]]) -> None:
        ordered = sorted(items, key=_START)  # stable: equal starts keep their order
        self._short = [item for item in ordered if item[1] - item[0] <= LONG]
        self._starts = [item[0] for item in self._short]
        self._long = [item for item in ordered if item[1] - item[0] > LONG]

    def __len__(self) -> int:
        return len(self._short) + len(self._long)

    def overlapping(self, lo: int, hi: int) -> list[tuple[int, int, _P]]:
        first = bisect.bisect_left(self._starts, lo - LONG)
        last = bisect.bisect_left(self._starts, hi)
        found = [item for item in self._short[first:last] if item[1] > lo]
        if self._long:
            found += [item for item in self._long if item[0] < hi and item[1] > lo]
            found.sort(key=lambda item: item[0])
        return found

    def first_starting_in(self, lo: int, hi: int) -> tuple[int, int, _P] | None:
        """The first range (in start order) that starts in [lo, hi)."""
        short = bisect.bisect_left(self._starts, lo)
        best = self._short[short] if short < len(self._short) and self._starts[short] < hi else None
        for item in self._long:
            if lo <= item[0] < hi and (best is None or item[0] < best[0]):
                best = item
        return best


class Span(NamedTuple):
    """A claim's highlight. Start and end first: a Span is its own entry in the Intervals index
    (start, end, then the claim id), so the index holds no second tuple per claim."""

    start: int  # Qt positions
    end: int
    claim_id: int
    colour: str  # the claim's highlight: its verdict's colour, else its state's
    accepted: bool = True


def claim_format(background: str, accepted: bool, selected: bool) -> QTextCharFormat:
    fmt = QTextCharFormat()
    colour = QColor(background)
    if not accepted:
        # A suggestion: a paler wash and a dashed line, until the fact-checker accepts it.
        colour = colour.lighter(108)
        fmt.setUnderlineStyle(QTextCharFormat.UnderlineStyle.DashUnderline)
        fmt.setUnderlineColor(QColor("#8a7a2a"))
    if selected:
        colour = colour.darker(125)
        fmt.setUnderlineStyle(QTextCharFormat.UnderlineStyle.SingleUnderline)
        fmt.setUnderlineColor(QColor(INK))
    fmt.setBackground(colour)
    fmt.setForeground(QColor(INK))  # light text on a light verdict colour would not read
    return fmt


class ClaimHighlighter:
    """Claim spans and muted stretches (comments, page furniture) of one document, written into
    the layouts of the blocks the view shows (see `format_blocks`)."""

    def __init__(
        self, document: QTextDocument, changed: Callable[[Sequence[QTextBlock] | None], None] = lambda _blocks: None
    ) -> None:
        self._doc = document
        # The view repaints these blocks (None: all it shows); stale blocks on screen are written then.
        self._changed = changed
        self._spans: dict[int, Span] = {}
        # The spans by position, as they were when last set: a look changed since (set_look) is
        # read from _spans by the claim id each entry carries.
        self._index: Intervals[int] = Intervals(())
        self._dimmed: Intervals[QTextCharFormat] = Intervals(())
        self._selected: int | None = None
        self._formats: dict[tuple[str, bool, bool], QTextCharFormat] = {}
        self._fresh: set[int] = set()  # blocks whose layout holds their current formats
        self._written: set[int] = set()  # blocks whose layout holds any formats at all

    # -- what to draw -------------------------------------------------------------------------

    def text_replaced(self) -> None:
        """The document got a new text: its blocks are new, with no formats."""
        self._fresh.clear()
        self._written.clear()

    def set_dimmed(self, ranges: Iterable[tuple[int, int, QTextCharFormat]]) -> None:
        """Stretches drawn muted under any highlight: reader comments and page furniture."""
        self._dimmed = Intervals(ranges)
        self._all_stale()

    def set_spans(self, spans: Iterable[Span], redraw: bool = True) -> None:
        self._spans = {s.claim_id: s for s in spans}
        self._index = Intervals(self._spans.values())
        self._all_stale(redraw)

    def set_look(self, claim_id: int, colour: str, accepted: bool = True) -> None:
        """Recolour one claim after its verdict changed or it was accepted; only its blocks redraw."""
        span = self._spans.get(claim_id)
        if span is None or (span.colour, span.accepted) == (colour, accepted):
            return
        self._spans[claim_id] = span._replace(colour=colour, accepted=accepted)
        self._stale(claim_id)

    def set_selected(self, claim_id: int | None) -> None:
        previous, self._selected = self._selected, claim_id
        for cid in (previous, claim_id):
            if cid is not None:
                self._stale(cid)

    # -- questions ------------------------------------------------------------------------------

    def claim_at(self, position: int) -> int | None:
        """The innermost claim covering a Qt position."""
        hits = [self._spans[item[2]] for item in self._index.overlapping(position, position + 1)]
        if not hits:
            return None
        return min(hits, key=lambda s: s.end - s.start).claim_id

    def is_suggestion(self, claim_id: int) -> bool:
        span = self._spans.get(claim_id)
        return span is not None and not span.accepted

    def format_at(self, position: int) -> QTextCharFormat | None:
        """The highlight drawn at a position (for tests and accessibility): its block is written
        first if stale, as painting it would."""
        block = self._doc.findBlock(position)
        self.write(block)
        offset = position - block.position()
        for fmt_range in block.layout().formats():
            if fmt_range.start <= offset < fmt_range.start + fmt_range.length:
                return QTextCharFormat(fmt_range.format)  # a copy: the range dies with its list
        return None

    # -- writing formats into the layouts -----------------------------------------------------

    def is_fresh(self, block: QTextBlock) -> bool:
        return block.blockNumber() in self._fresh

    def write(self, block: QTextBlock) -> None:
        """Put the block's current formats in its layout, if they are not there yet."""
        number = block.blockNumber()
        if number in self._fresh or not block.isValid():
            return
        self._fresh.add(number)
        ranges = self._ranges(block)
        if not ranges and number not in self._written:
            return  # nothing drawn there, before or now: leave its layout alone
        # setFormats drops the block's line layout; the view lays it out again when it paints it.
        block.layout().setFormats(ranges)
        if ranges:
            self._written.add(number)
        else:
            self._written.discard(number)

    def _ranges(self, block: QTextBlock) -> list[QTextLayout.FormatRange]:
        """The block's formats as QSyntaxHighlighter made them: muted stretches first, then claims,
        longer first so that one nested in another stays visible on top; each character keeps the
        last format set on it, and runs of equal formats are one range."""
        base = block.position()
        length = block.length() - 1  # without the block's separator
        spans = [self._spans[item[2]] for item in self._index.overlapping(base, base + length)]
        dimmed = self._dimmed.overlapping(base, base + length)
        if not spans and not dimmed:
            return []
        chars: list[QTextCharFormat | None] = [None] * length
        for start, end, fmt in dimmed:
            lo, hi = max(start - base, 0), min(end - base, length)
            if hi > lo:
                chars[lo:hi] = [fmt] * (hi - lo)
        for span in sorted(spans, key=lambda s: -(s.end - s.start)):
            lo, hi = max(span.start - base, 0), min(span.end - base, length)
            if hi > lo:
                fmt = self._format(span.colour, span.accepted, span.claim_id == self._selected)
                chars[lo:hi] = [fmt] * (hi - lo)
        ranges: list[QTextLayout.FormatRange] = []
        at = 0
        for _same, run in groupby(chars, key=id):
            count = len(list(run))
            held = chars[at]
            if held is not None:
                last = ranges[-1] if ranges else None
                if last is not None and last.start + last.length == at and last.format == held:
                    last.length += count  # equal formats side by side (two claims, one colour): one run
                else:
                    fmt_range = QTextLayout.FormatRange()
                    fmt_range.start, fmt_range.length, fmt_range.format = at, count, held
                    ranges.append(fmt_range)
            at += count
        return ranges

    def _format(self, background: str, accepted: bool, selected: bool) -> QTextCharFormat:
        key = (background, accepted, selected)
        fmt = self._formats.get(key)
        if fmt is None:
            fmt = self._formats[key] = claim_format(background, accepted, selected)
        return fmt

    def _all_stale(self, redraw: bool = True) -> None:
        self._fresh.clear()
        if redraw:
            self._changed(None)

    def _stale(self, claim_id: int) -> None:
        span = self._spans.get(claim_id)
        if span is None:
            return
        blocks = list(self._blocks(span.start, span.end))
        for block in blocks:
            self._fresh.discard(block.blockNumber())
        self._changed(blocks)

    def _blocks(self, start: int, end: int) -> Iterator[QTextBlock]:
        block = self._doc.findBlock(start)
        if block.isValid():
            yield block  # an empty span still has a block
            block = block.next()
        while block.isValid() and block.position() < end:
            yield block
            block = block.next()
