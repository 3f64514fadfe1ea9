"""Shared fixtures: every test gets its own home folder and a copy of one migrated database."""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

# Before anything imports Qt: tests never open a real window.
os.environ["QT_QPA_PLATFORM"] = "offscreen"

ROOT = Path(__file__).resolve().parent.parent
SAMPLE = ROOT / "seeds" / "000_dfc4ea22a266b7c5.txt"
WAIT_MS = 3000  # one timeout for every wait


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


@pytest.fixture
def engine(db_path: Path) -> Iterator[object]:
    from app.storage.engine import make_engine

    engine = make_engine(str(db_path))
    yield engine
    engine.dispose()


@pytest.fixture
def bench(engine):  # type: ignore[no-untyped-def]
    from app.services import Workbench
    from app.storage.engine import make_sessions

    return Workbench(make_sessions(engine))


@pytest.fixture
def sample_article(bench):  # type: ignore[no-untyped-def]
    """The sample article, imported and detected as on first run."""
    (article,) = bench.seed([SAMPLE])
    return article
