"""The report model: an article and its reviewed claims, as every export format shows them."""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime
from itertools import pairwise
from urllib.parse import urlsplit

from app.domain import Article, Claim, Kind, Source, SourceKind, Stance, Status

INCLUDE_CHOICES = ("all", "resolved")


def is_web_link(url: str) -> bool:
    """True for an absolute http(s) URL: the only kind a report turns into a link."""
    try:
        parts = urlsplit(url.strip())
    except ValueError:
        return False
    return parts.scheme.lower() in ("http", "https") and bool(parts.netloc)


@dataclass(frozen=True, slots=True)
class ArticleInfo:
    title: str
    outlet: str = ""
    author: str = ""
    source_url: str = ""
    published: date | None = None

    @property
    def source_is_link(self) -> bool:
        return is_web_link(self.source_url)


@dataclass(frozen=True, slots=True)
class StatusCount:
    status: Status
    count: int
    share: float
    """Fraction of the report's claims, 0..1."""

    @property
    def label(self) -> str:
        return self.status.label

    @property
    def colour(self) -> str:
        return self.status.colour


@dataclass(frozen=True, slots=True)
class Segment:
    """A run of article text: plain, or part of the claim it is highlighted for."""

    text: str
    number: int | None = None
    status: Status | None = None
    marks: tuple[int, ...] = ()
    """Claims whose reference number follows this run: each claim gets exactly one."""

    @property
    def colour(self) -> str | None:
        return self.status.colour if self.status is not None else None


@dataclass(frozen=True, slots=True)
class ReportSource:
    """A source as a reader sees it. Kind, stance, passage and archived copy are optional: a
    source stored before they existed (or a domain without them) simply leaves them empty."""

    url: str
    title: str = ""
    publisher: str = ""
    note: str = ""
    accessed: date | None = None
    kind: SourceKind | None = None
    stance: Stance | None = None
    passage: str = ""
    archived_url: str = ""

    @property
    def is_link(self) -> bool:
        return is_web_link(self.url)

    @property
    def href(self) -> str:
        return self.url.strip()

    @property
    def archive_is_link(self) -> bool:
        return is_web_link(self.archived_url)

    @property
    def archive_href(self) -> str:
        return self.archived_url.strip()

    @property
    def kind_label(self) -> str:
        if self.kind is None or self.kind is SourceKind.OTHER:
            return ""
        return self.kind.label

    @property
    def stance_label(self) -> str:
        return self.stance.label if self.stance is not None else ""


@dataclass(frozen=True, slots=True)
class ReportClaim:
    number: int
    start: int
    end: int
    quote: str
    kind: Kind
    status: Status
    summary: str
    """The public rationale of the verdict. Private working notes never reach a report."""
    sources: tuple[ReportSource, ...]
    speaker: str = ""
    """Who made the claim, when known."""

    @property
    def anchor(self) -> str:
        return f"claim-{self.number}"

    @property
    def kind_label(self) -> str:
        return self.kind.label

    @property
    def status_label(self) -> str:
        return self.status.label

    @property
    def colour(self) -> str:
        return self.status.colour


@dataclass(frozen=True, slots=True)
class Report:
    article: ArticleInfo
    text: str
    generated_at: datetime
    included: str
    """"all", or "resolved" when claims still under review were left out."""
    omitted: int
    by_status: tuple[StatusCount, ...]
    """Every status in enum order, counted over the claims the report includes."""
    segments: tuple[Segment, ...]
    """The whole article text, in order: joining the segments' text gives it back."""
    claims: tuple[ReportClaim, ...]

    @property
    def total(self) -> int:
        return len(self.claims)

    @property
    def resolved(self) -> int:
        return sum(1 for claim in self.claims if claim.status.resolved)


def build_report(
    article: Article,
    claims: Sequence[Claim],
    *,
    generated_at: datetime | None = None,
    include: str = "all",
) -> Report:
    """Number the claims in text order and split the article text for highlighting."""
    if include not in INCLUDE_CHOICES:
        raise ValueError(f"include must be one of {', '.join(INCLUDE_CHOICES)}, not {include!r}")
    kept = [c for c in claims if include == "all" or c.status.resolved]
    # Longer spans first on a tie, so that a claim nested at the same start is the one overlapped.
    kept.sort(key=lambda c: (c.start, -c.end, c.id))
    report_claims = tuple(_report_claim(number, claim) for number, claim in enumerate(kept, 1))
    counts = Counter(c.status for c in report_claims)
    total = len(report_claims)
    by_status = tuple(
        StatusCount(status, counts[status], counts[status] / total if total else 0.0)
        for status in Status
    )
    return Report(
        article=ArticleInfo(
            title=article.title,
            outlet=article.outlet,
            author=article.author,
            source_url=article.source_url,
            published=article.published,
        ),
        text=article.text,
        generated_at=generated_at or datetime.now(UTC).replace(microsecond=0),
        included=include,
        omitted=len(claims) - len(kept),
        by_status=by_status,
        segments=split_segments(article.text, report_claims),
        claims=report_claims,
    )


def _report_claim(number: int, claim: Claim) -> ReportClaim:
    return ReportClaim(
        number=number,
        start=claim.start,
        end=claim.end,
        quote=claim.quote,
        kind=claim.kind,
        status=claim.status,
        summary=claim.summary,
        sources=tuple(_report_source(s) for s in claim.sources),
        speaker=" ".join(claim.speaker.split()),
    )


def _report_source(source: Source) -> ReportSource:
    # getattr: these fields arrived with a schema change; a report must not depend on them.
    kind = getattr(source, "kind", None)
    stance = getattr(source, "stance", None)
    return ReportSource(
        url=source.url,
        title=source.title,
        publisher=source.publisher,
        note=source.note,
        accessed=source.accessed,
        kind=SourceKind(kind) if kind else None,
        stance=Stance(stance) if stance else None,
        passage=getattr(source, "passage", "") or "",
        archived_url=getattr(source, "archived_url", "") or "",
    )


def split_segments(text: str, claims: Sequence[ReportClaim]) -> tuple[Segment, ...]:
    """Cut the text into plain and highlighted runs; claims must be in text order.

    Where claims overlap, the earlier one keeps the shared text, so no character is shown twice;
    a claim wholly inside another is not highlighted but still gets its number at its end.
    Offsets outside the text are clamped rather than trusted.
    """
    size = len(text)
    spans: list[tuple[int, int, ReportClaim]] = []
    marks: dict[int, list[int]] = {}
    covered = 0
    for claim in claims:
        start = min(max(claim.start, 0), size)
        end = min(max(claim.end, start), size)
        marks.setdefault(end, []).append(claim.number)
        if end > covered:
            spans.append((max(start, covered), end, claim))
            covered = end

    cuts = sorted({0, size, *marks, *(s for s, _, _ in spans), *(e for _, e, _ in spans)})
    segments: list[Segment] = []
    if 0 in marks:
        # Only empty claims at the very start end at 0; give their numbers an empty run to follow.
        segments.append(Segment("", marks=tuple(marks[0])))
    span_index = 0
    for left, right in pairwise(cuts):
        while span_index < len(spans) and spans[span_index][1] <= left:
            span_index += 1
        owner = None
        if span_index < len(spans) and spans[span_index][0] <= left:
            owner = spans[span_index][2]
        segments.append(
            Segment(
                text[left:right],
                number=owner.number if owner else None,
                status=owner.status if owner else None,
                marks=tuple(marks.get(right, ())),
            )
        )
    return tuple(segments)


def human_date(value: date | None) -> str:
    """A date as newsrooms write it (14 May 2024), the same in every locale."""
    if value is None:
        return ""
    return f"{value.day} {_MONTHS[value.month - 1]} {value.year}"


def human_datetime(value: datetime) -> str:
    zone = f" {value.tzname()}" if value.tzinfo is not None else ""
    return f"{human_date(value)}, {value:%H:%M}{zone}"


# Spelled out rather than strftime("%B"), which follows the user's locale.
_MONTHS = (
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
)
