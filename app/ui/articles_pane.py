"""The articles pane: search over every claim above the list of articles, each with how many of its
claims are checked. It shows what the window hands it and says what the user picked."""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtWidgets import QLabel, QLineEdit, QListWidget, QListWidgetItem, QStackedWidget, QVBoxLayout, QWidget

from app.domain import ArticleSummary, SearchHit, clip

SEARCH_DELAY_MS = 200


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
        self.left_stack = QStackedWidget()
        self.left_stack.addWidget(self.articles)
        self.left_stack.addWidget(self.search_results)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.search)
        layout.addWidget(titled("Articles", self.left_stack))

        self._search_timer = QTimer(self)
        self._search_timer.setSingleShot(True)
        self._search_timer.setInterval(SEARCH_DELAY_MS)
        self._search_timer.timeout.connect(self._search_paused)
        self.search.textChanged.connect(lambda _text: self._search_timer.start())
        self.search_results.itemActivated.connect(self._hit_picked)
        self.search_results.itemClicked.connect(self._hit_picked)
        self.articles.currentItemChanged.connect(self._article_changed)

    # -- the list -------------------------------------------------------------------------

    def show_articles(self, summaries: Sequence[ArticleSummary], current: int | None) -> int | None:
        """Fill the list and select `current` if it is there, else the first; emits nothing.
        Returns the id now selected (None for an empty list)."""
        self.articles.blockSignals(True)
        try:
            self.articles.clear()
            for summary in summaries:
                item = QListWidgetItem(article_line(summary.title, summary.resolved_count, summary.claim_count))
                item.setData(Qt.ItemDataRole.UserRole, summary.id)
                item.setToolTip(summary.title)
                self.articles.addItem(item)
            ids = self.ids()
            row = ids.index(current) if current in ids else (0 if ids else -1)
            self.articles.setCurrentRow(row)
        finally:
            self.articles.blockSignals(False)
        return self.ids()[row] if row >= 0 else None

    def pick(self, article_id: int) -> None:
        """Select an article as if the user clicked it (articlePicked follows)."""
        ids = self.ids()
        if article_id in ids:
            self.articles.setCurrentRow(ids.index(article_id))

    def mark_current(self, article_id: int) -> None:
        """Select an article's entry without a signal: the window has opened it already."""
        ids = self.ids()
        if article_id in ids and self.articles.currentRow() != ids.index(article_id):
            self.articles.blockSignals(True)
            self.articles.setCurrentRow(ids.index(article_id))
            self.articles.blockSignals(False)

    def ids(self) -> list[int]:
        return [self.articles.item(i).data(Qt.ItemDataRole.UserRole) for i in range(self.articles.count())]

    def show_progress(self, article_id: int, title: str, done: int, total: int) -> None:
        """One article's line, from claims the window already holds: no query per edit."""
        for i in range(self.articles.count()):
            item = self.articles.item(i)
            if item.data(Qt.ItemDataRole.UserRole) == article_id:
                item.setText(article_line(title, done, total))
                item.setToolTip(title)
                return

    def _article_changed(self, item: QListWidgetItem | None, _previous: QListWidgetItem | None = None) -> None:
        self.articlePicked.emit(item.data(Qt.ItemDataRole.UserRole) if item else None)

    # -- search ---------------------------------------------------------------------------

    def query(self) -> str:
        return self.search.text().strip()

    def focus_search(self) -> None:
        self.search.setFocus(Qt.FocusReason.ShortcutFocusReason)
        self.search.selectAll()

    def _search_paused(self) -> None:
        query = self.query()
        if not query:
            self.left_stack.setCurrentWidget(self.articles)
        self.searchRequested.emit(query)

    def show_hits(self, query: str, hits: Sequence[SearchHit]) -> None:
        self.search_results.clear()
        for hit in hits:
            item = QListWidgetItem(f"{clip(hit.quote, 90)}\n{hit.verdict or hit.state.label} · {hit.article_title}")
            item.setData(Qt.ItemDataRole.UserRole, (hit.article_id, hit.claim_id))
            item.setToolTip(hit.quote)
            self.search_results.addItem(item)
        if not hits:
            item = QListWidgetItem(f"No claim matches “{query}”.")
            item.setFlags(Qt.ItemFlag.NoItemFlags)
            self.search_results.addItem(item)
        self.left_stack.setCurrentWidget(self.search_results)

    def _hit_picked(self, item: QListWidgetItem) -> None:
        target = item.data(Qt.ItemDataRole.UserRole)
        if target:
            self.hitPicked.emit(*target)
