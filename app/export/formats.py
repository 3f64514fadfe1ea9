"""One entry point for every export format: its renderer, file suffix and MIME type."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from app.files import write_atomically
from app.export.data import render_csv, render_json
from app.export.html import render_html
from app.export.markdown import render_markdown
from app.export.report import Report

FORMATS = ("html", "md", "json", "csv")

SUFFIXES: dict[str, str] = {"html": ".html", "md": ".md", "json": ".json", "csv": ".csv"}

MIME_TYPES: dict[str, str] = {
    "html": "text/html",
    "md": "text/markdown",
    "json": "application/json",
    "csv": "text/csv",
}

_RENDERERS: dict[str, Callable[[Report], str]] = {
    "html": render_html,
    "md": render_markdown,
    "json": render_json,
    "csv": render_csv,
}


def export_report(report: Report, fmt: str) -> str:
    """The report rendered as fmt, one of FORMATS."""
    render = _RENDERERS.get(fmt)
    if render is None:
        raise ValueError(f"Unknown export format {fmt!r}; choose one of: {', '.join(FORMATS)}")
    return render(report)


def write_report(report: Report, fmt: str, path: Path) -> None:
    """Render and save; CSV gets a byte-order mark because Excel otherwise misreads UTF-8."""
    text = export_report(report, fmt)
    # A failed export must never leave half a report where a good one was.
    write_atomically(path, text, encoding="utf-8-sig" if fmt == "csv" else "utf-8")
