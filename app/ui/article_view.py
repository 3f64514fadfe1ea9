"""The read-only article with each claim highlighted in its verdict (or workflow state) colour."""

from __future__ import annotations

import bisect
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from PySide6.QtCore import QEvent, QPoint, QRect, Qt, Signal
from PySide6.QtGui import (
    QColor,
    QHelpEvent,
    QMouseEvent,
    QPainter,
    QPaintEvent,
    QPalette,
    QResizeEvent,
    QSyntaxHighlighter,
    QTextCharFormat,
    QTextCursor,
    QTextDocument,
)
from PySide6.QtWidgets import QPlainTextEdit, QToolTip, QWidget

from app.domain import Claim
from app.domain.languages import language_name
from app.domain.segments import Segment, SegmentKind


def _describe(g: Segment) -> str:
    language = language_name(g.lang) if g.lang else "language not detected"
    if g.kind is SegmentKind.COMMENT:
        who = ", ".join(x for x in (g.author, g.date) if x)
        return f"Reader comment{' by ' + who if who else ''} ({language})"
    if g.kind is SegmentKind.FURNITURE:
        return "Page furniture: not part of the article, never a claim"
    if g.kind is SegmentKind.TURN and g.speaker:
        return f"{g.speaker} ({language})"
    return f"{g.kind.value.capitalize()} ({language})"


_ASTRAL = re.compile("[\U00010000-\U0010FFFF]")


class Utf16Offsets:
    """Python indexes text by code point, Qt by UTF-16 unit: they differ after any emoji."""

    def __init__(self, text: str) -> None:
        self._astral = [m.start() for m in _ASTRAL.finditer(text)]
        self._astral_qt = [i + n for n, i in enumerate(self._astral)]

    def to_qt(self, index: int) -> int:
        return index + bisect.bisect_left(self._astral, index)

    def to_py(self, position: int) -> int:
        return position - bisect.bisect_left(self._astral_qt, position)


@dataclass(frozen=True, slots=True)
class _Span:
    claim_id: int
    start: int  # Qt positions
    end: int
    colour: str  # the claim's highlight: its verdict's colour, else its state's
    accepted: bool = True


class ClaimHighlighter(QSyntaxHighlighter):
    """Colours claim spans from a per-block index, so a recolour touches only its blocks."""

    def __init__(self, document: QTextDocument) -> None:
        super().__init__(document)
        self._doc = document  # kept while detached (see ArticleView.show_article)
        self._by_block: dict[int, list[_Span]] = {}
        self._spans: dict[int, _Span] = {}
        self._selected: int | None = None
        self._formats: dict[tuple[str, bool, bool], QTextCharFormat] = {}
        self._dimmed: dict[int, list[tuple[int, int, QTextCharFormat]]] = {}
        self._starts: list[int] = []  # each block's first position, for block_number's binary search

    def block_number(self, position: int) -> int:
        """The block holding a Qt position: a binary search over the blocks' starts, read once per
        text (findBlock twice per span was a sixth of opening an article with 5,000 claims)."""
        doc = self._doc
        if len(self._starts) != doc.blockCount():
            starts, block = [], doc.begin()
            while block.isValid():
                starts.append(block.position())
                block = block.next()
            self._starts = starts
        return max(0, bisect.bisect_right(self._starts, position) - 1)

    def forget_blocks(self) -> None:
        """The text changed: read the blocks' starts again at the next look-up."""
        self._starts = []

    def set_dimmed(self, ranges: Iterable[tuple[int, int, QTextCharFormat]]) -> None:
        """Stretches drawn muted under any highlight: reader comments and page furniture."""
        self._dimmed = {}
        for start, end, fmt in ranges:
            first = self.block_number(start)
            last = self.block_number(max(start, end - 1))
            for block in range(first, last + 1):
                self._dimmed.setdefault(block, []).append((start, end, fmt))

    def set_spans(self, spans: Iterable[_Span], redraw: bool = True) -> None:
        self._spans = {s.claim_id: s for s in spans}
        self._by_block = {}
        for span in self._spans.values():
            for block in self._blocks_of(span):
                self._by_block.setdefault(block, []).append(span)
        for spans_in_block in self._by_block.values():
            spans_in_block.sort(key=lambda s: (s.start, -s.end))
        if redraw:
            self.rehighlight()

    def set_look(self, claim_id: int, colour: str, accepted: bool = True) -> None:
        """Recolour one claim after its verdict changed or it was accepted; only its blocks redraw."""
        span = self._spans.get(claim_id)
        if span is None or (span.colour, span.accepted) == (colour, accepted):
            return
        new = _Span(span.claim_id, span.start, span.end, colour, accepted)
        self._spans[claim_id] = new
        for block in self._blocks_of(span):
            spans = self._by_block[block]
            spans[spans.index(span)] = new
        self._rehighlight_claim(claim_id)

    def set_selected(self, claim_id: int | None) -> None:
        previous, self._selected = self._selected, claim_id
        for cid in (previous, claim_id):
            if cid is not None:
                self._rehighlight_claim(cid)

    def claim_at(self, position: int) -> int | None:
        """The innermost claim covering a Qt position."""
        block = self._doc.findBlock(position).blockNumber()
        hits = [s for s in self._by_block.get(block, ()) if s.start <= position < s.end]
        if not hits:
            return None
        return min(hits, key=lambda s: s.end - s.start).claim_id

    def is_suggestion(self, claim_id: int) -> bool:
        span = self._spans.get(claim_id)
        return span is not None and not span.accepted

    def format_at(self, position: int) -> QTextCharFormat | None:
        """The highlight drawn at a position (for tests and accessibility)."""
        block = self._doc.findBlock(position)
        layout = block.layout()
        offset = position - block.position()
        for fmt_range in layout.formats():
            if fmt_range.start <= offset < fmt_range.start + fmt_range.length:
                return QTextCharFormat(fmt_range.format)  # a copy: the range dies with its list
        return None

    def highlightBlock(self, text: str) -> None:  # noqa: N802 (Qt's name)
        block = self.currentBlock()
        base = block.position()
        length = len(text)
        for start, end, fmt in self._dimmed.get(block.blockNumber(), ()):
            lo, hi = max(start - base, 0), min(end - base, length)
            if hi > lo:
                self.setFormat(lo, hi - lo, fmt)
        spans = self._by_block.get(block.blockNumber())
        if not spans:
            return
        # Longer spans first, so a claim nested inside another stays visible on top of it.
        for span in sorted(spans, key=lambda s: -(s.end - s.start)):
            start = max(span.start - base, 0)
            end = min(span.end - base, length)
            if end > start:
                fmt = self._format(span.colour, span.accepted, span.claim_id == self._selected)
                self.setFormat(start, end - start, fmt)

    def _format(self, background: str, accepted: bool, selected: bool) -> QTextCharFormat:
        key = (background, accepted, selected)
        fmt = self._formats.get(key)
        if fmt is None:
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
            self._formats[key] = fmt
        return fmt

    def _blocks_of(self, span: _Span) -> range:
        return range(self.block_number(span.start), self.block_number(max(span.start, span.end - 1)) + 1)

    def _rehighlight_claim(self, claim_id: int) -> None:
        span = self._spans.get(claim_id)
        if span is None:
            return
        for number in self._blocks_of(span):
            self.rehighlightBlock(self._doc.findBlockByNumber(number))


GUTTER_WIDTH = 34
COMMENT_COLOUR = "#55606e"
FURNITURE_COLOUR = "#a3a8b0"
# On a dark page: the same roles, lighter (comments stay readable, furniture stays dim).
DARK_COMMENT_COLOUR = "#aab3bf"
DARK_FURNITURE_COLOUR = "#737a84"
INK = "#1d1d1f"
"""Text on a claim's highlight: verdict colours are light in both schemes, so the ink is dark."""


def is_dark(palette: QPalette) -> bool:
    return palette.color(QPalette.ColorRole.Base).lightness() < 128


def muted_colours(palette: QPalette) -> tuple[str, str]:
    """(reader comments, page furniture) on this palette's page."""
    if is_dark(palette):
        return DARK_COMMENT_COLOUR, DARK_FURNITURE_COLOUR
    return COMMENT_COLOUR, FURNITURE_COLOUR


def _muted(colour: str, italic: bool) -> QTextCharFormat:
    fmt = QTextCharFormat()
    fmt.setForeground(QColor(colour))
    fmt.setFontItalic(italic)
    return fmt


@dataclass(frozen=True, slots=True)
class _Margin:
    """What the gutter says beside a paragraph."""

    label: str
    kind: SegmentKind
    tooltip: str


class _Gutter(QWidget):
    def __init__(self, view: ArticleView) -> None:
        super().__init__(view)
        self._view = view

    def paintEvent(self, event: QPaintEvent) -> None:  # noqa: N802 (Qt's name)
        self._view.paint_gutter(event)

    def event(self, event: QEvent) -> bool:
        if event.type() == QEvent.Type.ToolTip and isinstance(event, QHelpEvent):
            margin = self._view.margin_at(event.pos().y())
            if margin is not None:
                QToolTip.showText(event.globalPos(), margin.tooltip, self)
            else:
                QToolTip.hideText()
            return True
        return super().event(event)


class ArticleView(QPlainTextEdit):
    """Shows one article; a click on a highlight selects that claim."""

    claimClicked = Signal(int)  # noqa: N815 (Qt signal naming)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setReadOnly(True)
        self.setTextInteractionFlags(
            Qt.TextInteractionFlag.TextSelectableByMouse | Qt.TextInteractionFlag.TextSelectableByKeyboard
        )
        self.setLineWrapMode(QPlainTextEdit.LineWrapMode.WidgetWidth)
        self.setObjectName("articleView")
        self.document().setDocumentMargin(18)
        self.highlighter = ClaimHighlighter(self.document())
        self._offsets = Utf16Offsets("")
        self._text = ""
        self._margins: dict[int, _Margin] = {}
        self.gutter = _Gutter(self)
        self.setViewportMargins(GUTTER_WIDTH, 0, 0, 0)
        self.updateRequest.connect(self._update_gutter)

    @property
    def shown_text(self) -> str:
        """The text shown, exactly as given (toPlainText turns no-break spaces into spaces)."""
        return self._text

    def show_article(self, text: str, claims: Sequence[Claim], segments: Sequence[Segment] = ()) -> None:
        self._text = text
        self._offsets = Utf16Offsets(text)
        # Detached while the text and spans change, so the document is highlighted once, not three times.
        self.highlighter.setDocument(None)  # type: ignore[arg-type]
        self.setPlainText(text)
        self.highlighter.forget_blocks()
        self._set_segments(segments)
        self.set_claims(claims, redraw=False)
        self.highlighter.setDocument(self.document())

    def _set_segments(self, segments: Sequence[Segment]) -> None:
        to_qt = self._offsets.to_qt
        comment_colour, furniture_colour = muted_colours(self.palette())
        comment = _muted(comment_colour, italic=False)
        furniture = _muted(furniture_colour, italic=True)
        dimmed = []
        self._margins = {}
        block_number = self.highlighter.block_number
        for g in segments:
            if g.kind is SegmentKind.COMMENT:
                dimmed.append((to_qt(g.start), to_qt(g.end), comment))
            elif g.kind is SegmentKind.FURNITURE:
                dimmed.append((to_qt(g.start), to_qt(g.end), furniture))
            block = block_number(to_qt(g.start))
            if block not in self._margins:
                self._margins[block] = _Margin((g.lang or "").upper(), g.kind, _describe(g))
        self.highlighter.set_dimmed(dimmed)
        self.gutter.update()

    def margin_at(self, y: int) -> _Margin | None:
        block = self.cursorForPosition(QPoint(0, y)).block()
        return self._margins.get(block.blockNumber())

    def resizeEvent(self, event: QResizeEvent) -> None:  # noqa: N802 (Qt's name)
        super().resizeEvent(event)
        rect = self.contentsRect()
        self.gutter.setGeometry(QRect(rect.left(), rect.top(), GUTTER_WIDTH, rect.height()))

    def _update_gutter(self, rect: QRect, dy: int) -> None:
        if dy:
            self.gutter.scroll(0, dy)
        else:
            self.gutter.update(0, rect.y(), self.gutter.width(), rect.height())

    def paint_gutter(self, event: QPaintEvent) -> None:
        painter = QPainter(self.gutter)
        painter.fillRect(event.rect(), self.palette().color(QPalette.ColorRole.AlternateBase))
        font = painter.font()
        font.setPointSizeF(max(font.pointSizeF() * 0.75, 6.0))
        painter.setFont(font)
        block = self.firstVisibleBlock()
        offset = self.contentOffset()
        while block.isValid():
            geometry = self.blockBoundingGeometry(block).translated(offset)
            if geometry.top() > event.rect().bottom():
                break
            margin = self._margins.get(block.blockNumber())
            if margin is not None and block.isVisible():
                top = int(geometry.top()) + int(self.document().documentMargin())
                if margin.kind is SegmentKind.COMMENT:
                    painter.fillRect(GUTTER_WIDTH - 4, int(geometry.top()), 3, int(geometry.height()), QColor("#9fb3c8"))
                painter.setPen(QColor(muted_colours(self.palette())[1]) if margin.kind is SegmentKind.FURNITURE
                               else self.palette().color(QPalette.ColorRole.PlaceholderText))
                painter.drawText(QRect(0, top, GUTTER_WIDTH - 6, 16), int(Qt.AlignmentFlag.AlignRight), margin.label)
            block = block.next()
        painter.end()

    def set_claims(self, claims: Sequence[Claim], redraw: bool = True) -> None:
        to_qt = self._offsets.to_qt
        self.highlighter.set_spans(
            (_Span(c.id, to_qt(c.start), to_qt(c.end), c.colour, c.accepted) for c in claims if c.in_text), redraw
        )

    def selection_offsets(self) -> tuple[int, int] | None:
        """The selected text as Python offsets into the article, or None."""
        cursor = self.textCursor()
        if not cursor.hasSelection():
            return None
        return self._offsets.to_py(cursor.selectionStart()), self._offsets.to_py(cursor.selectionEnd())

    def qt_position(self, offset: int) -> int:
        return self._offsets.to_qt(offset)

    def point_of(self, offset: int) -> QPoint:
        """Viewport coordinates of a Python offset (tests click there)."""
        cursor = QTextCursor(self.document())
        cursor.setPosition(self._offsets.to_qt(offset))
        return self.cursorRect(cursor).center()

    def reveal_offset(self, offset: int) -> None:
        cursor = QTextCursor(self.document())
        cursor.setPosition(self._offsets.to_qt(offset))
        self.setTextCursor(cursor)
        self.ensureCursorVisible()

    def reveal(self, claim: Claim) -> None:
        if not claim.in_text:  # not in this revision: nowhere to show
            return
        cursor = QTextCursor(self.document())
        cursor.setPosition(self._offsets.to_qt(claim.end))
        self.setTextCursor(cursor)
        cursor.setPosition(self._offsets.to_qt(claim.start))
        self.setTextCursor(cursor)
        self.ensureCursorVisible()

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:  # noqa: N802 (Qt's name)
        super().mouseReleaseEvent(event)
        if event.button() != Qt.MouseButton.LeftButton or self.textCursor().hasSelection():
            return
        claim_id = self.highlighter.claim_at(self.cursorForPosition(event.position().toPoint()).position())
        if claim_id is not None:
            self.claimClicked.emit(claim_id)
