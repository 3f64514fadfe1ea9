"""Storage errors the user can act on, each with a one-line message."""

from __future__ import annotations

import sqlite3

from sqlalchemy.exc import DBAPIError


class StorageError(Exception):
    """A problem with the database file itself (where it is, what it holds), not a bug of ours."""


class DatabaseTooNew(StorageError):
    pass


class NotFound(LookupError):
    """A record the caller named does not exist (any more)."""


def explain(error: BaseException, where: str) -> StorageError | None:
    """Turn an environment failure from SQLite into a StorageError; None means it is our bug."""
    original = error.orig if isinstance(error, DBAPIError) else error
    message = str(original).lower()
    if not isinstance(original, sqlite3.Error):
        return None
    if "unable to open database file" in message or "readonly" in message or "read-only" in message:
        return StorageError(f"Cannot write the database at {where}: check that the folder exists and is writable.")
    if "not a database" in message or "malformed" in message or "corrupt" in message:
        return StorageError(f"The file at {where} is not a Claimdesk database, or it is damaged.")
    if "locked" in message or "busy" in message:
        return StorageError(f"The database at {where} is locked by another program; close it and try again.")
    if "disk is full" in message or "disk i/o" in message:
        return StorageError(f"Cannot write the database at {where}: the disk is full or failing.")
    return None
