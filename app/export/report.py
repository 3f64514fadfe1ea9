"""The report model: an article and its reviewed claims, as every export format shows them."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import UTC, date, datetime
from itertools import pairwise
from typing import Any
from urllib.parse import urlsplit

from app.domain import (
    CONCLUSION_COLOUR,
    Anchor,
    Article,
    Claim,
    Kind,
    LinkState,
    Rating,
    RatingScale,
    Source,
    SourceKind,
    Stance,
    State,
)
from app.domain.evidence import Evidence, EvidenceKind
from app.domain.segments import Segment as TextPart
from app.domain.segments import SegmentKind
from app.evidence.compare import sides

# "resolved" keeps its old name for the command line's --only-resolved: it means "with a verdict".
INCLUDE_CHOICES = ("all", "resolved", "approved")
INCLUDE_LABELS: dict[str, str] = {
    "all": "All claims",
    "resolved": "Only claims with a verdict",
    "approved": "Only approved claims",
}

NO_VERDICT = "No verdict yet"
CONCLUSION = "Written conclusion"
# A report colours a claim without a verdict in one neutral tone, whatever its workflow state, so
# that every colour on the page is explained by the summary's legend (the HTML adds a dashed
# outline, which keeps it apart from the conclusions' grey).
NO_VERDICT_COLOUR = "#e6e4de"
DRAFT_EXPLANATION = "Verdicts not approved by a second fact-checker may still change: do not publish them."

_HEX_COLOUR = re.compile(r"#[0-9a-fA-F]{6}")


def safe_colour(colour: str, fallback: str = NO_VERDICT_COLOUR) -> str:
    """A rating's colour is data from the database: only "#rrggbb" reaches a style attribute."""
    colour = colour.strip()
    return colour if _HEX_COLOUR.fullmatch(colour) else fallback


def is_web_link(url: str) -> bool:
    """True for an absolute http(s) URL: the only kind a report turns into a link."""
    try:
        parts = urlsplit(url.strip())
    except ValueError:
        return False
    return parts.scheme.lower() in ("http", "https") and bool(parts.netloc)


def _plural(n: int, one: str, many: str) -> str:
    return f"{n} {one if n == 1 else many}"


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
class VerdictCount:
    """How many of the report's claims carry one verdict: a label of a rating scale, a written
    conclusion (all counted together), or no verdict yet."""

    kind: str
    """"rating", "conclusion" or "none"."""
    label: str
    colour: str
    count: int
    share: float
    """Fraction of the report's claims, 0..1."""
    rating: Rating | None = None

    @property
    def key(self) -> str:
        """Unique within a report: "scale:label" for a rating, else the kind."""
        return f"{self.rating.scale}:{self.rating.key}" if self.rating is not None else self.kind


@dataclass(frozen=True, slots=True)
class StateCount:
    state: State
    count: int
    share: float

    @property
    def label(self) -> str:
        return self.state.label


@dataclass(frozen=True, slots=True)
class Segment:
    """A run of article text: plain, or part of the claim it is highlighted for."""

    text: str
    number: int | None = None
    colour: str | None = None
    """The highlight of the claim that owns this run; None for plain text."""
    verdict: str = ""
    """That claim's verdict as a reader sees it, for a tooltip."""
    pending: bool = False
    """That claim has no verdict yet."""
    marks: tuple[int, ...] = ()
    """Claims whose reference number follows this run: each claim gets exactly one."""


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
    # Sources that last (app/domain/links.py): the archive copy's time, the local snapshot's,
    # and the link's state at its last check (a report never fetches anything itself).
    archived_at: datetime | None = None
    snapshot_at: datetime | None = None
    link_state: LinkState | None = None
    link_checked_at: datetime | None = None
    link_final_url: str = ""

    @property
    def link_note(self) -> str:
        """A line for the reader where the live link no longer leads to what was cited."""
        when = f"At the last check ({self.link_checked_at:%Y-%m-%d})" if self.link_checked_at else "At the last check"
        if self.link_state is LinkState.GONE:
            return f"{when} the live link was gone" + ("; see the archived copy." if self.archive_is_link else ".")
        if self.link_state is LinkState.UNREACHABLE:
            return f"{when} the live link could not be reached" + (
                "; see the archived copy." if self.archive_is_link else ".")
        if self.link_state is LinkState.CHANGED:
            return f"{when} the page had changed since it was cited."
        return ""

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
class ReportEvidence:
    """Evidence as a reader sees it: two passages side by side (words only in one marked), or a
    claim's figures against a source's."""

    kind: EvidenceKind
    summary: str
    left_label: str
    left_url: str
    right_label: str
    right_url: str
    left_runs: tuple[tuple[str, bool], ...] = ()
    right_runs: tuple[tuple[str, bool], ...] = ()
    figures: tuple[str, ...] = ()
    mismatch: bool = False
    similarity: float | None = None

    @property
    def kind_label(self) -> str:
        return self.kind.label

    @property
    def is_comparison(self) -> bool:
        return self.kind is EvidenceKind.COMPARISON

    @property
    def left_is_link(self) -> bool:
        return is_web_link(self.left_url)

    @property
    def right_is_link(self) -> bool:
        return is_web_link(self.right_url)


def report_evidence(item: Evidence) -> ReportEvidence:
    left, right = sides(item.diff)
    return ReportEvidence(
        item.kind, item.summary, item.left.label, item.left.url.strip(), item.right.label, item.right.url.strip(),
        tuple(left), tuple(right), item.figures, item.mismatch, item.similarity,
    )


@dataclass(frozen=True, slots=True)
class ReportClaim:
    number: int
    claim: Claim = field(repr=False, compare=False)
    """The claim itself: what a verdict is, and whether it is approved, is its rule, not the report's."""
    start: int
    end: int
    quote: str
    kind: Kind
    state: State
    verdict: Rating | None
    """A label of a rating scale; None for a written conclusion or no verdict yet."""
    conclusion: str
    """The verdict written out, on a free-text scale; with a label, it reads as its gist."""
    summary: str
    """The public rationale of the verdict. Private working notes never reach a report."""
    sources: tuple[ReportSource, ...]
    speaker: str = ""
    """Who made the claim, when known."""
    verdict_by: str = ""
    approved_by: str = ""
    approved_at: datetime | None = None
    rating_bounds: tuple[int, int] | None = None
    """(worst, best) ordinal values of the verdict's scale, when the report was given it."""
    evidence: tuple[ReportEvidence, ...] = ()
    """Passage comparisons and figures checks saved on the claim."""
    in_comment: bool = False
    """The claim is in a reader comment, not in the article itself."""

    @property
    def anchor(self) -> str:
        return f"claim-{self.number}"

    @property
    def text_anchor(self) -> Anchor:
        """Where the claim stands in the article's current revision (not the HTML anchor above)."""
        return self.claim.anchor

    @property
    def text_anchor_line(self) -> str:
        """One line for a report when the claim's text changed or is gone: "" when anchored."""
        if self.claim.anchor is Anchor.ANCHORED:
            return ""
        return f"{self.claim.anchor.label}: {self.claim.anchor_note}" if self.claim.anchor_note else self.claim.anchor.label

    @property
    def shown_quote(self) -> str:
        """The quote as a report prints it between its own quotation marks: a closing mark the
        claim's span took from the text without its opening one (or the other way round) is
        dropped, so that the report never shows "…Azerbaijan””."""
        return trim_quote_marks(self.quote)

    @property
    def kind_label(self) -> str:
        return self.kind.label

    @property
    def state_label(self) -> str:
        return self.state.label

    @property
    def has_verdict(self) -> bool:
        return self.claim.has_verdict

    @property
    def approved(self) -> bool:
        return self.claim.locked

    @property
    def verdict_name(self) -> str:
        """The verdict as a reader sees it: a label's name, the written conclusion, or ""."""
        return self.claim.verdict_name.strip()

    @property
    def badge(self) -> str:
        """The verdict in a few words, for a coloured badge: a conclusion is shown in full below."""
        if self.verdict is not None:
            return self.verdict.name
        return CONCLUSION if self.conclusion else NO_VERDICT

    @property
    def colour(self) -> str:
        if self.verdict is not None:
            return safe_colour(self.verdict.colour)
        return CONCLUSION_COLOUR if self.conclusion else NO_VERDICT_COLOUR

    @property
    def approval(self) -> str:
        """Who signed the verdict off and when; or that nobody has yet. Empty without a verdict."""
        if self.approved:
            by = f" by {self.approved_by}" if self.approved_by.strip() else ""
            on = f" on {human_date(self.approved_at)}" if self.approved_at is not None else ""
            return f"Approved{by}{on}"
        if not self.has_verdict:
            return ""
        line = f"Not approved yet ({self.state.label.lower()})"
        return line + (f"; verdict by {self.verdict_by}" if self.verdict_by.strip() else "")


@dataclass(frozen=True, slots=True)
class ReportComment:
    """A reader comment that holds a claim the report includes, shown apart from the article."""

    author: str
    date: str
    segments: tuple[Segment, ...]


@dataclass(frozen=True, slots=True)
class Report:
    article: ArticleInfo
    text: str
    generated_at: datetime
    included: str
    """One of INCLUDE_CHOICES: "all", "resolved" (claims with a verdict) or "approved"."""
    omitted: int
    """Claims the include choice left out."""
    by_verdict: tuple[VerdictCount, ...]
    """Verdicts that occur, each scale's labels in its order, then written conclusions, then the
    claims without a verdict; counted over the claims the report includes."""
    by_state: tuple[StateCount, ...]
    """Every workflow state in order, counted over the claims the report includes."""
    segments: tuple[Segment, ...]
    """The article's own text (title, body, interview turns), in order; reader comments and page
    furniture ("Notify of", "1 year ago") are left out. Without the article's structure it is the
    whole text: joining the segments' text gives it back."""
    claims: tuple[ReportClaim, ...]
    suggestions: int = 0
    """Detector suggestions nobody accepted: never in a report, but worth a word when it is empty."""
    comments: tuple[ReportComment, ...] = ()
    """The reader comments that hold an included claim, in text order; the others are left out."""

    @property
    def empty_notice(self) -> str:
        """What an empty report says, and how to fill it."""
        notice = "No claims are included in this report."
        if self.suggestions:
            verb = "has" if self.suggestions == 1 else "have"
            notice += (
                f" The detector's {_plural(self.suggestions, 'suggestion', 'suggestions')} {verb} not been accepted:"
                " accept a suggestion, or work on it, to include it."
            )
        return notice

    @property
    def total(self) -> int:
        return len(self.claims)

    @property
    def with_verdict(self) -> int:
        return sum(1 for claim in self.claims if claim.has_verdict)

    @property
    def approved(self) -> int:
        return sum(1 for claim in self.claims if claim.approved)

    @property
    def unapproved(self) -> int:
        """Verdicts in this report that nobody has signed off yet."""
        return sum(1 for claim in self.claims if claim.has_verdict and not claim.approved)

    @property
    def draft(self) -> bool:
        return self.unapproved > 0

    @property
    def draft_notice(self) -> str:
        """The banner of a report that shows verdicts not approved yet; empty otherwise."""
        if not self.draft:
            return ""
        verdicts = "verdict" if self.with_verdict == 1 else "verdicts"
        verb = "is" if self.unapproved == 1 else "are"
        return f"Draft: {self.unapproved} of {self.with_verdict} {verdicts} {verb} not approved yet."

    @property
    def scope_notice(self) -> str:
        """What the include choice left out, in one or two sentences; empty for "all"."""
        scopes = {"resolved": ("claims with a verdict", "without a verdict"), "approved": ("approved claims", "not approved yet")}
        if self.included not in scopes:
            return ""
        kept, left_out = scopes[self.included]
        notice = f"This report includes only {kept}."
        if self.omitted:
            verb = "is" if self.omitted == 1 else "are"
            notice += f" {_plural(self.omitted, 'claim', 'claims')} {left_out} {verb} left out."
        return notice


def build_report(
    article: Article,
    claims: Sequence[Claim],
    *,
    generated_at: datetime | None = None,
    include: str = "all",
    scales: Sequence[RatingScale] = (),
    evidence: Mapping[int, Sequence[Evidence]] | None = None,
    structure: Sequence[TextPart] = (),
) -> Report:
    """The claims in text order, each with its public number, and the article text split for
    highlighting.

    structure (Workbench.segments()) tells the article's own text from reader comments and page
    furniture: the report shows the article alone, and after it each reader comment that holds a
    claim the report includes. Without it the whole text is the article.

    scales (Workbench.scales()) give each verdict its scale's bounds, which ClaimReview publishes
    as worstRating and bestRating, and the order in which the summary lists the labels. Without
    them a verdict is still shown, and ClaimReview gives its name alone. evidence
    (Workbench.article_evidence()) is each claim's saved evidence, by claim id.
    """
    if include not in INCLUDE_CHOICES:
        raise ValueError(f"include must be one of {', '.join(INCLUDE_CHOICES)}, not {include!r}")
    # A suggestion nobody accepted is the detector's guess, not a claim the desk checked.
    suggestions = sum(1 for c in claims if not c.accepted)
    claims = [c for c in claims if c.accepted]
    kept = [c for c in claims if _included(c, include)]
    # Longer spans first on a tie, so that a claim nested at the same start is the one overlapped.
    kept.sort(key=lambda c: (c.start, -c.end, c.id))
    bounds = {scale.key: scale.bounds for scale in scales}
    comment_parts = [part for part in structure if part.kind is SegmentKind.COMMENT]
    # Each claim keeps its public number (Claim.number), the one the window and the command
    # line show; claims made outside the database (numbered 0) are numbered in text order.
    stored = all(claim.number > 0 for claim in kept)
    report_claims = tuple(
        _report_claim(claim.number if stored else position, claim, bounds, (evidence or {}).get(claim.id, ()),
                      in_comment=_inside(claim, comment_parts))
        for position, claim in enumerate(kept, 1)
    )
    body, comments = _article_and_comments(article.text, structure, report_claims)
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
        by_verdict=count_verdicts(report_claims, scales),
        by_state=count_states(report_claims),
        segments=body,
        claims=report_claims,
        suggestions=suggestions,
        comments=comments,
    )


def _inside(claim: Claim, parts: Sequence[TextPart]) -> bool:
    return any(part.start <= claim.start < part.end for part in parts)


def _runs(structure: Sequence[TextPart], keep: Callable[[TextPart], bool]) -> list[list[TextPart]]:
    """Consecutive parts that keep() accepts, grouped; any other part ends a group."""
    groups: list[list[TextPart]] = []
    open_group = False
    for part in structure:
        if keep(part):
            if not open_group:
                groups.append([])
            groups[-1].append(part)
            open_group = True
        else:
            open_group = False
    return groups


def _article_and_comments(
    text: str, structure: Sequence[TextPart], claims: Sequence[ReportClaim]
) -> tuple[tuple[Segment, ...], tuple[ReportComment, ...]]:
    """The article's own text as highlighted runs, and the reader comments holding a claim."""
    if not structure:
        return split_segments(text, claims), ()
    body: list[Segment] = []
    for group in _runs(structure, lambda part: part.kind.is_article):
        if body:
            body.append(Segment("\n\n"))
        body.extend(_split_range(text, group[0].start, group[-1].end, claims))

    comments: list[ReportComment] = []
    # One comment is the run of comment paragraphs under one header (one author and date).
    for run in _runs(structure, lambda part: part.kind is SegmentKind.COMMENT):
        groups: list[list[TextPart]] = []
        for part in run:
            if groups and (groups[-1][0].author, groups[-1][0].date) == (part.author, part.date):
                groups[-1].append(part)
            else:
                groups.append([part])
        for group in groups:
            start, end = group[0].start, group[-1].end
            if any(start <= c.start < end for c in claims):
                comments.append(
                    ReportComment(
                        author=" ".join((group[0].author or "").split()),
                        date=" ".join((group[0].date or "").split()),
                        segments=_split_range(text, start, end, claims),
                    )
                )
    return tuple(body), tuple(comments)


def _split_range(text: str, start: int, end: int, claims: Sequence[ReportClaim]) -> tuple[Segment, ...]:
    """split_segments for text[start:end] and the claims that begin in it."""
    inside = [
        replace(c, start=c.start - start, end=min(c.end, end) - start)
        for c in claims
        if start <= c.start < end
    ]
    return split_segments(text[start:end], inside)


_QUOTE_PAIRS = {"“": "”", "‘": "’", "«": "»", "„": "“", '"': '"'}
_CLOSERS = {closer: opener for opener, closer in _QUOTE_PAIRS.items()}


def trim_quote_marks(quote: str) -> str:
    """The quote as a report shows it inside its own “…”: without an unpaired quotation mark at
    either end, and with the double quotation marks inside it made single."""
    text = quote.strip()
    if len(text) > 1 and text[-1] in _CLOSERS and text[-1] != '"':
        if _CLOSERS[text[-1]] not in text[:-1]:
            text = text[:-1].rstrip()
    elif text.endswith('"') and text.count('"') % 2:
        text = text[:-1].rstrip()
    if len(text) > 1 and text[0] in _QUOTE_PAIRS and text[0] != '"':
        if _QUOTE_PAIRS[text[0]] not in text[1:]:
            text = text[1:].lstrip()
    elif text.startswith('"') and text.count('"') % 2:
        text = text[1:].lstrip()
    # The report puts the quote in double quotation marks: a quotation inside it takes single
    # ones, as nested quotations do ("…reaffirming ‘the sovereignty … of Azerbaijan’").
    return text.translate(_NESTED)


_NESTED = str.maketrans({"“": "‘", "”": "’"})


def _included(claim: Claim, include: str) -> bool:
    if include == "resolved":
        return claim.has_verdict
    if include == "approved":
        return claim.state is State.APPROVED
    return True


def count_verdicts(
    claims: Sequence[ReportClaim], scales: Sequence[RatingScale] = ()
) -> tuple[VerdictCount, ...]:
    """The verdicts that occur among claims: labels in their scale's order (scales first, in the
    order given; any other scale's labels truest first), then conclusions, then no verdict."""
    total = len(claims)
    ratings = Counter(c.verdict for c in claims if c.verdict is not None)
    position = {
        (rating.scale, rating.key): (i, j)
        for i, scale in enumerate(scales)
        for j, rating in enumerate(scale.labels)
    }
    unknown = (len(scales), 0)

    def order(rating: Rating) -> tuple[object, ...]:
        known = position.get((rating.scale, rating.key), unknown)
        return (*known, rating.scale, rating.value is None, -(rating.value or 0), rating.id)

    counts = [
        VerdictCount("rating", rating.name, safe_colour(rating.colour), n, n / total, rating)
        for rating, n in sorted(ratings.items(), key=lambda item: order(item[0]))
    ]
    conclusions = sum(1 for c in claims if c.verdict is None and c.conclusion)
    if conclusions:
        counts.append(
            VerdictCount("conclusion", CONCLUSION, CONCLUSION_COLOUR, conclusions, conclusions / total)
        )
    missing = sum(1 for c in claims if not c.has_verdict)
    if missing:
        counts.append(VerdictCount("none", NO_VERDICT, NO_VERDICT_COLOUR, missing, missing / total))
    return tuple(counts)


def count_states(claims: Sequence[ReportClaim]) -> tuple[StateCount, ...]:
    total = len(claims)
    counts = Counter(c.state for c in claims)
    return tuple(
        StateCount(state, counts[state], counts[state] / total if total else 0.0) for state in State
    )


def _report_claim(
    number: int,
    claim: Claim,
    bounds: dict[str, tuple[int, int] | None],
    evidence: Sequence[Evidence] = (),
    *,
    in_comment: bool = False,
) -> ReportClaim:
    verdict = claim.verdict
    return ReportClaim(
        number=number,
        claim=claim,
        start=claim.start,
        end=claim.end,
        quote=claim.quote,
        kind=claim.kind,
        state=claim.state,
        verdict=verdict,
        conclusion=claim.conclusion.strip(),
        summary=claim.summary,
        sources=tuple(_report_source(s) for s in claim.sources),
        speaker=" ".join(claim.speaker.split()),
        verdict_by=" ".join(claim.verdict_by.split()),
        approved_by=" ".join(claim.approved_by.split()),
        approved_at=claim.approved_at,
        rating_bounds=bounds.get(verdict.scale) if verdict is not None else None,
        evidence=tuple(report_evidence(e) for e in evidence),
        in_comment=in_comment,
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
        **_kept(source),
    )


def _kept(source: Source) -> dict[str, Any]:
    """The archived copy (the source's own field, else the one the web archive confirmed), the
    snapshot's date and the last check, from the source's link health."""
    health = getattr(source, "health", None)
    archived = getattr(source, "archived_url", "") or ""
    if health is None:
        return {"archived_url": archived}
    return {
        "archived_url": archived or health.archive_url,
        "archived_at": health.archived_at if (not archived or archived == health.archive_url) else None,
        "snapshot_at": health.snapshot_at,
        "link_state": health.state,
        "link_checked_at": health.checked_at,
        "link_final_url": health.final_url if health.state is LinkState.REDIRECTED else "",
    }


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
                colour=owner.colour if owner else None,
                verdict=owner.badge if owner else "",
                pending=owner is not None and not owner.has_verdict,
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
