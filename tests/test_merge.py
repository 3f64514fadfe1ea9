"""Typed text against a newer copy of the claim, without Qt: what is taken at once, what clashes."""

from __future__ import annotations

from datetime import datetime

from app.domain import Claim, FieldConflict, HistoryEntry, Kind
from app.ui.editor.merge import sort_text

SHOWN = Claim(id=6, article_id=1, start=0, end=4, quote="5000", kind=Kind.QUANTITY, summary="old", notes="n")
AT = datetime(2026, 11, 30, 5, 12)


def entry(field: str, actor: str) -> HistoryEntry:
    return HistoryEntry(id=1, claim_id=6, entity="claim", entity_id=6, field=field,
                        old_value="old", new_value="theirs", actor=actor, at=AT)


def test_untouched_text_takes_theirs_and_typed_text_over_their_change_clashes() -> None:
    stored = _replace(SHOWN, summary="theirs", notes="their notes")
    take, clashes = sort_text(SHOWN, stored, {"summary": "mine", "notes": "n"}, [entry("summary", "ben")])
    assert take == ["notes"]
    assert clashes == [FieldConflict("summary", "theirs", "mine", "ben", AT)]


def test_nothing_new_or_the_same_text_on_both_sides_is_no_clash() -> None:
    stored = _replace(SHOWN, summary="same")
    assert sort_text(SHOWN, stored, {"summary": "same", "notes": "typed"}) == ([], [])
    assert sort_text(SHOWN, SHOWN, {"summary": "typed"}) == ([], [])


def _replace(claim: Claim, **changes: str) -> Claim:
    from dataclasses import replace

    return replace(claim, **changes)
