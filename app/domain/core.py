"""The domain's claims, sources, scales, articles and history, and the rules over them. Imported
through app.domain (which loads this module on first use of one of its names)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import date, datetime, timedelta
from enum import StrEnum
from typing import Any
from urllib.parse import urlsplit

from app.domain.kinds import Kind
from app.domain.links import SourceHealth
from app.domain.revisions import Anchor


class State(StrEnum):
    """Where a claim is in the newsroom's workflow. The verdict is separate: see Rating."""

    NOT_STARTED = "not_started"
    IN_PROGRESS = "in_progress"
    IN_REVIEW = "in_review"
    APPROVED = "approved"

    @property
    def label(self) -> str:
        return self.value.replace("_", " ").capitalize()

    @property
    def colour(self) -> str:
        """Highlight of a claim without a verdict yet."""
        return STATE_COLOURS[self]


STATE_COLOURS: dict[State, str] = {
    State.NOT_STARTED: "#fff1a8",
    State.IN_PROGRESS: "#c9defc",
    State.IN_REVIEW: "#c9defc",
    State.APPROVED: "#c9defc",
}
CONCLUSION_COLOUR = "#dfe6ee"  # a free-text conclusion has no colour of its own


@dataclass(frozen=True, slots=True)
class Rating:
    """One label of a rating scale: "Mostly true", "Pants on fire". Stored as data, not code."""

    id: int
    scale: str
    key: str
    name: str
    colour: str = "#d9d9d9"
    value: int | None = None  # ordinal: higher is truer; None for labels outside the order
    final: bool = True  # a verdict that can be published; approval needs one
    alternate_name: str = ""  # ClaimReview's reviewRating.alternateName

    @property
    def published_name(self) -> str:
        return self.alternate_name or self.name


@dataclass(frozen=True, slots=True)
class RatingScale:
    """A workspace's verdict vocabulary. A free-text scale (Full Fact's style) has no labels:
    the verdict is a short written conclusion."""

    key: str
    name: str
    labels: tuple[Rating, ...] = ()
    free_text: bool = False

    def rating(self, key: str) -> Rating | None:
        return next((r for r in self.labels if r.key == key or r.name.lower() == key.lower()), None)

    @property
    def bounds(self) -> tuple[int, int] | None:
        """(worst, best) ordinal values, for ClaimReview's worstRating and bestRating."""
        values = [r.value for r in self.labels if r.value is not None]
        return (min(values), max(values)) if values else None


class Origin(StrEnum):
    """Who proposed a claim: the detector or the fact-checker."""

    DETECTED = "detected"
    MANUAL = "manual"


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
    version: int = 1  # optimistic concurrency: pass it back as expected_version when writing
    health: SourceHealth | None = None  # the link's last check, snapshot and archive copy (app.domain.links)


@dataclass(frozen=True, slots=True)
class Claim:
    id: int
    article_id: int
    start: int
    end: int
    quote: str
    kind: Kind
    state: State = State.NOT_STARTED
    verdict: Rating | None = None
    conclusion: str = ""  # the verdict on a free-text scale
    verdict_by: str = ""  # who set the verdict; someone else must approve it
    approved_by: str = ""
    approved_at: datetime | None = None
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
    version: int = 1  # bumped by every change to the claim or its sources; see Conflict
    number: int = 0
    """The claim's public number in its article ("3#5" is claim 5 of article 3): given once, in
    text order at import, then in order of arrival; never changed, never given again, whatever is
    rejected or deleted. What the window, every report and the command line show. 0: not stored."""
    anchor: Anchor = Anchor.ANCHORED
    """Where the claim stands in the article's current revision (app.domain.revisions). CHANGED:
    start/end is the new wording to confirm, `quote` the old one. ORPHANED: start/end mean nothing."""
    anchor_note: str = ""  # why it is changed or orphaned ("its figures changed"), for the panel
    suggest_start: int | None = None  # an orphan's nearest candidate in the current text: offered, never taken
    suggest_end: int | None = None

    @property
    def in_text(self) -> bool:
        """Does the claim have a place in the current revision's text (to highlight, to select)?"""
        return self.anchor is not Anchor.ORPHANED

    @property
    def label(self) -> str:
        """How a person names the claim: "#5" (its public number), or its id before it has one."""
        return f"#{self.number}" if self.number else f"id {self.id}"

    @property
    def has_verdict(self) -> bool:
        return self.verdict is not None or bool(self.conclusion)

    @property
    def verdict_name(self) -> str:
        """The verdict as a reader sees it: a label's name or the written conclusion."""
        if self.verdict is not None:
            return self.verdict.name
        return self.conclusion

    @property
    def colour(self) -> str:
        """Background of the claim's highlight, light enough to read black text on."""
        if self.verdict is not None:
            return self.verdict.colour
        return CONCLUSION_COLOUR if self.conclusion else self.state.colour

    @property
    def needs_work(self) -> bool:
        """Not yet handed to review: what "next claim that needs work" stops at."""
        return self.state in (State.NOT_STARTED, State.IN_PROGRESS)

    @property
    def locked(self) -> bool:
        return self.state is State.APPROVED

    def on_scale(self, scale: RatingScale) -> bool:
        """False when the verdict belongs to another scale than the workspace's: shown, and flagged."""
        if self.verdict is not None:
            return self.verdict.scale == scale.key
        return not self.conclusion or scale.free_text


def touched(claim: Claim) -> bool:
    """Has the fact-checker worked on this claim? Re-running detection never drops such a claim."""
    return (
        claim.accepted
        or claim.origin is Origin.MANUAL
        or claim.state is not State.NOT_STARTED
        or claim.has_verdict
        or bool(claim.summary or claim.notes or claim.sources)
    )


def publisher_of(source: Source) -> str:
    """Who stands behind a source: its publisher, else the site it is on (www. aside)."""
    if source.publisher.strip():
        return " ".join(source.publisher.lower().split())
    host = urlsplit(source.url).hostname or source.url
    return host.removeprefix("www.")


def missing_sources(sources: tuple[Source, ...]) -> str | None:
    """What the sources lack for an approval: one primary source, or two independent ones."""
    if any(s.kind is SourceKind.PRIMARY for s in sources):
        return None
    if len({publisher_of(s) for s in sources}) >= 2:
        return None
    if not sources:
        return "it has no sources: add a primary source, or two from different publishers"
    return "add a primary source, or a second source from another publisher"


def approval_problems(claim: Claim, scale: RatingScale, reviewer: str) -> list[str]:
    """Everything that stands between this claim and its approval by this reviewer, in the order
    a fact-checker fixes them. Empty: it can be approved."""
    if claim.state is State.APPROVED:
        return [f"it is already approved by {claim.approved_by or 'a reviewer'}"]
    problems = []
    if not claim.has_verdict:
        problems.append("it has no verdict yet")
    elif not claim.on_scale(scale):
        problems.append(f"its verdict “{claim.verdict_name}” is not on the {scale.name} scale")
    elif claim.verdict is not None and not claim.verdict.final:
        problems.append(f"“{claim.verdict.name}” is not a final verdict")
    sources = missing_sources(claim.sources)
    if sources:
        problems.append(sources)
    if claim.state is not State.IN_REVIEW:
        problems.append("send it to review first")
    if not reviewer.strip():
        problems.append("the reviewer has no name")
    elif claim.verdict_by and claim.verdict_by.strip().lower() == reviewer.strip().lower():
        problems.append(f"{reviewer} set the verdict, so someone else must approve it")
    return problems


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
    version: int = 1  # bumped by a change of its details or a re-run of detection


@dataclass(frozen=True, slots=True)
class SearchHit:
    """A claim found by the search box, in any article."""

    claim_id: int
    article_id: int
    article_title: str
    quote: str
    state: State
    verdict: str  # the verdict's name, or "" when there is none yet


TYPED_FIELDS = frozenset({"summary", "notes", "conclusion"})
"""Fields saved while the user types: one entry per pause in the log, one per sitting shown."""
TYPING_SESSION = timedelta(minutes=5)
"""Saves of one field closer together than this, with nothing else in between, are one sitting."""


def merge_typing(entries: Sequence[HistoryEntry], gap: timedelta = TYPING_SESSION) -> list[HistoryEntry]:
    """The history as a person reads it: consecutive saves of one typed field of a claim by one
    person, each within `gap` of the last, shown as one change from the first old value to the
    last new one ("summary: About 3,000 → About 3,000 troops at Gyumri"). Only what the same save
    recorded (the claim starting work on its first save) may lie between them. The log keeps all."""
    shown: list[HistoryEntry] = []
    for entry in entries:
        k = len(shown) - 1
        while k >= 0 and shown[k].field != entry.field:
            k -= 1
        if k >= 0 and entry.field in TYPED_FIELDS and entry.entity == "claim":
            last = shown[k]
            same_save = all(e.version is not None and e.version == last.version for e in shown[k + 1 :])
            if (
                same_save
                and last.entity == "claim"
                and (entry.claim_id, entry.actor) == (last.claim_id, last.actor)
                and timedelta(0) <= entry.at - last.at <= gap
            ):
                del shown[k]
                entry = replace(entry, old_value=last.old_value)
        shown.append(entry)
    return shown


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
    version: int | None = None  # the claim's version after this change (None before migration 0008)

    def describe(self, width: int = 60) -> str:
        """One line a person reads: "status: unverified → disputed", "source added: https://…"."""
        what = "source" if self.entity == "source" and self.field == "source" else (
            f"source {self.field}" if self.entity == "source" else self.field
        )
        old, new = self.old_value, self.new_value
        if self.field in ("status", "kind", "state"):
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


def one_verdict(claim: Claim, change: dict[str, Any]) -> dict[str, Any]:
    """One verdict at a time: a label replaces a written conclusion, a conclusion replaces a
    label (from another scale). Returns `change` plus the clearing it implies for this claim,
    so the service, the panel and its undo all apply the same rule. Keys: "verdict" (a Rating
    or None), "conclusion" (text); a key left out is left alone."""
    out = dict(change)
    if out.get("verdict") is not None and "conclusion" not in out and claim.conclusion:
        out["conclusion"] = ""
    if out.get("conclusion") and "verdict" not in out and claim.verdict is not None:
        out["verdict"] = None
    return out
