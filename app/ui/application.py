"""QApplication set-up: style, icon, settings location; and the fatal-error box before a window exists."""

from __future__ import annotations

import os
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager, suppress
from types import TracebackType
from typing import TYPE_CHECKING, cast

from PySide6.QtCore import QEvent, QObject, QSettings, Qt, QTimer, Signal
from PySide6.QtGui import QGuiApplication, QIcon, QPalette
from PySide6.QtWidgets import QApplication, QMessageBox

from app import paths
from app.domain.errors import USER_ERRORS, is_user_error
from app.first_screen import FirstScreen
from app.startup import collect_less, resume_collection
from app.ui import settle

if TYPE_CHECKING:
    from app.services import Workbench
    from app.ui.main_window import MainWindow


# Qt's raster engine hands every fill of 96 or more scan lines (a scroll bar, a rounded frame, a
# gradient) to a pool of threads and waits for them. On a 2-core machine the hand-off cost more
# than the fill: a Fusion scroll bar took 2 ms to paint instead of 0.1, each time its handle
# changed length (every article opened). Qt reads this once, when it first paints.
NO_PAINT_THREADS = ("QT_NO_GUI_THREADPOOL", "1")


def make_application() -> QApplication:
    existing = QApplication.instance()
    if isinstance(existing, QApplication):
        return existing
    os.environ.setdefault(*NO_PAINT_THREADS)
    application = QApplication(sys.argv[:1])
    collect_less()  # as in app.main; set here too for a window made without it (tests, benchmarks)
    application.setApplicationName("Claimdesk")
    application.setOrganizationName("Claimdesk")
    application.setStyle("Fusion")
    icon = paths.resources_dir() / "icons" / "claimdesk.svg"
    if icon.is_file():
        application.setWindowIcon(QIcon(str(icon)))
    return application


# Status inks drawn on the palette's own backgrounds (saved, an error, a lost connection, a
# dangerous button) are dark on light; on a dark palette they take a light shade of the same hue,
# to keep AA contrast (4.5:1) there too.
ON_DARK = {"#b3261e": "#ff8a80", "#1b5e20": "#81c784"}


def stylesheet() -> str:
    qss = paths.resources_dir() / "style.qss"
    sheet = qss.read_text(encoding="utf-8") if qss.is_file() else ""
    app = QGuiApplication.instance()
    if isinstance(app, QGuiApplication) and app.palette().color(QPalette.ColorRole.Window).lightness() < 128:
        for light, dark in ON_DARK.items():
            sheet = sheet.replace(light, dark)
    return sheet


def settings() -> QSettings:
    """Window state lives beside the database folder, so CLAIMDESK_HOME isolates it too."""
    return QSettings(str(paths.home_dir() / "window.ini"), QSettings.Format.IniFormat)


def install_crash_handler(refused: Callable[[Exception], None] | None = None) -> None:
    """Where an error that no action caught ends up, decided here once. A problem of the database
    or the input (app.domain.errors: locked, full, read-only, out of reach, a bad file) is one
    line: the window's own (`refused`: the status bar for a team server out of reach, a dialog
    for the rest) or, before there is a window, a dialog; nothing is logged, as it is no bug.
    Anything else is a bug of ours: it shows one line and where the details are, never a
    traceback in the user's face."""

    def handler(kind: type[BaseException], error: BaseException, tb: TracebackType | None) -> None:
        if isinstance(error, Exception) and is_user_error(error):
            if refused is not None:
                refused(error)
            else:
                QMessageBox.warning(None, "Claimdesk", str(error))
            return
        from app.logs import bug_line, log_bug

        log = log_bug(kind, error, tb) or "(the log could not be written)"
        line = bug_line(error)
        print(f"claimdesk: internal error: {line} (details in {log})", file=sys.stderr)
        QMessageBox.critical(
            None, "Claimdesk", f"Something went wrong inside Claimdesk: {line}\n\nDetails were written to {log}."
        )

    sys.excepthook = handler


def lighter_pyside_imports() -> None:
    """Works around the cost of PySide6's import hook (PYSIDE-2029, shibokensupport/feature.py):
    once PySide6 is loaded, every module imported after it is read whole by inspect.getsource,
    to look for the word "PySide6" in its source, and the text stays in linecache (7.5 MB of it
    for SQLAlchemy alone). Importing SQLAlchemy after PySide6, seven alternated runs: a median
    445 ms and 93 MiB resident with the hook as it is, 377 ms and 78 MiB with this. Here the same
    question is answered from the file's bytes, read and dropped: the same answer (a module whose
    source names PySide6), nothing kept. The Workbench loads after the window (app.first_screen),
    so it is what this saves most on.

    What the hook read before this was called is let go of too: every `import` statement run
    after PySide6 loaded asks it about the module imported, loaded already or not, so by the
    time the window's start calls this, the sources of some 34 modules (typing, argparse,
    datetime, logging, enum...: 0.86 million characters as lists of lines, 2 MiB at the first
    frame with the 1 MB article open; 65 modules and 3.5 MiB when PySide6 is imported earlier,
    as a test or benchmark that imports app.ui.settle first does) sat in linecache for good.
    linecache is a cache: a traceback reads a file again when it needs it."""
    feature = sys.modules.get("shibokensupport.feature")
    original = getattr(feature, "_mod_uses_pyside", None)
    if original is None or getattr(original, "claimdesk", False):
        return
    _forget_sources_read(getattr(feature, "pyside_feature_dict", {}))

    def uses_pyside(module: object) -> bool:
        file = getattr(module, "__file__", None)
        if not isinstance(file, str) or not file.endswith(".py"):
            return bool(original(module))
        try:
            with open(file, "rb") as source:
                return b"PySide6" in source.read()
        except OSError:
            return bool(original(module))

    uses_pyside.claimdesk = True  # type: ignore[attr-defined]
    feature._mod_uses_pyside = uses_pyside  # type: ignore[union-attr]


def _forget_sources_read(asked: object) -> None:
    """Drop from linecache the sources PySide6's hook read (see lighter_pyside_imports): those of
    the modules it has been asked about (`asked`: its module name -> feature flag). Only entries
    read from a file (linecache's four-field form), which linecache reads again on demand."""
    import linecache

    if not isinstance(asked, dict):
        return
    for name in list(asked):
        file = getattr(sys.modules.get(name), "__file__", None)
        if isinstance(file, str) and len(linecache.cache.get(file, ())) == 4:
            del linecache.cache[file]


def run(bench: Workbench | FirstScreen, db_label: str) -> int:
    """The window on `bench`; on a FirstScreen (app.first_screen) the real Workbench loads once
    the first frame has settled, on a thread of its own."""
    lighter_pyside_imports()
    from app.logs import enable_fault_log
    from app.ui.main_window import MainWindow

    # The rotating log file is set up by the first bug logged (app.logs.log_bug): what the
    # window needs from the start is faulthandler's file, for a crash inside Qt.
    enable_fault_log()
    install_crash_handler()
    application = make_application()
    first = bench if isinstance(bench, FirstScreen) else None
    window = MainWindow(cast("Workbench", bench), db_label, settings())
    install_crash_handler(window.refused)
    # The style sheet once the window is built: set before, every widget added to a layout or a
    # splitter was polished again with its new parents' rules; set after, each is polished once:
    # a fifth to a third of the time from the constructor to the settled frame, in alternated
    # runs on the sample.
    # The painted window is the same, pixel for pixel (compared on the sample and on a 1 MB
    # article); nothing in the constructor measures a styled size.
    application.setStyleSheet(stylesheet())
    if first is not None:
        _load_after_first_frame(window, first)
    if settle.requested():  # benchmarks: quit once the first frame is painted and settled
        settle.exit_when_settled(window, ready=first.wait if first is not None else None)
    elif first is not None:
        settle.Settle(window, first.load_in_background)
    window.show()
    QTimer.singleShot(0, resume_collection)  # see app.startup: the start's objects are made
    code = application.exec()
    # A job still running (an import, a search, the earlier checks' index) ends before the
    # interpreter tears down what it reports to: torn down under it, it raised "Signal source has
    # been deleted" and, one quit in three, the process never exited. Its transaction is whole.
    window.runner.wait()
    return code


class _Loaded(QObject):
    """Carries "the Workbench is loaded (or failed to)" from the loading thread to the UI thread."""

    done = Signal()


def _load_after_first_frame(window: MainWindow, first: FirstScreen) -> None:
    """The UI thread's side of loading the Workbench: the busy cursor while it waits for it, and
    an error while loading through the one error path (a StorageError: its line, in a dialog;
    anything else: the crash handler)."""
    loaded = _Loaded(window)
    user = _UserActs(first, window)

    def check() -> None:
        QApplication.instance().removeEventFilter(user)  # type: ignore[union-attr]
        try:
            first.workbench()
        except USER_ERRORS as exc:
            window.show_error(str(exc))
            return
        window.source_work.look_again()  # jobs left from an earlier session run now

    def notify() -> None:  # on the loading thread
        with suppress(RuntimeError):  # the window closed while it loaded: nobody to tell
            loaded.done.emit()

    loaded.done.connect(check, Qt.ConnectionType.QueuedConnection)
    first.loaded = notify
    first.waiting = busy_cursor
    first.starting = lambda: QApplication.instance().installEventFilter(user)  # type: ignore[union-attr]


class _UserActs(QObject):
    """While the Workbench loads: tells the load of each key or click, so that it keeps still
    while the window answers (FirstScreen.user_acted)."""

    _INPUT = frozenset({QEvent.Type.KeyPress, QEvent.Type.ShortcutOverride, QEvent.Type.MouseButtonPress,
                        QEvent.Type.MouseButtonDblClick, QEvent.Type.Wheel})

    def __init__(self, first: FirstScreen, parent: QObject) -> None:
        super().__init__(parent)
        self._acted = first.user_acted

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 (Qt's name)
        if event.type() in self._INPUT:
            self._acted()
        return False


@contextmanager
def busy_cursor() -> Iterator[None]:
    QApplication.setOverrideCursor(Qt.CursorShape.WaitCursor)
    try:
        yield
    finally:
        QApplication.restoreOverrideCursor()


def show_fatal(message: str) -> None:
    make_application()
    QMessageBox.critical(None, "Claimdesk cannot start", message)
