"""A claim's row as plain values, for the hottest write (a verdict, a state, a note): read with two
Core statements, changed in Python through the same Context methods an ORM row goes through
(version bump, history, the approval lock, the conflict check), and written back with one
INSERT of its history lines and one UPDATE of the columns that changed, guarded by the version
it was read at. The ORM's identity map, attribute events and unit of work cost four times the
statements themselves on every edit.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from sqlalchemy import Table, bindparam, insert, select, update
from sqlalchemy.orm import Session
from sqlalchemy.orm.exc import StaleDataError

from app.domain import Claim, Rating, Source
from app.storage import mapping
from app.storage.errors import NotFound
from app.storage.models import ClaimRow, HistoryRow, SourceLinkRow, SourceRow


def _table(model: Any) -> Table:
    table = model.__table__
    assert isinstance(table, Table)
    return table


_claim_t, _source_t, _link_t, _history_t = (_table(m) for m in (ClaimRow, SourceRow, SourceLinkRow, HistoryRow))
# Built once: building a statement and its cache key cost more than running it.
_READ = select(_claim_t).where(_claim_t.c.id == bindparam("claim"))
_SOURCES = (
    select(_source_t, *mapping.link_columns())
    .outerjoin(_link_t, _link_t.c.source_id == _source_t.c.id)
    .where(_source_t.c.claim_id == bindparam("claim"))
    .order_by(_source_t.c.id)
)
_HISTORY = insert(_history_t).returning(_history_t.c.id, sort_by_parameter_order=True)
_UPDATES: dict[frozenset[str], Any] = {}


def _update(columns: frozenset[str]) -> Any:
    """UPDATE claim SET (these columns) WHERE id = :claim AND version = :read_version."""
    statement = _UPDATES.get(columns)
    if statement is None:
        statement = _UPDATES[columns] = (
            update(_claim_t)
            .where(_claim_t.c.id == bindparam("claim"), _claim_t.c.version == bindparam("read_version"))
            .values({name: bindparam(name) for name in sorted(columns)})
        )
    return statement


class ClaimDraft:
    """Reads like a ClaimRow (every column an attribute), remembers what is set on it."""

    __tablename__ = "claim"

    def __init__(self, values: Mapping[str, Any], sources: list[Source]) -> None:
        object.__setattr__(self, "_values", dict(values))
        object.__setattr__(self, "_changed", set())
        object.__setattr__(self, "_read_version", values["version"])
        object.__setattr__(self, "sources", sources)
        object.__setattr__(self, "history", [])  # history lines (column -> value) to insert

    @classmethod
    def load(cls, s: Session, claim_id: int) -> ClaimDraft:
        connection = s.connection()
        row = connection.execute(_READ, {"claim": claim_id}).mappings().one_or_none()
        if row is None:
            raise NotFound(f"No claim with id {claim_id}.")
        sources = [mapping.source_of(r) for r in connection.execute(_SOURCES, {"claim": claim_id}).mappings()]
        return cls(dict(row), sources)

    def __getattr__(self, name: str) -> Any:
        try:
            return self.__dict__["_values"][name]
        except KeyError:
            raise AttributeError(name) from None

    def __setattr__(self, name: str, value: Any) -> None:
        values: dict[str, Any] = self.__dict__["_values"]
        if name not in values:
            raise AttributeError(f"the claim table has no column {name!r}")
        if values[name] != value or type(values[name]) is not type(value):
            values[name] = value
            self.__dict__["_changed"].add(name)

    def claim(self, ratings: dict[int, Rating]) -> Claim:
        values: dict[str, Any] = self.__dict__["_values"]
        (made,) = mapping.claims_of(list(values), [tuple(values.values())], {values["id"]: self.sources}, ratings)
        return made

    def save(self, s: Session) -> None:
        """Write the history lines and the changed columns, in the caller's transaction. The
        UPDATE names the version read: a row changed since is a bug (the write lock was held)."""
        connection = s.connection()
        if self.history:
            ids = connection.execute(_HISTORY, self.history).scalars().all()
            s.info["history"].extend(ids)
        changed: set[str] = self.__dict__["_changed"]
        if changed:
            values: dict[str, Any] = self.__dict__["_values"]
            done = connection.execute(_update(frozenset(changed)), {
                "claim": values["id"], "read_version": self.__dict__["_read_version"],
                **{name: values[name] for name in changed},
            })
            if done.rowcount != 1:
                raise StaleDataError(f"claim {values['id']} changed under the write lock")
            changed.clear()
