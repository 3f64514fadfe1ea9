"""A list whose entries wrap, laid out again as soon as it is resized."""

from __future__ import annotations

from PySide6.QtGui import QResizeEvent
from PySide6.QtWidgets import QListWidget


class WrappedList(QListWidget):
    """Qt lays a list of wrapping entries out again 100 ms after each resize (to let a window being
    dragged settle first). The claim panel resizes its lists whenever the next claim's heading
    takes more or fewer lines, so every such step through the claims kept a timer going for a
    tenth of a second and drew the list twice. A few entries are laid out at once instead."""

    def resizeEvent(self, event: QResizeEvent) -> None:  # noqa: N802 (Qt's name)
        super().resizeEvent(event)
        if self.wordWrap() and event.size() != event.oldSize():
            self.doItemsLayout()  # what the delayed layout would do; it stops that timer
