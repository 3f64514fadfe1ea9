"""The window's first screen without SQLAlchemy (app.first_screen): its SQL is the services' own,
its answers are the Workbench's, it is taken only on a SQLite desk at head and seeded, and the
window on it works as on the Workbench, edits made before the Workbench is loaded included."""

from __future__ import annotations

import re
import sqlite3
import sys
import threading
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from conftest import SAMPLE, WAIT_MS, raw_sqlite

from app import cli
from app.domain import SourceKind, Stance
from app.domain.errors import NotFound, StorageError
from app.domain.evidence import Passage
from app.first_screen import FirstScreen, open_first_screen
from app.storage import sqlite_sql


def _compiled(statement: Any) -> str:
    from sqlalchemy.dialects import sqlite

    return str(statement.compile(dialect=sqlite.dialect()))


def test_each_statement_is_what_sqlalchemy_compiles_the_services_statement_to() -> None:
    from sqlalchemy import bindparam, func, insert, select

    from app.services import articles, claims, settings
    from app.storage import mapping
    from app.storage.models import (
        ArticleRevisionRow,
        ArticleRow,
        ClaimRow,
        EvidenceRow,
        HistoryRow,
        JobRow,
        RatingLabelRow,
        RatingScaleRow,
        SegmentRow,
        SettingRow,
        SourceLinkRow,
        SourceRow,
    )

    article, claim, source, link = ArticleRow.__table__, ClaimRow.__table__, SourceRow.__table__, SourceLinkRow.__table__
    segment, history, evidence = SegmentRow.__table__, HistoryRow.__table__, EvidenceRow.__table__
    expected = {
        # The services' own statements, whose SQLite text they now take from sqlite_sql.
        "CLAIMS": claims._CLAIMS.where(claim.c.article_id == bindparam("article_id")),
        "ARTICLE_LIST": articles._ARTICLE_LIST,
        "SETTING": settings._SETTING,
        # What the services read through the ORM or Core, as the same Core statement.
        "ARTICLE": select(*(article.c[n] for n in ("id", "title", "text", "text_hash", "source_url", "outlet",
                                                    "author", "published", "imported_at", "version")))
        .where(article.c.id == bindparam("id")),
        "ARTICLE_EXISTS": select(article.c.id).where(article.c.id == bindparam("id")),
        "SEGMENTS": select(*(segment.c[n] for n in mapping.SEGMENT_COLUMNS))
        .where(segment.c.article_id == bindparam("article_id")).order_by(segment.c.start_offset),
        "SOURCES": select(source, *mapping.link_columns()).join(claim, claim.c.id == source.c.claim_id)
        .outerjoin(link, link.c.source_id == source.c.id).order_by(source.c.id)
        .where(claim.c.article_id == bindparam("article_id")),
        "REVISION_NUMBERS": select(ArticleRevisionRow.number, ArticleRevisionRow.imported_at)
        .where(ArticleRevisionRow.article_id == bindparam("article_id")).order_by(ArticleRevisionRow.number),
        "ARTICLE_IMPORTED": select(ArticleRow.imported_at).where(ArticleRow.id == bindparam("id")),
        "HISTORY": select(history).where(history.c.claim_id == bindparam("claim_id")).order_by(history.c.id),
        "CLAIM_EXISTS": select(claim.c.id).where(claim.c.id == bindparam("id")),
        "EVIDENCE": select(evidence).where(evidence.c.claim_id == bindparam("claim_id")).order_by(evidence.c.id),
        "LABELS": select(RatingLabelRow.__table__).order_by(RatingLabelRow.position, RatingLabelRow.id),
        "SCALES": select(RatingScaleRow.__table__).order_by(RatingScaleRow.position),
        "LAST_HISTORY": select(func.max(HistoryRow.id)),
        "VERSIONS": select(article.c.id, article.c.version).order_by(article.c.id),
        "SETTINGS": select(SettingRow.key, SettingRow.value).order_by(SettingRow.key),
        "JOBS_WAITING": select(func.count()).select_from(JobRow),
        # The claim edit's (app.storage.draft), which the Workbench runs on SQLite too.
        "CLAIM": select(claim).where(claim.c.id == bindparam("id")),
        "CLAIM_SOURCES": select(source, *mapping.link_columns()).outerjoin(link, link.c.source_id == source.c.id)
        .where(source.c.claim_id == bindparam("claim_id")).order_by(source.c.id),
        "HISTORY_SINCE": select(*(history.c[n] for n in ("id", "entity", "field", "actor", "at")))
        .where(history.c.claim_id == bindparam("claim_id"), history.c.version > bindparam("version"))
        .order_by(history.c.id),
        "ADD_HISTORY": insert(history).values({n: bindparam(n) for n in sqlite_sql.HISTORY_COLUMNS})
        .returning(history.c.id),
    }
    for name, statement in expected.items():
        assert getattr(sqlite_sql, name) == _compiled(statement), name
    assert (articles._ARTICLE_LIST_SQLITE, settings._SETTING_SQLITE) == (sqlite_sql.ARTICLE_LIST, sqlite_sql.SETTING)
    assert tuple(c.key for c in claim.columns) == sqlite_sql.CLAIM_COLUMNS
    assert tuple(c.key for c in history.columns if c.key != "id") == sqlite_sql.HISTORY_COLUMNS


def test_the_edit_s_update_is_what_sqlalchemy_compiles_for_any_columns() -> None:
    from sqlalchemy import bindparam, update

    from app.storage.models import ClaimRow

    claim = ClaimRow.__table__
    names = [c.key for c in claim.columns]
    for columns in [[name] for name in names] + [names, ["verdict_id", "state", "updated_at", "accepted"]]:
        statement = (update(claim).where(claim.c.id == bindparam("claim"), claim.c.version == bindparam("read_version"))
                     .values({name: bindparam(name) for name in columns}))
        assert sqlite_sql.claim_update(frozenset(columns)) == _compiled(statement), columns
    with pytest.raises(KeyError, match="no column"):
        sqlite_sql.claim_update(frozenset({"verdict"}))


def test_the_first_screen_knows_the_head_revision() -> None:
    from app.storage.migrate import head_revision

    assert head_revision() == sqlite_sql.HEAD


def _desk(db_path: Path) -> Any:
    """The sample seeded as on a first run, through the full path."""
    bench = cli.open_workbench(str(db_path))
    bench.seed([SAMPLE])
    return bench


def _front(db_path: Path, load: Callable[[str], Any] | None = None) -> FirstScreen:
    front = open_first_screen(str(db_path), "", [SAMPLE],
                              load or (lambda actor: cli.open_workbench(str(db_path), actor=actor, migrate=False)))
    assert front is not None
    return front


@pytest.fixture
def front(db_path: Path) -> Iterator[FirstScreen]:
    made = _front(db_path)
    yield made
    made.close()


def test_the_first_screen_reads_what_the_workbench_reads(db_path: Path) -> None:
    bench = _desk(db_path)
    (article,) = bench.articles()
    claims = bench.claims(article.id)
    first, second = claims[0], claims[1]
    bench.actor = "Ana"
    labels = bench.scale().labels
    bench.update_claim(first.id, verdict=labels[0], conclusion="Checked against the report.")
    bench.update_claim(first.id, notes="typed once")
    source, _ = bench.add_source(first.id, "https://mod.example/report", title="Report", publisher="MoD",
                                 kind=SourceKind.PRIMARY, stance=Stance.SUPPORTS, passage="12 per cent in 2023")
    bench.add_source(second.id, "https://stats.example/table")
    bench.save_comparison(first.id, Passage("a b c", "left"), Passage("a b d", "right"))
    with raw_sqlite(db_path) as raw:  # a link check's result, with every date column set
        raw.execute("INSERT INTO source_link (source_id, state, detail, final_url, checked_at, similarity,"
                    " live_text, snapshot_at, archive_url, archived_at) VALUES (?, 'ok', '200', ?,"
                    " '2026-11-30 09:09:26.000000', 0.97, '', '2026-11-29 08:00:00.000000', '', NULL)",
                    (source.id, "https://mod.example/report"))
    bench.set_setting("archive.enabled", "on")
    front = _front(db_path)
    try:
        assert front.articles() == bench.articles()
        assert front.article(article.id) == bench.article(article.id)
        assert front.segments(article.id) == bench.segments(article.id)
        assert front.claims(article.id) == bench.claims(article.id)
        assert any(c.sources and c.sources[0].health for c in front.claims(article.id))
        assert front.revision_numbers(article.id) == bench.revision_numbers(article.id)
        assert front.scales() == bench.scales()
        assert front.scale() == bench.scale()
        assert front.rating(labels[1].id) == bench.rating(labels[1].id)
        for claim in (first, second):
            assert front.history(claim.id) == bench.history(claim.id)
            assert front.evidence(claim.id) == bench.evidence(claim.id)
        assert front.evidence(first.id)
        assert front.setting("archive.enabled") == "on" and front.setting("nothing", "x") == "x"
        assert front.links.archiving() is True and front.links.waiting() == bench.links.waiting()
        assert front.login == "" and front.viewers() == {} and front.matches_ready() is False
        token, real = front.change_token(), bench.change_token()
        assert (token.history_id, token.articles, token.settings) == (real.history_id, real.articles, real.settings)
        for read in (front.article, front.claims, front.revision_numbers):
            with pytest.raises(NotFound, match="No article with id 999"):
                read(999)
        for read in (front.history, front.evidence):
            with pytest.raises(NotFound, match="No claim with id 999"):
                read(999)
        assert not front.ready  # nothing above needed the Workbench
    finally:
        front.close()
        bench.close()


def test_a_change_made_while_the_first_screen_showed_is_seen_by_the_first_poll(db_path: Path) -> None:
    bench = _desk(db_path)
    front = _front(db_path)
    try:
        token = front.change_token()
        assert not front.changes_since(token).changes  # before the Workbench: nothing, and no wait for it
        (article,) = bench.articles()
        claim = bench.claims(article.id)[0]
        bench.actor = "Ben"
        bench.update_claim(claim.id, notes="from another window")
        front.wait()
        changes = front.changes_since(token)
        assert claim.id in changes.changes.claim_ids
    finally:
        front.close()
        bench.close()


def test_only_a_seeded_sqlite_desk_at_head_takes_the_first_screen(db_path: Path, tmp_path: Path) -> None:
    def never(_actor: str) -> Any:
        raise AssertionError("not loaded here")

    assert open_first_screen(str(tmp_path / "none.sqlite3"), "", [SAMPLE], never) is None  # a first run
    assert open_first_screen("postgresql://ana@localhost/desk", "", [SAMPLE], never) is None  # team mode
    assert open_first_screen(f"sqlite:///{db_path}", "", [SAMPLE], never) is None  # a URL: the full path
    assert open_first_screen(str(db_path), "", [SAMPLE], never) is None  # at head, but the sample not seeded
    _desk(db_path).close()
    made = open_first_screen(str(db_path), "", [SAMPLE], never)
    assert made is not None
    made.close()
    with raw_sqlite(db_path) as raw:
        raw.execute("UPDATE alembic_version SET version_num = '0014'")
    assert open_first_screen(str(db_path), "", [SAMPLE], never) is None  # not at head: migrate first
    (tmp_path / "other.sqlite3").write_bytes(b"not a database at all, but long enough to look like a file" * 20)
    assert open_first_screen(str(tmp_path / "other.sqlite3"), "", [SAMPLE], never) is None  # the full path says why


def test_a_desk_not_at_head_takes_the_full_path_and_opens(db_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from app import main
    from app.storage.engine import make_engine
    from app.storage.migrate import downgrade, head_revision

    _desk(db_path).close()
    engine = make_engine(str(db_path))
    result = downgrade(engine, "0014", force=True)
    engine.dispose()
    assert result.to_revision == "0014"
    opened: list[Any] = []
    monkeypatch.setattr("app.ui.application.run", lambda bench, _label: opened.append(bench) or 0)
    assert main.run_window(str(db_path)) == 0
    (bench,) = opened
    assert type(bench).__name__ == "Workbench"  # migrated and opened by the full path
    with raw_sqlite(db_path) as raw:
        assert raw.execute("SELECT version_num FROM alembic_version").fetchall() == [(head_revision(),)]
    assert bench.articles()
    bench.close()
    opened.clear()
    assert main.run_window(str(db_path)) == 0  # and now at head: the first screen
    assert isinstance(opened[0], FirstScreen)
    opened[0].close()


def _first_window(qtbot: Any, front: FirstScreen) -> Any:
    from app.ui.application import settings
    from app.ui.main_window import MainWindow
    from app.ui.tasks import SyncRunner

    settings().setValue("reviewer", "Ana Checker")
    win = MainWindow(front, "test.sqlite3", settings(), runner=SyncRunner())  # type: ignore[arg-type]
    qtbot.addWidget(win)
    win.show()
    qtbot.waitExposed(win)
    return win


def test_a_verdict_changed_before_the_workbench_loaded_is_saved_without_waiting_for_it(
    db_path: Path, qtbot: Any, errors: list[str],
) -> None:
    _desk(db_path).close()
    release = threading.Event()

    def slow(actor: str) -> Any:
        release.wait(WAIT_MS / 1000)  # the user is quicker than the load
        return cli.open_workbench(str(db_path), actor=actor, migrate=False)

    front = _front(db_path, slow)
    waited: list[bool] = []

    class Busy:
        def __enter__(self) -> None:
            waited.append(True)

        def __exit__(self, *_exc: object) -> None:
            return None

    front.waiting = Busy
    win = _first_window(qtbot, front)
    heard: list[tuple[Any, Any]] = []
    win.live.changed.connect(lambda changes, messages: heard.append((changes, messages)))
    try:
        claim = win.editor.claim
        assert claim is not None and win.model.rowCount() > 0
        front.load_in_background()
        win.editor.set_verdict_number(1)  # while the Workbench loads: made at once, and saved
        assert not front.ready and waited == [] and errors == []  # the Workbench is held back: not its edit
        label = win.editor._scale.labels[0]
        with raw_sqlite(db_path) as raw:
            stored = raw.execute("SELECT verdict_id, state FROM claim WHERE id = ?", (claim.id,)).fetchone()
        assert stored == (label.id, "in_progress")  # working on it started it, as through the Workbench
        assert win.model.claim(claim.id).verdict_name == label.name  # the table shows it
        (change,) = [h for h in front.history(claim.id) if h.field == "verdict"]
        assert change.actor == "Ana Checker"  # the reviewer the window set
        release.set()
        front.wait()
        win.live.poll()  # the first poll after the load: the edit is this window's own, nobody else's
        assert all(messages == () for _changes, messages in heard)
        win.editor.set_verdict_number(2)  # the next edit, through the Workbench, from the version shown
        assert errors == [] and front.claim(claim.id).verdict_name == win.editor._scale.labels[1].name
        win.undo_stack.undo()
        win.undo_stack.undo()  # both undone, the first one through the Workbench too
        assert front.claim(claim.id).verdict is None and errors == []
    finally:
        release.set()
        win.close()
        front.close()


def test_an_error_while_loading_is_one_line(db_path: Path, qtbot: Any, errors: list[str]) -> None:
    _desk(db_path).close()

    def broken(_actor: str) -> Any:
        raise StorageError(f"The database at {db_path} is locked by another program; try again.")

    front = _front(db_path, broken)
    win = _first_window(qtbot, front)
    try:
        from app.ui.application import _load_after_first_frame

        _load_after_first_frame(win, front)
        front.load_in_background()
        qtbot.waitUntil(lambda: bool(errors), timeout=WAIT_MS)
        assert errors == [f"The database at {db_path} is locked by another program; try again."]
        errors.clear()
        win.editor.set_verdict_number(1)  # the edit is refused with the same line, nothing else
        assert errors == [f"The database at {db_path} is locked by another program; try again."]
    finally:
        win.close()
        front.close()


def test_an_edit_on_the_first_screen_locked_out_by_another_writer_is_one_line_and_writes_nothing(
    db_path: Path, monkeypatch: pytest.MonkeyPatch,
) -> None:
    from app import first_screen

    _desk(db_path).close()
    monkeypatch.setattr(first_screen, "BUSY_TIMEOUT_MS", 100)
    front = _front(db_path, lambda _actor: pytest.fail("the edit must not load the Workbench"))
    front.actor = "Ana Checker"
    (article,) = front.articles()
    claim = front.claims(article.id)[0]
    label = front.scale().labels[0]
    holder = sqlite3.connect(db_path, isolation_level=None)
    holder.execute("BEGIN IMMEDIATE")
    try:
        with pytest.raises(StorageError, match="busy"):
            front.update_claim(claim.id, verdict=label, expected_version=claim.version)
    finally:
        holder.execute("ROLLBACK")
        holder.close()
    assert front.claims(article.id)[0] == claim and front.history(claim.id) == []  # nothing half-written
    saved, changes = front.update_claim(claim.id, verdict=label, expected_version=claim.version)  # once free
    assert saved.verdict == label and saved.version == claim.version + 1 and changes.claim_ids == {claim.id}
    assert [h.field for h in front.history(claim.id)] == ["verdict", "state"] and not front.ready
    with raw_sqlite(db_path) as raw:  # stamps stored as SQLAlchemy stores them, microseconds and all
        stamps = [*raw.execute("SELECT updated_at FROM claim WHERE id = ?", (claim.id,)).fetchone(),
                  *(r[0] for r in raw.execute("SELECT at FROM history WHERE claim_id = ?", (claim.id,)))]
    assert all(re.fullmatch(r"\d{4}-\d\d-\d\d \d\d:\d\d:\d\d\.\d{6}", stamp) for stamp in stamps), stamps
    front.close()


def test_the_window_asks_for_the_interpreter_lock_often_while_the_workbench_loads_and_as_before_after(
    db_path: Path,
) -> None:
    from app import first_screen

    _desk(db_path).close()
    before = sys.getswitchinterval()
    during: list[float] = []

    def load(actor: str) -> Any:
        during.append(sys.getswitchinterval())
        return cli.open_workbench(str(db_path), actor=actor, migrate=False)

    front = _front(db_path, load)
    try:
        front.wait()
        assert during == [pytest.approx(first_screen.LOADING_SWITCH_S)] and before > first_screen.LOADING_SWITCH_S
        assert sys.getswitchinterval() == before
    finally:
        front.close()


def test_the_load_keeps_still_while_the_window_answers_a_key_and_not_when_someone_waits(
    db_path: Path, qtbot: Any, errors: list[str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
) -> None:
    """A key pressed while the Workbench loads holds the load at its next module for QUIET_S, so
    the window answers without taking turns with it; anyone waiting for the Workbench ends that."""
    import importlib
    import time

    from app import first_screen
    from app.ui.application import _load_after_first_frame

    _desk(db_path).close()
    monkeypatch.setattr(first_screen, "QUIET_S", 1.0)
    monkeypatch.syspath_prepend(str(tmp_path))
    acted: list[float] = []
    told = FirstScreen.user_acted

    def user_acted(self: FirstScreen) -> None:
        acted.append(time.monotonic())
        told(self)

    monkeypatch.setattr(FirstScreen, "user_acted", user_acted)
    runs = 0

    def start(wanted: bool) -> tuple[FirstScreen, Any, float]:
        """A window whose load waits for `go`, then imports a module of its own; the verdict key
        pressed in between. Returns when the load is done: the front, the window, the key's time."""
        nonlocal runs
        runs += 1
        name = f"claimdesk_step_{runs}"
        (tmp_path / f"{name}.py").write_text("import time\nRAN_AT = time.monotonic()\n")
        go = threading.Event()

        def load(actor: str) -> Any:
            go.wait(WAIT_MS / 1000)
            importlib.import_module(name)
            return cli.open_workbench(str(db_path), actor=actor, migrate=False)

        front = _front(db_path, load)
        win = _first_window(qtbot, front)
        _load_after_first_frame(win, front)
        front.load_in_background()
        with qtbot.waitActive(win):
            win.activateWindow()
        win.claims_pane.table.setFocus()
        qtbot.keyClick(win.claims_pane.table, Qt.Key.Key_1)  # the verdict key, made on the first screen
        pressed = acted[-1]
        go.set()
        if wanted:
            front.wait()  # the UI thread waits for the Workbench: nothing holds the load
        else:
            qtbot.waitUntil(lambda: front.ready, timeout=WAIT_MS)
        return front, win, sys.modules[name].RAN_AT - pressed

    from PySide6.QtCore import Qt

    front, win, after_key = start(wanted=False)
    try:
        assert len(acted) >= 1 and errors == []
        assert after_key >= 1.0  # the module waited the quiet time out after the key
        with raw_sqlite(db_path) as raw:  # the key's edit, saved
            assert raw.execute("SELECT count(*) FROM claim WHERE verdict_id IS NOT NULL").fetchone() == (1,)
        qtbot.wait(50)  # the load's "done", queued to the UI thread, has taken the filter out
        count = len(acted)
        qtbot.keyClick(win.claims_pane.table, Qt.Key.Key_Down)
        assert len(acted) == count  # once loaded, keys are not watched
    finally:
        win.close()
        front.close()
    front, win, after_key = start(wanted=True)
    try:
        assert after_key < 1.0 and errors == []
    finally:
        win.close()
        front.close()


def test_each_module_first_runs_only_on_its_thread_and_python_s_loader_comes_back(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
) -> None:
    import importlib
    from importlib.machinery import SourceFileLoader

    from app.first_screen import _each_module_first

    python_s = SourceFileLoader.exec_module
    monkeypatch.syspath_prepend(str(tmp_path))
    for name in ("step_a", "step_b", "step_ui"):
        (tmp_path / f"claimdesk_{name}.py").write_text("")
    steps: list[str] = []
    inside, leave_b = threading.Event(), threading.Event()

    def b() -> None:
        with _each_module_first(lambda: steps.append("b")):
            inside.set()
            leave_b.wait(WAIT_MS / 1000)
            importlib.import_module("claimdesk_step_b")

    other = threading.Thread(target=b)
    with _each_module_first(lambda: steps.append("a")):
        other.start()
        inside.wait(WAIT_MS / 1000)
        importlib.import_module("claimdesk_step_a")
    importlib.import_module("claimdesk_step_ui")  # after its block: this thread's imports are its own again
    assert SourceFileLoader.exec_module is not python_s  # the other thread is still in its block
    leave_b.set()
    other.join(WAIT_MS / 1000)
    assert steps == ["a", "b"]  # each call before its own thread's module, and only there
    assert SourceFileLoader.exec_module is python_s
