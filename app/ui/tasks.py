"""Run slow work (import, detection, PDF) off the UI thread and post the result back to it."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, QRunnable, QThreadPool, Signal


class _Signals(QObject):
    done = Signal(object)
    failed = Signal(object)


class _Job(QRunnable):
    def __init__(self, work: Callable[[], Any], signals: _Signals) -> None:
        super().__init__()
        self._work = work
        self._signals = signals

    def run(self) -> None:
        try:
            result = self._work()
        except Exception as exc:  # handed to the UI thread, which decides what the user sees
            self._signals.failed.emit(exc)
        else:
            self._signals.done.emit(result)


class TaskRunner(QObject):
    """Work functions take and return plain values and never touch widgets."""

    busyChanged = Signal(bool)  # noqa: N815 (Qt signal naming)

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._pool = QThreadPool(self)
        self._pool.setMaxThreadCount(1)  # one writer at a time keeps SQLite simple
        self._running = 0
        self._keep: set[_Signals] = set()

    @property
    def busy(self) -> bool:
        return self._running > 0

    def run(self, work: Callable[[], Any], done: Callable[[Any], None], failed: Callable[[Exception], None]) -> None:
        signals = _Signals()
        self._keep.add(signals)  # the signals object must outlive the job

        def finish(handler: Callable[[Any], None], value: Any) -> None:
            self._keep.discard(signals)
            self._running -= 1
            if not self._running:
                self.busyChanged.emit(False)
            handler(value)

        signals.done.connect(lambda value: finish(done, value))
        signals.failed.connect(lambda exc: finish(failed, exc))
        self._running += 1
        if self._running == 1:
            self.busyChanged.emit(True)
        self._pool.start(_Job(work, signals))

    def wait(self, msecs: int = -1) -> bool:
        return self._pool.waitForDone(msecs)


class SyncRunner(TaskRunner):
    """Runs work at once on the calling thread: deterministic, for tests."""

    def run(self, work: Callable[[], Any], done: Callable[[Any], None], failed: Callable[[Exception], None]) -> None:
        try:
            result = work()
        except Exception as exc:
            failed(exc)
        else:
            done(result)
