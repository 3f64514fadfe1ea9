"""The articles pane: search over every claim above the list of articles, each with how many of its
claims are checked. It shows what the window hands it and says what the user picked."""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from dataclasses import replace
from typing import Any

from PySide6.QtCore import (
    QAbstractListModel,
    QEvent,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    QRect,
    QSize,
    Qt,
    QTimer,
    Signal,
)
from PySide6.QtGui import (
    QFont,
    QFontMetrics,
    QFontMetricsF,
    QHelpEvent,
    QKeyEvent,
    QPainter,
    QPalette,
    QTextLayout,
    QTextOption,
)
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListView,
    QListWidget,
    QListWidgetItem,
    QStackedWidget,
    QStyle,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QToolButton,
    QToolTip,
    QVBoxLayout,
    QWidget,
)

from app.domain import ArticleSummary, SearchHit
from app.ui.scrolling import scroll_by_moving_pixels

SEARCH_DELAY_MS = 200
SEARCH_MIN_CHARS = 2  # search as you type starts at the second letter


def titled(title: str, widget: QWidget) -> QWidget:
    """A pane with its small upper-case title above it."""
    box = QWidget()
    layout = QVBoxLayout(box)
    layout.setContentsMargins(0, 0, 0, 0)
    layout.setSpacing(4)
    label = QLabel(title)
    label.setObjectName("paneTitle")
    layout.addWidget(label)
    layout.addWidget(widget)
    return box


def article_line(title: str, done: int, total: int) -> str:
    return f"{title}\n{done} of {total} checked"


TITLE_LINES = 2
SIZE_CACHE = 50_000  # entries' sizes kept (a few MB at most)
"""An entry's title is elided to this many lines; the line under it is always shown."""


def wrapped_lines(text: str, font: QFont, width: int, most: int) -> list[str]:
    """text wrapped at words into at most `most` lines of `width` pixels, the last one elided."""
    layout = QTextLayout(" ".join(text.split()), font)
    option = QTextOption()
    option.setWrapMode(QTextOption.WrapMode.WrapAtWordBoundaryOrAnywhere)
    layout.setTextOption(option)
    plain = layout.text()
    spans: list[tuple[int, int]] = []
    layout.beginLayout()
    while True:
        line = layout.createLine()
        if not line.isValid():
            break
        line.setLineWidth(max(width, 1))
        spans.append((line.textStart(), line.textLength()))
    layout.endLayout()
    if len(spans) <= most:
        return [plain[a : a + n].rstrip() for a, n in spans] or [""]
    kept = [plain[a : a + n].rstrip() for a, n in spans[: most - 1]]
    rest = plain[spans[most - 1][0] :]
    return [*kept, QFontMetrics(font).elidedText(rest, Qt.TextElideMode.ElideRight, max(width, 1))]


def line_count(text: str, font: QFont, width: int, most: int, advance: float | None = None) -> int:
    """len(wrapped_lines(text, font, width, most)), measured without laying the text out when its
    width alone decides it: a title that fits is one line, one that does not is at least two. The
    article list asks this of every entry (three times each), 2 s for 10,000 articles with a layout.
    `advance`: the text's width in `font`, when the caller has it already."""
    if advance is None:
        advance = QFontMetricsF(font).horizontalAdvance(" ".join(text.split()))
    if advance <= width - 1:
        return 1
    if most <= 2 and advance > width + 1:
        return most
    return len(wrapped_lines(text, font, width, most))  # near the edge, or more lines allowed


class EntryDelegate(QStyledItemDelegate):
    """An entry of the article list or of the search results: its first line(s) elided to
    TITLE_LINES lines (the whole text is the tooltip), and the line under it, smaller and muted,
    always shown. An item's text is "title\nline under it"."""

    PAD_X, PAD_Y, GAP = 8, 7, 2

    def __init__(self, parent: QListView, title_tips: bool = False) -> None:
        """`title_tips`: an entry without a tooltip of its own shows its title as one (the
        article list: setting 10,000 tooltips at start-up, one call each, for the few hovered)."""
        super().__init__(parent)
        self._title_tips = title_tips

    def helpEvent(self, event: QHelpEvent, view: QAbstractItemView, option: QStyleOptionViewItem,  # noqa: N802 (Qt's name)
                  index: QModelIndex | QPersistentModelIndex) -> bool:
        if (self._title_tips and event.type() == QEvent.Type.ToolTip and index.isValid()
                and index.data(Qt.ItemDataRole.ToolTipRole) is None):
            title, _ = self.parts(index)
            if title:  # shown as Qt shows an entry's own tooltip (QAbstractItemDelegate::helpEvent)
                shown = view.visualRect(index)
                QToolTip.showText(event.globalPos(), title, view, QRect(view.mapToGlobal(shown.topLeft()), shown.size()))
                return True
        return super().helpEvent(event, view, option, index)

    @staticmethod
    def parts(index: QModelIndex | QPersistentModelIndex) -> tuple[str, str]:
        text = str(index.data(Qt.ItemDataRole.DisplayRole) or "")
        title, _, under = text.rpartition("\n") if "\n" in text else (text, "", "")
        return title, under

    def _width(self, option: QStyleOptionViewItem) -> int:
        view = self.parent()
        width = option.rect.width()
        if isinstance(view, QListView) and width <= 0:
            width = view.viewport().width()
        return width - 2 * self.PAD_X

    @staticmethod
    def _small(font: QFont) -> QFont:
        small = QFont(font)
        small.setPointSizeF(max(font.pointSizeF() * 0.9, 7.0))
        return small

    def paint(self, painter: QPainter, option: QStyleOptionViewItem, index: QModelIndex | QPersistentModelIndex) -> None:
        opt = QStyleOptionViewItem(option)
        self.initStyleOption(opt, index)
        opt.text = ""
        widget = opt.widget
        style = widget.style() if widget is not None else None
        if style is not None:
            style.drawControl(QStyle.ControlElement.CE_ItemViewItem, opt, painter, widget)
        title, under = self.parts(index)
        selected = bool(opt.state & QStyle.StateFlag.State_Selected)
        enabled = bool(index.flags() & Qt.ItemFlag.ItemIsEnabled)
        group = QPalette.ColorGroup.Normal if enabled else QPalette.ColorGroup.Disabled
        # A selected entry is drawn in the palette's highlight (style sheet or not): its text colour.
        text_role = QPalette.ColorRole.HighlightedText if selected else QPalette.ColorRole.Text
        painter.save()
        rect = opt.rect.adjusted(self.PAD_X, self.PAD_Y, -self.PAD_X, -self.PAD_Y)
        metrics = QFontMetrics(opt.font)
        y = rect.top()
        painter.setFont(opt.font)
        painter.setPen(opt.palette.color(group, text_role))
        for line in wrapped_lines(title, opt.font, rect.width(), TITLE_LINES) if title else []:
            painter.drawText(QRect(rect.left(), y, rect.width(), metrics.lineSpacing()),
                             int(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter), line)
            y += metrics.lineSpacing()
        if under:
            small = self._small(opt.font)
            painter.setFont(small)
            under_role = QPalette.ColorRole.HighlightedText if selected else QPalette.ColorRole.PlaceholderText
            painter.setPen(opt.palette.color(group, under_role))
            line_height = QFontMetrics(small).lineSpacing()
            shown = QFontMetrics(small).elidedText(under, Qt.TextElideMode.ElideRight, rect.width())
            painter.drawText(QRect(rect.left(), y + self.GAP, rect.width(), line_height),
                             int(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter), shown)
        painter.restore()


RESIZE_DELAY_MS = 60  # entries re-measured this long after the pane's width last changed
ESTIMATE_BELOW = "\u0300"  # titles of characters below this (no combining marks) have their widths summed
ESTIMATE_MARGIN = 0.08  # how far a summed width may be from the shaped one (kerning, ligatures), and more


class TitleLines(QObject):
    """How many lines each entry's title takes in a list (EntryDelegate.paint's TITLE_LINES at
    most) and the entry's size from that, at the list's width now; measured again when the width
    changes (debounced while the list is on screen: a dragged splitter re-measures once it rests)
    or the font does. An entry is TITLE_LINES lines of title at most, the smaller line under it
    and EntryDelegate's padding, as EntryDelegate.paint draws it. Its width is left to the view,
    which stretches every entry to the viewport's width: a new width re-sizes only the entries
    whose title now takes another number of lines. Subclasses keep the entries (`refit`)."""

    def __init__(self, view: QListView) -> None:
        super().__init__(view)
        self._view = view
        self._viewport = view.viewport()
        self._width = -1  # the viewport width the entries were measured at; -1: not yet
        self._font_key = ""
        self._font = QFont()
        self._metrics = QFontMetricsF(self._font)
        self._chars: dict[str, float] = {}  # a character's advance, for titles whose width is summed
        # Printable ASCII characters' advances in quarter pixels, rounded down with the space's as
        # 0 (a run of spaces is drawn as one) and rounded up, as bytes.translate tables (empty: a
        # font too large for a byte); and from the width, in quarter pixels: the summed width
        # above which a title is TITLE_LINES lines, at or below which it is one.
        self._low, self._high = b"", b""
        self._narrowest, self._widest = 0, 0  # the least of the first table but the space's, the most of the second
        self._over, self._within = 0.0, 0.0
        self._titles: dict[str, tuple[float, bool]] = {}  # a title's width, and whether it is exact
        self._unmeasured = False  # entries added while hidden, sized as TITLE_LINES lines until it shows
        self._sizes: tuple[tuple[QSize, ...], tuple[QSize, ...]] = ((), ())  # [under][title lines]
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(RESIZE_DELAY_MS)
        self._timer.timeout.connect(self.refit)
        self._viewport.installEventFilter(self)
        view.installEventFilter(self)

    def refit(self) -> None:
        """Measure the entries again at the list's width now and lay the list out."""
        raise NotImplementedError

    def _font_changed(self) -> None:
        """The font changed: every entry is to be measured again."""

    def _prepare(self) -> None:
        """The font's metrics (again if it changed: every entry then re-sized) and the entries'
        sizes, at the viewport's width now."""
        font = self._view.font()
        key = font.key()
        if key != self._font_key:
            if self._font_key:
                self._font_changed()
            self._font_key, self._font, self._metrics = key, font, QFontMetricsF(font)
            self._chars.clear()
            self._titles.clear()
            quarters = [4 * self._metrics.horizontalAdvance(chr(c)) for c in range(0x20, 0x7F)]
            low, high = bytearray(256), bytearray(256)
            if math.ceil(max(quarters)) < 256:
                for c, q in enumerate(quarters, 0x20):
                    low[c], high[c] = (math.floor(q) if c != 0x20 else 0), math.ceil(q)
                self._low, self._high = bytes(low), bytes(high)
                self._narrowest, self._widest = min(low[0x21:0x7F]), max(high[0x20:0x7F])
            else:
                self._low, self._high = b"", b""
        self._width = self._viewport.width()
        # _lines' rule for a summed width (a title's own margin of ESTIMATE_MARGIN and 4 px either
        # side), solved for the width: above _over it is TITLE_LINES lines, at or below _within one.
        width = self._width - 2 * EntryDelegate.PAD_X
        self._over = 4 * (width + 5) / (1 - ESTIMATE_MARGIN) + 1e-6
        self._within = 4 * (width - 5) / (1 + ESTIMATE_MARGIN) - 1e-6
        spacing = QFontMetrics(font).lineSpacing()
        under = EntryDelegate.GAP + QFontMetrics(EntryDelegate._small(font)).lineSpacing()
        pad = 2 * EntryDelegate.PAD_Y
        self._sizes = (tuple(QSize(1, n * spacing + pad) for n in range(TITLE_LINES + 1)),
                       tuple(QSize(1, n * spacing + under + pad) for n in range(TITLE_LINES + 1)))

    def _measured(self, title: str) -> tuple[float, bool]:
        """`title`'s width in the view's font: shaped (exact), or for most titles summed per
        character (a few per cent off for kerning and ligatures, and 20 times cheaper)."""
        got = self._titles.get(title)
        if got is None:
            if len(self._titles) > SIZE_CACHE:
                self._titles.clear()
            # No combining marks, no complex shaping, no soft hyphen (drawn only where a line breaks).
            if title.isascii() or (max(title) < ESTIMATE_BELOW and "\xad" not in title):
                chars, plain = self._chars, " ".join(title.split())  # (as drawn: a run of spaces is one)
                try:
                    summed = sum(map(chars.__getitem__, plain))
                except KeyError:
                    for c in set(plain) - chars.keys():
                        chars[c] = self._metrics.horizontalAdvance(c)
                    summed = sum(map(chars.__getitem__, plain))
                got = (summed, False)
            else:
                got = (self._metrics.horizontalAdvance(" ".join(title.split())), True)
            self._titles[title] = got
        return got

    def _lines(self, title: str) -> int:
        """How many lines EntryDelegate.paint draws `title` in (see line_count): a summed width
        decides when it is well clear of the edge, else the title is shaped."""
        if not title:
            return 0
        width = self._width - 2 * EntryDelegate.PAD_X
        if self._low and title.isascii() and title.isprintable():
            # Printable ASCII (no tab or line break: its only blank is the space). Its summed width
            # is at least its characters' but the spaces' (a run of them is drawn as one) and at
            # most every character's, each summed in C from the tables: clear of the edge by those
            # bounds, it is decided as below without the title made plain, summed per character
            # in Python and kept (a 10,000-article list's titles are mostly far from the edge).
            encoded = title.encode("ascii")
            if TITLE_LINES <= 2 and sum(encoded.translate(self._low)) > self._over:
                return TITLE_LINES
            if sum(encoded.translate(self._high)) <= self._within:
                return 1
        advance, exact = self._measured(title)
        if not exact:
            slack = ESTIMATE_MARGIN * advance + 4
            if advance + slack <= width - 1:
                return 1
            if TITLE_LINES <= 2 and advance - slack > width + 1:
                return TITLE_LINES
            advance = self._metrics.horizontalAdvance(" ".join(title.split()))
            self._titles[title] = (advance, True)
        return line_count(title, self._font, width, TITLE_LINES, advance)

    def _lines_of(self, titles: Iterable[str]) -> list[int]:
        """[self._lines(title) for title in titles], with _lines' shortcut for printable ASCII
        written out in the loop: the whole list is measured as it first shows."""
        lines = self._lines
        low, high, over, within = self._low, self._high, self._over, self._within
        if not low or TITLE_LINES > 2:
            return [lines(title) for title in titles]
        out: list[int] = []
        add = out.append
        narrowest, widest = self._narrowest, self._widest
        for title in titles:
            if title and title.isascii() and title.isprintable():
                # From its length alone first (each character at least the narrowest, at most the
                # widest), then from the tables.
                length = len(title)
                if length * widest <= within:
                    add(1)
                    continue
                if (length - title.count(" ")) * narrowest > over:
                    add(TITLE_LINES)
                    continue
                encoded = title.encode("ascii")
                if sum(encoded.translate(low)) > over:
                    add(TITLE_LINES)
                    continue
                if sum(encoded.translate(high)) <= within:
                    add(1)
                    continue
            add(lines(title))
        return out

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 (Qt's name)
        kind = event.type()  # only these events touch the view: others come while it is destroyed
        if watched is self._viewport and kind == QEvent.Type.Resize:
            # Hidden (before the window shows, or behind the search results): measured as it shows.
            if self._view.isVisible() and self._viewport.width() != self._width:
                self._timer.start()  # debounced: a dragged splitter re-measures once it rests
        elif watched is self._view and kind == QEvent.Type.Show:
            if self._unmeasured or self._viewport.width() != self._width:
                self.refit()  # at once, before the view lays out and paints
        elif watched is self._view and kind == QEvent.Type.FontChange and self._view.font().key() != self._font_key:
            self.refit()
        return False


class EntrySizes(TitleLines):
    """Every entry of a QListWidget (the search results) gets its size in its SizeHintRole, measured
    as the entry is added and again when the list's width changes (TitleLines). The view then lays
    out from the role in C++: a Python sizeHint, asked for each entry several times per layout
    pass, was most of a big archive's start-up when the article list was one. Entries are added,
    re-texted and cleared through this (`item`, `set_text`, `clear`)."""

    def __init__(self, view: QListWidget) -> None:
        super().__init__(view)
        self._list = view
        self._rows: list[tuple[str, bool, int]] = []  # per entry: its title, a line under it, its title lines

    def _font_changed(self) -> None:
        self._rows = [(title, under, -1) for title, under, _ in self._rows]

    def item(self, text: str) -> QListWidgetItem:
        """A new entry showing `text` ("title\\nline under it"), sized; the caller adds it last.
        A hidden list (the window not shown yet) measures its entries as it shows, at its width then."""
        if self._width < 0:
            self._prepare()
        title, _, under = text.rpartition("\n") if "\n" in text else (text, "", "")
        if self._list.isVisible():
            lines = self._lines(title)
        else:
            lines, self._unmeasured = TITLE_LINES, True  # sized as two lines until it shows
        self._rows.append((title, bool(under), lines))
        item = QListWidgetItem(text)
        item.setSizeHint(self._sizes[bool(under)][lines])
        return item

    def set_text(self, item: QListWidgetItem, text: str) -> None:
        if self._width < 0:
            self._prepare()
        title, _, under = text.rpartition("\n") if "\n" in text else (text, "", "")
        lines = self._lines(title)
        row = self._list.row(item)
        if 0 <= row < len(self._rows):
            self._rows[row] = (title, bool(under), lines)
        item.setText(text)
        item.setSizeHint(self._sizes[bool(under)][lines])

    def clear(self) -> None:
        """Empty the list."""
        self._list.clear()
        self._rows.clear()

    def refit(self) -> None:
        """Measure the entries again at the list's width now and lay the list out once. Laying
        it out may show the scroll bar, which narrows the list: then once more, at once."""
        self._unmeasured = False
        view, model = self._list, self._list.model()
        if len(self._rows) != view.count():  # (items added past `item`: measured from their text)
            self._rows = [(t, bool(u), -1) for t, _, u in
                          (view.item(r).text().rpartition("\n") if "\n" in view.item(r).text()
                           else (view.item(r).text(), "", "") for r in range(view.count()))]
        for _ in range(2):
            self._prepare()
            rows, sizes = self._rows, self._sizes
            counted = self._lines_of([title for title, _, _ in rows])
            # Only entries whose title takes another number of lines change; one layout afterwards,
            # not a dataChanged (and a repaint request) per entry.
            model.blockSignals(True)
            try:
                for row, ((title, under, lines), now) in enumerate(zip(rows, counted, strict=True)):
                    if now != lines:
                        rows[row] = (title, under, now)
                        view.item(row).setSizeHint(sizes[under][now])
            finally:
                model.blockSignals(False)
            view.doItemsLayout()
            self._viewport.update()
            if self._viewport.width() == self._width:
                break
        self._timer.stop()  # (the resizes this made, or that came before it, are measured)

FETCH_FIRST = 256
"""Entries the article list is given at first; scrolling further gives it as many again as it
holds (256, 512, 1,024...: a 10,000-article list whole in six steps). A desk of up to this many
articles is laid out whole at once, its scroll bar as before; 256 entries are measured and laid
out in about 2 ms more than 64."""


class ArticleListModel(QAbstractListModel):
    """The article list's entries: every summary read is held, the view is given the first
    FETCH_FIRST and more as scrolling (or a key, or the selection) reaches them (Qt's
    canFetchMore/fetchMore). A 10,000-article archive's list made 10,000 items, set their roles
    and measured their titles before the first frame (about 40 ms); now only the entries laid out
    are measured, and an entry's text and data are made when the view asks for them. The sizes
    are TitleLines' (see ArticleSizes); the tooltip is the title (EntryDelegate's title_tips)."""

    def __init__(self, view: QListView) -> None:
        super().__init__(view)
        self._summaries: list[ArticleSummary] = []
        self._shown = 0  # the first rows given to the view
        self.sizes = ArticleSizes(view, self)

    # -- what the view asks -------------------------------------------------------------------

    def rowCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: N802, B008 (Qt's name and default)
        return 0 if parent.isValid() else self._shown

    def data(self, index: QModelIndex | QPersistentModelIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        row = index.row()
        if not 0 <= row < self._shown:
            return None
        if role == Qt.ItemDataRole.SizeHintRole:
            return self.sizes.size(row)
        if role == Qt.ItemDataRole.DisplayRole:
            return self.line(row)
        if role == Qt.ItemDataRole.UserRole:
            return self._summaries[row].id
        return None

    def canFetchMore(self, parent: QModelIndex | QPersistentModelIndex) -> bool:  # noqa: N802 (Qt's name)
        return not parent.isValid() and self._shown < len(self._summaries)

    def fetchMore(self, parent: QModelIndex | QPersistentModelIndex) -> None:  # noqa: N802 (Qt's name)
        if not parent.isValid():
            self.fetch_to(self._shown + max(self._shown, FETCH_FIRST) - 1)

    # -- what the pane does -------------------------------------------------------------------

    def total(self) -> int:
        """How many articles the list holds (shown to the view or not yet)."""
        return len(self._summaries)

    def line(self, row: int) -> str:
        """What entry `row` shows ("title\\nn of m checked"), given to the view or not."""
        summary = self._summaries[row]
        return article_line(summary.title, summary.resolved_count, summary.claim_count)

    def titles(self, first: int, end: int) -> list[str]:
        return [summary.title for summary in self._summaries[first:end]]

    def fill(self, summaries: Sequence[ArticleSummary], reach: int = 0) -> None:
        """Hold `summaries`, the view given the first FETCH_FIRST and up to row `reach`."""
        self.beginResetModel()
        self._summaries = list(summaries)
        self._shown = min(len(self._summaries), max(FETCH_FIRST, reach + 1))
        self.sizes.reset(self._shown)
        self.endResetModel()

    def fetch_to(self, row: int) -> None:
        """Give the view the rows up to `row` (all of them for the last)."""
        end = min(row + 1, len(self._summaries))
        if end > self._shown:
            self.beginInsertRows(QModelIndex(), self._shown, end - 1)
            self.sizes.added(self._shown, end)
            self._shown = end
            self.endInsertRows()

    def set_entry(self, row: int, title: str, done: int, total: int) -> None:
        """One entry's title and counts (the window's own, from the claims it holds)."""
        summary = self._summaries[row]
        if (summary.title, summary.resolved_count, summary.claim_count) == (title, done, total):
            return
        self._summaries[row] = replace(summary, title=title, resolved_count=done, claim_count=total)
        if row < self._shown:
            resized = self.sizes.changed(row)
            index = self.index(row, 0)
            self.dataChanged.emit(index, index)
            if resized:
                self.sizes.lay_out()


class ArticleSizes(TitleLines):
    """The article list's entries' sizes (TitleLines), measured for the rows given to the view
    only: as they are given, and all of them again at a new width or font."""

    def __init__(self, view: QListView, model: ArticleListModel) -> None:
        super().__init__(view)
        self._model = model
        self._counted: list[int] = []  # per row given to the view: its title's lines; -1: not measured

    def _font_changed(self) -> None:
        self._counted = [-1] * len(self._counted)

    def size(self, row: int) -> QSize:
        lines = self._counted[row]
        if lines < 0:
            if self._width < 0:
                self._prepare()
            lines = self._counted[row] = self._lines_of(self._model.titles(row, row + 1))[0]
        return self._sizes[True][lines]

    def reset(self, count: int) -> None:
        self._counted = []
        self.added(0, count)

    def added(self, first: int, end: int) -> None:
        """Rows first..end-1 given to the view: measured now, or as TITLE_LINES lines until the
        list shows (then measured at its width)."""
        if self._width < 0:
            self._prepare()
        if self._view.isVisible():
            self._counted[first:] = self._lines_of(self._model.titles(first, end))
        else:
            self._counted[first:] = [TITLE_LINES] * (end - first)
            self._unmeasured = self._unmeasured or end > first

    def changed(self, row: int) -> bool:
        """Row `row`'s title changed: measured again; whether its size did."""
        if self._width < 0:
            self._prepare()
        was = self._counted[row]
        self._counted[row] = self._lines_of(self._model.titles(row, row + 1))[0]
        return was != self._counted[row]

    def lay_out(self) -> None:
        self._view.doItemsLayout()
        self._viewport.update()

    def refit(self) -> None:
        """Measure the entries given to the view again at the list's width now and lay the list
        out once. Laying it out may show the scroll bar, which narrows the list: then once more."""
        self._unmeasured = False
        for _ in range(2):
            self._prepare()
            self._counted = self._lines_of(self._model.titles(0, len(self._counted)))
            self.lay_out()
            if self._viewport.width() == self._width:
                break
        self._timer.stop()  # (the resizes this made, or that came before it, are measured)


class ArticleList(QListView):
    """The article list's view over an ArticleListModel. Its keys reach entries not yet given to
    it: End (and Ctrl+End) the last article, a step or a page down past the last entry given the
    next ones, typing a title's first letters every title. `count()` is every article listed;
    `setCurrentRow` reaches any. `currentArticleChanged(row)` when the current entry changes (-1:
    none), a signal of the view's own (blocked with it, as QListWidget's currentItemChanged is)."""

    currentArticleChanged = Signal(int)  # noqa: N815 (Qt signal naming)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.articles = ArticleListModel(self)
        self.setModel(self.articles)

    def count(self) -> int:
        return self.articles.total()

    def currentRow(self) -> int:  # noqa: N802 (as QListWidget's)
        index = self.currentIndex()
        return index.row() if index.isValid() else -1

    def setCurrentRow(self, row: int) -> None:  # noqa: N802 (as QListWidget's)
        if 0 <= row < self.articles.total():
            self.articles.fetch_to(row)
            self.setCurrentIndex(self.articles.index(row, 0))
        else:
            self.setCurrentIndex(QModelIndex())

    def text(self, row: int) -> str:
        """What entry `row` shows ("title\\nn of m checked"), given to the view or not."""
        return self.articles.line(row)

    def currentChanged(self, current: QModelIndex | QPersistentModelIndex,  # noqa: N802 (Qt's name)
                       previous: QModelIndex | QPersistentModelIndex) -> None:
        super().currentChanged(current, previous)
        self.currentArticleChanged.emit(current.row() if current.isValid() else -1)

    def moveCursor(self, action: QAbstractItemView.CursorAction,  # noqa: N802 (Qt's name)
                   modifiers: Qt.KeyboardModifier) -> QModelIndex:
        model = self.articles
        if model.canFetchMore(QModelIndex()):
            move = QAbstractItemView.CursorAction
            if action == move.MoveEnd:
                model.fetch_to(model.total() - 1)
            elif action in (move.MoveDown, move.MoveNext, move.MovePageDown):
                # The next page's entries given before the cursor moves, so that it never stops
                # at the last entry given.
                shown = model.rowCount()
                page = max(1, self.viewport().height() // max(1, self.sizeHintForRow(0) if shown else 1))
                if self.currentRow() + 2 * page >= shown:
                    model.fetchMore(QModelIndex())
        return super().moveCursor(action, modifiers)

    def keyboardSearch(self, search: str) -> None:  # noqa: N802 (Qt's name)
        """Typing in the list finds the next title starting so among all the articles."""
        self.articles.fetch_to(self.articles.total() - 1)
        super().keyboardSearch(search)


class ArticlesPane(QWidget):
    """`articlePicked(id)` when the user picks an article; `searchRequested(text)` after a typing
    pause ("" when the box is cleared); `hitPicked(article_id, claim_id)` for a search result."""

    articlePicked = Signal(object)  # noqa: N815 (Qt signal naming) -- int, or None for no article
    searchRequested = Signal(str)  # noqa: N815 (Qt signal naming)
    hitPicked = Signal(int, int)  # noqa: N815 (Qt signal naming)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.articles = ArticleList()
        self.articles.setObjectName("articleList")
        scroll_by_moving_pixels(self.articles)
        self.articles.setWordWrap(True)
        self.articles.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.search = QLineEdit()
        self.search.setObjectName("searchBox")
        self.search.setPlaceholderText("Search all claims, notes, sources…")
        self.search.setClearButtonEnabled(True)
        self.search_results = QListWidget()
        self.search_results.setObjectName("searchResults")
        self.search_results.setWordWrap(True)
        # An article's tooltip is its title, shown from the entry's text when hovered.
        self.articles.setItemDelegate(EntryDelegate(self.articles, title_tips=True))
        self.search_results.setItemDelegate(EntryDelegate(self.search_results))
        for view in (self.articles, self.search_results):
            view.setResizeMode(QListView.ResizeMode.Adjust)  # entries re-wrap when the pane resizes
            view.setUniformItemSizes(False)
        # Search results carry their sizes (EntrySizes): every item is made and re-texted through it;
        # the article list's model sizes its entries itself (ArticleListModel).
        self._hit_sizes = EntrySizes(self.search_results)
        self.left_stack = QStackedWidget()
        self.left_stack.addWidget(self.articles)
        self.left_stack.addWidget(self.search_results)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.search)
        # The list's heading says what it shows: "Articles", or "Search results (N)" with a way back.
        self.list_title = QLabel("Articles")
        self.list_title.setObjectName("paneTitle")
        self.back_button = QToolButton()
        self.back_button.setObjectName("backToArticles")
        self.back_button.setText("← Articles")
        self.back_button.setToolTip("Clear the search and show the articles again (Esc in the search box)")
        self.back_button.setAutoRaise(True)
        self.back_button.hide()
        self.back_button.clicked.connect(self.clear_search)
        heading = QHBoxLayout()
        heading.setContentsMargins(0, 0, 0, 0)
        heading.addWidget(self.list_title, 1)
        heading.addWidget(self.back_button)
        layout.addLayout(heading)
        layout.addWidget(self.left_stack)
        self.left_stack.currentChanged.connect(lambda _index: self._update_heading())

        self._more_hits = False
        self._rows: dict[int, int] = {}  # article id: its row in the list
        self._search_timer = QTimer(self)
        self._search_timer.setSingleShot(True)
        self._search_timer.setInterval(SEARCH_DELAY_MS)
        self._search_timer.timeout.connect(self._search_paused)
        self.search.textChanged.connect(lambda _text: self._search_timer.start())
        self.search.installEventFilter(self)  # Esc in the box: back to the articles
        self.search_results.itemActivated.connect(self._hit_picked)
        self.search_results.itemClicked.connect(self._hit_picked)
        self.articles.currentArticleChanged.connect(self._article_changed)

    # -- the list -------------------------------------------------------------------------

    def show_articles(self, summaries: Sequence[ArticleSummary], current: int | None) -> int | None:
        """Fill the list and select `current` if it is there, else the first; emits nothing.
        Returns the id now selected (None for an empty list)."""
        self.articles.blockSignals(True)
        try:
            ids = [summary.id for summary in summaries]
            # Each listed article's row (the list is only ever filled here), for look-ups by id.
            self._rows = {article_id: row for row, article_id in enumerate(ids)}
            row = self._rows.get(current, 0) if current is not None and ids else (0 if ids else -1)
            # The view is given the first entries, and the selected one's however far down it is.
            self.articles.articles.fill(summaries, reach=row)
            self.articles.setCurrentRow(row)
        finally:
            self.articles.blockSignals(False)
        self._update_heading()
        return ids[row] if row >= 0 else None

    def pick(self, article_id: int) -> None:
        """Select an article as if the user clicked it (articlePicked follows)."""
        row = self._rows.get(article_id)
        if row is not None:
            self.articles.setCurrentRow(row)

    def mark_current(self, article_id: int) -> None:
        """Select an article's entry without a signal: the window has opened it already."""
        row = self._rows.get(article_id)
        if row is not None and self.articles.currentRow() != row:
            self.articles.blockSignals(True)
            self.articles.setCurrentRow(row)
            self.articles.blockSignals(False)

    def ids(self) -> list[int]:
        """The articles listed, in order."""
        return list(self._rows)

    def show_progress(self, article_id: int, title: str, done: int, total: int) -> None:
        """One article's line, from claims the window already holds: no query per edit."""
        row = self._rows.get(article_id)
        if row is not None:
            self.articles.articles.set_entry(row, title, done, total)

    def _article_changed(self, row: int) -> None:
        model = self.articles.articles
        self.articlePicked.emit(model.index(row, 0).data(Qt.ItemDataRole.UserRole) if row >= 0 else None)

    # -- search ---------------------------------------------------------------------------

    def query(self) -> str:
        return self.search.text().strip()

    def focus_search(self) -> None:
        self.search.setFocus(Qt.FocusReason.ShortcutFocusReason)
        self.search.selectAll()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 (Qt's name)
        if (
            watched is self.search
            and event.type() == QEvent.Type.KeyPress
            and isinstance(event, QKeyEvent)
            and event.key() == Qt.Key.Key_Escape
            and (self.search.text() or self.showing_results())
        ):
            self.clear_search()
            return True
        return super().eventFilter(watched, event)

    def clear_search(self) -> None:
        """Back to the articles: the search box empties and the list shows again."""
        self.search.clear()
        self._search_timer.stop()
        self.left_stack.setCurrentWidget(self.articles)
        self.searchRequested.emit("")

    def showing_results(self) -> bool:
        return self.left_stack.currentWidget() is self.search_results

    def _update_heading(self) -> None:
        if self.showing_results():
            hits = sum(1 for i in range(self.search_results.count())
                       if self.search_results.item(i).data(Qt.ItemDataRole.UserRole))
            more = "+" if self._more_hits else ""
            self.list_title.setText(f"Search results ({hits}{more})")
            self.list_title.setToolTip(
                f"More claims match: these are the {hits} newest of them; add a word to narrow the search."
                if more else "")
            self.back_button.show()
        else:
            self.list_title.setText(f"Articles ({self.articles.count()})" if self.articles.count() else "Articles")
            self.back_button.hide()

    def _search_paused(self) -> None:
        query = self.query()
        if not query:
            self.left_stack.setCurrentWidget(self.articles)
        elif len(query) < SEARCH_MIN_CHARS:
            # One letter matches nearly every claim of an archive (974,000 of a million for "t"),
            # and ranking them all took seconds: wait for a second letter.
            self._hit_sizes.clear()
            item = self._hit_sizes.item(f"Type {SEARCH_MIN_CHARS} letters or more to search.")
            item.setFlags(Qt.ItemFlag.NoItemFlags)
            self.search_results.addItem(item)
            self.left_stack.setCurrentWidget(self.search_results)
            self._update_heading()
            return
        self.searchRequested.emit(query)

    def show_hits(self, query: str, hits: Sequence[SearchHit], more: bool = False) -> None:
        """`more`: more claims match than are shown (the search gives the newest of them)."""
        self._more_hits = more
        self._hit_sizes.clear()
        for hit in hits:
            item = self._hit_sizes.item(f"{' '.join(hit.quote.split())}\n{hit.verdict or hit.state.label} · {hit.article_title}")
            item.setData(Qt.ItemDataRole.UserRole, (hit.article_id, hit.claim_id))
            item.setToolTip(f"{hit.quote}\n\n{hit.verdict or hit.state.label} · {hit.article_title}")
            self.search_results.addItem(item)
        if not hits:
            item = self._hit_sizes.item(f"No claim matches “{query}”.")
            item.setFlags(Qt.ItemFlag.NoItemFlags)
            self.search_results.addItem(item)
        self.left_stack.setCurrentWidget(self.search_results)
        self._update_heading()

    def _hit_picked(self, item: QListWidgetItem) -> None:
        target = item.data(Qt.ItemDataRole.UserRole)
        if target:
            self.hitPicked.emit(*target)
