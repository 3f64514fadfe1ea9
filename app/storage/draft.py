"""A claim's row as plain values, for the hottest write (a verdict, a state, a note): read with two
Core statements, changed in Python through the same Context methods an ORM row goes through
(version bump, history, the approval lock, the conflict check), and written back with one
INSERT of its history lines and one UPDATE of the columns that changed, guarded by the version
it was read at. The ORM's identity map, attribute events and unit of work cost four times the
statements themselves on every edit.

On SQLite the same statements, compiled once (app.storage.prepared), run in a `RawWrite`: BEGIN
IMMEDIATE … COMMIT on the DB-API connection itself, the statements an edit needs and no more. A
Session and SQLAlchemy's execution of four statements were still twice the statements' own time.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Mapping
from datetime import datetime
from typing import Any, NamedTuple

from sqlalchemy import Table, bindparam, insert, select, update
from sqlalchemy.orm import Session
from sqlalchemy.orm.exc import StaleDataError

from app.domain import Claim, Rating, Source
from app.storage import mapping
from app.storage.errors import NotFound
from app.storage.models import ClaimRow, HistoryRow, SourceLinkRow, SourceRow
from app.storage.prepared import Prepared


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
_SINCE = (
    select(_history_t.c.id, _history_t.c.entity, _history_t.c.field, _history_t.c.actor, _history_t.c.at)
    .where(_history_t.c.claim_id == bindparam("claim"), _history_t.c.version > bindparam("version"))
    .order_by(_history_t.c.id)
)
_PREPARED: dict[Any, Prepared] = {}


def _prepared(key: Any, build: Any) -> Prepared:
    """A statement compiled for SQLite once (see app.storage.prepared)."""
    made = _PREPARED.get(key)
    if made is None:
        made = _PREPARED[key] = Prepared(build() if callable(build) else build)
    return made


class HistoryLine(NamedTuple):
    """What a conflict check reads of a history line written since a version."""

    id: int
    entity: str
    field: str
    actor: str
    at: datetime


class RawWrite:
    """A write transaction on SQLite's DB-API connection, begun with BEGIN IMMEDIATE (a second
    writer queues for the busy timeout, as Database.write's do); the caller commits or rolls
    back. `info` is what a Session's info is to the Context (the history written, the rows bumped)."""

    def __init__(self, connection: sqlite3.Connection) -> None:
        self.connection = connection
        self.info: dict[str, Any] = {}
        connection.execute("BEGIN IMMEDIATE")

    def commit(self) -> None:
        self.connection.execute("COMMIT")

    def rollback(self) -> None:
        if self.connection.in_transaction:
            self.connection.execute("ROLLBACK")


def history_since(s: Session | RawWrite, claim_id: int, version: int) -> list[HistoryLine] | list[HistoryRow]:
    """The claim's history lines written after `version`, oldest first."""
    if isinstance(s, RawWrite):
        return [HistoryLine(*row) for row in _prepared("since", _SINCE).rows(s.connection, {"claim": claim_id,
                                                                                              "version": version})]
    return list(s.scalars(
        select(HistoryRow).where(HistoryRow.claim_id == claim_id, HistoryRow.version > version).order_by(HistoryRow.id)
    ).all())


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
    def load(cls, s: Session | RawWrite, claim_id: int) -> ClaimDraft:
        if isinstance(s, RawWrite):
            found = _prepared("read", _READ).mappings(s.connection, {"claim": claim_id})
            if not found:
                raise NotFound(f"No claim with id {claim_id}.")
            sources = [mapping.source_of(r) for r in _prepared("sources", _SOURCES).mappings(s.connection,
                                                                                             {"claim": claim_id})]
            return cls(found[0], sources)
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

    def save(self, s: Session | RawWrite) -> None:
        """Write the history lines and the changed columns, in the caller's transaction. The
        UPDATE names the version read: a row changed since is a bug (the write lock was held)."""
        if isinstance(s, RawWrite):
            self._save_raw(s)
            return
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

    def _save_raw(self, s: RawWrite) -> None:
        connection = s.connection
        for line in self.history:
            insert_one = _prepared(("history", tuple(line)), lambda line=line: insert(_history_t).values(
                {name: bindparam(name) for name in line}).returning(_history_t.c.id))
            s.info["history"].append(insert_one.run(connection, line).fetchone()[0])
        changed: set[str] = self.__dict__["_changed"]
        if changed:
            values: dict[str, Any] = self.__dict__["_values"]
            columns = frozenset(changed)
            done = _prepared(("update", columns), lambda: _update(columns)).run(connection, {
                "claim": values["id"], "read_version": self.__dict__["_read_version"],
                **{name: values[name] for name in changed},
            })
            if done.rowcount != 1:
                raise StaleDataError(f"claim {values['id']} changed under the write lock")
            changed.clear()
