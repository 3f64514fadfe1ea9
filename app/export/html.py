"""The HTML report: one self-contained page that reads offline and prints well."""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache

from jinja2 import Environment, FileSystemLoader, StrictUndefined
from markupsafe import Markup, escape

from app.export.report import Report, Segment, StatusCount, human_date, human_datetime
from app.paths import resources_dir

TEMPLATE = "report.html.j2"

# A blank line (possibly holding spaces) ends a paragraph; any other newline is a line break.
_PARAGRAPH_BREAK = re.compile(r"\n[^\S\n]*\n\s*")
_LINE_BREAK = re.compile(r"\r?\n")

# Gap between the bar's coloured parts, in the bar's 1000-unit coordinate system.
_BAR_GAP = 3.0


@dataclass(frozen=True, slots=True)
class BarPart:
    x: float
    width: float
    count: StatusCount


def render_html(report: Report) -> str:
    template = _environment().get_template(TEMPLATE)
    return template.render(
        report=report,
        article_html=article_html(report.segments),
        bar=status_bar(report.by_status),
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
    return env


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
    paras: list[list[str]] = [[]]
    for segment in segments:
        # Numbers follow the last visible text, not a paragraph break at a claim's end.
        target = len(paras) - 1
        for i, piece in enumerate(_PARAGRAPH_BREAK.split(segment.text)):
            if i:
                paras.append([])
            if piece:
                paras[-1].append(_run(piece, segment))
            if piece.strip():
                target = len(paras) - 1
        for number in segment.marks:
            paras[target].append(
                f'<sup class="ref" id="ref-{number}">'
                f'<a href="#claim-{number}" aria-label="Claim {number}">{number}</a></sup>'
            )
    html = "\n".join(f"<p>{''.join(p)}</p>" for p in paras if "".join(p).strip())
    return Markup(html)


def _run(text: str, segment: Segment) -> str:
    body = "<br>\n".join(str(escape(line)) for line in _LINE_BREAK.split(text))
    if segment.number is None or segment.status is None:
        return body
    return (
        f'<mark class="claim" data-claim="{segment.number}" data-status="{segment.status.value}"'
        f' style="background-color:{segment.status.colour}"'
        f' title="Claim {segment.number}: {segment.status.label}">{body}</mark>'
    )


def status_bar(counts: Iterable[StatusCount]) -> list[BarPart]:
    """Where each status's part of the summary bar sits, on a 0..1000 scale with small gaps."""
    shown = [c for c in counts if c.count]
    usable = 1000.0 - _BAR_GAP * max(len(shown) - 1, 0)
    parts: list[BarPart] = []
    x = 0.0
    for count in shown:
        width = usable * count.share
        parts.append(BarPart(round(x, 2), round(width, 2), count))
        x += width + _BAR_GAP
    return parts
