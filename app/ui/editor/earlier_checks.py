"""The Earlier checks tab of the claim panel: the same claim, or a similar one, checked in other articles.

Each match shows whether it is the same claim (its score passed the threshold calibrated at
precision >= 0.99) or only similar, its verdict, when it was checked, the article and the quote.
"Open" switches to that article and selects the claim; "Start from this check" copies its
sources and summary into the claim shown, as a draft (an undoable command).
"""

from __future__ import annotations

import html
from collections.abc import Callable, Sequence

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QPushButton, QSizePolicy, QVBoxLayout, QWidget

from app.domain import ChangeSet, Claim, State
from app.domain.errors import USER_ERRORS
from app.domain.matches import EarlierCheck
from app.ui import undo

MATCHES = 5


class StartFromCheck(undo.Command):
    """Copy an earlier check's sources and summary into a claim; undo removes the copies and puts
    the summary (and a not-started state) back."""

    def __init__(self, target: undo.UndoTarget, claim: Claim, check: EarlierCheck) -> None:
        super().__init__(target, f"Start from check {check.label}")
        self.claim_id, self.earlier_id = claim.id, check.claim_id
        self.before = {"summary": claim.summary, "accepted": claim.accepted}
        if claim.state is State.NOT_STARTED:
            self.before["state"] = claim.state
        self.added: frozenset[int] = frozenset()

    def _redo(self) -> None:
        claim, changes = self.bench.start_from(self.claim_id, self.earlier_id)
        self.added = changes.sources_added
        self._show(changes, claim)

    def _undo(self) -> None:
        changes = ChangeSet()
        for source_id in sorted(self.added):
            changes |= self.bench.remove_source(source_id)
        claim, restored = self.bench.update_claim(self.claim_id, **self.before)
        self._show(changes | restored, claim, replay=True)


class EarlierChecks(QWidget):
    """Lists a claim's earlier checks; emits openRequested(article_id, claim_id) for "Open"."""

    openRequested = Signal(int, int)  # noqa: N815 (Qt's naming)
    counted = Signal(int)  # how many earlier checks the claim shown has

    def __init__(self, target: undo.UndoTarget, claim: Callable[[], Claim | None], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._target = target
        self._claim = claim
        self.checks: list[EarlierCheck] = []
        self.rows: list[QFrame] = []
        self._building = False
        self.wanted = False  # the tab has been opened: the archive's index may be built
        self.note = QLabel()
        self.note.setObjectName("earlierNote")
        self.note.setWordWrap(True)
        self.note.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
        self._list = QVBoxLayout()
        self._list.setSpacing(6)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 4, 0, 0)
        layout.addWidget(self.note)
        layout.addLayout(self._list)
        layout.addStretch(1)

    def opened(self) -> None:
        """The tab was opened: look now (building the index, the first time)."""
        self.wanted = True
        self.show_claim(self._claim())

    def show_claim(self, claim: Claim | None) -> None:
        """Look up and list the claim's earlier checks (emits counted). The first time, the index
        is built in the background (seconds on a big archive) and the list follows."""
        for row in self.rows:
            self._list.removeWidget(row)
            row.hide()  # at once: deleteLater waits for the event loop
            row.deleteLater()
        self.rows, self.checks = [], []
        if claim is None:
            self.counted.emit(0)
            return
        bench = self._target.bench
        runner = getattr(self._target, "runner", None)
        if not bench.matches_ready() and not self.wanted:
            # Building the index reads every checked claim of the archive (seconds and tens of MB
            # at a million): not at every start, only once someone opens this tab. Then each
            # claim's count shows on the tab as it is selected.
            self.note.setText("Earlier checks are looked up in the archive when this tab is opened.")
            self.counted.emit(0)
            return
        if not bench.matches_ready() and runner is not None:
            self.note.setText("Looking through the archive for earlier checks…")
            self.counted.emit(0)
            if not self._building:
                self._building = True
                runner.run(bench.matches_indexed, self._built, self._build_failed)
            return
        try:
            self.checks = self._target.bench.claim_matches(claim.id, MATCHES)
        except USER_ERRORS as exc:  # the database out of reach: say so here, the rest of the panel works
            self.note.setText(f"Earlier checks are not available: {exc}")
            self.counted.emit(0)
            return
        self.note.setText(
            "Claims with a verdict in other articles that say the same (“same claim”) or something close"
            " (“similar”)." if self.checks else "No claim checked in another article matches this one."
        )
        for check in self.checks:
            row = self._row(check)
            self.rows.append(row)
            self._list.addWidget(row)
        self.counted.emit(len(self.checks))

    def _built(self, _count: object) -> None:
        self._building = False
        self.show_claim(self._claim())

    def _build_failed(self, error: Exception) -> None:
        self._building = False
        if not isinstance(error, USER_ERRORS):
            raise error  # a bug of ours: the window's crash handler reports it
        self.note.setText(f"Earlier checks are not available: {error}")

    def _row(self, check: EarlierCheck) -> QFrame:
        frame = QFrame()
        frame.setObjectName("earlierCheck")
        frame.setFrameShape(QFrame.Shape.StyledPanel)
        day = f"{check.checked:%d %b %Y}" if check.checked else "date unknown"
        colour = html.escape(check.colour or "palette(mid)")
        text = QLabel(
            f"<b>{'Same claim' if check.same else 'Similar'}</b> ({check.score:.2f}) · "
            f"<span style='background:{colour}; color:#111'>&nbsp;{html.escape(check.verdict)}&nbsp;</span>"
            f" · {day} · {html.escape(check.article_title)} (claim {html.escape(check.label)})<br>"
            f"“{html.escape(check.quote)}”"
        )
        text.setWordWrap(True)
        text.setObjectName("earlierText")
        # Wraps to the panel's width instead of widening the panel to the longest line.
        text.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
        text.setMinimumWidth(200)
        text.setAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop)
        open_button = QPushButton("Open")
        open_button.setObjectName("earlierOpen")
        open_button.setToolTip(f"Show claim {check.label} in “{check.article_title}”")
        start_button = QPushButton("Start from this check")
        start_button.setObjectName("earlierStart")
        start_button.setToolTip("Copy its sources and summary into this claim, as a draft (Ctrl+Z undoes it)")
        open_button.clicked.connect(lambda: self.openRequested.emit(check.article_id, check.claim_id))
        start_button.clicked.connect(lambda: self.start_from(check))
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        buttons.addWidget(open_button)
        buttons.addWidget(start_button)
        layout = QVBoxLayout(frame)
        layout.setContentsMargins(6, 6, 6, 6)
        layout.addWidget(text)
        layout.addLayout(buttons)
        return frame

    def start_from(self, check: EarlierCheck) -> None:
        claim = self._claim()
        if claim is not None:
            self._target.push(StartFromCheck(self._target, claim, check))

    def buttons(self, name: str) -> Sequence[QPushButton]:
        """The rows' buttons of one kind ("earlierOpen", "earlierStart"), in list order (for tests)."""
        return [row.findChild(QPushButton, name) for row in self.rows]  # type: ignore[misc]
