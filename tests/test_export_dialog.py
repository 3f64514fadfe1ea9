"""The export dialog, driven as a user would with qtbot; never exec()'d."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from conftest import WAIT_MS
from PySide6.QtCore import QPoint, QUrl
from PySide6.QtWidgets import QDialog, QRadioButton
from test_export import (
    FALSE,
    HOSTILE_SCRIPT,
    MISLEADING,
    PRIVATE,
    SCALES,
    TEXT,
    claim_at,
    make_article,
    sample_claims,
)

from app.domain import State
from app.export import INCLUDE_CHOICES, INCLUDE_LABELS
from app.ui import export_dialog
from app.ui.export_dialog import ExportDialog, ExportResult
from app.ui.tasks import SyncRunner

pytestmark = pytest.mark.gui

URL = "https://checks.example.org/budget"


@pytest.fixture
def dialog(qtbot, tmp_path: Path) -> ExportDialog:  # type: ignore[no-untyped-def]
    dialog = ExportDialog(
        None, make_article(), sample_claims(), report_url="", organisation="Example Checks",
        path=tmp_path / "report.html", page_size="A4", scales=SCALES, runner=SyncRunner(),
    )
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    return dialog


def click_export(qtbot, dialog: ExportDialog) -> None:  # type: ignore[no-untyped-def]
    qtbot.mouseClick(dialog.export_button, export_dialog.Qt.MouseButton.LeftButton)


def choose(qtbot, button: QRadioButton) -> None:  # type: ignore[no-untyped-def]
    """Click a radio button on its label: its middle can lie past a short label, where Qt ignores it."""
    qtbot.mouseClick(button, export_dialog.Qt.MouseButton.LeftButton, pos=QPoint(8, button.height() // 2))


def test_exports_html_where_the_user_says(qtbot, dialog: ExportDialog, tmp_path: Path) -> None:
    with qtbot.waitSignal(dialog.exported) as signal:
        click_export(qtbot, dialog)
    target = tmp_path / "report.html"
    html = target.read_text("utf-8")
    assert "<html" in html and 'id="claim-4"' in html and PRIVATE not in html
    assert dialog.result() == QDialog.DialogCode.Accepted
    assert signal.args == [ExportResult(target, "html", "all", "A4", "", "Example Checks")]
    assert dialog.result_value == signal.args[0]


def test_the_choice_of_claims_follows_the_report_model(qtbot, dialog: ExportDialog) -> None:
    assert list(dialog.include_buttons) == list(INCLUDE_CHOICES)
    assert [b.text() for b in dialog.include_buttons.values()] == [INCLUDE_LABELS[k] for k in INCLUDE_CHOICES]
    assert dialog.include == "all"
    # Before exporting, the user learns the report will be a draft.
    assert dialog.scope_note.text() == "Marked as a draft: 1 verdict is not approved yet."


def test_pdf_in_letter_with_only_claims_with_a_verdict(qtbot, dialog: ExportDialog, tmp_path: Path) -> None:
    dialog.set_format("pdf")
    assert dialog.path_edit.text() == str(tmp_path / "report.pdf")  # the suffix follows the format
    assert dialog.page_size_box.isVisible() and not dialog.report_url_edit.isVisible()
    dialog.page_size_box.setCurrentIndex(dialog.page_size_box.findData("Letter"))
    choose(qtbot, dialog.with_verdict)
    assert dialog.include == "resolved"
    assert dialog.scope_note.text() == (
        "1 claim without a verdict will be left out; the report says so. "
        "Marked as a draft: 1 verdict is not approved yet."
    )
    seen: list[tuple[int, int]] = []
    dialog.progressed.connect(lambda done, total: seen.append((done, total)))
    click_export(qtbot, dialog)
    data = (tmp_path / "report.pdf").read_bytes()
    assert data.startswith(b"%PDF-") and b"/MediaBox [0 0 612" in data
    assert seen and seen[-1][0] == seen[-1][1]
    assert dialog.result_value is not None and dialog.result_value.include == "resolved"
    assert not dialog.progress.isVisible()


def test_claimreview_needs_an_address_and_says_so_in_one_line(
    qtbot, dialog: ExportDialog, tmp_path: Path
) -> None:
    dialog.set_format("claimreview")
    assert dialog.report_url_edit.isVisible() and not dialog.page_size_box.isVisible()
    assert dialog.scope_note.text().startswith("ClaimReview publishes approved verdicts only: 2 claims here.")
    assert "#claim-N" in dialog.scope_note.text()
    click_export(qtbot, dialog)
    assert dialog.error_label.isVisible()
    assert "web address where the report is published" in dialog.error_label.toolTip()
    assert "\n" not in dialog.error_label.text()
    assert dialog.result() != QDialog.DialogCode.Accepted and dialog.isVisible()
    assert not (tmp_path / "report.jsonld").exists()

    qtbot.keyClicks(dialog.report_url_edit, URL)
    assert not dialog.error_label.isVisible()  # typing clears the error
    click_export(qtbot, dialog)
    graph = json.loads((tmp_path / "report.jsonld").read_text("utf-8"))["@graph"]
    assert [r["url"] for r in graph] == [f"{URL}#claim-{n}" for n in (1, 4)]  # the approved ones
    assert graph[0]["author"]["name"] == "Example Checks"
    assert graph[0]["reviewRating"]["ratingValue"] == 5  # the dialog passed the scales on
    assert dialog.result_value is not None and dialog.result_value.report_url == URL


def test_claimreview_with_nothing_approved_says_so_in_one_line(qtbot, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    waiting = [c for c in sample_claims() if c.state is not State.APPROVED]
    dialog = ExportDialog(None, make_article(), waiting, report_url=URL, organisation="Example Checks",
                          path=tmp_path / "r.jsonld", fmt="claimreview", runner=SyncRunner())
    qtbot.addWidget(dialog)
    dialog.show()
    assert dialog.scope_note.text() == (
        "ClaimReview publishes approved verdicts only, and none of these claims is approved yet."
    )
    click_export(qtbot, dialog)
    assert dialog.error_label.isVisible() and "\n" not in dialog.error_label.text()
    assert dialog.error_label.toolTip() == (
        "ClaimReview publishes approved verdicts only, and no claim in this report is approved yet: "
        "1 verdict waits for a reviewer's sign-off."
    )
    assert dialog.isVisible() and dialog.export_button.isEnabled()
    assert not (tmp_path / "r.jsonld").exists()


def test_only_approved_claims_make_a_report_that_is_no_draft(qtbot, dialog: ExportDialog, tmp_path: Path) -> None:
    choose(qtbot, dialog.approved_only)
    assert dialog.include == "approved"
    assert dialog.scope_note.text() == "2 claims not approved yet will be left out; the report says so."
    preview = " ".join(dialog.preview.toPlainText().split())
    assert "up 21% on last year”" not in preview and "Draft" not in preview  # claim 2 is in review
    assert "\u2068Approved by Ben Editor on 13 May 2024\u2069" in preview  # user text, isolated
    click_export(qtbot, dialog)
    html = (tmp_path / "report.html").read_text("utf-8")
    assert "Draft" not in html and 'id="claim-2"' in html and 'id="claim-3"' not in html
    assert dialog.result_value is not None and dialog.result_value.include == "approved"


def test_an_unwritable_destination_is_an_error_line_not_a_crash(
    qtbot, dialog: ExportDialog, tmp_path: Path
) -> None:
    dialog.path_edit.setText(str(tmp_path / "missing" / "report.html"))
    click_export(qtbot, dialog)
    assert "does not exist" in dialog.error_label.toolTip()
    assert dialog.export_button.isEnabled() and dialog.isVisible()
    dialog.path_edit.clear()
    click_export(qtbot, dialog)
    assert dialog.error_label.text() == "Choose where to save the report."


def test_a_destination_without_a_suffix_gets_the_format_s(qtbot, dialog: ExportDialog, tmp_path: Path) -> None:
    dialog.set_format("md")
    dialog.path_edit.setText(str(tmp_path / "notes-for-desk"))
    click_export(qtbot, dialog)
    assert (tmp_path / "notes-for-desk.md").read_text("utf-8").startswith("# Fact-check:")


def test_browse_offers_a_save_dialog_and_keeps_the_format_s_suffix(
    qtbot, dialog: ExportDialog, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    asked: list[str] = []

    def fake(parent, caption, directory, filters):  # type: ignore[no-untyped-def]
        asked.append(filters)
        return str(tmp_path / "chosen"), filters

    monkeypatch.setattr(export_dialog.QFileDialog, "getSaveFileName", fake)
    dialog.set_format("csv")
    qtbot.mouseClick(dialog.browse_button, export_dialog.Qt.MouseButton.LeftButton)
    assert asked == ["CSV (*.csv)"]
    assert dialog.path_edit.text() == str(tmp_path / "chosen.csv")


def test_open_when_done(qtbot, dialog: ExportDialog, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    opened: list[QUrl] = []
    monkeypatch.setattr(export_dialog.QDesktopServices, "openUrl", lambda url: opened.append(url) or True)
    dialog.open_when_done.setChecked(True)
    click_export(qtbot, dialog)
    assert opened == [QUrl.fromLocalFile(str(tmp_path / "report.html"))]


def test_the_preview_shows_the_report_and_follows_only_its_own_links(
    qtbot, dialog: ExportDialog, monkeypatch: pytest.MonkeyPatch
) -> None:
    preview = dialog.preview
    text = preview.toPlainText()
    assert "City budget grows by a fifth" in text and "cost twice the original estimate" in text
    assert PRIVATE not in text
    assert not preview.openLinks() and not preview.openExternalLinks()
    opened: list[QUrl] = []
    monkeypatch.setattr(export_dialog.QDesktopServices, "openUrl", lambda url: opened.append(url) or True)
    preview.resize(500, 200)
    before = preview.verticalScrollBar().value()
    preview.anchorClicked.emit(QUrl("#claim-4"))
    assert preview.verticalScrollBar().value() > before
    at_claim = preview.verticalScrollBar().value()
    preview.anchorClicked.emit(QUrl("https://news.example.org/budget"))
    preview.anchorClicked.emit(QUrl("javascript:alert(1)"))
    assert opened == [] and preview.verticalScrollBar().value() == at_claim
    assert preview.loadResource(2, QUrl("https://tracker.example.org/pixel.png")) is None

    # The draft banner leads the preview, as it leads the report.
    assert "Draft: 1 of 3 verdicts is not approved yet." in " ".join(text.split())

    # Only claims with a verdict: claim 3 (in progress) leaves the preview.
    choose(qtbot, dialog.with_verdict)
    assert "fell to 6.1% in March”" not in preview.toPlainText()
    assert "This report includes only claims with a verdict." in " ".join(preview.toPlainText().split())


def test_hostile_text_in_the_preview_is_text(qtbot, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    text = f"Intro. The claim {HOSTILE_SCRIPT} here."
    claims = [claim_at(text, f"The claim {HOSTILE_SCRIPT} here.", 1, State.APPROVED, FALSE,
                       summary=HOSTILE_SCRIPT, approved_by=HOSTILE_SCRIPT)]
    dialog = ExportDialog(None, make_article(text, title=HOSTILE_SCRIPT), claims,
                          path=tmp_path / "r.html", runner=SyncRunner())
    qtbot.addWidget(dialog)
    assert dialog.preview.toPlainText().count(HOSTILE_SCRIPT) >= 4


def test_ask_returns_what_was_exported_or_none(qtbot, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    """ask() shows the dialog modally; here exec() is replaced, so nothing blocks."""

    class Clicked(ExportDialog):
        def __init__(self, *args, **kwargs) -> None:  # type: ignore[no-untyped-def]
            kwargs["runner"] = SyncRunner()
            super().__init__(*args, **kwargs)

        def exec(self) -> int:
            self.set_format("json")
            self.export()
            return int(self.result())

    class Cancelled(ExportDialog):
        def exec(self) -> int:
            self.reject()
            return int(self.result())

    claims = [claim_at(TEXT, "up 21% on last year", 1, State.IN_REVIEW, MISLEADING)]
    result = Clicked.ask(None, make_article(), claims, path=tmp_path / "r.html",
                         organisation="Example Checks")
    assert result is not None and result.fmt == "json" and result.path == tmp_path / "r.json"
    data = json.loads(result.path.read_text("utf-8"))
    assert data["claims"][0]["state"] == "in_review" and data["claims"][0]["verdict"]["name"] == "Misleading"
    assert data["summary"]["draft"] is True
    assert Cancelled.ask(None, make_article(), claims, path=tmp_path / "c.html") is None
    assert not (tmp_path / "c.html").exists()


def test_the_dialog_cannot_be_closed_mid_export(qtbot, dialog: ExportDialog) -> None:
    dialog._set_busy(True)
    dialog.reject()
    assert dialog.isVisible() and dialog.progress.isVisible() and not dialog.export_button.isEnabled()
    dialog._set_busy(False)
    dialog.reject()
    assert not dialog.isVisible()


def test_default_file_name_comes_from_the_title(qtbot) -> None:  # type: ignore[no-untyped-def]
    dialog = ExportDialog(None, make_article(title="Élections : 75 % de participation?"), [],
                          fmt="pdf", runner=SyncRunner())
    qtbot.addWidget(dialog)
    assert Path(dialog.path_edit.text()).name == "elections-75-de-participation.pdf"
    assert dialog.fmt == "pdf"


def test_a_pdf_is_drawn_off_the_ui_thread(qtbot, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    """The real runner: the PDF is laid out and drawn on a worker thread, progress comes back."""
    dialog = ExportDialog(None, make_article(), sample_claims(), path=tmp_path / "r.pdf", fmt="pdf")
    qtbot.addWidget(dialog)
    seen: list[tuple[int, int]] = []
    dialog.progressed.connect(lambda done, total: seen.append((done, total)))
    with qtbot.waitSignal(dialog.exported, timeout=WAIT_MS * 5):
        click_export(qtbot, dialog)
        assert not dialog.export_button.isEnabled() or dialog.result_value is not None  # busy
    assert (tmp_path / "r.pdf").read_bytes().startswith(b"%PDF-")
    assert seen and seen[-1][0] == seen[-1][1]


def test_page_size_follows_the_locale_unless_given(qtbot) -> None:  # type: ignore[no-untyped-def]
    from PySide6.QtCore import QLocale

    original = QLocale()
    try:
        QLocale.setDefault(QLocale(QLocale.Language.English, QLocale.Country.UnitedStates))
        assert export_dialog.default_page_size() == "Letter"
        QLocale.setDefault(QLocale(QLocale.Language.French, QLocale.Country.France))
        assert export_dialog.default_page_size() == "A4"
        dialog = ExportDialog(None, make_article(), [], fmt="pdf", page_size="Letter",
                              runner=SyncRunner())
        qtbot.addWidget(dialog)
        assert dialog.page_size == "Letter"
    finally:
        QLocale.setDefault(original)
