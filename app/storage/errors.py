"""Database failures translated in one place: the environment (one line for the user) or a bug.

The error classes themselves live in app.domain.errors, the one taxonomy every layer uses;
they are re-exported here for the storage layer's callers.
"""

from __future__ import annotations

import sqlite3

from sqlalchemy.exc import DBAPIError

from app.domain.errors import DatabaseTooNew, NotFound, StorageError

__all__ = ["DatabaseTooNew", "NotFound", "StorageError", "explain"]


def explain(error: BaseException, where: str) -> StorageError | None:
    """Turn an environment failure from SQLite into a StorageError; None means it is our bug.

    Environment: locked past the busy timeout, disk full or failing, read-only, the file gone
    or not a database, the connection lost. Everything else (a constraint, SQL of ours) is a bug."""
    original = error.orig if isinstance(error, DBAPIError) else error
    if isinstance(error, DBAPIError) and error.connection_invalidated:
        return StorageError(f"The connection to the database at {where} was lost; try again.")
    if not isinstance(original, sqlite3.Error):
        return None
    message = str(original).lower()
    if "unable to open database file" in message or "readonly" in message or "read-only" in message:
        return StorageError(f"Cannot write the database at {where}: check that the folder exists and is writable.")
    if "not a database" in message or "malformed" in message or "corrupt" in message:
        return StorageError(f"The file at {where} is not a Claimdesk database, or it is damaged.")
    if "locked" in message or "busy" in message:
        return StorageError(
            f"The database at {where} stayed busy with another program's change for too long; nothing was"
            " written, try again."
        )
    if "disk is full" in message or "disk i/o" in message or "no longer" in message:
        return StorageError(f"Cannot write the database at {where}: the disk is full, failing or gone.")
    if "closed database" in message:
        return StorageError(f"The connection to the database at {where} was lost; try again.")
    return None
