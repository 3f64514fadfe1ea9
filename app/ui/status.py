"""The window's status bar: progress of the open article, hidden suggestions, the reviewer, the
database, background work, and quiet lines about what changed."""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtWidgets import QLabel, QProgressBar, QStatusBar, QToolButton

from app.domain import Claim
from app.domain.sensitivity import Sensitivity

MESSAGE_MS = 8000


class WindowStatus:
    """Owns the status bar's widgets; the window tells it what to show."""

    def __init__(self, bar: QStatusBar, db_label: str) -> None:
        self.bar = bar
        self.hidden_label = QLabel()
        self.hidden_label.setObjectName("hiddenLabel")
        self.hidden_label.setToolTip("Claim › Sensitivity › More suggestions shows them again; nothing is deleted.")
        self.hidden_label.hide()
        bar.addPermanentWidget(self.hidden_label)
        # The progress is said in words ("3 of 23 with a verdict · 1 approved"): an unlabelled bar
        # beside it looked like an empty text box.
        self.progress_label = QLabel()
        self.progress_label.setObjectName("progressLabel")
        bar.addPermanentWidget(self.progress_label)
        db = QLabel(f"Database: {db_label}")
        db.setObjectName("dbLabel")
        bar.addWidget(db)
        self.reviewer_button = QToolButton()
        self.reviewer_button.setAutoRaise(True)
        self.reviewer_button.setToolTip("Who the history records for your changes. Click to change.")
        bar.addPermanentWidget(self.reviewer_button)
        self.busy = QProgressBar()  # an import or export running: a moving bar, labelled
        self.busy.setRange(0, 0)
        self.busy.setFormat("Working…")
        self.busy.setTextVisible(True)
        self.busy.setAccessibleName("Working in the background")
        self.busy.setMaximumWidth(120)
        self.busy.hide()
        bar.addPermanentWidget(self.busy)

    def say(self, message: str, ms: int = MESSAGE_MS) -> None:
        self.bar.showMessage(message, ms)

    def show_progress(self, claims: Sequence[Claim] | None) -> tuple[int, int]:
        """"3 of 23 with a verdict · 1 approved"; None when no article is open. Returns (done, total)."""
        if claims is None:
            self.progress_label.setText("No article open")
            return 0, 0
        done, total = sum(c.has_verdict for c in claims), len(claims)
        approved = sum(c.locked for c in claims)
        self.progress_label.setText(f"{done} of {total} with a verdict · {approved} approved")
        return done, total

    def show_hidden(self, hidden: int, sensitivity: Sensitivity) -> None:
        noun = "suggestion" if hidden == 1 else "suggestions"
        self.hidden_label.setText(f"{hidden} {noun} hidden (sensitivity: {sensitivity.value})" if hidden else "")
        self.hidden_label.setVisible(bool(hidden))

    def show_reviewer(self, name: str) -> None:
        self.reviewer_button.setText(f"Reviewer: {name}" if name else "Reviewer: (not set)")
