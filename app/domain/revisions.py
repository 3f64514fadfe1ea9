"""Revisions of an article and where each claim stands in the current one: plain types."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum


class Anchor(StrEnum):
    """Where a claim stands in its article's current revision."""

    ANCHORED = "anchored"
    CHANGED = "changed"  # the text at its place differs: a person takes the new span or orphans it
    ORPHANED = "orphaned"  # not in this revision: kept with its quote, listed under "Not in this revision"

    @property
    def label(self) -> str:
        return ANCHOR_LABELS[self]


ANCHOR_LABELS = {Anchor.ANCHORED: "Anchored", Anchor.CHANGED: "Changed, confirm", Anchor.ORPHANED: "Not in this revision"}


@dataclass(frozen=True, slots=True)
class Revision:
    """One version of an article's text. The newest is the article's text; earlier ones are read-only."""

    article_id: int
    number: int
    text: str
    imported_at: datetime | None = None
    source_url: str = ""
    title: str = ""


@dataclass(frozen=True, slots=True)
class CarryOver:
    """What importing a new revision did to the article's claims."""

    article_id: int
    revision: int
    anchored: int = 0
    changed: int = 0
    orphaned: int = 0
    reopened: int = 0  # approved claims whose text changed: back in review
    dropped: int = 0  # untouched detector suggestions that did not anchor (detection proposes afresh)
    suggested: int = 0  # new suggestions from detection on the new revision

    def describe(self) -> str:
        parts = [f"{self.anchored} anchored", f"{self.changed} changed (confirm)", f"{self.orphaned} not in this revision"]
        if self.reopened:
            parts.append(f"{self.reopened} approved claim(s) back in review")
        parts.append(f"{self.suggested} new suggestions")
        return f"Revision {self.revision}: " + ", ".join(parts) + "."
