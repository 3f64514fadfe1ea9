"""The report as it will read, inside the export dialog: a browser that goes nowhere."""

from __future__ import annotations

from PySide6.QtCore import QUrl
from PySide6.QtWidgets import QTextBrowser, QWidget


class ReportPreview(QTextBrowser):
    """The report as it will read, inside the dialog. It follows its own #claim-N links and
    nothing else: no web link opens, and no file or network resource is ever loaded."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setOpenLinks(False)
        self.setOpenExternalLinks(False)
        self.anchorClicked.connect(self.follow)

    def follow(self, url: QUrl) -> None:
        if not url.scheme() and not url.path() and url.fragment():
            self.scrollToAnchor(url.fragment())

    def loadResource(self, kind: int, name: QUrl) -> object:  # noqa: N802 (Qt override)
        return None
