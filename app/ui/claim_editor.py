"""The panel where the fact-checker reviews one claim: verdict, workflow and sign-off, notes, sources."""

from __future__ import annotations

from dataclasses import asdict

from PySide6.QtCore import Qt, QTimer, QUrl
from PySide6.QtGui import QColor, QDesktopServices, QIcon, QPixmap, QUndoCommand
from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPlainTextEdit,
    QPushButton,
    QScrollArea,
    QStackedWidget,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from app.domain import Claim, Kind, Rating, RatingScale, Source, State, approval_problems, clip, one_verdict
from app.domain.validate import ValidationError, source_url
from app.storage.errors import NotFound
from app.ui import dialogs, undo

SAVE_DELAY_MS = 400


def _origin(claim: Claim) -> str:
    if claim.origin.value == "manual":
        return "marked by you"
    return "detected in a reader comment" if claim.from_comment else "detected"


def _id(rating: Rating | None) -> int | None:
    return rating.id if rating else None


def swatch(colour: str) -> QIcon:
    pixmap = QPixmap(14, 14)
    pixmap.fill(QColor(colour))
    return QIcon(pixmap)


class ClaimEditor(QStackedWidget):
    """Every edit is written at once (text after a short pause) as an undoable command."""

    def __init__(self, target: undo.UndoTarget, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._target = target
        self._bench = target.bench
        self._claim: Claim | None = None
        self._loading = False

        self.empty = QLabel(
            "No claim selected.\n\nClick a highlighted passage or a row of the table."
            "\nTo add a claim of your own, select text and press Ctrl+M."
        )
        self.empty.setObjectName("emptyState")
        self.empty.setWordWrap(True)
        self.addWidget(self.empty)

        page = QWidget()
        # Scrolls rather than squeezes: on a small screen every field keeps its size.
        scroller = QScrollArea()
        scroller.setWidgetResizable(True)
        scroller.setFrameShape(QScrollArea.Shape.NoFrame)
        scroller.setWidget(page)
        self.addWidget(scroller)
        self.heading = QLabel()
        self.heading.setObjectName("claimHeading")
        self.quote = QLabel()
        self.quote.setObjectName("claimQuote")
        self.quote.setWordWrap(True)
        self.quote.setTextFormat(Qt.TextFormat.PlainText)

        self.suggestion = QWidget()
        self.suggestion.setObjectName("suggestionBar")
        self.accept_button = QPushButton("Accept  (A)")
        self.reject_button = QPushButton("Reject  (R)")
        bar = QHBoxLayout(self.suggestion)
        bar.setContentsMargins(8, 4, 8, 4)
        hint = QLabel("Suggested by the detector.")
        hint.setObjectName("suggestionHint")
        bar.addWidget(hint, 1)
        bar.addWidget(self.accept_button)
        bar.addWidget(self.reject_button)

        self._scale = RatingScale("", "")
        self.verdict = QComboBox()
        self.verdict.setObjectName("verdictCombo")
        self.conclusion = QLineEdit()
        self.conclusion.setObjectName("conclusionEdit")
        self.conclusion.setPlaceholderText("The conclusion in a few words, as published")
        self.off_scale = QLabel()
        self.off_scale.setObjectName("offScaleWarning")
        self.off_scale.setWordWrap(True)
        self.kind = QComboBox()
        for kind in Kind:
            self.kind.addItem(kind.label, kind)

        self.summary = QPlainTextEdit()
        self.summary.setPlaceholderText("The verdict in a sentence or two, as a reader would see it")
        self.summary.setFixedHeight(58)
        self.notes = QPlainTextEdit()
        self.notes.setPlaceholderText("Working notes: what you checked, whom you asked, what is left")
        self.notes.setMinimumHeight(50)
        self.notes.setMaximumHeight(90)
        self.saved = QLabel()
        self.saved.setObjectName("savedLabel")

        self.sources = QListWidget()
        self.sources.setObjectName("sourceList")
        self.sources.setWordWrap(True)
        self.sources.setMinimumHeight(80)
        self.history = QListWidget()
        self.history.setObjectName("historyList")
        self.history.setWordWrap(True)
        self.add_source_button = QPushButton("&Add source…")
        self.edit_source_button = QPushButton("Edit…")
        self.remove_source_button = QPushButton("Remove")
        self.open_source_button = QPushButton("Open link")
        self.delete_button = QPushButton("Delete claim…")
        self.delete_button.setObjectName("dangerButton")

        self.state_label = QLabel()
        self.state_label.setObjectName("stateLabel")
        self.start_button = QPushButton("Start work")
        self.review_button = QPushButton("Send to review")
        self.back_button = QPushButton("Back to work")
        self.approve_button = QPushButton("Approve")
        self.approve_button.setObjectName("approveButton")
        self.reopen_button = QPushButton("Reopen…")
        self.checklist = QLabel()
        self.checklist.setObjectName("approvalChecklist")
        self.checklist.setWordWrap(True)
        self.checklist.setTextFormat(Qt.TextFormat.PlainText)
        workflow = QHBoxLayout()
        workflow.addWidget(QLabel("State:"))
        workflow.addWidget(self.state_label, 1)
        for button in (self.start_button, self.review_button, self.back_button, self.approve_button, self.reopen_button):
            workflow.addWidget(button)

        self.legend = QLabel()
        self.legend.setObjectName("keyLegend")
        self.legend.setWordWrap(True)
        self.legend.setToolTip("Press a number while the table or the article has focus to set the verdict.")
        form = QHBoxLayout()
        verdict_label = QLabel("&Verdict")
        verdict_label.setBuddy(self.verdict)
        kind_label = QLabel("&Kind")
        kind_label.setBuddy(self.kind)
        form.addWidget(verdict_label)
        form.addWidget(self.verdict, 3)
        form.addWidget(self.conclusion, 3)
        form.addSpacing(12)
        form.addWidget(kind_label)
        form.addWidget(self.kind, 2)
        source_buttons = QHBoxLayout()
        for button in (self.add_source_button, self.edit_source_button, self.remove_source_button, self.open_source_button):
            source_buttons.addWidget(button)
        source_buttons.addStretch(1)
        footer = QHBoxLayout()
        footer.addWidget(self.saved)
        footer.addStretch(1)
        footer.addWidget(self.delete_button)

        layout = QVBoxLayout(page)
        layout.addWidget(self.heading)
        layout.addWidget(self.quote)
        layout.addWidget(self.suggestion)
        layout.addLayout(form)
        layout.addWidget(self.off_scale)
        layout.addWidget(self.legend)
        summary_label = QLabel("Verdict &summary")
        summary_label.setBuddy(self.summary)
        notes_label = QLabel("&Notes")
        notes_label.setBuddy(self.notes)
        layout.addWidget(summary_label)
        layout.addWidget(self.summary)
        layout.addWidget(notes_label)
        layout.addWidget(self.notes)
        layout.addLayout(workflow)
        layout.addWidget(self.checklist)
        sources_page = QWidget()
        sources_layout = QVBoxLayout(sources_page)
        sources_layout.setContentsMargins(0, 4, 0, 0)
        sources_layout.addWidget(self.sources, 1)
        sources_layout.addLayout(source_buttons)
        self.tabs = QTabWidget()
        self.tabs.addTab(sources_page, "Sources")
        self.tabs.addTab(self.history, "History")
        self.tabs.setMinimumHeight(170)
        layout.addWidget(self.tabs, 2)
        layout.addLayout(footer)

        self._save_timer = QTimer(self)
        self._save_timer.setSingleShot(True)
        self._save_timer.setInterval(SAVE_DELAY_MS)
        self._save_timer.timeout.connect(self.flush)

        self.verdict.currentIndexChanged.connect(self._verdict_picked)
        self.conclusion.textEdited.connect(self._text_edited)
        self.kind.currentIndexChanged.connect(self._kind_picked)
        self.start_button.clicked.connect(lambda: self.set_state(State.IN_PROGRESS))
        self.review_button.clicked.connect(lambda: self.set_state(State.IN_REVIEW))
        self.back_button.clicked.connect(lambda: self.set_state(State.IN_PROGRESS))
        self.approve_button.clicked.connect(self.approve)
        self.reopen_button.clicked.connect(self.reopen)
        self.summary.textChanged.connect(self._text_edited)
        self.notes.textChanged.connect(self._text_edited)
        self.sources.itemSelectionChanged.connect(self._update_buttons)
        self.sources.itemDoubleClicked.connect(lambda _item: self.edit_source())
        self.add_source_button.clicked.connect(self.add_source)
        self.edit_source_button.clicked.connect(self.edit_source)
        self.remove_source_button.clicked.connect(self.remove_source)
        self.open_source_button.clicked.connect(self.open_source)
        self.delete_button.clicked.connect(self.delete_claim)
        self.accept_button.clicked.connect(self.accept_claim)
        self.reject_button.clicked.connect(self.reject_claim)
        self.show_claim(None)

    # -- showing --------------------------------------------------------------------------

    @property
    def claim(self) -> Claim | None:
        return self._claim

    def show_claim(self, claim: Claim | None, number: int | None = None, total: int | None = None) -> None:
        self.flush()
        self._claim = claim
        if claim is None:
            self.setCurrentWidget(self.empty)
            return
        self._loading = True
        try:
            self.setCurrentIndex(1)
            place = f"Claim {number} of {total}" if number and total else "Claim"
            self.heading.setText(" · ".join(x for x in (place, _origin(claim), claim.speaker and f"said by {claim.speaker}") if x))
            self.quote.setText(" ".join(claim.quote.split()))
            self._show_fields(claim)
            self.conclusion.setText(claim.conclusion)
            self.summary.setPlainText(claim.summary)
            self.notes.setPlainText(claim.notes)
            self.saved.setText("")
        finally:
            self._loading = False

    def refresh(self, claim: Claim) -> None:
        """Show a newer copy of the current claim without disturbing text being typed."""
        if self._claim is None or claim.id != self._claim.id:
            return
        self._claim = claim
        self._loading = True
        try:
            self._show_fields(claim)
            self.saved.setText("Saved")
        finally:
            self._loading = False

    def _show_fields(self, claim: Claim) -> None:
        """Everything but the text being typed: verdict, kind, workflow, lock, sources, history."""
        self._fill_verdicts(claim)
        self.kind.setCurrentIndex(self.kind.findData(claim.kind))
        self._show_sources(claim.sources)
        self._show_history()
        self._show_workflow(claim)
        self.suggestion.setVisible(not claim.accepted)

    # -- the rating scale and the workflow -------------------------------------------------

    def set_scale(self, scale: RatingScale) -> None:
        """The workspace's scale: what the verdict list and the number keys offer."""
        self._scale = scale
        free = scale.free_text
        self.verdict.setVisible(not free)
        self.conclusion.setVisible(free)
        if free:
            self.legend.setText(f"{scale.name}: write the conclusion as it will be published.")
        else:
            self.legend.setText("  ".join(f"<b>{n}</b>&nbsp;{r.name}" for n, r in enumerate(scale.labels, start=1)))
        if self._claim is not None:
            self._loading = True
            try:
                self._show_fields(self._claim)
            finally:
                self._loading = False

    def _fill_verdicts(self, claim: Claim) -> None:
        self.verdict.clear()
        self.verdict.addItem("No verdict yet", 0)
        for rating in self._scale.labels:
            self.verdict.addItem(swatch(rating.colour), rating.name, rating.id)
        off = not claim.on_scale(self._scale)
        if off and claim.verdict is not None:
            self.verdict.addItem(swatch(claim.verdict.colour), f"⚠ {claim.verdict.name} (another scale)", claim.verdict.id)
        self.verdict.setCurrentIndex(self.verdict.findData(claim.verdict.id if claim.verdict else 0))
        self.off_scale.setVisible(off)
        if off:
            self.off_scale.setText(
                f"⚠ “{claim.verdict_name}” is not on this workspace's scale ({self._scale.name})."
                " It is kept; choose a verdict from the scale before approval."
            )

    def _show_workflow(self, claim: Claim) -> None:
        state = claim.state
        who = [f"verdict by {claim.verdict_by}"] if claim.verdict_by and claim.has_verdict else []
        if claim.locked:
            who.append(f"approved by {claim.approved_by}")
        self.state_label.setText(" · ".join([f"<b>{state.label}</b>", *who]))
        self.start_button.setVisible(state is State.NOT_STARTED)
        self.review_button.setVisible(state in (State.NOT_STARTED, State.IN_PROGRESS))
        self.back_button.setVisible(state is State.IN_REVIEW)
        self.approve_button.setVisible(state is State.IN_REVIEW)
        self.reopen_button.setVisible(state is State.APPROVED)
        reviewer = self._bench.actor
        # Only what the claim lacks: the state is shown above, and a reviewer is asked for at sign-off.
        problems = [p for p in approval_problems(claim, self._scale, reviewer or "?")
                    if p != "send it to review first"]
        if claim.locked:
            when = f" on {claim.approved_at:%d %b %Y %H:%M}" if claim.approved_at else ""
            text = f"Approved by {claim.approved_by}{when}. Locked: reopen it, with a reason, to change it."
        elif problems:
            text = "Before approval: " + "; ".join(problems) + "."
        elif state is State.IN_REVIEW:
            text = f"✓ Ready for sign-off by {reviewer}."
        else:
            text = "✓ Verdict and sources are enough for approval; send it to review."
        self.checklist.setText(text)
        self.approve_button.setEnabled(not problems)
        self.approve_button.setToolTip("; ".join(problems) or f"Sign off as {reviewer}")
        locked = claim.locked
        for widget in (self.verdict, self.conclusion, self.kind, self.add_source_button, self.delete_button):
            widget.setEnabled(not locked)
        for text in (self.summary, self.notes):
            if text.isReadOnly() != locked:
                text.setReadOnly(locked)
                text.style().unpolish(text)  # the style sheet greys read-only text; re-read it
                text.style().polish(text)
        self._update_buttons()

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

    def _show_sources(self, sources: tuple[Source, ...]) -> None:
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
        self.tabs.setTabText(0, f"Sources ({len(sources)})")
        self._update_buttons()

    def _update_buttons(self) -> None:
        has = bool(self.sources.selectedItems())
        locked = self._claim is not None and self._claim.locked
        for button in (self.edit_source_button, self.remove_source_button):
            button.setEnabled(has and not locked)
        self.open_source_button.setEnabled(has)

    # -- writing: every change is an undoable command --------------------------------------

    def _push(self, command: QUndoCommand) -> None:
        self._target.push(command)

    def _show_history(self) -> None:
        self.history.clear()
        if self._claim is None:
            return
        try:
            entries = self._bench.history(self._claim.id)
        except NotFound:
            return
        for entry in reversed(entries):  # newest first, as a log is read
            self.history.addItem(f"{entry.at:%d %b %Y %H:%M} · {entry.actor}\n{entry.describe()}")

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

    def _verdict_picked(self) -> None:
        if self._loading or self._claim is None:
            return
        rating_id = int(self.verdict.currentData() or 0)
        self.set_verdict(self._bench.rating(rating_id) if rating_id else None)

    def _kind_picked(self) -> None:
        if self._loading or self._claim is None:
            return
        kind = Kind(self.kind.currentData())
        self._push(undo.EditClaim(self._target, self._claim, {"kind": kind}, f"Set kind to {kind.label}"))

    def _text_edited(self) -> None:
        if self._loading or self._claim is None:
            return
        self.saved.setText("Editing…")
        self._save_timer.start()

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
        typed = {"summary": self.summary.toPlainText(), "notes": self.notes.toPlainText()}
        if self._scale.free_text:
            typed["conclusion"] = self.conclusion.text().strip()
        changed = {field: value for field, value in typed.items() if getattr(claim, field) != value}
        if changed and claim.locked:
            return  # read-only fields: nothing can have been typed
        if changed:
            names = {"summary": "verdict summary", "notes": "notes", "conclusion": "conclusion"}
            what = names[next(iter(changed))] if len(changed) == 1 else "text"
            changed = one_verdict(claim, changed)  # a conclusion replaces a label; undo restores it
            self._push(undo.EditClaim(self._target, claim, changed, f"Edit {what}"))

    def _selected_source(self) -> Source | None:
        items = self.sources.selectedItems()
        if self._claim is None or not items:
            return None
        source_id = items[0].data(Qt.ItemDataRole.UserRole)
        return next((s for s in self._claim.sources if s.id == source_id), None)

    def add_source(self) -> None:
        if self._claim is None:
            return
        value = dialogs.SourceDialog.ask(self)
        if value is None:
            return
        try:
            source_url(value.url)  # checked before the command, so a refused link never enters the stack
        except ValidationError as exc:
            dialogs.show_error(self, str(exc))
            return
        self._push(undo.AddSource(self._target, self._claim.id, asdict(value)))
        self.sources.setCurrentRow(self.sources.count() - 1)

    def edit_source(self) -> None:
        current = self._selected_source()
        if current is None:
            return
        value = dialogs.SourceDialog.ask(self, current)
        if value is None:
            return
        after = {k: v for k, v in asdict(value).items() if getattr(current, k) != v}
        if after:
            self._push(undo.EditSource(self._target, current, after))

    def remove_source(self) -> None:
        current = self._selected_source()
        if current is not None:
            self._push(undo.RemoveSource(self._target, current))

    def open_source(self) -> None:
        current = self._selected_source()
        if current is None:
            return
        try:
            source_url(current.url)  # only http(s) is ever handed to the browser
        except ValidationError as exc:
            dialogs.show_error(self, str(exc))
            return
        QDesktopServices.openUrl(QUrl(current.url))

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
