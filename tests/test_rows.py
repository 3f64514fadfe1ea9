"""app.storage.rows states what it once read off the ORM models (it loads without them): each
constant is held here to what the models say, so a changed column cannot leave a builder behind."""

from __future__ import annotations

import dataclasses
from typing import Any

from sqlalchemy import Boolean, DateTime

from app.domain import Claim, Source
from app.domain.segments import Segment
from app.storage import rows
from app.storage.models import ClaimRow, SegmentRow, SourceLinkRow, SourceRow


def _columns(model: Any) -> list[str]:
    return [column.key for column in model.__table__.columns]


def test_the_claim_fields_read_from_sqlite_s_text_and_integers_are_the_models_dates_and_flags() -> None:
    def fields(kind: type[object]) -> frozenset[str]:
        return frozenset(rows._RENAMED.get(c.key, c.key) for c in ClaimRow.__table__.columns if isinstance(c.type, kind))

    assert fields(DateTime) == rows.CLAIM_STAMPS
    assert fields(Boolean) == rows.CLAIM_FLAGS


def test_every_claim_field_but_its_sources_has_a_column_by_its_name_or_renamed() -> None:
    columns = _columns(ClaimRow)
    assert set(rows._RENAMED) <= set(columns)
    read = {rows._RENAMED.get(name, name) for name in columns}
    assert {f.name for f in dataclasses.fields(Claim)} - read == {"sources"}


def test_segment_and_link_columns_are_the_tables_own() -> None:
    assert set(rows.SEGMENT_COLUMNS) <= set(_columns(SegmentRow))
    # In Segment's field order: segments_of builds by position.
    renamed = {"start_offset": "start", "end_offset": "end"}
    assert [renamed.get(n, n) for n in rows.SEGMENT_COLUMNS] == [f.name for f in dataclasses.fields(Segment)]
    assert set(rows.LINK_COLUMNS) <= set(_columns(SourceLinkRow))


def test_source_columns_are_the_source_table_s_in_source_s_field_order() -> None:
    assert set(rows.SOURCE_COLUMNS) <= set(_columns(SourceRow))
    assert [*rows.SOURCE_COLUMNS, "health"] == [f.name for f in dataclasses.fields(Source)]
