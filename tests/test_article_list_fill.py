"""The article list as a big archive fills it: every entry inserted at once with its roles, titles'
line counts decided from bounds summed in C, entries unchanged since the last read reused. What the
user sees (the entries, their order, heights, tooltips and what picking one opens) must not change."""

from __future__ import annotations

from datetime import datetime

from PySide6.QtCore import Qt
from PySide6.QtGui import QFontMetrics

from app.domain import ArticleSummary
from app.ingest import from_pasted
from app.storage import plain

TITLES = [
    "Short", "Defence ministry: troops moved to the border", "A" * 300, "iiiiiiiiiiiiiiiiiiiiiiiiiiiiiiiiiiii",
    "WWWWWWWWWWWWWWWWWWWWWWWWWWW", "Wide    gaps     between      words    in     this    title",
    "l1|!.,;:'ijl1|!.,;:'ijl1|!.,;:'ijl1|!.,;:'ij", "AVAVAVAV To Ty fifl ffi " * 4, "x", "  padded  ",
    "Reuters: They can't impose arbitrary lifetime limits.",
    "Nairobi Nation: And everyone of them -- the boys' club leaders, the ministers -- all of them wer",
    "Le Monde: Une phrase assez longue pour passer a la ligne, peut-etre deux fois de suite",
    "Une phrase française assez longue", "Tab\tinside", "Cafe\u0301 noir",
]


def tooltip_of(view, row: int) -> str:  # type: ignore[no-untyped-def]
    """What hovering the entry `row` (given to the view) shows: the view's own tooltip event, then the tooltip's text."""
    from PySide6.QtCore import QEvent
    from PySide6.QtGui import QHelpEvent
    from PySide6.QtWidgets import QApplication, QToolTip

    QToolTip.hideText()
    index = view.model().index(row, 0)
    view.scrollTo(index)
    at = view.visualRect(index).center()
    QApplication.sendEvent(view.viewport(), QHelpEvent(QEvent.Type.ToolTip, at, view.viewport().mapToGlobal(at)))
    shown = QToolTip.text() if QToolTip.isVisible() else ""
    QToolTip.hideText()
    return shown


def test_entries_unchanged_since_the_last_read_are_reused_and_the_rest_built_afresh() -> None:
    stamps = plain.Stamps()
    make = plain.maker(ArticleSummary, "r[0]", "r[1]", "r[2] or 0", "r[3] or 0", "known(r[4]) or parse(r[4])",
                       known=stamps.known, parse=stamps.parse)
    listed = plain.Reused(make)
    rows = [(3, "Three", 5, 1, "2026-11-30 09:00:00.000000"), (2, "Two", None, None, "2026-11-29 09:00:00.000000"),
            (1, "One", 2, 2, "2026-11-28 09:00:00.000000")]
    first = listed(rows)
    assert first == [ArticleSummary(3, "Three", 5, 1, datetime(2026, 11, 30, 9)),
                     ArticleSummary(2, "Two", 0, 0, datetime(2026, 11, 29, 9)),
                     ArticleSummary(1, "One", 2, 2, datetime(2026, 11, 28, 9))]
    changed = [(4, "Four", 0, 0, "2026-11-30 10:00:00.000000"), rows[0], (2, "Two", 1, 1, rows[1][4]), rows[2]]
    again = listed(changed)
    assert again == [ArticleSummary(4, "Four", 0, 0, datetime(2026, 11, 30, 10)), first[0],
                     ArticleSummary(2, "Two", 1, 1, datetime(2026, 11, 29, 9)), first[2]]
    assert again[1] is first[0] and again[3] is first[2]  # unchanged: the same entry
    assert again[2] is not first[1]
    assert listed(changed[1:])[0] is again[1]  # only the last read's entries are held, and used
    listed.forget()
    rebuilt = listed(changed[1:])
    assert rebuilt == again[1:] and rebuilt[0] is not again[1]
    assert listed([]) == [] and listed(rows) == first


def test_the_bounds_in_c_decide_every_title_as_the_summed_width_does_at_every_width(qtbot, window) -> None:  # type: ignore[no-untyped-def]
    """The shortcut (printable ASCII, bounds summed with bytes.translate) gives the line count the
    per-character sum gives, and both the count the painter draws."""
    from app.ui.articles_pane import TITLE_LINES, EntryDelegate, wrapped_lines

    view = window.articles_pane.articles
    sizes = view.articles.sizes
    font = view.font()
    decided = 0
    for width in range(30, 900, 9):
        view.viewport().setFixedWidth(width)  # (the view's own; only its width is read)
        sizes._prepare()
        assert sizes._low and sizes._high
        assert sizes._lines_of(["", *TITLES]) == [sizes._lines(title) for title in ["", *TITLES]]  # the list's own loop
        for title in TITLES:
            shortcut = sizes._lines(title)
            tables = sizes._low, sizes._high
            sizes._low = b""  # the rule without the shortcut
            sizes._titles.clear()
            summed = sizes._lines(title)
            sizes._low, sizes._high = tables
            assert shortcut == summed, (title, width)
            assert shortcut == len(wrapped_lines(title, font, sizes._width - 2 * EntryDelegate.PAD_X, TITLE_LINES))
            decided += 1
    assert decided > 1000


def test_the_list_is_filled_in_one_reset_and_each_entry_is_as_it_was(qtbot, window, bench) -> None:  # type: ignore[no-untyped-def]
    from app.ui.articles_pane import TITLE_LINES, EntryDelegate, article_line, wrapped_lines

    for title in TITLES[:12]:
        bench.add_article(from_pasted("The court counted 140 clinics in 2024, officials said.", title))
    window.live.stop()  # (no poll re-reading the list while it is counted)
    view = window.articles_pane.articles
    resets, inserted = [], []
    view.model().modelReset.connect(lambda: resets.append(1))
    view.model().rowsInserted.connect(lambda _parent, first, last: inserted.append((first, last)))
    window.reload_articles()
    summaries = bench.articles()
    assert resets == [1] and inserted == []  # one reset, not one insertion per entry
    assert view.count() == view.model().rowCount() == len(summaries) == 13
    qtbot.waitUntil(lambda: view.viewport().width() > 0)
    font = view.font()
    spacing = QFontMetrics(font).lineSpacing()
    under = EntryDelegate.GAP + QFontMetrics(EntryDelegate._small(font)).lineSpacing()
    width = view.viewport().width() - 2 * EntryDelegate.PAD_X
    opened = window.desk.article.id  # its line counts the claims the window holds (show_progress)
    for row, summary in enumerate(summaries):
        index = view.model().index(row, 0)
        if summary.id != opened:
            assert view.text(row) == article_line(summary.title, summary.resolved_count, summary.claim_count)
        assert index.data(Qt.ItemDataRole.UserRole) == summary.id
        assert tooltip_of(view, row) == summary.title
        lines = len(wrapped_lines(summary.title, font, width, TITLE_LINES))
        assert view.visualRect(index).height() == lines * spacing + under + 2 * EntryDelegate.PAD_Y, summary.title
    picked: list[object] = []
    window.articles_pane.articlePicked.connect(picked.append)
    view.setCurrentRow(3)
    assert picked == [summaries[3].id] and window.desk.article is not None
    assert window.desk.article.id == summaries[3].id


def test_the_list_s_own_row_builder_parses_sqlite_s_dates_and_passes_postgresql_s_through() -> None:
    from app.storage import sqlite_sql

    make = plain.maker(ArticleSummary, *sqlite_sql.ARTICLE_SUMMARY, parse=datetime.fromisoformat)
    at = datetime(2026, 11, 30, 9, 9, 26, 120000)
    rows = [(1, "SQLite", 3, 2, "2026-11-30 09:09:26.120000"), (2, "PostgreSQL", 1, None, at), (3, "Never", None, None, None)]
    assert make(rows) == [ArticleSummary(1, "SQLite", 3, 2, at), ArticleSummary(2, "PostgreSQL", 1, 0, at),
                          ArticleSummary(3, "Never", 0, 0, None)]
