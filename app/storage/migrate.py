"""Bring a database to the schema this build knows, safely: back up, refuse the unknown, upgrade."""

from __future__ import annotations

import ast
import sqlite3
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING

from sqlalchemy import Connection, Engine, inspect, text
from sqlalchemy.exc import DBAPIError

from app.paths import migrations_dir
from app.storage import search_index
from app.storage.engine import WRITE_LOCK, database_file, describe, is_postgresql
from app.storage.errors import DatabaseTooNew, StorageError, explain

if TYPE_CHECKING:  # Alembic is imported only when a database needs it: ~90 ms of every start otherwise
    from alembic.config import Config
    from alembic.script import ScriptDirectory


@dataclass(frozen=True)
class MigrationResult:
    from_revision: str | None
    to_revision: str
    backup: Path | None


def alembic_config(engine: Engine | None = None) -> Config:
    """Alembic's Config built in code, so it never depends on the working directory."""
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(migrations_dir()))
    if engine is not None:
        # ConfigParser interpolates %: a socket path in the URL is percent-encoded.
        config.set_main_option("sqlalchemy.url", engine.url.render_as_string(hide_password=False).replace("%", "%%"))
    return config


def head_revision() -> str:
    """The newest revision, read from the migration files' `revision` and `down_revision`
    assignments without importing Alembic (tests check it agrees with Alembic's own answer)."""
    return _head_of(migrations_dir())


@cache
def _head_of(folder: Path) -> str:
    revisions: set[str] = set()
    parents: set[str] = set()
    for path in (folder / "versions").glob("*.py"):
        for node in ast.parse(path.read_text("utf-8")).body:
            if isinstance(node, ast.Assign) and isinstance(node.value, ast.Constant):
                names = {t.id for t in node.targets if isinstance(t, ast.Name)}
                if "revision" in names and isinstance(node.value.value, str):
                    revisions.add(node.value.value)
                elif "down_revision" in names and isinstance(node.value.value, str):
                    parents.add(node.value.value)
    heads = revisions - parents
    assert len(heads) == 1, f"the migrations must have one head, not {sorted(heads)}"
    return heads.pop()


def current_revision(connection: Connection) -> str | None:
    from alembic.runtime.migration import MigrationContext

    return MigrationContext.configure(connection).get_current_revision()


def migrate(engine: Engine, *, revision: str = "head") -> MigrationResult:
    """Upgrade to `revision`; a no-op at head. Raises StorageError with a user-facing line."""
    where = _describe(engine)
    try:
        if revision == "head" and _at_head(engine):  # every start but the first after an update
            return MigrationResult(head_revision(), head_revision(), None)
        return _migrate(engine, revision, where)
    except DBAPIError as exc:
        raise explain(exc, where) or exc from exc
    except sqlite3.Error as exc:
        raise explain(exc, where) or exc from exc


def _at_head(engine: Engine) -> bool:
    """Already at this build's head? Then nothing to check or back up; WAL is made sure of."""
    with engine.connect() as connection:
        postgresql = is_postgresql(engine)
        tables = connection.exec_driver_sql(
            "SELECT count(*) FROM pg_tables WHERE schemaname = current_schema() AND tablename = 'alembic_version'"
            if postgresql else
            "SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = 'alembic_version'"
        ).scalar()
        if not tables:
            return False
        versions = connection.execute(text("SELECT version_num FROM alembic_version")).scalars().all()
        connection.rollback()
        if versions != [head_revision()]:
            return False
        if not postgresql:
            _raw(connection).execute("PRAGMA journal_mode=WAL")
    return True


def _migrate(engine: Engine, revision: str, where: str) -> MigrationResult:
    from alembic import command
    from alembic.script import ScriptDirectory

    config = alembic_config(engine)
    script = ScriptDirectory.from_config(config)
    target = script.get_current_head() if revision == "head" else revision
    assert target is not None
    with engine.connect() as connection:
        current = current_revision(connection)
        if current is None and _has_foreign_tables(connection):
            raise StorageError(f"The file at {where} holds another program's database, not Claimdesk's.")
        if current is not None and _unknown(script, current):
            raise DatabaseTooNew(
                f"The database at {where} was written by a newer Claimdesk (revision {current});"
                " update Claimdesk to open it. Nothing was changed."
            )
        connection.rollback()
        if not is_postgresql(engine):
            # Set here, not on every connect, so a file we refuse is never written to. WAL persists.
            _raw(connection).execute("PRAGMA journal_mode=WAL")
    if current == target:
        return MigrationResult(current, target, None)
    backup = _backup(engine) if current is not None else None
    _run(engine, config, lambda: command.upgrade(config, target), where)
    return MigrationResult(current, target, backup)


def downgrade(engine: Engine, revision: str) -> None:
    """For tests and recovery: step the schema back to `revision`."""
    from alembic import command

    config = alembic_config(engine)
    _run(engine, config, lambda: command.downgrade(config, revision), _describe(engine))


def _run(engine: Engine, config: Config, step: Callable[[], None], where: str) -> None:
    """One Alembic step in one transaction: all of it lands, or none of it."""
    if is_postgresql(engine):
        with engine.connect() as connection, connection.begin():
            # Two clients starting a new build at once: the second waits, then finds nothing to do
            # (Alembic reads the revision inside this transaction, after the lock).
            connection.exec_driver_sql(f"SELECT pg_advisory_xact_lock({WRITE_LOCK})")
            config.attributes["connection"] = connection
            step()
        return
    with engine.connect() as connection:
        raw = _raw(connection)
        _prepare_for_table_rebuilds(raw)
        try:
            with connection.begin():
                config.attributes["connection"] = connection
                step()
                search_index.restore(connection.exec_driver_sql, search_index.schema_names(raw))
                problems = connection.exec_driver_sql("PRAGMA foreign_key_check").fetchall()
                if problems:
                    raise StorageError(
                        f"Changing the database at {where} would break {len(problems)} links"
                        " between records; nothing was changed."
                    )
        finally:
            _restore_pragmas(raw)


def _prepare_for_table_rebuilds(raw: sqlite3.Connection) -> None:
    """Batch migrations rebuild a table by copy, drop and rename. With foreign keys on, the drop
    would cascade-delete children; without legacy_alter_table, the rename fails on triggers that
    name the table. Both pragmas only take effect outside a transaction."""
    raw.execute("PRAGMA foreign_keys=OFF")
    raw.execute("PRAGMA legacy_alter_table=ON")


def _restore_pragmas(raw: sqlite3.Connection) -> None:
    raw.execute("PRAGMA legacy_alter_table=OFF")
    raw.execute("PRAGMA foreign_keys=ON")


def _raw(connection: Connection) -> sqlite3.Connection:
    """The driver connection, for pragmas that only work outside a transaction."""
    raw = connection.connection.driver_connection
    assert isinstance(raw, sqlite3.Connection)
    return raw


def _unknown(script: ScriptDirectory, revision: str) -> bool:
    try:
        return script.get_revision(revision) is None
    except Exception:
        return True


def _has_foreign_tables(connection: Connection) -> bool:
    return bool(set(inspect(connection).get_table_names()) - {"alembic_version"})


def _backup(engine: Engine) -> Path | None:
    """Copy the database beside itself with a timestamp, through SQLite so the WAL is included."""
    path = database_file(engine.url)
    if path is None or not path.exists():
        return None
    stamp = datetime.now().strftime("%Y%m%d-%H%M%S")
    target = path.with_name(f"{path.name}.{stamp}.bak")
    n = 1
    while target.exists():
        n += 1
        target = path.with_name(f"{path.name}.{stamp}-{n}.bak")
    with sqlite3.connect(path) as source, sqlite3.connect(target) as copy:
        source.backup(copy)
    return target


def _describe(engine: Engine) -> str:
    return describe(engine.url)
