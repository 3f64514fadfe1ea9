"""Rows to domain objects and back, and the bulk inserts: the only code that knows both.

The builders from plain rows live in app.storage.rows, which loads without SQLAlchemy; they are
re-exported here, so a caller reaches every row <-> domain function through this module.

Column defaults are not restated here: they live once, in app.storage.models, and Core
inserts of a list of dicts fill in whatever a dict leaves out.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from datetime import datetime
from typing import Any, TypeVar

from sqlalchemy import Table, select, update
from sqlalchemy.orm import Session

from app.domain import Claim, DetectedClaim, Kind, Origin, Rating, Source, SourceKind, Stance
from app.domain.evidence import Evidence, EvidenceKind
from app.domain.segments import Segment
from app.storage import bulk
from app.storage.errors import NotFound
from app.storage.models import (
    ArticleRow,
    ClaimRow,
    EvidenceRow,
    RejectedSuggestionRow,
    SegmentRow,
    SourceLinkRow,
    SourceRow,
)
from app.storage.rows import CONTEXT_CHARS as CONTEXT_CHARS
from app.storage.rows import LINK_COLUMNS as LINK_COLUMNS
from app.storage.rows import SEGMENT_COLUMNS as SEGMENT_COLUMNS
from app.storage.rows import article as article
from app.storage.rows import claims_of as claims_of
from app.storage.rows import context_of as context_of
from app.storage.rows import evidence as evidence
from app.storage.rows import health as health
from app.storage.rows import history_entry as history_entry
from app.storage.rows import segment as segment
from app.storage.rows import segments_of as segments_of
from app.storage.rows import source_of as source_of
from app.storage.rows import sources_by_claim as sources_by_claim

_Row = TypeVar("_Row", ArticleRow, ClaimRow, SourceRow)


def get(s: Session, model: type[_Row], key: int) -> _Row:
    """The row, or NotFound with one line for the user."""
    row = s.get(model, key)
    if row is None:
        raise NotFound(f"No {model.__tablename__} with id {key}.")
    return row


def insert_segments(s: Session, article_id: int, segments: Sequence[Segment]) -> None:
    bulk.insert_many(s, _SEGMENT_TABLE, _SEGMENT_KEYS, [
        (article_id, g.start, g.end, g.kind.value, g.speaker, g.author, g.date, g.lang) for g in segments
    ])


_SEGMENT_TABLE: Table = SegmentRow.__table__  # type: ignore[assignment]
_SEGMENT_KEYS = ("article_id", "start_offset", "end_offset", "kind", "speaker", "author", "date", "lang")


def next_numbers(s: Session, article_id: int, count: int) -> int:
    """Reserve `count` public claim numbers in the article; returns the first.

    A Core UPDATE, not the ORM: reserving numbers is not an edit of the article's details, so
    it neither needs nor bumps the article's version.
    """
    table = ArticleRow.__table__
    assert isinstance(table, Table)
    last = s.execute(
        update(table).where(table.c.id == article_id)
        .values(claims_numbered=table.c.claims_numbered + count)
        .returning(table.c.claims_numbered)
    ).scalar_one()
    return int(last) - count + 1


def insert_detected(
    s: Session, article_id: int, text: str, detected: Sequence[DetectedClaim], now: datetime,
    first: int | None = None,
) -> None:
    """One executemany of plain tuples (app.storage.bulk): the ORM's bulk insert of dicts cost
    about 80 ms more for 2,000 claims than the statement itself. The claims get the article's next
    public numbers, in text order; `first`: numbers the caller reserved already (a new article
    inserted with them: reserving them here would rewrite its row, the whole text with it)."""
    if not detected:
        return
    detected = sorted(detected, key=lambda d: (d.start, -d.end))
    if first is None:
        first = next_numbers(s, article_id, len(detected))
    origin = Origin.DETECTED.value
    rows = []
    for number, d in enumerate(detected, first):
        before, after = context_of(text, d.start, d.end)
        rows.append((
            article_id, d.start, d.end, text[d.start : d.end], before, after, Kind(d.kind).value, d.score, origin,
            d.speaker or "", d.lang, d.from_comment, now, now, number,
        ))
    bulk.insert_many(s, _CLAIM_TABLE, _DETECTED_KEYS, rows)


_CLAIM_TABLE: Table = ClaimRow.__table__  # type: ignore[assignment]
_DETECTED_KEYS = (
    "article_id", "start_offset", "end_offset", "quote", "context_before", "context_after", "kind", "score", "origin",
    "speaker", "lang", "from_comment", "created_at", "updated_at", "number",
)


def insert_suggestions_around(
    s: Session, article_id: int, text: str, detected: Sequence[DetectedClaim],
    kept: Sequence[tuple[int, int]], now: datetime,
) -> set[int]:
    """Insert the detector's suggestions for the article's text, leaving out those the fact-checker
    rejected at the same place and words, and those that overlap a span in `kept` (claims that
    stay); the new claims' ids."""
    rejected = {
        (r.start_offset, r.end_offset, r.quote)
        for r in s.scalars(select(RejectedSuggestionRow).where(RejectedSuggestionRow.article_id == article_id))
    }
    fresh = [
        d for d in detected
        if (d.start, d.end, text[d.start : d.end]) not in rejected
        and not any(d.start < end and start < d.end for start, end in kept)
    ]
    s.flush()
    in_article = select(ClaimRow.id).where(ClaimRow.article_id == article_id)
    before = set(s.scalars(in_article))
    insert_detected(s, article_id, text, fresh, now)
    return set(s.scalars(in_article)) - before


def source_row(source: Source) -> SourceRow:
    return SourceRow(
        id=source.id, claim_id=source.claim_id, url=source.url, title=source.title,
        publisher=source.publisher, note=source.note, accessed=source.accessed, kind=source.kind.value,
        stance=source.stance.value, passage=source.passage, archived_url=source.archived_url,
        version=source.version,
    )


def claim_row(claim: Claim, now: datetime) -> ClaimRow:
    """A row that puts back a claim exactly as it was (undo of a deletion keeps its id)."""
    return ClaimRow(
        id=claim.id, article_id=claim.article_id, start_offset=claim.start, end_offset=claim.end,
        quote=claim.quote, context_before=claim.context_before, context_after=claim.context_after,
        kind=claim.kind.value, score=claim.score, origin=claim.origin.value, accepted=claim.accepted,
        speaker=claim.speaker, lang=claim.lang, from_comment=claim.from_comment, state=claim.state.value,
        verdict_id=claim.verdict.id if claim.verdict else None, conclusion=claim.conclusion,
        verdict_by=claim.verdict_by, approved_by=claim.approved_by, approved_at=claim.approved_at,
        summary=claim.summary, notes=claim.notes, created_at=claim.created_at or now, updated_at=now,
        version=claim.version, number=claim.number, anchor=claim.anchor.value, anchor_note=claim.anchor_note,
        suggest_start=claim.suggest_start, suggest_end=claim.suggest_end,
    )


def source(row: SourceRow) -> Source:
    return Source(
        row.id, row.claim_id, row.url, row.title, row.publisher, row.note, row.accessed,
        SourceKind(row.kind), Stance(row.stance), row.passage, row.archived_url, row.version, health(row.link),
    )


def link_columns() -> list[Any]:
    """source_link's columns for a Core select joined to source (see source_of)."""
    table = SourceLinkRow.__table__
    return [table.c[name].label(f"link_{name}") for name in LINK_COLUMNS]


_CLAIM_COLUMNS = tuple(column.key for column in ClaimRow.__table__.columns)


def claim(row: ClaimRow, ratings: dict[int, Rating]) -> Claim:
    """A claim from its ORM row, built as claims_of builds a Core row's."""
    values = tuple(getattr(row, name) for name in _CLAIM_COLUMNS)
    (made,) = claims_of(_CLAIM_COLUMNS, [values], {row.id: [source(src) for src in row.sources]}, ratings)
    return made


def evidence_row(item: Evidence) -> EvidenceRow:
    """A row for evidence (its id kept when it is put back by undo; 0 lets the database choose)."""
    detail = [[op.op, op.left, op.right] for op in item.diff] if item.kind is EvidenceKind.COMPARISON else list(item.figures)
    return EvidenceRow(
        id=item.id or None, claim_id=item.claim_id, kind=item.kind.value,
        left_label=item.left.label, left_url=item.left.url, left_text=item.left.text,
        right_label=item.right.label, right_url=item.right.url, right_text=item.right.text,
        similarity=item.similarity, summary=item.summary, detail=json.dumps(detail, ensure_ascii=False),
        mismatch=item.mismatch, created_by=item.created_by, created_at=item.created_at,
    )
