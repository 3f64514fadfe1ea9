"""Budgets that keep the window fast without timing anything: how many data() calls a verdict change
costs the claims table, how many SQL statements a user action sends, and that opening an article
reads its claims in the same few queries whatever its size. Counts are stable where timings are not
(benchmarks/ has the timings)."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import pytest
from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtWidgets import QWidget
from sqlalchemy import event

from app.domain import DetectedClaim, Kind, State
from app.ingest import ImportedText
from app.ui.claims_model import ClaimTableModel

WAIT_MS = 5000


@contextmanager
def statements(bench) -> Iterator[list[str]]:  # type: ignore[no-untyped-def]
    """Every SQL statement the workbench's engine sends inside the block."""
    engine = bench._ctx.db.engine
    sent: list[str] = []

    def note(_conn, _cursor, statement, _params, _context, _many) -> None:  # type: ignore[no-untyped-def]
        sent.append(statement)

    db = bench._ctx.db
    read_raw = db.read_raw

    class Counted:
        """A plain connection (Database.read_raw: search, the list, the overview, the verdict
        edit), each statement it is sent counted; not the statements its triggers or FTS5 run
        inside, nor COMMIT and ROLLBACK, as the engine's listener above does not see them."""

        def __init__(self, connection: Any) -> None:
            self._connection = connection

        def execute(self, sql: str, *args: Any) -> Any:
            if sql.strip().upper() not in ("COMMIT", "ROLLBACK"):
                sent.append(sql)
            return self._connection.execute(sql, *args)

        def __getattr__(self, name: str) -> Any:
            return getattr(self._connection, name)

    @contextmanager
    def traced() -> Iterator[Any]:  # what bypasses SQLAlchemy is counted too
        with read_raw() as c:
            yield Counted(c)

    event.listen(engine, "before_cursor_execute", note)
    db.read_raw = traced
    try:
        yield sent
    finally:
        event.remove(engine, "before_cursor_execute", note)
        del db.read_raw


def article_with(bench, n: int):  # type: ignore[no-untyped-def]
    """An article of `n` paragraphs, each one claim the detector proposes at a score the window shows."""
    paragraphs = [f"In {1900 + i % 120} the ministry said {i * 7} soldiers crossed the border at point {i}." for i in range(n)]
    text = "\n\n".join(paragraphs)
    found, at = [], 0
    for p in paragraphs:
        found.append(DetectedClaim(at, at + len(p), p, Kind.QUANTITY, 0.9))
        at += len(p) + 2
    bench._ctx.detector = lambda _text, *_a, **_k: found
    article, _ = bench.add_article(ImportedText(title=f"{n} claims", text=text))
    return article


@pytest.fixture
def counted_data(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """Calls into the claims model for a cell's data: data() for one role, multiData() for all
    the roles the delegate paints a cell with."""
    calls = [0]
    original, original_multi = ClaimTableModel.data, ClaimTableModel.multiData

    def data(self, index, role=0):  # type: ignore[no-untyped-def]
        calls[0] += 1
        return original(self, index, role)

    def multi_data(self, index, span):  # type: ignore[no-untyped-def]
        calls[0] += 1
        return original_multi(self, index, span)

    monkeypatch.setattr(ClaimTableModel, "data", data)
    monkeypatch.setattr(ClaimTableModel, "multiData", multi_data)
    return calls


def settle(qtbot, window) -> None:  # type: ignore[no-untyped-def]
    from app.ui.settle import busy

    qtbot.waitUntil(lambda: not busy(window), timeout=WAIT_MS)
    window.repaint()


def test_a_verdict_change_costs_the_table_a_row_of_data_calls_not_a_column_remeasure(
    qtbot, window, bench, counted_data
) -> None:
    window.live.stop()  # its poll re-applies the window's own change (in the ChangeSet since its token): a second row
    article = article_with(bench, 400)
    window.reload_articles(select=article.id)
    window.open_article(article.id)
    claims = window.model.claims()
    assert len(claims) == 400
    window.select_claim(claims[200].id)
    settle(qtbot, window)
    counted_data[0] = 0

    window.editor.set_verdict_number(2)
    settle(qtbot, window)

    assert bench.claim(claims[200].id).verdict is not None
    # One row repainted (7 cells, all their roles in one multiData call each) and its six fitted
    # columns checked from their text's width: 20 calls. (104 while the delegate asked data()
    # role by role, 292 while each column was measured by the style; a ResizeToContents header
    # re-measured 64 rows of five columns: 2,644 calls, one multiData call per cell now.)
    assert counted_data[0] <= 30, counted_data[0]


def test_a_verdict_edit_through_the_services_is_five_statements(bench, sample_article) -> None:
    claim = bench.claims(sample_article.id)[3]
    verdicts = bench.scale().labels
    bench.update_claim(claim.id, verdict=verdicts[0])  # the first write also starts the claim
    with statements(bench) as sent:
        bench.update_claim(claim.id, verdict=verdicts[1])
    # BEGIN, the claim, its sources, UPDATE, the history line.
    assert len(sent) <= 5, sent


def test_a_verdict_change_in_the_window_reads_no_more_than_its_claim_panel_needs(qtbot, window, bench, sample_article) -> None:
    window.live.stop()  # its once-a-second poll would count too
    claims = window.model.claims()
    window.select_claim(claims[0].id)
    settle(qtbot, window)
    with statements(bench) as sent:
        window.editor.set_verdict_number(1)
        settle(qtbot, window)
    assert bench.claim(claims[0].id).verdict is not None
    # The write (5, two history lines when the claim starts), then the panel's history and evidence.
    assert len(sent) <= 12, sent
    assert not any("GROUP BY" in s for s in sent), "the article list's counts come from the claims held"


@pytest.mark.parametrize("n", [10, 300])
def test_opening_an_article_reads_its_claims_in_the_same_few_queries_at_any_size(qtbot, window, bench, n) -> None:
    article = article_with(bench, n)
    window.live.stop()
    window.reload_articles(select=article.id)
    window.open_article(None)
    with statements(bench) as sent:
        window.open_article(article.id)
    assert window.model.rowCount() == n
    selects = [s for s in sent if s.lstrip().upper().startswith("SELECT")]
    # The article, its claims with their sources' links, its segments, its revisions' numbers, and the first
    # claim's panel (history, evidence, earlier checks' catch-up): a fixed few, whatever its size.
    assert len(selects) <= 13, "\n".join(s[:150].replace("\n", " ") for s in selects)


class _Paints(QObject):
    """Counts the paint events a widget gets."""

    def __init__(self, widget: QWidget) -> None:
        super().__init__(widget)
        self.count = 0
        widget.installEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 (Qt's name)
        if event.type() == QEvent.Type.Paint:
            self.count += 1
        return False


@pytest.mark.parametrize("before", ["nothing", "another long article"])
def test_opening_an_article_paints_the_claims_table_once_at_its_settled_widths(qtbot, window, bench, before) -> None:
    """The table's deferred layout, its column fitting and the scroll bar appearing each repainted the
    whole table after the first frame (three paints of some 20 ms with 5,000 claims): the first
    frame now shows the table as it settles."""
    from app.ui.settle import wait_settled

    article, other = article_with(bench, 300), article_with(bench, 250)
    window.live.stop()
    window.reload_articles(select=article.id)
    window.open_article(other.id if before != "nothing" else None)
    wait_settled(window)
    table = window.claims_pane.table
    paints = _Paints(table.viewport())
    window.open_article(article.id)
    wait_settled(window)
    assert window.model.rowCount() == 300
    assert paints.count == 1
    widths = [table.columnWidth(c) for c in range(window.model.columnCount())]
    window.claims_pane.fit_columns()
    assert [table.columnWidth(c) for c in range(window.model.columnCount())] == widths


def test_with_no_filter_chosen_the_table_keeps_its_rows_without_a_python_call_per_row(
    qtbot, window, bench, monkeypatch: pytest.MonkeyPatch
) -> None:
    from app.ui.claims_model import ClaimFilter

    asked = [0]
    accepts = ClaimFilter._accepts

    def counted(self, row, parent):  # type: ignore[no-untyped-def]
        asked[0] += 1
        return accepts(self, row, parent)

    monkeypatch.setattr(ClaimFilter, "_accepts", counted)
    article = article_with(bench, 300)
    window.live.stop()
    window.reload_articles(select=article.id)
    window.open_article(article.id)
    assert window.claims_pane.proxy.rowCount() == 300
    assert asked[0] == 0
    first = window.model.claims()[0]
    window.select_claim(first.id)
    window.editor.set_verdict_number(1)  # one claim in progress, the rest not started
    window.state_filter.setCurrentIndex(window.state_filter.findData(State.IN_PROGRESS))
    assert window.claims_pane.proxy.rowCount() == 1
    assert asked[0] == 300  # a chosen filter asks about every row, as it must
    window.state_filter.setCurrentIndex(0)
    window.open_article(None)
    window.open_article(article.id)
    assert window.claims_pane.proxy.rowCount() == 300
    assert asked[0] == 300


def test_counts_kept_claim_by_claim_match_a_recount(qtbot, window, bench, sample_article) -> None:
    claims = window.model.claims()
    for claim, number in zip(claims[:4], (1, 2, 1, 3), strict=True):
        window.select_claim(claim.id)
        window.editor.set_verdict_number(number)
    settle(qtbot, window)
    held = window.model.claims()
    done = sum(c.has_verdict for c in held)
    approved = sum(c.state is State.APPROVED for c in held)
    assert window.progress_label.text() == f"{done} of {len(held)} with a verdict · {approved} approved"
    assert done == 4
    tally = window.model.tally
    assert sum(tally.by_verdict.values()) == len(held) and sum(tally.by_state.values()) == len(held)
    assert window.counts.text().startswith(f"{len(held)} claims: ")


def test_one_letter_in_the_search_box_asks_for_another_and_queries_nothing(qtbot, window, bench) -> None:
    window.live.stop()
    box = window.articles_pane.search
    with statements(bench) as sent:
        qtbot.keyClicks(box, "t")
        qtbot.waitUntil(lambda: window.articles_pane.showing_results(), timeout=WAIT_MS)
    assert sent == []
    hint = window.articles_pane.search_results.item(0).text()
    assert hint == "Type 2 letters or more to search."
    qtbot.keyClicks(box, "r")  # "tr": now it searches
    qtbot.waitUntil(lambda: window.articles_pane.search_results.item(0).text() != hint, timeout=WAIT_MS)
    assert window.articles_pane.search_results.item(0).data(Qt.ItemDataRole.UserRole)


def test_the_article_list_counts_title_lines_as_its_painter_draws_them(qtbot, window) -> None:
    from app.ui.articles_pane import TITLE_LINES, line_count, wrapped_lines

    font = window.articles_pane.articles.font()
    titles = ["Short", "Defence ministry: troops moved to the border", "A" * 300,
              "Une phrase française assez longue pour passer à la ligne, peut-être deux fois de suite",
              "Очень длинный заголовок статьи о переговорах в столице, который не помещается"]
    for width in (60, 120, 190, 260, 400):
        for title in titles:
            assert line_count(title, font, width, TITLE_LINES) == len(wrapped_lines(title, font, width, TITLE_LINES)), (title, width)


@pytest.mark.parametrize("n", [10, 300])
def test_the_desk_overview_is_counted_by_the_database_in_the_same_few_queries_at_any_size(bench, n) -> None:  # type: ignore[no-untyped-def]
    """It built every claim of the archive as an object: 45 s at a million claims."""
    article = article_with(bench, n)
    false = bench.scale().rating("false")
    for claim in bench.claims(article.id)[:5]:
        bench.update_claim(claim.id, verdict=false)
    with statements(bench) as sent:
        overview = bench.overview()
    assert overview.checked == 5
    selects = [s for s in sent if s.lstrip().upper().startswith("SELECT")]
    assert len(selects) <= 7, "\n".join(s[:150].replace("\n", " ") for s in selects)
    assert not any(s.lstrip().upper().startswith("SELECT CLAIM.ID, CLAIM.ARTICLE_ID, CLAIM.START_OFFSET") for s in sent)


@pytest.mark.parametrize("n", [10, 300])
def test_the_article_list_and_the_overview_never_count_the_claim_table(bench, n) -> None:  # type: ignore[no-untyped-def]
    """Their counts are kept by triggers (app.storage.summary): one statement for the list, and
    nothing grouped over the claims for the overview, whatever the archive's size."""
    article = article_with(bench, n)
    for claim in bench.claims(article.id)[:3]:
        bench.update_claim(claim.id, verdict=bench.scale().rating("false"))
    with statements(bench) as sent:
        listed = bench.articles()
    assert [(a.claim_count, a.resolved_count) for a in listed if a.id == article.id] == [(n, 3)]
    selects = [s for s in sent if s.lstrip().upper().startswith("SELECT")]
    assert len(selects) == 1 and " claim" not in selects[0].lower().replace("claim_", ""), selects
    with statements(bench) as sent:
        assert bench.overview().checked == 3
    grouped = [s for s in sent if "GROUP BY" in s.upper() and "claim_tally" not in s]
    assert [s for s in grouped if "FROM history" not in s.replace("\n", " ")] == [], grouped


@pytest.mark.parametrize("n", [10, 300])
def test_a_search_is_at_most_two_statements_at_any_size(bench, n) -> None:  # type: ignore[no-untyped-def]
    article_with(bench, n)
    for word in ("soldiers", "ministry border", "zzzq"):
        with statements(bench) as sent:
            bench.search(word)
        # Ours: not what FTS5 runs itself on its shadow tables ('main'.'claim_search_…'), such
        # as reading its configuration once on a connection's first search.
        ours = [s for s in sent if s.lstrip().upper().startswith("SELECT") and "'main'." not in s]
        assert len(ours) <= 2, sent


def test_the_article_list_sizes_entries_as_its_painter_draws_them_at_every_width(qtbot, window) -> None:
    """Entries' heights come from titles' widths summed per character when clear of the edge: the
    lines they count are the lines painted (kerning, ligatures, runs of spaces, other scripts)."""
    from app.ui.articles_pane import TITLE_LINES, EntryDelegate, wrapped_lines

    sizes = window.articles_pane.articles.articles.sizes
    font = window.articles_pane.articles.font()
    titles = ["Short", "Defence ministry: troops moved to the border", "A" * 300, "AVAVAVAV To Ty fifl ffi " * 4,
              "Wide    gaps     between      words    in     this    title", "iiiiiiiiiiiiiiiiiiiiiiiiiiiiiiiiiiii",
              "WWWWWWWWWWWWWWWWWWWWWWWWWWW", "Une phrase française assez longue pour passer à la ligne, peut-être",
              "Очень длинный заголовок статьи о переговорах в столице, который не помещается",
              "مجلس النواب يصوت على تمديد صلاحيات الطوارئ لستة أشهر أخرى", "Cafe\u0301 cre\u0300me brûlée " * 3, "Ex\xadtra\xadordi\xadnary\xadly " * 4]
    for width in range(40, 700, 7):
        window.articles_pane.articles.viewport().setFixedWidth(width)  # (the view's own; only its width is read)
        sizes._prepare()
        for title in titles:
            expected = len(wrapped_lines(title, font, sizes._width - 2 * EntryDelegate.PAD_X, TITLE_LINES))
            assert sizes._lines(title) == expected, (title, width)


class _Painted(QObject):
    """The rectangles a widget is asked to paint."""

    def __init__(self, widget: QWidget) -> None:
        super().__init__(widget)
        self.rects: list[Any] = []
        widget.installEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 (Qt's name)
        if event.type() == QEvent.Type.Paint:
            self.rects.append(event.rect())  # type: ignore[attr-defined]
        return False


@pytest.fixture
def styled(qapp):  # type: ignore[no-untyped-def]
    """The window's own style sheet, set before the window is made, as the app does."""
    from app.ui.application import stylesheet

    before = qapp.styleSheet()
    qapp.setStyleSheet(stylesheet())
    yield
    qapp.setStyleSheet(before)


def test_scrolling_the_table_the_article_and_the_list_paints_the_strip_that_came_into_view(
    qtbot, styled, window, bench, counted_data
) -> None:
    """The style sheet's borders and backgrounds made Qt repaint a whole scroll area at every step
    (every row of the claims table each time J scrolled it); its viewport kept opaque, Qt moves the
    pixels it has and paints only the new strip (app/ui/scrolling.py)."""
    from app.ui.settle import wait_settled

    for n in range(30):  # enough entries for the article list to scroll
        bench.add_article(ImportedText(title=f"Briefing {n}", text=f"On day {n} the ministry said 40 soldiers left."))
    article = article_with(bench, 300)
    window.live.stop()
    window.reload_articles(select=article.id)
    window.open_article(article.id)
    table, view, articles = window.claims_pane.table, window.article_view, window.articles_pane.articles
    page = table.viewport().height() // table.rowHeight(0)
    assert page >= 8
    window.select_claim(window.visible_claim_ids()[page - 1])  # the last row the table shows
    window.activateWindow()
    table.setFocus()
    wait_settled(window)

    painted = _Painted(table.viewport())
    counted_data[0] = 0
    qtbot.keyClick(table, Qt.Key.Key_J)
    wait_settled(window)
    assert window.editor.claim is not None and window.editor.claim.id == window.visible_claim_ids()[page]
    assert table.verticalScrollBar().value() > 0  # the step scrolled the table
    assert max(r.height() for r in painted.rects) <= 3 * table.rowHeight(0), painted.rects
    assert counted_data[0] <= 3 * window.model.columnCount(), counted_data[0]  # not page x columns

    for area in (view, articles):
        bar = area.verticalScrollBar()
        assert bar.maximum() > bar.singleStep()
        wait_settled(window)
        painted = _Painted(area.viewport())
        bar.setValue(bar.value() + bar.singleStep())
        wait_settled(window)
        assert painted.rects, area.objectName()
        assert max(r.height() for r in painted.rects) < area.viewport().height() / 2, (area.objectName(), painted.rects)


def test_the_panels_source_list_is_laid_out_at_once_when_its_height_changes(qtbot, window, bench, sample_article) -> None:
    """The panel's source list wraps long titles, and Qt lays a wrapping list out again 100 ms after
    each resize. The list changes height whenever the next claim's heading takes more or fewer
    lines (a suggestion's bar, a longer quote): each such step through the claims drew the list
    twice and kept a timer going for a tenth of a second (app/ui/wrapped_list.py)."""
    from PySide6.QtCore import QAbstractEventDispatcher
    from PySide6.QtWidgets import QApplication

    window.live.stop()
    claim = window.model.claims()[0]
    bench.add_source(claim.id, "https://example.org/a-report-with-a-rather-long-address/that-wraps",
                     title="A report whose title is long enough to wrap in the panel's list of sources")
    window.reload_articles(select=sample_article.id)
    window.open_article(sample_article.id)
    window.select_claim(claim.id)
    sources = window.editor.sources_tab.sources
    qtbot.waitUntil(lambda: not QAbstractEventDispatcher.instance().registeredTimers(sources), timeout=WAIT_MS)
    assert sources.count() == 1 and sources.wordWrap()

    sources.resize(sources.width(), sources.height() - 36)  # what a heading two lines taller does to it
    QApplication.processEvents()

    assert not [t for t in QAbstractEventDispatcher.instance().registeredTimers(sources) if t.interval >= 100]
