"""The top of the claim panel: where the claim stands in the article, who else has it open (team
mode), its quote, and the detector's offer."""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget

from app.domain import Claim
from app.ui.claims_model import also_open


def _origin(claim: Claim) -> str:
    if claim.origin.value == "manual":
        return "marked by you"
    return "detected in a reader comment" if claim.from_comment else "detected"


class ClaimHeader(QWidget):
    """Heading, quote and the suggestion bar; says when the user accepts or rejects a suggestion."""

    acceptRequested = Signal()  # noqa: N815 (Qt signal naming)
    rejectRequested = Signal()  # noqa: N815 (Qt signal naming)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.heading = QLabel()
        self.heading.setObjectName("claimHeading")
        # Quiet, never a lock: two people may well look at one claim, but should know it.
        self.viewers = QLabel()
        self.viewers.setObjectName("viewersLabel")
        self.viewers.setTextFormat(Qt.TextFormat.PlainText)
        self.viewers.setToolTip("Someone else on the team has this claim open now: agree who checks it.")
        self.viewers.hide()
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
        self.hint = QLabel("Suggested by the detector.")
        self.hint.setObjectName("suggestionHint")
        bar.addWidget(self.hint, 1)
        bar.addWidget(self.accept_button)
        bar.addWidget(self.reject_button)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.heading)
        layout.addWidget(self.viewers)
        layout.addWidget(self.quote)
        layout.addWidget(self.suggestion)
        self.accept_button.clicked.connect(self.acceptRequested)
        self.reject_button.clicked.connect(self.rejectRequested)

    def show_claim(self, claim: Claim, number: int | None, total: int | None) -> None:
        """number: the claim's place among the `total` claims shown; the heading also gives its
        public number, the one reports and the command line use ("Claim #5 · 3 of 20")."""
        name = f"Claim #{claim.number}" if claim.number else "Claim"
        place = f"{name} · {number} of {total}" if number and total else name
        self.heading.setText(" · ".join(x for x in (place, _origin(claim), claim.speaker and f"said by {claim.speaker}") if x))
        self.quote.setText(" ".join(claim.quote.split()))
        # The score says how sure the detector is, so a weak suggestion is weighed as one.
        score = f" (check-worthiness {claim.score:.2f})" if claim.score is not None else ""
        self.hint.setText(f"Suggested by the detector{score}.")
        self.show_accepted(claim.accepted)

    def show_accepted(self, accepted: bool) -> None:
        self.suggestion.setVisible(not accepted)

    def show_viewers(self, logins: Sequence[str]) -> None:
        """Other people's windows that have this claim open (team mode); none: the line goes."""
        self.viewers.setText(also_open(logins) if logins else "")
        self.viewers.setVisible(bool(logins))
