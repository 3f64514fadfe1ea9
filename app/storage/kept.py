"""One DB-API connection kept for the hot reads on SQLite (search as you type, the article list,
the desk overview), instead of a pool checkout each time.

Checking a connection out of SQLAlchemy's pool and back (its events, the rollback on return) and
the generator behind `Database.read_raw` cost 20-25 µs a call: more than the search for a rare
word itself (16 µs in bare sqlite3). The kept connection is in autocommit mode like every pooled
one here (each statement its own read, so nothing is held between calls), and is used by one
thread at a time: a caller that finds it busy (a search on the task runner while the window
reads the list) reads through the pool as before. A database error closes it, so the next read
starts on a fresh one, and leaves as Database.read_raw's do (app.storage.errors.explain).
"""

from __future__ import annotations

import sqlite3
import threading
from types import TracebackType
from typing import Any

from app.storage.database import Database
from app.storage.errors import explain


class KeptConnection:
    """`with kept as c:` c is a sqlite3 connection; see the module's docstring."""

    def __init__(self, db: Database) -> None:
        assert not db.postgresql, "a kept connection is for SQLite"
        self._db = db
        self._lock = threading.Lock()
        self._fairy: Any = None  # the pooled connection, checked out once and kept
        self._connection: sqlite3.Connection | None = None  # its sqlite3 connection
        self._local = threading.local()  # per thread, what each open `with` holds, innermost last

    def _held(self) -> list[Any]:
        try:
            held: list[Any] = self._local.held
        except AttributeError:
            held = self._local.held = []
        return held

    def __enter__(self) -> sqlite3.Connection:
        held = self._held()
        if not self._lock.acquire(blocking=False):  # busy (another thread, or this one further out)
            reading = self._db.read_raw()
            connection: sqlite3.Connection = reading.__enter__()
            held.append(reading)
            return connection
        kept = self._connection
        if kept is None:
            try:
                self._fairy = self._db.engine.raw_connection()
                kept = self._connection = self._fairy.driver_connection
            except BaseException as exc:
                self._lock.release()
                if isinstance(exc, sqlite3.Error):
                    self._raise(exc)
                raise
        held.append(None)  # None: the kept connection
        return kept

    def __exit__(
        self, kind: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None,
    ) -> bool | None:
        reading = self._local.held.pop()
        if reading is not None:
            return bool(reading.__exit__(kind, exc, tb))
        try:
            if isinstance(exc, sqlite3.Error):
                self._drop()
                self._raise(exc)
        finally:
            self._lock.release()
        return None

    def _raise(self, exc: sqlite3.Error) -> None:
        explained = explain(exc, self._db.where)
        if explained is not None:
            raise explained from exc

    def _drop(self) -> None:
        fairy, self._fairy, self._connection = self._fairy, None, None
        if fairy is not None:
            fairy.invalidate()  # not back into the pool: it may be what failed

    def close(self) -> None:
        """Give the connection back (Workbench.close)."""
        with self._lock:
            fairy, self._fairy, self._connection = self._fairy, None, None
            if fairy is not None:
                fairy.close()
