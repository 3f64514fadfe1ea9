"""Evidence in the window, on the sample's three kinds of claim: a treaty equivalence compared side
by side and saved into the report, a troop count against a source that says 1,900, and the 1993
resolutions offered as sources in one click."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QWidget

from app.domain import SourceKind
from app.domain.evidence import EvidenceKind
from app.evidence.numbers import MINUS
from app.ui.claims_model import Column
from app.ui.dialogs import SourceDialog, SourceInput
from app.ui.main_window import MainWindow

pytestmark = pytest.mark.gui

TROOPS_PASSAGE = "Russian troops in Nagorno Karabagh: 1 900 men, 90 transport vehicles and 88 special units"




def pick_claim(qtbot, win: MainWindow, bench, words: str):  # type: ignore[no-untyped-def]
    """Click the claim's row in the table, then the Evidence tab: what a fact-checker does."""
    article_id = win.desk.article.id
    claim = next(c for c in bench.claims(article_id) if words in c.quote)
    win.clear_filters()
    index = win.proxy.mapFromSource(win.model.index(win.model.row_of(claim.id), Column.QUOTE))
    win.table.scrollTo(index)
    qtbot.mouseClick(win.table.viewport(), Qt.MouseButton.LeftButton, pos=win.table.visualRect(index).center())
    assert win.editor.claim is not None and win.editor.claim.id == claim.id
    win.editor.tabs.setCurrentIndex(2)
    return claim


def click(qtbot, button: QWidget) -> None:
    button.ensurePolished()
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)


def test_treaty_claim_compared_side_by_side_saved_as_evidence_and_in_the_html_report(
        qtbot, window, bench, sample_article, monkeypatch, tmp_path: Path) -> None:
    claim = pick_claim(qtbot, window, bench, "article 5 NATO")
    tab = window.editor.evidence_tab
    # The claim names both articles: they are offered side by side, with the treaties' own text.
    assert tab.left.choice.currentText() == "Article 4, Collective Security Treaty (1992)"
    assert tab.right.choice.currentText() == "Article 5, North Atlantic Treaty (1949)"
    assert "Article 51 of the UN Charter" in tab.left.text.toPlainText()

    click(qtbot, tab.compare_button)
    assert "% of the words are shared" in tab.sentence.text()
    assert "Article 4 adds “" in tab.sentence.text() and "omits “" in tab.sentence.text()
    shown = tab.diff_view.toHtml()
    assert "Article 5, North Atlantic Treaty" in shown and "#fbd9a6" in shown and "#c6e9c6" in shown

    click(qtbot, tab.save_comparison_button)
    (saved,) = bench.evidence(claim.id)
    assert saved.kind is EvidenceKind.COMPARISON and saved.summary == tab.sentence.text()
    assert saved.left.url.startswith("https://") and saved.right.url.startswith("https://www.nato.int/")
    assert tab.saved.count() == 1 and window.editor.tabs.tabText(2) == "Evidence (1)"
    assert bench.history(claim.id)[-1].field == "evidence"
    window.undo()
    assert bench.evidence(claim.id) == [] and tab.saved.count() == 0
    window.redo()
    assert [e.id for e in bench.evidence(claim.id)] == [saved.id]

    from app.ui.export_dialog import ExportDialog, ExportResult
    from app.ui.pdf import export_to

    def ask(cls, parent, article, claims, **options):  # type: ignore[no-untyped-def]
        from app.export import build_report

        path = tmp_path / "report.html"
        report = build_report(article, claims, scales=options["scales"], evidence=options["evidence"])
        export_to(path, "html", report)
        return ExportResult(path, "html", "all", "A4", "", "")

    monkeypatch.setattr(ExportDialog, "ask", classmethod(ask))
    window.export_action.trigger()
    html = (tmp_path / "report.html").read_text("utf-8")
    assert 'class="evidence-box"' in html and saved.summary.replace("“", "").split(";")[0] in html
    assert '<mark class="only-left">' in html and "Article 4, Collective Security Treaty (1992)" in html


def test_troop_count_shows_a_mismatch_once_a_source_quotes_1900(qtbot, window, bench, monkeypatch) -> None:
    claim = pick_claim(qtbot, window, bench, "More 3 000 Russians")
    tab = window.editor.evidence_tab
    assert "Add a source with a quoted passage" in tab.figures.text()
    monkeypatch.setattr(SourceDialog, "ask", classmethod(
        lambda cls, parent, source=None: SourceInput("https://mod.example/karabakh", "Peacekeeping force", "MoD",
                                                     passage=TROOPS_PASSAGE)))
    window.editor.tabs.setCurrentIndex(0)
    click(qtbot, window.editor.add_source_button)
    window.editor.tabs.setCurrentIndex(2)
    assert f"claim: more than 3,000; source: 1,900 ({MINUS}37 %)" in tab.figures.text()
    assert "not a verdict" in tab.figures.text()
    click(qtbot, tab.save_figures_button)
    (saved,) = bench.evidence(claim.id)
    assert saved.mismatch and tab.saved.item(0).text().startswith("⚠ Figures check: Figures disagree")
    assert f"({MINUS}37 %)" in (bench.history(claim.id)[-1].new_value or "")
    assert not bench.claim(claim.id).has_verdict  # a hint, never a verdict


def test_the_1993_resolutions_are_offered_and_one_click_adds_one_as_a_primary_source(qtbot, window, bench, errors) -> None:
    claim = pick_claim(qtbot, window, bench, "four UN Security Council resolutions")
    tab = window.editor.evidence_tab
    assert list(tab.ref_buttons) == [f"S/RES/{n}(1993)" for n in (822, 853, 874, 884)]
    assert "as the claim says" in tab.refs_note.text()
    click(qtbot, tab.ref_buttons["S/RES/822(1993)"])
    (source,) = bench.claim(claim.id).sources
    assert source.url == "https://undocs.org/S/RES/822(1993)" and source.kind is SourceKind.PRIMARY
    assert source.title == "UN Security Council resolution 822 (1993)" and "Kelbajar" in source.note
    assert window.editor.tabs.tabText(0) == "Sources (1)"
    click(qtbot, tab.ref_buttons["S/RES/822(1993)"])  # twice: said, not added again
    assert len(bench.claim(claim.id).sources) == 1 and "already a source" in errors[-1]


def test_a_claim_picked_while_the_evidence_tab_is_closed_is_shown_there_once_it_is_opened(qtbot, window, bench) -> None:
    """The tab works a claim out when it is opened (not for every claim read without it): what
    it then shows is the claim picked last, with its references and figures."""
    pick_claim(qtbot, window, bench, "four UN Security Council resolutions")
    tab = window.editor.evidence_tab
    assert list(tab.ref_buttons) == [f"S/RES/{n}(1993)" for n in (822, 853, 874, 884)]
    window.editor.tabs.setCurrentIndex(0)  # Sources, and two other claims picked meanwhile
    for words in ("article 5 NATO", "More 3 000 Russians"):
        claim = next(c for c in bench.claims(window.desk.article.id) if words in c.quote)
        window.select_claim(claim.id)
    assert window.editor.tabs.tabText(2) == "Evidence"
    window.editor.tabs.setCurrentIndex(2)
    assert tab.ref_buttons == {}  # the troops' claim names no resolution
    assert "3,000" in tab.figures.text() and "Add a source with a quoted passage" in tab.figures.text()
    assert tab.left.choice.findText("The claim's own words") >= 0
