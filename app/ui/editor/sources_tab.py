"""The Sources tab of the claim panel: the evidence list and its buttons."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QHBoxLayout, QListWidget, QListWidgetItem, QPushButton, QVBoxLayout, QWidget

from app.domain import Source


class SourcesTab(QWidget):
    """Lists a claim's sources; the buttons say what the user wants done with the selected one."""

    addRequested = Signal()  # noqa: N815 (Qt signal naming)
    editRequested = Signal()  # noqa: N815 (Qt signal naming)
    removeRequested = Signal()  # noqa: N815 (Qt signal naming)
    openRequested = Signal()  # noqa: N815 (Qt signal naming)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._locked = False
        self.sources = QListWidget()
        self.sources.setObjectName("sourceList")
        self.sources.setWordWrap(True)
        self.sources.setMinimumHeight(80)
        self.add_source_button = QPushButton("&Add source…")
        self.edit_source_button = QPushButton("Edit…")
        self.remove_source_button = QPushButton("Remove")
        self.open_source_button = QPushButton("Open link")
        buttons = QHBoxLayout()
        for button in (self.add_source_button, self.edit_source_button, self.remove_source_button, self.open_source_button):
            buttons.addWidget(button)
        buttons.addStretch(1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 4, 0, 0)
        layout.addWidget(self.sources, 1)
        layout.addLayout(buttons)

        self.sources.itemSelectionChanged.connect(self._update_buttons)
        self.sources.itemDoubleClicked.connect(lambda _item: self.editRequested.emit())
        self.add_source_button.clicked.connect(self.addRequested)
        self.edit_source_button.clicked.connect(self.editRequested)
        self.remove_source_button.clicked.connect(self.removeRequested)
        self.open_source_button.clicked.connect(self.openRequested)

    def show_sources(self, sources: tuple[Source, ...], locked: bool) -> None:
        self._locked = locked
        self.sources.clear()
        for source in sources:
            first = f"{source.stance.label}: {source.title or source.url}"
            second = " · ".join(
                x for x in (source.kind.label, source.publisher, source.url if source.title else "",
                            "archived" if source.archived_url else "") if x
            )
            item = QListWidgetItem(f"{first}\n{second}")
            item.setData(Qt.ItemDataRole.UserRole, source.id)
            item.setToolTip(source.passage or source.note or source.url)
            self.sources.addItem(item)
        self.add_source_button.setEnabled(not locked)
        self._update_buttons()

    def selected_id(self) -> int | None:
        items = self.sources.selectedItems()
        return int(items[0].data(Qt.ItemDataRole.UserRole)) if items else None

    def select_last(self) -> None:
        self.sources.setCurrentRow(self.sources.count() - 1)

    def _update_buttons(self) -> None:
        has = bool(self.sources.selectedItems())
        for button in (self.edit_source_button, self.remove_source_button):
            button.setEnabled(has and not self._locked)
        self.open_source_button.setEnabled(has)
