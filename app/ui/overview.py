"""The desk overview window: claims checked per week, a scorecard per speaker and per outlet, and
the oldest claims waiting for review. Charts are drawn with QPainter (no chart library), with the
numbers on hover; colours other than the verdicts' come from the palette, light or dark."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from PySide6.QtCore import QEvent, QPoint, QRectF, QSize, Qt
from PySide6.QtGui import QColor, QHelpEvent, QPainter, QPaintEvent, QPalette
from PySide6.QtWidgets import (
    QDialog,
    QGridLayout,
    QLabel,
    QScrollArea,
    QTableWidget,
    QTableWidgetItem,
    QToolTip,
    QVBoxLayout,
    QWidget,
)

from app.domain import clip
from app.domain.overview import Overview, Scorecard, WeekCount
from app.export.report import safe_colour


@dataclass(frozen=True, slots=True)
class _Hit:
    rect: QRectF
    tip: str


class _Chart(QWidget):
    """A chart that knows which rectangle says what, for the tooltip under the mouse."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setMouseTracking(True)
        self.hits: list[_Hit] = []

    def tip_at(self, point: QPoint) -> str:
        return next((hit.tip for hit in self.hits if hit.rect.contains(point.toPointF())), "")

    def event(self, event: QEvent) -> bool:
        if event.type() == QEvent.Type.ToolTip and isinstance(event, QHelpEvent):
            tip = self.tip_at(event.pos())
            if tip:
                QToolTip.showText(event.globalPos(), tip, self)
            else:
                QToolTip.hideText()
                event.ignore()
            return True
        return super().event(event)


class WeeksChart(_Chart):
    """Claims checked per week: a column per week, its count above it."""

    def __init__(self, weeks: tuple[WeekCount, ...], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.weeks = weeks
        self.setMinimumHeight(170)

    def sizeHint(self) -> QSize:  # noqa: N802 (Qt's name)
        return QSize(560, 180)

    def paintEvent(self, _event: QPaintEvent) -> None:  # noqa: N802 (Qt's name)
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        text = self.palette().color(QPalette.ColorRole.WindowText)
        muted = self.palette().color(QPalette.ColorRole.PlaceholderText)
        bar = self.palette().color(QPalette.ColorRole.Highlight)
        metrics = painter.fontMetrics()
        line = metrics.height()
        area = QRectF(self.rect()).adjusted(4, line + 4, -4, -(line + 6))
        top = max((w.count for w in self.weeks), default=0) or 1
        slot = area.width() / max(len(self.weeks), 1)
        self.hits = []
        painter.setPen(muted)
        painter.drawLine(area.bottomLeft(), area.bottomRight())
        for i, week in enumerate(self.weeks):
            height = area.height() * week.count / top
            rect = QRectF(area.left() + i * slot + slot * 0.15, area.bottom() - height, slot * 0.7, height)
            painter.fillRect(rect, bar)
            hover = QRectF(area.left() + i * slot, area.top(), slot, area.height())
            self.hits.append(_Hit(hover, f"Week of {week.label}: {week.count} checked"))
            if week.count:
                painter.setPen(text)
                painter.drawText(QRectF(rect.left() - 8, rect.top() - line - 2, rect.width() + 16, line),
                                 Qt.AlignmentFlag.AlignCenter, str(week.count))
            painter.setPen(muted)
            painter.drawText(QRectF(area.left() + i * slot, area.bottom() + 3, slot, line),
                             Qt.AlignmentFlag.AlignCenter, week.label)
        painter.end()


class ScorecardChart(_Chart):
    """One stacked bar per speaker (or outlet): its checked claims by verdict, truest first."""

    ROW = 30

    def __init__(self, cards: tuple[Scorecard, ...], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.cards = cards
        self.setMinimumHeight(max(len(cards), 1) * self.ROW + 8)

    def sizeHint(self) -> QSize:  # noqa: N802 (Qt's name)
        return QSize(560, max(len(self.cards), 1) * self.ROW + 8)

    def paintEvent(self, _event: QPaintEvent) -> None:  # noqa: N802 (Qt's name)
        painter = QPainter(self)
        text = self.palette().color(QPalette.ColorRole.WindowText)
        muted = self.palette().color(QPalette.ColorRole.PlaceholderText)
        metrics = painter.fontMetrics()
        name_width = min(max((metrics.horizontalAdvance(c.name) for c in self.cards), default=0) + 12,
                         self.width() // 3)
        count_width = metrics.horizontalAdvance("9999") + 8
        self.hits = []
        if not self.cards:
            painter.setPen(muted)
            painter.drawText(self.rect().adjusted(4, 0, 0, 0), Qt.AlignmentFlag.AlignLeft, "No checked claim names one yet.")
        widest = max((c.total for c in self.cards), default=1)
        for row, card in enumerate(self.cards):
            y = 4 + row * self.ROW
            painter.setPen(text)
            name = metrics.elidedText(card.name, Qt.TextElideMode.ElideRight, name_width - 8)
            painter.drawText(QRectF(0, y, name_width - 8, self.ROW - 8), Qt.AlignmentFlag.AlignVCenter, name)
            span = (self.width() - name_width - count_width) * card.total / widest
            x = float(name_width)
            for share in card.verdicts:
                width = span * share.count / card.total
                rect = QRectF(x, y, width, self.ROW - 8)
                painter.fillRect(rect, QColor(safe_colour(share.colour)))
                label = f"{share.name} {share.count}"
                if metrics.horizontalAdvance(label) + 10 < width:  # verdict colours are light: dark ink
                    painter.setPen(QColor("#1b1b1b"))
                    painter.drawText(rect.adjusted(5, 0, 0, 0), Qt.AlignmentFlag.AlignVCenter, label)
                percent = round(100 * share.count / card.total)
                self.hits.append(_Hit(rect, f"{card.name}: {share.name} {share.count} of {card.total} ({percent}%)"))
                x += width
            painter.setPen(muted)
            painter.drawText(QRectF(x + 6, y, count_width, self.ROW - 8), Qt.AlignmentFlag.AlignVCenter, str(card.total))
        painter.end()


class OverviewWindow(QDialog):
    """Go › Desk overview: the whole desk, not one article. `open_claim(claim_id)` follows a
    double-click on a waiting claim."""

    def __init__(self, parent: QWidget | None, overview: Overview, open_claim: Callable[[int], None]) -> None:
        super().__init__(parent)
        self.setWindowTitle("Desk overview")
        self.resize(820, 680)
        self._open_claim = open_claim
        self.weeks = WeeksChart(overview.weeks)
        self.speakers = ScorecardChart(overview.by_speaker)
        self.outlets = ScorecardChart(overview.by_outlet)
        self.waiting = QTableWidget(len(overview.oldest), 4)
        self.waiting.setHorizontalHeaderLabels(["Claim", "State", "Waiting since", "Article"])
        self.waiting.verticalHeader().hide()
        self.waiting.setWordWrap(False)
        self.waiting.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        self.waiting.setSelectionBehavior(QTableWidget.SelectionBehavior.SelectRows)
        for row, w in enumerate(overview.oldest):
            cells = (f"{w.ref}  {clip(w.quote, 70)}", w.state.label,
                     f"{w.since:%Y-%m-%d}" if w.since else "", clip(w.article_title, 50))
            for column, value in enumerate(cells):
                item = QTableWidgetItem(value)
                item.setData(Qt.ItemDataRole.UserRole, w.claim_id)
                item.setToolTip(w.quote if column == 0 else value)
                self.waiting.setItem(row, column, item)
        self.waiting.horizontalHeader().setStretchLastSection(True)
        self.waiting.resizeColumnsToContents()
        self.waiting.cellDoubleClicked.connect(self._picked)

        states = " · ".join(f"{state.label} {n}" for state, n in overview.by_state)
        self.summary = QLabel(
            f"{overview.checked} claims checked in the last {len(overview.weeks)} weeks · "
            f"{overview.in_review} waiting for review · {states}"
        )
        self.summary.setWordWrap(True)
        body = QWidget()
        grid = QGridLayout(body)
        for row, (title, widget) in enumerate((
            ("Claims checked per week", self.weeks),
            ("Scorecards by speaker", self.speakers),
            ("Verdicts by outlet", self.outlets),
            ("Oldest claims waiting for review (double-click to open)", self.waiting),
        )):
            label = QLabel(title)
            label.setObjectName("sectionLabel")
            grid.addWidget(label, 2 * row, 0)
            grid.addWidget(widget, 2 * row + 1, 0)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setWidget(body)
        layout = QVBoxLayout(self)
        layout.addWidget(self.summary)
        layout.addWidget(scroll)

    def _picked(self, row: int, _column: int) -> None:
        item = self.waiting.item(row, 0)
        if item is not None:
            self._open_claim(int(item.data(Qt.ItemDataRole.UserRole)))
