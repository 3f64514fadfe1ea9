"""Evidence kept on a claim: a side-by-side comparison of two passages, or a figures check.

Plain data, stored by app.storage and computed by app.evidence; the report and the panel show it.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum


class EvidenceKind(StrEnum):
    COMPARISON = "comparison"  # two passages side by side, with a word-level diff
    NUMBERS = "numbers"  # the claim's figures against a source's quoted passage

    @property
    def label(self) -> str:
        return "Passage comparison" if self is EvidenceKind.COMPARISON else "Figures check"


@dataclass(frozen=True, slots=True)
class Passage:
    """A stretch of text and where it comes from: "Article 5, North Atlantic Treaty" + its link."""

    text: str
    label: str = ""
    url: str = ""


@dataclass(frozen=True, slots=True)
class DiffOp:
    """One run of a word-level diff: "equal", "left" (only in the left passage), "right"
    (only in the right one) or "replace" (left words where the right has others)."""

    op: str
    left: str = ""
    right: str = ""


@dataclass(frozen=True, slots=True)
class Evidence:
    """One piece of evidence saved on a claim. For a comparison, `diff` holds the word-level
    runs; for a figures check, `figures` holds one line per figure ("claim: …; source: …")."""

    id: int
    claim_id: int
    kind: EvidenceKind
    left: Passage
    right: Passage
    summary: str  # the plain sentence a reader sees
    similarity: float | None = None  # 0..1, comparisons only
    diff: tuple[DiffOp, ...] = ()
    figures: tuple[str, ...] = ()
    mismatch: bool = False  # a figure disagrees: a hint, never a verdict
    created_by: str = ""
    created_at: datetime | None = None
