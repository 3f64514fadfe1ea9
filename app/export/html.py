"""The HTML report: one self-contained page that reads offline and prints well; and its print
variant in the HTML subset Qt lays out, which app.ui.pdf turns into a PDF and the app previews."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from functools import lru_cache

from jinja2 import Environment, FileSystemLoader, StrictUndefined
from markupsafe import Markup, escape

from app.export.report import DRAFT_EXPLANATION, Report, Segment, VerdictCount, human_date, human_datetime
from app.paths import resources_dir

TEMPLATE = "report.html.j2"
PRINT_TEMPLATE = "report_pdf.html.j2"

# Font stacks for the print variant; Qt embeds whichever of them it finds in the PDF.
SERIF = '"Noto Serif", "DejaVu Serif", "Liberation Serif", "Times New Roman", serif'
SANS = '"Noto Sans", "DejaVu Sans", "Liberation Sans", Arial, sans-serif'

STANCE_COLOURS = {"supports": "#1e6b2c", "refutes": "#a4161a", "context": "#5c5f66"}

# First strong isolate ... pop directional isolate: whatever direction or override user text
# carries stays inside, so a right-to-left override cannot reorder the text around it.
_FSI, _PDI = "\u2068", "\u2069"

# A blank line (possibly holding spaces) ends a paragraph; any other newline is a line break.
_PARAGRAPH_BREAK = re.compile(r"\n[^\S\n]*\n\s*")
_LINE_BREAK = re.compile(r"\r?\n")

# Gap between the bar's coloured parts, in the bar's 1000-unit coordinate system.
_BAR_GAP = 3.0


@dataclass(frozen=True, slots=True)
class BarPart:
    x: float
    width: float
    count: VerdictCount

    @property
    def percent(self) -> float:
        """The part's width as a percentage of the whole bar, for a table cell."""
        return round(self.width / 10, 2)


def render_html(report: Report) -> str:
    template = _environment().get_template(TEMPLATE)
    return template.render(
        report=report,
        article_html=article_html(report.segments),
        comments=[(comment, article_html(comment.segments)) for comment in report.comments],
        bar=verdict_bar(report.by_verdict),
        draft_explanation=DRAFT_EXPLANATION,
    )


def render_print_html(report: Report, *, links: bool = False) -> str:
    """The report in the HTML subset QTextDocument supports, from the same model and wording.

    links=False (the PDF) makes no internal links: Qt would turn "#claim-N" into a link
    annotation that leads nowhere. The in-app preview passes links=True, and its QTextBrowser
    follows them to <a name="claim-N">.
    """
    template = _environment().get_template(PRINT_TEMPLATE)
    return template.render(
        report=report,
        article_html=print_article_html(report.segments, links=links),
        comments=[(comment, print_article_html(comment.segments, links=links)) for comment in report.comments],
        bar=verdict_bar(report.by_verdict),
        draft_explanation=DRAFT_EXPLANATION,
        links=links,
        fonts={"serif": Markup(SERIF), "sans": Markup(SANS)},
        stance_colours=STANCE_COLOURS,
        rule=rule,
        pdf_part=PART,
    )


@lru_cache(maxsize=1)
def _environment() -> Environment:
    env = Environment(
        loader=FileSystemLoader(resources_dir() / "templates"),
        autoescape=True,
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters["paragraphs"] = paragraphs
    env.filters["human_date"] = human_date
    env.filters["human_datetime"] = human_datetime
    env.filters["iso"] = isolate
    env.filters["iso_lines"] = isolate_lines
    env.filters["pdf_paragraphs"] = print_paragraphs
    env.filters["parted"] = parted_paragraphs
    return env


def isolate(text: str) -> Markup:
    """Inline user text, escaped and kept in a Unicode isolate (QTextDocument has no <bdi>)."""
    return Markup(_FSI) + escape(text) + Markup(_PDI)


def isolate_lines(text: str) -> Markup:
    return Markup(_FSI) + _lines(text.strip()) + Markup(_PDI)


def print_paragraphs(text: str) -> Markup:
    """User text as escaped paragraphs; a paragraph ends any override it holds, as in Unicode."""
    blocks = [block for block in _PARAGRAPH_BREAK.split(text.strip()) if block.strip()]
    return Markup("\n").join(Markup('<p class="para">{}</p>').format(_lines(b)) for b in blocks)


PART = Markup("<!--claimdesk:part-->")
"""Where the print HTML may be cut into separate documents (app.ui.pdf): between claims, and
between the article's paragraphs. Qt's HTML parser and layout grow faster than the text does, so
a report of thousands of claims is laid out as many small documents rather than one."""
PART_PARAGRAPHS = 40


def parted_paragraphs(html: Markup, css_class: str = "article-text") -> Markup:
    """The article's <p> lines in <div class=css_class> blocks of PART_PARAGRAPHS, a PART between."""
    lines = str(html).split("\n")
    blocks = ["\n".join(lines[i : i + PART_PARAGRAPHS]) for i in range(0, len(lines), PART_PARAGRAPHS)]
    return Markup(f"\n{PART}\n").join(Markup(f'<div class="{css_class}">\n{b}\n</div>') for b in blocks)


def rule(before: int, thickness: int, colour: str = "#1b1b1b", after: int = 8) -> Markup:
    """A horizontal rule QTextDocument draws the same on screen and in a PDF: a filled table cell.

    Sizes in CSS pixels: QTextDocument reads a table's margins in pixels only. The rule opens a
    group that app.ui.pdf keeps on one page (a zero-width space holds the "keep-start" anchor).
    """
    # The cell is as tall as the line its one character makes: about 1.8 px per point.
    return Markup(
        '<table width="100%" cellspacing="0" cellpadding="0" style="margin-top: {}px; '
        'margin-bottom: {}px;"><tr><td bgcolor="{}">'
        '<a name="keep-start" style="font-size: {}pt;">&#8203;</a></td></tr></table>'
    ).format(before, after, colour, round(thickness / 1.8, 2))


def paragraphs(text: str) -> Markup:
    """User text as escaped paragraphs; dir=auto keeps a right-to-left note (or a stray override
    character) from reordering the text around it."""
    blocks = [block for block in _PARAGRAPH_BREAK.split(text.strip()) if block.strip()]
    return Markup("\n").join(Markup('<p dir="auto">{}</p>').format(_lines(b)) for b in blocks)


def _lines(text: str) -> Markup:
    return Markup("<br>\n").join(escape(line) for line in _LINE_BREAK.split(text))


def article_html(segments: Iterable[Segment]) -> Markup:
    """The article as <p> paragraphs with each claim highlighted and followed by its number.

    Built here rather than in the template because a claim can run across paragraphs, and
    because a thousand claims render far faster as string joins than as template loops.
    Every piece of text goes through escape(); only our own tags are added around it.
    """

    def mark(number: int) -> str:
        return (
            f'<sup class="ref" id="ref-{number}">'
            f'<a href="#claim-{number}" aria-label="Claim {number}">{number}</a></sup>'
        )

    return _article_paragraphs(segments, _run, mark)


def print_article_html(segments: Iterable[Segment], *, links: bool) -> Markup:
    """The article for QTextDocument: highlights as coloured spans, numbers in small boxes."""

    def run(piece: str, segment: Segment) -> str:
        body = "<br>".join(str(escape(line)) for line in _LINE_BREAK.split(piece))
        if segment.number is not None and segment.colour is not None:
            body = f'<span style="background-color:{segment.colour}">{body}</span>'
        return body

    def mark(number: int) -> str:
        label = f'&#8202;<span class="ref">&#8201;{number}&#8201;</span>'
        return f'<a class="link" href="#claim-{number}">{label}</a>' if links else label

    return _article_paragraphs(segments, run, mark)


def _article_paragraphs(
    segments: Iterable[Segment], run: Callable[[str, Segment], str], mark: Callable[[int], str]
) -> Markup:
    """The article's paragraphs, each piece of a segment drawn by run and each claim number by
    mark. Numbers follow the last visible text, not a paragraph break at a claim's end."""
    paras: list[list[str]] = [[]]
    for segment in segments:
        target = len(paras) - 1
        for i, piece in enumerate(_PARAGRAPH_BREAK.split(segment.text)):
            if i:
                paras.append([])
            if piece:
                paras[-1].append(run(piece, segment))
            if piece.strip():
                target = len(paras) - 1
        for number in segment.marks:
            paras[target].append(mark(number))
    return Markup("\n".join(f"<p>{''.join(p)}</p>" for p in paras if "".join(p).strip()))


def _run(text: str, segment: Segment) -> str:
    body = "<br>\n".join(str(escape(line)) for line in _LINE_BREAK.split(text))
    if segment.number is None or segment.colour is None:
        return body
    # The colour comes from the database (a rating label's colour): escaped like any text.
    return (
        f'<mark class="claim{" pending" if segment.pending else ""}" data-claim="{segment.number}"'
        f' style="background-color:{escape(segment.colour)}"'
        f' title="Claim {segment.number}: {escape(segment.verdict)}">{body}</mark>'
    )


def verdict_bar(counts: Iterable[VerdictCount]) -> list[BarPart]:
    """Where each verdict's part of the summary bar sits, on a 0..1000 scale with small gaps."""
    shown = [c for c in counts if c.count]
    usable = 1000.0 - _BAR_GAP * max(len(shown) - 1, 0)
    parts: list[BarPart] = []
    x = 0.0
    for count in shown:
        width = usable * count.share
        parts.append(BarPart(round(x, 2), round(width, 2), count))
        x += width + _BAR_GAP
    return parts
