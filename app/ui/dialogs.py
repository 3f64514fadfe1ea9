"""Small dialogs. Each is reached through a module function that tests replace; none is exec()'d in tests."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import Path

from PySide6.QtCore import QDate, Qt
from PySide6.QtWidgets import (
    QDateEdit,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QInputDialog,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPlainTextEdit,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from app.domain import Source
from app.domain.validate import ValidationError, source_url

IMPORT_FILTER = "Articles (*.txt *.md *.markdown *.html *.htm);;All files (*)"
EXPORT_FILTERS = {
    "html": "HTML report (*.html)",
    "md": "Markdown (*.md)",
    "json": "JSON (*.json)",
    "csv": "CSV, one row per claim (*.csv)",
}


def show_error(parent: QWidget | None, message: str) -> None:
    QMessageBox.warning(parent, "Claimdesk", message)


def confirm(parent: QWidget | None, title: str, question: str) -> bool:
    answer = QMessageBox.question(
        parent, title, question, QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.Cancel,
        QMessageBox.StandardButton.Cancel,
    )
    return answer == QMessageBox.StandardButton.Yes


def show_shortcuts(parent: QWidget | None, rows: list[tuple[str, str]]) -> None:
    """Help › Keyboard shortcuts: every key and what it does."""
    dialog = QDialog(parent)
    dialog.setWindowTitle("Keyboard shortcuts")
    table = QTableWidget(len(rows), 2)
    table.setHorizontalHeaderLabels(["Key", "Action"])
    for row, (key, text) in enumerate(rows):
        table.setItem(row, 0, QTableWidgetItem(key))
        table.setItem(row, 1, QTableWidgetItem(text))
    table.verticalHeader().hide()
    table.horizontalHeader().setStretchLastSection(True)
    table.resizeColumnsToContents()
    table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
    note = QLabel("One-letter and number keys work while the claims table or the article has focus.")
    note.setWordWrap(True)
    buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
    buttons.rejected.connect(dialog.reject)
    layout = QVBoxLayout(dialog)
    layout.addWidget(table)
    layout.addWidget(note)
    layout.addWidget(buttons)
    dialog.resize(520, 560)
    dialog.exec()


def ask_reviewer_name(parent: QWidget | None, current: str = "") -> str | None:
    """The name the history records for this person's changes."""
    name, ok = QInputDialog.getText(
        parent, "Your name", "Your name, as the history and sign-offs should show it:", text=current
    )
    return name.strip() if ok and name.strip() else None


def ask_import_path(parent: QWidget | None) -> Path | None:
    name, _ = QFileDialog.getOpenFileName(parent, "Import article", str(Path.home()), IMPORT_FILTER)
    return Path(name) if name else None


def ask_export_path(parent: QWidget | None, suggested: str) -> tuple[Path, str] | None:
    """Where to save a report, and in which format (from the chosen filter or the suffix)."""
    filters = ";;".join(EXPORT_FILTERS.values())
    name, chosen = QFileDialog.getSaveFileName(parent, "Export report", str(Path.home() / suggested), filters)
    if not name:
        return None
    path = Path(name)
    fmt = next((f for f, label in EXPORT_FILTERS.items() if label == chosen), None)
    if path.suffix.lstrip(".").lower() in EXPORT_FILTERS:
        fmt = path.suffix.lstrip(".").lower()
    fmt = fmt or "html"
    if not path.suffix:
        path = path.with_suffix(f".{fmt}")
    return path, fmt


@dataclass(frozen=True)
class SourceInput:
    url: str
    title: str = ""
    publisher: str = ""
    note: str = ""
    accessed: date | None = None


class SourceDialog(QDialog):
    """Add or edit one source; refuses to close on a link that is not http(s)."""

    def __init__(self, parent: QWidget | None = None, source: Source | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Edit source" if source else "Add source")
        self.setMinimumWidth(460)
        self.url = QLineEdit(source.url if source else "")
        self.url.setPlaceholderText("https://…")
        self.title_edit = QLineEdit(source.title if source else "")
        self.publisher = QLineEdit(source.publisher if source else "")
        self.note = QPlainTextEdit(source.note if source else "")
        self.note.setPlaceholderText("What this source shows, e.g. the passage that proves or refutes the claim")
        self.note.setFixedHeight(72)
        self.accessed = QDateEdit()
        self.accessed.setCalendarPopup(True)
        self.accessed.setDisplayFormat("yyyy-MM-dd")
        when = source.accessed if source and source.accessed else date.today()
        self.accessed.setDate(QDate(when.year, when.month, when.day))
        self.error = QLabel()
        self.error.setObjectName("errorLabel")
        self.error.setWordWrap(True)
        self.error.hide()

        form = QFormLayout()
        form.addRow("&Link", self.url)
        form.addRow("&Title", self.title_edit)
        form.addRow("&Publisher", self.publisher)
        form.addRow("&Note", self.note)
        form.addRow("&Accessed", self.accessed)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.error)
        layout.addWidget(self.buttons)

    def value(self) -> SourceInput:
        d = self.accessed.date()
        return SourceInput(
            url=self.url.text().strip(),
            title=self.title_edit.text().strip(),
            publisher=self.publisher.text().strip(),
            note=self.note.toPlainText().strip(),
            accessed=date(d.year(), d.month(), d.day()),
        )

    def accept(self) -> None:
        try:
            source_url(self.url.text())
        except ValidationError as exc:
            self.error.setText(str(exc))
            self.error.show()
            self.url.setFocus(Qt.FocusReason.OtherFocusReason)
            return
        super().accept()

    @classmethod
    def ask(cls, parent: QWidget | None, source: Source | None = None) -> SourceInput | None:
        dialog = cls(parent, source)
        return dialog.value() if dialog.exec() == QDialog.DialogCode.Accepted else None
