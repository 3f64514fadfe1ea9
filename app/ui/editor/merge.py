"""Typed text against a newer copy of the claim: which fields simply take the stored value, and
which clash (the user typed, and someone else changed the same field). No Qt: plain values."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import datetime

from app.domain import Claim, FieldConflict, HistoryEntry


def last_change(history: Sequence[HistoryEntry], field: str) -> tuple[str, datetime | None]:
    """Who last changed a field of the claim, and when, from its history (oldest first)."""
    entry = next((e for e in reversed(history) if e.entity == "claim" and e.field == field), None)
    return (entry.actor, entry.at) if entry else ("", None)


def sort_text(
    shown: Claim, stored: Claim, typed: Mapping[str, str], history: Sequence[HistoryEntry] = ()
) -> tuple[list[str], list[FieldConflict]]:
    """`shown`: the claim the boxes were filled from; `stored`: the newer copy; `typed`: what the
    boxes hold now. Returns the fields to fill with the stored value at once (nothing typed
    there), and the clashes to ask about (theirs is stored's value, yours is what was typed)."""
    take: list[str] = []
    clashes: list[FieldConflict] = []
    for field, mine in typed.items():
        before, theirs = getattr(shown, field), getattr(stored, field)
        if theirs == before or mine == theirs:
            continue  # nothing new here, or both wrote the same
        if mine == before:
            take.append(field)
        else:
            by, at = last_change(history, field)
            clashes.append(FieldConflict(field, theirs, mine, by, at))
    return take, clashes
