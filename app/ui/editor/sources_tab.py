"""The Sources tab of the claim panel: the evidence list, and adding, editing, removing and opening
a source (each change an undoable command)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import asdict

from PySide6.QtCore import Qt, QUrl
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import QHBoxLayout, QListWidgetItem, QPushButton, QVBoxLayout, QWidget

from app.domain import Claim, LinkState, Source
from app.domain.errors import USER_ERRORS
from app.domain.validate import ValidationError, source_url
from app.ui import dialogs, undo
from app.ui.link_icons import link_icon
from app.ui.snapshot_dialog import SnapshotDialog
from app.ui.wrapped_list import WrappedList


class SourcesTab(QWidget):
    """Lists the claim's sources; its buttons act on the selected one through the undo stack."""

    def __init__(self, target: undo.UndoTarget, claim: Callable[[], Claim | None], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._target = target
        self._claim = claim  # the claim the panel shows now
        self._locked = False
        self.sources = WrappedList()
        self.sources.setObjectName("sourceList")
        self.sources.setWordWrap(True)  # long titles and links
        self.sources.setMinimumHeight(80)
        self.add_source_button = QPushButton("&Add source…")
        self.edit_source_button = QPushButton("Edit…")
        self.remove_source_button = QPushButton("Remove")
        self.open_source_button = QPushButton("Open link")
        self.compare_button = QPushButton("Compare with snapshot…")
        self.compare_button.setToolTip("The page as it was when cited, beside the page as the last check found it.")
        self.snapshot_view: SnapshotDialog | None = None
        buttons = QHBoxLayout()
        for button in (self.add_source_button, self.edit_source_button, self.remove_source_button,
                       self.open_source_button, self.compare_button):
            buttons.addWidget(button)
        buttons.addStretch(1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 4, 0, 0)
        layout.addWidget(self.sources, 1)
        layout.addLayout(buttons)

        self.sources.itemSelectionChanged.connect(self._update_buttons)
        self.sources.itemDoubleClicked.connect(lambda _item: self.edit_source())
        self.add_source_button.clicked.connect(self.add_source)
        self.edit_source_button.clicked.connect(self.edit_source)
        self.remove_source_button.clicked.connect(self.remove_source)
        self.open_source_button.clicked.connect(self.open_source)
        self.compare_button.clicked.connect(self.compare_snapshot)

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
            health = source.health
            item.setIcon(link_icon(health.state if health else None))
            link = health.summary() if health else "Link not checked yet"
            item.setToolTip("\n\n".join(x for x in (link, source.passage or source.note or source.url) if x))
            self.sources.addItem(item)
        self.add_source_button.setEnabled(not locked)
        self._update_buttons()

    def selected(self) -> Source | None:
        items, claim = self.sources.selectedItems(), self._claim()
        if claim is None or not items:
            return None
        source_id = items[0].data(Qt.ItemDataRole.UserRole)
        return next((s for s in claim.sources if s.id == source_id), None)

    def _update_buttons(self) -> None:
        has = bool(self.sources.selectedItems())
        for button in (self.edit_source_button, self.remove_source_button):
            button.setEnabled(has and not self._locked)
        self.open_source_button.setEnabled(has)
        current = self.selected()
        self.compare_button.setEnabled(
            current is not None and current.health is not None and current.health.state is LinkState.CHANGED)

    # -- what the buttons do --------------------------------------------------------------

    def add_source(self) -> None:
        claim = self._claim()
        if claim is None:
            return
        value = dialogs.SourceDialog.ask(self)
        if value is None:
            return
        try:
            source_url(value.url)  # checked before the command, so a refused link never enters the stack
        except ValidationError as exc:
            dialogs.show_error(self, str(exc))
            return
        self._target.push(undo.AddSource(self._target, claim.id, asdict(value)))
        self.sources.setCurrentRow(self.sources.count() - 1)

    def edit_source(self) -> None:
        current = self.selected()
        if current is None:
            return
        value = dialogs.SourceDialog.ask(self, current)
        if value is None:
            return
        after = {k: v for k, v in asdict(value).items() if getattr(current, k) != v}
        if after:
            self._target.push(undo.EditSource(self._target, current, after))

    def remove_source(self) -> None:
        current = self.selected()
        if current is not None:
            self._target.push(undo.RemoveSource(self._target, current))

    def compare_snapshot(self) -> None:
        current = self.selected()
        if current is None:
            return
        try:
            before, after = self._target.bench.links.live_text(current.id)
        except USER_ERRORS as exc:  # a database gone or locked: one line
            dialogs.show_error(self, str(exc))
            return
        self.snapshot_view = SnapshotDialog(current, before, after, self)
        self.snapshot_view.show()

    def open_source(self) -> None:
        current = self.selected()
        if current is None:
            return
        try:
            source_url(current.url)  # only http(s) is ever handed to the browser
        except ValidationError as exc:
            dialogs.show_error(self, str(exc))
            return
        QDesktopServices.openUrl(QUrl(current.url))
