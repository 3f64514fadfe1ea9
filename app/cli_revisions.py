"""The command line's side of revisions: `import FILE --revision-of ID`, and a text from the link of
an article already here, stored as that article's next revision (no Qt)."""

from __future__ import annotations

import sys
from typing import Any

from app.domain import Anchor
from app.ingest import ImportedText


def target(bench: Any, imported: ImportedText, revision_of: int | None) -> int | None:
    """Which article `imported` is a new revision of: the one named, else the one imported from
    the same link; None: a new article."""
    if revision_of is not None:
        bench.article(revision_of)  # NotFound, in one line, for an id that is not there
        return revision_of
    return bench.article_by_url(imported.source_url) if imported.source_url else None


def import_revision(bench: Any, article_id: int, imported: ImportedText) -> int:
    """Store the new revision; the article's id on stdout, what became of its claims on stderr."""
    from app.ingest.model import printable

    summary, _ = bench.import_revision(article_id, imported)
    print(article_id)
    print(printable(summary.describe()), file=sys.stderr)
    for claim in bench.claims(article_id):
        if claim.anchor is not Anchor.ANCHORED:
            print(printable(f"  {article_id}#{claim.number}  {claim.anchor.label}: {claim.anchor_note}"), file=sys.stderr)
    return 0
