"""The window as a fact-checker uses it: click, type, and see it on screen and in the database."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import WAIT_MS
from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QTextCursor

from app.domain import Stance, State
from app.domain.sensitivity import is_shown
from app.ui import dialogs
from app.ui.claims_model import Column
from app.ui.dialogs import SourceDialog, SourceInput
from app.ui.main_window import MainWindow
from app.ui.tasks import SyncRunner, TaskRunner

pytestmark = pytest.mark.gui


@pytest.fixture(autouse=True)
def details_offers(monkeypatch: pytest.MonkeyPatch) -> list[tuple[str, bool]]:
    """The details dialog offered after an import: (title shown, imported) recorded, cancelled."""
    offered: list[tuple[str, bool]] = []

    def ask(cls, parent, article, *, imported=False):  # type: ignore[no-untyped-def]
        offered.append((article.title, imported))
        return

    monkeypatch.setattr(dialogs.ArticleDialog, "ask", classmethod(ask))
    return offered


def claim_with(bench, article_id: int, words: str):  # type: ignore[no-untyped-def]
    return next(c for c in bench.claims(article_id) if words in c.quote)


def highlight_at(win: MainWindow, offset: int) -> QColor | None:
    """The claim highlight's colour at an offset; None where no claim is highlighted."""
    fmt = win.article_view.highlighter.format_at(win.article_view.qt_position(offset))
    if fmt is None or fmt.background().style() == Qt.BrushStyle.NoBrush:
        return None
    return fmt.background().color()


def select_text(win: MainWindow, start: int, end: int) -> None:
    """What a drag over the article does: a selection from start to end (Python offsets)."""
    view = win.article_view
    cursor = QTextCursor(view.document())
    cursor.setPosition(view.qt_position(start))
    cursor.setPosition(view.qt_position(end), QTextCursor.MoveMode.KeepAnchor)
    view.setTextCursor(cursor)


def pick_verdict(win: MainWindow, name: str) -> None:
    """Choose a verdict from the panel's list, by the name shown."""
    index = win.editor.verdict.findText(name)
    assert index > 0, f"{name} is not offered"
    win.editor.verdict.setCurrentIndex(index)


def verdict_of(bench, claim_id: int) -> str:  # type: ignore[no-untyped-def]
    return bench.claim(claim_id).verdict_name


def colour_of(bench, name: str) -> QColor:  # type: ignore[no-untyped-def]
    rating = bench.scale().rating(name)
    assert rating is not None
    return QColor(rating.colour)


def approve_through_the_service(bench, claim_id: int) -> None:  # type: ignore[no-untyped-def]
    """Two people and two publishers: what the sign-off rules ask for."""
    actor = bench.actor
    bench.actor = "Ana Checker"
    bench.update_claim(claim_id, verdict=bench.scale().rating("false"))
    bench.add_source(claim_id, "https://mod.example/report", publisher="Ministry of Defence")
    bench.add_source(claim_id, "https://news.example/story", publisher="News Agency")
    bench.update_claim(claim_id, state=State.IN_REVIEW)
    bench.actor = "Boris Editor"
    bench.approve(claim_id)
    bench.actor = actor


def click_claim(qtbot, win: MainWindow, claim) -> None:  # type: ignore[no-untyped-def]
    middle = (claim.start + claim.end) // 2
    win.article_view.reveal(claim)
    point = win.article_view.point_of(middle)
    qtbot.mouseClick(win.article_view.viewport(), Qt.MouseButton.LeftButton, pos=point)


def test_first_window_shows_the_sample_with_its_claims_highlighted(window, bench, sample_article) -> None:
    claims = bench.claims(sample_article.id)
    assert len(claims) >= 10
    assert window.article_view.toPlainText() == sample_article.text
    shown = [c for c in claims if is_shown(c, window.sensitivity)]  # weak suggestions are hidden
    assert window.model.rowCount() == len(shown)
    troops = claim_with(bench, sample_article.id, "3 000 Russians")
    assert highlight_at(window, troops.start + 2) is not None
    assert highlight_at(window, sample_article.text.index("Notify of")) is None
    assert window.progress_label.text() == f"0 of {len(shown)} with a verdict · 0 approved"


def test_clicking_a_highlight_shows_that_claim_and_a_verdict_recolours_it(qtbot, window, bench, sample_article) -> None:
    troops = claim_with(bench, sample_article.id, "3 000 Russians")
    click_claim(qtbot, window, troops)
    qtbot.waitUntil(lambda: window.editor.claim is not None and window.editor.claim.id == troops.id, timeout=WAIT_MS)
    assert "3 000 Russians" in window.editor.quote.text()
    selected = window.table.selectionModel().selectedRows()
    assert [window.proxy.data(i, Qt.ItemDataRole.UserRole + 1) for i in selected] == [troops.id]

    pick_verdict(window, "Disputed")

    assert verdict_of(bench, troops.id) == "Disputed" and bench.claim(troops.id).state is State.IN_PROGRESS
    window.article_view.highlighter.set_selected(None)  # the selection mark hides the verdict colour
    assert highlight_at(window, troops.start + 2) == colour_of(bench, "disputed")
    row = window.model.row_of(troops.id)
    assert window.model.index(row, Column.VERDICT).data() == "Disputed"
    assert window.model.index(row, Column.STATE).data() == "In progress"
    assert window.progress_label.text().startswith("1 of ")


def test_selecting_a_table_row_selects_the_claim_in_the_text(qtbot, window, bench, sample_article) -> None:
    convention = claim_with(bench, sample_article.id, "antipersonnel mines")
    row = window.proxy.mapFromSource(window.model.index(window.model.row_of(convention.id), Column.QUOTE))
    rect = window.table.visualRect(row)
    window.table.scrollTo(row)
    rect = window.table.visualRect(row)
    qtbot.mouseClick(window.table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    assert window.editor.claim.id == convention.id
    cursor = window.article_view.textCursor()
    assert cursor.position() == window.article_view.qt_position(convention.start)


def test_typed_verdict_and_notes_are_saved_without_a_save_button(qtbot, window, bench, sample_article) -> None:
    claim = window.editor.claim
    assert claim is not None
    qtbot.keyClicks(window.editor.summary, "Russia has about 3,000 troops at Gyumri and Erebuni.")
    qtbot.keyClicks(window.editor.notes, "Asked the MoD press office.")
    qtbot.waitUntil(lambda: bench.claim(claim.id).notes == "Asked the MoD press office.", timeout=WAIT_MS)
    assert bench.claim(claim.id).summary == "Russia has about 3,000 troops at Gyumri and Erebuni."
    assert window.editor.saved.text() == "Saved"


def test_a_long_source_title_wraps_in_the_sources_list(qtbot, window, monkeypatch) -> None:
    title = "Report of the Organization for Security and Co-operation in Europe " * 4
    monkeypatch.setattr(SourceDialog, "ask", classmethod(
        lambda cls, parent, source=None: SourceInput("https://www.osce.org/report", title, "OSCE")))
    listing = window.editor.sources
    assert listing.count() == 0
    qtbot.mouseClick(window.editor.add_source_button, Qt.MouseButton.LeftButton)

    assert listing.count() == 1
    qtbot.waitUntil(lambda: listing.visualItemRect(listing.item(0)).width() <= listing.viewport().width(),
                    timeout=WAIT_MS)
    lines = listing.visualItemRect(listing.item(0)).height() / listing.fontMetrics().lineSpacing()
    assert lines > 2.5  # the title's line and the kind · publisher line, the title wrapped over more
    assert listing.visualItemRect(listing.item(0)).width() <= listing.viewport().width()


def test_adding_two_sources_and_refusing_a_javascript_link(qtbot, window, bench, monkeypatch, errors) -> None:
    claim = window.editor.claim
    answers = iter(
        [
            SourceInput("https://www.osce.org/report", "OSCE report", "OSCE"),
            SourceInput("https://www.reuters.com/world/x", "Troops at Gyumri", "Reuters"),
        ]
    )
    monkeypatch.setattr(SourceDialog, "ask", classmethod(lambda cls, parent, source=None: next(answers)))
    qtbot.mouseClick(window.editor.add_source_button, Qt.MouseButton.LeftButton)
    qtbot.mouseClick(window.editor.add_source_button, Qt.MouseButton.LeftButton)

    stored = bench.claim(claim.id).sources
    assert [s.publisher for s in stored] == ["OSCE", "Reuters"]
    assert window.editor.sources.count() == 2
    assert window.editor.tabs.tabText(0) == "Sources (2)"
    assert window.model.index(window.model.row_of(claim.id), Column.SOURCES).data() == "2"

    monkeypatch.setattr(SourceDialog, "ask", classmethod(lambda cls, parent, source=None: SourceInput("javascript:alert(1)")))
    qtbot.mouseClick(window.editor.add_source_button, Qt.MouseButton.LeftButton)
    assert errors and "http" in errors[-1]
    assert len(bench.claim(claim.id).sources) == 2


def test_source_dialog_keeps_itself_open_on_a_bad_link(qtbot) -> None:
    dialog = SourceDialog()
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.keyClicks(dialog.url, "file:///etc/passwd")
    qtbot.mouseClick(dialog.buttons.button(dialog.buttons.StandardButton.Ok), Qt.MouseButton.LeftButton)
    assert dialog.isVisible()
    assert "http" in dialog.error.text()
    dialog.url.setText("https://example.org/a")
    dialog.archived.setText("javascript:alert(1)")
    qtbot.mouseClick(dialog.buttons.button(dialog.buttons.StandardButton.Ok), Qt.MouseButton.LeftButton)
    assert dialog.isVisible() and "archived copies" in dialog.error.text()
    dialog.archived.setText("https://web.archive.org/web/2024/https://example.org/a")
    dialog.stance.setCurrentIndex(dialog.stance.findData(Stance.REFUTES))
    qtbot.keyClicks(dialog.passage, "Only 1,900 men remain.")
    qtbot.mouseClick(dialog.buttons.button(dialog.buttons.StandardButton.Ok), Qt.MouseButton.LeftButton)
    assert not dialog.isVisible()
    value = dialog.value()
    assert (value.url, value.stance, value.passage) == ("https://example.org/a", Stance.REFUTES, "Only 1,900 men remain.")


def test_ctrl_m_marks_the_selected_text_as_a_claim(qtbot, window, bench, sample_article) -> None:
    text = sample_article.text
    phrase = "They are in a logic of revenge"
    start = text.index(phrase)
    view = window.article_view
    select_text(window, start, start + len(phrase))
    view.setFocus()
    before = window.model.rowCount()
    qtbot.keyClick(view, Qt.Key.Key_M, Qt.KeyboardModifier.ControlModifier)

    assert window.model.rowCount() == before + 1
    manual = [c for c in bench.claims(sample_article.id) if c.quote == phrase]
    assert len(manual) == 1 and manual[0].origin.value == "manual"
    assert window.editor.claim.id == manual[0].id
    assert highlight_at(window, start + 5) is not None


def test_deleting_a_claim_asks_first(qtbot, window, bench, sample_article, monkeypatch) -> None:
    claim = window.editor.claim
    total = len(bench.claims(sample_article.id))
    monkeypatch.setattr(dialogs, "confirm", lambda *_args: False)
    qtbot.mouseClick(window.editor.delete_button, Qt.MouseButton.LeftButton)
    assert len(bench.claims(sample_article.id)) == total

    asked: list[str] = []
    monkeypatch.setattr(dialogs, "confirm", lambda _p, _t, question: asked.append(question) or True)
    qtbot.mouseClick(window.editor.delete_button, Qt.MouseButton.LeftButton)
    assert asked and claim.quote.split()[0] in asked[0]
    assert len(bench.claims(sample_article.id)) == total - 1
    assert window.model.row_of(claim.id) is None
    assert highlight_at(window, claim.start) is None or window.editor.claim.start <= claim.start < window.editor.claim.end


def test_reopening_on_the_same_database_shows_the_same_state(qtbot, window, bench, sample_article) -> None:
    from app.ui.application import settings

    troops = claim_with(bench, sample_article.id, "3 000 Russians")
    window.select_claim(troops.id)
    pick_verdict(window, "False")
    window.editor.summary.setPlainText("There are about 3,000, at Gyumri.")
    window.close()  # closing flushes the typed text at once

    again = MainWindow(bench, "test.sqlite3", settings(), runner=SyncRunner())
    qtbot.addWidget(again)
    again.select_claim(troops.id)
    assert again.editor.verdict.currentText() == "False"
    assert again.editor.summary.toPlainText() == "There are about 3,000, at Gyumri."
    again.article_view.highlighter.set_selected(None)
    assert highlight_at(again, troops.start + 2) == colour_of(bench, "false")


def test_importing_a_file_adds_it_to_the_list(qtbot, window, bench, tmp_path: Path, monkeypatch) -> None:
    article = tmp_path / "wire.md"
    article.write_text("# Storm hits coast\n\nThe storm killed 12 people on 3 May 2024, officials said.\n", "utf-8")
    monkeypatch.setattr(dialogs, "ask_import_path", lambda _parent: article)
    window.import_action.trigger()
    assert window.articles.count() == 2
    assert window.windowTitle().startswith("Storm hits coast")
    assert "12 people" in window.article_view.toPlainText()

    offered: list[str] = []
    monkeypatch.setattr(dialogs, "confirm", lambda _p, _t, question: offered.append(question) or True)
    window.reload_articles(select=1)
    window.import_action.trigger()  # the same text again: the existing article is offered
    assert window.articles.count() == 2
    assert "already here" in offered[0] and window.windowTitle().startswith("Storm hits coast")


def test_importing_a_binary_file_says_why_and_changes_nothing(window, bench, tmp_path: Path, monkeypatch, errors) -> None:
    junk = tmp_path / "photo.txt"
    junk.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)))
    monkeypatch.setattr(dialogs, "ask_import_path", lambda _parent: junk)
    window.import_action.trigger()
    assert errors == ["photo.txt looks like a binary file, not text."]
    assert window.articles.count() == 1


def test_exporting_from_the_window_remembers_the_choices(window, bench, tmp_path: Path, monkeypatch) -> None:
    from app.export import build_report
    from app.ui.export_dialog import ExportDialog, ExportResult
    from app.ui.pdf import export_to

    asked: list[dict[str, object]] = []

    def ask(cls, parent, article, claims, **options):  # type: ignore[no-untyped-def]
        asked.append(options)
        path = tmp_path / "out" / "report.claimreview.json"
        path.parent.mkdir(exist_ok=True)
        report = build_report(article, claims, scales=options["scales"])
        export_to(path, "claimreview", report, report_url="https://checks.example/r", organisation="Desk")
        return ExportResult(path, "claimreview", "all", "A4", "https://checks.example/r", "Desk")

    monkeypatch.setattr(ExportDialog, "ask", classmethod(ask))
    window.table.setFocus()
    approve_through_the_service(bench, window.editor.claim.id)  # ClaimReview carries approved verdicts only
    window.open_article(window.editor.claim.article_id)
    window.export_action.trigger()
    published = (tmp_path / "out" / "report.claimreview.json").read_text("utf-8")
    assert published.count('"ClaimReview"') == 1
    assert '"ratingValue": 1' in published and '"bestRating": 5' in published  # False on the default scale
    assert bench.setting("organisation") == "Desk"
    window.export_action.trigger()  # the next export starts where this one ended
    assert asked[1]["organisation"] == "Desk" and asked[1]["fmt"] == "claimreview"
    assert Path(asked[1]["path"]).parent == tmp_path / "out"


def test_suggestions_look_different_and_are_accepted_or_rejected_with_one_key(qtbot, window, bench, sample_article) -> None:
    claims = bench.claims(sample_article.id)
    first, second = claims[0], claims[1]
    window.select_claim(first.id)
    window.article_view.highlighter.set_selected(None)
    fmt = window.article_view.highlighter.format_at(window.article_view.qt_position(first.start + 1))
    assert fmt.underlineStyle() == fmt.UnderlineStyle.DashUnderline
    assert window.editor.suggestion.isVisibleTo(window.editor)

    window.table.setFocus()
    qtbot.keyClick(window.table, Qt.Key.Key_A)
    assert bench.claim(first.id).accepted
    assert not window.editor.suggestion.isVisibleTo(window.editor)
    window.article_view.highlighter.set_selected(None)
    fmt = window.article_view.highlighter.format_at(window.article_view.qt_position(first.start + 1))
    assert fmt.underlineStyle() == fmt.UnderlineStyle.NoUnderline

    window.select_claim(second.id)
    window.table.setFocus()
    qtbot.keyClick(window.table, Qt.Key.Key_R)
    assert second.id not in [c.id for c in bench.claims(sample_article.id)]
    assert window.model.row_of(second.id) is None
    assert window.editor.claim is not None and window.editor.claim.id != second.id


def test_one_key_actions_do_not_fire_while_typing_notes(qtbot, window, bench) -> None:
    claim = window.editor.claim
    qtbot.keyClicks(window.editor.notes, "Ra")
    window.editor.flush()
    stored = bench.claim(claim.id)
    assert stored.notes == "Ra"
    assert stored.id in [c.id for c in bench.claims(stored.article_id)]


def test_import_runs_in_the_background_and_lands_in_the_list(qtbot, bench, sample_article, tmp_path: Path, monkeypatch) -> None:
    from app.ui.application import settings

    win = MainWindow(bench, "test.sqlite3", settings(), runner=TaskRunner())
    qtbot.addWidget(win)
    article = tmp_path / "wire.txt"
    article.write_text("Storm hits coast\n\nThe storm killed 12 people on 3 May 2024, officials said.\n", "utf-8")
    monkeypatch.setattr(dialogs, "ask_import_path", lambda _parent: article)
    with qtbot.waitSignal(win.runner.busyChanged, timeout=WAIT_MS, check_params_cb=lambda busy: not busy):
        win.import_action.trigger()
    qtbot.waitUntil(lambda: win.articles.count() == 2, timeout=WAIT_MS)
    assert win.windowTitle().startswith("Storm hits coast")
    win.close()  # its worker threads stop before the database is let go of


def test_an_article_opened_from_elsewhere_is_selected_and_no_entry_takes_another_title(qtbot, window, bench, tmp_path: Path) -> None:
    article = tmp_path / "wire.txt"
    article.write_text("Storm hits coast\n\nThe storm killed 12 people on 3 May 2024, officials said.\n", "utf-8")
    storm, _ = bench.import_file(article)
    window.reload_articles()
    titles = sorted(window.articles.text(i).split("\n")[0] for i in range(window.articles.count()))
    window.open_article(storm.id)  # as a search hit, a restart or a link would
    assert window.articles.currentIndex().data(Qt.ItemDataRole.UserRole) == storm.id
    assert sorted(window.articles.text(i).split("\n")[0] for i in range(window.articles.count())) == titles


def test_every_change_shows_in_the_claim_history_with_who_made_it(qtbot, window, bench) -> None:
    claim = window.editor.claim
    window.editor.start_button.click()
    pick_verdict(window, "False")
    lines = [window.editor.history.item(i).text() for i in range(window.editor.history.count())]
    assert "Ana Checker" in lines[0] and "verdict: False" in lines[0]
    assert "state: not started → in progress" in lines[1]
    assert [(e.field, e.actor) for e in bench.history(claim.id)] == [
        ("accepted", "Ana Checker"),  # working on a suggestion accepts it
        ("state", "Ana Checker"),
        ("verdict", "Ana Checker"),
    ]


def test_the_first_change_asks_for_the_reviewers_name(qtbot, bench, sample_article, monkeypatch, tmp_path) -> None:
    from app.ui.application import settings

    asked: list[str] = []
    monkeypatch.setattr(dialogs, "ask_reviewer_name", lambda *_a: asked.append("asked") or "Boris Editor")
    win = MainWindow(bench, "test.sqlite3", settings(), runner=SyncRunner())
    qtbot.addWidget(win)
    assert win.reviewer_button.text() == "Reviewer: (not set)"
    pick_verdict(win, "Verified")
    pick_verdict(win, "False")
    assert asked == ["asked"]
    assert win.reviewer_button.text() == "Reviewer: Boris Editor"
    assert settings().value("reviewer") == "Boris Editor"
    assert {e.actor for e in bench.history(win.editor.claim.id)} == {"Boris Editor"}


def test_the_keyboard_walks_claims_and_sets_verdicts(qtbot, window, bench, sample_article) -> None:
    ids = window.visible_claim_ids()
    window.select_claim(ids[0])
    window.table.setFocus()
    qtbot.keyClick(window.table, Qt.Key.Key_J)
    assert window.editor.claim.id == ids[1]
    qtbot.keyClick(window.table, Qt.Key.Key_5)  # the legend says 5 is False
    assert "<b>5</b>&nbsp;False" in window.editor.legend.text() and verdict_of(bench, ids[1]) == "False"
    window.editor.review_button.click()
    qtbot.keyClick(window.table, Qt.Key.Key_K)
    assert window.editor.claim.id == ids[0]
    qtbot.keyClick(window.table, Qt.Key.Key_N)  # skips ids[1], which is in review now
    assert window.editor.claim.id == ids[2]
    qtbot.keyClick(window.table, Qt.Key.Key_N, Qt.KeyboardModifier.ShiftModifier)  # the reviewer's walk
    assert window.editor.claim.id == ids[1]
    qtbot.keyClick(window.table, Qt.Key.Key_W, Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier)
    assert window.editor.summary.hasFocus()


def test_help_lists_every_shortcut(window, monkeypatch) -> None:
    shown: list[list[tuple[str, str]]] = []
    monkeypatch.setattr(dialogs, "show_shortcuts", lambda _parent, rows: shown.append(rows))
    window.shortcuts_action.trigger()
    keys = dict(shown[0])
    assert keys["Ctrl+M"] == "Claim › Mark as claim"
    assert keys["A"] == "Claim › Accept suggestion" and keys["J"] == "Go › Next claim"
    assert keys["4"] == "Verdict › Disputed" and keys["Ctrl+Shift+A"] == "Claim › Approve verdict"


def test_filters_narrow_the_table_and_counts_say_so(qtbot, window, bench, sample_article) -> None:
    claims = bench.claims(sample_article.id)
    false = bench.scale().rating("false")
    bench.update_claim(claims[0].id, verdict=false)
    bench.update_claim(claims[1].id, state=State.IN_REVIEW)
    window.open_article(None)
    window.open_article(sample_article.id)
    n = sum(is_shown(c, window.sensitivity) for c in claims)  # the counts are of the claims shown
    assert window.counts.text() == (
        f"{n} claims: {n - 1} no verdict · 1 false\n{n - 2} not started · 1 in progress · 1 in review"
    )
    window.verdict_filter.setCurrentIndex(window.verdict_filter.findData(false.id))
    assert window.proxy.rowCount() == 1
    assert window.counts.text().startswith(f"Showing 1 of {n}")
    window.clear_filters()
    window.state_filter.setCurrentIndex(window.state_filter.findData(State.IN_REVIEW))
    assert window.visible_claim_ids() == [claims[1].id]
    window.clear_filters()
    assert window.proxy.rowCount() == n


def test_search_box_finds_a_claim_in_another_article_and_opens_it(qtbot, window, bench, sample_article) -> None:
    from app.ingest import from_pasted

    other, _ = bench.add_article(from_pasted("Budget\n\nThe deficit reached 4.1% of GDP in 2023, the treasury said."))
    window.reload_articles(select=sample_article.id)
    qtbot.keyClicks(window.search, "deficit")
    qtbot.waitUntil(lambda: window.left_stack.currentWidget() is window.search_results, timeout=WAIT_MS)
    assert window.search_results.count() == 1
    qtbot.mouseClick(
        window.search_results.viewport(), Qt.MouseButton.LeftButton,
        pos=window.search_results.visualItemRect(window.search_results.item(0)).center(),
    )
    assert window.windowTitle().startswith("Budget")
    assert "deficit" in window.editor.quote.text()
    window.search.clear()
    qtbot.waitUntil(lambda: window.left_stack.currentWidget() is window.articles, timeout=WAIT_MS)


def undo(qtbot, window) -> None:  # type: ignore[no-untyped-def]
    qtbot.keyClick(window.table, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)


def redo(qtbot, window) -> None:  # type: ignore[no-untyped-def]
    qtbot.keyClick(window.table, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier)


def test_undo_and_redo_a_mistaken_verdict_and_the_database_follows(qtbot, window, bench) -> None:
    claim = window.editor.claim
    window.table.setFocus()
    qtbot.keyClick(window.table, Qt.Key.Key_5)  # False, by mistake
    assert verdict_of(bench, claim.id) == "False"
    assert window.undo_action.text() == "&Undo Set verdict to False"

    undo(qtbot, window)
    stored = bench.claim(claim.id)
    assert stored.verdict is None and stored.state is State.NOT_STARTED and not stored.accepted
    assert window.editor.verdict.currentText() == "No verdict yet"
    window.article_view.highlighter.set_selected(None)
    assert highlight_at(window, claim.start + 1) == QColor(State.NOT_STARTED.colour).lighter(108)

    redo(qtbot, window)
    assert verdict_of(bench, claim.id) == "False"
    assert window.editor.verdict.currentText() == "False"


def test_typing_is_one_undo_step_and_undo_saves_pending_text_first(qtbot, window, bench) -> None:
    claim = window.editor.claim
    qtbot.keyClicks(window.editor.summary, "About 3,000")
    window.editor.flush()
    qtbot.keyClicks(window.editor.summary, " troops.")  # still waiting for the typing pause
    window.table.setFocus()
    undo(qtbot, window)
    assert bench.claim(claim.id).summary == ""
    assert window.editor.summary.toPlainText() == ""
    redo(qtbot, window)
    assert bench.claim(claim.id).summary == "About 3,000 troops."


def test_undo_brings_back_a_deleted_claim_with_its_sources(qtbot, window, bench, sample_article, monkeypatch) -> None:
    claim = window.editor.claim
    monkeypatch.setattr(SourceDialog, "ask", classmethod(lambda cls, parent, source=None: SourceInput("https://osce.org/r", "R", "OSCE")))
    qtbot.mouseClick(window.editor.add_source_button, Qt.MouseButton.LeftButton)
    monkeypatch.setattr(dialogs, "confirm", lambda *_a: True)
    qtbot.mouseClick(window.editor.delete_button, Qt.MouseButton.LeftButton)
    assert window.model.row_of(claim.id) is None

    window.table.setFocus()
    undo(qtbot, window)
    back = bench.claim(claim.id)
    assert [s.publisher for s in back.sources] == ["OSCE"]
    assert window.editor.claim.id == claim.id and window.model.row_of(claim.id) is not None
    assert highlight_at(window, claim.start + 1) is not None

    undo(qtbot, window)  # and the source, step by step
    assert bench.claim(claim.id).sources == ()
    assert window.editor.tabs.tabText(0) == "Sources (0)"


def test_undo_a_marked_claim_and_a_rejected_suggestion(qtbot, window, bench, sample_article) -> None:
    text = sample_article.text
    phrase = "in a logic of revenge"
    start = text.index(phrase)
    view = window.article_view
    select_text(window, start, start + len(phrase))
    qtbot.keyClick(view, Qt.Key.Key_M, Qt.KeyboardModifier.ControlModifier)
    count = len(bench.claims(sample_article.id))
    undo(qtbot, window)
    assert len(bench.claims(sample_article.id)) == count - 1
    redo(qtbot, window)
    assert [c.quote for c in bench.claims(sample_article.id)].count(phrase) == 1

    suggestion = next(c for c in bench.claims(sample_article.id) if not c.accepted)
    window.select_claim(suggestion.id)
    window.table.setFocus()
    qtbot.keyClick(window.table, Qt.Key.Key_R)
    assert suggestion.id not in [c.id for c in bench.claims(sample_article.id)]
    undo(qtbot, window)
    assert bench.claim(suggestion.id).quote == suggestion.quote
    assert bench.redetect(sample_article.id).claims_added == frozenset()  # and it is no longer remembered as rejected


def test_article_details_are_editable(qtbot, window, bench, sample_article, monkeypatch, errors) -> None:
    from datetime import date

    dialog = dialogs.ArticleDialog(window, sample_article)
    qtbot.addWidget(dialog)
    dialog.url.setText("javascript:alert(1)")
    dialog.accept()
    assert dialog.error.isVisibleTo(dialog) and "http" in dialog.error.text()

    details = dialogs.ArticleDetails("Armenia–Azerbaijan clash", "https://atlantico.fr/a", "Atlantico",
                                     "Emmanuel Dupuy", date(2022, 9, 14))
    monkeypatch.setattr(dialogs.ArticleDialog, "ask", classmethod(lambda cls, parent, article: details))
    window.details_action.trigger()
    stored = bench.article(sample_article.id)
    assert (stored.title, stored.outlet, stored.published) == ("Armenia–Azerbaijan clash", "Atlantico", date(2022, 9, 14))
    assert window.windowTitle().startswith("Armenia–Azerbaijan clash")
    assert window.articles.text(window.articles.currentRow()).startswith("Armenia–Azerbaijan clash")


def test_a_damaged_database_stops_start_up_with_one_line(tmp_path: Path, monkeypatch, capsys) -> None:
    from app import main as main_module
    from app.ui import application

    bad = tmp_path / "damaged.sqlite3"
    bad.write_bytes(b"not a database" * 500)
    shown: list[str] = []
    monkeypatch.setattr(application, "show_fatal", shown.append)
    assert main_module.main(["--db", str(bad)]) == 1
    assert len(shown) == 1 and "damaged" in shown[0]
    assert capsys.readouterr().err.strip() == f"claimdesk: {shown[0]}"
    assert bad.read_bytes() == b"not a database" * 500


def test_an_error_no_action_caught_is_one_line_if_the_database_or_input_is_at_fault_else_a_logged_bug(
    window, monkeypatch, errors,  # type: ignore[no-untyped-def]
) -> None:
    """The crash handler decides it in one place: a problem of the database or of the input that
    got past every action is the window's one line and is not logged as a bug; anything else is
    a bug of ours: logged, and said to be one."""
    import sys

    from app import logs
    from app.domain.errors import StorageError
    from app.ui import application

    before = sys.excepthook
    try:
        application.install_crash_handler(window.refused)
        handler = sys.excepthook
    finally:
        sys.excepthook = before
    logged: list[object] = []
    said: list[str] = []
    monkeypatch.setattr(logs, "log_bug", lambda *details: logged.append(details) or "/tmp/claimdesk.log")
    monkeypatch.setattr(application.QMessageBox, "critical", lambda _parent, _title, text: said.append(text))

    full = StorageError("The disk holding the database is full; free some space and try again.")
    handler(StorageError, full, None)
    assert errors == [str(full)] and logged == [] and said == []

    handler(ZeroDivisionError, ZeroDivisionError("a bug of ours"), None)
    assert len(logged) == 1 and len(said) == 1 and said[0].startswith("Something went wrong inside Claimdesk")
    assert errors == [str(full)]


def test_comments_and_furniture_are_dimmed_and_languages_shown(window, sample_article) -> None:
    from app.ui.article_view import COMMENT_COLOUR, FURNITURE_COLOUR, is_dark

    assert not is_dark(window.article_view.palette())  # the light page: its own muted tones
    text = sample_article.text
    view = window.article_view
    furniture = view.highlighter.format_at(view.qt_position(text.index("Notify of")))
    assert furniture is not None and furniture.foreground().color() == QColor(FURNITURE_COLOUR)
    comment = view.highlighter.format_at(view.qt_position(text.index("We need to get rid")))
    assert comment is not None and comment.foreground().color() == QColor(COMMENT_COLOUR)
    assert view.highlighter.format_at(view.qt_position(text.index("Can we see in this action"))) is None

    def margin_of(phrase: str):  # type: ignore[no-untyped-def]
        view.reveal_offset(text.index(phrase))
        return view.margin_at(view.point_of(text.index(phrase)).y())

    assert margin_of("Le troisième pays").label == "FR"
    assert margin_of("Россию бессмысленно").tooltip.startswith("Reader comment")
    assert "(Russian)" in margin_of("Россию бессмысленно").tooltip
    assert margin_of("Firstly, there is").tooltip == "Emmanuel Dupuy (English)"


def test_new_article_from_the_clipboard_and_an_empty_clipboard(qtbot, window, bench, errors) -> None:
    from PySide6.QtWidgets import QApplication

    QApplication.clipboard().setText("Port strike\n\nDockers in Antwerp stopped work for 48 hours on 2 June, the union said.")
    window.paste_action.trigger()
    assert window.windowTitle().startswith("Port strike") and window.articles.count() == 2
    QApplication.clipboard().setText("")
    window.paste_action.trigger()
    assert errors == ["The clipboard holds no text to import."]
    assert window.articles.count() == 2


def test_a_file_link_is_refused_with_one_line(window, monkeypatch, errors) -> None:
    monkeypatch.setattr(dialogs, "ask_url", lambda _parent: "file:///etc/passwd")
    window.open_url_action.trigger()
    assert len(errors) == 1 and "only http and https" in errors[0]
    assert window.articles.count() == 1


def history_lines(window: MainWindow) -> list[str]:
    return [window.editor.history.item(i).text() for i in range(window.editor.history.count())]


def switch_reviewer(window: MainWindow, monkeypatch: pytest.MonkeyPatch, name: str) -> None:
    monkeypatch.setattr(dialogs, "ask_reviewer_name", lambda *_a: name)
    window.reviewer_button.click()
    assert window.reviewer_button.text() == f"Reviewer: {name}"


def test_a_claim_walks_from_not_started_to_approved_by_a_second_reviewer(
    qtbot, window, bench, sample_article, monkeypatch, errors
) -> None:  # type: ignore[no-untyped-def]
    troops = claim_with(bench, sample_article.id, "3 000 Russians")
    window.select_claim(troops.id)
    editor = window.editor
    assert editor.state_label.text() == "<b>Not started</b>" and editor.start_button.isVisible()

    editor.start_button.click()
    pick_verdict(window, "Misleading")  # a slip of the mouse…
    window.table.setFocus()
    undo(qtbot, window)  # …undone
    assert bench.claim(troops.id).verdict is None and editor.verdict.currentText() == "No verdict yet"
    window.table.setFocus()
    qtbot.keyClick(window.table, Qt.Key.Key_2)  # the legend's 2: Mostly true
    assert verdict_of(bench, troops.id) == "Mostly true"
    qtbot.keyClicks(editor.summary, "About 3,000 at two bases, as the ministry says.")
    editor.flush()
    assert "it has no sources" in editor.checklist.text()

    editor.review_button.click()  # in review, but Ana set the verdict and there are no sources
    assert bench.claim(troops.id).state is State.IN_REVIEW and editor.approve_button.isVisible()
    assert not editor.approve_button.isEnabled()
    editor.approve()
    assert "it has no sources" in errors[-1] and "Ana Checker set the verdict" in errors[-1]
    assert bench.claim(troops.id).state is State.IN_REVIEW

    answers = iter([
        SourceInput("https://www.osce.org/report", "OSCE report", "OSCE", stance=Stance.SUPPORTS),
        SourceInput("https://www.reuters.com/world/x", "Troops at Gyumri", "Reuters", stance=Stance.SUPPORTS),
    ])
    monkeypatch.setattr(SourceDialog, "ask", classmethod(lambda cls, parent, source=None: next(answers)))
    qtbot.mouseClick(editor.add_source_button, Qt.MouseButton.LeftButton)
    assert "add a primary source, or a second source from another publisher" in editor.checklist.text()
    qtbot.mouseClick(editor.add_source_button, Qt.MouseButton.LeftButton)
    assert editor.checklist.text() == "Before approval: Ana Checker set the verdict, so someone else must approve it."
    qtbot.keyClick(window.table, Qt.Key.Key_A, Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier)
    assert "someone else must approve it" in errors[-1] and bench.claim(troops.id).state is State.IN_REVIEW

    switch_reviewer(window, monkeypatch, "Boris Editor")
    assert editor.checklist.text() == "✓ Ready for sign-off by Boris Editor." and editor.approve_button.isEnabled()
    qtbot.mouseClick(editor.approve_button, Qt.MouseButton.LeftButton)

    stored = bench.claim(troops.id)
    assert (stored.state, stored.approved_by, stored.verdict_by) == (State.APPROVED, "Boris Editor", "Ana Checker")
    assert editor.checklist.text().startswith("Approved by Boris Editor")
    assert editor.state_label.text() == "<b>Approved</b> · verdict by Ana Checker · approved by Boris Editor"
    assert editor.summary.isReadOnly() and not editor.verdict.isEnabled() and not editor.add_source_button.isEnabled()
    assert window.model.index(window.model.row_of(troops.id), Column.STATE).data() == "Approved"
    assert window.progress_label.text().endswith("· 1 approved")
    steps = [line.split("\n")[1] for line in reversed(history_lines(window))]
    assert steps == [
        "accepted: no → yes",
        "state: not started → in progress",
        "verdict: Misleading",
        "verdict removed: Misleading",
        "verdict: Mostly true",
        "summary: (empty) → About 3,000 at two bases, a…",
        "state: in progress → in review",
        "source added: https://www.osce.org/report",
        "source added: https://www.reuters.com/world/x",
        "state: in review → approved",
    ]
    assert history_lines(window)[0].split("\n")[0].endswith("Boris Editor")


def test_an_approved_claim_is_locked_until_reopened_with_a_reason(
    qtbot, window, bench, sample_article, monkeypatch, errors
) -> None:  # type: ignore[no-untyped-def]
    troops = claim_with(bench, sample_article.id, "3 000 Russians")
    approve_through_the_service(bench, troops.id)
    window.open_article(sample_article.id)
    window.select_claim(troops.id)
    window.table.setFocus()
    qtbot.keyClick(window.table, Qt.Key.Key_1)  # the number keys do not change a locked verdict
    assert verdict_of(bench, troops.id) == "False" and "locked" in errors[-1]

    monkeypatch.setattr(dialogs, "ask_reopen_reason", lambda *_a: "The ministry corrected its figure")
    window.editor.reopen_button.click()
    stored = bench.claim(troops.id)
    assert stored.state is State.IN_REVIEW and stored.approved_by == ""
    assert "reopened: The ministry corrected its figure" in history_lines(window)[1]
    assert window.editor.verdict.isEnabled() and not window.editor.summary.isReadOnly()
    qtbot.keyClick(window.table, Qt.Key.Key_4)
    assert verdict_of(bench, troops.id) == "Disputed"


def test_switching_the_scale_keeps_every_verdict_and_flags_those_not_on_it(
    qtbot, window, bench, sample_article
) -> None:  # type: ignore[no-untyped-def]
    troops = claim_with(bench, sample_article.id, "3 000 Russians")
    window.select_claim(troops.id)
    pick_verdict(window, "Misleading")
    politifact = next(a for a in window.scale_group.actions() if a.data() == "politifact")
    politifact.trigger()

    assert bench.scale().key == "politifact" and verdict_of(bench, troops.id) == "Misleading"
    row = window.model.row_of(troops.id)
    assert window.model.index(row, Column.VERDICT).data() == "⚠ Misleading"
    assert window.editor.off_scale.isVisible() and "not on this workspace's scale" in window.editor.off_scale.text()
    assert "Pants on Fire!" in window.editor.legend.text()
    window.verdict_filter.setCurrentIndex(window.verdict_filter.findText("⚠ Not on this scale"))
    assert window.visible_claim_ids() == [troops.id]
    window.clear_filters()
    window.table.setFocus()
    qtbot.keyClick(window.table, Qt.Key.Key_3)  # PolitiFact's third step
    assert verdict_of(bench, troops.id) == "Half True"
    assert not window.editor.off_scale.isVisible()


def test_a_free_text_scale_takes_a_written_conclusion(qtbot, window, bench, sample_article) -> None:  # type: ignore[no-untyped-def]
    troops = claim_with(bench, sample_article.id, "3 000 Russians")
    window.select_claim(troops.id)
    pick_verdict(window, "Misleading")  # rated on the default scale first
    next(a for a in window.scale_group.actions() if a.data() == "conclusion").trigger()
    assert window.editor.conclusion.isVisible() and not window.editor.verdict.isVisible()
    assert window.editor.off_scale.isVisible()
    qtbot.keyClicks(window.editor.conclusion, "Broadly right: about 3,000 at two bases")
    window.editor.flush()
    stored = bench.claim(troops.id)
    assert stored.conclusion == "Broadly right: about 3,000 at two bases" and stored.verdict_by == "Ana Checker"
    assert stored.verdict is None  # the conclusion is the verdict now: nothing left flagged
    assert not window.editor.off_scale.isVisible()
    assert window.model.index(window.model.row_of(troops.id), Column.VERDICT).data().startswith("Broadly right")
    window.table.setFocus()
    undo(qtbot, window)
    assert (bench.claim(troops.id).verdict_name, bench.claim(troops.id).conclusion) == ("Misleading", "")


def test_after_an_import_the_title_made_from_the_text_is_offered_for_editing(
    qtbot, window, bench, tmp_path: Path, monkeypatch, details_offers
) -> None:
    from datetime import date

    story = tmp_path / "ruling.txt"
    story.write_text(
        "The justices of the Alabama Supreme Court ruled on Friday that frozen embryos are children"
        " under state law, a decision with consequences for 140 fertility clinics. More follows.\n", "utf-8")
    monkeypatch.setattr(dialogs, "ask_import_path", lambda _parent: story)
    window.import_action.trigger()
    title = "The justices of the Alabama Supreme Court ruled on Friday that frozen embryos are…"
    assert details_offers == [(title, True)]
    assert window.windowTitle().startswith(title)

    # Accepting the offer stores the corrected details at once.
    details = dialogs.ArticleDetails("Alabama court: embryos are children", "", "AL.com", "", date(2024, 2, 16))
    monkeypatch.setattr(dialogs.ArticleDialog, "ask", classmethod(lambda cls, parent, article, imported=False: details))
    again = tmp_path / "second.txt"
    again.write_text("Donald Trump: Thank you, Mike. Good morning. We created 212,000 jobs in 2023.\n", "utf-8")
    monkeypatch.setattr(dialogs, "ask_import_path", lambda _parent: again)
    window.import_action.trigger()
    assert window.windowTitle().startswith("Alabama court: embryos are children")
    assert window.articles.text(window.articles.currentRow()).startswith("Alabama court: embryos are children")


def test_the_offer_after_an_import_is_a_dialog_with_the_title_selected(qtbot, window, sample_article) -> None:
    dialog = dialogs.ArticleDialog(window, sample_article, imported=True)
    qtbot.addWidget(dialog)
    assert dialog.windowTitle() == "Imported: check the details"
    assert dialog.title_edit.selectedText() == sample_article.title


# -- the window's layout, as a new user saw it (#15) ----------------------------------------

LONG_TITLE = ("The justices of the Alabama Supreme Court ruled on Friday that frozen embryos are children"
              " under state law, with consequences for every fertility clinic in the state and beyond it")


def test_a_long_title_is_elided_to_two_lines_and_the_count_always_shows(qtbot, window, bench) -> None:
    from PySide6.QtGui import QFontMetrics

    from app.ingest import from_pasted
    from app.ui.articles_pane import EntryDelegate, wrapped_lines

    article, _ = bench.add_article(from_pasted("The court counted 140 clinics in 2024, officials said.", LONG_TITLE))
    window.reload_articles(select=article.id)
    index = window.articles.currentIndex()
    from tests.test_article_list_fill import tooltip_of

    assert tooltip_of(window.articles, index.row()) == LONG_TITLE  # hovered: the whole title
    delegate = window.articles.itemDelegate()
    assert isinstance(delegate, EntryDelegate)
    assert delegate.parts(index) == (LONG_TITLE, "0 of 1 checked")

    rect = window.articles.visualRect(index)
    font = window.articles.font()
    lines = wrapped_lines(LONG_TITLE, font, rect.width() - 2 * EntryDelegate.PAD_X, 2)
    assert len(lines) == 2 and lines[1].endswith("…")
    # The entry is tall enough for the two title lines and the count under them, and no taller.
    title_height = 2 * QFontMetrics(font).lineSpacing()
    assert title_height + QFontMetrics(font).lineSpacing() * 0.8 < rect.height() - 2 * EntryDelegate.PAD_Y
    assert rect.height() < 4 * QFontMetrics(font).lineSpacing() + 2 * EntryDelegate.PAD_Y
    assert window.articles_pane.list_title.text() == f"Articles ({window.articles.count()})"



def test_an_entry_takes_one_line_more_or_less_when_the_pane_is_resized(qtbot, window, bench) -> None:
    """Entries carry their sizes, measured at the list's width: a two-line title whose pane
    widens becomes a one-line entry (and back), its height what the painter draws."""
    from PySide6.QtGui import QFontMetrics

    from app.ingest import from_pasted
    from app.ui.articles_pane import EntryDelegate, wrapped_lines

    title = "Parliament votes to extend the emergency powers for another six months"
    article, _ = bench.add_article(from_pasted("The vote was 301 to 212, officials said.", title))
    window.reload_articles(select=article.id)
    window.resize(1366, 768)
    view = window.articles
    item = view.currentIndex()
    font = view.font()
    spacing = QFontMetrics(font).lineSpacing()

    def title_lines() -> int:
        """Lines the entry's height holds for its title (the line under it and padding taken off)."""
        height = view.visualRect(item).height() - 2 * EntryDelegate.PAD_Y
        return round((height - EntryDelegate.GAP - QFontMetrics(EntryDelegate._small(font)).lineSpacing()) / spacing)

    def painted_lines() -> int:
        width = view.visualRect(item).width() - 2 * EntryDelegate.PAD_X
        return len(wrapped_lines(title, font, width, 2))

    for left, lines in ((200, 2), (900, 1), (200, 2)):
        total = sum(window.splitter.sizes())
        window.splitter.setSizes([left, (total - left) // 2, total - left - (total - left) // 2])
        qtbot.waitUntil(lambda lines=lines: painted_lines() == lines and title_lines() == lines, timeout=WAIT_MS)
        # Every other entry is sized for the new width too (the sample's title among them).
        for row in range(view.count()):
            rect = view.visualRect(view.model().index(row, 0))
            other_title = view.text(row).rpartition("\n")[0]
            drawn = len(wrapped_lines(other_title, font, rect.width() - 2 * EntryDelegate.PAD_X, 2))
            assert rect.height() == 2 * EntryDelegate.PAD_Y + drawn * spacing + EntryDelegate.GAP + \
                QFontMetrics(EntryDelegate._small(font)).lineSpacing(), (other_title, rect)

def test_the_claims_table_shows_twelve_rows_at_1366x768_and_the_claim_gets_the_width(qtbot, bench, sample_article, errors) -> None:
    from app.ui.application import settings

    win = MainWindow(bench, "test.sqlite3", settings(), runner=SyncRunner())
    qtbot.addWidget(win)
    win.resize(1366, 768)
    win.show()
    qtbot.waitExposed(win)
    table = win.table
    rows = table.viewport().height() // table.rowHeight(0)
    assert rows >= 12
    qtbot.waitUntil(lambda: table.columnWidth(Column.SOURCES) < 100, timeout=WAIT_MS)  # fitted to contents
    widths = {column: table.columnWidth(column) for column in Column}
    assert widths[Column.QUOTE] == max(widths.values())
    quote = win.model.index(0, Column.QUOTE)
    assert win.model.data(quote, Qt.ItemDataRole.ToolTipRole).startswith(win.model.claims()[0].quote)
    assert table.textElideMode() == Qt.TextElideMode.ElideRight

    # The sizes the user chooses come back in the next window.
    win.claims_splitter.setSizes([300, 400])
    win.splitter.setSizes([180, 500, 686])
    chosen = (win.claims_splitter.sizes(), win.splitter.sizes())
    win.close()
    again = MainWindow(bench, "test.sqlite3", settings(), runner=SyncRunner())
    qtbot.addWidget(again)
    again.resize(1366, 768)
    again.show()
    qtbot.waitExposed(again)
    restored = (again.claims_splitter.sizes(), again.splitter.sizes())
    for was, now in zip(chosen, restored, strict=True):
        assert all(abs(a - b) <= 2 for a, b in zip(was, now, strict=True)), (chosen, restored)


def test_every_filter_fits_at_1366x768_and_the_article_list_keeps_its_width(qtbot, bench, sample_article) -> None:
    """Six filters in one row (an article with revisions adds "Any place") must not widen the
    claims pane until the article list is a sliver of cut titles."""
    from app.ui.application import settings

    win = MainWindow(bench, "test.sqlite3", settings(), runner=SyncRunner())
    qtbot.addWidget(win)
    win.resize(1366, 768)
    win.show()
    qtbot.waitExposed(win)
    win.revisions_ui.anchor_filter.show()
    qtbot.waitUntil(lambda: win.revisions_ui.anchor_filter.isVisible(), timeout=WAIT_MS)
    combos = win.claims_pane.filters
    assert len(combos) == 6 and all(c.isVisible() for c in combos)
    pane = win.claims_pane
    assert pane.minimumSizeHint().width() < 700
    assert win.articles_pane.width() >= 180
    assert max(c.geometry().right() for c in combos) <= pane.width()
    combos[1].setCurrentIndex(1)  # a label cut short shows whole on hover
    assert combos[1].toolTip() == combos[1].currentText()


def test_search_results_are_headed_with_their_count_and_a_way_back(qtbot, window, bench, sample_article) -> None:
    from app.ingest import from_pasted

    bench.add_article(from_pasted("Budget\n\nThe deficit reached 4.1% of GDP in 2023, the treasury said."))
    window.reload_articles(select=sample_article.id)
    pane = window.articles_pane
    assert pane.list_title.text() == "Articles (2)" and not pane.back_button.isVisible()
    qtbot.keyClicks(window.search, "deficit")
    qtbot.waitUntil(lambda: pane.list_title.text() == "Search results (1)", timeout=WAIT_MS)
    assert pane.back_button.isVisible() and pane.back_button.text() == "← Articles"
    hit = window.search_results.item(0)
    assert "\n" in hit.text() and "deficit" in hit.toolTip()

    qtbot.mouseClick(pane.back_button, Qt.MouseButton.LeftButton)
    assert window.left_stack.currentWidget() is window.articles
    assert window.search.text() == "" and pane.list_title.text() == "Articles (2)"

    qtbot.keyClicks(window.search, "zzzzqx")
    qtbot.waitUntil(lambda: pane.list_title.text() == "Search results (0)", timeout=WAIT_MS)
    qtbot.keyClick(window.search, Qt.Key.Key_Escape)
    assert window.left_stack.currentWidget() is window.articles and window.search.text() == ""


def test_ctrl_m_snaps_a_sloppy_selection_to_whole_words(qtbot, window, bench, sample_article) -> None:
    """#15: a selection starting at a comma and ending mid-word made the claim ", a spoke"."""
    text = sample_article.text
    phrase = "They are in a logic of revenge"
    start = text.index(phrase)
    # From the space before "They"'s last letters to the middle of "revenge".
    select_text(window, start + 2, start + len(phrase) - 3)
    window.article_view.setFocus()
    qtbot.keyClick(window.article_view, Qt.Key.Key_M, Qt.KeyboardModifier.ControlModifier)
    assert window.editor.claim.quote == phrase
    assert phrase in window.editor.quote.text()


@pytest.mark.parametrize(
    ("text", "selected", "claim"),
    [
        ("The mayor, a spokesman said, lied.", ", a spoke", "a spokesman"),
        ("Russia's troops: 3,000 at Gyumri.", "ssia's troops:", "Russia's troops"),
        ("It rose by 8 % in 2024 (officially).", "by 8 % in 20", "by 8 % in 2024"),
        ("Well-known figures left.", "ll-kno", "Well-known"),
    ],
)
def test_marking_snaps_to_word_boundaries_everywhere(bench, text: str, selected: str, claim: str) -> None:
    from app.ingest import from_pasted

    article, _ = bench.add_article(from_pasted(f"{text} More words follow here to make it an article.", "T"))
    start = article.text.index(selected)
    marked, _ = bench.mark_claim(article.id, start, start + len(selected))
    assert marked.quote == claim


def test_the_window_every_report_and_the_command_line_give_a_claim_one_number(qtbot, window, bench, sample_article) -> None:
    """#15: the report's #1 was the window's #2 and the CLI's id 128."""
    from app.cli import claim_name
    from app.export import build_report, render_html, render_markdown

    claims = sorted(bench.claims(sample_article.id), key=lambda c: (c.start, c.end))
    bench.reject(claims[0].id)
    bench.delete_claim(claims[1].id)
    checked = claims[4]
    bench.accept(checked.id)
    window.open_article(sample_article.id)
    row = window.model.row_of(checked.id)
    assert window.model.data(window.model.index(row, Column.NUMBER)) == str(checked.number) == "5"
    window.select_claim(checked.id)
    assert window.editor.heading.text().startswith("Claim #5 · ")

    report = build_report(bench.article(sample_article.id), bench.claims(sample_article.id),
                          structure=bench.segments(sample_article.id))
    assert [c.number for c in report.claims] == [5]  # the only accepted claim, still #5
    assert 'id="claim-5"' in render_html(report) and "### 5. “" in render_markdown(report)
    assert claim_name(bench.claim(checked.id)) == f"{sample_article.id}#5"


RESERVED = ("Save", "SaveAs", "Print", "Close", "New", "Open", "Quit", "Copy", "Paste", "Cut", "SelectAll",
            "Undo", "Redo", "Find", "FindNext", "Refresh", "HelpContents", "Preferences")


def test_shortcuts_use_standard_keys_and_never_clash(window) -> None:
    """#15: Redo was hard-coded and Add source took Ctrl+Shift+S (Save As everywhere)."""
    from PySide6.QtGui import QAction, QKeySequence

    def keys(standard: str) -> set[str]:
        return {k.toString() for k in QKeySequence.keyBindings(getattr(QKeySequence.StandardKey, standard))}

    actions = [a for a in window.findChildren(QAction) if a.shortcuts()]
    owner: dict[str, str] = {}
    for a in actions:
        for key in (k.toString() for k in a.shortcuts()):
            assert key not in owner, f"{key} is both {owner[key]!r} and {a.text()!r}"
            owner[key] = a.text()
    assert {k.toString() for k in window.redo_action.shortcuts()} == keys("Redo")
    assert {k.toString() for k in window.undo_action.shortcuts()} == keys("Undo")
    assert window.add_source_action.shortcut().toString() == "Ctrl+Shift+L"
    standard_actions = {window.undo_action.text(), window.redo_action.text(), window.import_action.text(),
                        window.focus_search_action.text(), window.shortcuts_action.text()}
    for name in RESERVED:
        for key in keys(name):
            if key in owner and owner[key] not in standard_actions:
                # A key a platform reserves for something else is taken only by what it means.
                assert owner[key].replace("&", "").startswith(("Quit", "Delete")), (key, name, owner[key])


def test_the_status_bar_says_its_progress_in_words_and_has_no_unlabelled_bar(window) -> None:
    from PySide6.QtWidgets import QProgressBar

    assert window.progress_label.text().endswith("with a verdict · 0 approved")
    bars = window.statusBar().findChildren(QProgressBar)
    assert all(not bar.isVisible() for bar in bars)  # only the busy bar, shown while working
    assert all(bar.isTextVisible() and bar.format() for bar in bars)


def test_each_workspace_remembers_its_own_export_folder(qtbot, bench, sample_article, tmp_path: Path, monkeypatch, errors) -> None:
    """#15: the export dialog started in the home folder every time, whatever the workspace."""
    from app.ui.application import settings
    from app.ui.export_dialog import ExportDialog, ExportResult

    asked: list[Path] = []

    def ask(cls, parent, article, claims, **options):  # type: ignore[no-untyped-def]
        asked.append(Path(options["path"]).parent)
        folder = tmp_path / parent.db_label.replace(".", "_")
        folder.mkdir(exist_ok=True)
        return ExportResult(folder / "r.html", "html", "all", "A4", "", "")

    monkeypatch.setattr(ExportDialog, "ask", classmethod(ask))
    windows = {}
    for label in ("desk-a.sqlite3", "desk-b.sqlite3"):
        win = MainWindow(bench, label, settings(), runner=SyncRunner())
        qtbot.addWidget(win)
        win.open_article(sample_article.id)
        windows[label] = win
    windows["desk-a.sqlite3"].export_action.trigger()
    assert asked[0] != tmp_path / "desk-a_sqlite3"  # first time: Documents, or home
    windows["desk-b.sqlite3"].export_action.trigger()
    windows["desk-a.sqlite3"].export_action.trigger()
    windows["desk-b.sqlite3"].export_action.trigger()
    assert asked[2:] == [tmp_path / "desk-a_sqlite3", tmp_path / "desk-b_sqlite3"]


def test_the_export_dialog_shows_the_end_of_a_long_path(qtbot, bench, sample_article, tmp_path: Path) -> None:
    from app.ui.export_dialog import ExportDialog

    deep = tmp_path / ("a-very-long-folder-name-" * 4) / "claims" / "report.html"
    dialog = ExportDialog(None, sample_article, bench.claims(sample_article.id), path=deep)
    qtbot.addWidget(dialog)
    assert dialog.path_edit.toolTip() == str(deep)
    assert dialog.path_edit.cursorPosition() == len(str(deep))  # the file name is what shows


def test_the_desk_overview_draws_its_charts_with_the_numbers_on_hover_and_opens_a_waiting_claim(
    qtbot, window, bench, sample_article
) -> None:
    from PySide6.QtCore import QPoint

    bench.update_article(sample_article.id, outlet="Atlantico")
    claims = bench.claims(sample_article.id)
    bench.update_claim(claims[0].id, verdict=bench.scale().rating("false"))
    bench.update_claim(claims[3].id, verdict=bench.scale().rating("disputed"), state=State.IN_REVIEW)
    window.select_claim(claims[1].id)
    window.overview_action.trigger()
    shown = window.overview_window
    assert shown is not None and shown.isVisible()
    qtbot.waitExposed(shown)
    shown.weeks.grab()  # painted: the charts know where each number is
    shown.outlets.grab()
    this_week = shown.weeks.hits[-1].rect.center().toPoint()
    assert shown.weeks.tip_at(this_week) == f"Week of {shown.weeks.weeks[-1].label}: 2 checked"
    tips = {shown.outlets.tip_at(hit.rect.center().toPoint()) for hit in shown.outlets.hits}
    assert tips == {"Atlantico: Disputed 1 of 2 (50%)", "Atlantico: False 1 of 2 (50%)"}
    assert shown.outlets.tip_at(QPoint(1, 1)) == ""
    assert "1 waiting for review" in shown.summary.text()

    assert shown.waiting.item(0, 0).text().startswith(f"{sample_article.id}#{claims[3].number} ")
    shown.waiting.cellDoubleClicked.emit(0, 0)
    assert window.editor.claim.id == claims[3].id


def _luminance(colour: QColor) -> float:
    def channel(c: float) -> float:
        return c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4

    return 0.2126 * channel(colour.redF()) + 0.7152 * channel(colour.greenF()) + 0.0722 * channel(colour.blueF())


def contrast(a: QColor, b: QColor) -> float:
    """The WCAG contrast ratio of two colours (AA asks 4.5 for text)."""
    light, dark = sorted((_luminance(a), _luminance(b)), reverse=True)
    return (light + 0.05) / (dark + 0.05)


def dark_palette():  # type: ignore[no-untyped-def]
    from PySide6.QtGui import QPalette

    palette = QPalette()
    roles = {
        "Window": "#2b2d31", "WindowText": "#e8e8e8", "Base": "#1f2023", "AlternateBase": "#26282c",
        "Text": "#e8e8e8", "Button": "#35373c", "ButtonText": "#e8e8e8", "PlaceholderText": "#a0a4ab",
        "Highlight": "#3d6fd6", "HighlightedText": "#ffffff", "Mid": "#4a4d53", "Midlight": "#3a3c41",
        "Light": "#505358", "Dark": "#18191b", "ToolTipBase": "#35373c", "ToolTipText": "#e8e8e8",
    }
    for role, colour in roles.items():
        palette.setColor(getattr(QPalette.ColorRole, role), QColor(colour))
    return palette


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_the_window_follows_a_light_or_dark_palette_and_verdicts_keep_their_contrast(
    qtbot, qapp, bench, sample_article, errors, scheme: str
) -> None:
    from PySide6.QtGui import QPalette

    from app.ui.application import settings, stylesheet

    before_palette, before_sheet = qapp.palette(), qapp.styleSheet()
    try:
        if scheme == "dark":
            qapp.setPalette(dark_palette())
        qapp.setStyleSheet(stylesheet())
        win = MainWindow(bench, "test.sqlite3", settings(), runner=SyncRunner())
        qtbot.addWidget(win)
        win.resize(1366, 768)
        win.show()
        qtbot.waitExposed(win)
        page = win.article_view.viewport().grab().toImage()
        background = page.pixelColor(page.width() - 3, page.height() - 3)
        assert (background.lightness() < 80) == (scheme == "dark"), background.name()
        # Status inks (saved, an error, a dangerous button) read on the palette they sit on.
        from app.ui.application import ON_DARK

        window_colour = qapp.palette().color(QPalette.ColorRole.Window)
        for light, dark in ON_DARK.items():
            shown = dark if scheme == "dark" else light
            assert shown in qapp.styleSheet()
            assert contrast(QColor(shown), window_colour) >= 4.5, (shown, window_colour.name())
            assert contrast(QColor(shown), qapp.palette().color(QPalette.ColorRole.Button)) >= 4.5
        # The status bar reads on its background.
        status = win.statusBar()
        ink = win.progress_label.palette().color(QPalette.ColorRole.WindowText)
        assert contrast(ink, status.palette().color(QPalette.ColorRole.Window)) >= 4.5
        # Every verdict of every scale keeps AA contrast with the ink drawn on it, in the text and the table.
        from app.ui.article_view import INK

        for scale in bench.scales():
            for rating in scale.labels:
                assert contrast(QColor(INK), QColor(rating.colour)) >= 4.5, (scale.key, rating.name)
        claim = bench.claims(sample_article.id)[0]
        win.article_view.highlighter.set_selected(None)
        fmt = win.article_view.highlighter.format_at(win.article_view.qt_position(claim.start + 1))
        assert fmt is not None and fmt.foreground().color() == QColor(INK)
        row = win.model.row_of(claim.id)
        verdict_cell = win.model.index(row, Column.VERDICT)
        assert contrast(win.model.data(verdict_cell, Qt.ItemDataRole.ForegroundRole),
                        win.model.data(verdict_cell, Qt.ItemDataRole.BackgroundRole)) >= 4.5
        win.close()
    finally:
        qapp.setStyleSheet(before_sheet)
        qapp.setPalette(before_palette)


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_the_changed_claim_notice_reads_in_a_light_or_dark_palette(qtbot, qapp, scheme: str) -> None:
    """The "Changed, confirm" notice has a fixed warm background: its text must be fixed too, or a
    dark palette writes near-white on cream."""
    from app.ui.application import stylesheet
    from app.ui.revisions import AnchorBox

    before_palette, before_sheet = qapp.palette(), qapp.styleSheet()
    try:
        if scheme == "dark":
            qapp.setPalette(dark_palette())
        qapp.setStyleSheet(stylesheet())
        box = AnchorBox()
        qtbot.addWidget(box)
        box.title.setText("Changed, confirm: text changed in revision 2: its figures changed")
        box.resize(600, 160)
        box.show()
        qtbot.waitExposed(box)
        image = box.grab().toImage()
        paper = image.pixelColor(image.width() - 6, 6)  # inside the border, clear of any text
        ink = box.title.palette().color(box.title.foregroundRole())
        assert contrast(ink, paper) >= 4.5, (ink.name(), paper.name())
    finally:
        qapp.setStyleSheet(before_sheet)
        qapp.setPalette(before_palette)


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_the_eye_on_a_claim_someone_else_has_open_stands_out_on_a_light_or_dark_page(
    qtbot, qapp, bench, sample_article, scheme: str
) -> None:
    """Team mode's eye in the claims table: on the dark page the light-palette blue all but vanished."""
    from PySide6.QtGui import QPalette

    from app.ui.application import settings

    before = qapp.palette()
    try:
        if scheme == "dark":
            qapp.setPalette(dark_palette())
        win = MainWindow(bench, "test.sqlite3", settings(), runner=SyncRunner())
        qtbot.addWidget(win)
        first = win.model.claim_at(0)
        win.model.set_viewers({first.id: ("ana",)})
        icon = win.model.data(win.model.index(0, Column.QUOTE), Qt.ItemDataRole.DecorationRole)
        image = icon.pixmap(32, 32).toImage()
        ink = max((image.pixelColor(x, 16) for x in range(32)), key=lambda c: c.alpha())
        page = qapp.palette().color(QPalette.ColorRole.Base)
        assert contrast(ink, page) >= 3  # WCAG's minimum for a graphic that carries meaning
    finally:
        qapp.setPalette(before)
