"""When someone else changed a field you were editing: both values side by side, and you choose.

Keep theirs, use mine, or (for text) edit a merge that starts from yours. Nothing is written
here: the caller gets a Resolution and sends the chosen value through the usual undoable
path. Tests replace ConflictDialog.ask; no test exec()s the real dialog.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

from PySide6.QtGui import QFontMetrics
from PySide6.QtWidgets import (
    QDialog,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

TEXT_FIELDS = frozenset({"summary", "notes", "conclusion"})
FIELD_NAMES = {"summary": "verdict summary", "notes": "notes", "conclusion": "conclusion", "verdict": "verdict",
               "kind": "kind", "state": "state"}


class Choice(StrEnum):
    THEIRS = "theirs"
    MINE = "mine"
    MERGE = "merge"


@dataclass(frozen=True)
class Resolution:
    """What the user chose, and the value that results (theirs, yours, or the merged text)."""

    choice: Choice
    value: str


def field_name(field: str) -> str:
    return FIELD_NAMES.get(field, field.replace("_", " "))


def _who(by: str, at: datetime | None) -> str:
    when = f"{at:%d %b %Y %H:%M}" if at else ""
    return " · ".join(x for x in (by, when) if x)


def _view(text: str, lines: int) -> QPlainTextEdit:
    view = QPlainTextEdit(text)
    view.setReadOnly(True)
    view.setMinimumWidth(260)
    view.setFixedHeight(QFontMetrics(view.font()).lineSpacing() * lines + 16)
    return view


class ConflictDialog(QDialog):
    """One field, theirs against yours. Esc keeps theirs: what is stored stays, nothing is overwritten."""

    def __init__(
        self,
        parent: QWidget | None,
        field: str,
        theirs: str,
        yours: str,
        *,
        by: str = "",
        at: datetime | None = None,
        text: bool | None = None,
    ) -> None:
        super().__init__(parent)
        self.field = field
        self._theirs, self._yours = theirs, yours
        self.resolution = Resolution(Choice.THEIRS, theirs)
        is_text = field in TEXT_FIELDS if text is None else text
        name = field_name(field)
        self.setWindowTitle(f"The {name} changed while you were editing it")
        who = _who(by, at)
        when = f" on {at:%d %b %Y at %H:%M}" if at else ""
        self.intro = intro = QLabel(
            f"{by or 'Someone else'} changed the {name} of this claim{when} while you were editing it."
            " Nothing of yours has been written yet. Which should stay?"
        )
        intro.setObjectName("conflictIntro")
        intro.setWordWrap(True)

        lines = 5 if is_text else 1
        self.theirs_view = _view(theirs, lines)
        self.theirs_view.setObjectName("conflictTheirs")
        self.yours_view = _view(yours, lines)
        self.yours_view.setObjectName("conflictYours")
        side = QGridLayout()
        theirs_label = QLabel(f"Theirs ({who})" if who else "Theirs (as stored now)")
        theirs_label.setObjectName("sectionLabel")
        yours_label = QLabel("Yours (not saved)")
        yours_label.setObjectName("sectionLabel")
        side.addWidget(theirs_label, 0, 0)
        side.addWidget(yours_label, 0, 1)
        side.addWidget(self.theirs_view, 1, 0)
        side.addWidget(self.yours_view, 1, 1)

        self.merge_edit = QPlainTextEdit(yours)
        self.merge_edit.setObjectName("conflictMerge")
        self.merge_edit.setFixedHeight(QFontMetrics(self.merge_edit.font()).lineSpacing() * 5 + 16)
        merge_label = QLabel("Or edit a merge (starts from yours):")
        merge_label.setObjectName("sectionLabel")
        merge_label.setBuddy(self.merge_edit)

        self.theirs_button = QPushButton("Keep &theirs")
        self.mine_button = QPushButton("Use &mine")
        self.merge_button = QPushButton("Use the m&erge")
        for button in (self.theirs_button, self.mine_button, self.merge_button):
            button.setAutoDefault(False)  # Enter in the merge box is a new line, never a choice
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        buttons.addWidget(self.theirs_button)
        buttons.addWidget(self.mine_button)
        buttons.addWidget(self.merge_button)

        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addLayout(side)
        layout.addWidget(merge_label)
        layout.addWidget(self.merge_edit)
        layout.addLayout(buttons)
        for widget in (merge_label, self.merge_edit, self.merge_button):
            widget.setVisible(is_text)

        self.theirs_button.clicked.connect(lambda: self._choose(Choice.THEIRS, self._theirs))
        self.mine_button.clicked.connect(lambda: self._choose(Choice.MINE, self._yours))
        self.merge_button.clicked.connect(lambda: self._choose(Choice.MERGE, self.merge_edit.toPlainText()))
        self.merge_edit.textChanged.connect(self._merge_edited)
        self._merge_edited()

    def _merge_edited(self) -> None:
        # A merge identical to one side is that side: say so rather than record a "merge".
        self.merge_button.setEnabled(self.merge_edit.toPlainText() not in (self._theirs, self._yours))

    def _choose(self, choice: Choice, value: str) -> None:
        self.resolution = Resolution(choice, value)
        self.accept()

    def reject(self) -> None:
        """Esc or the close box: keep what is stored."""
        self.resolution = Resolution(Choice.THEIRS, self._theirs)
        super().reject()

    @classmethod
    def ask(
        cls,
        parent: QWidget | None,
        field: str,
        theirs: str,
        yours: str,
        *,
        by: str = "",
        at: datetime | None = None,
        text: bool | None = None,
    ) -> Resolution:
        dialog = cls(parent, field, theirs, yours, by=by, at=at, text=text)
        dialog.exec()
        return dialog.resolution
