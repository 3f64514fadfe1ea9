"""QApplication set-up: style, icon, settings location; and the fatal-error box before a window exists."""

from __future__ import annotations

import sys
from types import TracebackType

from PySide6.QtCore import QSettings, QTimer
from PySide6.QtGui import QGuiApplication, QIcon, QPalette
from PySide6.QtWidgets import QApplication, QMessageBox

from app import paths
from app.logs import bug_line, log_bug, setup_logging
from app.services import Workbench
from app.startup import collect_less, resume_collection
from app.ui import settle


def make_application() -> QApplication:
    existing = QApplication.instance()
    if isinstance(existing, QApplication):
        return existing
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


def install_crash_handler() -> None:
    """A bug of ours shows one line and where the details are, never a traceback in the user's face."""

    def handler(kind: type[BaseException], error: BaseException, tb: TracebackType | None) -> None:
        log = log_bug(kind, error, tb) or "(the log could not be written)"
        line = bug_line(error)
        print(f"claimdesk: internal error: {line} (details in {log})", file=sys.stderr)
        QMessageBox.critical(
            None, "Claimdesk", f"Something went wrong inside Claimdesk: {line}\n\nDetails were written to {log}."
        )

    sys.excepthook = handler


def run(bench: Workbench, db_label: str) -> int:
    from app.ui.main_window import MainWindow

    setup_logging()
    install_crash_handler()
    application = make_application()
    window = MainWindow(bench, db_label, settings())
    # The style sheet once the window is built: set before, every widget added to a layout or a
    # splitter was polished again with its new parents' rules; set after, each is polished once:
    # a fifth to a third of the time from the constructor to the settled frame, in alternated
    # runs on the sample.
    # The painted window is the same, pixel for pixel (compared on the sample and on a 1 MB
    # article); nothing in the constructor measures a styled size.
    application.setStyleSheet(stylesheet())
    if settle.requested():  # benchmarks: quit once the first frame is painted and settled
        settle.exit_when_settled(window)
    window.show()
    QTimer.singleShot(0, resume_collection)  # see app.startup: the start's objects are made
    return application.exec()


def show_fatal(message: str) -> None:
    make_application()
    QMessageBox.critical(None, "Claimdesk cannot start", message)
