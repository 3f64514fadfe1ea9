"""One transaction path: read and write sessions, database errors translated in one place,
and a cheap "did anyone commit?" check.

Every service goes through `Database.read()` or `Database.write()`:
- a write starts with BEGIN IMMEDIATE, so two writers queue (for the busy timeout) instead of
  one failing with "database is locked" when it upgrades a read to a write;
- a read stays deferred: in WAL mode it never waits for a writer;
- a database error leaves as a StorageError (the environment: one line for the user) or
  unchanged (a bug of ours, for the crash handler). See app.storage.errors.explain.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from sqlalchemy import Engine
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import Session, sessionmaker

from app.storage.engine import IMMEDIATE, database_file
from app.storage.errors import explain


class Database:
    """The sessionmaker the services share, with the one way to open a transaction on it."""

    def __init__(self, sessions: sessionmaker[Session]) -> None:
        self.sessions = sessions
        bind = sessions.kw.get("bind")
        assert isinstance(bind, Engine), "the sessionmaker must be bound to an engine"
        self.engine: Engine = bind
        path = database_file(bind.url)
        self.where = str(path) if path is not None else "(in memory)"
        self._watch: DataVersion | None = None

    @contextmanager
    def read(self) -> Iterator[Session]:
        """A deferred read transaction; nothing it does is committed."""
        try:
            with self.sessions() as s:
                yield s
        except (DBAPIError, sqlite3.Error) as exc:
            self._translate(exc)
            raise

    @contextmanager
    def write(self) -> Iterator[Session]:
        """One write transaction (BEGIN IMMEDIATE), committed when the block ends, rolled back
        on any error. Waits up to the busy timeout for another writer."""
        try:
            with self.sessions.begin() as s:
                s.connection(execution_options={IMMEDIATE: True})
                yield s
        except (DBAPIError, sqlite3.Error) as exc:
            self._translate(exc)
            raise

    def _translate(self, exc: BaseException) -> None:
        explained = explain(exc, self.where)
        if explained is not None:
            raise explained from exc

    def stamp(self) -> int:
        """A number that changes whenever anyone (another process, or this one on another
        connection) commits to the database: cheap enough to ask every second.

        SQLite: PRAGMA data_version on a connection kept for this purpose alone. Another
        backend would implement the same method (PostgreSQL: a counter bumped by LISTEN/NOTIFY)."""
        if self._watch is None:
            self._watch = DataVersion(self.engine)
        try:
            return self._watch.value()
        except sqlite3.Error as exc:
            self._watch.close()
            self._watch = None
            self._translate(exc)
            raise

    def close(self) -> None:
        if self._watch is not None:
            self._watch.close()
            self._watch = None


class DataVersion:
    """PRAGMA data_version on a dedicated connection (the value is per connection, and changes
    when another connection commits); outside any transaction, so it sees every commit."""

    def __init__(self, engine: Engine) -> None:
        self._raw: Any = engine.raw_connection()

    def value(self) -> int:
        cursor = self._raw.cursor()
        try:
            cursor.execute("PRAGMA data_version")
            return int(cursor.fetchone()[0])
        finally:
            cursor.close()

    def close(self) -> None:
        self._raw.close()
