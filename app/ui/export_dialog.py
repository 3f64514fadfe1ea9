"""Export a fact-check report: choose a format, which claims and where, see the report, export.

A little over 400 lines: one dialog whose choices, preview and background export share one state;
the preview widget and the file naming live apart (app/ui/report_preview.py, app.export.slug).
"""

from __future__ import annotations

import sys
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

from PySide6.QtCore import QLocale, Qt, QUrl, Signal
from PySide6.QtGui import QDesktopServices, QTextDocument
from PySide6.QtWidgets import (
    QButtonGroup,
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QProgressBar,
    QPushButton,
    QRadioButton,
    QVBoxLayout,
    QWidget,
)

from app.domain import Article, Claim, RatingScale, State
from app.domain.errors import USER_ERRORS, is_user_error
from app.domain.evidence import Evidence
from app.domain.segments import Segment as TextPart
from app.export import (
    FORMATS,
    INCLUDE_CHOICES,
    INCLUDE_LABELS,
    LABELS,
    SUFFIXES,
    Report,
    build_report,
    slug,
    suggested_path,
)
from app.ui.pdf import PAGE_SIZES, export_to, report_document
from app.ui.report_preview import ReportPreview
from app.ui.tasks import TaskRunner

FILE_FILTERS = {
    "html": "HTML report (*.html)",
    "pdf": "PDF (*.pdf)",
    "md": "Markdown (*.md)",
    "json": "JSON (*.json)",
    "csv": "CSV (*.csv)",
    "claimreview": "ClaimReview JSON-LD (*.jsonld)",
}


@dataclass(frozen=True, slots=True)
class ExportResult:
    """What was exported, so the window can say where and remember the choices for next time."""

    path: Path
    fmt: str
    include: str
    page_size: str
    report_url: str
    organisation: str


class ExportDialog(QDialog):
    """The dialog exports on its own when the user presses Export, and stays open with a
    one-line error when it cannot. Tests drive it with qtbot and never exec() it."""

    exported = Signal(object)  # ExportResult
    progressed = Signal(int, int)  # pages done, pages in all (from the worker thread)

    def __init__(
        self,
        parent: QWidget | None,
        article: Article,
        claims: Sequence[Claim],
        *,
        report_url: str = "",
        organisation: str = "",
        path: Path | None = None,
        fmt: str = "html",
        page_size: str | None = None,
        scales: Sequence[RatingScale] = (),
        runner: TaskRunner | None = None,
        evidence: Mapping[int, Sequence[Evidence]] | None = None,
        structure: Sequence[TextPart] = (),
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle("Export report")
        self._article = article
        self._claims = list(claims)
        self._scales = tuple(scales)
        self._evidence = dict(evidence or {})
        self._structure = tuple(structure)
        self._runner = runner or TaskRunner(self)
        self._busy = False
        self._document: QTextDocument | None = None
        self.result_value: ExportResult | None = None

        self.format_box = QComboBox()
        for key in FORMATS:
            self.format_box.addItem(LABELS[key], key)

        # One button per include choice of the report model, in its order.
        self.include_buttons = {key: QRadioButton(INCLUDE_LABELS[key]) for key in INCLUDE_CHOICES}
        self.all_claims = self.include_buttons["all"]
        self.with_verdict = self.include_buttons["resolved"]
        self.approved_only = self.include_buttons["approved"]
        self.all_claims.setChecked(True)
        self._include_group = QButtonGroup(self)
        for button in self.include_buttons.values():
            self._include_group.addButton(button)
        self.scope_note = QLabel()
        self.scope_note.setObjectName("keyLegend")
        self.scope_note.setWordWrap(True)
        self._without_verdict = sum(1 for c in self._claims if not c.has_verdict)
        self._approved = sum(1 for c in self._claims if c.state is State.APPROVED)
        self._unapproved = sum(1 for c in self._claims if c.has_verdict and c.state is not State.APPROVED)

        self.path_edit = QLineEdit()
        self.path_edit.setPlaceholderText("Where to save the report")
        self.path_edit.textChanged.connect(self.path_edit.setToolTip)  # the whole path, however long
        self.browse_button = QPushButton("Browse…")
        self.browse_button.clicked.connect(self.browse)
        start = path or Path.home() / (slug(article.title) + SUFFIXES[fmt])
        self._show_path(str(start))

        self.page_size_box = QComboBox()
        for name in PAGE_SIZES:
            self.page_size_box.addItem(name, name)
        self.page_size_box.setCurrentIndex(
            max(self.page_size_box.findData(page_size or default_page_size()), 0)
        )

        self.report_url_edit = QLineEdit(report_url)
        self.report_url_edit.setPlaceholderText("https://… where the HTML report is published")
        self.organisation_edit = QLineEdit(organisation)
        self.organisation_edit.setPlaceholderText("Your fact-checking organisation")

        self.open_when_done = QCheckBox("Open when done")

        self.preview = ReportPreview()
        self.preview.setMinimumWidth(460)
        self.progress = QProgressBar()
        self.progress.setTextVisible(False)
        self.progress.setMaximumHeight(10)
        self.progress.hide()
        self.error_label = QLabel()
        self.error_label.setObjectName("errorLabel")
        self.error_label.setTextFormat(Qt.TextFormat.PlainText)
        self.error_label.hide()

        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
        self.export_button = self.buttons.addButton(
            "Export", QDialogButtonBox.ButtonRole.AcceptRole
        )
        self.export_button.setDefault(True)
        self.buttons.accepted.connect(self.export)
        self.buttons.rejected.connect(self.reject)

        destination = QHBoxLayout()
        destination.addWidget(self.path_edit, 1)
        destination.addWidget(self.browse_button)
        include = QVBoxLayout()
        for button in self.include_buttons.values():
            include.addWidget(button)
        include.addWidget(self.scope_note)
        form = QFormLayout()
        form.addRow("Format", self.format_box)
        form.addRow("Claims", include)
        form.addRow("Save to", destination)
        form.addRow("Page size", self.page_size_box)
        form.addRow("Published at", self.report_url_edit)
        form.addRow("Organisation", self.organisation_edit)
        form.addRow("", self.open_when_done)
        self._form = form
        side = QWidget()
        side_layout = QVBoxLayout(side)
        side_layout.setContentsMargins(0, 0, 0, 0)
        side_layout.addLayout(form)
        side_layout.addStretch(1)
        side.setMinimumWidth(360)

        preview_box = QVBoxLayout()
        preview_title = QLabel("Preview")
        preview_title.setObjectName("sectionLabel")
        preview_box.addWidget(preview_title)
        preview_box.addWidget(self.preview, 1)

        body = QHBoxLayout()
        body.addWidget(side)
        body.addLayout(preview_box, 1)
        layout = QVBoxLayout(self)
        layout.addLayout(body, 1)
        layout.addWidget(self.progress)
        layout.addWidget(self.error_label)
        layout.addWidget(self.buttons)
        self.resize(1040, 680)

        self.format_box.currentIndexChanged.connect(self._format_changed)
        self._include_group.buttonToggled.connect(self._include_toggled)
        self.progressed.connect(self._show_progress)
        for edit in (self.path_edit, self.report_url_edit, self.organisation_edit):
            edit.textEdited.connect(self.clear_error)
        self.set_format(fmt)
        self._format_changed()
        self._include_changed()

    # -- what the user chose --------------------------------------------------------------

    @property
    def fmt(self) -> str:
        return str(self.format_box.currentData())

    @property
    def include(self) -> str:
        return next(key for key, button in self.include_buttons.items() if button.isChecked())

    @property
    def page_size(self) -> str:
        return str(self.page_size_box.currentData())

    def set_format(self, fmt: str) -> None:
        index = self.format_box.findData(fmt)
        if index < 0:
            raise ValueError(f"Unknown export format {fmt!r}")
        self.format_box.setCurrentIndex(index)

    def _show_path(self, text: str) -> None:
        """A path with its end in view: the file name and its folder, not the start of /home/…"""
        self.path_edit.setText(text)
        self.path_edit.end(False)

    def report(self) -> Report:
        return build_report(self._article, self._claims, include=self.include, scales=self._scales,
                            evidence=self._evidence, structure=self._structure)

    # -- reacting to choices --------------------------------------------------------------

    def _format_changed(self) -> None:
        fmt = self.fmt
        text = self.path_edit.text().strip()
        if text:
            self._show_path(str(suggested_path(Path(text), fmt)))
        self._set_row_visible(self.page_size_box, fmt == "pdf")
        for edit in (self.report_url_edit, self.organisation_edit):
            self._set_row_visible(edit, fmt == "claimreview")
        self._update_scope_note()
        self.clear_error()

    def _set_row_visible(self, field: QWidget, visible: bool) -> None:
        self._form.setRowVisible(field, visible)

    def _include_toggled(self, _button: QRadioButton, checked: bool) -> None:
        if checked:  # the button turned off toggles too: redraw once per choice
            self._include_changed()

    def _include_changed(self) -> None:
        self._update_scope_note()
        old = self._document
        self._document = report_document(self.report(), links=True, margin=18)
        self._document.setParent(self)  # owned by Qt, so Python never frees it under the view
        self.preview.setDocument(self._document)
        if old is not None:
            old.deleteLater()

    def _update_scope_note(self) -> None:
        self.scope_note.setText(self.scope_text())
        self.scope_note.setVisible(bool(self.scope_note.text()))

    def scope_text(self) -> str:
        """What the chosen claims and format leave out, or mark as a draft: before exporting."""
        if self.fmt == "claimreview":
            # The numbers follow the claims included: they must match the published HTML report.
            if not self._approved:
                return ("ClaimReview publishes approved verdicts only, and none of these claims is "
                        "approved yet.")
            return (
                f"ClaimReview publishes approved verdicts only: {_claims(self._approved)} here. Choose "
                "the same claims as the published HTML report: each review links to its #claim-N."
            )
        if self.include == "approved":
            left = len(self._claims) - self._approved
            return f"{_claims(left)} not approved yet will be left out; the report says so." if left else ""
        notes = []
        if self.include == "resolved" and self._without_verdict:
            notes.append(f"{_claims(self._without_verdict)} without a verdict will be left out; the report says so.")
        if self._unapproved:
            verdicts = "1 verdict is" if self._unapproved == 1 else f"{self._unapproved} verdicts are"
            notes.append(f"Marked as a draft: {verdicts} not approved yet.")
        return " ".join(notes)

    def browse(self) -> None:
        current = self.path_edit.text().strip() or str(Path.home())
        name, _ = QFileDialog.getSaveFileName(
            self, "Export report", current, FILE_FILTERS[self.fmt]
        )
        if name:
            self._show_path(str(suggested_path(Path(name), self.fmt)))
            self.clear_error()

    # -- exporting ------------------------------------------------------------------------

    def export(self) -> None:
        """Export with the current choices; on success the dialog closes, else it says why."""
        if self._busy:
            return
        text = self.path_edit.text().strip()
        if not text:
            self.show_error("Choose where to save the report.")
            return
        path = suggested_path(Path(text).expanduser(), self.fmt)
        self._show_path(str(path))
        fmt, page_size = self.fmt, self.page_size
        report_url = self.report_url_edit.text().strip()
        organisation = self.organisation_edit.text().strip()
        try:
            report = self.report()
        except USER_ERRORS as exc:
            self.show_error(str(exc))
            return
        result = ExportResult(path, fmt, self.include, page_size, report_url, organisation)

        def work() -> Path:
            return export_to(
                path, fmt, report, page_size=page_size, report_url=report_url,
                organisation=organisation, progress=self.progressed.emit,
            )

        self._set_busy(True)
        self._runner.run(work, lambda _path: self._done(result), self._failed)

    def _done(self, result: ExportResult) -> None:
        self._set_busy(False)
        self.result_value = result
        if self.open_when_done.isChecked():
            self.open_file(result.path)
        self.exported.emit(result)
        self.accept()

    def _failed(self, error: Exception) -> None:
        self._set_busy(False)
        if is_user_error(error):  # what the user can fix; any other ValueError is a bug of ours
            self.show_error(str(error))
        elif isinstance(error, OSError):
            self.show_error(f"Cannot write {self.path_edit.text()}: {error.strerror or error}.")
        else:  # a bug of ours: the crash handler logs it; the dialog still says something
            self.show_error(f"The export failed: {error}")
            sys.excepthook(type(error), error, error.__traceback__)

    def open_file(self, path: Path) -> None:
        QDesktopServices.openUrl(QUrl.fromLocalFile(str(path)))

    def _set_busy(self, busy: bool) -> None:
        self._busy = busy
        self.export_button.setEnabled(not busy)
        self.progress.setRange(0, 0)  # busy until the first page is drawn
        self.progress.setVisible(busy)
        if busy:
            self.clear_error()

    def _show_progress(self, done: int, total: int) -> None:
        self.progress.setRange(0, max(total, 1))
        self.progress.setValue(done)

    def show_error(self, message: str) -> None:
        line = " ".join(message.split())
        self.error_label.setToolTip(line)
        width = max(self.width() - 40, 200)
        self.error_label.setText(
            self.error_label.fontMetrics().elidedText(line, Qt.TextElideMode.ElideMiddle, width)
        )
        self.error_label.show()

    def clear_error(self) -> None:
        self.error_label.clear()
        self.error_label.hide()

    def reject(self) -> None:
        if self._busy:  # the export finishes in a moment; closing now would orphan it
            return
        super().reject()

    # -- the one entry point the window uses ----------------------------------------------

    @classmethod
    def ask(
        cls,
        parent: QWidget | None,
        article: Article,
        claims: Sequence[Claim],
        *,
        report_url: str = "",
        organisation: str = "",
        path: Path | None = None,
        fmt: str = "html",
        page_size: str | None = None,
        scales: Sequence[RatingScale] = (),
        evidence: Mapping[int, Sequence[Evidence]] | None = None,
        structure: Sequence[TextPart] = (),
    ) -> ExportResult | None:
        """Show the dialog; the export it did, or None if the user cancelled. Tests replace this.

        scales (Workbench.scales()) give ClaimReview each verdict's ratingValue and its bounds."""
        dialog = cls(parent, article, claims, report_url=report_url, organisation=organisation,
                     path=path, fmt=fmt, page_size=page_size, scales=scales, evidence=evidence,
                     structure=structure)
        try:
            if dialog.exec() != QDialog.DialogCode.Accepted:
                return None
            return dialog.result_value
        finally:
            dialog.deleteLater()


def _claims(n: int) -> str:
    return "1 claim" if n == 1 else f"{n} claims"


def default_page_size() -> str:
    """Letter where the locale measures in inches (the United States), A4 everywhere else."""
    if QLocale().measurementSystem() == QLocale.MeasurementSystem.ImperialUSSystem:
        return "Letter"
    return "A4"

