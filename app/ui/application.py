"""QApplication set-up: style, icon, settings location; and the fatal-error box before a window exists."""

from __future__ import annotations

import sys

from PySide6.QtCore import QSettings
from PySide6.QtGui import QIcon
from PySide6.QtWidgets import QApplication, QMessageBox

from app import paths
from app.services import Workbench


def make_application() -> QApplication:
    existing = QApplication.instance()
    if isinstance(existing, QApplication):
        return existing
    application = QApplication(sys.argv[:1])
    application.setApplicationName("Claimdesk")
    application.setOrganizationName("Claimdesk")
    application.setStyle("Fusion")
    icon = paths.resources_dir() / "icons" / "claimdesk.svg"
    if icon.is_file():
        application.setWindowIcon(QIcon(str(icon)))
    return application


def stylesheet() -> str:
    qss = paths.resources_dir() / "style.qss"
    return qss.read_text(encoding="utf-8") if qss.is_file() else ""


def settings() -> QSettings:
    """Window state lives beside the database folder, so CLAIMDESK_HOME isolates it too."""
    return QSettings(str(paths.home_dir() / "window.ini"), QSettings.Format.IniFormat)


def run(bench: Workbench, db_label: str) -> int:
    from app.ui.main_window import MainWindow

    application = make_application()
    application.setStyleSheet(stylesheet())
    window = MainWindow(bench, db_label, settings())
    window.show()
    return application.exec()


def show_fatal(message: str) -> None:
    make_application()
    QMessageBox.critical(None, "Claimdesk cannot start", message)
