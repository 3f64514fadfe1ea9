"""Engine construction: one engine per process, built by the composition root, never at import.

Two engines are supported: a SQLite file (one person's desk) and a PostgreSQL server (a team's
desk, `postgresql://…`, spoken to with psycopg 3). Everything above this module is the same
for both; what differs (pragmas, how a writer queues, the URL shown to people) lives here."""

from __future__ import annotations

from pathlib import Path
from typing import Final
from urllib.parse import unquote, urlsplit

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.engine import URL, make_url
from sqlalchemy.orm import Session, sessionmaker

from app.storage import sqlite_reads
from app.storage.errors import StorageError
from app.storage.sqlite_reads import BUSY_TIMEOUT_MS

IMMEDIATE: Final = "claimdesk_immediate"
"""Execution option: this transaction writes, so it starts with BEGIN IMMEDIATE (see below)."""

WRITE_LOCK = 0x436C6D44  # "ClmD": the PostgreSQL advisory lock every write transaction takes
CONNECT_TIMEOUT_S = 5  # a server that does not answer is reported, not waited for
DEAD_PEER_S = 15
"""A server that stops answering in the middle of a session (a network cut, a VPN dropped, a
laptop leaving the office): libpq's TCP settings let the kernel give up on it after this long,
so the action waiting on it fails with one line. Without them a query sent into the void waited
for TCP's own retries, about 15 minutes, with the window frozen, and an idle connection (the
change listener's) never noticed at all. Ignored on a Unix socket."""


def postgresql_connect_args(application_name: str) -> dict[str, int | str]:
    """What every connection to a team server is opened with (the engine's and the change
    listener's): the connect timeout, the name others see, and the dead-server settings above:
    keepalive probes on an idle connection, and `tcp_user_timeout` on data sent and never
    acknowledged (which also bounds the probes)."""
    return {
        "connect_timeout": CONNECT_TIMEOUT_S,
        "application_name": application_name,
        "keepalives": 1,
        "keepalives_idle": DEAD_PEER_S // 3,
        "keepalives_interval": DEAD_PEER_S // 3,
        "keepalives_count": 2,
        "tcp_user_timeout": DEAD_PEER_S * 1000,
    }


def database_url(db: str) -> URL:
    """Accept a file path, a sqlite:/// URL, or a postgresql:// URL (team mode)."""
    if "://" in db:
        try:
            url = make_url(db)
        except Exception as exc:
            raise StorageError(f"Not a database URL: {db!r}") from exc
        backend = url.get_backend_name()
        if backend == "postgresql":
            # One driver, whatever the URL named: psycopg 3 is the one installed and tested.
            return url.set(drivername="postgresql+psycopg")
        if backend != "sqlite":
            raise StorageError(
                f"Claimdesk stores its work in SQLite or PostgreSQL; {backend!r} is not supported."
            )
        return url
    return URL.create("sqlite", database=str(Path(db).expanduser()))


def is_postgresql(url: URL | Engine) -> bool:
    url = url.url if isinstance(url, Engine) else url
    return url.get_backend_name() == "postgresql"


def database_file(url: URL) -> Path | None:
    """The file behind a SQLite URL, or None for an in-memory or server database."""
    if is_postgresql(url) or not url.database or url.database == ":memory:":
        return None
    if url.query.get("uri") == "true" and url.database.startswith("file:"):
        # SQLite's URI form (sqlite:///file:/path?mode=ro&uri=true): the file is the URI's path.
        path = urlsplit(url.database).path
        return Path(unquote(path)) if path else None
    return Path(url.database)


def describe(url: URL) -> str:
    """Where the database is, for one line to a person: a file, or a server's database (no password)."""
    if is_postgresql(url):
        host = url.host or url.query.get("host") or "localhost"
        host = host if isinstance(host, str) else host[0]
        user = f"{url.username}@" if url.username else ""
        return f"postgresql://{user}{host}{f':{url.port}' if url.port else ''}/{url.database or ''}"
    path = database_file(url)
    return str(path) if path is not None else "(in memory)"


def make_engine(db: str) -> Engine:
    url = database_url(db)
    if is_postgresql(url):
        engine = create_engine(
            url,
            pool_pre_ping=True,  # a server restart costs one failed ping, not the user's next action
            connect_args=postgresql_connect_args("claimdesk"),
        )
        _install_postgresql_session(engine)
        return engine
    path = database_file(url)
    if path is not None:
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise StorageError(f"Cannot create the folder for the database at {path}: {exc.strerror}.") from exc
    engine = create_engine(url)
    _install_sqlite_pragmas(engine)
    return engine


def _install_sqlite_pragmas(engine: Engine) -> None:
    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection, _record):  # type: ignore[no-untyped-def]
        sqlite_reads.prepare(dbapi_connection, BUSY_TIMEOUT_MS)  # BEGIN is emitted below

    @event.listens_for(engine, "begin")
    def _on_begin(connection):  # type: ignore[no-untyped-def]
        # A write takes the write lock at BEGIN IMMEDIATE, where the busy timeout lets it queue
        # behind another writer. A deferred transaction that reads and then writes cannot wait:
        # in WAL mode SQLite refuses its upgrade at once with "database is locked".
        immediate = connection.get_execution_options().get(IMMEDIATE, False)
        connection.exec_driver_sql("BEGIN IMMEDIATE" if immediate else "BEGIN")


def _install_postgresql_session(engine: Engine) -> None:
    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection, _record):  # type: ignore[no-untyped-def]
        # A statement waiting for a lock (the write lock below, a row) gives up after the same
        # time a SQLite writer waits, with an error explain() turns into one line.
        with dbapi_connection.cursor() as cursor:
            cursor.execute(f"SET lock_timeout = {BUSY_TIMEOUT_MS}")
            # A session idle inside a transaction (a crashed client's) would hold its locks forever.
            cursor.execute("SET idle_in_transaction_session_timeout = 60000")
        dbapi_connection.commit()

    @event.listens_for(engine, "begin")
    def _on_begin(connection):  # type: ignore[no-untyped-def]
        # Writers queue, as on SQLite: each write transaction first takes one advisory lock,
        # held until it commits or rolls back. The services' read-check-write (versions, the
        # approval rules) then sees the last committed state, exactly as under BEGIN IMMEDIATE;
        # readers never wait (MVCC). A desk's writes are small, so one at a time costs nothing.
        if connection.get_execution_options().get(IMMEDIATE, False):
            connection.exec_driver_sql(f"SELECT pg_advisory_xact_lock({WRITE_LOCK})")


def sqlite_reads_for(engine: Engine) -> sqlite_reads.Reads | None:
    """Plain connections to the engine's SQLite file for Database.read_raw, with the same
    settings; None for PostgreSQL or an in-memory database (a second connection to ":memory:"
    would be another, empty database)."""
    if database_file(engine.url) is None:
        return None
    # What the engine's own connections are opened with: the file, or the URI with the query
    # SQLite reads itself (mode=ro) put back on it.
    args, kwargs = engine.dialect.create_connect_args(engine.url)
    return sqlite_reads.Reads(args[0], uri=bool(kwargs.get("uri")), busy_timeout_ms=BUSY_TIMEOUT_MS)


def make_sessions(engine: Engine) -> sessionmaker[Session]:
    return sessionmaker(engine, expire_on_commit=False)
