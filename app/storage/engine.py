"""Engine construction: one engine per process, built by the composition root, never at import."""

from __future__ import annotations

from pathlib import Path
from typing import Final

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.engine import URL, make_url
from sqlalchemy.orm import Session, sessionmaker

from app.storage.errors import StorageError

BUSY_TIMEOUT_MS = 5000  # a second writer waits this long for the first one before giving up
IMMEDIATE: Final = "claimdesk_immediate"
"""Execution option: this transaction writes, so it starts with BEGIN IMMEDIATE (see below)."""


def database_url(db: str) -> URL:
    """Accept a file path or a sqlite:/// URL; Claimdesk stores its work in SQLite only."""
    if "://" in db:
        try:
            url = make_url(db)
        except Exception as exc:
            raise StorageError(f"Not a database URL: {db!r}") from exc
        if url.get_backend_name() != "sqlite":
            raise StorageError(f"Claimdesk stores its work in SQLite; {url.get_backend_name()!r} is not supported.")
        return url
    return URL.create("sqlite", database=str(Path(db).expanduser()))


def database_file(url: URL) -> Path | None:
    """The file behind a SQLite URL, or None for an in-memory database."""
    if not url.database or url.database == ":memory:":
        return None
    return Path(url.database)


def make_engine(db: str) -> Engine:
    url = database_url(db)
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
        # pysqlite's own transaction handling never BEGINs before DDL, which would make a
        # failed migration leave a half-written schema; SQLAlchemy emits BEGIN itself below.
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(connection):  # type: ignore[no-untyped-def]
        # A write takes the write lock at BEGIN IMMEDIATE, where the busy timeout lets it queue
        # behind another writer. A deferred transaction that reads and then writes cannot wait:
        # in WAL mode SQLite refuses its upgrade at once with "database is locked".
        immediate = connection.get_execution_options().get(IMMEDIATE, False)
        connection.exec_driver_sql("BEGIN IMMEDIATE" if immediate else "BEGIN")


def make_sessions(engine: Engine) -> sessionmaker[Session]:
    return sessionmaker(engine, expire_on_commit=False)
