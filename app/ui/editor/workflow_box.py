"""The workflow half of the claim panel: the state, its buttons, and what approval still lacks."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget

from app.domain import Claim, RatingScale, State, approval_problems


class WorkflowBox(QWidget):
    """Shows where a claim stands (not started → in progress → in review → approved) and asks to move it."""

    stateRequested = Signal(object)  # noqa: N815 (Qt signal naming) -- a State
    approveRequested = Signal()  # noqa: N815 (Qt signal naming)
    reopenRequested = Signal()  # noqa: N815 (Qt signal naming)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
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
        row = QHBoxLayout()
        row.addWidget(QLabel("State:"))
        row.addWidget(self.state_label, 1)
        for button in (self.start_button, self.review_button, self.back_button, self.approve_button, self.reopen_button):
            row.addWidget(button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(row)
        layout.addWidget(self.checklist)

        self.start_button.clicked.connect(lambda: self.stateRequested.emit(State.IN_PROGRESS))
        self.review_button.clicked.connect(lambda: self.stateRequested.emit(State.IN_REVIEW))
        self.back_button.clicked.connect(lambda: self.stateRequested.emit(State.IN_PROGRESS))
        self.approve_button.clicked.connect(self.approveRequested)
        self.reopen_button.clicked.connect(self.reopenRequested)

    def show_claim(self, claim: Claim, scale: RatingScale, reviewer: str) -> None:
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
        # Only what the claim lacks: the state is shown above, and a reviewer is asked for at sign-off.
        problems = [p for p in approval_problems(claim, scale, reviewer or "?") if p != "send it to review first"]
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
