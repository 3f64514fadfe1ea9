"""Fact-check reports: build a report model from an article and its claims, then render it.

No Qt here: PDF, which Qt draws, lives in app.ui.pdf and renders the same report model.
"""

from app.export.claimreview import claim_reviewed, claimreview_document, render_claimreview
from app.export.data import render_csv, render_json, schema_path
from app.export.formats import (
    FORMATS,
    LABELS,
    MIME_TYPES,
    SUFFIXES,
    TEXT_FORMATS,
    export_report,
    slug,
    suggested_path,
    write_report,
)
from app.export.html import render_html, render_print_html
from app.export.markdown import render_markdown
from app.export.report import (
    INCLUDE_CHOICES,
    INCLUDE_LABELS,
    ArticleInfo,
    Report,
    ReportClaim,
    ReportSource,
    Segment,
    StateCount,
    VerdictCount,
    build_report,
)

__all__ = [
    "FORMATS",
    "INCLUDE_CHOICES",
    "INCLUDE_LABELS",
    "LABELS",
    "MIME_TYPES",
    "SUFFIXES",
    "TEXT_FORMATS",
    "ArticleInfo",
    "Report",
    "ReportClaim",
    "ReportSource",
    "Segment",
    "StateCount",
    "VerdictCount",
    "build_report",
    "claim_reviewed",
    "claimreview_document",
    "export_report",
    "render_claimreview",
    "render_csv",
    "render_html",
    "render_json",
    "render_markdown",
    "render_print_html",
    "schema_path",
    "slug",
    "suggested_path",
    "write_report",
]
