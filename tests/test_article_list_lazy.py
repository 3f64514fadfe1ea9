"""The article list of a big archive is given to its view as it scrolls (ArticleListModel): the
first entries at first, more as scrolling, a key or the selection reaches them. Whatever the user
does with the list reaches every article: the selected one however far down, End, Page Down,
typing a title, hovering, the count in the heading, new and deleted articles."""

from __future__ import annotations

from datetime import datetime

import pytest
from PySide6.QtCore import QModelIndex, QPoint, Qt

from app.domain import ArticleSummary
from app.ingest import from_pasted

N = 1000


def summaries(n: int = N) -> list[ArticleSummary]:
    """Newest first, as the list reads them; every tenth title long enough for two lines."""
    return [ArticleSummary(n - row, f"{'Long ' * 30 if row % 10 == 3 else ''}Article {n - row:04d} on the budget",
                           row % 7, row % 5, datetime(2026, 1, 1)) for row in range(n)]


@pytest.fixture
def pane(qtbot):  # type: ignore[no-untyped-def]
    from app.ui.articles_pane import ArticlesPane

    made = ArticlesPane()
    qtbot.addWidget(made)
    made.resize(320, 600)
    made.show()
    qtbot.waitExposed(made)
    return made


def shown(view, row: int) -> bool:  # type: ignore[no-untyped-def]
    """Whether entry `row` is on screen, in the viewport."""
    rect = view.visualRect(view.model().index(row, 0))
    return rect.isValid() and view.viewport().rect().intersects(rect)


def test_only_the_first_entries_are_given_to_the_view_and_the_heading_counts_every_article(qtbot, pane) -> None:  # type: ignore[no-untyped-def]
    from app.ui.articles_pane import FETCH_FIRST

    listed = summaries()
    assert pane.show_articles(listed, None) == N
    view = pane.articles
    assert view.model().rowCount() == FETCH_FIRST < N
    assert view.count() == N and pane.list_title.text() == f"Articles ({N})"
    assert pane.ids() == [s.id for s in listed]
    assert view.currentRow() == 0 and view.text(0) == "Article 1000 on the budget\n0 of 0 checked"
    # Scrolled to the bottom of what it was given: it is given more, as many again.
    bar = view.verticalScrollBar()
    bar.setValue(bar.maximum())
    qtbot.waitUntil(lambda: view.model().rowCount() == 2 * FETCH_FIRST)
    index = view.model().index(2 * FETCH_FIRST - 1, 0)
    assert index.data(Qt.ItemDataRole.UserRole) == listed[2 * FETCH_FIRST - 1].id
    # An entry's text for any row, given or not (what the tests and the window read).
    assert view.text(N - 1) == "Article 0001 on the budget\n4 of 5 checked"


def test_the_selected_article_far_down_is_selected_and_scrolled_to_at_once(qtbot, pane) -> None:  # type: ignore[no-untyped-def]
    listed = summaries()
    picked: list[object] = []
    pane.articlePicked.connect(picked.append)
    assert pane.show_articles(listed, listed[900].id) == listed[900].id
    view = pane.articles
    assert picked == []  # show_articles emits nothing
    assert view.currentRow() == 900 and view.model().rowCount() >= 901
    qtbot.waitUntil(lambda: shown(view, 900))
    pane.pick(listed[950].id)
    assert picked == [listed[950].id] and view.currentRow() == 950
    qtbot.waitUntil(lambda: shown(view, 950))
    pane.mark_current(listed[999].id)
    assert picked == [listed[950].id] and view.currentRow() == 999


def test_end_home_page_down_and_the_arrows_reach_every_article(qtbot, pane) -> None:  # type: ignore[no-untyped-def]
    listed = summaries()
    pane.show_articles(listed, None)
    view = pane.articles
    picked: list[object] = []
    pane.articlePicked.connect(picked.append)
    view.setFocus()
    qtbot.keyClick(view, Qt.Key.Key_End)
    assert view.currentRow() == N - 1 and picked[-1] == listed[-1].id
    qtbot.waitUntil(lambda: shown(view, N - 1))
    qtbot.keyClick(view, Qt.Key.Key_Home)
    assert view.currentRow() == 0 and picked[-1] == listed[0].id
    view.setCurrentRow(0)
    pane.show_articles(listed, None)  # a fresh list: given its first entries again
    rows = [view.currentRow()]
    for _ in range(N):  # Page Down until it stops
        qtbot.keyClick(view, Qt.Key.Key_PageDown)
        rows.append(view.currentRow())
        if rows[-1] == rows[-2]:
            break
    assert rows[-1] == N - 1 and rows == sorted(rows)
    assert picked[-1] == listed[-1].id
    pane.show_articles(listed, None)
    for _ in range(150):  # the arrow past the entries given at first
        qtbot.keyClick(view, Qt.Key.Key_Down)
    assert view.currentRow() == 150 and picked[-1] == listed[150].id
    qtbot.keyClick(view, Qt.Key.Key_End, Qt.KeyboardModifier.ControlModifier)
    assert view.currentRow() == N - 1


def test_typing_a_title_in_the_list_finds_it_among_every_article(qtbot, pane) -> None:  # type: ignore[no-untyped-def]
    listed = [*summaries(300), ArticleSummary(5000, "Zebra crossings counted", 1, 0, None)]
    pane.show_articles(listed, None)
    view = pane.articles
    view.setFocus()
    qtbot.keyClicks(view, "Zeb")
    assert view.currentRow() == 300 and view.text(300).startswith("Zebra crossings counted")


def test_an_entry_far_down_shows_its_title_when_hovered_and_its_height_fits_its_lines(qtbot, pane) -> None:  # type: ignore[no-untyped-def]
    from PySide6.QtGui import QFontMetrics

    from app.ui.articles_pane import TITLE_LINES, EntryDelegate, wrapped_lines
    from tests.test_article_list_fill import tooltip_of

    listed = summaries()
    pane.show_articles(listed, listed[703].id)
    view = pane.articles
    font = view.font()
    spacing = QFontMetrics(font).lineSpacing()
    under = EntryDelegate.GAP + QFontMetrics(EntryDelegate._small(font)).lineSpacing()
    for row in (702, 703):  # a one-line title and a long one
        assert tooltip_of(view, row) == listed[row].title
        rect = view.visualRect(view.model().index(row, 0))
        lines = len(wrapped_lines(listed[row].title, font, rect.width() - 2 * EntryDelegate.PAD_X, TITLE_LINES))
        assert lines == (2 if row == 703 else 1)
        assert rect.height() == lines * spacing + under + 2 * EntryDelegate.PAD_Y


def test_an_entry_not_yet_given_to_the_view_takes_the_window_s_counts(qtbot, pane) -> None:  # type: ignore[no-untyped-def]
    listed = summaries()
    pane.show_articles(listed, None)
    view = pane.articles
    pane.show_progress(listed[800].id, "Renamed far down", 3, 9)
    assert view.model().rowCount() < 800
    assert view.text(800) == "Renamed far down\n3 of 9 checked"
    pane.show_progress(listed[1].id, "Long " * 40, 1, 2)  # given: re-sized to two lines at once
    rect = view.visualRect(view.model().index(1, 0))
    assert rect.height() > view.visualRect(view.model().index(0, 0)).height()


def test_a_mouse_click_on_an_entry_opens_its_article(qtbot, pane) -> None:  # type: ignore[no-untyped-def]
    listed = summaries()
    pane.show_articles(listed, listed[500].id)
    view = pane.articles
    picked: list[object] = []
    pane.articlePicked.connect(picked.append)
    qtbot.waitUntil(lambda: shown(view, 501))
    at = view.visualRect(view.model().index(501, 0)).center()
    qtbot.mouseClick(view.viewport(), Qt.MouseButton.LeftButton, pos=QPoint(at))
    assert picked == [listed[501].id]


def test_an_empty_list_selects_nothing(qtbot, pane) -> None:  # type: ignore[no-untyped-def]
    pane.show_articles(summaries(3), None)
    assert pane.show_articles([], None) is None
    view = pane.articles
    assert view.count() == 0 and view.currentRow() == -1 and view.currentIndex() == QModelIndex()
    assert pane.list_title.text() == "Articles"


def test_the_window_opens_on_the_last_article_far_down_and_its_keys_reach_both_ends(  # type: ignore[no-untyped-def]
        qtbot, bench, sample_article, errors, monkeypatch) -> None:
    """The sample is the oldest of 90 articles: the window opens it, at the list's end (the
    list given 16 entries at first, here, to be far down with fewer articles)."""
    from app.ui import articles_pane
    from app.ui.application import settings
    from app.ui.main_window import MainWindow
    from app.ui.tasks import SyncRunner

    monkeypatch.setattr(articles_pane, "FETCH_FIRST", 16)

    bench._ctx.detector = lambda _text, *_a, **_k: []  # (no claims needed: quicker imports)
    for n in range(89):
        bench.add_article(from_pasted(f"The council met {n} times in 2024, the clerk said.", f"Council meeting {n}"))
    settings().setValue("last_article", sample_article.id)
    window = MainWindow(bench, "test.sqlite3", settings(), runner=SyncRunner())
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    view = window.articles
    assert window.desk.article is not None and window.desk.article.id == sample_article.id
    assert view.count() == 90 and view.currentRow() == 89
    assert window.articles_pane.list_title.text() == "Articles (90)"
    qtbot.waitUntil(lambda: shown(view, 89))
    view.setFocus()
    qtbot.keyClick(view, Qt.Key.Key_Home)
    newest = bench.articles()[0]
    window.reload_articles()  # (the list given its first entries again, the open one with them)
    assert 16 <= view.model().rowCount() < 90 and view.currentRow() == 0
    qtbot.keyClick(view, Qt.Key.Key_End)
    assert view.currentRow() == 89 and window.desk.article.id == sample_article.id
    qtbot.keyClick(view, Qt.Key.Key_Home)
    assert window.desk.article.id == newest.id and window.windowTitle().startswith("Council meeting 88")
    qtbot.keyClick(view, Qt.Key.Key_End)
    assert window.desk.article.id == sample_article.id
    # A new article (the live poll's, or an import's) heads the list and the count.
    window.live.stop()
    added, _ = bench.add_article(from_pasted("The clerk counted 14 motions.", "Late motion"))
    window.reload_articles()
    assert view.count() == 91 and view.text(0).startswith("Late motion")
    assert window.desk.article.id == sample_article.id and view.currentRow() == 90
