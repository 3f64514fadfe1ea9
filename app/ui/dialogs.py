"""Small dialogs. Each is reached through a module function that tests replace; none is exec()'d in tests."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import Path

from PySide6.QtCore import QDate, Qt
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDateEdit,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
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

from app.domain import Article, Source, SourceKind, Stance
from app.domain.validate import ValidationError, source_url

IMPORT_FILTER = "Articles (*.txt *.md *.markdown *.html *.htm *.docx);;All files (*)"


def show_error(parent: QWidget | None, message: str) -> None:
    QMessageBox.warning(parent, "Claimdesk", message)


def about_text(version: str) -> str:
    """Help › About: the version, the licence, and the credits of the data and models Claimdesk
    ships (CC BY 4.0 asks for the credit)."""
    return (
        f"<h3>Claimdesk {version}</h3>"
        "<p>A desktop workbench for fact-checkers: it finds the checkable statements in an article,"
        " highlights them, and takes each one through a verdict, its sources and a second person's"
        " sign-off to a report.</p>"
        "<p><b>Licence.</b> MIT. Qt for Python (PySide6) under the LGPL v3.</p>"
        "<p><b>Credits.</b> Check-worthiness model trained on the English training split of the"
        " CLEF-2024 CheckThat! Lab Task 1 (Hasanain et al., 2024), whose sentences and labels come from"
        " the ClaimBuster dataset (Arslan, Hassan, Li and Tremayne, ICWSM 2020), CC BY 4.0."
        " Language detection: Lingua (Peter M. Stahl, Apache 2.0). Article extraction: trafilatura"
        " (Adrien Barbaresi, Apache 2.0). Treaty articles and UN resolutions (resources/evidence):"
        " official texts of NATO, the CSTO, the United Nations and EUR-Lex, each with its licence.</p>"
    )


def show_about(parent: QWidget | None, text: str) -> None:
    QMessageBox.about(parent, "About Claimdesk", text)


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


def ask_reopen_reason(parent: QWidget | None, approved_by: str) -> str | None:
    """Why an approved claim is being changed: the history keeps the answer."""
    reason, ok = QInputDialog.getText(
        parent, "Reopen approved claim",
        f"{approved_by or 'A reviewer'} approved this claim. Why does it need to change?"
        "\nIt goes back to review; the reason is kept in its history.",
    )
    return reason.strip() if ok and reason.strip() else None


def ask_url(parent: QWidget | None) -> str | None:
    url, ok = QInputDialog.getText(parent, "Open link", "The article's address (http or https):")
    return url.strip() if ok and url.strip() else None


def ask_import_path(parent: QWidget | None) -> Path | None:
    name, _ = QFileDialog.getOpenFileName(parent, "Import article", str(Path.home()), IMPORT_FILTER)
    return Path(name) if name else None


def date_field(value: date) -> QDateEdit:
    field = QDateEdit()
    field.setCalendarPopup(True)
    field.setDisplayFormat("yyyy-MM-dd")
    field.setDate(QDate(value.year, value.month, value.day))
    return field


def _buttons(dialog: QDialog) -> QDialogButtonBox:
    buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
    buttons.accepted.connect(dialog.accept)
    buttons.rejected.connect(dialog.reject)
    return buttons


@dataclass(frozen=True)
class SourceInput:
    url: str
    title: str = ""
    publisher: str = ""
    note: str = ""
    accessed: date | None = None
    kind: SourceKind = SourceKind.OTHER
    stance: Stance = Stance.CONTEXT
    passage: str = ""
    archived_url: str = ""


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
        self.kind = QComboBox()
        for kind in SourceKind:
            self.kind.addItem(kind.label, kind)
        self.kind.setCurrentIndex(self.kind.findData(source.kind if source else SourceKind.OTHER))
        self.stance = QComboBox()
        for stance in Stance:
            self.stance.addItem(stance.label, stance)
        self.stance.setCurrentIndex(self.stance.findData(source.stance if source else Stance.CONTEXT))
        self.passage = QPlainTextEdit(source.passage if source else "")
        self.passage.setPlaceholderText("The passage that proves, refutes or frames the claim, quoted exactly")
        self.passage.setFixedHeight(72)
        self.archived = QLineEdit(source.archived_url if source else "")
        self.archived.setPlaceholderText("https://web.archive.org/… — links rot; keep a copy")
        self.note = QPlainTextEdit(source.note if source else "")
        self.note.setPlaceholderText("Anything else about this source")
        self.note.setFixedHeight(48)
        self.accessed = date_field(source.accessed if source and source.accessed else date.today())
        self.error = QLabel()
        self.error.setObjectName("errorLabel")
        self.error.setWordWrap(True)
        self.error.hide()

        form = QFormLayout()
        form.addRow("&Link", self.url)
        form.addRow("&Title", self.title_edit)
        form.addRow("&Publisher", self.publisher)
        form.addRow("&Kind", self.kind)
        form.addRow("&Stance", self.stance)
        form.addRow("Quoted &passage", self.passage)
        form.addRow("A&rchived copy", self.archived)
        form.addRow("&Note", self.note)
        form.addRow("A&ccessed", self.accessed)
        self.buttons = _buttons(self)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.error)
        layout.addWidget(self.buttons)

    def value(self) -> SourceInput:
        return SourceInput(
            url=self.url.text().strip(),
            title=self.title_edit.text().strip(),
            publisher=self.publisher.text().strip(),
            note=self.note.toPlainText().strip(),
            accessed=self.accessed.date().toPython(),
            kind=SourceKind(self.kind.currentData()),
            stance=Stance(self.stance.currentData()),
            passage=self.passage.toPlainText().strip(),
            archived_url=self.archived.text().strip(),
        )

    def accept(self) -> None:
        for field, archive in ((self.url, False), (self.archived, True)):
            if archive and not field.text().strip():
                continue
            try:
                source_url(field.text(), archive=archive)
            except ValidationError as exc:
                self.error.setText(str(exc))
                self.error.show()
                field.setFocus(Qt.FocusReason.OtherFocusReason)
                return
        super().accept()

    @classmethod
    def ask(cls, parent: QWidget | None, source: Source | None = None) -> SourceInput | None:
        dialog = cls(parent, source)
        return dialog.value() if dialog.exec() == QDialog.DialogCode.Accepted else None


@dataclass(frozen=True)
class ArticleDetails:
    title: str
    source_url: str
    outlet: str
    author: str
    published: date | None


class ArticleDialog(QDialog):
    """Title, outlet, author, link and date: what reports and ClaimReview say about the article."""

    def __init__(self, parent: QWidget | None, article: Article, *, imported: bool = False) -> None:
        super().__init__(parent)
        self.setWindowTitle("Imported: check the details" if imported else "Article details")
        self.setMinimumWidth(480)
        self.title_edit = QLineEdit(article.title)
        self.outlet = QLineEdit(article.outlet)
        self.author = QLineEdit(article.author)
        self.url = QLineEdit(article.source_url)
        self.url.setPlaceholderText("https://… where the article was published")
        self.has_date = QCheckBox("Known")
        self.published = date_field(article.published or date.today())
        self.has_date.setChecked(article.published is not None)
        self.published.setEnabled(article.published is not None)
        self.has_date.toggled.connect(self.published.setEnabled)
        self.error = QLabel()
        self.error.setObjectName("errorLabel")
        self.error.hide()
        date_row = QHBoxLayout()
        date_row.addWidget(self.published, 1)
        date_row.addWidget(self.has_date)
        form = QFormLayout()
        form.addRow("&Title", self.title_edit)
        form.addRow("&Outlet", self.outlet)
        form.addRow("&Author", self.author)
        form.addRow("&Link", self.url)
        form.addRow("&Published", date_row)
        self.buttons = _buttons(self)
        layout = QVBoxLayout(self)
        if imported:
            # Right after an import the title is a guess from the first sentence: offer to fix it.
            intro = QLabel("The title below was taken from the text. Reports and ClaimReview use these"
                           " details: correct them now, or later with File › Article details (Ctrl+I).")
            intro.setWordWrap(True)
            layout.addWidget(intro)
            self.title_edit.selectAll()
            self.title_edit.setFocus()
        layout.addLayout(form)
        layout.addWidget(self.error)
        layout.addWidget(self.buttons)

    def value(self) -> ArticleDetails:
        return ArticleDetails(
            title=self.title_edit.text().strip(),
            source_url=self.url.text().strip(),
            outlet=self.outlet.text().strip(),
            author=self.author.text().strip(),
            published=self.published.date().toPython() if self.has_date.isChecked() else None,
        )

    def accept(self) -> None:
        value = self.value()
        problem = "An article needs a title." if not value.title else None
        if value.source_url and problem is None:
            try:
                source_url(value.source_url)
            except ValidationError as exc:
                problem = str(exc)
        if problem:
            self.error.setText(problem)
            self.error.show()
            return
        super().accept()

    @classmethod
    def ask(cls, parent: QWidget | None, article: Article, *, imported: bool = False) -> ArticleDetails | None:
        """The details the user gave, or None if cancelled. imported=True: offered right after
        an import, to correct the title made from the text."""
        dialog = cls(parent, article, imported=imported)
        return dialog.value() if dialog.exec() == QDialog.DialogCode.Accepted else None
