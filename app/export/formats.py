"""One entry point for every export format: its renderer, file suffix, MIME type and name."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable
from pathlib import Path

from app.export.claimreview import render_claimreview
from app.export.data import render_csv, render_json
from app.export.html import render_html
from app.export.markdown import render_markdown
from app.export.report import Report
from app.files import write_atomically

# Everything a user can export. PDF is drawn by Qt, so app.ui.pdf writes it (see export_to there);
# the rest are text, rendered here without Qt.
FORMATS = ("html", "pdf", "md", "json", "csv", "claimreview")
TEXT_FORMATS = ("html", "md", "json", "csv", "claimreview")

SUFFIXES: dict[str, str] = {
    "html": ".html",
    "pdf": ".pdf",
    "md": ".md",
    "json": ".json",
    "csv": ".csv",
    "claimreview": ".jsonld",
}

MIME_TYPES: dict[str, str] = {
    "html": "text/html",
    "pdf": "application/pdf",
    "md": "text/markdown",
    "json": "application/json",
    "csv": "text/csv",
    "claimreview": "application/ld+json",
}

LABELS: dict[str, str] = {
    "html": "HTML report",
    "pdf": "PDF",
    "md": "Markdown",
    "json": "JSON",
    "csv": "CSV, one row per claim",
    "claimreview": "ClaimReview JSON-LD",
}

_PLAIN_RENDERERS: dict[str, Callable[[Report], str]] = {
    "html": render_html,
    "md": render_markdown,
    "json": render_json,
    "csv": render_csv,
}


def export_report(report: Report, fmt: str, *, report_url: str = "", organisation: str = "") -> str:
    """The report rendered as fmt, one of TEXT_FORMATS.

    report_url (where the HTML report is published) and organisation (who publishes it) are used
    by "claimreview" only, which refuses to run without them (ValidationError).
    """
    if fmt == "claimreview":
        return render_claimreview(report, report_url=report_url, organisation=organisation)
    render = _PLAIN_RENDERERS.get(fmt)
    if render is not None:
        return render(report)
    if fmt == "pdf":
        raise ValueError("PDF is drawn by Qt: write it with app.ui.pdf.write_pdf or export_to.")
    raise ValueError(f"Unknown export format {fmt!r}; choose one of: {', '.join(FORMATS)}")


def write_report(
    report: Report, fmt: str, path: Path, *, report_url: str = "", organisation: str = ""
) -> None:
    """Render and save; CSV gets a byte-order mark because Excel otherwise misreads UTF-8."""
    text = export_report(report, fmt, report_url=report_url, organisation=organisation)
    # A failed export must never leave half a report where a good one was.
    write_atomically(path, text, encoding="utf-8-sig" if fmt == "csv" else "utf-8")


def suggested_path(path: Path, fmt: str) -> Path:
    """path ending in fmt's suffix: another format's suffix is replaced, any other is kept and
    the right one added ("report.v2" -> "report.v2.md")."""
    suffix = SUFFIXES[fmt]
    if path.suffix.lower() == suffix:
        return path
    known = set(SUFFIXES.values()) | {".htm", ".markdown", ".json-ld"}
    if path.suffix.lower() in known:
        return path.with_suffix(suffix)
    return path.with_name(path.name + suffix)


def slug(title: str) -> str:
    """A file name from the article's title: plain ASCII words joined by hyphens."""
    ascii_title = unicodedata.normalize("NFKD", title).encode("ascii", "ignore").decode()
    words = re.findall(r"[a-z0-9]+", ascii_title.lower())
    return "-".join(words[:8]) or "fact-check-report"
