"""Fact-check reports: build a report model from an article and its claims, then render it."""

from app.export.data import render_csv, render_json
from app.export.formats import FORMATS, MIME_TYPES, SUFFIXES, export_report, write_report
from app.export.html import render_html
from app.export.markdown import render_markdown
from app.export.report import (
    ArticleInfo,
    Report,
    ReportClaim,
    ReportSource,
    Segment,
    StatusCount,
    build_report,
)

__all__ = [
    "FORMATS",
    "MIME_TYPES",
    "SUFFIXES",
    "ArticleInfo",
    "Report",
    "ReportClaim",
    "ReportSource",
    "Segment",
    "StatusCount",
    "build_report",
    "export_report",
    "render_csv",
    "render_html",
    "render_json",
    "render_markdown",
    "write_report",
]
