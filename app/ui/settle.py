"""When is a window "settled"? For honest start-up figures: CLAIMDESK_EXIT_WHEN_SETTLED=1 makes the
window quit once it has painted its first frame, run every pending short timer and queued event (the
table's deferred layout, column fitting, the highlights written into the blocks shown), finished its
background tasks and painted the frame that shows all that. It then prints one line on stdout,
`settled MONOTONIC_SECONDS PEAK_RSS_KIB LOOKING_SECONDS`, which benchmarks/ read. Nothing else uses it.

CLAIMDESK_EXIT_WHEN_SETTLED=ready waits, after that frame, until the window is also ready to edit
(the Workbench, which loads after the first frame on a desk at head: app.first_screen), and
prints the same line then."""

from __future__ import annotations

import os
import resource
import sys
import time
from collections.abc import Callable

from PySide6.QtCore import QAbstractEventDispatcher, QEvent, QEventLoop, QObject, QThreadPool, QTimer
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QApplication, QWidget

ENV = "CLAIMDESK_EXIT_WHEN_SETTLED"
# A timer this short is work still to do; longer ones are the window's steady state (the live
# poll every second, the status bar's message timeout), which never "finish".
BUSY_MS = 1000


def requested() -> bool:
    return os.environ.get(ENV, "") not in ("", "0")


# Seconds spent in busy() itself: the looking costs time (a walk over every object of the
# window), which in-process benchmarks subtract, as it is not the window's own work.
overhead = 0.0


def busy(root: QObject) -> bool:
    """Whether any object under `root` has a short timer running, or a background task runs."""
    global overhead
    began = time.perf_counter()
    try:
        return _busy(root)
    finally:
        overhead += time.perf_counter() - began


def _busy(root: QObject) -> bool:
    dispatcher = QAbstractEventDispatcher.instance()
    # A focused text field's cursor blinks for ever on a real display: steady state too.
    blink = QGuiApplication.styleHints().cursorFlashTime() // 2
    if dispatcher is not None:
        for obj in (root, *root.findChildren(QObject)):
            if any(t.interval < BUSY_MS and t.interval != blink for t in dispatcher.registeredTimers(obj)):
                return True
    return QThreadPool.globalInstance().activeThreadCount() > 0


class Settle(QObject):
    """Calls `done` once `window` has painted its first frame (unless `painted`), gone idle (see
    `busy`), and painted what became dirty meanwhile (the pending update request, sent at once:
    the next frame, exactly as the user would see it)."""

    def __init__(self, window: QWidget, done: Callable[[], None], painted: bool = False) -> None:
        super().__init__(window)
        self._window, self._done = window, done
        self._idle = 0  # checks in a row that found nothing to do: two, so that work queued by work queued is seen
        if painted:
            QTimer.singleShot(0, self._check)
        else:
            window.installEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 (Qt's name)
        if watched is self._window and event.type() == QEvent.Type.Paint:
            self._window.removeEventFilter(self)
            QTimer.singleShot(0, self._check)  # queued after whatever the first frame queued
        return False

    def _check(self) -> None:
        handle = self._window.windowHandle()
        if busy(self._window) or (handle is not None and busy(handle)):
            self._idle = 0
            QTimer.singleShot(1, self._check)
            return
        self._idle += 1
        if self._idle < 2:
            QTimer.singleShot(0, self._check)
            return
        # The frame: widgets post their repaints as a low-priority UpdateRequest; send it now.
        QApplication.sendPostedEvents(None, QEvent.Type.UpdateRequest)
        self._done()


def wait_settled(window: QWidget) -> float:
    """Run the event loop until `window` is settled (for benchmarks measuring in one process).
    Returns the seconds spent looking (see `overhead`), for the caller to subtract."""
    before = overhead
    loop = QEventLoop()
    Settle(window, loop.quit, painted=True)
    loop.exec()
    return overhead - before


def peak_rss_kib() -> int:
    """This process's peak resident memory. VmHWM, not getrusage's ru_maxrss: Linux carries that
    over from the parent through fork and exec, so a big parent would inflate a small child."""
    try:
        with open("/proc/self/status", encoding="ascii") as status:
            for line in status:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1])
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss


def ready_requested() -> bool:
    return os.environ.get(ENV, "") == "ready"


def exit_when_settled(window: QWidget, ready: Callable[[], None] | None = None) -> None:
    """Print `settled MONOTONIC PEAK_RSS_KIB LOOKING_SECONDS` and quit the event loop once `window`
    is settled. LOOKING_SECONDS is the time busy() spent looking (see `overhead`): the measuring's
    own, which the benchmarks take off the spawned process's time as they do in one process.
    `ready`: waits until the window is ready to edit, called first when `ready_requested()`."""

    def done() -> None:
        if ready is not None and ready_requested():
            ready()
        peak = peak_rss_kib()
        print(f"settled {time.monotonic():.6f} {peak} {overhead:.6f}", flush=True)
        app = QApplication.instance()
        if app is not None:
            app.exit(0)
        else:  # pragma: no cover (a window without an application cannot exist)
            sys.exit(0)

    Settle(window, done)
