"""The read-only article with each claim highlighted in its verdict (or workflow state) colour."""

from __future__ import annotations

import bisect
import re
import sys
from collections.abc import Sequence
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
    QTextBlock,
    QTextCharFormat,
    QTextCursor,
)
from PySide6.QtWidgets import QPlainTextEdit, QToolTip, QWidget

from app.domain import Claim
from app.domain.languages import language_name
from app.domain.segments import Segment, SegmentKind
from app.ui.highlights import INK as INK  # where the window's tests and panes have always found it
from app.ui.highlights import ClaimHighlighter, Intervals, Span
from app.ui.scrolling import scroll_by_moving_pixels


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
        # A str stores each character in 1, 2 or 4 bytes, as its widest needs (PEP 393): one
        # smaller than 4 bytes a character holds nothing beyond the BMP, and the 2 ms scan of a
        # 1 MB article for astral characters is skipped. Anything else (a short text, another
        # Python) is scanned.
        narrow = sys.getsizeof(text) < 4 * len(text)
        self._astral = [] if narrow else [m.start() for m in _ASTRAL.finditer(text)]
        self._astral_qt = [i + n for n, i in enumerate(self._astral)]

    @property
    def same(self) -> bool:
        """No character outside the BMP: both count alike."""
        return not self._astral

    def to_qt(self, index: int) -> int:
        return index + bisect.bisect_left(self._astral, index) if self._astral else index

    def to_py(self, position: int) -> int:
        return position - bisect.bisect_left(self._astral_qt, position) if self._astral else position


GUTTER_WIDTH = 34
COMMENT_COLOUR = "#55606e"
FURNITURE_COLOUR = "#a3a8b0"
# On a dark page: the same roles, lighter (comments stay readable, furniture stays dim).
DARK_COMMENT_COLOUR = "#aab3bf"
DARK_FURNITURE_COLOUR = "#737a84"


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
        scroll_by_moving_pixels(self)
        self.document().setDocumentMargin(18)
        self.highlighter = ClaimHighlighter(self.document(), self._repaint_blocks)
        self._offsets = Utf16Offsets("")
        self._text = ""
        self._segments: Intervals[Segment] = Intervals(())  # by Qt position, for the gutter
        self._margins: dict[int, _Margin] = {}  # by segment start, described once shown
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
        self.setPlainText(text)
        self.highlighter.text_replaced()
        self._set_segments(segments)
        self.set_claims(claims)

    def _set_segments(self, segments: Sequence[Segment]) -> None:
        to_qt = self._offsets.to_qt
        comment_colour, furniture_colour = muted_colours(self.palette())
        comment = _muted(comment_colour, italic=False)
        furniture = _muted(furniture_colour, italic=True)
        dimmed = []
        for g in segments:
            if g.kind is SegmentKind.COMMENT:
                dimmed.append((to_qt(g.start), to_qt(g.end), comment))
            elif g.kind is SegmentKind.FURNITURE:
                dimmed.append((to_qt(g.start), to_qt(g.end), furniture))
        self._segments = Intervals((to_qt(g.start), to_qt(g.end), g) for g in segments)
        self._margins = {}
        self.highlighter.set_dimmed(dimmed)
        self.gutter.update()

    def _margin(self, block: QTextBlock) -> _Margin | None:
        """What the gutter says beside a block: about the first segment that starts in it."""
        start = block.position()
        found = self._segments.first_starting_in(start, start + block.length())
        if found is None:
            return None
        margin = self._margins.get(found[0])
        if margin is None:
            g = found[2]
            margin = self._margins[found[0]] = _Margin((g.lang or "").upper(), g.kind, _describe(g))
        return margin

    def margin_at(self, y: int) -> _Margin | None:
        return self._margin(self.cursorForPosition(QPoint(0, y)).block())

    def write_visible(self) -> None:
        """Put the current highlights into the blocks on screen, before they are painted."""
        write = self.highlighter.write
        block = self.firstVisibleBlock()
        top = self.blockBoundingGeometry(block).translated(self.contentOffset()).top()
        bottom = self.viewport().height()
        while block.isValid() and top <= bottom:
            write(block)
            if block.isVisible():
                top += self.blockBoundingRect(block).height()
            block = block.next()

    def _repaint_blocks(self, blocks: Sequence[QTextBlock] | None) -> None:
        """Blocks whose highlights changed: only those on screen are painted again (as
        QSyntaxHighlighter's block update did), each across the page."""
        viewport = self.viewport()
        if blocks is None:
            viewport.update()
            return
        offset, shown = self.contentOffset(), viewport.rect()
        for block in blocks:
            rect = self.blockBoundingGeometry(block).translated(offset).toAlignedRect()
            rect.setLeft(0)
            rect.setRight(shown.right())
            if rect.intersects(shown):
                viewport.update(rect)

    def paintEvent(self, event: QPaintEvent) -> None:  # noqa: N802 (Qt's name)
        self.write_visible()
        super().paintEvent(event)

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
        self.write_visible()  # a muted stretch's italics may change the blocks' heights
        block = self.firstVisibleBlock()
        offset = self.contentOffset()
        while block.isValid():
            geometry = self.blockBoundingGeometry(block).translated(offset)
            if geometry.top() > event.rect().bottom():
                break
            margin = self._margin(block)
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
        # Each Span made by tuple.__new__, as Span(...) ends up making it, without its Python
        # __new__ in between (5,000 calls on opening a long article).
        make = tuple.__new__
        if self._offsets.same:  # most texts: no look-up per offset
            spans = (make(Span, (c.start, c.end, c.id, c.colour, c.accepted)) for c in claims if c.in_text)
        else:
            to_qt = self._offsets.to_qt
            spans = (make(Span, (to_qt(c.start), to_qt(c.end), c.id, c.colour, c.accepted)) for c in claims if c.in_text)
        self.highlighter.set_spans(spans, redraw)

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
