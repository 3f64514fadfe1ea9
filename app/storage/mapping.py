"""Rows to domain objects and back, and the bulk inserts: the only code that knows both.

Column defaults are not restated here: they live once, in app.storage.models, and Core
inserts of a list of dicts fill in whatever a dict leaves out.
"""

from __future__ import annotations

import dataclasses
import json
from collections.abc import Callable, Iterable, Sequence
from datetime import datetime
from typing import Any, TypeVar

from sqlalchemy import Boolean, DateTime, Row, Table, insert, select, update
from sqlalchemy.orm import Session

from app.domain import (
    Anchor,
    Article,
    Claim,
    DetectedClaim,
    HistoryEntry,
    Kind,
    Origin,
    Rating,
    Source,
    SourceKind,
    Stance,
    State,
)
from app.domain.evidence import DiffOp, Evidence, EvidenceKind, Passage
from app.domain.links import LinkState, SourceHealth
from app.domain.segments import Segment, SegmentKind
from app.storage.errors import NotFound
from app.storage.models import (
    ArticleRow,
    ClaimRow,
    EvidenceRow,
    HistoryRow,
    RejectedSuggestionRow,
    SegmentRow,
    SourceLinkRow,
    SourceRow,
)

CONTEXT_CHARS = 32  # text kept on each side of a claim, for reports and the table

_Row = TypeVar("_Row", ArticleRow, ClaimRow, SourceRow)


def get(s: Session, model: type[_Row], key: int) -> _Row:
    """The row, or NotFound with one line for the user."""
    row = s.get(model, key)
    if row is None:
        raise NotFound(f"No {model.__tablename__} with id {key}.")
    return row


def context_of(text: str, start: int, end: int) -> tuple[str, str]:
    return text[max(0, start - CONTEXT_CHARS) : start], text[end : end + CONTEXT_CHARS]


def insert_segments(s: Session, article_id: int, segments: Sequence[Segment]) -> None:
    if segments:
        s.execute(
            insert(SegmentRow),
            [
                {
                    "article_id": article_id, "start_offset": g.start, "end_offset": g.end, "kind": g.kind.value,
                    "speaker": g.speaker, "author": g.author, "date": g.date, "lang": g.lang,
                }
                for g in segments
            ],
        )


def segment(row: SegmentRow | Row[Any]) -> Segment:
    """From an ORM row or a Core row of the segment table (the same attribute names)."""
    return Segment(
        row.start_offset, row.end_offset, SegmentKind(row.kind), row.speaker, row.author, row.date, row.lang
    )


SEGMENT_COLUMNS = ("start_offset", "end_offset", "kind", "speaker", "author", "date", "lang")
"""The segment table's columns in Segment's field order, for segments_of."""

_SEGMENT_KINDS = {k.value: k for k in SegmentKind}


def segments_of(rows: Iterable[Sequence[Any]]) -> tuple[Segment, ...]:
    """Segments from plain rows of SEGMENT_COLUMNS, by position: SegmentKind(value) and a Row's
    attribute look-ups per row were most of reading a long article's thousands of segments."""
    kinds = _SEGMENT_KINDS
    return tuple(
        Segment(start, end, kinds.get(kind) or SegmentKind(kind), speaker, author, date, lang)
        for start, end, kind, speaker, author, date, lang in rows
    )


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


def insert_detected(s: Session, article_id: int, text: str, detected: Sequence[DetectedClaim], now: datetime) -> None:
    """Core insert of a list of dicts: about 10x faster than add_all for thousands of claims.
    The claims get the article's next public numbers, in text order."""
    if not detected:
        return
    detected = sorted(detected, key=lambda d: (d.start, -d.end))
    first = next_numbers(s, article_id, len(detected))
    rows = []
    for number, d in enumerate(detected, first):
        before, after = context_of(text, d.start, d.end)
        rows.append({
            "article_id": article_id, "start_offset": d.start, "end_offset": d.end, "quote": text[d.start : d.end],
            "context_before": before, "context_after": after, "kind": Kind(d.kind).value, "score": d.score,
            "origin": Origin.DETECTED.value, "speaker": d.speaker or "", "lang": d.lang,
            "from_comment": d.from_comment, "created_at": now, "updated_at": now, "number": number,
        })
    s.execute(insert(ClaimRow), rows)


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


def article(row: ArticleRow) -> Article:
    return Article(
        id=row.id, title=row.title, text=row.text, text_hash=row.text_hash, source_url=row.source_url,
        outlet=row.outlet, author=row.author, published=row.published, imported_at=row.imported_at,
        version=row.version,
    )


def source_of(r: Any) -> Source:
    """A source from a Core mapping of the source table, with its link's health where the query
    joined source_link under LINK_COLUMNS' labels."""
    health = None
    if r.get("link_source_id") is not None:
        health = _health({name: r[f"link_{name}"] for name in LINK_COLUMNS})
    return Source(
        r["id"], r["claim_id"], r["url"], r["title"], r["publisher"], r["note"], r["accessed"],
        SourceKind(r["kind"]), Stance(r["stance"]), r["passage"], r["archived_url"], r["version"], health,
    )


LINK_COLUMNS = ("source_id", "state", "detail", "final_url", "checked_at", "similarity", "snapshot_at",
                "archive_url", "archived_at")


def link_columns() -> list[Any]:
    """source_link's columns for a Core select joined to source (see source_of)."""
    table = SourceLinkRow.__table__
    return [table.c[name].label(f"link_{name}") for name in LINK_COLUMNS]


def _health(v: dict[str, Any]) -> SourceHealth:
    return SourceHealth(
        LinkState(v["state"]) if v["state"] else None, v["detail"], v["final_url"], v["checked_at"],
        v["similarity"], v["snapshot_at"], v["archive_url"], v["archived_at"],
    )


def health(row: SourceLinkRow | None) -> SourceHealth | None:
    return None if row is None else _health({name: getattr(row, name) for name in LINK_COLUMNS})


def source(row: SourceRow) -> Source:
    return Source(
        row.id, row.claim_id, row.url, row.title, row.publisher, row.note, row.accessed,
        SourceKind(row.kind), Stance(row.stance), row.passage, row.archived_url, row.version, health(row.link),
    )


# Enum look-ups by value: Kind(value) goes through EnumMeta.__call__, a tenth of reading 5,000 claims.
_KINDS = {k.value: k for k in Kind}
_STATES = {k.value: k for k in State}
_ORIGINS = {k.value: k for k in Origin}
_ANCHORS = {k.value: k for k in Anchor}


_CLAIM_FIELDS = {f.name for f in dataclasses.fields(Claim)}
_RENAMED = {"start_offset": "start", "end_offset": "end", "verdict_id": "verdict"}


def claims_of(names: Sequence[str], rows: Iterable[Sequence[Any]], sources: dict[int, list[Source]],
              ratings: dict[int, Rating], *, from_sqlite: bool = False) -> list[Claim]:
    """Claims from plain rows of the claim table whose columns are `names` (a Core result's
    keys). By position, not by name: a Row's attribute look-up cost 20 µs a claim, most of
    reading 5,000. Columns the Claim has no field for are left out.

    `from_sqlite`: the rows come straight from SQLite's driver, DATETIME columns as the text
    SQLAlchemy's SQLite dialect stores ("2026-11-30 09:09:26.000000") and BOOLEAN ones as 0 or
    1, turned here into what SQLAlchemy turns them into (datetime.fromisoformat, bool): its own
    pass over every value of every row for that was a tenth of reading 5,000 claims."""
    keep = [(i, _RENAMED.get(n, n)) for i, n in enumerate(names) if _RENAMED.get(n, n) in _CLAIM_FIELDS]
    at = {name: i for i, name in keep}
    build = _claim_builder(at, from_sqlite)
    return [build(r, _KINDS, _STATES, _ORIGINS, _ANCHORS, ratings, sources) for r in rows]


_FIELD_ORDER = tuple(f.name for f in dataclasses.fields(Claim))
_ENUM_FIELDS = {"kind": ("kinds", "Kind"), "state": ("states", "State"), "origin": ("origins", "Origin"),
                "anchor": ("anchors", "Anchor")}  # field: (its look-up by value, its enum)
_DEFAULTS = {f.name: f.default for f in dataclasses.fields(Claim) if f.default is not dataclasses.MISSING}
# The Claim fields stored in DATETIME and BOOLEAN columns, which SQLite's driver gives as text and 0/1.
_DATE_FIELDS = frozenset(_RENAMED.get(c.key, c.key) for c in ClaimRow.__table__.columns if isinstance(c.type, DateTime))
_BOOL_FIELDS = frozenset(_RENAMED.get(c.key, c.key) for c in ClaimRow.__table__.columns if isinstance(c.type, Boolean))
_BUILDERS: dict[tuple[tuple[int, ...], bool], Callable[..., Claim]] = {}


def _claim_builder(at: dict[str, int], from_sqlite: bool = False) -> Callable[..., Claim]:
    """A function from a row (columns at `at`) to its Claim, written out field by field for this
    column layout, as dataclasses writes __init__ (and cached per layout).

    Claim is a frozen slotted dataclass: its __init__ sets 28 fields through object.__setattr__,
    and the keywords, dicts and lists around it were more than half of reading 5,000 claims.
    Each slot's own descriptor sets it here instead, straight from the row; Claim has no
    __post_init__ to miss (a test holds this builder to Claim(...) field for field). A field
    whose column is not in the row takes its default, as Claim(...) would give it."""
    layout = (tuple(at.get(name, -1) for name in _FIELD_ORDER), from_sqlite)
    made = _BUILDERS.get(layout)
    if made is not None:
        return made
    env: dict[str, Any] = {"new": object.__new__, "Claim": Claim, "Kind": Kind, "State": State,
                           "Origin": Origin, "Anchor": Anchor, "empty": (), "stamp": datetime.fromisoformat}
    lines = ["def build(r, kinds, states, origins, anchors, ratings, sources):", "    o = new(Claim)"]
    for n, name in enumerate(_FIELD_ORDER):
        setter = f"set_{n}"
        env[setter] = getattr(Claim, name).__set__
        i = at.get(name, -1)
        if i < 0 and name != "sources":
            if name not in _DEFAULTS:
                raise KeyError(f"claim rows need a {name!r} column")
            env[f"default_{n}"] = _DEFAULTS[name]
            value = f"default_{n}"
        elif name in _ENUM_FIELDS:
            by_value, enum = _ENUM_FIELDS[name]
            value = f"{by_value}.get(r[{i}]) or {enum}(r[{i}])"
        elif name == "verdict":
            value = f"None if r[{i}] is None else ratings[r[{i}]]"
        elif name == "sources":
            value = f"tuple(sources.get(r[{at['id']}], empty))"
        elif from_sqlite and name in _DATE_FIELDS:
            value = f"None if r[{i}] is None else stamp(r[{i}])"
        elif from_sqlite and name in _BOOL_FIELDS:
            value = f"None if r[{i}] is None else bool(r[{i}])"
        else:
            value = f"r[{i}]"
        lines.append(f"    {setter}(o, {value})")
    lines.append("    return o")
    exec("\n".join(lines), env)  # our own field names and integers: nothing from outside
    built: Callable[..., Claim] = env["build"]
    _BUILDERS[layout] = built
    return built



_CLAIM_COLUMNS = tuple(column.key for column in ClaimRow.__table__.columns)


def claim(row: ClaimRow, ratings: dict[int, Rating]) -> Claim:
    """A claim from its ORM row, built as claims_of builds a Core row's."""
    values = tuple(getattr(row, name) for name in _CLAIM_COLUMNS)
    (made,) = claims_of(_CLAIM_COLUMNS, [values], {row.id: [source(src) for src in row.sources]}, ratings)
    return made


def history_entry(r: HistoryRow | Row[Any]) -> HistoryEntry:
    """From an ORM row or a Core row of the history table (the same attribute names)."""
    return HistoryEntry(
        r.id, r.claim_id, r.entity, r.entity_id, r.field, r.old_value, r.new_value, r.actor, r.at, r.version
    )


def evidence(row: EvidenceRow) -> Evidence:
    """Evidence from its row; `detail` is the diff runs (comparison) or figure lines (figures check)."""
    kind = EvidenceKind(row.kind)
    detail = json.loads(row.detail) if row.detail else []
    diff = tuple(DiffOp(*op) for op in detail) if kind is EvidenceKind.COMPARISON else ()
    figures = tuple(str(line) for line in detail) if kind is EvidenceKind.NUMBERS else ()
    return Evidence(
        id=row.id, claim_id=row.claim_id, kind=kind,
        left=Passage(row.left_text, row.left_label, row.left_url), right=Passage(row.right_text, row.right_label, row.right_url),
        summary=row.summary, similarity=row.similarity, diff=diff, figures=figures, mismatch=row.mismatch,
        created_by=row.created_by, created_at=row.created_at,
    )


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
