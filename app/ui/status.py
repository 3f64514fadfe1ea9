"""The window's status bar: progress of the open article, hidden suggestions, the reviewer, the
database, background work, quiet lines about what changed, and the team server's connection."""

from __future__ import annotations

from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QLabel, QProgressBar, QSizePolicy, QStatusBar, QToolButton

from app.domain.sensitivity import Sensitivity
from app.ui.tally import Tally

MESSAGE_MS = 8000
LOST = "Connection to the team database lost — reconnecting…"
BACK = "Reconnected"


class WindowStatus:
    """Owns the status bar's widgets; the window tells it what to show."""

    def __init__(self, bar: QStatusBar, db_label: str) -> None:
        self.bar = bar
        # Its own label, not a passing message: it stays while the connection is down, whatever
        # else is said meanwhile (other people's changes, a refused edit).
        self.connection_label = QLabel()
        self.connection_label.setObjectName("connectionLabel")
        self.connection_label.hide()
        bar.addPermanentWidget(self.connection_label)  # first: the leftmost of the permanent ones
        self._back_timer = QTimer(bar)
        self._back_timer.setSingleShot(True)
        self._back_timer.setInterval(MESSAGE_MS)
        self._back_timer.timeout.connect(self.connection_label.hide)
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
        # The first to give way on a small screen (a team URL is long): cut, and whole on hover.
        db.setToolTip(db_label)
        db.setMinimumWidth(120)
        db.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
        bar.addWidget(db, 1)
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

    def show_progress(self, tally: Tally | None) -> tuple[int, int]:
        """"3 of 23 with a verdict · 1 approved"; None when no article is open. Returns (done, total)."""
        if tally is None:
            self.progress_label.setText("No article open")
            return 0, 0
        done, total, approved = tally.done, tally.total, tally.approved
        self.progress_label.setText(f"{done} of {total} with a verdict · {approved} approved")
        return done, total

    def show_hidden(self, hidden: int, sensitivity: Sensitivity) -> None:
        noun = "suggestion" if hidden == 1 else "suggestions"
        self.hidden_label.setText(f"{hidden} {noun} hidden (sensitivity: {sensitivity.value})" if hidden else "")
        self.hidden_label.setVisible(bool(hidden))

    def show_reviewer(self, name: str, team: bool = False) -> None:
        """`team`: the name is the database login, which signs every change on the server; it is
        shown, not offered for change."""
        if team:
            self.reviewer_button.setText(f"Signed in as {name}")
        else:
            self.reviewer_button.setText(f"Reviewer: {name}" if name else "Reviewer: (not set)")
        self.reviewer_button.setToolTip(
            f"Signed in to the team database as {name}: the server signs your changes with this login."
            if team else "Who the history records for your changes. Click to change."
        )
        # Nothing to change in team mode: not a stop for the Tab key either.
        self.reviewer_button.setFocusPolicy(Qt.FocusPolicy.NoFocus if team else Qt.FocusPolicy.TabFocus)

    def connection_lost(self, reason: str, kept: int = 0) -> None:
        """One line while the team server cannot be reached, with how many edits wait to be sent
        (in the line itself: a passing message beside it would be cut off on a small screen);
        `reason`, the error's own line, on hover."""
        self._back_timer.stop()
        self.connection_label.setText(LOST + (f" · {kept} edit{'s' if kept != 1 else ''} kept" if kept else ""))
        self.connection_label.setToolTip(
            reason + ("\n\nWhat you typed meanwhile is kept, and saved once the connection is back." if kept else ""))
        self.connection_label.setProperty("state", "lost")
        self._show_whole(self.connection_label)

    def reconnected(self) -> None:
        """The line turns to "Reconnected", and goes after a while."""
        self.connection_label.setText(BACK)
        self.connection_label.setToolTip("")
        self.connection_label.setProperty("state", "back")
        self._show_whole(self.connection_label)
        self._back_timer.start()

    @staticmethod
    def _show_whole(label: QLabel) -> None:
        # A dynamic property selects the style sheet's colour (and weight) only once the style is
        # applied again; then the label is kept whole, and the database's name gives way instead.
        label.style().unpolish(label)
        label.style().polish(label)
        label.setMinimumWidth(0)  # else the hint is the longer text's, for which it was set
        label.setMinimumWidth(label.sizeHint().width())
        label.show()
