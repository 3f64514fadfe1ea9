"""What a start keeps in memory that it does not need: the sources PySide6's import hook read, and
the page cache of the first screen's reads once the Workbench loads (issue #17's memory row:
peak RSS with the 1 MB, 5,000-claim article open, benchmarks/bench_startup.py)."""

from __future__ import annotations

import ctypes
import os
import subprocess
import sys
import threading
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from conftest import ROOT, SAMPLE, raw_sqlite

from app import cli
from app.first_screen import open_first_screen
from app.startup import return_free_memory
from app.storage.sqlite_reads import BUSY_TIMEOUT_MS, Reads

_HOOK = r"""
import linecache, sys
import PySide6.QtCore
feature = sys.modules["shibokensupport.feature"]
# The names app.ui.application.lighter_pyside_imports relies on: a PySide6 that renames them turns
# it off (it checks), and this says so.
assert callable(getattr(feature, "_mod_uses_pyside", None)), "PySide6's import hook changed"
assert isinstance(getattr(feature, "pyside_feature_dict", None), dict), "PySide6's import hook changed"
import json, argparse, textwrap  # loaded or not, each import after PySide6 is asked about
held = lambda: [m for m in ("json", "argparse", "textwrap", "fractions") if sys.modules[m].__file__ in linecache.cache]
import fractions
print("before", *held())
from app.ui.application import lighter_pyside_imports
lighter_pyside_imports()
assert feature._mod_uses_pyside.claimdesk
import fractions, statistics  # asked about again, and anew: read from the file and dropped
assert feature.pyside_feature_dict["statistics"] == -1 and feature.pyside_feature_dict["app.ui.application"] == 0
print("after", *held(), "statistics" if sys.modules["statistics"].__file__ in linecache.cache else "")
"""


def test_the_sources_pyside6s_hook_read_are_not_kept() -> None:
    """PySide6 reads the whole source of every module an `import` after it names (PYSIDE-2029) and
    linecache keeps it: 3 MiB at the window's first frame, before the lighter hook was installed."""
    done = subprocess.run([sys.executable, "-c", _HOOK], capture_output=True, text=True, cwd=ROOT, timeout=120,
                          env=dict(os.environ, PYTHONPATH=str(ROOT), QT_QPA_PLATFORM="offscreen"))
    assert done.returncode == 0, done.stderr[-2000:]
    before, after = done.stdout.splitlines()
    assert before.split() == ["before", "json", "argparse", "textwrap", "fractions"]  # what the hook kept
    assert after.split() == ["after"]  # let go of, and nothing new kept


def _sqlite_memory() -> int:
    """Bytes SQLite holds in this process (sqlite3_memory_used), through the library the driver uses."""
    import _sqlite3

    try:
        used = ctypes.CDLL(_sqlite3.__file__).sqlite3_memory_used
    except (OSError, AttributeError):
        pytest.skip("this Python's SQLite does not export sqlite3_memory_used")
    used.restype = ctypes.c_int64
    return int(used())


def test_reads_give_back_their_page_cache(tmp_path: Path) -> None:
    path = tmp_path / "pages.sqlite3"
    with raw_sqlite(path) as raw:
        raw.execute("CREATE TABLE t (id INTEGER PRIMARY KEY, body TEXT)")
        raw.executemany("INSERT INTO t (body) VALUES (?)", [(f"{i:06d}" * 500,) for i in range(600)])  # 1.8 MB
    raw.close()
    reads = Reads(path, uri=False, busy_timeout_ms=BUSY_TIMEOUT_MS)
    try:
        empty = _sqlite_memory()
        assert len(reads.connection().execute("SELECT body FROM t").fetchall()) == 600
        cached = _sqlite_memory() - empty
        assert cached > 1_000_000  # the pages read stay cached, up to SQLite's 2 MB
        reads.release_memory()
        assert _sqlite_memory() - empty < cached / 4
        assert reads.connection().execute("SELECT count(*) FROM t").fetchone() == (600,)  # reads go on
        threading.Thread(target=reads.release_memory).start()  # a thread without a connection: nothing to do
    finally:
        reads.close()


def test_the_first_screen_gives_back_its_page_cache_as_the_workbench_loads(db_path: Path) -> None:
    bench = cli.open_workbench(str(db_path))
    bench.seed([SAMPLE])
    (article,) = bench.articles()
    bench.close()
    go = threading.Event()

    def load(actor: str) -> Any:
        go.wait(60)
        return cli.open_workbench(str(db_path), actor=actor, migrate=False)

    front = open_first_screen(str(db_path), "", [SAMPLE], load)
    assert front is not None
    try:
        before = _sqlite_memory()
        claims = front.claims(article.id)
        front.article(article.id)
        cached = _sqlite_memory() - before
        front.load_in_background()
        released = _sqlite_memory() - before
        go.set()
        front.wait()
        assert cached > 50_000 and released < cached / 2, (cached, released)
        assert front.claims(article.id) == claims  # the same answers, from the Workbench now
    finally:
        go.set()
        front.close()


def test_returning_free_memory_is_harmless() -> None:
    """glibc's malloc_trim on Linux; nothing elsewhere. Called twice, and from another thread."""
    return_free_memory()
    done: list[Callable[[], None]] = []
    worker = threading.Thread(target=lambda: done.append(return_free_memory))
    worker.start()
    worker.join(30)
    return_free_memory()
    assert done
