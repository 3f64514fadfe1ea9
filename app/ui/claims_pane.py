"""The claims pane: the sortable table of the open article's claims, its filters, the sensitivity
buttons above it and the counts below it. It shows what the window hands it and says what the
user picked; it never reads the database."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from operator import attrgetter

from PySide6.QtCore import QItemSelectionModel, QObject, Qt, QTimer, Signal
from PySide6.QtGui import QAction, QActionGroup, QFont, QFontMetrics
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QTableView,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from app.domain import Claim, Kind, RatingScale, State
from app.domain.sensitivity import Sensitivity
from app.ui.claims_model import (
    BROKEN_SOURCE,
    CHANGED_SOURCE,
    NO_VERDICT,
    OFF_SCALE,
    ClaimFilter,
    ClaimTableModel,
    Column,
    Role,
)
from app.ui.scrolling import scroll_by_moving_pixels

FITTED = (Column.NUMBER, Column.KIND, Column.SCORE, Column.VERDICT, Column.STATE, Column.SOURCES)


def filter_combo(anything: str, choices: list[tuple[str, object]]) -> QComboBox:
    combo = QComboBox()
    combo.addItem(anything, None)
    for label, value in choices:
        combo.addItem(label, value)
    # Six filters share one row: each may shrink to a few letters (its list still shows whole
    # labels) rather than widen the pane and squeeze the article list at 1366 pixels.
    combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
    combo.setMinimumContentsLength(7)
    combo.currentTextChanged.connect(combo.setToolTip)
    combo.setToolTip(anything)
    return combo


class ClaimsPane(QWidget):
    """Table, filters, sensitivity and counts. `claimPicked` when the user selects a row,
    `sensitivityPicked` when they choose Fewer / Normal / More (buttons or menu)."""

    claimPicked = Signal(int)  # noqa: N815 (Qt signal naming)
    sensitivityPicked = Signal(object)  # noqa: N815 (Qt signal naming) -- a Sensitivity

    def __init__(self, sensitivity: Sensitivity, actions_parent: QObject, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._selecting = False
        self._padding: dict[Column, int] = {}  # per fitted column: a cell's width beyond its text
        self._widths: dict[tuple[str, str, bool | None], int] = {}  # see _advance
        self.model = ClaimTableModel()
        self.proxy = ClaimFilter(self)
        self.proxy.setSourceModel(self.model)
        self.table = self._make_table()

        self.state_filter = filter_combo("Any state", [(s.label, s) for s in State])
        self.verdict_filter = filter_combo("Any verdict", [])
        self.kind_filter = filter_combo("Any kind", [(k.label, k) for k in Kind])
        self.speaker_filter = filter_combo("Anyone", [])
        self.source_filter = filter_combo("Any sources", [
            ("Claims with a broken source", BROKEN_SOURCE), ("Claims with a changed source page", CHANGED_SOURCE)])
        self.source_filter.setToolTip("Sources › Check sources finds links that are gone, unreachable or changed.")
        self.filters = (self.state_filter, self.verdict_filter, self.kind_filter, self.speaker_filter,
                        self.source_filter)
        for combo in self.filters:
            combo.currentIndexChanged.connect(self._apply_filters)
        self.counts = QLabel()
        self.counts.setObjectName("countsLabel")
        self.counts.setWordWrap(True)
        filters = self.filters_row = QHBoxLayout()
        for combo in self.filters:
            filters.addWidget(combo)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(self._sensitivity_bar(sensitivity, actions_parent))
        layout.addLayout(filters)
        layout.addWidget(self.table)
        layout.addWidget(self.counts)
        self.table.selectionModel().selectionChanged.connect(self._selection_changed)

    def _make_table(self) -> QTableView:
        table = QTableView()
        table.setObjectName("claimTable")
        scroll_by_moving_pixels(table)
        table.setModel(self.proxy)
        table.setSortingEnabled(True)
        table.sortByColumn(Column.NUMBER, Qt.SortOrder.AscendingOrder)
        table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        table.verticalHeader().hide()
        # Uniform rows, and widths measured on the first rows only: with thousands of claims,
        # measuring every row made opening an article take half a second.
        table.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        table.verticalHeader().setDefaultSectionSize(table.fontMetrics().height() + 6)
        table.setWordWrap(False)
        table.setAlternatingRowColors(True)
        header = table.horizontalHeader()
        header.setResizeContentsPrecision(64)
        header.setSectionResizeMode(Column.QUOTE, QHeaderView.ResizeMode.Stretch)
        # Fitted to their contents when the rows change (fit_columns), not in ResizeToContents
        # mode: that re-measured 64 rows of every column for each changed claim, 50 ms of a
        # verdict change with 5,000 claims. A changed claim only widens its columns (_widen).
        for column in FITTED:
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.Interactive)
        # Once per burst (a filter change removes and inserts many ranges), after the rows
        # settle: as QHeaderView defers its own ResizeToContents pass.
        self._fit_timer = QTimer(self)
        self._fit_timer.setSingleShot(True)
        self._fit_timer.setInterval(0)
        self._fit_timer.timeout.connect(self.fit_columns)
        for signal in (self.proxy.modelReset, self.proxy.layoutChanged, self.proxy.rowsInserted,
                       self.proxy.rowsRemoved):
            signal.connect(lambda *_args: self._fit_timer.start())
        return table

    def fit_columns(self) -> None:
        """Each fitted column as wide as the widest thing it can show. What those can be is known
        without reading the rows (kinds, states, the scale's labels, the verdicts held, the highest
        number), so one cell per column is measured, for the style's padding, instead of Qt's 64
        rows of every column (2,300 data() calls a fill)."""
        table = self.table
        if self.proxy.rowCount() == 0:
            for column in FITTED:
                table.resizeColumnToContents(column)
            return
        grid = 1 if table.showGrid() else 0  # as QTableView.sizeHintForColumn counts it
        for column, texts in self._possible_texts().items():
            index = self.proxy.index(0, column)
            shown = str(index.data() or "")
            hint = table.sizeHintForIndex(index).width()
            padding = hint - self._advance(shown)
            italic = not self.model.claim_at(self.proxy.mapToSource(index).row()).accepted
            self._padding[column] = hint - self._advance(shown, italic)  # exactly, for _widen
            need = max(self._advance(t) for t in texts) + padding + grid
            table.setColumnWidth(column, max(need, table.horizontalHeader().sectionSizeHint(column)))

    def _advance(self, text: str, italic: bool | None = None) -> int:
        """Text width in the table's font, upright or italic (suggestions); by default whichever is
        wider. Kept per font: fitting the columns on each opening measured the same seventy-odd
        texts again, each italic one with a font and its metrics made for it."""
        key = (self.table.font().key(), text, italic)
        width = self._widths.get(key)
        if width is None:
            if len(self._widths) > 1000:  # a few fonts' worth of labels, numbers and verdicts
                self._widths.clear()
            width = self._widths[key] = self._measure(text, italic)
        return width

    def _measure(self, text: str, italic: bool | None) -> int:
        upright = self.table.fontMetrics().horizontalAdvance(text)
        if italic is False:
            return upright
        font = QFont(self.table.font())
        font.setItalic(True)
        slanted = QFontMetrics(font).horizontalAdvance(text)
        return slanted if italic else max(upright, slanted)

    def _possible_texts(self) -> dict[Column, list[str]]:
        model = self.model
        claims = model.claims()
        scale_names = [r.name for r in model.scale.labels] if model.scale else []
        held = [n for n in model.tally.by_verdict if n != "no verdict"]
        return {
            Column.NUMBER: ["8" * len(str(model.highest_number()))],
            Column.KIND: [k.label for k in Kind],
            Column.SCORE: ["0.00"],
            Column.VERDICT: ["—", *scale_names, *(n if n in scale_names else f"⚠ {n}" for n in held)],
            Column.STATE: [state.label for state in State],
            Column.SOURCES: ["8" * len(str(max(map(len, map(attrgetter("sources"), claims)))))],
        }

    def _widen(self, claim_id: int) -> None:
        row = self.model.row_of(claim_id)
        index = self.proxy.mapFromSource(self.model.index(row, 0)) if row is not None else None
        if index is None or not index.isValid():
            return
        grid = 1 if self.table.showGrid() else 0  # as QTableView.sizeHintForColumn counts it
        for column in FITTED:
            cell = index.siblingAtColumn(column)
            padding = self._padding.get(column)
            # The style's padding around the text, measured when the columns were fitted: the text's
            # width then says it all, without the style laying the cell out again.
            need = (self._advance(str(cell.data() or "")) + padding if padding is not None
                    else self.table.sizeHintForIndex(cell).width()) + grid
            if need > self.table.columnWidth(column):
                self.table.setColumnWidth(column, need)

    def _sensitivity_bar(self, current: Sensitivity, actions_parent: QObject) -> QHBoxLayout:
        """Fewer / Normal / More above the table. The buttons show the Claim › Sensitivity actions
        themselves, so menu and buttons can never disagree."""
        self.sensitivity_group = QActionGroup(actions_parent)
        self.sensitivity_group.setExclusive(True)
        self.sensitivity_actions: dict[Sensitivity, QAction] = {}
        self.sensitivity_buttons: dict[Sensitivity, QToolButton] = {}
        row = QHBoxLayout()
        row.setSpacing(0)
        label = QLabel("Suggestions")
        label.setObjectName("sensitivityLabel")
        label.setToolTip("How many of the detector's suggestions to show. Hidden ones are kept, never deleted;"
                         " claims you marked or worked on are always shown.")
        row.addWidget(label)
        row.addSpacing(8)
        for step in Sensitivity:
            action = QAction(step.label, actions_parent, checkable=True)
            # The button shows the icon text: short, since the label before the buttons says "Suggestions".
            action.setIconText(step.value.capitalize())
            action.setData(step.value)
            action.setChecked(step is current)
            action.setToolTip(f"{step.label}: hide untouched suggestions scoring below {step.threshold:.2f}")
            action.triggered.connect(lambda _checked=False, step=step: self.sensitivityPicked.emit(step))
            self.sensitivity_group.addAction(action)
            self.sensitivity_actions[step] = action
            button = QToolButton()
            button.setDefaultAction(action)
            button.setObjectName(f"sensitivity{step.value.capitalize()}")
            button.setProperty("segment", True)
            button.setFocusPolicy(Qt.FocusPolicy.TabFocus)
            self.sensitivity_buttons[step] = button
            row.addWidget(button)
        row.addStretch(1)
        return row

    # -- showing --------------------------------------------------------------------------

    def set_scale(self, scale: RatingScale) -> None:
        """The verdict filter offers the workspace's labels; the table flags verdicts off it."""
        combo = self.verdict_filter
        combo.blockSignals(True)
        combo.clear()
        combo.addItem("Any verdict", None)
        for rating in scale.labels:
            combo.addItem(rating.name, rating.id)
        combo.addItem("No verdict yet", NO_VERDICT)
        combo.addItem("⚠ Not on this scale", OFF_SCALE)
        combo.blockSignals(False)
        self.model.set_scale(scale)
        self._apply_filters()

    def show_claims(self, claims: Sequence[Claim]) -> None:
        """A new list (the selection goes: the window selects again)."""
        self.model.set_claims(list(claims))
        self._lay_out_now()
        self._refresh_speakers()
        self.update_counts()

    def _lay_out_now(self) -> None:
        """The table's layout and its columns' widths for new rows, done now rather than by the
        view's deferred layout and the fit timer once the first frame is painted: each of those
        repainted the whole table (10 to 20 ms with 5,000 claims under the style sheet), so the
        table was painted twice to show one list. Done here, the first frame shows the settled table.
        The header is quiet meanwhile: each width it reports starts the view's column-resize
        timer, which repaints those columns once more after the first frame; the layout below
        takes in every width at once."""
        self._fit_timer.stop()
        header = self.table.horizontalHeader()
        quiet = header.blockSignals(True)
        try:
            self.fit_columns()
            self.table.doItemsLayout()  # what the view's own timer would do next, which it stops
            self.table.setViewportMargins(self.table.viewportMargins())  # scroll bar shown now
            header.resizeSections()  # the stretched column, for the viewport's width now
        finally:
            header.blockSignals(quiet)

    def replace(self, claim: Claim) -> None:
        self.model.replace(claim)
        self._widen(claim.id)

    def show_sensitivity(self, step: Sensitivity) -> None:
        self.sensitivity_actions[step].setChecked(True)

    def select(self, claim_id: int | None) -> None:
        """Select a row as the window says; emits nothing."""
        self._selecting = True
        try:
            selection = self.table.selectionModel()
            row = self.model.row_of(claim_id) if claim_id is not None else None
            if row is None:
                selection.clearSelection()
                return
            index = self.proxy.mapFromSource(self.model.index(row, 0))
            selection.setCurrentIndex(
                index, QItemSelectionModel.SelectionFlag.ClearAndSelect | QItemSelectionModel.SelectionFlag.Rows
            )
            self.table.scrollTo(index)
        finally:
            self._selecting = False

    def _selection_changed(self) -> None:
        rows = self.table.selectionModel().selectedRows()
        if rows and not self._selecting:
            self.claimPicked.emit(int(self.proxy.data(rows[0], Role.CLAIM_ID)))

    # -- walking the table ----------------------------------------------------------------

    def visible_ids(self) -> list[int]:
        """Claims in the table's current order and filter."""
        return [self._claim_in_row(row).id for row in range(self.proxy.rowCount())]

    def step_from(self, current: int | None, delta: int) -> int | None:
        """J and K: the claim `delta` rows from `current` in the table's order and filter (the
        first or the last when `current` is not shown). From its row, not from a list of every
        row's id: that list was most of a step with thousands of claims (25 ms at 5,000)."""
        rows = self.proxy.rowCount()
        if not rows:
            return None
        at = self._row_shown(current)
        row = at + delta if at is not None else (0 if delta > 0 else rows - 1)
        return self._claim_in_row(max(0, min(row, rows - 1))).id

    def next_where(self, current: int | None, wanted: Callable[[Claim], bool]) -> int | None:
        """The next claim after `current` (round the end) that is `wanted`, other than `current`."""
        rows = self.proxy.rowCount()
        at = self._row_shown(current)
        start = at + 1 if at is not None else 0
        for step in range(rows):
            claim = self._claim_in_row((start + step) % rows)
            if wanted(claim) and claim.id != current:
                return claim.id
        return None

    def _claim_in_row(self, row: int) -> Claim:
        """The claim in the table's `row` (as filtered and sorted)."""
        return self.model.claim_at(self.proxy.mapToSource(self.proxy.index(row, 0)).row())

    def _row_shown(self, claim_id: int | None) -> int | None:
        """The table's row of the claim, None when it is not shown (filtered out, or gone)."""
        row = self.model.row_of(claim_id) if claim_id is not None else None
        if row is None:
            return None
        shown = self.proxy.mapFromSource(self.model.index(row, 0))
        return shown.row() if shown.isValid() else None

    # -- filters and counts -----------------------------------------------------------------

    def clear_filters(self) -> None:
        for combo in self.filters:
            combo.setCurrentIndex(0)

    def _apply_filters(self) -> None:
        # Qt hands StrEnum data back as plain str.
        state, kind = self.state_filter.currentData(), self.kind_filter.currentData()
        self.proxy.set_filters(
            state=State(state) if state else None,
            verdict=self.verdict_filter.currentData(),
            kind=Kind(kind) if kind else None,
            speaker=self.speaker_filter.currentData(),
            links=self.source_filter.currentData(),
        )
        self.update_counts()

    def _refresh_speakers(self) -> None:
        current = self.speaker_filter.currentData()
        speakers = sorted({c.speaker for c in self.model.claims() if c.speaker})
        self.speaker_filter.blockSignals(True)
        self.speaker_filter.clear()
        self.speaker_filter.addItem("Anyone", None)
        for speaker in speakers:
            self.speaker_filter.addItem(speaker, speaker)
        self.speaker_filter.setCurrentIndex(max(0, self.speaker_filter.findData(current)) if current else 0)
        self.speaker_filter.blockSignals(False)
        self.speaker_filter.setEnabled(bool(speakers))

    def update_counts(self) -> None:
        tally = self.model.tally
        verdicts = [f"{n} {name.lower()}" for name, n in sorted(tally.by_verdict.items(), key=lambda x: (-x[1], x[0]))]
        states = [f"{tally.by_state[s]} {s.label.lower()}" for s in State if tally.by_state[s]]
        shown = self.proxy.rowCount()
        prefix = f"Showing {shown} of {tally.total}" if shown != tally.total else f"{tally.total} claims"
        parts = " · ".join(verdicts) + ("\n" + " · ".join(states) if states else "")
        self.counts.setText(f"{prefix}: {parts}" if tally.total else prefix)
