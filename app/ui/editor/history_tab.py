"""The History tab of the claim panel: every change to the claim and its sources, newest first."""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtWidgets import QWidget

from app.domain import HistoryEntry
from app.ui.wrapped_list import WrappedList


class HistoryTab(WrappedList):
    """The append-only log, read as a log is read: newest first."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("historyList")
        self.setWordWrap(True)

    def show_entries(self, entries: Sequence[HistoryEntry]) -> None:
        self.clear()
        for entry in reversed(entries):
            self.addItem(f"{entry.at:%d %b %Y %H:%M} · {entry.actor}\n{entry.describe()}")
