"""A source's page as it was when cited (its snapshot) beside the page as a check found it."""

from __future__ import annotations

from PySide6.QtWidgets import QDialog, QDialogButtonBox, QGridLayout, QLabel, QPlainTextEdit, QWidget

from app.domain import Source


class SnapshotDialog(QDialog):
    """Side by side, read-only; not modal, so the claim stays at hand while reading."""

    def __init__(self, source: Source, before: str, after: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        health = source.health
        self.setWindowTitle(f"Changed since the snapshot — {source.title or source.url}")
        self.resize(1000, 600)
        when = f" ({health.snapshot_at:%Y-%m-%d %H:%M})" if health and health.snapshot_at else ""
        checked = f" ({health.checked_at:%Y-%m-%d %H:%M})" if health and health.checked_at else ""
        self.before = QPlainTextEdit(before or "(no text was read from the snapshot)")
        self.after = QPlainTextEdit(after or "(no text was read from the page)")
        for box in (self.before, self.after):
            box.setReadOnly(True)
        share = f"{health.similarity:.0%} of the words are as they were. " if health and health.similarity is not None else ""
        note = QLabel(f"{share}{source.url}")
        note.setWordWrap(True)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.close)
        grid = QGridLayout(self)
        grid.addWidget(note, 0, 0, 1, 2)
        grid.addWidget(QLabel(f"<b>When cited</b>{when}"), 1, 0)
        grid.addWidget(QLabel(f"<b>At the last check</b>{checked}"), 1, 1)
        grid.addWidget(self.before, 2, 0)
        grid.addWidget(self.after, 2, 1)
        grid.addWidget(buttons, 3, 0, 1, 2)
