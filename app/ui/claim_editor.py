"""The panel where the fact-checker reviews one claim: status, verdict, notes, sources."""

from __future__ import annotations

import getpass
from collections.abc import Callable
from typing import TypeVar

from PySide6.QtCore import Qt, QTimer, QUrl, Signal
from PySide6.QtGui import QColor, QDesktopServices, QIcon, QPixmap
from PySide6.QtWidgets import (
    QComboBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPlainTextEdit,
    QPushButton,
    QStackedWidget,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from app.domain import Claim, Kind, Source, Status
from app.domain.validate import ValidationError, source_url
from app.services import Workbench
from app.storage.errors import NotFound, StorageError
from app.ui import dialogs

SAVE_DELAY_MS = 400
_T = TypeVar("_T")


def _origin(claim: Claim) -> str:
    if claim.origin.value == "manual":
        return "marked by you"
    return "detected in a reader comment" if claim.from_comment else "detected"


def swatch(colour: str) -> QIcon:
    pixmap = QPixmap(14, 14)
    pixmap.fill(QColor(colour))
    return QIcon(pixmap)


class ClaimEditor(QStackedWidget):
    """Every edit is written at once (text after a short pause), then announced with claimChanged."""

    claimChanged = Signal(object)  # noqa: N815 (Qt signal naming) — the updated Claim
    claimDeleted = Signal(int)  # noqa: N815
    claimRejected = Signal(int)  # noqa: N815
    reviewerChanged = Signal(str)  # noqa: N815

    def __init__(self, bench: Workbench, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._bench = bench
        self._claim: Claim | None = None
        self._loading = False

        self.empty = QLabel(
            "No claim selected.\n\nClick a highlighted passage or a row of the table."
            "\nTo add a claim of your own, select text and press Ctrl+M."
        )
        self.empty.setObjectName("emptyState")
        self.empty.setWordWrap(True)
        self.addWidget(self.empty)

        page = QWidget()
        self.addWidget(page)
        self.heading = QLabel()
        self.heading.setObjectName("claimHeading")
        self.quote = QLabel()
        self.quote.setObjectName("claimQuote")
        self.quote.setWordWrap(True)
        self.quote.setTextFormat(Qt.TextFormat.PlainText)

        self.suggestion = QWidget()
        self.suggestion.setObjectName("suggestionBar")
        self.accept_button = QPushButton("Accept  (A)")
        self.reject_button = QPushButton("Reject  (R)")
        bar = QHBoxLayout(self.suggestion)
        bar.setContentsMargins(8, 4, 8, 4)
        hint = QLabel("Suggested by the detector.")
        hint.setObjectName("suggestionHint")
        bar.addWidget(hint, 1)
        bar.addWidget(self.accept_button)
        bar.addWidget(self.reject_button)

        self.status = QComboBox()
        self.status.setObjectName("statusCombo")
        for status in Status:
            self.status.addItem(swatch(status.colour), status.label, status)
        self.kind = QComboBox()
        for kind in Kind:
            self.kind.addItem(kind.label, kind)

        self.summary = QPlainTextEdit()
        self.summary.setPlaceholderText("The verdict in a sentence or two, as a reader would see it")
        self.summary.setFixedHeight(64)
        self.notes = QPlainTextEdit()
        self.notes.setPlaceholderText("Working notes: what you checked, whom you asked, what is left")
        self.notes.setMinimumHeight(64)
        self.saved = QLabel()
        self.saved.setObjectName("savedLabel")

        self.sources = QListWidget()
        self.sources.setObjectName("sourceList")
        self.sources.setWordWrap(True)
        self.sources.setMinimumHeight(80)
        self.history = QListWidget()
        self.history.setObjectName("historyList")
        self.history.setWordWrap(True)
        self.add_source_button = QPushButton("&Add source…")
        self.edit_source_button = QPushButton("Edit…")
        self.remove_source_button = QPushButton("Remove")
        self.open_source_button = QPushButton("Open link")
        self.delete_button = QPushButton("Delete claim…")
        self.delete_button.setObjectName("dangerButton")

        self.legend = QLabel("  ".join(f"<b>{n}</b>&nbsp;{st.label}" for n, st in enumerate(Status, start=1)))
        self.legend.setObjectName("keyLegend")
        self.legend.setWordWrap(True)
        self.legend.setToolTip("Press a number while the table or the article has focus to set the status.")
        form = QFormLayout()
        form.addRow("&Status", self.status)
        form.addRow("", self.legend)
        form.addRow("&Kind", self.kind)
        source_buttons = QHBoxLayout()
        for button in (self.add_source_button, self.edit_source_button, self.remove_source_button, self.open_source_button):
            source_buttons.addWidget(button)
        source_buttons.addStretch(1)
        footer = QHBoxLayout()
        footer.addWidget(self.saved)
        footer.addStretch(1)
        footer.addWidget(self.delete_button)

        layout = QVBoxLayout(page)
        layout.addWidget(self.heading)
        layout.addWidget(self.quote)
        layout.addWidget(self.suggestion)
        layout.addLayout(form)
        summary_label = QLabel("&Verdict summary")
        summary_label.setBuddy(self.summary)
        notes_label = QLabel("&Notes")
        notes_label.setBuddy(self.notes)
        layout.addWidget(summary_label)
        layout.addWidget(self.summary)
        layout.addWidget(notes_label)
        layout.addWidget(self.notes, 1)
        sources_page = QWidget()
        sources_layout = QVBoxLayout(sources_page)
        sources_layout.setContentsMargins(0, 4, 0, 0)
        sources_layout.addWidget(self.sources, 1)
        sources_layout.addLayout(source_buttons)
        self.tabs = QTabWidget()
        self.tabs.addTab(sources_page, "Sources")
        self.tabs.addTab(self.history, "History")
        layout.addWidget(self.tabs, 2)
        layout.addLayout(footer)

        self._save_timer = QTimer(self)
        self._save_timer.setSingleShot(True)
        self._save_timer.setInterval(SAVE_DELAY_MS)
        self._save_timer.timeout.connect(self.flush)

        self.status.currentIndexChanged.connect(self._status_picked)
        self.kind.currentIndexChanged.connect(self._kind_picked)
        self.summary.textChanged.connect(self._text_edited)
        self.notes.textChanged.connect(self._text_edited)
        self.sources.itemSelectionChanged.connect(self._update_buttons)
        self.sources.itemDoubleClicked.connect(lambda _item: self.edit_source())
        self.add_source_button.clicked.connect(self.add_source)
        self.edit_source_button.clicked.connect(self.edit_source)
        self.remove_source_button.clicked.connect(self.remove_source)
        self.open_source_button.clicked.connect(self.open_source)
        self.delete_button.clicked.connect(self.delete_claim)
        self.accept_button.clicked.connect(self.accept_claim)
        self.reject_button.clicked.connect(self.reject_claim)
        self.show_claim(None)

    # -- showing --------------------------------------------------------------------------

    @property
    def claim(self) -> Claim | None:
        return self._claim

    def show_claim(self, claim: Claim | None, number: int | None = None, total: int | None = None) -> None:
        self.flush()
        self._claim = claim
        if claim is None:
            self.setCurrentWidget(self.empty)
            return
        self._loading = True
        try:
            self.setCurrentIndex(1)
            place = f"Claim {number} of {total}" if number and total else "Claim"
            self.heading.setText(" · ".join(x for x in (place, _origin(claim), claim.speaker and f"said by {claim.speaker}") if x))
            self.quote.setText(" ".join(claim.quote.split()))
            self.status.setCurrentIndex(self.status.findData(claim.status))
            self.kind.setCurrentIndex(self.kind.findData(claim.kind))
            self.summary.setPlainText(claim.summary)
            self.notes.setPlainText(claim.notes)
            self.saved.setText("")
            self._show_sources(claim.sources)
            self._show_history()
            self.suggestion.setVisible(not claim.accepted)
        finally:
            self._loading = False

    def refresh(self, claim: Claim) -> None:
        """Show a newer copy of the current claim without disturbing text being typed."""
        if self._claim is None or claim.id != self._claim.id:
            return
        self._claim = claim
        self._loading = True
        try:
            self.status.setCurrentIndex(self.status.findData(claim.status))
            self._show_sources(claim.sources)
        finally:
            self._loading = False

    def _show_sources(self, sources: tuple[Source, ...]) -> None:
        self.sources.clear()
        for source in sources:
            first = source.title or source.url
            second = " · ".join(x for x in (source.publisher, source.url if source.title else "") if x)
            item = QListWidgetItem(f"{first}\n{second}" if second else first)
            item.setData(Qt.ItemDataRole.UserRole, source.id)
            item.setToolTip(source.note or source.url)
            self.sources.addItem(item)
        self.tabs.setTabText(0, f"Sources ({len(sources)})")
        self._update_buttons()

    def _update_buttons(self) -> None:
        has = self._selected_source() is not None
        for button in (self.edit_source_button, self.remove_source_button, self.open_source_button):
            button.setEnabled(has)

    # -- writing --------------------------------------------------------------------------

    def _write(self, action: Callable[[], _T]) -> _T | None:
        if not self._bench.actor:  # asked once, on the first change, for the history
            name = dialogs.ask_reviewer_name(self) or getpass.getuser()
            self._bench.actor = name
            self.reviewerChanged.emit(name)
        try:
            result = action()
        except (ValidationError, StorageError, NotFound) as exc:
            dialogs.show_error(self, str(exc))
            return None
        self._show_history()
        return result

    def _show_history(self) -> None:
        self.history.clear()
        if self._claim is None:
            return
        try:
            entries = self._bench.history(self._claim.id)
        except NotFound:
            return
        for entry in reversed(entries):  # newest first, as a log is read
            self.history.addItem(f"{entry.at:%d %b %Y %H:%M} · {entry.actor}\n{entry.describe()}")

    def _changed(self, claim: Claim | None) -> None:
        if claim is None:
            return
        self._claim = claim
        self.saved.setText("Saved")
        self.suggestion.setVisible(not claim.accepted)
        self.claimChanged.emit(claim)

    def accept_claim(self) -> None:
        claim = self._claim
        if claim is None or claim.accepted:
            return
        result = self._write(lambda: self._bench.accept(claim.id))
        self._changed(result[0] if result else None)

    def reject_claim(self) -> None:
        """One key, no question: a rejected suggestion is remembered, not lost work."""
        claim = self._claim
        if claim is None or claim.accepted:
            return
        self._save_timer.stop()
        if self._write(lambda: self._bench.reject(claim.id)) is not None:
            self._claim = None
            self.claimRejected.emit(claim.id)

    def _status_picked(self) -> None:
        if self._loading or self._claim is None:
            return
        status = Status(self.status.currentData())
        claim_id = self._claim.id
        result = self._write(lambda: self._bench.update_claim(claim_id, status=status))
        self._changed(result[0] if result else None)

    def _kind_picked(self) -> None:
        if self._loading or self._claim is None:
            return
        kind = Kind(self.kind.currentData())
        claim_id = self._claim.id
        result = self._write(lambda: self._bench.update_claim(claim_id, kind=kind))
        self._changed(result[0] if result else None)

    def _text_edited(self) -> None:
        if self._loading or self._claim is None:
            return
        self.saved.setText("Editing…")
        self._save_timer.start()

    def flush(self) -> None:
        """Write text that is still waiting for the typing pause."""
        self._save_timer.stop()
        claim = self._claim
        if claim is None or self._loading:
            return
        summary, notes = self.summary.toPlainText(), self.notes.toPlainText()
        if summary == claim.summary and notes == claim.notes:
            return
        result = self._write(lambda: self._bench.update_claim(claim.id, summary=summary, notes=notes))
        self._changed(result[0] if result else None)

    def _selected_source(self) -> int | None:
        items = self.sources.selectedItems()
        return items[0].data(Qt.ItemDataRole.UserRole) if items else None

    def add_source(self) -> None:
        if self._claim is None:
            return
        value = dialogs.SourceDialog.ask(self)
        if value is None:
            return
        claim_id = self._claim.id
        done = self._write(
            lambda: self._bench.add_source(
                claim_id, value.url, title=value.title, publisher=value.publisher, note=value.note,
                accessed=value.accessed,
            )
        )
        if done:
            self._changed(self._bench.claim(claim_id))
            self._show_sources(self._claim.sources if self._claim else ())
            self.sources.setCurrentRow(self.sources.count() - 1)

    def edit_source(self) -> None:
        source_id = self._selected_source()
        if self._claim is None or source_id is None:
            return
        current = next(s for s in self._claim.sources if s.id == source_id)
        value = dialogs.SourceDialog.ask(self, current)
        if value is None:
            return
        claim_id = self._claim.id
        done = self._write(
            lambda: self._bench.update_source(
                source_id, url=value.url, title=value.title, publisher=value.publisher, note=value.note,
                accessed=value.accessed,
            )
        )
        if done:
            self._changed(self._bench.claim(claim_id))
            self._show_sources(self._claim.sources if self._claim else ())

    def remove_source(self) -> None:
        source_id = self._selected_source()
        if self._claim is None or source_id is None:
            return
        claim_id = self._claim.id
        if self._write(lambda: self._bench.remove_source(source_id)) is not None:
            self._changed(self._bench.claim(claim_id))
            self._show_sources(self._claim.sources if self._claim else ())

    def open_source(self) -> None:
        source_id = self._selected_source()
        if self._claim is None or source_id is None:
            return
        url = next(s.url for s in self._claim.sources if s.id == source_id)
        try:
            source_url(url)  # only http(s) is ever handed to the browser
        except ValidationError as exc:
            dialogs.show_error(self, str(exc))
            return
        QDesktopServices.openUrl(QUrl(url))

    def delete_claim(self) -> None:
        claim = self._claim
        if claim is None:
            return
        short = " ".join(claim.quote.split())
        short = short if len(short) <= 80 else short[:79] + "…"
        if not dialogs.confirm(self, "Delete claim", f"Delete this claim and its verdict and sources?\n\n“{short}”"):
            return
        self._save_timer.stop()
        if self._write(lambda: self._bench.delete_claim(claim.id)) is not None:
            self._claim = None
            self.claimDeleted.emit(claim.id)
