"""The panel where the fact-checker reviews one claim: a thin composition of its panes.

The panes (header, verdict box, workflow box, sources and history tabs) only show and ask;
this class holds the claim being edited, turns what the user asked for into undoable
commands, and writes typed text after a short pause.
"""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import QTimer
from PySide6.QtGui import QUndoCommand
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QPushButton,
    QScrollArea,
    QStackedWidget,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from app.domain import (
    Claim,
    Conflict,
    FieldConflict,
    HistoryEntry,
    Kind,
    Rating,
    RatingScale,
    State,
    clip,
    one_verdict,
)
from app.domain.evidence import Evidence
from app.ui import dialogs, undo
from app.ui.conflict_dialog import Choice, ConflictDialog
from app.ui.editor.earlier_checks import EarlierChecks
from app.ui.editor.evidence_tab import EvidenceTab
from app.ui.editor.header import ClaimHeader
from app.ui.editor.history_tab import HistoryTab
from app.ui.editor.merge import sort_text
from app.ui.editor.sources_tab import SourcesTab
from app.ui.editor.verdict_box import TEXT_NAMES, VerdictBox
from app.ui.editor.workflow_box import WorkflowBox
from app.ui.revisions import AnchorBox

SAVE_DELAY_MS = 400
EVIDENCE_HEIGHT = 620  # pixels: references, figures and a side-by-side diff without a second scroll bar


def _id(rating: Rating | None) -> int | None:
    return rating.id if rating else None


class ClaimEditor(QStackedWidget):
    """Every edit is written at once (text after a short pause) as an undoable command."""

    def __init__(self, target: undo.UndoTarget, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._target = target
        self._bench = target.bench
        self._claim: Claim | None = None
        self._loading = False
        self._scale = RatingScale("", "")
        # A claim newly shown while the Evidence tab is closed: (claim, context, evidence), worked
        # out when the tab is opened (see show_evidence).
        self._evidence_due: tuple[Claim, str, Sequence[Evidence]] | None = None

        self.empty = QLabel(
            "No claim selected.\n\nClick a highlighted passage or a row of the table."
            "\nTo add a claim of your own, select text and press Ctrl+M."
        )
        self.empty.setObjectName("emptyState")
        self.empty.setWordWrap(True)
        self.addWidget(self.empty)

        self.header = ClaimHeader()
        self.anchor_box = AnchorBox()  # a claim whose text changed in a new revision (app.ui.revisions)
        self.verdict_box = VerdictBox()
        self.workflow_box = WorkflowBox()
        self.sources_tab = SourcesTab(target, lambda: self._claim)
        self.add_source = self.sources_tab.add_source  # Claim › Add source (Ctrl+Shift+L)
        self.history = HistoryTab()
        self.evidence_tab = EvidenceTab(target, lambda: self._claim)
        # Its own scroller: the tallest tab would otherwise set the height of every tab.
        evidence_scroller = QScrollArea()
        evidence_scroller.setWidgetResizable(True)
        evidence_scroller.setFrameShape(QScrollArea.Shape.NoFrame)
        evidence_scroller.setWidget(self.evidence_tab)
        self.tabs = QTabWidget()
        self.tabs.addTab(self.sources_tab, "Sources")
        self.tabs.addTab(self.history, "History")
        self.tabs.addTab(evidence_scroller, "Evidence")
        self.earlier_checks = EarlierChecks(target, lambda: self._claim)
        self.tabs.addTab(self.earlier_checks, "Earlier checks")
        self.earlier_checks.counted.connect(
            lambda found: self.tabs.setTabText(3, f"Earlier checks ({found})" if found else "Earlier checks"))
        self.tabs.currentChanged.connect(self._tab_changed)
        self.tabs.setMinimumHeight(170)
        self.saved = QLabel()
        self.saved.setObjectName("savedLabel")
        self.delete_button = QPushButton("Delete claim…")
        self.delete_button.setObjectName("dangerButton")
        footer = QHBoxLayout()
        footer.addWidget(self.saved)
        footer.addStretch(1)
        footer.addWidget(self.delete_button)

        page = QWidget()
        layout = QVBoxLayout(page)
        for pane in (self.header, self.anchor_box, self.verdict_box, self.workflow_box):
            layout.addWidget(pane)
        layout.addWidget(self.tabs, 2)
        layout.addLayout(footer)
        # Scrolls rather than squeezes: on a small screen every field keeps its size.
        scroller = QScrollArea()
        scroller.setWidgetResizable(True)
        scroller.setFrameShape(QScrollArea.Shape.NoFrame)
        scroller.setWidget(page)
        self.addWidget(scroller)
        self._scroller = scroller
        self._expose_pane_widgets()

        self._save_timer = QTimer(self)
        self._save_timer.setSingleShot(True)
        self._save_timer.setInterval(SAVE_DELAY_MS)
        self._save_timer.timeout.connect(self.flush)

        self.header.acceptRequested.connect(self.accept_claim)
        self.header.rejectRequested.connect(self.reject_claim)
        self.verdict_box.verdictPicked.connect(self._verdict_picked)
        self.verdict_box.kindPicked.connect(self._kind_picked)
        self.verdict_box.textEdited.connect(self._text_edited)
        self.workflow_box.stateRequested.connect(self.set_state)
        self.workflow_box.approveRequested.connect(self.approve)
        self.workflow_box.reopenRequested.connect(self.reopen)
        self.delete_button.clicked.connect(self.delete_claim)
        self.show_claim(None)

    def _tab_changed(self, index: int) -> None:
        """The evidence needs room: while its tab is open the panel grows and scrolls down to it."""
        self.tabs.setMinimumHeight(EVIDENCE_HEIGHT if index == 2 else 170)
        if index == 2:
            self._show_due_evidence()
        if self.tabs.widget(index) is self.earlier_checks and not self.earlier_checks.wanted:
            self.earlier_checks.opened()
        if index in (2, 3):  # the evidence, or the earlier checks: scrolled into view
            page = self._scroller.widget()
            page.layout().activate()  # the new minimum height first, so the scroll range is known
            page.adjustSize()
            self._scroller.verticalScrollBar().setValue(self.tabs.y())

    def _expose_pane_widgets(self) -> None:
        """The panes' widgets under the names the window, the shortcuts and the tests have always used."""
        self.heading, self.quote, self.suggestion = self.header.heading, self.header.quote, self.header.suggestion
        self.accept_button, self.reject_button = self.header.accept_button, self.header.reject_button
        box = self.verdict_box
        self.verdict, self.conclusion, self.off_scale, self.kind = box.verdict, box.conclusion, box.off_scale, box.kind
        self.legend, self.summary, self.notes = box.legend, box.summary, box.notes
        flow = self.workflow_box
        self.state_label, self.checklist = flow.state_label, flow.checklist
        self.start_button, self.review_button, self.back_button = flow.start_button, flow.review_button, flow.back_button
        self.approve_button, self.reopen_button = flow.approve_button, flow.reopen_button
        tab = self.sources_tab
        self.sources = tab.sources
        self.add_source_button, self.edit_source_button = tab.add_source_button, tab.edit_source_button
        self.remove_source_button, self.open_source_button = tab.remove_source_button, tab.open_source_button

    # -- showing --------------------------------------------------------------------------

    @property
    def claim(self) -> Claim | None:
        return self._claim

    def show_claim(self, claim: Claim | None, number: int | None = None, total: int | None = None) -> None:
        self.flush()
        self._claim = claim
        self.anchor_box.show_claim(claim)
        if claim is None:
            self.setCurrentWidget(self.empty)
            return
        self._loading = True
        try:
            self.setCurrentIndex(1)
            self.header.show_claim(claim, number, total)
            self._show_fields(claim)
            self.verdict_box.show_text(claim)
            self.saved.setText("")
            self.earlier_checks.show_claim(claim)
        finally:
            self._loading = False

    def refresh(self, claim: Claim, history: Sequence[HistoryEntry] | None = None) -> None:
        """Show a newer copy of the current claim, whoever changed it, without losing typing.

        Text the user has not touched takes the stored value at once. Where the user typed and
        someone else also changed that field, the conflict dialog asks which stays: never a
        silent overwrite, either way. `history` (the claim's, oldest first) says who and when.
        """
        if self._claim is None or claim.id != self._claim.id:
            return
        base, typed = self._claim, self.verdict_box.typed()
        if history is not None:
            self.show_history(history)
        self._claim = claim
        self.anchor_box.show_claim(claim)
        take, clashes = sort_text(base, claim, typed, history or ())
        self._loading = True
        try:
            self._show_fields(claim)
            self.verdict_box.show_text(claim, tuple(take))  # untouched here: theirs, at once
            self.saved.setText("Saved" if not clashes else "Changed by someone else")
        finally:
            self._loading = False
        if clashes:
            self.resolve(clashes)

    def resolve(self, clashes: Sequence[FieldConflict]) -> None:
        """Ask, field by field, whose text stays; mine and merges are then written as usual
        (against the version just shown, so a third change is caught again)."""
        self._save_timer.stop()
        for clash in clashes:
            answer = ConflictDialog.ask(self, clash.field, clash.theirs, clash.yours, by=clash.by, at=clash.at)
            if self._claim is None:
                return
            if answer.choice is Choice.THEIRS:
                self._loading = True
                try:
                    self.verdict_box.show_text(self._claim, (clash.field,))
                finally:
                    self._loading = False
            else:
                self.verdict_box.set_text(clash.field, answer.value)
        self.flush()

    def refused(self, conflict: Conflict, command: QUndoCommand | None) -> None:
        """A write of this panel refused as stale, after the window showed what is stored now.
        Typed text was settled by refresh (it asks about each clash); a choice (verdict, kind,
        state) is asked here, theirs against mine; anything else is said in one line."""
        if isinstance(command, undo.EditClaim) and TEXT_NAMES.keys() & command.after.keys():
            return
        claim = self._claim
        if not isinstance(command, undo.EditClaim) or claim is None or claim.id != command.claim_id:
            self._target.show_error(str(conflict))
            return
        for clash in conflict.fields:
            answer = ConflictDialog.ask(self, clash.field, clash.theirs, clash.yours, by=clash.by, at=clash.at,
                                        text=False)
            if answer.choice is Choice.MINE:
                values = {k: v for k, v in command.after.items() if k != "accepted"}
                self._push(undo.EditClaim(self._target, claim, values, command.text()))
                return

    def show_history(self, entries: Sequence[HistoryEntry]) -> None:
        self.history.show_entries(entries)

    def show_evidence(self, evidence: Sequence[Evidence], context: str | None = None) -> None:
        """The claim's saved evidence; with `context` (its paragraph up to it), a claim newly shown:
        references and comparison defaults are worked out again."""
        claim = self._claim
        if claim is None:
            return
        self.tabs.setTabText(2, f"Evidence ({len(evidence)})" if evidence else "Evidence")
        if self._evidence_due is not None and context is None:  # still closed: what it will show
            self._evidence_due = (claim, self._evidence_due[1], evidence)
        elif context is not None and self.tabs.currentIndex() != 2:
            # Its references, figures and passages (regular expressions over the claim and its
            # paragraph, and their modules' loading) are worked out when the tab is opened: most
            # claims are read without it, the first one at every start included.
            self._evidence_due = (claim, context, evidence)
        elif context is None:
            self.evidence_tab.refresh(claim, evidence)
        else:
            self._evidence_due = None
            self.evidence_tab.show_claim(claim, context, evidence)

    def _show_due_evidence(self) -> None:
        if self._evidence_due is not None:
            claim, context, evidence = self._evidence_due
            self._evidence_due = None
            self.evidence_tab.show_claim(claim, context, evidence)

    def _show_fields(self, claim: Claim) -> None:
        """Everything but the text being typed: verdict, kind, workflow, lock, sources, history."""
        self.verdict_box.show_fields(claim)
        self.sources_tab.show_sources(claim.sources, claim.locked)
        self.tabs.setTabText(0, f"Sources ({len(claim.sources)})")
        self.workflow_box.show_claim(claim, self._scale, self._bench.actor)
        self.delete_button.setEnabled(not claim.locked)
        self.header.show_accepted(claim.accepted)

    # -- the rating scale and the workflow -------------------------------------------------

    def set_scale(self, scale: RatingScale) -> None:
        """The workspace's scale: what the verdict list and the number keys offer."""
        self._scale = scale
        self.verdict_box.set_scale(scale)
        if self._claim is not None:
            self._loading = True
            try:
                self._show_fields(self._claim)
            finally:
                self._loading = False

    def set_state(self, state: State) -> None:
        claim = self._claim
        if claim is None or claim.locked or claim.state is state:
            return
        self.flush()
        claim = self._claim
        if claim is not None:
            self._push(undo.EditClaim(self._target, claim, {"state": state}, f"Set state to {state.label}"))

    def approve(self) -> None:
        self.flush()
        claim = self._claim
        if claim is None:
            return
        self._push(undo.Approve(self._target, claim))  # a refusal comes back from the service with its reasons

    def reopen(self) -> None:
        claim = self._claim
        if claim is None or not claim.locked:
            return
        reason = dialogs.ask_reopen_reason(self, claim.approved_by)
        if reason:
            self._push(undo.Reopen(self._target, claim, reason))

    def set_verdict(self, rating: Rating | None) -> None:
        """Number keys and the list both land here."""
        claim = self._claim
        if claim is None or self._loading or _id(claim.verdict) == _id(rating):
            return
        if claim.locked:
            self.reopen_hint()
            return
        what = rating.name if rating else "no verdict"
        change = one_verdict(claim, {"verdict": rating})  # a label replaces a conclusion; undo restores it
        self._push(undo.EditClaim(self._target, claim, change, f"Set verdict to {what}"))

    def set_verdict_number(self, number: int) -> None:
        labels = self._scale.labels
        if 1 <= number <= len(labels):
            self.set_verdict(labels[number - 1])

    def reopen_hint(self) -> None:
        self._target.show_error("This claim is approved and locked; reopen it, with a reason, to change it.")

    # -- writing: every change is an undoable command --------------------------------------

    def _push(self, command: QUndoCommand) -> None:
        self._target.push(command)

    def accept_claim(self) -> None:
        claim = self._claim
        if claim is not None and not claim.accepted:
            self._push(undo.EditClaim(self._target, claim, {"accepted": True}, "Accept suggestion"))

    def reject_claim(self) -> None:
        """One key, no question: a rejected suggestion is remembered, and undo brings it back."""
        claim = self._claim
        if claim is not None and not claim.accepted:
            self._save_timer.stop()
            self._push(undo.RemoveClaim(self._target, claim, reject=True))

    def _verdict_picked(self, rating_id: int) -> None:
        if self._loading or self._claim is None:
            return
        self.set_verdict(self._bench.rating(rating_id) if rating_id else None)

    def _kind_picked(self, kind: Kind) -> None:
        if self._loading or self._claim is None:
            return
        self._push(undo.EditClaim(self._target, self._claim, {"kind": kind}, f"Set kind to {kind.label}"))

    def _text_edited(self) -> None:
        if self._loading or self._claim is None:
            return
        self.saved.setText("Editing…")
        self._save_timer.start()

    def unsaved(self) -> dict[str, str]:
        """Text typed but not yet written, by field."""
        claim = self._claim
        if claim is None or claim.locked:
            return {}
        return {f: v for f, v in self.verdict_box.typed().items() if getattr(claim, f) != v}

    def discard_pending(self) -> None:
        """Forget typing not yet written: used when undo replaces the claim under the cursor."""
        self._save_timer.stop()
        self._claim = None

    def flush(self) -> None:
        """Write text that is still waiting for the typing pause."""
        self._save_timer.stop()
        claim = self._claim
        if claim is None or self._loading:
            return
        typed = self.verdict_box.typed()
        changed = {field: value for field, value in typed.items() if getattr(claim, field) != value}
        if changed and claim.locked:
            return  # read-only fields: nothing can have been typed
        if changed:
            what = TEXT_NAMES[next(iter(changed))] if len(changed) == 1 else "text"
            changed = one_verdict(claim, changed)  # a conclusion replaces a label; undo restores it
            self._push(undo.EditClaim(self._target, claim, changed, f"Edit {what}"))

    def delete_claim(self) -> None:
        claim = self._claim
        if claim is None:
            return
        if not dialogs.confirm(
            self, "Delete claim", f"Delete this claim and its verdict and sources?\n\n“{clip(claim.quote, 80)}”"
        ):
            return
        self._save_timer.stop()
        self._push(undo.RemoveClaim(self._target, claim, reject=False))
