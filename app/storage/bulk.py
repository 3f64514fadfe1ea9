"""Many rows into one table with one executemany on the session's own connection, written as Core
writes them: the columns' Python-side defaults for what a row leaves out, and every value through
its type's bind processor for the connection's dialect (a DATETIME as SQLite's text, a Boolean as
0/1). What it saves is Core's and the ORM's Python per row: an import's 2,000 claims and 2,500
segments cost about 80 ms more through `insert(ClaimRow)` (the ORM's bulk path: a parameter dict
compiled, checked and processed per row) than the statement's own time in the driver."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from typing import Any

from sqlalchemy import Table, insert
from sqlalchemy.orm import Session

from app.storage import postgres, search_index

# The placeholder of each DB-API paramstyle that takes a sequence (sqlite3: qmark; psycopg: format,
# and pyformat accepts %s too).
_PLACEHOLDERS = {"qmark": "?", "format": "%s", "pyformat": "%s"}


def insert_many(s: Session, table: Table, keys: Sequence[str], rows: Sequence[tuple[Any, ...]]) -> None:
    """INSERT `rows` (values in the order of `keys`, column names of `table`) in the session's
    transaction. Columns left out get their scalar Python default, as Core gives them, or none
    (the database's default: an autoincrement key). Any other default is refused here."""
    if not rows:
        return
    connection = s.connection()
    dialect = connection.dialect
    mark = _PLACEHOLDERS.get(dialect.paramstyle)
    if mark is None:  # a paramstyle that wants names: Core does it all
        s.execute(insert(table), [dict(zip(keys, row, strict=True)) for row in rows])
        return
    given = set(keys)
    missing = [c for c in table.c if c.name not in given and c.default is not None]
    for column in missing:
        if not getattr(column.default, "is_scalar", False):
            raise ValueError(f"{table.name}.{column.name}: only a scalar default can be filled in here")
    names = [*keys, *(c.name for c in missing)]
    tail = tuple(c.default.arg for c in missing)  # type: ignore[union-attr]
    processors = [table.c[name].type.dialect_impl(dialect).bind_processor(dialect) for name in names]
    if any(processors):
        # Column by column (a transpose in C): a processor is called once per value of its column only.
        columns = list(zip(*(row + tail for row in rows), strict=True)) if tail else list(zip(*rows, strict=True))
        for i, process in enumerate(processors):
            if process is not None:
                columns[i] = tuple(map(process, columns[i]))
        values: Sequence[tuple[Any, ...]] = list(zip(*columns, strict=True))
    else:
        values = [row + tail for row in rows] if tail else rows
    quote = dialect.identifier_preparer.quote
    sql = (
        f"INSERT INTO {dialect.identifier_preparer.format_table(table)} ({', '.join(quote(n) for n in names)})"
        f" VALUES ({', '.join([mark] * len(names))})"
    )
    connection.exec_driver_sql(sql, values)


@contextmanager
def search_filled_after(s: Session, article_id: int) -> Iterator[None]:
    """Around a bulk insert of the claims of an article made in this transaction (none of them
    indexed yet, none touched again before the block ends): the search index's insert trigger
    stands aside for them, and on leaving the block one INSERT ... SELECT indexes them all, as
    the trigger would have row by row (migration 0016). The trigger stood aside for 2,000
    claims: the write 120 -> 55 ms in bare sqlite3, most of it FTS5's cost per statement.

    The pause lives only in this transaction (a row no other connection sees, deleted before the
    block ends, or a transaction-local setting on PostgreSQL), so every other writer of claims,
    here or in another process, is indexed by the trigger as before. An error inside the block
    leaves it to the transaction's rollback, which takes the pause with it."""
    connection = s.connection()
    if connection.dialect.name == "postgresql":
        connection.exec_driver_sql(
            "SELECT set_config('claimdesk.search_paused', %s, true)", (str(article_id),)
        )
        yield
        connection.exec_driver_sql("SELECT set_config('claimdesk.search_paused', '', true)")
        connection.exec_driver_sql(postgres.SEARCH_FILL_ARTICLE, (article_id,))
        return
    # Services opened on a database below 0016 (a test of an older schema's upgrade): no pause
    # to take, the trigger indexes each claim as it did then.
    if connection.exec_driver_sql(
        "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?", (search_index.PAUSED,)
    ).first() is None:
        yield
        return
    connection.exec_driver_sql("INSERT INTO claim_search_paused (article_id) VALUES (?)", (article_id,))
    yield
    connection.exec_driver_sql("DELETE FROM claim_search_paused WHERE article_id = ?", (article_id,))
    connection.exec_driver_sql(search_index.FILL_ARTICLE, (article_id,))
