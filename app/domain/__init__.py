"""Plain domain types shared by every layer: no Qt, no SQLAlchemy."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
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


class Status(StrEnum):
    """Where a claim stands in verification."""

    UNVERIFIED = "unverified"
    IN_PROGRESS = "in_progress"
    VERIFIED = "verified"
    DISPUTED = "disputed"
    MISLEADING = "misleading"
    FALSE = "false"
    UNVERIFIABLE = "unverifiable"

    @property
    def label(self) -> str:
        return self.value.replace("_", " ").capitalize()

    @property
    def colour(self) -> str:
        """Background colour of the claim's highlight, light enough to read black text on."""
        return STATUS_COLOURS[self]

    @property
    def resolved(self) -> bool:
        """A resolved claim has a verdict; the other two are still work to do."""
        return self not in (Status.UNVERIFIED, Status.IN_PROGRESS)


STATUS_COLOURS: dict[Status, str] = {
    Status.UNVERIFIED: "#fff1a8",
    Status.IN_PROGRESS: "#c9defc",
    Status.VERIFIED: "#bfe8c3",
    Status.DISPUTED: "#ffd2a1",
    Status.MISLEADING: "#e9cdf5",
    Status.FALSE: "#f7b0b0",
    Status.UNVERIFIABLE: "#d9d9d9",
}


class Origin(StrEnum):
    """Who proposed a claim: the detector or the fact-checker."""

    DETECTED = "detected"
    MANUAL = "manual"


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


class SourceKind(StrEnum):
    """What a source is; a primary document or official statistics weigh most."""

    PRIMARY = "primary"
    STATISTICS = "statistics"
    EXPERT = "expert"
    NEWS = "news"
    OTHER = "other"

    @property
    def label(self) -> str:
        return SOURCE_KIND_LABELS[self]


SOURCE_KIND_LABELS = {
    SourceKind.PRIMARY: "Primary document",
    SourceKind.STATISTICS: "Official statistics",
    SourceKind.EXPERT: "Expert",
    SourceKind.NEWS: "News",
    SourceKind.OTHER: "Other",
}


class Stance(StrEnum):
    """What a source does for the claim."""

    SUPPORTS = "supports"
    REFUTES = "refutes"
    CONTEXT = "context"

    @property
    def label(self) -> str:
        return "Gives context" if self is Stance.CONTEXT else self.value.capitalize()


@dataclass(frozen=True, slots=True)
class Source:
    id: int
    claim_id: int
    url: str
    title: str = ""
    publisher: str = ""
    note: str = ""
    accessed: date | None = None
    kind: SourceKind = SourceKind.OTHER
    stance: Stance = Stance.CONTEXT
    passage: str = ""
    archived_url: str = ""


@dataclass(frozen=True, slots=True)
class Claim:
    id: int
    article_id: int
    start: int
    end: int
    quote: str
    kind: Kind
    status: Status = Status.UNVERIFIED
    score: float | None = None
    origin: Origin = Origin.DETECTED
    context_before: str = ""
    context_after: str = ""
    speaker: str = ""
    lang: str | None = None
    from_comment: bool = False
    accepted: bool = True
    summary: str = ""
    notes: str = ""
    created_at: datetime | None = None
    updated_at: datetime | None = None
    sources: tuple[Source, ...] = ()


def touched(claim: Claim) -> bool:
    """Has the fact-checker worked on this claim? Re-running detection never drops such a claim."""
    return (
        claim.accepted
        or claim.origin is Origin.MANUAL
        or claim.status is not Status.UNVERIFIED
        or bool(claim.summary or claim.notes or claim.sources)
    )


@dataclass(frozen=True, slots=True)
class ArticleSummary:
    """One row of the article list: enough to show it without loading the text."""

    id: int
    title: str
    claim_count: int
    resolved_count: int
    imported_at: datetime | None = None


@dataclass(frozen=True, slots=True)
class Article:
    id: int
    title: str
    text: str
    text_hash: str
    source_url: str = ""
    outlet: str = ""
    author: str = ""
    published: date | None = None
    imported_at: datetime | None = None


@dataclass(frozen=True, slots=True)
class SearchHit:
    """A claim found by the search box, in any article."""

    claim_id: int
    article_id: int
    article_title: str
    quote: str
    status: Status


@dataclass(frozen=True, slots=True)
class HistoryEntry:
    """One recorded change: who changed which field of a claim or source, when, from what to what."""

    id: int
    claim_id: int
    entity: str
    entity_id: int
    field: str
    old_value: str | None
    new_value: str | None
    actor: str
    at: datetime

    def describe(self, width: int = 60) -> str:
        """One line a person reads: "status: unverified → disputed", "source added: https://…"."""
        what = "source" if self.entity == "source" and self.field == "source" else (
            f"source {self.field}" if self.entity == "source" else self.field
        )
        old, new = self.old_value, self.new_value
        if self.field in ("status", "kind"):
            old = old and old.replace("_", " ")
            new = new and new.replace("_", " ")
        if old is None:
            return f"{what} added: {clip(new or '', width)}" if what == "source" else f"{what}: {clip(new or '', width)}"
        if new is None:
            return f"{what} removed: {clip(old, width)}"
        half = max(width // 2 - 2, 8)
        return f"{what}: {clip(old, half) or '(empty)'} → {clip(new, half) or '(empty)'}"


def clip(text: str, width: int) -> str:
    """Text on one line, cut to width with an ellipsis: for tables, messages and logs."""
    text = " ".join(text.split())
    return text if len(text) <= width else text[: width - 1] + "…"


@dataclass(frozen=True, slots=True)
class ChangeSet:
    """What a write touched, so each screen can decide what to redraw."""

    article_ids: frozenset[int] = field(default_factory=frozenset)
    claim_ids: frozenset[int] = field(default_factory=frozenset)
    claims_added: frozenset[int] = field(default_factory=frozenset)
    claims_removed: frozenset[int] = field(default_factory=frozenset)
    articles_added: frozenset[int] = field(default_factory=frozenset)
