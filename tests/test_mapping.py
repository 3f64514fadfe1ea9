"""Rows to domain objects: the fast paths build exactly what the dataclasses' own constructors build."""

from __future__ import annotations

import dataclasses
from datetime import date, datetime

import pytest

from app.domain import Anchor, Claim, Kind, Origin, Rating, Source, SourceKind, Stance, State
from app.domain.segments import Segment, SegmentKind
from app.storage import mapping
from app.storage.models import ClaimRow

RATING = Rating(7, "default", "mostly-false", "Mostly false", "#f4a582", 2)
SOURCE = Source(3, 41, "https://example.org/a", "A title", "Example", "a note", None, SourceKind.OTHER, Stance.CONTEXT,
                "", "", 1, None)


def every_field_set() -> Claim:
    """A claim with no field at its default, so a field the builder put in the wrong place shows."""
    return Claim(
        id=41, article_id=5, start=10, end=52, quote="Unemployment fell by 3 percent", kind=Kind.QUANTITY,
        state=State.IN_REVIEW, verdict=RATING, conclusion="misleading", verdict_by="ann", approved_by="bob",
        approved_at=datetime(2026, 3, 4, 5, 6, 7), score=0.75, origin=Origin.MANUAL, context_before="said that ",
        context_after=" last year", speaker="The minister", lang="en", from_comment=True, accepted=False,
        summary="The figure was 2 percent.", notes="call the office", created_at=datetime(2026, 1, 2, 3, 4, 5),
        updated_at=datetime(2026, 2, 3, 4, 5, 6), sources=(SOURCE,), version=9, number=17, anchor=Anchor.CHANGED,
        anchor_note="its figures changed", suggest_start=11, suggest_end=53,
    )


def row_of(claim: Claim, names: list[str]) -> tuple[object, ...]:
    values = {f.name: getattr(claim, f.name) for f in dataclasses.fields(claim)}
    values.update(start_offset=claim.start, end_offset=claim.end, verdict_id=claim.verdict.id if claim.verdict else None)
    for name in ("kind", "state", "origin", "anchor"):
        values[name] = values[name].value
    return tuple(values[name] for name in names)


def test_claims_read_from_every_column_equal_the_constructor_s_field_for_field() -> None:
    expected = every_field_set()
    names = [column.key for column in ClaimRow.__table__.columns]
    other = dataclasses.replace(expected, id=42, verdict=None, sources=(), state=State.NOT_STARTED)
    got = mapping.claims_of(names, [row_of(expected, names), row_of(other, names)], {41: [SOURCE]}, {7: RATING})
    assert got == [expected, other]
    for field in dataclasses.fields(Claim):
        assert getattr(got[0], field.name) == getattr(expected, field.name), field.name
        assert type(getattr(got[0], field.name)) is type(getattr(expected, field.name)), field.name
    assert hash(got[1]) == hash(other)
    # In another column order too (a draft's values, say): each layout gets its own builder.
    shuffled = list(reversed(names))
    assert mapping.claims_of(shuffled, [row_of(expected, shuffled)], {41: [SOURCE]}, {7: RATING}) == [expected]


def test_claims_from_sqlite_s_own_rows_read_dates_and_flags_as_sqlalchemy_does() -> None:
    """SQLite's driver gives DATETIME columns as the text SQLAlchemy stored and BOOLEAN ones as 0/1."""
    expected = every_field_set()
    names = [column.key for column in ClaimRow.__table__.columns]
    stored = {"created_at": "2026-01-02 03:04:05.000000", "updated_at": "2026-02-03 04:05:06.000000",
              "approved_at": "2026-03-04 05:06:07.000000", "accepted": 0, "from_comment": 1}
    row = tuple(stored.get(name, value) for name, value in zip(names, row_of(expected, names), strict=True))
    never_approved = dataclasses.replace(expected, id=42, approved_at=None, accepted=True, from_comment=False)
    other = tuple({"id": 42, "approved_at": None, "accepted": 1, "from_comment": 0}.get(name, value)
                  for name, value in zip(names, row, strict=True))
    got = mapping.claims_of(names, [row, other], {41: [SOURCE], 42: [SOURCE]}, {7: RATING}, from_sqlite=True)
    assert got == [expected, never_approved]
    for field in dataclasses.fields(Claim):
        for made, want in zip(got, (expected, never_approved), strict=True):
            assert type(getattr(made, field.name)) is type(getattr(want, field.name)), field.name


def test_claims_from_some_columns_take_the_defaults_for_the_rest() -> None:
    names = ["id", "article_id", "start_offset", "end_offset", "quote", "kind", "state", "origin", "verdict_id"]
    (got,) = mapping.claims_of(names, [(1, 2, 0, 4, "text", "quantity", "not_started", "detected", None)], {}, {})
    assert got == Claim(1, 2, 0, 4, "text", Kind.QUANTITY)


def test_a_built_claim_is_a_frozen_claim_on_either_way_of_building_it(monkeypatch: pytest.MonkeyPatch) -> None:
    """The builder writes an unfrozen twin and swaps its class (where Python allows it, as on every
    supported version), else sets each slot: both give a real, frozen Claim equal to the constructor's."""
    from app.storage import rows

    expected = every_field_set()
    names = [column.key for column in ClaimRow.__table__.columns]
    assert rows._CLASS_SWAP
    for swap in (True, False):
        monkeypatch.setattr(rows, "_CLASS_SWAP", swap)
        monkeypatch.setattr(rows, "_BUILDERS", {})
        (got,) = mapping.claims_of(names, [row_of(expected, names)], {41: [SOURCE]}, {7: RATING})
        assert type(got) is Claim
        assert got == expected and hash(got) == hash(expected)
        assert dataclasses.replace(got, number=18) == dataclasses.replace(expected, number=18)
        with pytest.raises(dataclasses.FrozenInstanceError):
            got.number = 3  # type: ignore[misc]


def test_values_shared_between_claims_stay_what_each_claim_stored() -> None:
    """Stamps and short texts that repeat are one object for all the claims holding them; a
    speaker written like a stamp stays text, and each claim keeps its own values."""
    expected = every_field_set()
    names = [column.key for column in ClaimRow.__table__.columns]
    stamp = "2026-01-02 03:04:05.000000"
    stored = {"created_at": stamp, "updated_at": stamp, "approved_at": None, "accepted": 1, "from_comment": 0,
              "verdict_id": None}
    first = tuple(stored.get(name, value) for name, value in zip(names, row_of(expected, names), strict=True))
    second = tuple({"id": 42, "speaker": stamp, "lang": None, "updated_at": "2026-02-03 04:05:06.000000"}.get(name, value)
                   for name, value in zip(names, first, strict=True))
    a, b = mapping.claims_of(names, [first, second], {}, {}, from_sqlite=True)
    assert (a.created_at, a.updated_at, b.created_at) == (datetime(2026, 1, 2, 3, 4, 5),) * 3
    assert a.created_at is b.created_at  # one datetime for the stamp all three carry
    assert b.updated_at == datetime(2026, 2, 3, 4, 5, 6)
    assert (a.speaker, b.speaker, a.lang, b.lang) == ("The minister", stamp, "en", None)


def test_an_article_s_sources_read_by_position_equal_each_row_s_mapping_read_by_name() -> None:
    """sources_by_claim (the article's read) builds what source_of builds from a row's mapping:
    each field in place, the link's health where the join found one, by claim in the rows' order."""
    from app.storage.rows import LINK_COLUMNS

    names = ["id", "claim_id", "url", "title", "publisher", "note", "accessed", "kind", "stance", "passage",
             "archived_url", "version", "created_at", *(f"link_{n}" for n in LINK_COLUMNS)]
    checked = datetime(2026, 5, 6, 7, 8, 9)
    values = [
        (3, 41, "https://example.org/a", "A", "Example", "n", date(2026, 1, 2), "primary", "refutes", "p", "",
         2, None, 3, "gone", "404", "https://example.org/b", checked, 0.5, None, "https://web.archive.org/x", None),
        (4, 42, "https://example.org/c", "", "", "", None, "news", "context", "", "", 1, None,
         *(None,) * len(LINK_COLUMNS)),
        (5, 41, "https://example.org/d", "D", "", "", None, "expert", "supports", "", "", 1, None, 5, None, "", "",
         None, None, checked, "", None),
    ]
    by_name = [mapping.source_of(dict(zip(names, v, strict=True))) for v in values]
    got = mapping.sources_by_claim(names, values)
    assert got == {41: [by_name[0], by_name[2]], 42: [by_name[1]]}
    assert got[41][0].health is not None and got[41][0].health.broken and got[42][0].health is None
    assert (got[41][0].kind, got[41][0].stance) == (SourceKind.PRIMARY, Stance.REFUTES)


def test_segments_from_plain_rows_equal_the_constructor_s() -> None:
    rows = [(0, 9, "title", None, None, None, "en"), (11, 90, "comment", None, "Jo", "1 year ago", None),
            (92, 120, "turn", "HOST", None, None, "fr")]
    assert mapping.segments_of(rows) == (
        Segment(0, 9, SegmentKind.TITLE, lang="en"), Segment(11, 90, SegmentKind.COMMENT, author="Jo", date="1 year ago"),
        Segment(92, 120, SegmentKind.TURN, speaker="HOST", lang="fr"),
    )
    assert [type(g.kind) for g in mapping.segments_of(rows)] == [SegmentKind] * 3
