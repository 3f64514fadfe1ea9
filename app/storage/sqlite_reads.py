"""Plain sqlite3 connections for the reads that run as you type or on every start (the article
list, search): one per thread, opened by hand with the same settings as the engine's.

Borrowing the engine's pooled connection cost a check-out, a wrapper and a rollback on return
for each read, more than the list's own query at 10,000 claims. No SQLAlchemy here: an error is
a plain sqlite3.Error, which app.storage.errors.explain translates like any other."""

from __future__ import annotations

import contextlib
import sqlite3
import threading
import weakref
from operator import attrgetter
from pathlib import Path
from typing import TYPE_CHECKING

from app.storage import rows, sqlite_sql

if TYPE_CHECKING:
    from app.domain import Claim, Rating

BUSY_TIMEOUT_MS = 5000  # a second writer waits this long for the first one before giving up


def prepare(connection: sqlite3.Connection, busy_timeout_ms: int) -> None:
    """What every Claimdesk connection to a SQLite file is given when it is opened (the engine's
    own connections too, see app.storage.engine): autocommit at the driver, so the caller says
    where a transaction begins; foreign keys enforced; a writer waited for up to the timeout."""
    # pysqlite's own transaction handling never BEGINs before DDL, which would make a failed
    # migration leave a half-written schema; SQLAlchemy emits BEGIN itself (app.storage.engine).
    connection.isolation_level = None
    cursor = connection.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute(f"PRAGMA busy_timeout={int(busy_timeout_ms)}")
    cursor.close()


# An article's claims in text order: the statement orders them by the index (article, start), and
# the end breaks ties here, by a stable sort (ordered by the end too, SQLite sorted every whole row
# in a temporary B-tree).
TEXT_ORDER = attrgetter("article_id", "start", "end")


def article_claims(connection: sqlite3.Connection, article_id: int, ratings: dict[int, Rating]) -> list[Claim]:
    """An article's claims with their sources, in text order, read in the caller's transaction
    (sqlite_sql.SOURCES, then sqlite_sql.CLAIMS: the services' statements as SQLite text), as the
    first screen and the Workbench both read them on SQLite. The driver's own tuples, each claim
    built as the cursor gives its row: a list of every row (and of the texts the claims do not
    keep: stamps, enum values) held beside the claims was 3 MiB more at the peak of opening
    5,000 claims, and a SQLAlchemy Row around each cost more than the fetch."""
    cursor = connection.execute(sqlite_sql.SOURCES, (article_id,))
    try:
        sources = rows.sources_by_claim([d[0] for d in cursor.description], cursor.fetchall(), from_sqlite=True)
        cursor = connection.execute(sqlite_sql.CLAIMS, (article_id,))
        names = [d[0] for d in cursor.description]
        made = rows.claims_of(names, iter(cursor.fetchone, None), sources, ratings, from_sqlite=True)
    finally:
        cursor.close()
    made.sort(key=TEXT_ORDER)
    return made


class Reads:
    """One connection per thread that asks (the window's, the task runner's), each statement its
    own read (autocommit: in WAL mode it never waits for a writer); all closed by close()."""

    def __init__(self, database: str | Path, *, uri: bool, busy_timeout_ms: int) -> None:
        """`database` and `uri` as sqlite3.connect takes them: a path, or with `uri` a file: URI
        whose query (mode=ro, …) SQLite itself reads."""
        self._database = str(database)
        self._uri = uri
        self._busy_ms = busy_timeout_ms
        self._lock = threading.Lock()
        self._by_thread: dict[int, sqlite3.Connection] = {}
        # A Database nobody closed (a test's, a command's) still closes its connections
        # (Python 3.13 warns about a sqlite3 connection left open).
        weakref.finalize(self, _close_all, self._by_thread, self._lock)

    def connection(self) -> sqlite3.Connection:
        key = threading.get_ident()
        found = self._by_thread.get(key)
        if found is not None:
            return found
        # check_same_thread off: only close() crosses threads (a pool thread's connection).
        made = sqlite3.connect(self._database, uri=self._uri, check_same_thread=False)
        try:
            prepare(made, self._busy_ms)
        except sqlite3.Error:
            made.close()
            raise
        with self._lock:
            self._by_thread[key] = made
        return made

    def discard(self) -> None:
        """After an error: close this thread's connection, unless a transaction is still open on
        it (its owner rolls back first), so the next read starts on a fresh one."""
        with self._lock:
            found = self._by_thread.get(threading.get_ident())
            if found is None or found.in_transaction:
                return
            del self._by_thread[threading.get_ident()]
        found.close()

    def release_memory(self) -> None:
        """Let this thread's connection give back the page cache it is not using (`PRAGMA
        shrink_memory`): what its reads cached (up to SQLite's 2 MB) is read again from the file
        if it is asked for again. Nothing if this thread has no connection."""
        found = self._by_thread.get(threading.get_ident())
        if found is not None and not found.in_transaction:
            with contextlib.suppress(sqlite3.Error):  # only a cache: a read that needs the page meets any error
                found.execute("PRAGMA shrink_memory")

    def close(self) -> None:
        _close_all(self._by_thread, self._lock)


def _close_all(by_thread: dict[int, sqlite3.Connection], lock: threading.Lock) -> None:
    with lock:
        made = list(by_thread.values())
        by_thread.clear()
    for connection in made:
        connection.close()
