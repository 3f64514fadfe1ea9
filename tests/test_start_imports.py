"""What a start and a command-line import load: the modules made to load on first use stay out of
the window's first screen and out of `claimdesk import`, so a later change cannot bring their
cost (time and memory at every start) back silently. Real processes, as a user starts them."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import ROOT, SAMPLE

# The window's first screen needs none of these: they load when their feature is first used.
NOT_AT_START = (
    "PySide6.QtNetwork",  # the network's reachability: when a source job waits
    "PySide6.QtPrintSupport",  # PDF and printing
    "alembic",  # the database is at head: a plain version check
    "lingua", "app.ingest.language", "app.ingest.docx", "app.ingest.url",  # importing
    "app.detection", "app.detection.model",  # detection
    "app.links.page", "app.links.archive", "urllib3",  # snapshots, link checks, archive copies
    "app.revisions.anchor", "diff_match_patch",  # revisions: their diff and anchoring
    "app.domain.overview", "app.export", "jinja2",  # the desk overview, reports
    "app.matching.matcher",  # earlier checks: when their tab is opened
    "app.evidence.refs", "app.evidence.numbers", "app.evidence.compare", "number_parser", "difflib",  # the Evidence tab
    "app.cli", "app.cli_parser",  # the commands and their grammar: `claimdesk --db FILE` needs neither
    "logging.handlers", "socket", "pickle",  # the rotating log file: set up when something is logged
)
# The command line's import needs no window, and no feature but importing.
NOT_IN_IMPORT = (
    "PySide6", "app.ui", "alembic", "app.links.page", "app.links.archive", "app.revisions.anchor",
    "diff_match_patch", "app.evidence.compare", "app.evidence.numbers", "app.domain.overview", "app.export",
)
# What the forked child reads and detects with, the command itself never loads (on Linux, where it forks).
READ_AHEAD = ("lingua", "app.ingest.language", "app.ingest.structure", "app.detection.model")


def _modules_after(code: str, env: dict[str, str]) -> tuple[subprocess.CompletedProcess[str], set[str]]:
    """Run `code` in a fresh interpreter that prints its sys.modules as it exits."""
    probe = (
        "import atexit, sys\n"
        "atexit.register(lambda: print('MODULES ' + ' '.join(sorted(sys.modules)), file=sys.stderr))\n" + code
    )
    done = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, env=env, cwd=ROOT,
                          timeout=120)
    lines = [ln for ln in done.stderr.splitlines() if ln.startswith("MODULES ")]
    assert done.returncode == 0 and lines, done.stderr[-2000:]
    return done, set(lines[-1].split()[1:])


def _loaded(modules: set[str], names: tuple[str, ...]) -> list[str]:
    modules = modules - set(AT_FIRST_FRAME)
    return [name for name in names if any(m == name or m.startswith(name + ".") for m in modules)]


def test_the_window_starts_without_the_features_it_does_not_show(tmp_path: Path) -> None:
    db = tmp_path / "desk.sqlite3"
    env = dict(os.environ, CLAIMDESK_HOME=str(tmp_path), CLAIMDESK_EXIT_WHEN_SETTLED="1", QT_QPA_PLATFORM="offscreen")
    # The settled frame also says whether the cycle collector runs again: held while the window
    # starts, it resumes once the window is shown, the start's objects frozen (app.startup).
    start = (
        "import gc\nfrom app.ui import settle\npeak = settle.peak_rss_kib\n"
        "settle.peak_rss_kib = lambda: print('collecting', gc.isenabled(), gc.get_freeze_count() > 0,"
        " file=sys.stderr) or peak()\n"
        f"from app.main import main\nsys.exit(main(['--db', {str(db)!r}]))\n"
    )
    _modules_after(start, env)  # the first start creates the database and imports the sample
    done, modules = _modules_after(start, env)
    assert done.stdout.startswith("settled "), done.stdout  # the window was shown, filled and settled
    assert "collecting True True" in done.stderr
    assert {"app.ui.main_window", "app.ui.editor", "app.first_screen"} <= modules
    assert _loaded(modules, NOT_AT_START) == []


# What the first frame on a desk at head does without: the Workbench loads after it (app.first_screen).
NOT_AT_FIRST_FRAME = ("sqlalchemy", "alembic", "app.services", "app.storage.models", "app.storage.mapping")
# The one use case the first screen runs itself (the claim edit), and its package, kept light for it.
AT_FIRST_FRAME = ("app.services", "app.services.claim_edit")
_SEEN_AT_FIRST_FRAME = """
import json
from app.ui import settle

def _seen(window, ready=None):
    def settled():
        claims = window.model.claims()
        view = window.article_view
        first = claims[0]
        mark = view.highlighter.format_at(view.qt_position((first.start + first.end) // 2))
        found = dict(
            modules=sorted(m for m in sys.modules if m.split(".")[0] in ("sqlalchemy", "alembic", "app")),
            bench=type(window.bench).__name__, articles=window.articles.count(), rows=window.model.rowCount(),
            text=view.toPlainText()[:60], highlighted=mark is not None and mark.background().style() != 0,
            selected=window.editor.claim.id if window.editor.claim else None,
        )
        print("FIRST " + json.dumps(found), file=sys.stderr, flush=True)
        if ready is not None:
            ready()
        loaded = window.bench._real if hasattr(window.bench, "_real") else window.bench
        print("READY " + json.dumps(dict(bench=type(loaded).__name__, claims=len(loaded.claims(first.article_id)),
              services="app.services" in sys.modules)), file=sys.stderr, flush=True)
        from PySide6.QtWidgets import QApplication
        QApplication.instance().exit(0)
    settle.Settle(window, settled)

settle.exit_when_settled = _seen
from app.main import main
sys.exit(main(["--db", DB]))
"""


def _first_frame(db: Path, env: dict[str, str]) -> tuple[dict[str, object], dict[str, object]]:
    done, _ = _modules_after(_SEEN_AT_FIRST_FRAME.replace("DB", repr(str(db))), env)
    first = next(ln for ln in done.stderr.splitlines() if ln.startswith("FIRST "))
    ready = next(ln for ln in done.stderr.splitlines() if ln.startswith("READY "))
    return json.loads(first[6:]), json.loads(ready[6:])


def test_the_first_frame_on_a_desk_at_head_loads_no_sqlalchemy(tmp_path: Path) -> None:
    """The window shows the sample (list, text, highlights, claims, the first claim to check)
    before SQLAlchemy, Alembic, the models or the services are imported; they load after it."""
    db = tmp_path / "desk.sqlite3"
    env = dict(os.environ, CLAIMDESK_HOME=str(tmp_path), CLAIMDESK_EXIT_WHEN_SETTLED="ready", QT_QPA_PLATFORM="offscreen")
    first, ready = _first_frame(db, env)  # a first run: the full path creates, migrates and seeds
    assert first["bench"] == "Workbench" and "sqlalchemy" in str(first["modules"])
    full = first
    first, ready = _first_frame(db, env)  # now at head and seeded
    assert first["bench"] == "FirstScreen"
    assert _loaded(set(first["modules"]), NOT_AT_FIRST_FRAME) == []  # type: ignore[arg-type]
    shown = ("articles", "rows", "text", "highlighted", "selected")
    assert {k: first[k] for k in shown} == {k: full[k] for k in shown}  # the same first screen
    assert first["articles"] == 1 and first["rows"] > 5 and first["highlighted"] and first["selected"]
    assert ready == {"bench": "Workbench", "claims": ready["claims"], "services": True}
    assert ready["claims"] >= first["rows"]  # type: ignore[operator]


def test_the_row_builders_load_without_sqlalchemy(tmp_path: Path) -> None:
    """What a read through a plain driver connection builds its claims, segments and sources with."""
    _, modules = _modules_after("import app.storage.rows\n", dict(os.environ, CLAIMDESK_HOME=str(tmp_path)))
    assert "app.storage.rows" in modules
    assert _loaded(modules, ("sqlalchemy", "app.storage.models", "app.storage.mapping")) == []


def _import(db: Path, env: dict[str, str], *, other_thread: bool = False,
            source: Path = SAMPLE) -> tuple[subprocess.CompletedProcess[str], set[str]]:
    thread = "import threading, time\nthreading.Thread(target=time.sleep, args=(60,), daemon=True).start()\n"
    code = (thread if other_thread else "") + (
        f"from app.main import main\nsys.exit(main(['--db', {str(db)!r}, 'import', {str(source)!r}]))\n"
    )
    return _modules_after(code, env)


def _claims(db: Path, article: str, env: dict[str, str]) -> list[dict[str, object]]:
    out = subprocess.run([sys.executable, "-m", "app", "--db", str(db), "claims", article, "--json"],
                         capture_output=True, text=True, env=env, cwd=ROOT, check=True, timeout=120).stdout
    # Everything but when they were written.
    return [{k: v for k, v in c.items() if k not in ("created_at", "updated_at")} for c in json.loads(out)]


def test_claimdesk_import_reads_ahead_in_a_child_and_stores_the_same_as_reading_itself(template_db: Path, tmp_path: Path) -> None:
    env = dict(os.environ, CLAIMDESK_HOME=str(tmp_path))
    ahead_db, inline_db = tmp_path / "ahead.sqlite3", tmp_path / "inline.sqlite3"
    for db in (ahead_db, inline_db):
        db.write_bytes(template_db.read_bytes())  # at head: opening it needs no migration
    ahead, modules = _import(ahead_db, env)
    # A process with a second thread is not forked: it reads and detects the file itself.
    inline, inline_modules = _import(inline_db, env, other_thread=True)

    assert _loaded(modules, NOT_IN_IMPORT) == []
    assert _loaded(inline_modules, READ_AHEAD) == list(READ_AHEAD)
    if sys.platform.startswith("linux"):
        assert _loaded(modules, READ_AHEAD) == []
    assert "23 suggested claims" in ahead.stderr
    assert (ahead.stdout, ahead.stderr.split("MODULES")[0]) == (inline.stdout, inline.stderr.split("MODULES")[0])
    article = ahead.stdout.strip()
    assert _claims(ahead_db, article, env) == _claims(inline_db, article, env)


def test_a_long_file_read_ahead_stores_the_same_as_reading_itself(template_db: Path, tmp_path: Path) -> None:
    """About 900 kB whose claims run past detection's cap of suggestions: what the child sends
    through the pipe (the text, a thousand segments, the claims up to the cap) arrives whole."""
    from app.detection.detector import MAX_CLAIMS

    env = dict(os.environ, CLAIMDESK_HOME=str(tmp_path))
    body = SAMPLE.read_text("utf-8").split("\n", 1)[1]
    big = tmp_path / "long.txt"
    big.write_text("A long file\n\n" + "\n\n".join(f"Part {i}.\n{body}" for i in range(100)), "utf-8")
    dbs = tmp_path / "ahead.sqlite3", tmp_path / "inline.sqlite3"
    for db in dbs:
        db.write_bytes(template_db.read_bytes())
    ahead, _ = _import(dbs[0], env, source=big)
    inline, _ = _import(dbs[1], env, source=big, other_thread=True)
    assert f"{MAX_CLAIMS} suggested claims" in ahead.stderr
    assert (ahead.stdout, ahead.stderr.split("MODULES")[0]) == (inline.stdout, inline.stderr.split("MODULES")[0])
    article = ahead.stdout.strip()
    assert _claims(dbs[0], article, env) == _claims(dbs[1], article, env)


def test_a_file_the_child_cannot_read_gives_the_same_one_line_error(tmp_path: Path) -> None:
    env = dict(os.environ, CLAIMDESK_HOME=str(tmp_path))
    bad = tmp_path / "notes.docx"
    bad.write_bytes(b"not a zip at all")
    done = subprocess.run([sys.executable, "-m", "app", "--db", str(tmp_path / "d.sqlite3"), "import", str(bad)],
                          capture_output=True, text=True, env=env, cwd=ROOT, timeout=120)
    assert done.returncode == 1
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("claimdesk: notes.docx"), done.stderr


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="the child is forked on Linux only")
def test_a_file_past_the_time_budget_is_read_once(tmp_path: Path) -> None:
    """The child's one line is the command's: the command does not read the file again (past the
    budget that would be a second 10 seconds before the same line)."""
    env = dict(os.environ, CLAIMDESK_HOME=str(tmp_path))
    code = (
        "import app.ingest\n"
        "from app.ingest import budget\n"
        "budget.IMPORT_SECONDS = 0.0\n"
        "reads = []\n"
        "real = app.ingest.read_source\n"
        "app.ingest.read_source = lambda source: reads.append(source) or real(source)\n"
        "from app.main import main\n"
        f"rc = main(['--db', {str(tmp_path / 'd.sqlite3')!r}, 'import', {str(SAMPLE)!r}])\n"
        "print('reads here', len(reads), file=sys.stderr)\n"
        "sys.exit(0 if rc == 1 else 2)\n"
    )
    done, _ = _modules_after(code, env)
    lines = done.stderr.split("MODULES")[0].strip().splitlines()
    assert lines[0].startswith("claimdesk: 000_dfc4ea22a266b7c5.txt: this file is too large or too complex to import")
    assert lines[1:] == ["reads here 0"]


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="the child is forked on Linux only")
def test_no_child_is_left_behind(template_db: Path, tmp_path: Path) -> None:
    """The article is already there: the command answers at once and stops the child's detection."""
    env = dict(os.environ, CLAIMDESK_HOME=str(tmp_path))
    db = tmp_path / "d.sqlite3"
    db.write_bytes(template_db.read_bytes())
    _import(db, env)
    code = (
        "import os, sys\n"
        "from app.main import main\n"
        f"rc = main(['--db', {str(db)!r}, 'import', {str(SAMPLE)!r}])\n"
        "try:\n"
        "    os.waitpid(-1, os.WNOHANG)\n"  # a child still running, or not reaped
        "    print('children left', file=sys.stderr)\n"
        "except ChildProcessError:\n"
        "    print('no child left', file=sys.stderr)\n"
        "sys.exit(rc)\n"
    )
    done, _ = _modules_after(code, env)
    assert "already in the database" in done.stderr
    assert "no child left" in done.stderr


def test_detection_loads_only_what_the_detector_proposes_of_the_domain(tmp_path: Path) -> None:
    """`import app.detection` needs Kind and DetectedClaim, not the whole domain's dataclasses
    (about 20 ms): app.domain loads the rest on the first use of one of its names."""
    _, modules = _modules_after("import app.detection\n", dict(os.environ, CLAIMDESK_HOME=str(tmp_path)))
    assert "app.detection.detector" in modules
    assert _loaded(modules, ("app.domain.core", "app.domain.changes", "app.domain.errors", "app.domain.links",
                             "app.domain.revisions", "urllib.parse")) == []


def test_every_name_of_the_domain_front_door_resolves(tmp_path: Path) -> None:
    """Each name app.domain re-exports loads on first use, is the one its module defines, and is
    what `from app.domain import *` gives; an unknown name is still an AttributeError."""
    code = (
        "import importlib, app.domain as d\n"
        "assert set(d.__all__) == set(d._HOME) | {'Kind', 'DetectedClaim'}, set(d.__all__) ^ set(d._HOME)\n"
        "for name in d.__all__:\n"
        "    home = importlib.import_module(d._HOME.get(name, 'app.domain.kinds'))\n"
        "    assert getattr(d, name) is getattr(home, name), name\n"
        "star = {}\nexec('from app.domain import *', star)\n"
        "assert set(d.__all__) <= set(star)\n"
        "from app.domain import validate\n"
        "try:\n    d.Nope\nexcept AttributeError:\n    print('ok')\n"
    )
    done, _ = _modules_after(code, dict(os.environ, CLAIMDESK_HOME=str(tmp_path)))
    assert done.stdout.strip() == "ok"


FAST = ([], ["--db", "desk.sqlite3"], ["--db=desk.sqlite3"], ["--db", "postgresql://me@host/desk"], ["--db="])
PARSED = (["--db", "-x"], ["--db"], ["import", "a.txt"], ["--db", "d", "articles"], ["--version"], ["-h"],
          ["--install-desktop-entry"], ["--db", "d", "--as", "me"], ["--as", "me"], ["--d", "desk"])


@pytest.mark.parametrize("argv", [*FAST, *PARSED])
def test_a_plain_window_start_is_read_as_the_parser_reads_it(argv: list[str]) -> None:
    """`claimdesk` and `claimdesk --db PATH` open the window without building every command's
    parser: the database they name is the parser's, and anything else goes to the parser."""
    from app.cli_parser import build_parser
    from app.main import _window_only

    found = _window_only(argv)
    assert (found is not False) == (argv in FAST)
    if found is False:
        return  # the parser reads it, as before
    parsed = build_parser().parse_args(argv)
    assert (parsed.command, parsed.install_desktop_entry, parsed.db) == (None, False, found)
