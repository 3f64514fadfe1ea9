"""Report export: the model, and every format parsed back to check what a reader would get."""

from __future__ import annotations

import csv
import html as html_lib
import io
import json
import re
import subprocess
import sys
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from html.parser import HTMLParser
from pathlib import Path

import pytest

from app.domain import (
    CONCLUSION_COLOUR,
    Anchor,
    Article,
    Claim,
    Kind,
    Rating,
    RatingScale,
    Source,
    SourceKind,
    Stance,
    State,
)
from app.domain.segments import Segment as TextPart
from app.domain.segments import SegmentKind
from app.domain.validate import ValidationError
from app.export import (
    FORMATS,
    INCLUDE_CHOICES,
    LABELS,
    MIME_TYPES,
    SUFFIXES,
    TEXT_FORMATS,
    Report,
    build_report,
    export_report,
    render_claimreview,
    render_csv,
    render_html,
    render_json,
    render_markdown,
    render_print_html,
    suggested_path,
    write_report,
)
from app.export.data import CSV_HEADER, csv_cell, schema_path
from app.export.markdown import md_inline
from app.export.report import NO_VERDICT_COLOUR
from app.paths import resources_dir, seeds_dir

GENERATED = datetime(2024, 5, 14, 9, 30, tzinfo=UTC)
APPROVED_AT = datetime(2024, 5, 13, 16, 5)
CHECKER = "Ana Checker"
REVIEWER = "Ben Editor"
SEED = "000_dfc4ea22a266b7c5.txt"

HOSTILE_SCRIPT = "<script>alert(1)</script>"
HOSTILE_ATTR = '" onerror="x'
RLO = "\u202e"
LONG_NOTE = "n" * 100_000
# Private working notes: no export may ever show them.
PRIVATE = "PRIVATE-WORKING-NOTE"
SETTINGS = {"report_url": "https://checks.example.org/budget", "organisation": "Example Checks"}

TEXT = """City budget grows by a fifth

The council approved a budget of 4.2 billion euros on Tuesday, up 21% on last year.
The mayor said it was "the largest investment in schools since 1990".

Unemployment in the city fell to 6.1% in March, according to the statistics office.

Critics say the new tram line will cost twice the original estimate."""


# The seeded scales (migration 0007), as Workbench.scales() returns them.
VERIFIED = Rating(1, "default", "verified", "Verified", "#bfe8c3", 5, True, "True")
MOSTLY_TRUE = Rating(2, "default", "mostly_true", "Mostly true", "#dcefc0", 4, True, "Mostly true")
MISLEADING = Rating(3, "default", "misleading", "Misleading", "#e9cdf5", 3, True, "Misleading")
DISPUTED = Rating(4, "default", "disputed", "Disputed", "#ffd2a1", 2, True, "Disputed")
FALSE = Rating(5, "default", "false", "False", "#f7b0b0", 1, True, "False")
UNVERIFIABLE = Rating(6, "default", "unverifiable", "Unverifiable", "#d9d9d9", None, True, "Unverifiable")
DEFAULT_SCALE = RatingScale(
    "default", "Claimdesk default", (VERIFIED, MOSTLY_TRUE, MISLEADING, DISPUTED, FALSE, UNVERIFIABLE)
)
PF_TRUE = Rating(7, "politifact", "true", "True", "#bfe8c3", 6, True, "True")
PF_MOSTLY_TRUE = Rating(8, "politifact", "mostly_true", "Mostly True", "#dcefc0", 5, True, "Mostly True")
PF_HALF_TRUE = Rating(9, "politifact", "half_true", "Half True", "#fff1a8", 4, True, "Half True")
PF_MOSTLY_FALSE = Rating(10, "politifact", "mostly_false", "Mostly False", "#ffd2a1", 3, True, "Mostly False")
PF_FALSE = Rating(11, "politifact", "false", "False", "#f7b0b0", 2, True, "False")
PANTS_ON_FIRE = Rating(12, "politifact", "pants_on_fire", "Pants on Fire!", "#f08c8c", 1, True, "Pants on Fire")
POLITIFACT = RatingScale(
    "politifact", "PolitiFact-style Truth-O-Meter",
    (PF_TRUE, PF_MOSTLY_TRUE, PF_HALF_TRUE, PF_MOSTLY_FALSE, PF_FALSE, PANTS_ON_FIRE),
)
CONCLUSION_SCALE = RatingScale("conclusion", "Written conclusion (Full Fact style)", free_text=True)
SCALES = (DEFAULT_SCALE, POLITIFACT, CONCLUSION_SCALE)


def claim_at(
    text: str,
    quote: str,
    claim_id: int,
    state: State,
    verdict: Rating | None = None,
    kind: Kind = Kind.QUANTITY,
    **fields: object,
) -> Claim:
    """A claim on quote's first occurrence. An approved one is signed off by REVIEWER unless the
    fields say otherwise; a verdict is set by CHECKER."""
    start = text.index(quote)
    if verdict is not None or fields.get("conclusion"):
        fields.setdefault("verdict_by", CHECKER)
    if state is State.APPROVED:
        fields.setdefault("approved_by", REVIEWER)
        fields.setdefault("approved_at", APPROVED_AT)
    return Claim(
        id=claim_id,
        article_id=1,
        start=start,
        end=start + len(quote),
        quote=quote,
        kind=kind,
        state=state,
        verdict=verdict,
        **fields,  # type: ignore[arg-type]
    )


def approved(
    claim_id: int, start: int, end: int, quote: str, verdict: Rating = FALSE, kind: Kind = Kind.OTHER,
    **fields: object,
) -> Claim:
    """A claim at offsets whose verdict a second person signed off: what ClaimReview publishes."""
    return Claim(claim_id, 1, start, end, quote, kind, state=State.APPROVED, verdict=verdict,
                 verdict_by=CHECKER, approved_by=REVIEWER, approved_at=APPROVED_AT,
                 **fields)  # type: ignore[arg-type]


def make_article(text: str = TEXT, **fields: object) -> Article:
    values: dict[str, object] = {
        "title": "City budget grows by a fifth",
        "source_url": "https://news.example.org/budget",
        "outlet": "Example Gazette",
        "author": "Jo Reporter",
        "published": date(2024, 3, 5),
    }
    values.update(fields)
    return Article(id=1, text=text, text_hash="h", **values)  # type: ignore[arg-type]


def sample_claims() -> list[Claim]:
    """Four claims, given out of text order on purpose: two approved (Verified, False), one
    Misleading still in review, one in progress without a verdict."""
    return [
        claim_at(
            TEXT,
            "fell to 6.1% in March",
            30,
            State.IN_PROGRESS,
            kind=Kind.PERCENTAGE,
            notes=f"{PRIVATE} Waiting for the March bulletin.",
        ),
        claim_at(
            TEXT,
            "a budget of 4.2 billion euros",
            10,
            State.APPROVED,
            VERIFIED,
            summary="The budget is 4.2 billion euros.\n\nSee the council minutes.",
            notes=f"{PRIVATE} Checked against the PDF.\nPage 3.",
            speaker="City Finance Department",
            sources=(
                Source(1, 10, "https://council.example.org/minutes.pdf", "Council minutes",
                       "City council", "Page 3, table 1.", date(2024, 3, 6)),
                Source(2, 10, "https://stats.example.org/budget", "", "Statistics office"),
            ),
        ),
        claim_at(
            TEXT,
            "up 21% on last year",
            20,
            State.IN_REVIEW,
            MISLEADING,
            Kind.COMPARISON,
            summary="The rise is 21% in nominal terms but 14% after inflation.",
            speaker="Mayor Ana Lopez",
            notes=PRIVATE,
            sources=(Source(3, 20, "http://stats.example.org/cpi", "Inflation 2023", "Stats"),),
        ),
        claim_at(
            TEXT,
            "cost twice the original estimate",
            40,
            State.APPROVED,
            FALSE,
            Kind.COMPARISON,
            summary="The latest estimate is 30% above the original one.",
        ),
    ]


@pytest.fixture
def report() -> Report:
    return build_report(make_article(), sample_claims(), generated_at=GENERATED, scales=SCALES)


@pytest.fixture
def seed_text() -> str:
    return (seeds_dir() / SEED).read_text(encoding="utf-8")


@pytest.fixture
def seed_report(seed_text: str) -> Report:
    quotes = [
        ("four UN Security Council resolutions adopted in 1993", State.APPROVED, VERIFIED),
        ("More 3 000 Russians are positioned on two military bases", State.IN_REVIEW, MISLEADING),
        ("Collective Security Treaty Organization (OTSC) founded in 2002", State.APPROVED, VERIFIED),
        ("1 900 men, 90 transport vehicles and 88 special units", State.IN_PROGRESS, None),
        ("pays chiite à 75%", State.NOT_STARTED, None),
        ("Организация ОДКБ выполняет все свои функции", State.APPROVED, UNVERIFIABLE),
    ]
    claims = [
        claim_at(seed_text, quote, i, state, verdict, summary=f"Summary {i}")
        for i, (quote, state, verdict) in enumerate(quotes, 1)
    ]
    article = make_article(seed_text, title="New clash between Azerbaijan and Armenia")
    return build_report(article, claims, generated_at=GENERATED, scales=SCALES)


def hostile_report() -> Report:
    text = f"Intro. The claim {HOSTILE_SCRIPT} here.{RLO}reversed\n\nEnd."
    quote = f"The claim {HOSTILE_SCRIPT} here."
    claims = [
        claim_at(
            text,
            quote,
            1,
            State.APPROVED,
            FALSE,
            summary=f"{HOSTILE_SCRIPT} {HOSTILE_ATTR} {RLO}summary",
            notes=f"{PRIVATE} {HOSTILE_SCRIPT}",
            speaker=f"{RLO}{HOSTILE_SCRIPT}{HOSTILE_ATTR}",
            sources=(
                Source(1, 1, "javascript:alert(1)", f"Evil {HOSTILE_ATTR}", HOSTILE_SCRIPT,
                       archived_url="javascript:alert(4)", passage=HOSTILE_SCRIPT),
                Source(2, 1, " JavaScript:alert(2)", "", ""),
                Source(3, 1, 'https://ok.example.org/?q="><script>x</script>', f"{RLO}Title", ""),
                Source(4, 1, "data:text/html,<script>alert(1)</script>", "Data URL", "",
                       note=LONG_NOTE),
            ),
        )
    ]
    article = make_article(
        text,
        title=f"{HOSTILE_SCRIPT}{HOSTILE_ATTR}",
        outlet=f"{RLO}Outlet",
        author=HOSTILE_ATTR,
        source_url="javascript:alert(3)",
    )
    return build_report(article, claims, generated_at=GENERATED, scales=SCALES)


# --- A small DOM built with the standard library's parser -------------------------------------

VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "wbr"}


@dataclass
class Node:
    tag: str
    attrs: dict[str, str]
    parent: Node | None = None
    children: list[Node | str] = field(default_factory=list)

    def iter(self) -> Iterator[Node]:
        yield self
        for child in self.children:
            if isinstance(child, Node):
                yield from child.iter()

    def find_all(self, tag: str, **attrs: str) -> list[Node]:
        return [
            n
            for n in self.iter()
            if n.tag == tag and all(n.attrs.get(k.rstrip("_")) == v for k, v in attrs.items())
        ]

    def text(self, skip: Callable[[Node], bool] = lambda n: False) -> str:
        parts: list[str] = []
        for child in self.children:
            if isinstance(child, str):
                parts.append(child)
            elif not skip(child):
                parts.append(child.text(skip))
        return "".join(parts)

    def ancestors(self) -> Iterator[Node]:
        node = self.parent
        while node is not None:
            yield node
            node = node.parent

    def classes(self) -> set[str]:
        return set(self.attrs.get("class", "").split())


class TreeBuilder(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.root = Node("#root", {})
        self.current = self.root
        self.all_attrs: list[tuple[str, str, str]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = {k: v or "" for k, v in attrs}
        self.all_attrs += [(tag, k, v) for k, v in values.items()]
        node = Node(tag, values, self.current)
        self.current.children.append(node)
        if tag not in VOID:
            self.current = node

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.handle_starttag(tag, attrs)
        if tag not in VOID:
            self.handle_endtag(tag)

    def handle_endtag(self, tag: str) -> None:
        node: Node | None = self.current
        while node is not None and node.tag != tag:
            node = node.parent
        assert node is not None and node.parent is not None, f"stray </{tag}>"
        self.current = node.parent

    def handle_data(self, data: str) -> None:
        self.current.children.append(data)


def parse(html: str) -> tuple[Node, TreeBuilder]:
    builder = TreeBuilder()
    builder.feed(html)
    builder.close()
    assert builder.current is builder.root, "unclosed elements"
    return builder.root, builder


def is_ref(node: Node) -> bool:
    return node.tag == "sup" and "ref" in node.classes()


def squash(text: str) -> str:
    return "".join(text.split())


def article_div(root: Node) -> Node:
    (div,) = [n for n in root.iter() if n.tag == "div" and "article-text" in n.classes()]
    return div


def claim_section(root: Node, number: int) -> Node:
    (section,) = [n for n in root.iter() if n.attrs.get("id") == f"claim-{number}"]
    return section


# --- The model -------------------------------------------------------------------------------


def test_claims_are_numbered_in_text_order(report: Report) -> None:
    assert [c.number for c in report.claims] == [1, 2, 3, 4]
    assert [c.anchor for c in report.claims] == ["claim-1", "claim-2", "claim-3", "claim-4"]
    assert [c.start for c in report.claims] == sorted(c.start for c in report.claims)
    assert [(c.state, c.verdict) for c in report.claims] == [
        (State.APPROVED, VERIFIED),
        (State.IN_REVIEW, MISLEADING),
        (State.IN_PROGRESS, None),
        (State.APPROVED, FALSE),
    ]
    first, second, third, _ = report.claims
    assert first.kind_label == "Quantity" and first.state_label == "Approved"
    assert first.badge == first.verdict_name == "Verified"
    assert first.colour == VERIFIED.colour
    assert not hasattr(first, "notes")  # private notes never enter the report model
    assert first.speaker == "City Finance Department"
    assert third.speaker == ""
    assert first.sources[0].accessed == date(2024, 3, 6)
    # Who signed off, or that nobody has yet: what a reader sees under each verdict.
    assert first.approval == "Approved by Ben Editor on 13 May 2024"
    assert second.approval == "Not approved yet (in review); verdict by Ana Checker"
    assert third.approval == "" and third.badge == "No verdict yet" and not third.has_verdict
    assert third.colour == NO_VERDICT_COLOUR


def test_a_suggestion_nobody_accepted_is_not_in_the_report() -> None:
    quote = "the largest investment in schools since 1990"
    suggestion = claim_at(TEXT, quote, 50, State.NOT_STARTED, accepted=False)
    report = build_report(make_article(), [*sample_claims(), suggestion], generated_at=GENERATED, scales=SCALES)
    assert report.total == 4 and quote not in [c.quote for c in report.claims]
    assert not [s for s in report.segments if s.number and quote in s.text]  # not highlighted either

    only_suggestions = build_report(make_article(), [suggestion], generated_at=GENERATED, scales=SCALES)
    assert "1 suggestion has not been accepted: accept a suggestion" in render_html(only_suggestions)


def test_segments_give_back_the_text_and_highlight_each_claim(report: Report) -> None:
    assert "".join(s.text for s in report.segments) == TEXT
    for claim in report.claims:
        highlighted = "".join(s.text for s in report.segments if s.number == claim.number)
        assert highlighted == TEXT[claim.start : claim.end] == claim.quote
        colours = {s.colour for s in report.segments if s.number == claim.number}
        assert colours == {claim.colour}
    marks = [n for s in report.segments for n in s.marks]
    assert marks == [1, 2, 3, 4]


def test_summary_counts_verdicts_in_scale_order_then_no_verdict(report: Report) -> None:
    assert [(c.label, c.count) for c in report.by_verdict] == [
        ("Verified", 1), ("Misleading", 1), ("False", 1), ("No verdict yet", 1)
    ]
    assert [c.key for c in report.by_verdict] == ["default:verified", "default:misleading", "default:false", "none"]
    assert report.by_verdict[0].colour == VERIFIED.colour
    assert report.by_verdict[-1].colour == NO_VERDICT_COLOUR
    assert sum(c.share for c in report.by_verdict) == pytest.approx(1.0)
    assert [(c.state, c.count) for c in report.by_state] == [
        (State.NOT_STARTED, 0), (State.IN_PROGRESS, 1), (State.IN_REVIEW, 1), (State.APPROVED, 2)
    ]
    assert (report.total, report.with_verdict, report.approved, report.unapproved) == (4, 3, 2, 1)
    assert report.draft and report.draft_notice == "Draft: 1 of 3 verdicts is not approved yet."


def test_verdicts_of_several_scales_and_conclusions_are_counted_apart() -> None:
    claims = [
        claim_at(TEXT, "fell to 6.1% in March", 1, State.IN_REVIEW, conclusion="Right, but dated."),
        claim_at(TEXT, "a budget of 4.2 billion euros", 2, State.APPROVED, PANTS_ON_FIRE),
        claim_at(TEXT, "up 21% on last year", 3, State.APPROVED, MOSTLY_TRUE),
        claim_at(TEXT, "cost twice the original estimate", 4, State.IN_REVIEW, PF_HALF_TRUE),
        claim_at(TEXT, "the largest investment in schools", 5, State.APPROVED, UNVERIFIABLE),
        claim_at(TEXT, "according to the statistics office", 6, State.IN_PROGRESS, conclusion="Correct."),
    ]
    report = build_report(make_article(), claims, generated_at=GENERATED, scales=SCALES)
    # Each scale's labels in the scale's order (default first, as the scales are given).
    assert [c.label for c in report.by_verdict] == [
        "Mostly true", "Unverifiable", "Half True", "Pants on Fire!", "Written conclusion"
    ]
    assert report.by_verdict[-1].count == 2 and report.by_verdict[-1].colour == CONCLUSION_COLOUR
    # Without the scales, the same labels still sort truest first within their scale.
    bare = build_report(make_article(), claims, generated_at=GENERATED)
    assert [c.label for c in bare.by_verdict] == [
        "Mostly true", "Unverifiable", "Half True", "Pants on Fire!", "Written conclusion"
    ]
    conclusion = next(c for c in report.claims if c.conclusion == "Right, but dated.")
    assert conclusion.has_verdict and conclusion.badge == "Written conclusion"
    assert conclusion.verdict_name == "Right, but dated." and conclusion.colour == CONCLUSION_COLOUR
    assert report.draft_notice == "Draft: 3 of 6 verdicts are not approved yet."


def test_a_rating_colour_from_the_database_is_only_ever_a_colour() -> None:
    odd = Rating(99, "house", "odd", "Odd", 'red;background:url(x)" onmouseover="x', 1)
    report = build_report(make_article(), [claim_at(TEXT, "up 21% on last year", 1, State.APPROVED, odd)],
                          generated_at=GENERATED)
    assert report.claims[0].colour == NO_VERDICT_COLOUR == report.by_verdict[0].colour
    html = render_html(report)
    assert "onmouseover" not in html and "url(x)" not in html


def test_overlapping_claims_keep_text_once_and_number_every_claim() -> None:
    text = "Alpha beta gamma delta epsilon zeta."
    claims = [
        approved(1, 0, 16, text[0:16], VERIFIED),  # Alpha beta gamma
        approved(2, 6, 10, text[6:10], FALSE),  # beta, inside 1
        approved(3, 11, 28, text[11:28], DISPUTED),  # runs past 1
        Claim(4, 1, 11, 28, text[11:28], Kind.OTHER, State.IN_PROGRESS),  # same span as 3
    ]
    report = build_report(make_article(text), claims, generated_at=GENERATED)
    assert "".join(s.text for s in report.segments) == text
    assert sorted(n for s in report.segments for n in s.marks) == [1, 2, 3, 4]
    owners = {s.number for s in report.segments if s.number}
    assert owners == {1, 3}  # 2 and 4 lie inside earlier claims
    assert "".join(s.text for s in report.segments if s.number == 3) == text[16:28]
    # A nested claim's number sits where it ends, inside the claim that holds it.
    (nested,) = [s for s in report.segments if 2 in s.marks]
    assert nested.number == 1 and text.index(nested.text) + len(nested.text) == 10

    html = render_html(report)
    root, _ = parse(html)
    assert squash(article_div(root).text(skip=is_ref)) == squash(text)
    for number in range(1, 5):
        assert claim_section(root, number) is not None
        assert len([n for n in root.iter() if n.attrs.get("id") == f"ref-{number}"]) == 1


@pytest.mark.parametrize(
    ("start", "end"),
    [(-5, 3), (30, 500), (900, 1000), (7, 2), (0, 0), (len(TEXT), len(TEXT))],
)
def test_offsets_outside_the_text_do_not_break_the_report(start: int, end: int) -> None:
    claims = [approved(1, start, end, "quote", VERIFIED)]
    report = build_report(make_article(), claims, generated_at=GENERATED)
    assert "".join(s.text for s in report.segments) == TEXT
    assert [n for s in report.segments for n in s.marks] == [1]
    for fmt in TEXT_FORMATS:
        assert export_report(report, fmt, **SETTINGS)


def test_include_resolved_leaves_claims_without_a_verdict_out(report: Report) -> None:
    resolved = build_report(
        make_article(), sample_claims(), generated_at=GENERATED, include="resolved"
    )
    assert resolved.included == "resolved"
    assert resolved.omitted == 1
    assert [c.verdict for c in resolved.claims] == [VERIFIED, MISLEADING, FALSE]
    assert [c.number for c in resolved.claims] == [1, 2, 3]
    assert report.omitted == 0 and report.included == "all"

    html = render_html(resolved)
    root, _ = parse(html)
    scope = " ".join(next(n for n in root.iter() if "scope" in n.classes()).text().split())
    assert scope == "This report includes only claims with a verdict. 1 claim without a verdict is left out."
    assert not [n for n in root.iter() if n.attrs.get("data-state") == "in_progress"]
    assert [dd.text() for dd in root.find_all("dd")] == ["3", "3", "2"]
    # Misleading is still in review: the report remains a draft.
    assert "Draft: 1 of 3 verdicts is not approved yet." in " ".join(root.text().split())
    assert (
        "> This report includes only claims with a verdict. "
        "1 claim without a verdict is left out." in render_markdown(resolved)
    )
    data = json.loads(render_json(resolved))
    assert data["included"] == "resolved" and data["omitted"] == 1
    assert len(list(csv.reader(io.StringIO(render_csv(resolved))))) == 1 + 3


def test_include_approved_leaves_everything_unsigned_out_and_is_no_draft() -> None:
    report = build_report(make_article(), sample_claims(), generated_at=GENERATED, include="approved")
    assert [(c.number, c.verdict) for c in report.claims] == [(1, VERIFIED), (2, FALSE)]
    assert report.omitted == 2 and not report.draft and report.draft_notice == ""
    root, _ = parse(render_html(report))
    text = " ".join(root.text().split())
    assert "This report includes only approved claims. 2 claims not approved yet are left out." in text
    assert "Draft" not in text
    assert [dd.text() for dd in root.find_all("dd")] == ["2", "2", "2"]
    assert "Draft" not in render_markdown(report)
    assert json.loads(render_json(report))["summary"]["draft"] is False


def test_include_must_be_known() -> None:
    with pytest.raises(ValueError, match="include must be one of all, resolved, approved"):
        build_report(make_article(), [], include="open")


def test_generated_time_defaults_to_now_in_utc() -> None:
    report = build_report(make_article(), [])
    assert report.generated_at.tzinfo is UTC
    assert abs((datetime.now(UTC) - report.generated_at).total_seconds()) < 60


def test_a_report_without_claims_renders_in_every_format() -> None:
    report = build_report(make_article(), [], generated_at=GENERATED)
    assert report.segments[0].text == TEXT
    assert report.by_verdict == () and not report.draft
    html = render_html(report)
    assert "No claims are included in this report." in html
    assert "Draft" not in html
    root, _ = parse(html)
    assert squash(article_div(root).text()) == squash(TEXT)
    assert json.loads(render_json(report))["claims"] == []
    assert render_csv(report).splitlines() == [",".join(CSV_HEADER)]
    assert "## Claims" not in render_markdown(report)


# --- HTML ------------------------------------------------------------------------------------


def test_html_template_lives_in_resources() -> None:
    assert (resources_dir() / "templates" / "report.html.j2").is_file()


def test_html_numbers_link_to_claim_sections_and_back(report: Report) -> None:
    root, _ = parse(render_html(report))
    refs = [n for n in root.iter() if is_ref(n)]
    assert [r.attrs["id"] for r in refs] == ["ref-1", "ref-2", "ref-3", "ref-4"]
    for number, ref in enumerate(refs, 1):
        (link,) = ref.find_all("a")
        assert link.attrs["href"] == f"#claim-{number}"
        assert link.text() == str(number)
        section = claim_section(root, number)
        backs = [a for a in section.find_all("a") if a.attrs["href"] == f"#ref-{number}"]
        assert len(backs) == 1 and "Back to the text" in backs[0].text()
    ids = [n.attrs["id"] for n in root.iter() if "id" in n.attrs]
    assert len(ids) == len(set(ids))
    for a in root.find_all("a"):
        href = a.attrs["href"]
        if href.startswith("#"):
            assert href[1:] in ids


def test_html_highlights_and_badges_take_the_verdict_colour(report: Report) -> None:
    root, _ = parse(render_html(report))
    marks = [n for n in root.iter() if n.tag == "mark"]
    assert len(marks) == 4
    for claim in report.claims:
        (mark,) = [m for m in marks if m.attrs["data-claim"] == str(claim.number)]
        assert mark.attrs["style"] == f"background-color:{claim.colour}"
        assert mark.attrs["title"] == f"Claim {claim.number}: {claim.badge}"
        assert mark.text() == claim.quote
        section = claim_section(root, claim.number)
        (badge,) = [n for n in section.iter() if "badge" in n.classes()]
        assert badge.text() == claim.badge
        assert claim.colour in badge.attrs["style"]
        (state,) = [n for n in section.iter() if "state" in n.classes()]
        assert state.text() == claim.state_label
    badges = [next(n for n in claim_section(root, i).iter() if "badge" in n.classes()) for i in (1, 3)]
    assert [b.text() for b in badges] == ["Verified", "No verdict yet"]
    assert "background-color:#bfe8c3" in badges[0].attrs["style"]


def approval_of(section: Node) -> str:
    lines = [" ".join(n.text().split()) for n in section.iter() if "approval" in n.classes()]
    assert len(lines) <= 1
    return lines[0] if lines else ""


def test_html_says_who_approved_each_verdict_and_which_are_not_approved(report: Report) -> None:
    root, _ = parse(render_html(report))
    assert approval_of(claim_section(root, 1)) == "Approved by Ben Editor on 13 May 2024"
    assert approval_of(claim_section(root, 2)) == "Not approved yet (in review); verdict by Ana Checker"
    assert approval_of(claim_section(root, 3)) == ""  # no verdict: nothing to approve
    assert approval_of(claim_section(root, 4)) == "Approved by Ben Editor on 13 May 2024"
    (approved_line,) = [n for n in claim_section(root, 1).iter() if "approval" in n.classes()]
    assert "approved" in approved_line.classes()


def test_html_shows_a_written_conclusion_as_the_verdict() -> None:
    claims = [claim_at(TEXT, "up 21% on last year", 1, State.APPROVED,
                       conclusion="Correct in cash terms; after inflation the rise is 14%.",
                       summary="The council's own figures.")]
    report = build_report(make_article(), claims, generated_at=GENERATED, scales=SCALES)
    root, _ = parse(render_html(report))
    section = claim_section(root, 1)
    (conclusion,) = [n for n in section.iter() if "conclusion" in n.classes()]
    assert conclusion.text() == "Correct in cash terms; after inflation the rise is 14%."
    (badge,) = [n for n in section.iter() if "badge" in n.classes()]
    assert badge.text() == "Written conclusion" and CONCLUSION_COLOUR in badge.attrs["style"]
    assert approval_of(section) == "Approved by Ben Editor on 13 May 2024"
    md = render_markdown(report)
    assert "**Verdict:** Correct in cash terms; after inflation the rise is 14%." in md.splitlines()
    assert "Written conclusion" in " ".join(root.find_all("ul")[0].text().split())


def test_html_claim_sections_hold_quote_kind_speaker_verdict_and_sources(report: Report) -> None:
    root, _ = parse(render_html(report))
    first = claim_section(root, 1)
    assert first.find_all("blockquote")[0].text() == "a budget of 4.2 billion euros"
    assert "Quantity" in first.text()
    verdict = [n for n in first.iter() if "verdict" in n.classes()][0]
    assert [p.text() for p in verdict.find_all("p")] == [
        "The budget is 4.2 billion euros.",
        "See the council minutes.",
    ]
    (speaker,) = [n for n in first.iter() if "speaker" in n.classes()]
    assert " ".join(speaker.text().split()) == "Said by City Finance Department"
    assert speaker.find_all("bdi")
    assert not [n for n in claim_section(root, 3).iter() if "speaker" in n.classes()]
    assert "Checked against the PDF" not in first.text()
    links = [
        (a.attrs["href"], a.text()) for a in first.find_all("a") if "source-title" in a.classes()
    ]
    assert links == [
        ("https://council.example.org/minutes.pdf", "Council minutes"),
        ("https://stats.example.org/budget", "https://stats.example.org/budget"),
    ]
    assert "accessed 6 March 2024" in first.text()
    assert "No sources recorded." in claim_section(root, 4).text()
    assert "No verdict summary yet." in claim_section(root, 3).text()
    assert not [n for n in first.iter() if "conclusion" in n.classes()]


def test_html_header_and_summary(report: Report) -> None:
    root, _ = parse(render_html(report))
    (h1,) = root.find_all("h1")
    assert h1.text() == "City budget grows by a fifth"
    header = root.find_all("header")[0]
    header_text = " ".join(header.text().split())
    assert "Draft fact-check report · generated 14 May 2024, 09:30 UTC" in header_text
    assert "Example Gazette" in header_text and "By Jo Reporter" in header_text
    assert "Published 5 March 2024" in header_text
    assert header.find_all("a")[0].attrs["href"] == "https://news.example.org/budget"

    rects = root.find_all("rect")
    assert [r.attrs["fill"] for r in rects] == [c.colour for c in report.by_verdict]
    widths = [float(r.attrs["width"]) for r in rects]
    assert widths[0] == pytest.approx(widths[1]) and sum(widths) <= 1000
    legend = [n for n in root.iter() if n.tag == "li" and "data-verdict" in n.attrs]
    assert [li.attrs["data-verdict"] for li in legend] == [c.key for c in report.by_verdict]
    assert [" ".join(li.text().split()) for li in legend] == [
        "Verified 1 25%", "Misleading 1 25%", "False 1 25%", "No verdict yet 1 25%"
    ]
    (states,) = [n for n in root.iter() if "states" in n.classes()]
    assert " ".join(states.text().split()) == "By state: In progress 1 · In review 1 · Approved 2"
    figures = [(dt.text(), dd.text()) for dt, dd in zip(root.find_all("dt"), root.find_all("dd"), strict=True)]
    assert figures == [("Claims in this report", "4"), ("With a verdict", "3"), ("Approved", "2")]


def test_html_marks_a_report_with_unapproved_verdicts_as_a_draft(report: Report) -> None:
    root, _ = parse(render_html(report))
    (banner,) = [n for n in root.iter() if "draft" in n.classes()]
    assert banner.parent is root.find_all("header")[0]  # at the top, before any verdict
    assert " ".join(banner.text().split()).startswith("Draft: 1 of 3 verdicts is not approved yet.")
    assert root.find_all("title")[0].text() == "Draft fact-check: City budget grows by a fifth"

    signed = [c for c in sample_claims() if c.state is State.APPROVED]
    final = build_report(make_article(), signed, generated_at=GENERATED)
    root, _ = parse(render_html(final))
    assert not [n for n in root.iter() if "draft" in n.classes()]
    assert "Draft" not in root.text()
    assert root.find_all("title")[0].text() == "Fact-check: City budget grows by a fifth"


def test_html_keeps_the_seed_article_text_intact(seed_report: Report, seed_text: str) -> None:
    root, _ = parse(render_html(seed_report))
    assert squash(article_div(root).text(skip=is_ref)) == squash(seed_text)
    for claim in seed_report.claims:
        (mark,) = [m for m in root.iter() if m.attrs.get("data-claim") == str(claim.number)]
        assert mark.text() == claim.quote
    assert "Организация ОДКБ" in article_div(root).text()


def test_html_keeps_paragraphs_and_line_breaks(report: Report) -> None:
    root, _ = parse(render_html(report))
    paragraphs = article_div(root).find_all("p")
    assert len(paragraphs) == 4
    assert paragraphs[0].text() == "City budget grows by a fifth"
    assert len(paragraphs[1].find_all("br")) == 1
    assert squash(paragraphs[3].text(skip=is_ref)) == squash(TEXT.split("\n\n")[3])


def test_html_claim_across_paragraphs_is_highlighted_in_both() -> None:
    text = "First part of a claim.\n\nSecond part. After."
    claims = [approved(1, 6, 35, text[6:35])]
    report = build_report(make_article(text), claims, generated_at=GENERATED)
    root, _ = parse(render_html(report))
    paragraphs = article_div(root).find_all("p")
    assert len(paragraphs) == 2
    assert all(p.find_all("mark") for p in paragraphs)
    assert not paragraphs[0].find_all("sup") and paragraphs[1].find_all("sup")


def test_html_is_self_contained_and_runs_nothing(report: Report) -> None:
    html = render_html(report)
    root, builder = parse(html)
    tags = {n.tag for n in root.iter()}
    assert not tags & {"script", "iframe", "object", "embed", "link", "img", "base", "form"}
    assert not [a for _, a, _ in builder.all_attrs if a.lower().startswith("on")]
    assert not [v for _, a, v in builder.all_attrs if a in ("src", "srcset", "action")]
    for a in root.find_all("a"):
        assert re.match(r"^(#|https?://)", a.attrs["href"])
    (style,) = root.find_all("style")
    css = style.text()
    assert "url(" not in css and "@import" not in css and "@font-face" not in css
    assert "print-color-adjust: exact" in css and "break-inside: avoid" in css
    metas = root.find_all("meta")
    csp = [m for m in metas if m.attrs.get("http-equiv") == "Content-Security-Policy"]
    assert "default-src 'none'" in csp[0].attrs["content"]


def test_html_makes_hostile_text_inert() -> None:
    report = hostile_report()
    html = render_html(report)
    root, builder = parse(html)

    # Nothing the user typed became markup.
    assert not [n for n in root.iter() if n.tag == "script"]
    assert not [a for _, a, _ in builder.all_attrs if a.lower().startswith("on")]
    assert "javascript:" not in " ".join(v.lower() for _, a, v in builder.all_attrs if a == "href")
    assert "data:" not in " ".join(v for _, a, v in builder.all_attrs if a == "href")
    assert HOSTILE_SCRIPT not in html and "&lt;script&gt;" in html

    # ...and it all still reads as the text that was typed.
    assert root.find_all("h1")[0].text() == f"{HOSTILE_SCRIPT}{HOSTILE_ATTR}"
    assert root.find_all("title")[0].text() == f"Fact-check: {HOSTILE_SCRIPT}{HOSTILE_ATTR}"
    section = claim_section(root, 1)
    assert section.find_all("blockquote")[0].text() == report.claims[0].quote
    assert squash(article_div(root).text(skip=is_ref)) == squash(report.text)
    sources = section.find_all("ol")[0].find_all("li")
    assert "javascript:alert(1)" in sources[0].text() and "not a web link" in sources[0].text()
    assert not sources[0].find_all("a") and not sources[1].find_all("a")
    assert not sources[3].find_all("a")
    (ok_link,) = sources[2].find_all("a")
    assert ok_link.attrs["href"] == 'https://ok.example.org/?q="><script>x</script>'
    assert "javascript:alert(3)" in root.find_all("header")[0].text()

    # The long source note is all there, as one text run.
    notes = [n for n in section.iter() if "source-note" in n.classes()]
    assert [n.text() for n in notes] == [LONG_NOTE]
    # An archived copy that is not a web link is not linked either; its passage is text.
    assert not [a for a in section.find_all("a") if "javascript" in a.attrs["href"].lower()]
    (passage,) = [n for n in section.iter() if "passage" in n.classes()]
    assert passage.text() == HOSTILE_SCRIPT
    assert PRIVATE not in html

    # A right-to-left override stays inside an isolating element instead of reversing the page.
    for node in root.iter():
        for child in node.children:
            if isinstance(child, str) and RLO in child and node.tag not in ("title",):
                chain = [node, *node.ancestors()]
                if node.tag == "mark" or any("article-text" in n.classes() for n in chain):
                    continue  # the article's own text is shown as it was written
                assert any(n.tag == "bdi" or "dir" in n.attrs for n in chain), node.tag


# --- Markdown --------------------------------------------------------------------------------


def test_markdown_structure(report: Report) -> None:
    md = render_markdown(report)
    lines = md.splitlines()
    assert lines[0] == "# Fact-check: City budget grows by a fifth"
    assert "*Draft fact-check report · generated 14 May 2024, 09:30 UTC*" in lines
    assert "- **Outlet:** Example Gazette" in lines
    assert "- **Published:** 5 March 2024" in lines
    assert lines[lines.index("## Summary") - 2].startswith("> **Draft: 1 of 3 verdicts is not approved yet.**")
    assert "**4** claims in this report, **3** with a verdict, **2** approved." in lines
    assert "| Verdict | Claims | Share |" in lines
    assert "| Verified | 1 | 25% |" in lines and "| No verdict yet | 1 | 25% |" in lines
    assert "By state: In progress 1 · In review 1 · Approved 2." in lines
    headings = [line for line in lines if line.startswith("### ")]
    assert headings == [
        "### 1. “a budget of 4.2 billion euros”",
        "### 2. “up 21% on last year”",
        "### 3. “fell to 6.1% in March”",
        "### 4. “cost twice the original estimate”",
    ]
    assert "**State:** In review · **Kind:** Comparison · **Said by:** Mayor Ana Lopez" in lines
    assert "**State:** In progress · **Kind:** Percentage" in lines
    claim_2 = lines[lines.index("### 2. “up 21% on last year”"):lines.index("### 3. “fell to 6.1% in March”")]
    assert "**Verdict:** Misleading" in claim_2
    assert "*Not approved yet (in review); verdict by Ana Checker*" in claim_2
    claim_1 = lines[lines.index("### 1. “a budget of 4.2 billion euros”"):lines.index("### 2. “up 21% on last year”")]
    assert "**Verdict:** Verified" in claim_1 and "*Approved by Ben Editor on 13 May 2024*" in claim_1
    assert "**Verdict:** *No verdict yet*" in lines
    assert (
        "1. *Gives context:* [Council minutes](https://council.example.org/minutes.pdf) — "
        "City council, accessed 6 March 2024" in lines
    )
    stats = "https://stats.example.org/budget"
    assert f"2. *Gives context:* [{stats}]({stats}) — Statistics office" in lines
    assert "   Page 3, table 1." in lines
    assert "Checked against the PDF" not in md and PRIVATE not in md
    assert "*No sources recorded.*" in lines


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("a | b", "a \\| b"),
        ("# not a heading", "\\# not a heading"),
        ("[link](http://x)", "\\[link\\](http://x)"),
        ("use `code`", "use \\`code\\`"),
        ("<b>bold</b>", "\\<b\\>bold\\</b\\>"),
        ("1. not a list", "1\\. not a list"),
        ("- not a list", "\\- not a list"),
        ("> not a quote", "\\> not a quote"),
        ("*em* _em_", "\\*em\\* \\_em\\_"),
        ("AT&amp;T costs $5", "AT\\&amp;T costs \\$5"),
        ("two\nlines", "two lines"),
        ("plain text, 21% up", "plain text, 21% up"),
    ],
)
def test_markdown_escapes_user_text(text: str, expected: str) -> None:
    assert md_inline(text) == expected


def test_markdown_makes_hostile_text_inert() -> None:
    md = render_markdown(hostile_report())
    assert re.search(r"(?<!\\)<", md) is None, "raw HTML from user text"
    assert "javascript:" not in re.findall(r"\]\(([^)]*)\)", md)
    links = re.findall(r"\]\(([^)]*)\)", md)
    assert links == ["https://ok.example.org/?q=%22%3E%3Cscript%3Ex%3C/script%3E"]
    assert "javascript:alert(1), not a web link" in md
    assert LONG_NOTE in md


# --- JSON ------------------------------------------------------------------------------------


def test_json_round_trips_with_every_field(report: Report) -> None:
    data = json.loads(render_json(report))
    assert data["format"] == "claimdesk-report" and data["version"] == 5
    assert data["generated_at"] == "2024-05-14T09:30:00+00:00"
    assert data["article"] == {
        "title": "City budget grows by a fifth",
        "outlet": "Example Gazette",
        "author": "Jo Reporter",
        "source_url": "https://news.example.org/budget",
        "published": "2024-03-05",
    }
    summary = data["summary"]
    assert (summary["total"], summary["with_verdict"], summary["approved"], summary["draft"]) == (4, 3, 2, True)
    assert summary["by_verdict"][0] == {
        "kind": "rating", "scale": "default", "key": "verified", "label": "Verified",
        "colour": "#bfe8c3", "value": 5, "count": 1, "share": 0.25,
    }
    assert summary["by_verdict"][-1] == {
        "kind": "none", "scale": None, "key": None, "label": "No verdict yet",
        "colour": NO_VERDICT_COLOUR, "value": None, "count": 1, "share": 0.25,
    }
    assert [(s["state"], s["count"]) for s in summary["by_state"]] == [
        ("not_started", 0), ("in_progress", 1), ("in_review", 1), ("approved", 2)
    ]
    assert data["included"] == "all" and data["omitted"] == 0
    first, second, third, _ = data["claims"]
    assert set(first) == {
        "number", "anchor", "text_anchor", "start", "end", "quote", "kind", "state", "verdict", "conclusion",
        "verdict_by", "approved_by", "approved_at", "speaker", "summary", "sources", "evidence",
    }
    assert first["number"] == 1 and first["anchor"] == "claim-1"
    assert first["text_anchor"] == {"state": "anchored", "label": "Anchored", "note": ""}
    assert first["speaker"] == "City Finance Department" and third["speaker"] is None
    assert first["state"] == "approved" and first["verdict"] == {
        "scale": "default", "key": "verified", "name": "Verified", "value": 5, "final": True,
        "alternate_name": "True",
    }
    assert (first["verdict_by"], first["approved_by"], first["approved_at"]) == (
        "Ana Checker", "Ben Editor", "2024-05-13T16:05:00"
    )
    assert second["state"] == "in_review" and second["verdict"]["name"] == "Misleading"
    assert (second["approved_by"], second["approved_at"]) == ("", None)
    assert third["state"] == "in_progress" and third["verdict"] is None and third["conclusion"] == ""
    assert TEXT[first["start"] : first["end"]] == first["quote"]
    assert first["kind"] == "quantity"
    assert first["sources"][0] == {
        "url": "https://council.example.org/minutes.pdf",
        "title": "Council minutes",
        "publisher": "City council",
        "note": "Page 3, table 1.",
        "accessed": "2024-03-06",
        "kind": "other",
        "stance": "context",
        "passage": "",
        "archived_url": "",
        "archived_at": None,
        "snapshot_at": None,
        "link_state": None,
        "link_checked_at": None,
        "link_final_url": "",
    }
    assert first["sources"][1]["accessed"] is None
    assert data["claims"][3]["sources"] == []


def test_json_keeps_non_ascii_text_readable(seed_report: Report) -> None:
    text = render_json(seed_report)
    assert "Организация ОДКБ" in text and "\\u" not in text
    assert json.loads(text)["claims"][4]["quote"] == "pays chiite à 75%"


# --- CSV -------------------------------------------------------------------------------------


def test_csv_has_one_row_per_claim(report: Report) -> None:
    rows = list(csv.reader(io.StringIO(render_csv(report), newline="")))
    assert rows[0] == [
        "number", "quote", "kind", "state", "verdict", "approved_by", "speaker", "summary", "start",
        "end", "source_count", "sources",
    ]
    assert len(rows) == 1 + len(report.claims)
    first = rows[1]
    assert first[:7] == [
        "1", "a budget of 4.2 billion euros", "Quantity", "Approved", "Verified", "Ben Editor",
        "City Finance Department",
    ]
    assert rows[2][3:6] == ["In review", "Misleading", ""]
    assert rows[3][3:6] == ["In progress", "", ""]
    assert first[7] == "The budget is 4.2 billion euros.\n\nSee the council minutes."
    assert first[10] == "2"
    assert first[11] == "https://council.example.org/minutes.pdf | https://stats.example.org/budget"
    assert rows[4][10] == "0" and rows[4][11] == ""


@pytest.mark.parametrize("danger", ["=", "+", "-", "@", "\t", "\r"])
def test_csv_guards_against_formula_injection(danger: str) -> None:
    formula = f"{danger}HYPERLINK(\"http://evil\",\"x\")"
    claims = [
        Claim(1, 1, 0, 4, formula, Kind.OTHER, State.APPROVED, conclusion=formula, summary=formula,
              speaker=formula, approved_by=formula, sources=(Source(1, 1, formula),))
    ]
    report = build_report(make_article(), claims, generated_at=GENERATED)
    (row,) = list(csv.DictReader(io.StringIO(render_csv(report), newline="")))
    for column in ("quote", "summary", "sources"):
        assert row[column] == "'" + formula
    # Names and a conclusion are trimmed, so leading whitespace goes; a formula sign would not.
    for column in ("speaker", "approved_by", "verdict"):
        assert row[column] == csv_cell(formula.strip())
        assert not row[column].startswith(("=", "+", "-", "@"))
    assert csv_cell("safe") == "safe" and csv_cell("") == ""


# --- Dispatch --------------------------------------------------------------------------------


def test_export_report_dispatches_every_format(report: Report) -> None:
    assert FORMATS == ("html", "pdf", "md", "json", "csv", "claimreview")
    assert tuple(f for f in FORMATS if f != "pdf") == TEXT_FORMATS
    assert set(SUFFIXES) == set(MIME_TYPES) == set(LABELS) == set(FORMATS)
    assert SUFFIXES["md"] == ".md" and MIME_TYPES["html"] == "text/html"
    assert SUFFIXES["claimreview"] == ".jsonld" and MIME_TYPES["claimreview"] == "application/ld+json"
    renderers = {"html": render_html, "md": render_markdown, "json": render_json, "csv": render_csv}
    for fmt, render in renderers.items():
        assert export_report(report, fmt) == render(report)
    assert export_report(report, "claimreview", **SETTINGS) == render_claimreview(report, **SETTINGS)


def test_export_report_rejects_unknown_formats(report: Report) -> None:
    with pytest.raises(ValueError, match=r"Unknown export format 'docx'; choose one of: html, pdf"):
        export_report(report, "docx")
    with pytest.raises(ValueError, match=r"PDF is drawn by Qt"):
        export_report(report, "pdf")
    with pytest.raises(ValidationError, match="web address where the report is published"):
        export_report(report, "claimreview")


def test_write_report_saves_utf8_and_a_bom_for_spreadsheets(
    seed_report: Report, tmp_path: Path
) -> None:
    for fmt in TEXT_FORMATS:
        path = tmp_path / f"report{SUFFIXES[fmt]}"
        write_report(seed_report, fmt, path, **SETTINGS)
        raw = path.read_bytes()
        assert raw.startswith(b"\xef\xbb\xbf") == (fmt == "csv")
        assert raw.decode("utf-8-sig") == export_report(seed_report, fmt, **SETTINGS)


def test_export_does_not_import_qt_or_the_database() -> None:
    code = (
        "import sys, app.export\n"
        "print(sorted(m for m in sys.modules if m.split('.')[0] in ('PySide6', 'sqlalchemy')))"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    )
    assert result.stdout.strip() == "[]"


# --- Private notes, speakers and source evidence ---------------------------------------------


@pytest.mark.parametrize("fmt", TEXT_FORMATS)
def test_private_notes_are_never_exported(fmt: str) -> None:
    for report in (
        build_report(make_article(), sample_claims(), generated_at=GENERATED),
        build_report(make_article(), sample_claims(), generated_at=GENERATED, include="resolved"),
        build_report(make_article(), sample_claims(), generated_at=GENERATED, include="approved"),
        hostile_report(),
    ):
        text = export_report(report, fmt, **SETTINGS)
        assert PRIVATE not in text
        assert "Waiting for the March bulletin" not in text
    assert PRIVATE not in render_print_html(hostile_report())


def rich_source_report() -> Report:
    claims = [
        claim_at(
            TEXT,
            "a budget of 4.2 billion euros",
            10,
            State.APPROVED,
            VERIFIED,
            sources=(
                Source(1, 10, "https://council.example.org/vote", "Minutes of the vote", "City council",
                       "", date(2024, 3, 6), SourceKind.PRIMARY, Stance.SUPPORTS,
                       "Adopted by 31 votes to 20.", "https://web.archive.org/web/2024/vote"),
                Source(2, 10, "https://blog.example.org/x", "A blog", "", "", None, SourceKind.NEWS,
                       Stance.REFUTES, "", "ftp://archive.example.org/x"),
            ),
        )
    ]
    return build_report(make_article(), claims, generated_at=GENERATED)


def test_sources_carry_stance_kind_passage_and_archived_copy() -> None:
    report = rich_source_report()
    first, second = report.claims[0].sources
    assert (first.kind_label, first.stance_label) == ("Primary document", "Supports")
    assert first.archive_is_link and not second.archive_is_link

    root, _ = parse(render_html(report))
    section = claim_section(root, 1)
    stances = [(n.attrs["data-stance"], n.text()) for n in section.iter() if "stance" in n.classes()]
    assert stances == [("supports", "Supports"), ("refutes", "Refutes")]
    archives = [a.attrs["href"] for a in section.find_all("a") if "archive" in a.classes()]
    assert archives == ["https://web.archive.org/web/2024/vote"]  # ftp: is not linked
    (passage,) = [n for n in section.iter() if "passage" in n.classes()]
    assert passage.text() == "Adopted by 31 votes to 20."
    assert "City council · Primary document · accessed 6 March 2024" in " ".join(section.text().split())

    md = render_markdown(report)
    assert ("1. *Supports:* [Minutes of the vote](https://council.example.org/vote) — City council, "
            "primary document, accessed 6 March 2024, "
            "[archived copy](https://web.archive.org/web/2024/vote)") in md
    assert "   > Adopted by 31 votes to 20." in md
    assert "2. *Refutes:* [A blog](https://blog.example.org/x) — news" in md

    (source, other) = json.loads(render_json(report))["claims"][0]["sources"]
    assert (source["kind"], source["stance"], source["passage"], source["archived_url"]) == (
        "primary", "supports", "Adopted by 31 votes to 20.", "https://web.archive.org/web/2024/vote"
    )
    assert other["archived_url"] == "ftp://archive.example.org/x"  # data, shown but never linked


@dataclass(frozen=True)
class OldSource:
    """A source as stored before kind, stance, passage and archived copy existed."""

    id: int
    claim_id: int
    url: str
    title: str = ""
    publisher: str = ""
    note: str = ""
    accessed: date | None = None


def test_a_source_without_evidence_fields_still_exports() -> None:
    claim = claim_at(TEXT, "up 21% on last year", 1, State.APPROVED, FALSE,
                     sources=(OldSource(1, 1, "https://stats.example.org", "Stats", "Office"),))
    report = build_report(make_article(), [claim], generated_at=GENERATED)
    (source,) = report.claims[0].sources
    assert (source.kind, source.stance, source.passage, source.archived_url) == (None, None, "", "")
    for fmt in ("html", "md", "json"):
        assert "Stats" in export_report(report, fmt, **SETTINGS)
    assert "https://stats.example.org" in export_report(report, "csv")
    assert json.loads(export_report(report, "claimreview", **SETTINGS))["@graph"]
    data = json.loads(render_json(report))
    assert data["claims"][0]["sources"][0]["stance"] is None
    validate_json(data)
    root, _ = parse(render_html(report))
    assert not [n for n in root.iter() if "stance" in n.classes()]


# --- The JSON schema -------------------------------------------------------------------------


def schema() -> dict:
    return json.loads(schema_path().read_text("utf-8"))


def validate_json(data: object) -> None:
    jsonschema = pytest.importorskip("jsonschema")
    validator = jsonschema.Draft202012Validator(
        schema(), format_checker=jsonschema.Draft202012Validator.FORMAT_CHECKER
    )
    validator.validate(data)


def test_json_schema_is_draft_2020_12_and_ships_in_resources() -> None:
    jsonschema = pytest.importorskip("jsonschema")
    assert schema_path() == resources_dir() / "schema" / "report.schema.json"
    doc = schema()
    assert doc["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    jsonschema.Draft202012Validator.check_schema(doc)
    assert doc["properties"]["version"] == {"const": 5, "description": doc["properties"]["version"]["description"]}
    assert defs_anchor(doc) == [a.value for a in Anchor]
    # The schema names every state, kind, source kind, stance and include choice the code has.
    defs = doc["$defs"]
    assert defs["state"]["enum"] == [s.value for s in State]
    assert doc["properties"]["included"]["enum"] == list(INCLUDE_CHOICES)
    assert defs["kind"]["enum"] == [k.value for k in Kind]
    assert defs["source"]["properties"]["kind"]["enum"] == [k.value for k in SourceKind] + [None]
    assert defs["source"]["properties"]["stance"]["enum"] == [s.value for s in Stance] + [None]
    # Private notes have no place in it: every object is closed, and none names them.
    assert "notes" not in json.dumps(defs["claim"]["properties"])
    assert "status" not in json.dumps(defs)
    assert defs["claim"]["additionalProperties"] is False


def json_reports() -> list[Report]:
    seed = (seeds_dir() / SEED).read_text(encoding="utf-8")
    mixed = [
        claim_at(TEXT, "fell to 6.1% in March", 1, State.IN_REVIEW, conclusion="Right, but dated."),
        claim_at(TEXT, "a budget of 4.2 billion euros", 2, State.APPROVED, PANTS_ON_FIRE),
        claim_at(TEXT, "up 21% on last year", 3, State.APPROVED, UNVERIFIABLE),
        claim_at(TEXT, "cost twice the original estimate", 4, State.NOT_STARTED),
    ]
    return [
        build_report(make_article(), sample_claims(), generated_at=GENERATED, scales=SCALES),
        build_report(make_article(), sample_claims(), generated_at=GENERATED, include="resolved"),
        build_report(make_article(), sample_claims(), generated_at=GENERATED, include="approved"),
        build_report(make_article(), [], generated_at=GENERATED),
        build_report(make_article(seed, published=None, outlet="", title=""), [
            claim_at(seed, "pays chiite à 75%", 1, State.NOT_STARTED)
        ]),
        build_report(make_article(), [approved(1, 900, 1000, "x", VERIFIED)]),
        build_report(make_article(), mixed, generated_at=GENERATED, scales=SCALES),
        hostile_report(),
        rich_source_report(),
    ]


@pytest.mark.parametrize("index", range(9))
def test_every_json_export_matches_its_schema(index: int) -> None:
    validate_json(json.loads(render_json(json_reports()[index])))


def test_the_schema_refuses_private_notes_old_statuses_and_loose_verdicts(report: Report) -> None:
    jsonschema = pytest.importorskip("jsonschema")
    data = json.loads(render_json(report))
    data["claims"][0]["notes"] = "private"
    with pytest.raises(jsonschema.ValidationError, match="notes"):
        validate_json(data)
    data = json.loads(render_json(report))
    data["claims"][0]["state"] = "verified"
    with pytest.raises(jsonschema.ValidationError):
        validate_json(data)
    data = json.loads(render_json(report))
    data["claims"][0]["status"] = "verified"
    with pytest.raises(jsonschema.ValidationError, match="status"):
        validate_json(data)
    data = json.loads(render_json(report))
    data["claims"][0]["verdict"] = "Verified"  # a verdict is a label of a scale, not free text
    with pytest.raises(jsonschema.ValidationError):
        validate_json(data)
    data = json.loads(render_json(report))
    data["version"] = 2
    with pytest.raises(jsonschema.ValidationError):
        validate_json(data)


# --- The print variant (PDF and in-app preview) ----------------------------------------------


def test_print_html_shows_the_same_report_in_qt_s_html_subset(report: Report) -> None:
    html = render_print_html(report)
    root, builder = parse(html)
    tags = {n.tag for n in root.iter()}
    assert not tags & {"script", "iframe", "object", "embed", "link", "img", "base", "form", "svg"}
    assert not [a for _, a, _ in builder.all_attrs if a.lower().startswith("on")]
    text = " ".join(root.text().split())
    for claim in report.claims:
        assert claim.quote in text
    assert "Said by \u2068City Finance Department\u2069" in text
    assert "The rise is 21% in nominal terms but 14% after inflation." in text
    # No internal links in the PDF variant; the preview variant links every number to its claim.
    assert all(a.attrs["href"].startswith("http") for a in root.find_all("a") if "href" in a.attrs)
    names = [a.attrs["name"] for a in root.find_all("a") if a.attrs.get("name", "").startswith("claim-")]
    assert names == ["claim-1", "claim-2", "claim-3", "claim-4"]
    preview, _ = parse(render_print_html(report, links=True))
    internal = [a.attrs["href"] for a in preview.find_all("a") if a.attrs.get("href", "").startswith("#")]
    assert internal == ["#claim-1", "#claim-2", "#claim-3", "#claim-4"]


def test_print_html_says_what_a_resolved_only_report_leaves_out() -> None:
    resolved = build_report(make_article(), sample_claims(), generated_at=GENERATED, include="resolved")
    text = " ".join(parse(render_print_html(resolved))[0].text().split())
    assert "This report includes only claims with a verdict. 1 claim without a verdict is left out." in text


def test_print_html_shows_the_draft_banner_verdicts_and_sign_off(report: Report) -> None:
    root, _ = parse(render_print_html(report))
    text = " ".join(root.text().split())
    assert "DRAFT FACT-CHECK REPORT" in text
    assert "Draft: 1 of 3 verdicts is not approved yet." in text
    assert text.index("Draft: 1 of 3") < text.index("Summary")  # at the top of the first page
    assert text.count("✓ \u2068Approved by Ben Editor on 13 May 2024\u2069") == 2
    assert "\u2068Not approved yet (in review); verdict by Ana Checker\u2069" in text
    assert "By state: In progress 1 · In review 1 · Approved 2" in text
    badges = [" ".join(n.text().split()) for n in root.iter() if "badge" in n.classes()]
    assert badges == ["VERIFIED", "MISLEADING", "NO VERDICT YET", "FALSE"]
    final = build_report(make_article(), sample_claims(), generated_at=GENERATED, include="approved")
    assert "Draft" not in parse(render_print_html(final))[0].text()


def test_print_html_makes_hostile_text_inert() -> None:
    html = render_print_html(hostile_report())
    root, builder = parse(html)
    assert not root.find_all("script")
    assert not [a for _, a, _ in builder.all_attrs if a.lower().startswith("on")]
    for a in root.find_all("a"):
        assert "href" not in a.attrs or re.match(r"^https?://", a.attrs["href"])
    assert HOSTILE_SCRIPT in root.text() and LONG_NOTE in root.text()
    # Inline user text sits inside an isolate, so its override ends with it.
    assert f"\u2068{RLO}Outlet\u2069" in root.text()
    assert f"\u2068{RLO}{HOSTILE_SCRIPT}{HOSTILE_ATTR}\u2069" in root.text()


@pytest.mark.parametrize(
    ("name", "fmt", "expected"),
    [
        ("report", "pdf", "report.pdf"),
        ("report.html", "pdf", "report.pdf"),
        ("report.pdf", "claimreview", "report.jsonld"),
        ("report.v2", "md", "report.v2.md"),
        ("report.final.json", "csv", "report.final.csv"),
    ],
)
def test_suggested_path_gives_the_format_s_suffix(name: str, fmt: str, expected: str) -> None:
    assert suggested_path(Path("/tmp") / name, fmt) == Path("/tmp") / expected


# -- the article alone, reader comments apart (#15) -----------------------------------------

FURNISHED = (
    "Budget grows by 20% this year.\n\n"
    "Notify of\n\n"
    "Guest\n\n1 year ago\n\n"
    "Taxes rose 50% last year, whatever they say.\n\n"
    "Reader2\n\n2 years ago\n\n"
    "Nice article, thanks.\n\n"
    "Newest Most Voted\n\n"
    "Would love your thoughts, please comment.x"
)


def furnished_structure(text: str = FURNISHED) -> list[TextPart]:
    def part(piece: str, kind: SegmentKind, **fields: str) -> TextPart:
        start = text.index(piece)
        return TextPart(start, start + len(piece), kind, **fields)  # type: ignore[arg-type]

    return [
        part("Budget grows by 20% this year.", SegmentKind.BODY),
        part("Notify of", SegmentKind.FURNITURE),
        part("Guest", SegmentKind.FURNITURE, author="Guest"),
        part("1 year ago", SegmentKind.FURNITURE, date="1 year ago"),
        part("Taxes rose 50% last year, whatever they say.", SegmentKind.COMMENT, author="Guest", date="1 year ago"),
        part("Reader2", SegmentKind.FURNITURE, author="Reader2"),
        part("2 years ago", SegmentKind.FURNITURE, date="2 years ago"),
        part("Nice article, thanks.", SegmentKind.COMMENT, author="Reader2", date="2 years ago"),
        part("Newest Most Voted", SegmentKind.FURNITURE),
        part("Would love your thoughts, please comment.x", SegmentKind.FURNITURE),
    ]


def furnished_report() -> Report:
    claims = [
        claim_at(FURNISHED, "Budget grows by 20% this year", 1, State.IN_PROGRESS, MISLEADING),
        claim_at(FURNISHED, "Taxes rose 50% last year", 2, State.IN_PROGRESS, FALSE, from_comment=True),
    ]
    return build_report(make_article(FURNISHED), claims, generated_at=GENERATED,
                        structure=furnished_structure())


def printed_text(report: Report) -> str:
    """The print variant's text (what the PDF shows), without tags or isolates."""
    body = render_print_html(report)
    body = body[body.index("<body>"):]
    return html_lib.unescape(re.sub(r"<[^>]+>", "", body)).replace("\u2068", "").replace("\u2069", "")


def _between(html: str, start: str, end: str) -> str:
    part = html[html.index(start):html.index(end, html.index(start))]
    return re.sub(r"<[^>]+>", "", part)


def test_reports_show_the_article_body_and_reader_comments_apart() -> None:
    report = furnished_report()
    html = render_html(report)
    article = _between(html, '<section class="article"', "</section>")
    assert "Budget grows by 20% this year1." in article
    for furniture in ("Notify of", "Newest Most Voted", "1 year ago", "please comment.x", "Taxes rose"):
        assert furniture not in article
    comments = _between(html, '<section class="comments"', "</section>")
    assert comments.strip().startswith("Reader comments")
    assert "Guest · 1 year ago" in comments and "Taxes rose 50% last year2, whatever they say." in comments
    assert "Nice article" not in html  # a comment without a checked claim stays out
    assert "In a reader comment" in _between(html, 'id="claim-2"', "</article>")

    printed = printed_text(report)
    assert "Notify of" not in printed and "Newest Most Voted" not in printed and "Nice article" not in printed
    assert printed.index("The article") < printed.index("Reader comments") < printed.index("The claims")
    assert "Guest  ·  1 year ago" in printed.replace("\xa0", " ")
    assert "Taxes rose 50% last year" in printed[printed.index("Reader comments"):printed.index("The claims")]


def test_without_a_checked_claim_in_the_comments_there_is_no_comment_section() -> None:
    claims = [claim_at(FURNISHED, "Budget grows by 20% this year", 1, State.IN_PROGRESS, MISLEADING)]
    report = build_report(make_article(FURNISHED), claims, structure=furnished_structure())
    assert report.comments == ()
    assert "Reader comments" not in render_html(report)
    assert "Reader comments" not in printed_text(report)


@pytest.mark.parametrize(
    ("quote", "shown"),
    [
        ("troops stay in Azerbaijan”", "troops stay in Azerbaijan"),
        ("“troops stay in Azerbaijan", "troops stay in Azerbaijan"),
        ("he said “troops stay” today", "he said ‘troops stay’ today"),
        ("reaffirming “the sovereignty and territorial integrity of the Republic of Azerbaijan”",
         "reaffirming ‘the sovereignty and territorial integrity of the Republic of Azerbaijan’"),
        ('"troops stay in Azerbaijan', "troops stay in Azerbaijan"),
        ("« 8 % de hausse »", "« 8 % de hausse »"),
    ],
)
def test_a_quote_never_shows_a_doubled_quotation_mark(quote: str, shown: str) -> None:
    text = f"Intro. {quote} Outro."
    report = build_report(make_article(text), [claim_at(text, quote, 1, State.IN_PROGRESS, FALSE)])
    assert report.claims[0].shown_quote == shown
    assert f"“{shown}”" in render_markdown(report)
    assert f"“{shown}”" in printed_text(report)
    assert "””" not in render_markdown(report) and "““" not in render_markdown(report)


def defs_anchor(doc: dict) -> list[str]:  # type: ignore[type-arg]
    """The states the schema allows for a claim's place in the current revision."""
    return list(doc["$defs"]["claim"]["properties"]["text_anchor"]["properties"]["state"]["enum"])
