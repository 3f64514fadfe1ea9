"""Machine-readable reports: JSON for other tools, CSV for spreadsheets."""

from __future__ import annotations

import csv
import io
import json
import unicodedata
from datetime import datetime
from pathlib import Path
from typing import Any

from app.domain import Rating
from app.export.report import Report, ReportClaim
from app.paths import resources_dir

JSON_FORMAT = "claimdesk-report"
# 2: private notes left out, speaker and final added, sources carry kind, stance, passage, archive.
# 3: status split into the workflow state and the verdict (a rating scale's label, or a written
#    conclusion) with who set and who approved it; the summary counts by verdict and by state.
# 4: each claim carries its saved evidence (passage comparisons with their diff, figures checks).
# 5: each claim carries "text_anchor": where it stands in the article's current revision
#    (anchored, changed, orphaned) and why; "anchor" is still the HTML id (issue #13). Sources
#    carry what was kept of them and their link's last check: archived_at, snapshot_at,
#    link_state, link_checked_at, link_final_url (issue #14, "sources that last").
JSON_VERSION = 5
# resources/schema/report.schema.json describes this output (JSON Schema draft 2020-12).
SCHEMA_FILE = "report.schema.json"

CSV_HEADER = (
    "number",
    "quote",
    "kind",
    "state",
    "verdict",
    "approved_by",
    "speaker",
    "summary",
    "start",
    "end",
    "source_count",
    "sources",
)

# A spreadsheet runs a cell starting with these as a formula (OWASP "CSV injection"), and some
# (Excel with East Asian input, LibreOffice) take the fullwidth signs as the ASCII ones.
_FORMULA_START = frozenset("=+-@\t\r\uff1d\uff0b\uff0d\uff20")
# What a spreadsheet skips before it looks for that sign: spaces of every width, line breaks,
# control characters and the invisible format characters (zero-width space, BOM, bidi marks).
_SKIPPED = frozenset(("Zs", "Zl", "Zp", "Cc", "Cf"))


def _stamp(value: datetime | None) -> str | None:
    return value.isoformat(timespec="seconds") if value is not None else None


def schema_path() -> Path:
    """The JSON Schema of render_json's output, shipped with the app."""
    return resources_dir() / "schema" / SCHEMA_FILE


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
            "with_verdict": report.with_verdict,
            "approved": report.approved,
            "draft": report.draft,
            "by_verdict": [
                {
                    "kind": c.kind,
                    "scale": c.rating.scale if c.rating is not None else None,
                    "key": c.rating.key if c.rating is not None else None,
                    "label": c.label,
                    "colour": c.colour,
                    "value": c.rating.value if c.rating is not None else None,
                    "count": c.count,
                    "share": c.share,
                }
                for c in report.by_verdict
            ],
            "by_state": [
                {"state": c.state.value, "label": c.label, "count": c.count, "share": c.share}
                for c in report.by_state
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
        "text_anchor": {"state": claim.text_anchor.value, "label": claim.text_anchor.label,
                        "note": claim.claim.anchor_note},
        "start": claim.start,
        "end": claim.end,
        "quote": claim.quote,
        "kind": claim.kind.value,
        "state": claim.state.value,
        "verdict": _verdict_json(claim.verdict),
        "conclusion": claim.conclusion,
        "verdict_by": claim.verdict_by,
        "approved_by": claim.approved_by,
        "approved_at": claim.approved_at.isoformat() if claim.approved_at else None,
        "speaker": claim.speaker or None,
        "summary": claim.summary,
        "sources": [
            {
                "url": s.url,
                "title": s.title,
                "publisher": s.publisher,
                "note": s.note,
                "accessed": s.accessed.isoformat() if s.accessed else None,
                "kind": s.kind.value if s.kind is not None else None,
                "stance": s.stance.value if s.stance is not None else None,
                "passage": s.passage,
                "archived_url": s.archived_url,
                "archived_at": _stamp(s.archived_at),
                "snapshot_at": _stamp(s.snapshot_at),
                "link_state": s.link_state.value if s.link_state is not None else None,
                "link_checked_at": _stamp(s.link_checked_at),
                "link_final_url": s.link_final_url,
            }
            for s in claim.sources
        ],
        "evidence": [
            {
                "kind": e.kind.value,
                "summary": e.summary,
                "left": {"label": e.left_label, "url": e.left_url},
                "right": {"label": e.right_label, "url": e.right_url},
                "similarity": e.similarity,
                "left_runs": [{"text": text, "only_here": only} for text, only in e.left_runs],
                "right_runs": [{"text": text, "only_here": only} for text, only in e.right_runs],
                "figures": list(e.figures),
                "mismatch": e.mismatch,
            }
            for e in claim.evidence
        ],
    }


def _verdict_json(verdict: Rating | None) -> dict[str, Any] | None:
    if verdict is None:
        return None
    return {
        "scale": verdict.scale,
        "key": verdict.key,
        "name": verdict.name,
        "value": verdict.value,
        "final": verdict.final,
        "alternate_name": verdict.alternate_name,
    }


def csv_cell(value: str) -> str:
    """Text a spreadsheet shows as typed: a leading apostrophe stops it being run as a formula,
    also when blanks or invisible characters hide the sign (" =1+1", "\u200b=1+1", "＝1+1")."""
    for char in value:
        if char in _FORMULA_START:
            return "'" + value
        if unicodedata.category(char) not in _SKIPPED:
            return value
    return value


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
                csv_cell(claim.state_label),
                csv_cell(claim.verdict_name),
                csv_cell(claim.approved_by),
                csv_cell(claim.speaker),
                csv_cell(claim.summary),
                claim.start,
                claim.end,
                len(claim.sources),
                csv_cell(" | ".join(s.url for s in claim.sources)),
            ]
        )
    return buffer.getvalue()
