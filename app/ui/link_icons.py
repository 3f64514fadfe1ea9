"""Small painted icons for a source's link state (no image files to ship): a coloured disc with a
sign on it, told apart by shape as well as colour."""

from __future__ import annotations

from functools import cache

from PySide6.QtCore import QRectF, Qt
from PySide6.QtGui import QColor, QFont, QIcon, QPainter, QPixmap

from app.domain import LinkState

# state -> (disc colour, sign); None: not checked yet
_LOOKS: dict[LinkState | None, tuple[str, str]] = {
    LinkState.OK: ("#2e7d32", "✓"),
    LinkState.REDIRECTED: ("#1565c0", "→"),
    LinkState.GONE: ("#c62828", "✕"),
    LinkState.UNREACHABLE: ("#ef6c00", "!"),
    LinkState.CHANGED: ("#6a1b9a", "≠"),
    None: ("#9e9e9e", "?"),
}


@cache
def link_icon(state: LinkState | None, size: int = 16) -> QIcon:
    colour, sign = _LOOKS[state]
    pixmap = QPixmap(size * 2, size * 2)  # drawn at twice the size: sharp on a high-DPI screen
    pixmap.setDevicePixelRatio(2.0)
    pixmap.fill(Qt.GlobalColor.transparent)
    painter = QPainter(pixmap)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    painter.setPen(Qt.PenStyle.NoPen)
    painter.setBrush(QColor(colour))
    painter.drawEllipse(QRectF(0.5, 0.5, size - 1, size - 1))
    font = QFont()
    font.setBold(True)
    font.setPixelSize(int(size * 0.7))
    painter.setFont(font)
    painter.setPen(QColor("white"))
    painter.drawText(QRectF(0, 0, size, size), Qt.AlignmentFlag.AlignCenter, sign)
    painter.end()
    return QIcon(pixmap)
