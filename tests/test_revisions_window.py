"""Revisions in the real window: a claim carried through a new version of the article ends
anchored, changed (confirmed with one key) or not in this revision, and the screen says so."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import WAIT_MS
from conftest import mark_quote as mark
from PySide6.QtCore import Qt

from app.domain import Anchor, State
from app.ui import dialogs
from app.ui.claims_model import Column
from app.ui.main_window import MainWindow

pytestmark = pytest.mark.gui

TROOPS = "1 900 men, 90 transport vehicles and 88 special units"
FIGURE = "More 3 000 Russians are positioned on two military bases located on Armenian territory"
SOLIDARITY = "Solidarity within this collective security agreement remains fragile"




def new_version(tmp_path: Path, text: str) -> Path:
    """The sample, corrected: a note on top, a figure changed, a sentence deleted."""
    title, rest = text.split("\n\n", 1)
    rest = rest.replace("More 3 000 Russians", "More 5 000 Russians").replace(SOLIDARITY + ".", "")
    path = tmp_path / "corrected.txt"
    path.write_text(title + "\n\nCorrection: a figure was wrong in an earlier version.\n\n" + rest, encoding="utf-8")
    return path


def import_new_version(window: MainWindow, monkeypatch: pytest.MonkeyPatch, path: Path) -> None:
    """File › Import new version of this article…, the file picked in the dialog."""
    monkeypatch.setattr(dialogs, "ask_import_path", lambda _parent: path)
    window.import_version_action.trigger()


def row_text(window: MainWindow, claim_id: int) -> str:
    row = window.model.row_of(claim_id)
    assert row is not None
    return str(window.model.index(row, Column.QUOTE).data())


def marked_runs(window: MainWindow) -> tuple[list[str], list[str]]:
    """The diff view's text struck out (deleted) and not struck out on a background (inserted)."""
    deleted, inserted = [], []
    block = window.revisions_ui.old_text.document().begin()
    while block.isValid():
        it = block.begin()
        while not it.atEnd():
            fragment = it.fragment()
            fmt = fragment.charFormat()
            if fmt.fontStrikeOut():
                deleted.append(fragment.text().strip())
            elif fmt.background().style() != Qt.BrushStyle.NoBrush:
                inserted.append(fragment.text().strip())
            it += 1
        block = block.next()
    return deleted, inserted


def highlighted(window: MainWindow, offset: int) -> bool:
    fmt = window.article_view.highlighter.format_at(window.article_view.qt_position(offset))
    return fmt is not None and fmt.background().style() != Qt.BrushStyle.NoBrush


@pytest.fixture
def claims(window, bench, sample_article):  # type: ignore[no-untyped-def]
    """Three claims of Ana's in the open sample, one of them approved."""
    troops, figure, gone = (mark(bench, sample_article.id, q) for q in (TROOPS, FIGURE, SOLIDARITY))
    bench.actor = "Ana Checker"
    bench.update_claim(figure.id, verdict=bench.scale().rating("false"), summary="About 3,000.")
    bench.add_source(figure.id, "https://mod.example/report", publisher="Ministry of Defence")
    bench.add_source(figure.id, "https://news.example/story", publisher="News Agency")
    bench.update_claim(figure.id, state=State.IN_REVIEW)
    bench.actor = "Boris Editor"
    bench.approve(figure.id)
    bench.actor = "Ana Checker"
    window.open_article(None)
    window.open_article(sample_article.id)
    return troops, figure, gone


def test_an_unchanged_claim_stays_anchored_at_its_new_place(qtbot, window, bench, sample_article, claims, tmp_path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    troops, _figure, _gone = claims
    import_new_version(window, monkeypatch, new_version(tmp_path, sample_article.text))

    text = bench.article(sample_article.id).text
    assert window.article_view.toPlainText().startswith(text.split("\n", 1)[0])
    assert "Correction: a figure was wrong" in window.article_view.toPlainText()
    moved = bench.claim(troops.id)
    assert moved.anchor is Anchor.ANCHORED and moved.number == troops.number
    assert moved.start == text.index(TROOPS) != troops.start
    window.select_claim(troops.id)
    assert highlighted(window, moved.start + 3)
    assert not window.editor.anchor_box.isVisibleTo(window.editor)
    assert row_text(window, troops.id).startswith("1 900 men")
    assert "Revision 2:" in window.statusBar().currentMessage()
    # The window shows any revision, and the differences between two.
    assert window.revisions_ui.bar.isVisibleTo(window)
    window.revisions_ui.show_revision(1)
    assert window.revisions_ui.old_text.isVisibleTo(window) and not window.article_view.isVisibleTo(window)
    assert window.revisions_ui.old_text.toPlainText() == sample_article.text
    window.revisions_ui.show_revision(2, compare_with=1)
    deleted, inserted = marked_runs(window)
    assert "3" in deleted and SOLIDARITY + "." in deleted
    assert "5" in inserted and "Correction: a figure was wrong in an earlier version." in inserted
    window.revisions_ui.show_revision(2)
    assert window.article_view.isVisibleTo(window) and not window.revisions_ui.old_text.isVisibleTo(window)


def test_a_changed_claim_shows_both_wordings_and_t_takes_the_new_one(qtbot, window, bench, sample_article, claims, tmp_path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    _troops, figure, _gone = claims
    import_new_version(window, monkeypatch, new_version(tmp_path, sample_article.text))

    assert row_text(window, figure.id).startswith("⚠ Changed: More 3 000 Russians")
    window.revisions_ui.anchor_filter.setCurrentIndex(window.revisions_ui.anchor_filter.findData("changed"))
    assert window.claims_pane.visible_ids() == [figure.id]
    window.select_claim(figure.id)
    box = window.editor.anchor_box
    assert box.isVisibleTo(window.editor)
    assert box.old_wording.text() == FIGURE
    assert box.new_wording.text().startswith("More 5 000 Russians")
    assert "text changed in revision 2" in box.title.text()
    changed = bench.claim(figure.id)
    assert changed.state is State.IN_REVIEW  # the approval is undone by the changed text, with the reason
    assert any(h.new_value == "text changed in revision 2" for h in bench.history(figure.id))

    window.table.setFocus()
    qtbot.keyClick(window.table, Qt.Key.Key_T)

    confirmed = bench.claim(figure.id)
    assert confirmed.anchor is Anchor.ANCHORED and confirmed.quote.startswith("More 5 000 Russians")
    assert confirmed.verdict is not None and len(confirmed.sources) == 2 and confirmed.number == figure.number
    qtbot.waitUntil(lambda: not box.isVisibleTo(window.editor), timeout=WAIT_MS)
    window.revisions_ui.anchor_filter.setCurrentIndex(0)
    assert row_text(window, figure.id).startswith("More 5 000 Russians")
    assert highlighted(window, confirmed.start + 3)


def test_a_deleted_sentence_is_listed_under_not_in_this_revision(qtbot, window, bench, sample_article, claims, tmp_path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    _troops, _figure, gone = claims
    import_new_version(window, monkeypatch, new_version(tmp_path, sample_article.text))

    orphan = bench.claim(gone.id)
    assert orphan.anchor is Anchor.ORPHANED and orphan.quote == SOLIDARITY
    ui = window.revisions_ui
    assert ui.orphans_box.isVisibleTo(window)
    assert ui.orphans_title.text() == "Not in this revision (1)"
    assert ui.orphans.item(0).text() == f"#{gone.number}  {SOLIDARITY}"
    assert row_text(window, gone.id).startswith("✕ Not in this revision: Solidarity")
    assert window.article_view.highlighter._spans.get(gone.id) is None  # nothing in the text for it

    qtbot.mouseClick(ui.orphans.viewport(), Qt.MouseButton.LeftButton,
                     pos=ui.orphans.visualItemRect(ui.orphans.item(0)).center())

    assert window.editor.claim is not None and window.editor.claim.id == gone.id
    box = window.editor.anchor_box
    assert box.isVisibleTo(window.editor) and box.old_wording.text() == SOLIDARITY
    assert "Not in this revision" in box.title.text()


def test_o_marks_a_changed_claim_as_not_in_this_revision(qtbot, window, bench, sample_article, claims, tmp_path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    _troops, figure, _gone = claims
    import_new_version(window, monkeypatch, new_version(tmp_path, sample_article.text))
    window.select_claim(figure.id)
    window.table.setFocus()
    qtbot.keyClick(window.table, Qt.Key.Key_O)
    assert bench.claim(figure.id).anchor is Anchor.ORPHANED
    assert window.revisions_ui.orphans_title.text() == "Not in this revision (2)"
    assert window.editor.anchor_box.new_wording.text().startswith("More 5 000")  # offered, not taken


def test_the_pdf_report_says_a_claim_changed(qtbot, window, bench, sample_article, claims, tmp_path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    from app.export import build_report
    from app.ui.pdf import report_document

    _troops, figure, _gone = claims
    import_new_version(window, monkeypatch, new_version(tmp_path, sample_article.text))
    article = bench.article(sample_article.id)
    text = report_document(build_report(article, bench.claims(article.id), scales=bench.scales())).toPlainText()
    assert "Changed, confirm: text changed in revision 2: its figures changed" in text
    assert "Not in this revision: not in revision 2" in text


def test_a_text_from_the_articles_own_link_is_its_next_revision(qtbot, window, bench, sample_article) -> None:  # type: ignore[no-untyped-def]
    from app.ingest import ImportedText

    url = "https://news.example/armenia-clash"
    bench.update_article(sample_article.id, source_url=url)
    corrected = sample_article.text.replace("More 3 000 Russians", "More 5 000 Russians")
    articles = len(bench.articles())

    window.files.import_from(url, lambda: ImportedText(title="New clash", text=corrected, source_url=url))

    assert len(bench.articles()) == articles  # no copy: the same article, one revision more
    assert [r.number for r in bench.revisions(sample_article.id)] == [1, 2]
    assert window.article_view.shown_text == corrected
    assert window.revisions_ui.bar.isVisibleTo(window)
    assert window.statusBar().currentMessage().startswith("Revision 2:")


def test_a_new_revision_starts_a_fresh_undo_history(qtbot, window, bench, sample_article, tmp_path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    window.select_claim(bench.claims(sample_article.id)[0].id)
    window.table.setFocus()
    qtbot.keyClick(window.table, Qt.Key.Key_A)
    assert window.undo_action.isEnabled()
    import_new_version(window, monkeypatch, new_version(tmp_path, sample_article.text))
    assert not window.undo_action.isEnabled()  # its offsets were the old text's


def test_taking_the_new_wording_is_undone_with_ctrl_z(qtbot, window, bench, sample_article, claims, tmp_path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    _troops, figure, _gone = claims
    import_new_version(window, monkeypatch, new_version(tmp_path, sample_article.text))
    window.select_claim(figure.id)
    window.table.setFocus()
    qtbot.keyClick(window.table, Qt.Key.Key_T)
    assert bench.claim(figure.id).anchor is Anchor.ANCHORED

    window.undo_action.trigger()

    back = bench.claim(figure.id)
    assert back.anchor is Anchor.CHANGED and back.quote == FIGURE
    assert window.editor.anchor_box.isVisibleTo(window.editor)
    window.redo_action.trigger()
    assert bench.claim(figure.id).anchor is Anchor.ANCHORED
