"""A thin Qt table model over a list of domain Claims."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from enum import IntEnum
from functools import cache
from operator import attrgetter
from typing import Any

from PySide6.QtCore import (
    QAbstractTableModel,
    QModelIndex,
    QModelRoleDataSpan,
    QObject,
    QPersistentModelIndex,
    QSortFilterProxyModel,
    Qt,
)
from PySide6.QtGui import QColor, QFont, QGuiApplication, QIcon, QPalette

from app import paths
from app.domain import Anchor, Claim, Kind, LinkState, RatingScale, State
from app.ui.article_view import is_dark
from app.ui.tally import Tally

_Index = QModelIndex | QPersistentModelIndex


def also_open(logins: Sequence[str]) -> str:
    """"Also open in ana's window", "… in ana's and ben's windows": said quietly, never a lock."""
    names = [f"{name}'s" for name in logins]
    if len(names) == 1:
        return f"Also open in {names[0]} window"
    return f"Also open in {', '.join(names[:-1])} and {names[-1]} windows"


@cache
def eye_icon(dark: bool = False) -> QIcon:
    """resources/icons/eye.svg (eye-dark.svg, a light blue, on a dark palette's page), loaded once
    per scheme (a QIcon needs the QApplication, so not at import); in white on a selected row,
    where either would vanish into the highlight."""
    icons = paths.resources_dir() / "icons"
    icon = QIcon(str(icons / ("eye-dark.svg" if dark else "eye.svg")))
    icon.addFile(str(icons / "eye-selected.svg"), mode=QIcon.Mode.Selected)
    return icon


class Role(IntEnum):
    CLAIM_ID = Qt.ItemDataRole.UserRole + 1


class Column(IntEnum):
    NUMBER = 0
    QUOTE = 1
    KIND = 2
    SCORE = 3
    VERDICT = 4
    STATE = 5
    SOURCES = 6


SCORE_TIP = "How check-worthy the detector finds this sentence (0–1)"

# Before the quote in the table: a claim whose text changed in a new revision, or is not in it.
ANCHOR_MARKS = {Anchor.CHANGED: "⚠ Changed: ", Anchor.ORPHANED: "✕ Not in this revision: "}

HEADERS = {
    Column.NUMBER: "#",
    Column.QUOTE: "Claim",
    Column.KIND: "Kind",
    Column.SCORE: "Score",
    Column.VERDICT: "Verdict",
    Column.STATE: "State",
    Column.SOURCES: "Sources",
}


# data()'s roles and columns as plain ints (see ClaimTableModel.data).
_CLAIM_ID = int(Role.CLAIM_ID)
_DISPLAY = int(Qt.ItemDataRole.DisplayRole)
_ALIGNMENT = int(Qt.ItemDataRole.TextAlignmentRole)
_FONT = int(Qt.ItemDataRole.FontRole)
_FOREGROUND = int(Qt.ItemDataRole.ForegroundRole)
_BACKGROUND = int(Qt.ItemDataRole.BackgroundRole)
_DECORATION = int(Qt.ItemDataRole.DecorationRole)
_TOOLTIP = int(Qt.ItemDataRole.ToolTipRole)
_ROLES = frozenset({_CLAIM_ID, _DISPLAY, _ALIGNMENT, _FONT, _FOREGROUND, _BACKGROUND, _DECORATION, _TOOLTIP})
_QUOTE, _SCORE, _VERDICT, _STATE = int(Column.QUOTE), int(Column.SCORE), int(Column.VERDICT), int(Column.STATE)
_RIGHT_ALIGNED = frozenset({int(Column.NUMBER), _SCORE, int(Column.SOURCES)})
_RIGHT = int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
_COLUMNS = len(Column)
_VERDICT_INK = "#1d1d1f"  # on the verdict's colour, light in both schemes
_MUTED = QPalette.ColorRole.PlaceholderText


@cache
def _italic() -> QFont:
    """A suggestion's font in the table (made once: a QFont needs the QApplication)."""
    font = QFont()
    font.setItalic(True)
    return font


class ClaimTableModel(QAbstractTableModel):
    """Rows are claims in text order; the number column is the claim's place in the text."""

    def __init__(self) -> None:
        super().__init__()
        self._claims: list[Claim] = []
        self._row_of: dict[int, int] = {}
        self._number: dict[int, int] = {}
        self._place: dict[int, int] = {}
        self._sorted_by = (Column.NUMBER, Qt.SortOrder.AscendingOrder)
        self._scale: RatingScale | None = None
        self._viewers: dict[int, tuple[str, ...]] = {}  # team mode: claim id -> other people viewing it
        self.tally = Tally()  # counts over the rows, kept up to date by set_claims and replace

    def set_viewers(self, viewers: dict[int, tuple[str, ...]]) -> None:
        """Who else has which claim open (team mode): an eye on its row, their names on hover."""
        touched = {i for i in viewers.keys() | self._viewers.keys() if viewers.get(i) != self._viewers.get(i)}
        self._viewers = dict(viewers)
        for claim_id in touched:
            row = self._row_of.get(claim_id)
            if row is not None:
                self.dataChanged.emit(self.index(row, Column.QUOTE), self.index(row, Column.QUOTE))

    def viewers(self, claim_id: int) -> tuple[str, ...]:
        return self._viewers.get(claim_id, ())

    def set_scale(self, scale: RatingScale) -> None:
        """The workspace's scale: verdicts from another are flagged."""
        self.beginResetModel()
        self._scale = scale
        self.endResetModel()

    @property
    def scale(self) -> RatingScale | None:
        return self._scale

    def off_scale(self, claim: Claim) -> bool:
        return self._scale is not None and not claim.on_scale(self._scale)

    def set_claims(self, claims: Sequence[Claim]) -> None:
        self.beginResetModel()
        in_text = sorted(claims, key=attrgetter("start", "end"))  # C-level key: 5,000 claims
        self._place = {c.id: n for n, c in enumerate(in_text, start=1)}
        # The public number (Claim.number): the one reports and the command line use too.
        self._number = {c.id: c.number or n for n, c in enumerate(in_text, start=1)}
        self._claims = in_text
        self.tally.reset(in_text)
        if self._sorted_by != (Column.NUMBER, Qt.SortOrder.AscendingOrder):
            self._order(self._claims)
        self._row_of = {c.id: row for row, c in enumerate(self._claims)}
        self.endResetModel()

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        """Sorted here, with one key per claim, rather than by a proxy comparing cells two at a
        time: that made thousands of Python calls and half a second for 5,000 claims."""
        self._sorted_by = (Column(column), order)
        self.layoutAboutToBeChanged.emit()
        before = list(self._claims)
        self._order(self._claims)
        self._row_of = {c.id: row for row, c in enumerate(self._claims)}
        persistent = self.persistentIndexList()
        self.changePersistentIndexList(
            persistent, [self.index(self._row_of[before[i.row()].id], i.column()) for i in persistent]
        )
        self.layoutChanged.emit()

    def _order(self, claims: list[Claim]) -> None:
        column, order = self._sorted_by
        descending = order == Qt.SortOrder.DescendingOrder
        if column == Column.SCORE:
            # Claims without a score go last both ways: sorting by score is asking for the strongest
            # (or weakest) suggestions, and a column of blanks on top would hide them.
            sign = -1 if descending else 1
            claims.sort(key=lambda c: (c.score is None, sign * (c.score or 0.0), self._place[c.id]))
            return
        claims.sort(key=self._key(column), reverse=descending)

    def _key(self, column: Column) -> Callable[[Claim], Any]:
        return lambda claim: self._sort_key(claim, column)

    def number(self, claim_id: int) -> int:
        """The claim's public number: what the # column, reports and the command line show."""
        return self._number[claim_id]

    def highest_number(self) -> int:
        return max(self._number.values(), default=0)

    def place(self, claim_id: int) -> int:
        """The claim's place in the text among the claims shown, 1-based."""
        return self._place[claim_id]

    def claims(self) -> list[Claim]:
        return list(self._claims)

    def claim(self, claim_id: int) -> Claim | None:
        row = self._row_of.get(claim_id)
        return None if row is None else self._claims[row]

    def claim_at(self, row: int) -> Claim:
        return self._claims[row]

    def row_of(self, claim_id: int) -> int | None:
        return self._row_of.get(claim_id)

    def replace(self, claim: Claim) -> None:
        row = self._row_of.get(claim.id)
        if row is None:
            return
        self.tally.swap(self._claims[row], claim)
        self._claims[row] = claim
        self.dataChanged.emit(self.index(row, 0), self.index(row, len(Column) - 1))

    def rowCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: N802, B008 (Qt's API)
        return 0 if parent.isValid() else len(self._claims)

    def columnCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: N802, B008 (Qt's API)
        return 0 if parent.isValid() else _COLUMNS

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole) -> Any:  # noqa: N802
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return HEADERS[Column(section)]
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.ToolTipRole and section == Column.SCORE:
            return SCORE_TIP
        return None

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        # Asked about 7 times per cell painted, so the cheap answers come first: a role the table
        # never shows returns before the index is looked at, and roles and columns are compared
        # as plain ints (enum look-ups made each call twice as slow).
        if role not in _ROLES:
            return None
        row = index.row()
        if not (0 <= row < len(self._claims)) or not index.isValid():
            return None
        return self._value(self._claims[row], index.column(), role)

    def multiData(self, index: _Index, span: QModelRoleDataSpan) -> None:  # noqa: N802 (Qt's name)
        """Every role the delegate asks of one cell, in one call: the table paints each cell with
        one trip into Python instead of seven (a third of painting 5,000 claims' first screen).
        The seven roles a paint asks (font, alignment, foreground, check state, decoration,
        display, background) are answered here as _value answers them, without a call each
        (a tenth of painting the table; a test holds the two to the same answers)."""
        row = index.row()
        claims = self._claims
        if not (0 <= row < len(claims)) or not index.isValid():
            for slot in span:
                slot.clearData()
            return
        claim, column = claims[row], index.column()
        for slot in span:
            role = slot.role()
            if role == _DISPLAY:
                value = self._display(claim, Column(column))
            elif role == _FONT:
                value = None if claim.accepted else _italic()
            elif role == _ALIGNMENT:
                value = _RIGHT if column in _RIGHT_ALIGNED else None
            elif role == _FOREGROUND:
                if column == _VERDICT:
                    value = QColor(_VERDICT_INK)
                else:
                    value = None if claim.accepted else QGuiApplication.palette().color(_MUTED)
            elif role == _BACKGROUND:
                value = QColor(claim.colour) if column == _VERDICT else None
            elif role == _DECORATION:
                value = None if column != _QUOTE or claim.id not in self._viewers else self._value(claim, column, role)
            elif role in _ROLES:
                value = self._value(claim, column, role)
            else:
                value = None
            if value is None:
                slot.clearData()
            else:
                slot.setData(value)

    def _value(self, claim: Claim, column: int, role: int) -> Any:
        if role == _CLAIM_ID:
            return claim.id
        if role == _DISPLAY:
            return self._display(claim, Column(column))
        if role == _ALIGNMENT:
            return _RIGHT if column in _RIGHT_ALIGNED else None
        if role == _FONT:
            return None if claim.accepted else _italic()
        if role == _FOREGROUND:
            if column == _VERDICT:
                return QColor(_VERDICT_INK)
            # A suggestion is muted: the palette's own muted text, light or dark.
            return None if claim.accepted else QGuiApplication.palette().color(_MUTED)
        if role == _BACKGROUND:
            return QColor(claim.colour) if column == _VERDICT else None
        if role == _DECORATION:
            if column != _QUOTE or claim.id not in self._viewers:
                return None
            return eye_icon(is_dark(QGuiApplication.palette()))
        return self._tooltip(claim, column)  # the one role left

    def _tooltip(self, claim: Claim, column: int) -> str | None:
        if column == _QUOTE:
            hint = "" if claim.accepted else "\n\nSuggested by the detector: A accepts, R rejects."
            hint += f"\n\n{claim.anchor.label}: {claim.anchor_note}" if claim.anchor_note else ""
            viewers = self._viewers.get(claim.id)
            return claim.quote + hint + (f"\n\n{also_open(viewers)}." if viewers else "")
        if column == _VERDICT and self.off_scale(claim):
            assert self._scale is not None
            return f"Not on this workspace's scale ({self._scale.name}): pick a verdict from it before approval."
        if column == _SCORE and claim.score is not None:
            return f"{SCORE_TIP}: {claim.score:.2f}"
        if column == _STATE and claim.locked:
            return f"Approved by {claim.approved_by}; locked until reopened with a reason."
        return None

    def _display(self, claim: Claim, column: Column) -> str:
        if column == Column.NUMBER:
            return str(self._number[claim.id])
        if column == Column.QUOTE:
            return ANCHOR_MARKS.get(claim.anchor, "") + " ".join(claim.quote.split())
        if column == Column.KIND:
            return claim.kind.label
        if column == Column.SCORE:  # two decimals: enough to rank, and what the thresholds are written in
            return "" if claim.score is None else f"{claim.score:.2f}"
        if column == Column.VERDICT:
            name = claim.verdict_name or "—"
            return f"⚠ {name}" if self.off_scale(claim) else name
        if column == Column.STATE:
            return claim.state.label  # approved means locked; the tooltip says so
        return str(len(claim.sources))

    def _sort_key(self, claim: Claim, column: Column) -> Any:
        if column == Column.NUMBER:  # text order, where a later suggestion's number is higher
            return self._place[claim.id]
        if column == Column.QUOTE:
            return claim.quote.casefold()
        if column == Column.KIND:
            return claim.kind.label
        if column == Column.SCORE:  # see _order, which keeps claims without a score last
            return (claim.score is None, claim.score or 0.0)
        if column == Column.VERDICT:  # truest first, then the unordered labels, then none
            verdict = claim.verdict
            if verdict is None:
                return (2, 0, claim.conclusion.casefold())
            return (0 if verdict.value is not None else 1, -(verdict.value or 0), verdict.name.casefold())
        if column == Column.STATE:
            return list(State).index(claim.state)
        return len(claim.sources)


NO_VERDICT = -1  # the verdict filter's "no verdict yet"
OFF_SCALE = -2  # and its "not on the workspace's scale"
BROKEN_SOURCE = "broken"  # the sources filter: a source whose link is gone or unreachable
CHANGED_SOURCE = "changed"  # a source whose page changed since its snapshot


_NO_FILTER = (None,) * 6


class ClaimFilter(QSortFilterProxyModel):
    """Shows the claims that match every chosen state, verdict, kind and speaker (None means any).
    Sorting is the source model's (see ClaimTableModel.sort); this proxy only filters."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.setDynamicSortFilter(False)
        self._state: State | None = None
        self._verdict: int | None = None  # a rating id, NO_VERDICT or OFF_SCALE
        self._kind: Kind | None = None
        self._speaker: str | None = None
        self._anchor: Anchor | None = None  # where it stands in the current revision (app.ui.revisions)
        self._links: str | None = None  # BROKEN_SOURCE or CHANGED_SOURCE: claims with such a source

    def multiData(self, index: _Index, span: QModelRoleDataSpan) -> None:  # noqa: N802 (Qt's name)
        """Forwarded in one call (QSortFilterProxyModel asks data() role by role)."""
        model = self.sourceModel()
        assert isinstance(model, ClaimTableModel)
        model.multiData(self.mapToSource(index), span)

    def set_anchor(self, anchor: Anchor | None) -> None:
        self.beginFilterChange()
        self._anchor = anchor
        self._choose_filter()
        self.endFilterChange()

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        model = self.sourceModel()
        if model is not None and column >= 0:
            model.sort(column, order)

    def set_filters(
        self, *, state: State | None = None, verdict: int | None = None, kind: Kind | None = None,
        speaker: str | None = None, links: str | None = None,
    ) -> None:
        self.beginFilterChange()
        self._state, self._verdict, self._kind, self._speaker = state, verdict, kind, speaker
        self._links = links
        self._choose_filter()
        self.endFilterChange()

    def _choose_filter(self) -> None:
        """With no filter chosen, as the table mostly is, Qt's own filterAcceptsRow keeps every row
        (no pattern is set) without a call into Python per row: 5,000 of them, 3.5 ms, each time a
        long article opens. With one chosen, `_accepts` filters, set as the instance's
        filterAcceptsRow, which is where PySide looks for a Python override first."""
        chosen = (self._state, self._verdict, self._kind, self._speaker, self._anchor, self._links) != _NO_FILTER
        if chosen:
            self.filterAcceptsRow = self._accepts  # type: ignore[method-assign]
        elif "filterAcceptsRow" in vars(self):
            del self.filterAcceptsRow

    def _links_match(self, claim: Claim) -> bool:
        if self._links is None:
            return True
        healths = [s.health for s in claim.sources if s.health is not None]
        if self._links == BROKEN_SOURCE:
            return any(h.broken for h in healths)
        return any(h.state is LinkState.CHANGED for h in healths)

    def _verdict_matches(self, model: ClaimTableModel, claim: Claim) -> bool:
        if self._verdict is None:
            return True
        if self._verdict == NO_VERDICT:
            return not claim.has_verdict
        if self._verdict == OFF_SCALE:
            return model.off_scale(claim)
        return claim.verdict is not None and claim.verdict.id == self._verdict

    def _accepts(self, source_row: int, source_parent: _Index) -> bool:
        """filterAcceptsRow while a filter is chosen (see _choose_filter)."""
        model = self.sourceModel()
        assert isinstance(model, ClaimTableModel)
        claim = model.claim_at(source_row)
        return (
            (self._state is None or claim.state is self._state)
            and self._verdict_matches(model, claim)
            and (self._kind is None or claim.kind is self._kind)
            and (self._speaker is None or claim.speaker == self._speaker)
            and (self._anchor is None or claim.anchor is self._anchor)
            and self._links_match(claim)
        )
