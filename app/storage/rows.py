"""Plain rows to domain objects, with neither SQLAlchemy nor the ORM models loaded.

The builders the first screen needs (claims, segments, sources, the article, history), so that
a read through a plain driver connection (Database.read_raw) can build them without loading
SQLAlchemy. app.storage.mapping re-exports every public name here, so its callers are unchanged;
the constants that mirror the models are held to them by tests/test_rows.py.

A builder takes a row by position (a driver's tuple) or by attribute (an ORM row or a Core Row:
the same names), never a Session: nothing here loads anything lazily.
"""

from __future__ import annotations

import dataclasses
import json
from collections.abc import Callable, Iterable, Sequence
from datetime import date, datetime
from operator import itemgetter
from typing import TYPE_CHECKING, Any

from app.domain import (
    Anchor,
    Article,
    Claim,
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

if TYPE_CHECKING:  # for the annotations only: never imported when the program runs
    from sqlalchemy import Row

    from app.storage.models import ArticleRow, EvidenceRow, HistoryRow, SegmentRow, SourceLinkRow

CONTEXT_CHARS = 32  # text kept on each side of a claim, for reports and the table


def context_of(text: str, start: int, end: int) -> tuple[str, str]:
    return text[max(0, start - CONTEXT_CHARS) : start], text[end : end + CONTEXT_CHARS]


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
# The source table's columns in Source's field order (its last field, health, is the joined link's).
SOURCE_COLUMNS = ("id", "claim_id", "url", "title", "publisher", "note", "accessed", "kind", "stance", "passage",
                  "archived_url", "version")
_SOURCE_KINDS = {k.value: k for k in SourceKind}
_STANCES = {k.value: k for k in Stance}


# The link columns stored in DATETIME columns, which SQLite's driver gives as text (see claims_of).
_LINK_STAMPS = ("checked_at", "snapshot_at", "archived_at")


def sources_by_claim(names: Sequence[str], rows: Iterable[Sequence[Any]], *,
                     from_sqlite: bool = False) -> dict[int, list[Source]]:
    """Sources from rows of a select of the source table joined to source_link under
    LINK_COLUMNS' labels (`names`: the result's keys), by claim id in the rows' order: what
    source_of builds from each row's mapping, read by position (a mapping per row and its look-ups
    by name were most of reading an article's sources). `from_sqlite`: as claims_of's, the DATE
    and DATETIME columns come as the text SQLAlchemy's SQLite dialect stores."""
    at = {name: i for i, name in enumerate(names)}
    fields = itemgetter(*(at[name] for name in SOURCE_COLUMNS))
    link = itemgetter(*(at[f"link_{name}"] for name in LINK_COLUMNS))
    linked = at["link_source_id"]
    kinds, stances = _SOURCE_KINDS, _STANCES
    found: dict[int, list[Source]] = {}
    for r in rows:
        sid, claim_id, url, title, publisher, note, accessed, kind, stance, passage, archived, version = fields(r)
        if r[linked] is None:
            health = None
        else:
            values = dict(zip(LINK_COLUMNS, link(r), strict=True))
            if from_sqlite:
                for name in _LINK_STAMPS:
                    values[name] = _stamp(values[name])
            health = _health(values)
        if from_sqlite and accessed is not None:
            accessed = date.fromisoformat(accessed)
        source = Source(sid, claim_id, url, title, publisher, note, accessed, kinds.get(kind) or SourceKind(kind),
                        stances.get(stance) or Stance(stance), passage, archived, version, health)
        found.setdefault(claim_id, []).append(source)
    return found


def _stamp(value: str | None) -> datetime | None:
    """A DATETIME column as SQLAlchemy's SQLite dialect stores it ("2026-11-30 09:09:26.000000")."""
    return None if value is None else datetime.fromisoformat(value)


def _health(v: dict[str, Any]) -> SourceHealth:
    return SourceHealth(
        LinkState(v["state"]) if v["state"] else None, v["detail"], v["final_url"], v["checked_at"],
        v["similarity"], v["snapshot_at"], v["archive_url"], v["archived_at"],
    )


def health(row: SourceLinkRow | None) -> SourceHealth | None:
    return None if row is None else _health({name: getattr(row, name) for name in LINK_COLUMNS})


# Enum look-ups by value: Kind(value) goes through EnumMeta.__call__, a tenth of reading 5,000 claims.
_KINDS = {k.value: k for k in Kind}
_STATES = {k.value: k for k in State}
_ORIGINS = {k.value: k for k in Origin}
_ANCHORS = {k.value: k for k in Anchor}


_CLAIM_FIELDS = {f.name for f in dataclasses.fields(Claim)}
# The claim table's columns whose Claim field has another name (tests/test_rows.py holds them to ClaimRow).
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
    seen: dict[str, str] = {}  # texts and stamps shared between this read's claims (see _claim_builder)
    stamps: dict[str, datetime] = {}
    return [build(r, _KINDS, _STATES, _ORIGINS, _ANCHORS, ratings, sources, seen, stamps) for r in rows]


_FIELD_ORDER = tuple(f.name for f in dataclasses.fields(Claim))
_ENUM_FIELDS = {"kind": ("kinds", "Kind"), "state": ("states", "State"), "origin": ("origins", "Origin"),
                "anchor": ("anchors", "Anchor")}  # field: (its look-up by value, its enum)
_DEFAULTS = {f.name: f.default for f in dataclasses.fields(Claim) if f.default is not dataclasses.MISSING}
# The Claim fields stored in DATETIME and BOOLEAN columns, which SQLite's driver gives as text and 0/1
# (stated here, not read off ClaimRow, so this module loads without SQLAlchemy; tests/test_rows.py
# holds them to the models' column types).
CLAIM_STAMPS = frozenset({"approved_at", "created_at", "updated_at"})
CLAIM_FLAGS = frozenset({"accepted", "from_comment"})
# Short texts that repeat across an article's claims (a language, a speaker, who set a verdict):
# one string each, not one per claim. A claim's own texts (quote, context, notes) are not looked up.
_SHARED_FIELDS = frozenset({"lang", "speaker", "verdict_by", "approved_by"})
_BUILDERS: dict[tuple[tuple[int, ...], bool], Callable[..., Claim]] = {}


class _Unfrozen:
    """Claim's slots without its frozen __setattr__: a claim is written here slot by slot with
    plain attribute stores (which the interpreter specialises into a direct slot write), then
    given its class. Same slots in the same order on the same base, so the layouts are one and
    Python allows the __class__ assignment; `_CLASS_SWAP` checks that once, at import."""

    __slots__ = Claim.__slots__


def _class_swap_works() -> bool:
    try:
        probe: object = object.__new__(_Unfrozen)
        probe.__class__ = Claim
    except TypeError:  # a Python whose layout rules refuse it: the slot descriptors then
        return False
    return type(probe) is Claim


_CLASS_SWAP = _class_swap_works()


def _claim_builder(at: dict[str, int], from_sqlite: bool = False) -> Callable[..., Claim]:
    """A function from a row (columns at `at`) to its Claim, written out field by field for this
    column layout, as dataclasses writes __init__ (and cached per layout).

    Claim is a frozen slotted dataclass: its __init__ sets 28 fields through object.__setattr__,
    and the keywords, dicts and lists around it were more than half of reading 5,000 claims.
    Here each field is stored straight from the row into an _Unfrozen object, which then becomes
    the Claim (half the time of calling each slot descriptor's __set__, which is the way when
    the class swap is refused); Claim has no __post_init__ to miss (a test holds this builder
    to Claim(...) field for field). A field whose column is not in the row takes its default,
    as Claim(...) would give it.

    Values many claims share are shared (`seen`, `stamps`): the same import stamp and language
    on thousands of claims were each their own datetime or string (half a MiB for 5,000)."""
    layout = (tuple(at.get(name, -1) for name in _FIELD_ORDER), from_sqlite)
    made = _BUILDERS.get(layout)
    if made is not None:
        return made
    env: dict[str, Any] = {"new": object.__new__, "Claim": Claim, "Unfrozen": _Unfrozen, "Kind": Kind,
                           "State": State, "Origin": Origin, "Anchor": Anchor, "empty": (),
                           "stamp": datetime.fromisoformat}
    swap = _CLASS_SWAP
    lines = ["def build(r, kinds, states, origins, anchors, ratings, sources, seen, stamps):",
             "    o = new(Unfrozen)" if swap else "    o = new(Claim)"]
    for n, name in enumerate(_FIELD_ORDER):
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
        elif from_sqlite and name in CLAIM_STAMPS:
            value = f"None if r[{i}] is None else stamps.get(r[{i}]) or stamps.setdefault(r[{i}], stamp(r[{i}]))"
        elif from_sqlite and name in CLAIM_FLAGS:
            value = f"None if r[{i}] is None else bool(r[{i}])"
        elif name in _SHARED_FIELDS:
            value = f"r[{i}] if r[{i}] is None else seen.setdefault(r[{i}], r[{i}])"
        else:
            value = f"r[{i}]"
        if swap:
            lines.append(f"    o.{name} = {value}")
        else:
            env[f"set_{n}"] = getattr(Claim, name).__set__
            lines.append(f"    set_{n}(o, {value})")
    if swap:
        lines.append("    o.__class__ = Claim")
    lines.append("    return o")
    exec("\n".join(lines), env)  # our own field names and integers: nothing from outside
    built: Callable[..., Claim] = env["build"]
    _BUILDERS[layout] = built
    return built


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
