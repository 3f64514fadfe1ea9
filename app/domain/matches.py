"""An earlier check of the same claim, as the matcher found it (app.matching, app.services.matching)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime


@dataclass(frozen=True, slots=True)
class EarlierCheck:
    """A claim with a verdict, in another article, that says what the claim or text asked about does.

    `score` is the matcher's probability that the two are the same claim; `same` says it passed
    the calibrated threshold (precision >= 0.99 measured), otherwise the match is only "similar"."""

    claim_id: int
    article_id: int
    article_title: str
    number: int
    quote: str
    verdict: str  # the label's name, or the written conclusion
    colour: str  # the label's colour; "" for a written conclusion
    checked: datetime | None  # approved, else last changed
    summary: str
    sources: int
    score: float
    same: bool

    @property
    def label(self) -> str:
        """How the command line and the reports name it: "3#5"."""
        return f"{self.article_id}#{self.number}" if self.number else f"id {self.claim_id}"

    @property
    def kind(self) -> str:
        return "same claim" if self.same else "similar"
