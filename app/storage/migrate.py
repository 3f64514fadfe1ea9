"""Bring a database to the schema this build knows, safely: back up, refuse the unknown, upgrade."""

from __future__ import annotations

import ast
import errno
import re
import sqlite3
from collections.abc import Callable
from contextlib import closing
from dataclasses import dataclass
from datetime import datetime
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING

from sqlalchemy import Connection, Engine, inspect, text
from sqlalchemy.exc import DBAPIError

from app.paths import migrations_dir
from app.storage import search_index, summary
from app.storage.engine import WRITE_LOCK, database_file, describe, is_postgresql
from app.storage.errors import DatabaseTooNew, StorageError, explain

if TYPE_CHECKING:  # Alembic is imported only when a database needs it: ~90 ms of every start otherwise
    from alembic.config import Config
    from alembic.script import Script, ScriptDirectory


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
        versions = _versions(connection, _describe(engine))
        connection.rollback()
        if versions != [head_revision()]:
            return False
        if not is_postgresql(engine):
            _raw(connection).execute("PRAGMA journal_mode=WAL")
    return True


CLAIMDESK_TABLES = frozenset({"article", "claim", "source", "setting"})
"""The tables of the first revision: every Claimdesk database has them, whatever its age."""

_REVISION = re.compile(r"[A-Za-z0-9_]{1,32}")


def _versions(connection: Connection, where: str) -> list[str] | None:
    """The rows of alembic_version (None: no such table), read without Alembic, which fails on
    anything but one well-formed row. A table of that name that is not Alembic's (no
    version_num) belongs to another program."""
    postgresql = connection.dialect.name == "postgresql"
    tables = connection.exec_driver_sql(
        "SELECT count(*) FROM pg_tables WHERE schemaname = current_schema() AND tablename = 'alembic_version'"
        if postgresql else
        "SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = 'alembic_version'"
    ).scalar()
    if not tables:
        return None
    try:
        rows = connection.execute(text("SELECT version_num FROM alembic_version")).scalars().all()
    except DBAPIError as exc:
        if explain(exc, where) is not None:
            raise
        connection.rollback()
        raise StorageError(f"The file at {where} holds another program's database, not Claimdesk's.") from None
    return [str(r) for r in rows]


def _check_revision(connection: Connection, script: ScriptDirectory, where: str) -> str | None:
    """The database's one revision, if this build can work with it; otherwise the reason, in one
    line: another program's database, a damaged version table, or a newer Claimdesk."""
    versions = _versions(connection, where)
    tables = set(inspect(connection).get_table_names()) - {"alembic_version"}
    ours = tables >= CLAIMDESK_TABLES
    if not versions:
        if tables and not ours:
            raise StorageError(f"The file at {where} holds another program's database, not Claimdesk's.")
        if ours:
            table = "its alembic_version table is empty" if versions == [] else "it has no alembic_version table"
            raise StorageError(
                f"The database at {where} records no schema revision ({table}):"
                " it is damaged or was edited by hand. Nothing was changed."
            )
        return None
    if len(versions) > 1:
        if not ours:
            raise StorageError(f"The file at {where} holds another program's database, not Claimdesk's.")
        shown = ", ".join(_shown(v) for v in versions[:4]) + (", …" if len(versions) > 4 else "")
        raise StorageError(
            f"The database at {where} records {len(versions)} schema revisions ({shown}) where there should"
            " be one: it is damaged or was edited by hand. Nothing was changed."
        )
    (current,) = versions
    if not ours:  # whatever its revision says: every Claimdesk revision has these tables
        raise StorageError(f"The file at {where} holds another program's database, not Claimdesk's.")
    if not _unknown(script, current):
        return current
    if not _REVISION.fullmatch(current):
        raise StorageError(
            f"The database at {where} records a schema revision no Claimdesk writes ({_shown(current)}):"
            " it is damaged or was edited by hand. Nothing was changed."
        )
    raise DatabaseTooNew(
        f"The database at {where} was written by a newer Claimdesk (revision {current});"
        " update Claimdesk to open it. Nothing was changed."
    )


def _shown(revision: str) -> str:
    """A revision as one short, printable quote, whatever bytes it holds."""
    clean = "".join(ch if ch.isprintable() else "?" for ch in revision)
    return repr(clean if len(clean) <= 40 else clean[:39] + "…")


def _migrate(engine: Engine, revision: str, where: str) -> MigrationResult:
    from alembic import command
    from alembic.script import ScriptDirectory

    config = alembic_config(engine)
    script = ScriptDirectory.from_config(config)
    target = script.get_current_head() if revision == "head" else revision
    assert target is not None
    with engine.connect() as connection:
        current = _check_revision(connection, script, where)
        connection.rollback()
        if not is_postgresql(engine):
            # Set here, not on every connect, so a file we refuse is never written to. WAL persists.
            _raw(connection).execute("PRAGMA journal_mode=WAL")
    if current == target:
        return MigrationResult(current, target, None)
    backup = _backup(engine) if current is not None else None
    _run(engine, config, lambda: command.upgrade(config, target), where)
    return MigrationResult(current, target, backup)


@dataclass(frozen=True)
class DowngradeResult:
    from_revision: str
    to_revision: str
    lost: tuple[str, ...]  # what the older schema has no room for: ("written conclusions: 3", …)
    backup: Path | None  # the copy made first (SQLite), when anything is lost


def downgrade(engine: Engine, revision: str, *, force: bool = False) -> DowngradeResult:
    """Step the schema back to `revision` ("base": nothing left), for recovery and tests.

    Each migration says what its downgrade drops (LOSES in migrations/versions/*). When any of
    it is in the database: on SQLite the file is first copied beside itself with a timestamp
    (the result names the copy); on PostgreSQL, where Claimdesk cannot copy the database, the
    downgrade is refused unless `force` (back it up with pg_dump first). A downgrade that drops
    nothing simply runs. Raises StorageError or ValidationError with one line."""
    where = _describe(engine)
    try:
        return _downgrade(engine, revision, force, where)
    except DBAPIError as exc:
        raise explain(exc, where) or exc from exc
    except sqlite3.Error as exc:
        raise explain(exc, where) or exc from exc


def _downgrade(engine: Engine, target: str, force: bool, where: str) -> DowngradeResult:
    from alembic import command
    from alembic.script import ScriptDirectory

    config = alembic_config(engine)
    script = ScriptDirectory.from_config(config)
    with engine.connect() as connection:
        current = _check_revision(connection, script, where)
        if current is None:
            raise StorageError(f"The database at {where} has no Claimdesk schema to step back.")
        steps = _steps_down(script, current, target)
        lost = _lost(connection, script, steps)
        connection.rollback()
    if not steps:
        return DowngradeResult(current, target, (), None)
    backup = None
    if lost:
        if is_postgresql(engine) and not force:
            raise StorageError(
                f"Stepping the database at {where} back to {target} would drop {_listed(lost)}. Claimdesk cannot"
                " copy a server's database first: back it up with pg_dump, then run again with --force."
                " Nothing was changed."
            )
        backup = _backup(engine)
        if backup is None and not is_postgresql(engine) and not force:
            raise StorageError(
                f"Stepping the database at {where} back to {target} would drop {_listed(lost)}; an"
                " in-memory database cannot be copied first. Nothing was changed."
            )
    _run(engine, config, lambda: command.downgrade(config, target), where)
    return DowngradeResult(current, target, tuple(lost), backup)


def _steps_down(script: ScriptDirectory, current: str, target: str) -> list[str]:
    """The revisions a downgrade from `current` to `target` undoes, newest first."""
    from app.domain.errors import ValidationError

    chain: list[str] = []
    revision: Script | None = script.get_revision(current)
    while revision is not None and revision.revision != target:
        chain.append(revision.revision)
        parent = revision.down_revision
        revision = script.get_revision(parent) if isinstance(parent, str) else None
    if revision is None and target != "base":
        known = [r.revision for r in script.walk_revisions()]
        if target in known:
            raise ValidationError(f"The database is at revision {current}, below {target}: there is nothing to step back.")
        raise ValidationError(
            f"There is no revision {_shown(target)}; this build knows base, {', '.join(sorted(known))}."
        )
    return chain


def _lost(connection: Connection, script: ScriptDirectory, steps: list[str]) -> list[str]:
    """What undoing `steps` would drop, counted at the current schema: "written conclusions: 3"."""
    lost: list[str] = []
    for step in steps:
        revision = script.get_revision(step)
        declared = getattr(revision.module, "LOSES", None) if revision is not None else None
        if declared is None:  # a migration that does not say: assume the worst
            lost.append(f"whatever revision {step} added: it does not say what its downgrade drops")
            continue
        for what, sql in declared:
            try:
                count = int(connection.exec_driver_sql(sql).scalar() or 0)
            except DBAPIError:
                connection.rollback()
                lost.append(f"{what}: possibly some (they could not be counted)")
                continue
            if count:
                lost.append(f"{what}: {count}")
    return lost


def _listed(lost: list[str]) -> str:
    return "; ".join(lost) if len(lost) < 6 else "; ".join(lost[:5]) + f"; and {len(lost) - 5} more kinds of data"


def _run(engine: Engine, config: Config, step: Callable[[], None], where: str) -> None:
    """One Alembic step in one transaction: all of it lands, or none of it."""
    if is_postgresql(engine):
        with engine.connect() as connection, connection.begin():
            # Two clients starting a new build at once: the second waits, then finds nothing to do
            # (Alembic reads the revision inside this transaction, after the lock).
            connection.exec_driver_sql(f"SELECT pg_advisory_xact_lock({WRITE_LOCK})")
            config.attributes["connection"] = connection
            step()
            _grant_to_team(connection)
        return
    with engine.connect() as connection:
        raw = _raw(connection)
        _prepare_for_table_rebuilds(raw)
        try:
            with connection.begin():
                config.attributes["connection"] = connection
                step()
                search_index.restore(connection.exec_driver_sql, search_index.schema_names(raw))
                summary.restore(connection.exec_driver_sql, summary.schema_names(raw))
                problems = connection.exec_driver_sql("PRAGMA foreign_key_check").fetchall()
                if problems:
                    raise StorageError(
                        f"Changing the database at {where} would break {len(problems)} links"
                        " between records; nothing was changed."
                    )
        finally:
            _restore_pragmas(raw)
    # Other pooled connections keep the schema they read: after a step that dropped and made
    # triggers and tables, the first statement on one of them failed with "no such table"
    # (SQLite 3.40, a claim trigger of 0014 cached across a downgrade). New connections read it afresh.
    engine.dispose()


def _grant_to_team(connection: Connection) -> None:
    """On a team server (its group roles exist), the groups' grants again, in the step's own
    transaction: a table the step added is readable and writable by the team as it lands."""
    from app.storage import team

    if not connection.exec_driver_sql(f"SELECT to_regrole('{team.READER}') IS NOT NULL").scalar():
        return
    def exists(name: str) -> bool:
        return bool(connection.exec_driver_sql(f"SELECT to_regclass('public.{name}') IS NOT NULL").scalar())

    for statement in team.table_grants(tuple(filter(exists, team.WRITTEN)), exists("history")):
        connection.exec_driver_sql(statement)


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
    try:
        with closing(sqlite3.connect(path)) as source, closing(sqlite3.connect(target)) as copy:
            source.backup(copy)
    except (sqlite3.Error, OSError) as exc:
        target.unlink(missing_ok=True)
        full = (exc.errno == errno.ENOSPC) if isinstance(exc, OSError) else "full" in str(exc).lower()
        reason = "the disk is full" if full else exc.strerror if isinstance(exc, OSError) else str(exc)
        raise StorageError(
            f"Cannot copy the database at {path} to {target} before changing it ({reason}); nothing was changed."
        ) from exc
    return target


def _describe(engine: Engine) -> str:
    return describe(engine.url)
