"""A claim's row as plain values, for the hottest write (a verdict, a state, a note): read with two
statements, changed in Python through the same Context methods an ORM row goes through (version
bump, history, the approval lock, the conflict check), and written back with one INSERT of its
history lines and one UPDATE of the columns that changed, guarded by the version it was read at.
The ORM's identity map, attribute events and unit of work cost four times the statements
themselves on every edit.

On SQLite the statements are literal text (app.storage.sqlite_sql, each held by a test to what
SQLAlchemy compiles the Core statement to) run in a `RawWrite`: BEGIN IMMEDIATE … COMMIT on the
DB-API connection itself, the statements an edit needs and no more. A Session and SQLAlchemy's
execution of four statements were twice the statements' own time; and without SQLAlchemy the
window's first screen makes the edit before the services have loaded (app.first_screen). On
PostgreSQL the same statements are Core's, in the caller's Session (SQLAlchemy imported then).
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from datetime import datetime
from functools import cache
from types import SimpleNamespace
from typing import TYPE_CHECKING, Any, NamedTuple

from app.domain import Claim, Rating, Source
from app.storage import rows, sqlite_sql
from app.storage.errors import NotFound

if TYPE_CHECKING:  # for the annotations only: the SQLite path never imports SQLAlchemy
    from sqlalchemy.orm import Session

    from app.storage.models import HistoryRow


def _stored(value: Any) -> Any:
    """A value as SQLAlchemy's SQLite dialect stores it: a datetime as its text with microseconds."""
    if isinstance(value, datetime):
        return value.strftime("%Y-%m-%d %H:%M:%S.%f")
    return value


def _read(value: str | int | None, name: str) -> Any:
    """A claim column's value from SQLite's driver, as SQLAlchemy gives it (see rows.claims_of)."""
    if value is None:
        return None
    if name in rows.CLAIM_STAMPS:
        return datetime.fromisoformat(str(value))
    if name in rows.CLAIM_FLAGS:
        return bool(value)
    return value


@cache
def _core() -> Any:
    """The Core statements of the PostgreSQL path, built once (building a statement and its cache
    key cost more than running it), and only where a Session writes."""
    from sqlalchemy import Table, bindparam, insert, select

    from app.storage import mapping
    from app.storage.models import ClaimRow, HistoryRow, SourceLinkRow, SourceRow

    def table(model: Any) -> Table:
        made = model.__table__
        assert isinstance(made, Table)
        return made

    claim_t, source_t, link_t, history_t = (table(m) for m in (ClaimRow, SourceRow, SourceLinkRow, HistoryRow))
    return SimpleNamespace(
        claim_t=claim_t,
        read=select(claim_t).where(claim_t.c.id == bindparam("claim")),
        sources=select(source_t, *mapping.link_columns())
        .outerjoin(link_t, link_t.c.source_id == source_t.c.id)
        .where(source_t.c.claim_id == bindparam("claim"))
        .order_by(source_t.c.id),
        history=insert(history_t).returning(history_t.c.id, sort_by_parameter_order=True),
        since=select(HistoryRow).order_by(HistoryRow.id),
        updates={},
    )


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


@contextmanager
def raw_write(connection: sqlite3.Connection) -> Iterator[RawWrite]:
    """A RawWrite on `connection`, committed when the block ends, rolled back on any error."""
    s = RawWrite(connection)
    s.info["history"] = []  # the ids of the history lines written
    s.info["bumped"] = set()  # the rows given a new version
    try:
        yield s
        s.commit()
    except BaseException:
        s.rollback()
        raise


def history_since(s: Session | RawWrite, claim_id: int, version: int) -> list[HistoryLine] | list[HistoryRow]:
    """The claim's history lines written after `version`, oldest first."""
    if isinstance(s, RawWrite):
        found = s.connection.execute(sqlite_sql.HISTORY_SINCE, (claim_id, version)).fetchall()
        return [HistoryLine(i, entity, field, actor, datetime.fromisoformat(at))
                for i, entity, field, actor, at in found]
    from app.storage.models import HistoryRow

    since = _core().since.where(HistoryRow.claim_id == claim_id, HistoryRow.version > version)
    return list(s.scalars(since).all())


def _update(columns: frozenset[str]) -> Any:
    """Core's UPDATE claim SET (these columns) WHERE id = :claim AND version = :read_version."""
    core = _core()
    statement = core.updates.get(columns)
    if statement is None:
        from sqlalchemy import bindparam, update

        claim_t = core.claim_t
        statement = core.updates[columns] = (
            update(claim_t)
            .where(claim_t.c.id == bindparam("claim"), claim_t.c.version == bindparam("read_version"))
            .values({name: bindparam(name) for name in sorted(columns)})
        )
    return statement


class StaleClaim(RuntimeError):
    """The claim changed under the write lock: a bug, not something a user can mend."""


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
            found = s.connection.execute(sqlite_sql.CLAIM, (claim_id,)).fetchone()
            if found is None:
                raise NotFound(f"No claim with id {claim_id}.")
            cursor = s.connection.execute(sqlite_sql.CLAIM_SOURCES, (claim_id,))
            names = [d[0] for d in cursor.description]
            sources = rows.sources_by_claim(names, cursor.fetchall(), from_sqlite=True).get(claim_id, [])
            values = {name: _read(value, name) for name, value in zip(sqlite_sql.CLAIM_COLUMNS, found, strict=True)}
            return cls(values, sources)
        from app.storage import mapping

        core = _core()
        connection = s.connection()
        row = connection.execute(core.read, {"claim": claim_id}).mappings().one_or_none()
        if row is None:
            raise NotFound(f"No claim with id {claim_id}.")
        sources = [mapping.source_of(r) for r in connection.execute(core.sources, {"claim": claim_id}).mappings()]
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
        (made,) = rows.claims_of(list(values), [tuple(values.values())], {values["id"]: self.sources}, ratings)
        return made

    def save(self, s: Session | RawWrite) -> None:
        """Write the history lines and the changed columns, in the caller's transaction. The
        UPDATE names the version read: a row changed since is a bug (the write lock was held)."""
        changed: set[str] = self.__dict__["_changed"]
        values: dict[str, Any] = self.__dict__["_values"]
        claim, read_version = values["id"], self.__dict__["_read_version"]
        if isinstance(s, RawWrite):
            connection = s.connection
            for line in self.history:
                line_values = [_stored(line[name]) for name in sqlite_sql.HISTORY_COLUMNS]
                s.info["history"].append(connection.execute(sqlite_sql.ADD_HISTORY, line_values).fetchone()[0])
            if not changed:
                return
            columns = [name for name in sqlite_sql.CLAIM_COLUMNS if name in changed]
            set_to = [_stored(values[name]) for name in columns]
            written = connection.execute(sqlite_sql.claim_update(frozenset(changed)), [*set_to, claim, read_version])
            count = written.rowcount
        else:
            session = s.connection()
            if self.history:
                s.info["history"].extend(session.execute(_core().history, self.history).scalars().all())
            if not changed:
                return
            set_by_name = {name: values[name] for name in changed}
            count = session.execute(_update(frozenset(changed)),
                                    {"claim": claim, "read_version": read_version, **set_by_name}).rowcount
        if count != 1:
            raise StaleClaim(f"claim {claim} changed under the write lock")
        changed.clear()
