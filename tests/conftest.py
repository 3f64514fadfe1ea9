"""Shared fixtures: every test gets its own home folder and a copy of one migrated database.

The storage, service, CLI and concurrency tests run on both engines: their `backend` is
parametrised (sqlite, postgresql), and `db_url`/`engine`/`bench` follow it. A test that asks for
`db_path` is about the SQLite file itself and runs on SQLite only. PostgreSQL is a throwaway
cluster started once per session (tests/pg_cluster.py), or the server CLAIMDESK_TEST_PG_URL
names (a superuser's URL); without either the PostgreSQL cases skip, except under CI=true,
where they fail.
"""

from __future__ import annotations

import itertools
import os
import shutil
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest

# Before anything imports Qt: tests never open a real window.
os.environ["QT_QPA_PLATFORM"] = "offscreen"

ROOT = Path(__file__).resolve().parent.parent
SAMPLE = ROOT / "seeds" / "000_dfc4ea22a266b7c5.txt"
WAIT_MS = 3000  # one timeout for every wait


def open_sqlite_connections() -> list[object]:
    """The sqlite3 connections this process still holds open, referenced or not."""
    import gc

    found = []
    for thing in gc.get_objects():
        if isinstance(thing, sqlite3.Connection):
            try:
                thing.total_changes  # noqa: B018 (a closed connection refuses even this)
            except sqlite3.ProgrammingError:
                continue
            found.append(thing)
    return found


@contextmanager
def raw_sqlite(path: str | Path) -> Iterator[sqlite3.Connection]:
    """A plain connection to a test's database file, for a look or a change of the test's own:
    committed (or rolled back) at the block's end, as `with sqlite3.connect(...)` does, and closed
    too, which that leaves to the garbage collector (Python 3.13 warns of it)."""
    connection = sqlite3.connect(path)
    try:
        with connection:
            yield connection
    finally:
        connection.close()


@pytest.fixture(autouse=True)
def home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """No test touches the real profile: data folder and window settings go to tmp_path."""
    home = tmp_path / "home"
    monkeypatch.setenv("CLAIMDESK_HOME", str(home))
    monkeypatch.delenv("CLAIMDESK_DB", raising=False)
    return home


@pytest.fixture(scope="session")
def template_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    from app.storage.engine import make_engine
    from app.storage.migrate import migrate

    path = tmp_path_factory.mktemp("template") / "template.sqlite3"
    engine = make_engine(str(path))
    migrate(engine)
    with engine.connect() as c:  # fold the WAL into the file so a plain copy is complete
        c.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
    engine.dispose()
    return path


@pytest.fixture
def db_path(template_db: Path, tmp_path: Path) -> Path:
    path = tmp_path / "claimdesk.sqlite3"
    shutil.copyfile(template_db, path)
    return path


BOTH_ENGINES = {"test_storage", "test_services", "test_cli", "test_concurrency", "test_team", "test_evidence_store",
                "test_durable", "test_matching", "test_cli_match", "test_revisions", "test_source_links",
                "test_summary", "test_search_filled"}
# Logins the tests act as (bench.actor = ..., --as ...); on PostgreSQL each is a real role.
EDITORS = ("ana", "Ana", "ben", "Ben", "cleo", "Vera", "Otto", "Someone else", "victim", "carol")


def pytest_generate_tests(metafunc: pytest.Metafunc) -> None:
    if "backend" not in metafunc.fixturenames:
        return
    module = metafunc.module.__name__.rpartition(".")[2]
    # GUI tests stay on SQLite; the window's team mode has its own, on the server: test_team_window.py.
    gui = metafunc.definition.get_closest_marker("gui") is not None
    both = module in BOTH_ENGINES and "db_path" not in metafunc.fixturenames and not gui
    metafunc.parametrize("backend", ["sqlite", "postgresql"] if both else ["sqlite"], indirect=True)


@pytest.fixture
def backend(request: pytest.FixtureRequest) -> str:
    return str(getattr(request, "param", "sqlite"))


class PgServer:
    """A PostgreSQL server with a migrated template database and the test logins; each test
    gets a fresh database copied from the template (CREATE DATABASE ... TEMPLATE: ~50 ms)."""

    def __init__(self, admin_url: str) -> None:
        from sqlalchemy.engine import make_url

        self.admin_url = make_url(admin_url)
        self._names = itertools.count(1)
        self._prefix = f"claimdesk_t{os.getpid()}_"

    def url(self, database: str, user: str | None = None) -> str:
        url = self.admin_url.set(database=database)
        if user is not None:
            url = url.set(username=user, password=None)
        return url.render_as_string(hide_password=False)

    def admin(self, *statements: str, database: str = "postgres") -> list[Any]:
        import psycopg

        results = []
        with psycopg.connect(self.url(database).replace("postgresql+psycopg", "postgresql"), autocommit=True) as c:
            for statement in statements:
                cursor = c.execute(statement)
                results.append(cursor.fetchall() if cursor.description else None)
        return results

    def prepare(self) -> None:
        from app.storage import team
        from app.storage.engine import make_engine
        from app.storage.migrate import migrate

        self.template = f"{self._prefix}template"
        self.admin(f'DROP DATABASE IF EXISTS "{self.template}"', f'CREATE DATABASE "{self.template}"')
        engine = make_engine(self.url(self.template))
        migrate(engine)
        engine.dispose()
        self.admin(*team.init_sql(self.template), database=self.template)
        people = [(name, team.EDITOR) for name in EDITORS] + [("rita", team.RESEARCHER), ("rhea", team.READER)]
        self.admin(*(s for name, group in people for s in team.add_sql(name, group, None)))

    def fresh(self, template: str | None = None) -> str:
        name = f"{self._prefix}{next(self._names)}"
        self.admin(f'CREATE DATABASE "{name}" TEMPLATE "{template or self.template}"')
        return name

    def drop(self, name: str) -> None:
        self.admin(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')

    def finish(self) -> None:
        self.admin(f'DROP DATABASE IF EXISTS "{self.template}" WITH (FORCE)')


@pytest.fixture(scope="session")
def pg() -> Iterator[PgServer]:
    cluster = None
    url = os.environ.get("CLAIMDESK_TEST_PG_URL")
    try:
        if not url:
            from pg_cluster import Cluster

            cluster = Cluster()
            cluster.start()
            url = cluster.url()
        server = PgServer(url)
        server.prepare()
    except Exception as exc:
        if cluster is not None:
            cluster.stop()
        if os.environ.get("CI", "").lower() in ("1", "true", "yes"):
            pytest.fail(f"CI must run the PostgreSQL tests, but no server could be had: {exc}")
        pytest.skip(f"no PostgreSQL server for the team-mode tests: {exc}")
    try:
        yield server
    finally:
        if cluster is not None:
            cluster.stop()
        else:
            server.finish()


@pytest.fixture
def db_url(backend: str, request: pytest.FixtureRequest) -> Iterator[str]:
    """The test's own database: a copy of the migrated SQLite file, or a fresh PostgreSQL database."""
    if backend == "sqlite":
        yield str(request.getfixturevalue("db_path"))
        return
    server: PgServer = request.getfixturevalue("pg")
    name = server.fresh()
    yield server.url(name)
    server.drop(name)


@pytest.fixture
def empty_db_url(backend: str, request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """A database with nothing in it yet, on the test's engine."""
    if backend == "sqlite":
        yield str(tmp_path / "empty.sqlite3")
        return
    server: PgServer = request.getfixturevalue("pg")
    name = server.fresh(template="template0")
    yield server.url(name)
    server.drop(name)


@pytest.fixture
def engine(db_url: str) -> Iterator[object]:
    from app.storage.engine import make_engine

    engine = make_engine(db_url)
    yield engine
    engine.dispose()


@pytest.fixture
def bench(engine):  # type: ignore[no-untyped-def]
    """The services on the test's database; every connection they opened is let go of after."""
    from app.services import Workbench
    from app.storage.engine import make_sessions

    bench = Workbench(make_sessions(engine))
    yield bench
    bench.close()


@pytest.fixture
def sample_article(bench):  # type: ignore[no-untyped-def]
    """The sample article, imported and detected as on first run."""
    (article,) = bench.seed([SAMPLE])
    return article


@pytest.fixture
def errors(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Error dialogs, collected instead of shown."""
    from app.ui import dialogs

    shown: list[str] = []
    monkeypatch.setattr(dialogs, "show_error", lambda _parent, message: shown.append(message))
    return shown


@pytest.fixture
def window(qtbot, bench, sample_article, errors):  # type: ignore[no-untyped-def]
    """The real window on the sample, Ana at the desk, tasks run at once (no thread to wait for)."""
    from app.ui.application import settings
    from app.ui.main_window import MainWindow
    from app.ui.tasks import SyncRunner

    settings().setValue("reviewer", "Ana Checker")
    win = MainWindow(bench, "test.sqlite3", settings(), runner=SyncRunner())
    qtbot.addWidget(win)
    win.show()
    qtbot.waitExposed(win)
    return win


def mark_quote(bench, article_id: int, quote: str):  # type: ignore[no-untyped-def]
    """The fact-checker's own claim over the first occurrence of `quote` in the article."""
    text = bench.article(article_id).text
    start = text.index(quote)
    claim, _ = bench.mark_claim(article_id, start, start + len(quote))
    return claim
