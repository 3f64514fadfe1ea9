"""What the detector proposes: a claim's kind and a detected span. Kept apart from the rest of the
domain so that app.detection imports only this (the whole domain's dataclasses cost ~20 ms)."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class Kind(StrEnum):
    """What sort of fact a claim states. A fixed vocabulary, documented in the README."""

    QUANTITY = "quantity"
    PERCENTAGE = "percentage"
    DATE = "date"
    TREATY = "treaty"
    UN_RESOLUTION = "un_resolution"
    MEMBERSHIP = "membership"
    EVENT = "event"
    GEOGRAPHY = "geography"
    ATTRIBUTION = "attribution"
    COMPARISON = "comparison"
    OTHER = "other"

    @property
    def label(self) -> str:
        return "UN resolution" if self is Kind.UN_RESOLUTION else self.value.capitalize()


@dataclass(frozen=True, slots=True)
class DetectedClaim:
    """A span the detector proposes as a checkable claim. Offsets index the text given."""

    start: int
    end: int
    quote: str
    kind: Kind
    score: float
    lang: str | None = None
    speaker: str | None = None
    from_comment: bool = False
