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
import threading
import weakref
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from sqlalchemy import Connection, Engine
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import Session, sessionmaker

from app.storage.engine import IMMEDIATE, describe, is_postgresql, postgresql_connect_args, sqlite_reads_for
from app.storage.errors import NotAllowed, explain


class Database:
    """The sessionmaker the services share, with the one way to open a transaction on it."""

    def __init__(self, sessions: sessionmaker[Session]) -> None:
        self.sessions = sessions
        bind = sessions.kw.get("bind")
        assert isinstance(bind, Engine), "the sessionmaker must be bound to an engine"
        self.engine: Engine = bind
        self.where = describe(bind.url)
        self.postgresql = is_postgresql(bind)
        self._watch: DataVersion | Notifications | None = None
        # Team mode asks the listener from the live poll's thread (app.ui.live) and tells it what
        # this window views from the UI thread: one at a time, and never two listeners.
        self._watch_lock = threading.RLock()
        self._reads = None if self.postgresql else sqlite_reads_for(bind)
        self._login: str | None = None
        self._superuser = False

    def login(self) -> str:
        """Who the server knows this connection as (team mode); "" on SQLite, which has no logins."""
        if not self.postgresql:
            return ""
        if self._login is None:
            with self.read() as s:
                row = s.connection().exec_driver_sql(
                    "SELECT session_user, rolsuper FROM pg_roles WHERE rolname = session_user"
                ).one()
            self._login, self._superuser = str(row[0]), bool(row[1])
        return self._login

    def may_act_as(self, name: str) -> bool:
        """Whether writes can be signed `name`: on SQLite always (a name is what was typed); on
        PostgreSQL only your own login, unless this login is a superuser (tests, admin scripts)."""
        if not self.postgresql or not name or name == self.login():
            return True
        return self._superuser

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
    def read_core(self) -> Iterator[Connection]:
        """As read(), on a bare Core connection: for a hot read of plain rows (the article list,
        the overview's counts), without the Session's own cost per call."""
        try:
            with self.engine.connect() as c:
                yield c
        except (DBAPIError, sqlite3.Error) as exc:
            self._translate(exc)
            raise

    @contextmanager
    def read_raw(self) -> Iterator[Any]:
        """SQLite: a plain sqlite3 connection, each statement its own read, for what runs as you
        type (search) and the article list: SQLAlchemy's own cost per statement was most of a
        search, and borrowing a pooled connection (check-out, wrapper, rollback on return) more
        than the list's query. This thread's own connection to the file, opened with the
        engine's settings (app.storage.sqlite_reads); the pool's, for an in-memory database."""
        assert not self.postgresql, "read_raw is for SQLite"
        try:
            if self._reads is not None:
                yield self._reads.connection()
                return
            raw = self.engine.raw_connection()
            try:
                yield raw.driver_connection
            finally:
                raw.close()  # back to the pool
        except (DBAPIError, sqlite3.Error) as exc:
            if self._reads is not None and isinstance(exc, sqlite3.Error):
                self._reads.discard()
            self._translate(exc)
            raise

    @contextmanager
    def write(self, as_login: str = "") -> Iterator[Session]:
        """One write transaction (BEGIN IMMEDIATE; on PostgreSQL the write lock), committed when
        the block ends, rolled back on any error. Waits up to the busy timeout for another writer.

        `as_login` (PostgreSQL): write as that login instead of this connection's own, which the
        server allows only to a superuser (tests, an admin's scripts); anyone else is refused, so
        a typed name never signs for somebody else."""
        try:
            with self.sessions.begin() as s:
                connection = s.connection(execution_options={IMMEDIATE: True})
                if self.postgresql and as_login and as_login != self.login():
                    quoted = '"' + as_login.replace('"', '""') + '"'
                    try:
                        connection.exec_driver_sql(f"SET LOCAL SESSION AUTHORIZATION {quoted}")
                    except DBAPIError as exc:
                        raise NotAllowed(
                            f"On the team database {self.where} changes are signed by your login,"
                            f" {self.login()}; you cannot act as {as_login}."
                        ) from exc
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

        SQLite: PRAGMA data_version on a connection kept for this purpose alone.
        PostgreSQL: a counter of the notifications the server sent on LISTEN, read without a
        round trip; after the connection is lost and made again, the counter moves on anyway,
        since notifications sent meanwhile are not replayed (so the caller re-queries)."""
        with self._watch_lock:
            if self._watch is None:
                self._watch = Notifications(self.engine, self.where) if self.postgresql else DataVersion(self.engine)
            try:
                return self._watch.value()
            except (DBAPIError, sqlite3.Error) as exc:
                self._watch.close()
                self._watch = None
                self._translate(exc)
                raise
        # Notifications keeps its count across a lost connection (it reconnects itself), so the
        # first stamp after a reconnect differs from every stamp before it.

    def show_viewing(self, claim_id: int | None) -> None:
        """Team mode: let others see which claim this window has open (None: none). Carried by
        the change listener's connection, so it vanishes with the window, a crash included."""
        if not self.postgresql:
            return
        with self._watch_lock:
            watch = self._listener()
            watch.viewing = claim_id
            try:
                watch.announce()
            except (DBAPIError, psycopg_error()) as exc:
                self._translate(exc)
                raise

    def viewers(self) -> dict[int, tuple[str, ...]]:
        """Team mode: claim id -> the logins of the other windows that have it open, now.
        One query on pg_stat_activity; {} on SQLite, where nobody else is watching."""
        if not self.postgresql:
            return {}
        with self._watch_lock:
            own = self._listener().backend_pid()
        with self.read() as s:
            rows = s.connection().exec_driver_sql(
                "SELECT usename, application_name FROM pg_stat_activity WHERE datname = current_database()"
                f" AND starts_with(application_name, '{LISTENER} claim ') AND pid <> {own or 0}"
            ).all()
        seen: dict[int, set[str]] = {}
        for login, name in rows:
            claim = name.rsplit(" ", 1)[-1]
            if claim.isdigit():
                seen.setdefault(int(claim), set()).add(str(login))
        return {claim: tuple(sorted(logins)) for claim, logins in seen.items()}

    def _listener(self) -> Notifications:
        if self._watch is None:
            self._watch = Notifications(self.engine, self.where)
        assert isinstance(self._watch, Notifications)
        return self._watch

    def close(self) -> None:
        """Let go of every connection to a SQLite file: the change watch's, each thread's plain
        one and the pool's (the last one closed folds the write-ahead log into the file, as at
        exit). The engine stays usable: a later read opens a connection again."""
        with self._watch_lock:
            if self._watch is not None:
                self._watch.close()
                self._watch = None
        if self._reads is not None:  # a file (an in-memory database lives in its pool: kept)
            self._reads.close()
            self.engine.dispose()


def psycopg_error() -> type[Exception]:
    import psycopg

    return psycopg.Error


LISTENER = "claimdesk (changes)"
"""application_name of a window's listening connection; "… claim 6" while claim 6 is open."""


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


class Notifications:
    """LISTEN on a dedicated autocommit connection; value() counts what arrived. Non-blocking:
    it reads only what the socket already holds. A lost connection is reported once (as a
    StorageError) and re-made by the next call, which counts as a change."""

    def __init__(self, engine: Engine, where: str) -> None:
        from app.storage.postgres import CHANNEL

        self._channel = CHANNEL
        self._where = where
        self._engine = engine
        self._count = 0
        self._conn: Any = None
        self.viewing: int | None = None

    def _name(self) -> str:
        return LISTENER if self.viewing is None else f"{LISTENER} claim {self.viewing}"

    def backend_pid(self) -> int | None:
        return None if self._conn is None or self._conn.closed else int(self._conn.info.backend_pid)

    def announce(self) -> None:
        """Say what this window views; a notification makes the others look again."""
        if self._conn is None or self._conn.closed:
            self.value()  # connects with the name already set
        self._conn.execute("SELECT set_config('application_name', %s, false)", (self._name(),))
        self._conn.execute("SELECT pg_notify(%s, '')", (self._channel,))

    def _connect(self) -> None:
        import psycopg
        from psycopg.conninfo import make_conninfo

        url = self._engine.url.set(drivername="postgresql")
        try:
            conninfo = make_conninfo(url.render_as_string(hide_password=False), **postgresql_connect_args(self._name()))
            conn = psycopg.connect(conninfo, autocommit=True)
        except psycopg.Error as exc:
            explained = explain(exc, self._where)
            raise (explained or exc) from exc
        conn.execute(f"LISTEN {self._channel}")
        self._conn = conn
        # A Workbench nobody closed (a test's, a crashed window's) still lets go of its socket.
        weakref.finalize(self, conn.close)

    def value(self) -> int:
        import psycopg

        if self._conn is None or self._conn.closed:
            self._connect()
            self._count += 1  # whatever happened while we were away: the caller re-queries
            return self._count
        pgconn = self._conn.pgconn
        try:
            # Twice: a server that ends the session first sends its FATAL message, then closes;
            # the first read takes the message, the second meets the closed socket and raises.
            # On a healthy connection the second read finds nothing and costs no round trip.
            pgconn.consume_input()
            pgconn.consume_input()
            while pgconn.notifies() is not None:
                self._count += 1
            if pgconn.status != psycopg.pq.ConnStatus.OK:
                raise psycopg.OperationalError("the connection to the server was lost")
        except psycopg.Error as exc:
            self._conn.close()
            self._conn = None
            self._count += 1
            explained = explain(exc, self._where)
            raise (explained or exc) from exc
        return self._count

    def close(self) -> None:
        if self._conn is not None:
            self._conn.close()
            self._conn = None
