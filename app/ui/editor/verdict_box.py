"""The verdict half of the claim panel: verdict (or written conclusion), scale legend, kind, summary and notes."""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtGui import QColor, QIcon, QPixmap
from PySide6.QtWidgets import QComboBox, QHBoxLayout, QLabel, QLineEdit, QPlainTextEdit, QVBoxLayout, QWidget

from app.domain import Claim, Kind, RatingScale

TEXT_NAMES = {"summary": "verdict summary", "notes": "notes", "conclusion": "conclusion"}


def swatch(colour: str) -> QIcon:
    pixmap = QPixmap(14, 14)
    pixmap.fill(QColor(colour))
    return QIcon(pixmap)


class VerdictBox(QWidget):
    """Shows a claim's verdict fields and says what the user picked or typed; it never writes.

    Filling the fields from a claim emits nothing: only the user's own choices and typing do.
    """

    verdictPicked = Signal(int)  # noqa: N815 (Qt signal naming) -- a rating id, 0 for "no verdict"
    kindPicked = Signal(object)  # noqa: N815 (Qt signal naming) -- a Kind
    textEdited = Signal()  # noqa: N815 (Qt signal naming)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._filling = False
        self._scale = RatingScale("", "")
        self.verdict = QComboBox()
        self.verdict.setObjectName("verdictCombo")
        self.conclusion = QLineEdit()
        self.conclusion.setObjectName("conclusionEdit")
        self.conclusion.setPlaceholderText("The conclusion in a few words, as published")
        self.off_scale = QLabel()
        self.off_scale.setObjectName("offScaleWarning")
        self.off_scale.setWordWrap(True)
        self.kind = QComboBox()
        for kind in Kind:
            self.kind.addItem(kind.label, kind)
        self.legend = QLabel()
        self.legend.setObjectName("keyLegend")
        self.legend.setWordWrap(True)
        self.legend.setToolTip("Press a number while the table or the article has focus to set the verdict.")
        self.summary = QPlainTextEdit()
        self.summary.setPlaceholderText("The verdict in a sentence or two, as a reader would see it")
        self.summary.setFixedHeight(58)
        self.notes = QPlainTextEdit()
        self.notes.setPlaceholderText("Working notes: what you checked, whom you asked, what is left")
        self.notes.setMinimumHeight(50)
        self.notes.setMaximumHeight(90)

        form = QHBoxLayout()
        verdict_label = QLabel("&Verdict")
        verdict_label.setBuddy(self.verdict)
        kind_label = QLabel("&Kind")
        kind_label.setBuddy(self.kind)
        form.addWidget(verdict_label)
        form.addWidget(self.verdict, 3)
        form.addWidget(self.conclusion, 3)
        form.addSpacing(12)
        form.addWidget(kind_label)
        form.addWidget(self.kind, 2)
        summary_label = QLabel("Verdict &summary")
        summary_label.setBuddy(self.summary)
        notes_label = QLabel("&Notes")
        notes_label.setBuddy(self.notes)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(form)
        layout.addWidget(self.off_scale)
        layout.addWidget(self.legend)
        layout.addWidget(summary_label)
        layout.addWidget(self.summary)
        layout.addWidget(notes_label)
        layout.addWidget(self.notes)

        self.verdict.currentIndexChanged.connect(self._verdict_changed)
        self.kind.currentIndexChanged.connect(self._kind_changed)
        self.conclusion.textEdited.connect(self._text_changed)
        self.summary.textChanged.connect(self._text_changed)
        self.notes.textChanged.connect(self._text_changed)

    # -- showing --------------------------------------------------------------------------

    def set_scale(self, scale: RatingScale) -> None:
        """The workspace's scale: what the list offers and what the number keys mean."""
        self._scale = scale
        free = scale.free_text
        self.verdict.setVisible(not free)
        self.conclusion.setVisible(free)
        if free:
            self.legend.setText(f"{scale.name}: write the conclusion as it will be published.")
        else:
            self.legend.setText("  ".join(f"<b>{n}</b>&nbsp;{r.name}" for n, r in enumerate(scale.labels, start=1)))

    def show_fields(self, claim: Claim) -> None:
        """The chosen fields and the lock; the typed text is left alone (see show_text)."""
        self._filling = True
        try:
            self._fill_verdicts(claim)
            self.kind.setCurrentIndex(self.kind.findData(claim.kind))
        finally:
            self._filling = False
        self.set_locked(claim.locked)

    def show_text(self, claim: Claim, fields: tuple[str, ...] = ("conclusion", "summary", "notes")) -> None:
        """Put the stored text in the boxes: the user's unsaved typing there is replaced."""
        self._filling = True
        try:
            if "conclusion" in fields:
                self.conclusion.setText(claim.conclusion)
            if "summary" in fields:
                self.summary.setPlainText(claim.summary)
            if "notes" in fields:
                self.notes.setPlainText(claim.notes)
        finally:
            self._filling = False

    def set_text(self, field: str, value: str) -> None:
        """One text box, as the user would have typed it (a merge, say): announced like typing."""
        if field == "conclusion":
            self.conclusion.setText(value)
            self.textEdited.emit()  # setText does not emit textEdited
        else:
            getattr(self, field).setPlainText(value)

    def typed(self) -> dict[str, str]:
        """What the text boxes hold now; the conclusion only when the scale asks for one."""
        text = {"summary": self.summary.toPlainText(), "notes": self.notes.toPlainText()}
        if self._scale.free_text:
            text["conclusion"] = self.conclusion.text().strip()
        return text

    def set_locked(self, locked: bool) -> None:
        for widget in (self.verdict, self.conclusion, self.kind):
            widget.setEnabled(not locked)
        for text in (self.summary, self.notes):
            if text.isReadOnly() != locked:
                text.setReadOnly(locked)
                text.style().unpolish(text)  # the style sheet greys read-only text; re-read it
                text.style().polish(text)

    def _fill_verdicts(self, claim: Claim) -> None:
        self.verdict.clear()
        self.verdict.addItem("No verdict yet", 0)
        for rating in self._scale.labels:
            self.verdict.addItem(swatch(rating.colour), rating.name, rating.id)
        off = not claim.on_scale(self._scale)
        if off and claim.verdict is not None:
            self.verdict.addItem(swatch(claim.verdict.colour), f"⚠ {claim.verdict.name} (another scale)", claim.verdict.id)
        self.verdict.setCurrentIndex(self.verdict.findData(claim.verdict.id if claim.verdict else 0))
        self.off_scale.setVisible(off)
        if off:
            self.off_scale.setText(
                f"⚠ “{claim.verdict_name}” is not on this workspace's scale ({self._scale.name})."
                " It is kept; choose a verdict from the scale before approval."
            )

    # -- what the user did ----------------------------------------------------------------

    def _verdict_changed(self) -> None:
        if not self._filling:
            self.verdictPicked.emit(int(self.verdict.currentData() or 0))

    def _kind_changed(self) -> None:
        if not self._filling:
            self.kindPicked.emit(Kind(self.kind.currentData()))

    def _text_changed(self) -> None:
        if not self._filling:
            self.textEdited.emit()
