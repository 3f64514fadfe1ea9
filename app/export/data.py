"""Machine-readable reports: JSON for other tools, CSV for spreadsheets."""

from __future__ import annotations

import csv
import io
import json
from typing import Any

from app.export.report import Report, ReportClaim

JSON_FORMAT = "claimdesk-report"
JSON_VERSION = 1

CSV_HEADER = (
    "number",
    "quote",
    "kind",
    "status",
    "summary",
    "notes",
    "start",
    "end",
    "source_count",
    "sources",
)

# A spreadsheet runs a cell starting with these as a formula (OWASP "CSV injection").
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def render_json(report: Report) -> str:
    article = report.article
    data = {
        "format": JSON_FORMAT,
        "version": JSON_VERSION,
        "generated_at": report.generated_at.isoformat(),
        "article": {
            "title": article.title,
            "outlet": article.outlet,
            "author": article.author,
            "source_url": article.source_url,
            "published": article.published.isoformat() if article.published else None,
        },
        "summary": {
            "total": report.total,
            "resolved": report.resolved,
            "by_status": [
                {
                    "status": c.status.value,
                    "label": c.label,
                    "colour": c.colour,
                    "count": c.count,
                    "share": c.share,
                }
                for c in report.by_status
            ],
        },
        "included": report.included,
        "omitted": report.omitted,
        "claims": [_claim_json(claim) for claim in report.claims],
    }
    return json.dumps(data, ensure_ascii=False, indent=2) + "\n"


def _claim_json(claim: ReportClaim) -> dict[str, Any]:
    return {
        "number": claim.number,
        "anchor": claim.anchor,
        "start": claim.start,
        "end": claim.end,
        "quote": claim.quote,
        "kind": claim.kind.value,
        "status": claim.status.value,
        "summary": claim.summary,
        "notes": claim.notes,
        "sources": [
            {
                "url": s.url,
                "title": s.title,
                "publisher": s.publisher,
                "note": s.note,
                "accessed": s.accessed.isoformat() if s.accessed else None,
            }
            for s in claim.sources
        ],
    }


def csv_cell(value: str) -> str:
    """Text a spreadsheet shows as typed: a leading apostrophe stops it being run as a formula."""
    return "'" + value if value.startswith(_FORMULA_START) else value


def render_csv(report: Report) -> str:
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer)
    writer.writerow(CSV_HEADER)
    for claim in report.claims:
        writer.writerow(
            [
                claim.number,
                csv_cell(claim.quote),
                csv_cell(claim.kind_label),
                csv_cell(claim.status_label),
                csv_cell(claim.summary),
                csv_cell(claim.notes),
                claim.start,
                claim.end,
                len(claim.sources),
                csv_cell(" | ".join(s.url for s in claim.sources)),
            ]
        )
    return buffer.getvalue()
