"""Database failures translated in one place: the environment (one line for the user) or a bug.

The error classes themselves live in app.domain.errors, the one taxonomy every layer uses;
they are re-exported here for the storage layer's callers. SQLAlchemy is not imported here:
an error can only be SQLAlchemy's wrapper if SQLAlchemy is loaded, so that is looked up lazily
(so what reads through sqlite3 alone can translate its errors without loading SQLAlchemy).
"""

from __future__ import annotations

import os
import sqlite3
import sys
from pathlib import Path
from typing import Any

from app.domain.errors import DatabaseTooNew, NotAllowed, NotFound, StorageError, UserError

__all__ = ["DatabaseTooNew", "NotAllowed", "NotFound", "StorageError", "explain"]


def explain(error: BaseException, where: str) -> UserError | None:
    """Turn an environment failure from SQLite or PostgreSQL into a StorageError (or, for what
    the server refuses this login, NotAllowed); None means it is our bug.

    Environment: locked past the busy timeout, disk full or failing, read-only, the file gone
    or not a database, the server down or restarting, a refused login, the connection lost.
    Everything else (a constraint, SQL of ours) is a bug. The line never quotes the statement
    or its parameters."""
    wrapper = _dbapi_error(error)
    original = wrapper.orig if wrapper is not None else error
    if original is not None and _is_psycopg(original):
        return _explain_postgresql(original, where)
    if wrapper is not None and wrapper.connection_invalidated:
        return StorageError(f"The connection to the database at {where} was lost; try again.")
    if not isinstance(original, sqlite3.Error):
        return None
    # Never str(error) of the wrapper: SQLAlchemy's carries the statement and every parameter
    # (kilobytes of them in a bulk insert). Only SQLite's own message is read, and not shown.
    return _explain_sqlite(original, where)


def _dbapi_error(error: BaseException) -> Any:
    """`error` as SQLAlchemy's DBAPIError (the driver's error in .orig), or None. Without
    SQLAlchemy loaded, nothing can have raised one."""
    exc = sys.modules.get("sqlalchemy.exc")
    if exc is None:
        return None
    return error if isinstance(error, exc.DBAPIError) else None


# SQLite's primary result codes (https://sqlite.org/rescode.html): what the environment did.
SQLITE_PERM, SQLITE_BUSY, SQLITE_LOCKED, SQLITE_READONLY, SQLITE_IOERR = 3, 5, 6, 8, 10
SQLITE_CORRUPT, SQLITE_FULL, SQLITE_CANTOPEN, SQLITE_NOTADB = 11, 13, 14, 26


def _explain_sqlite(error: sqlite3.Error, where: str) -> StorageError | None:
    code = getattr(error, "sqlite_errorcode", None)
    primary = code & 0xFF if isinstance(code, int) else None
    message = str(error).lower()
    if primary == SQLITE_FULL or "disk is full" in message:
        return StorageError(f"Cannot write the database at {where}: the disk is full; nothing was written.")
    if primary in (SQLITE_READONLY, SQLITE_PERM) or "readonly" in message or "read-only" in message:
        return _read_only(where)
    if primary == SQLITE_CANTOPEN or "unable to open database file" in message:
        if _read_only_place(where):  # a WAL database cannot even be read without writing its -shm
            return _read_only(where)
        return StorageError(f"Cannot open the database at {where}: check that the folder exists and is writable.")
    if primary in (SQLITE_NOTADB, SQLITE_CORRUPT) or "not a database" in message or "malformed" in message:
        return StorageError(f"The file at {where} is not a Claimdesk database, or it is damaged.")
    if primary in (SQLITE_BUSY, SQLITE_LOCKED) or "locked" in message or "busy" in message:
        return StorageError(
            f"The database at {where} stayed busy with another program's change for too long; nothing was"
            " written, try again."
        )
    if primary == SQLITE_IOERR or "disk i/o" in message or "no longer" in message:
        return StorageError(f"Cannot write the database at {where}: the disk is failing or gone; nothing was written.")
    if "closed database" in message:
        return StorageError(f"The connection to the database at {where} was lost; try again.")
    return None


def _read_only(where: str) -> StorageError:
    return StorageError(
        f"The database at {where} is read-only (the file, its folder or the disk cannot be written);"
        " Claimdesk needs to write to it. Nothing was changed."
    )


def _read_only_place(where: str) -> bool:
    """The database file exists, but it or its folder cannot be written (a read-only disk says
    so even to root)."""
    path = Path(where)
    try:
        return path.is_file() and not (os.access(path, os.W_OK) and os.access(path.parent, os.W_OK))
    except (OSError, ValueError):
        return False


def _is_psycopg(error: BaseException | None) -> bool:
    return type(error).__module__.startswith("psycopg")


def _first_line(error: BaseException) -> str:
    diag = getattr(error, "diag", None)
    primary = getattr(diag, "message_primary", None)
    text = primary or str(error)
    for line in text.splitlines():
        line = line.strip()
        if line:
            return line.removeprefix("FATAL:").removeprefix("ERROR:").strip()
    return "no reason given"


def _explain_postgresql(error: BaseException, where: str) -> UserError | None:
    import psycopg
    from psycopg import errors as pg

    if isinstance(error, pg.InsufficientPrivilege):
        line = _first_line(error)
        if line.startswith("permission denied for"):
            return NotAllowed(f"Your login may only read the database at {where} ({line}).")
        return NotAllowed(f"The database at {where} refused this: {line}.")
    if isinstance(error, pg.LockNotAvailable | pg.DeadlockDetected | pg.SerializationFailure):
        return StorageError(
            f"The database at {where} stayed busy with another person's change for too long; nothing was"
            " written, try again."
        )
    if isinstance(error, pg.ReadOnlySqlTransaction):
        return StorageError(f"The database at {where} is read-only just now (a standby, or maintenance).")
    if isinstance(error, pg.DiskFull | pg.OutOfMemory | pg.InsufficientResources):
        return StorageError(f"The server of the database at {where} is out of space or memory; nothing was written.")
    if isinstance(error, pg.InvalidPassword | pg.InvalidAuthorizationSpecification):
        return StorageError(f"The server refused the login for {where}: {_first_line(error)}.")
    if isinstance(error, pg.InvalidCatalogName):
        return StorageError(f"There is no database {where} on that server: {_first_line(error)}.")
    if isinstance(error, pg.AdminShutdown | pg.CrashShutdown | pg.CannotConnectNow | pg.IdleInTransactionSessionTimeout):
        return StorageError(f"The server of the database at {where} restarted or shut down; try again in a moment.")
    if isinstance(error, psycopg.OperationalError | psycopg.InterfaceError):
        # Connection refused, host unknown, the server gone mid-query, a closed connection:
        # libpq says which in its first line.
        line = _first_line(error)
        lower = line.lower()
        if "password" in lower or "authentication" in lower or ("role" in lower and "does not exist" in lower):
            return StorageError(f"The server refused the login for {where}: {line}.")
        if "database" in lower and "does not exist" in lower:
            return StorageError(f"There is no database {where} on that server: {line}.")
        return StorageError(f"Cannot reach the database at {where}: {line}.")
    return None
