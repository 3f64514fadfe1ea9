"""The Markdown report: reads well on GitHub and in any plain-text editor."""

from __future__ import annotations

import re
from urllib.parse import quote

from app.export.report import (
    DRAFT_EXPLANATION,
    NO_VERDICT,
    Report,
    ReportClaim,
    ReportSource,
    human_date,
    human_datetime,
)

# Characters that can start emphasis, code, links, raw HTML, entities, tables or GitHub maths.
_SPECIAL = re.compile(r"([\\`*_\[\]<>|&~$])")
# Line starts that would turn a line into a heading, quote, list or setext underline.
_BLOCK_START = re.compile(r"^(\d+)?([#>+=-]|(?<=\d)[.)])")
_PARAGRAPH_BREAK = re.compile(r"\n[^\S\n]*\n\s*")
# Everything a URL may legally hold except what would end a Markdown link: ( ) < > space.
_URL_SAFE = "/:?#[]@!$&'*+,;=%~-._"


def md_inline(text: str) -> str:
    """User text on one line (a heading, a table cell, a list item) as literal Markdown."""
    return _escape_line(" ".join(text.split()))


def md_block(text: str) -> str:
    """User text keeping its paragraphs and line breaks, as literal Markdown."""
    paragraphs = [p for p in _PARAGRAPH_BREAK.split(text.strip()) if p.strip()]
    return "\n\n".join(
        "\\\n".join(_escape_line(line) for line in p.splitlines() if line.strip())
        for p in paragraphs
    )


def _escape_line(line: str) -> str:
    # Leading spaces would make an indented code block.
    line = _SPECIAL.sub(r"\\\1", line.strip())
    return _BLOCK_START.sub(lambda m: f"{m.group(1) or ''}\\{m.group(2)}", line, count=1)


def md_link(text: str, url: str) -> str:
    return f"[{md_inline(text)}]({quote(url.strip(), safe=_URL_SAFE)})"


def render_markdown(report: Report) -> str:
    article = report.article
    out: list[str] = [
        f"# Fact-check: {md_inline(article.title or 'Untitled article')}",
        "",
        f"*{'Draft fact-check' if report.draft else 'Fact-check'} report · "
        f"generated {human_datetime(report.generated_at)}*",
        "",
    ]
    meta = [
        ("Outlet", md_inline(article.outlet)),
        ("Author", md_inline(article.author)),
        ("Published", human_date(article.published)),
    ]
    if article.source_url:
        url = article.source_url
        shown = md_link(url, url) if article.source_is_link else md_inline(url)
        meta.append(("Original article", shown))
    out += [f"- **{name}:** {value}" for name, value in meta if value]

    if report.draft:
        out += ["", f"> **{md_inline(report.draft_notice)}** {DRAFT_EXPLANATION}"]

    out += ["", "## Summary", ""]
    out.append(
        f"**{report.total}** {'claim' if report.total == 1 else 'claims'} in this report, "
        f"**{report.with_verdict}** with a verdict, "
        f"**{report.approved}** approved."
    )
    if report.by_verdict:
        out += ["", "| Verdict | Claims | Share |", "| :-- | --: | --: |"]
        out += [f"| {md_inline(c.label)} | {c.count} | {c.share:.0%} |" for c in report.by_verdict]
        states = [f"{c.label} {c.count}" for c in report.by_state if c.count]
        out += ["", "By state: " + " · ".join(states) + "."]
    if report.scope_notice:
        out += ["", f"> {report.scope_notice}"]

    if report.claims:
        out += ["", "## Claims"]
        for claim in report.claims:
            out += ["", *_claim(claim)]
    return "\n".join(out) + "\n"


def _claim(claim: ReportClaim) -> list[str]:
    facts = f"**State:** {claim.state_label} · **Kind:** {claim.kind_label}"
    if claim.speaker:
        facts += f" · **Said by:** {md_inline(claim.speaker)}"
    if claim.in_comment:
        facts += " · In a reader comment"
    parts = [claim.verdict.name] if claim.verdict is not None else []
    parts += [claim.conclusion] if claim.conclusion else []
    verdict = " — ".join(md_inline(part) for part in parts) or f"*{NO_VERDICT}*"
    lines = [
        f"### {claim.number}. “{md_inline(claim.shown_quote)}”",
        "",
        facts,
        "",
        f"**Verdict:** {verdict}",
    ]
    if claim.approval:
        lines += ["", f"*{md_inline(claim.approval)}*"]
    lines += ["", md_block(claim.summary) or "*No verdict summary yet.*"]
    lines += ["", "**Sources:**", ""]
    if not claim.sources:
        lines.append("*No sources recorded.*")
    for i, source in enumerate(claim.sources, 1):
        marker = f"{i}. "
        lines.append(marker + _source(source))
        # Continuation lines must be indented past the list marker to stay in the item.
        indent = " " * len(marker)
        if source.passage.strip():
            passage = md_block(source.passage).split("\n")
            lines += ["", *(indent + "> " + line if line else indent + ">" for line in passage)]
        if source.note.strip():
            note = md_block(source.note).split("\n")
            lines += ["", *(indent + line if line else "" for line in note)]
    if claim.evidence:
        lines += ["", "**Evidence:**", ""]
    for ev in claim.evidence:
        lines.append(f"- *{ev.kind_label}:* {md_inline(ev.summary)}")
        if ev.is_comparison:
            for label, url, runs in ((ev.left_label, ev.left_url, ev.left_runs), (ev.right_label, ev.right_url, ev.right_runs)):
                text = " ".join(f"**{md_inline(t)}**" if only else md_inline(t) for t, only in runs)
                name = md_link(label or url, url) if url else md_inline(label)
                lines += ["", f"  > {name}: {text}"]
        for line in ev.figures:
            lines.append(f"  - {md_inline(line)}")
    return lines


def _source(source: ReportSource) -> str:
    title = source.title or source.url
    if source.is_link:
        text = md_link(title, source.url)
    elif source.title and source.url:
        text = f"{md_inline(title)} ({md_inline(source.url)}, not a web link)"
    else:
        text = md_inline(title) + (" (not a web link)" if source.url else "")
    details = [md_inline(source.publisher)] if source.publisher else []
    if source.kind_label:
        details.append(source.kind_label.lower())
    if source.accessed:
        details.append(f"accessed {human_date(source.accessed)}")
    if source.archive_is_link:
        archived = f"archived copy of {human_date(source.archived_at.date())}" if source.archived_at else "archived copy"
        details.append(md_link(archived, source.archived_url))
    elif source.snapshot_at:
        details.append(f"snapshot kept {human_date(source.snapshot_at.date())}")
    if details:
        text += " — " + ", ".join(details)
    if source.link_note:
        text += f" *({md_inline(source.link_note)})*"
    if source.stance_label:
        text = f"*{source.stance_label}:* {text}"
    return text
