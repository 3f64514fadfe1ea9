"""`claimdesk copy`: move a whole archive between databases (SQLite <-> PostgreSQL), checked.

Every table the models know is copied with its ids, in an order that keeps foreign keys valid,
in one transaction on the target: articles, segments, claims, sources, rejected suggestions,
saved evidence, the append-only history (same ids, so the same order, and the same authors: the owner of a
team database may keep them, see app.storage.postgres.RESTORING), rating scales and settings.
Before it commits, each table's row count and a hash of its rows (in id order, values in one
canonical text form) must equal the source's; else nothing is written.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from sqlalchemy import Connection, Engine, Table, func, select, text
from sqlalchemy.exc import DBAPIError

from app.storage.engine import describe, is_postgresql
from app.storage.errors import StorageError, explain
from app.storage.models import Base
from app.storage.postgres import RESTORING

# Parents before children; rating labels before the claims that name them.
ORDER = ("rating_scale", "rating_label", "setting", "article", "segment", "claim", "source", "evidence",
         "rejected_suggestion", "history", "article_revision", "source_link", "snapshot_blob", "source_snapshot",
         "job")
SEEDED = ("rating_scale", "rating_label")  # the migrations fill these; the source's replace them
BATCH = 2000


@dataclass(frozen=True)
class TableCopy:
    table: str
    rows: int
    sha256: str


def tables() -> list[Table]:
    known = Base.metadata.tables
    assert set(known) == set(ORDER), "a new table must be added to app.storage.copy.ORDER"
    return [known[name] for name in ORDER]


def copy_archive(source: Engine, target: Engine) -> list[TableCopy]:
    """Copy everything from `source` to an empty `target` (both at this build's schema)."""
    where = describe(target.url)
    try:
        with source.connect() as src:
            expected = [fingerprint(src, t) for t in tables()]
            with target.connect() as dst, dst.begin():
                _refuse_non_empty(dst, where)
                if is_postgresql(target):
                    dst.exec_driver_sql(f"SET LOCAL {RESTORING} = 'on'")
                for table in reversed(tables()):
                    if table.name in SEEDED:
                        dst.execute(table.delete())
                for table in tables():
                    for rows in _batches(src, table):
                        dst.execute(table.insert(), rows)
                if is_postgresql(target):
                    _advance_sequences(dst)
                copied = [fingerprint(dst, t) for t in tables()]
                if copied != expected:
                    wrong = [f"{e.table} ({c.rows} of {e.rows} rows)" for e, c in zip(expected, copied, strict=True)
                             if e != c]
                    hint = (" (only the database's owner may copy a history with its authors)"
                            if is_postgresql(target) else "")
                    raise StorageError(f"The copy to {where} did not match its source in {', '.join(wrong)}{hint};"
                                       " nothing was written.")
    except DBAPIError as exc:
        raise explain(exc, where) or exc from exc
    return copied


def fingerprint(connection: Connection, table: Table) -> TableCopy:
    digest = hashlib.sha256()
    count = 0
    key = list(table.primary_key.columns)
    for row in connection.execute(select(table).order_by(*key)).yield_per(BATCH):
        digest.update(("\x1f".join(_canonical(v) for v in row) + "\x1e").encode("utf-8"))
        count += 1
    return TableCopy(table.name, count, digest.hexdigest())


def _canonical(value: Any) -> str:
    if value is None:
        return "\x00"
    if isinstance(value, bool):
        return "1" if value else "0"
    if isinstance(value, datetime):
        return value.isoformat(sep=" ")
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, float):
        return repr(value)
    if isinstance(value, bytes | memoryview):  # snapshots: the same bytes, whichever driver read them
        return hashlib.sha256(bytes(value)).hexdigest()
    return str(value)


def _batches(connection: Connection, table: Table) -> Iterable[list[dict[str, Any]]]:
    key = list(table.primary_key.columns)
    result = connection.execute(select(table).order_by(*key)).mappings()
    while rows := result.fetchmany(BATCH):
        yield [dict(r) for r in rows]


def _refuse_non_empty(connection: Connection, where: str) -> None:
    for table in tables():
        if table.name in SEEDED:
            continue
        if connection.execute(select(func.count()).select_from(table)).scalar():
            raise StorageError(
                f"The database at {where} already holds work (its {table.name} table is not empty);"
                " copy only into a new, empty database. Nothing was written."
            )


def _advance_sequences(connection: Connection) -> None:
    """Ids were given explicitly: the next one the server hands out must come after them."""
    for table in tables():
        if "id" in table.c:
            connection.execute(text(
                f"SELECT setval(pg_get_serial_sequence('{table.name}', 'id'),"
                f" coalesce((SELECT max(id) FROM {table.name}), 1),"
                f" (SELECT max(id) FROM {table.name}) IS NOT NULL)"
            ))

