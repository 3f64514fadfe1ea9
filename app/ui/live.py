"""Live refresh: about once a second, ask the service what other processes changed, and hand it on.

The poll itself is cheap (on SQLite one `PRAGMA data_version`, no query when nothing
happened: see Workbench.changes_since). What changed is emitted as a ChangeSet with short
lines for the status bar; the window applies it through the same door as its own edits.
"""

from __future__ import annotations

from PySide6.QtCore import QObject, QTimer, Signal
from PySide6.QtWidgets import QApplication

from app.domain import ChangeToken, is_user_error
from app.services import Workbench

POLL_MS = 1000  # the issue asks for other processes' changes within 2 s


class LiveRefresh(QObject):
    """Polls `bench.changes_since` on a QTimer and emits `changed(ChangeSet, messages)`."""

    changed = Signal(object, object)  # ChangeSet, tuple[str, ...]

    def __init__(self, bench: Workbench, interval_ms: int = POLL_MS, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._bench = bench
        self._token: ChangeToken | None = None
        self._timer = QTimer(self)
        self._timer.setInterval(interval_ms)
        self._timer.timeout.connect(self.poll)
        self._polling = False

    def start(self) -> None:
        """From now on: what is already in the database is what the window loaded."""
        self._token = self._bench.change_token()
        self._timer.start()

    def stop(self) -> None:
        self._timer.stop()

    def poll(self) -> None:
        # Never while a dialog is open (the user is deciding something, maybe about this very
        # claim) nor while the last batch is still being applied: a conflict dialog runs its own
        # event loop, in which this timer keeps firing.
        if self._token is None or self._polling or QApplication.activeModalWidget() is not None:
            return
        self._polling = True
        try:
            try:
                result = self._bench.changes_since(self._token)
            except Exception as exc:
                if is_user_error(exc):
                    return  # the file is locked or gone for now: keep the token, try again next tick
                raise
            self._token = result.token
            if result.changes:
                self.changed.emit(result.changes, result.messages)
        finally:
            self._polling = False
