"""A Core statement compiled once for SQLite and run on the DB-API connection, with the type
conversions SQLAlchemy itself applies (a DATETIME to and from its stored text, a Boolean to 0/1):
the rows and parameters are what Core gives and takes, without its cost per statement
(app.storage.draft's verdict edit: building, caching and running four statements through a
Session was twice the statements' own time)."""

from __future__ import annotations

import sqlite3
from collections.abc import Callable, Iterable, Mapping
from typing import Any

from sqlalchemy.dialects import sqlite
from sqlalchemy.sql import ClauseElement
from sqlalchemy.sql.compiler import SQLCompiler

_DIALECT = sqlite.dialect()


def _no_change(value: Any) -> Any:
    return value


class Prepared:
    """`statement` as SQLite text; `run(connection, values)` binds `values` (name -> value) by
    name, and `rows`/`mappings` convert what comes back as Core would."""

    def __init__(self, statement: ClauseElement) -> None:
        compiled = statement.compile(dialect=_DIALECT)
        assert isinstance(compiled, SQLCompiler)
        self.sql = str(compiled)
        binds = compiled.binds
        self._names = tuple(compiled.positiontup or ())
        self._bind = tuple(
            binds[name].type.dialect_impl(_DIALECT).bind_processor(_DIALECT) for name in self._names
        )
        columns = list(getattr(statement, "selected_columns", ()))
        returning = getattr(statement, "_returning", ())
        columns += list(returning)
        self.keys = tuple(str(getattr(c, "key", None) or getattr(c, "name", "")) for c in columns)
        processors = [c.type.dialect_impl(_DIALECT).result_processor(_DIALECT, None) for c in columns]
        self._convert: tuple[Callable[[Any], Any], ...] | None = (
            tuple(p or _no_change for p in processors) if any(processors) else None
        )

    def params(self, values: Mapping[str, Any]) -> tuple[Any, ...]:
        return tuple(
            values[name] if bind is None else bind(values[name]) for name, bind in zip(self._names, self._bind, strict=True)
        )

    def run(self, connection: sqlite3.Connection, values: Mapping[str, Any]) -> sqlite3.Cursor:
        return connection.execute(self.sql, self.params(values))

    def rows(self, connection: sqlite3.Connection, values: Mapping[str, Any]) -> list[tuple[Any, ...]]:
        found: Iterable[tuple[Any, ...]] = self.run(connection, values).fetchall()
        convert = self._convert
        if convert is None:
            return list(found)
        return [tuple(f(v) for f, v in zip(convert, row, strict=True)) for row in found]

    def mappings(self, connection: sqlite3.Connection, values: Mapping[str, Any]) -> list[dict[str, Any]]:
        keys = self.keys
        return [dict(zip(keys, row, strict=True)) for row in self.rows(connection, values)]
