"""The articles pane: search over every claim above the list of articles, each with how many of its
claims are checked. It shows what the window hands it and says what the user picked."""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence

from PySide6.QtCore import QEvent, QModelIndex, QObject, QPersistentModelIndex, QRect, QSize, Qt, QTimer, Signal
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


class EntrySizes(QObject):
    """Every entry of a list gets its size in its SizeHintRole, measured as the entry is added and
    again when the list's width changes (debounced while the list is on screen: a dragged splitter
    re-measures once it rests). The view then lays out from the role in C++: a Python sizeHint,
    asked for each of 10,000 entries several times per layout pass, was most of a big archive's
    start-up. An entry is TITLE_LINES lines of title at most, the smaller line under it and
    EntryDelegate's padding, as EntryDelegate.paint draws it. Its width is left to the view, which
    stretches every entry to the viewport's width: a new width re-sizes only the entries whose
    title now takes another number of lines. Entries are added, re-texted and cleared through
    this (`item` or, for a whole list at once, `fill`; `set_text`, `clear`)."""

    def __init__(self, view: QListWidget) -> None:
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
        self._rows: list[tuple[str, bool, int]] = []  # per entry: its title, a line under it, its title lines
        self._unmeasured = False  # entries added while hidden, sized as TITLE_LINES lines until it shows
        self._sizes: tuple[tuple[QSize, ...], tuple[QSize, ...]] = ((), ())  # [under][title lines]
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(RESIZE_DELAY_MS)
        self._timer.timeout.connect(self.refit)
        self._viewport.installEventFilter(self)
        view.installEventFilter(self)

    def _prepare(self) -> None:
        """The font's metrics (again if it changed: every entry then re-sized) and the entries'
        sizes, at the viewport's width now."""
        font = self._view.font()
        key = font.key()
        if key != self._font_key:
            if self._font_key:
                self._rows = [(title, under, -1) for title, under, _ in self._rows]
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

    def item(self, text: str) -> QListWidgetItem:
        """A new entry showing `text` ("title\\nline under it"), sized; the caller adds it last.
        A hidden list (the window not shown yet) measures its entries as it shows, at its width then."""
        if self._width < 0:
            self._prepare()
        title, _, under = text.rpartition("\n") if "\n" in text else (text, "", "")
        if self._view.isVisible():
            lines = self._lines(title)
        else:
            lines, self._unmeasured = TITLE_LINES, True  # sized as two lines until it shows
        self._rows.append((title, bool(under), lines))
        item = QListWidgetItem(text)
        item.setSizeHint(self._sizes[bool(under)][lines])
        return item

    def fill(self, texts: list[str], titles: Sequence[str], data: Sequence[object]) -> None:
        """Empty the list and add an entry for each of `texts` ("title\\nline under it", as `item`
        takes them; `titles`: each one's title, as EntryDelegate.parts splits it), sized as `item`
        sizes it, with its UserRole `data`. The entries go in with one insertion
        (QListWidget.addItems) and get their roles with the model's signals held (no layout is due
        until the insertion's own): an item made, sized and added one at a time, with the view told
        each time, was most of a 10,000-article list's start-up."""
        self.clear()
        if self._width < 0:
            self._prepare()
        if self._view.isVisible():
            rows = [(title, len(text) > len(title), lines) for text, title, lines
                    in zip(texts, titles, self._lines_of(titles), strict=True)]
        else:  # sized as TITLE_LINES lines until it shows
            rows = [(title, len(text) > len(title), TITLE_LINES) for text, title in zip(texts, titles, strict=True)]
            self._unmeasured = bool(rows)
        self._rows = rows
        view, model, sizes = self._view, self._view.model(), self._sizes
        view.addItems(texts)
        user = Qt.ItemDataRole.UserRole
        item = view.item
        model.blockSignals(True)
        try:
            for row, ((_, under, lines), value) in enumerate(zip(rows, data, strict=True)):
                entry = item(row)
                entry.setSizeHint(sizes[under][lines])
                entry.setData(user, value)
        finally:
            model.blockSignals(False)

    def set_text(self, item: QListWidgetItem, text: str) -> None:
        if self._width < 0:
            self._prepare()
        title, _, under = text.rpartition("\n") if "\n" in text else (text, "", "")
        lines = self._lines(title)
        row = self._view.row(item)
        if 0 <= row < len(self._rows):
            self._rows[row] = (title, bool(under), lines)
        item.setText(text)
        item.setSizeHint(self._sizes[bool(under)][lines])

    def clear(self) -> None:
        """Empty the list."""
        self._view.clear()
        self._rows.clear()

    def refit(self) -> None:
        """Measure the entries again at the list's width now and lay the list out once. Laying
        it out may show the scroll bar, which narrows the list: then once more, at once."""
        self._unmeasured = False
        view, model = self._view, self._view.model()
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


class ArticlesPane(QWidget):
    """`articlePicked(id)` when the user picks an article; `searchRequested(text)` after a typing
    pause ("" when the box is cleared); `hitPicked(article_id, claim_id)` for a search result."""

    articlePicked = Signal(object)  # noqa: N815 (Qt signal naming) -- int, or None for no article
    searchRequested = Signal(str)  # noqa: N815 (Qt signal naming)
    hitPicked = Signal(int, int)  # noqa: N815 (Qt signal naming)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.articles = QListWidget()
        self.articles.setObjectName("articleList")
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
        # Entries carry their sizes (EntrySizes): every item is made and re-texted through these.
        self._article_sizes = EntrySizes(self.articles)
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
        self.articles.currentItemChanged.connect(self._article_changed)

    # -- the list -------------------------------------------------------------------------

    def show_articles(self, summaries: Sequence[ArticleSummary], current: int | None) -> int | None:
        """Fill the list and select `current` if it is there, else the first; emits nothing.
        Returns the id now selected (None for an empty list)."""
        self.articles.blockSignals(True)
        try:
            ids = [summary.id for summary in summaries]
            self._article_sizes.fill([article_line(s.title, s.resolved_count, s.claim_count) for s in summaries],
                                     [summary.title for summary in summaries], ids)
            # Each listed article's row (the list is only ever filled here), for look-ups by id
            # without asking 10,000 items.
            self._rows = {article_id: row for row, article_id in enumerate(ids)}
            row = self._rows.get(current, 0) if current is not None and ids else (0 if ids else -1)
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
            item = self.articles.item(row)
            self._article_sizes.set_text(item, article_line(title, done, total))
            item.setToolTip(title)

    def _article_changed(self, item: QListWidgetItem | None, _previous: QListWidgetItem | None = None) -> None:
        self.articlePicked.emit(item.data(Qt.ItemDataRole.UserRole) if item else None)

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
