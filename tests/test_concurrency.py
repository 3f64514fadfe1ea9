"""Two processes on one database, no mocks: writers queue instead of failing, a stale write is
a conflict the user sees, nothing committed is lost, and a refused write leaves undo alone."""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path

import pytest
from conftest import ROOT, WAIT_MS, raw_sqlite

from app.domain import Conflict, SourceKind, State
from app.ingest import ImportedText
from app.storage.errors import StorageError

# One writer: read a claim, then write its summary based on that read, n times over `ids`.
# Prints one line per edit, after it is committed or refused; "go" is a start line for both.
WRITER = r"""
import sys, time
from pathlib import Path
from app.domain.errors import Conflict
from app.services import Workbench
from app.storage.engine import make_engine, make_sessions

db, name, n, ids, go = sys.argv[1], sys.argv[2], int(sys.argv[3]), [int(x) for x in sys.argv[4].split(",")], Path(sys.argv[5])
bench = Workbench(make_sessions(make_engine(db)), actor=name)
bench.claim(ids[0])  # connect and warm up before the start line
while not go.exists():
    time.sleep(0.005)
for i in range(n):
    cid = ids[i % len(ids)]
    value = f"{name}-{i}"
    try:
        seen = bench.claim(cid)
        stored, _ = bench.update_claim(cid, summary=value, expected_version=seen.version)
        print("ok", cid, value, stored.version, flush=True)
    except Conflict as exc:
        print("conflict", cid, value, exc.fields[0].field, exc.fields[0].by, flush=True)
    except Exception as exc:
        print("error", cid, value, type(exc).__name__, " ".join(str(exc).split()), flush=True)
"""


def _writer(db: Path | str, name: str, n: int, ids: list[int], go: Path) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, "-c", WRITER, str(db), name, str(n), ",".join(map(str, ids)), str(go)],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, cwd=ROOT,
    )


def _history(engine, claim_ids: list[int]) -> list[tuple[int, str | None, str | None, str]]:  # type: ignore[no-untyped-def]
    from sqlalchemy import bindparam, text

    with engine.connect() as c:
        query = text(
            "SELECT claim_id, old_value, new_value, actor FROM history WHERE field = 'summary'"
            " AND claim_id IN :ids ORDER BY id"
        ).bindparams(bindparam("ids", expanding=True))
        return [tuple(r) for r in c.execute(query, {"ids": claim_ids})]


def test_two_processes_500_interleaved_edits_lose_nothing_and_never_fail_locked(
    db_url: str, engine, bench, sample_article, tmp_path: Path, backend: str,  # type: ignore[no-untyped-def]
) -> None:
    """On both engines. On PostgreSQL each writer logs in as itself (the server signs the history)."""
    ids = [c.id for c in bench.claims(sample_article.id)[:3]]
    go = tmp_path / "go"
    writers = {name: _writer(db_url, name, 250, ids, go) for name in ("ana", "ben")}
    time.sleep(0.3)
    go.touch()
    lines: list[list[str]] = []
    for proc in writers.values():
        out, err = proc.communicate(timeout=120)
        assert proc.returncode == 0, err
        lines += [line.split(" ", 4) for line in out.splitlines()]

    assert [line for line in lines if line[0] == "error"] == []  # no "database is locked", nothing else
    assert len(lines) == 500
    print(Counter(line[0] for line in lines))  # shown with -s: how often the two collided
    ok = [line for line in lines if line[0] == "ok"]
    conflicts = [line for line in lines if line[0] == "conflict"]
    for _, _, value, field, by in conflicts:  # every conflict names the field and the other writer
        assert field == "summary" and by == ("ben" if value.startswith("ana") else "ana")

    history = _history(engine, ids)
    assert {actor for *_, actor in history} <= {"ana", "ben"}
    written = {value for _, _, value, _ in history}
    assert {value for _, _, value, _ in ok} <= written  # every edit reported as stored is stored
    assert not {value for _, _, value, _, _ in conflicts} & written  # a refused edit wrote nothing
    assert len(history) == len(ok)
    for cid in ids:  # a chain: each edit was made on top of the one before, none overwritten unseen
        chain = [(old, new) for claim_id, old, new, _ in history if claim_id == cid]
        assert all(chain[i][0] == chain[i - 1][1] for i in range(1, len(chain)))
        assert bench.claim(cid).summary == chain[-1][1]
    assert Counter(line[1] for line in ok) == Counter(str(claim_id) for claim_id, *_ in history)
    if backend == "postgresql":  # no writer left a transaction open behind it
        with engine.connect() as c:
            assert c.exec_driver_sql(
                "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database()"
                " AND starts_with(state, 'idle in transaction')"
            ).scalar() == 0


KILLED = r"""
import sys
from app.services import Workbench
from app.storage.engine import make_engine, make_sessions

bench = Workbench(make_sessions(make_engine(sys.argv[1])), actor="victim")
cid = int(sys.argv[2])
i = 0
while True:
    bench.update_claim(cid, summary=f"edit-{i}", notes=f"note-{i}")
    print(i, flush=True)
    i += 1
"""


def test_a_process_killed_mid_edit_loses_no_committed_edit(db_path: Path, bench, sample_article) -> None:  # type: ignore[no-untyped-def]
    claim = bench.claims(sample_article.id)[0]
    for _ in range(2):
        with subprocess.Popen([sys.executable, "-c", KILLED, str(db_path), str(claim.id)],
                              stdout=subprocess.PIPE, text=True, cwd=ROOT) as proc:
            assert proc.stdout is not None
            committed = [proc.stdout.readline() for _ in range(40)]  # forty edits reported committed
            os.kill(proc.pid, signal.SIGKILL)
            proc.wait(timeout=10)
        last = int(committed[-1])
        with raw_sqlite(db_path) as c:
            assert c.execute("PRAGMA integrity_check").fetchone() == ("ok",)
            values = {v for (v,) in c.execute(
                "SELECT new_value FROM history WHERE claim_id = ? AND field = 'summary'", (claim.id,))}
        assert {f"edit-{i}" for i in range(last + 1)} <= values
        stored = bench.claim(claim.id)
        assert int(stored.summary.split("-")[1]) >= last  # at least the last reported edit


def test_a_stale_write_is_a_conflict_naming_the_field_and_who(bench, sample_article) -> None:  # type: ignore[no-untyped-def]
    from app.services import Workbench

    ben = Workbench(bench._sessions, actor="ben")
    bench.actor = "ana"
    seen = bench.claims(sample_article.id)[0]
    ben.update_claim(seen.id, verdict=ben.scale().rating("false"))

    with pytest.raises(Conflict) as caught:
        bench.update_claim(seen.id, verdict=bench.scale().rating("verified"), expected_version=seen.version)
    (field,) = caught.value.fields
    assert (field.field, field.theirs, field.yours, field.by) == ("verdict", "False", "Verified", "ben")
    assert "was changed by ben" in str(caught.value) and "\n" not in str(caught.value)
    assert bench.claim(seen.id).verdict.name == "False"  # nothing of ana's was written

    # A change to another field merges: ben's verdict stays, ana's summary is added.
    merged, changes = bench.update_claim(seen.id, summary="Only 2,000.", expected_version=seen.version)
    assert (merged.verdict.name, merged.summary) == ("False", "Only 2,000.")
    assert changes.claim_ids == {seen.id}
    # A reviewer signs off what they saw: any change by someone else since is a conflict.
    with pytest.raises(Conflict):
        bench.approve(seen.id, expected_version=seen.version)


def test_a_writer_locked_out_past_the_busy_timeout_gets_one_line(db_path: Path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    from app.services import Workbench
    from app.storage import engine as engine_module

    monkeypatch.setattr(engine_module, "BUSY_TIMEOUT_MS", 100)
    bench = Workbench(engine_module.make_sessions(engine_module.make_engine(str(db_path))), actor="ana")
    holder = sqlite3.connect(db_path, isolation_level=None)
    holder.execute("BEGIN IMMEDIATE")
    try:
        with pytest.raises(StorageError, match="busy"):
            bench.set_setting("organisation", "Fact desk")
    finally:
        holder.execute("ROLLBACK")
        holder.close()
    bench.set_setting("organisation", "Fact desk")  # and once it is free, the write goes through
    bench.close()


def test_the_list_and_search_answer_while_another_program_writes(db_path: Path) -> None:
    """They read through their own sqlite3 connections (app.storage.sqlite_reads): in WAL mode
    a reader never waits for a writer, from the window's thread or the search's."""
    import threading

    from app.services import Workbench
    from app.storage import engine as engine_module

    bench = Workbench(engine_module.make_sessions(engine_module.make_engine(str(db_path))), actor="ana")
    article, _ = bench.add_article(ImportedText(title="Troops", text="More than 3,000 soldiers are stationed there."))
    holder = sqlite3.connect(db_path, isolation_level=None)
    holder.execute("BEGIN IMMEDIATE")
    holder.execute("UPDATE article SET title = 'Half-written' WHERE id = ?", (article.id,))
    try:
        assert [a.title for a in bench.articles()] == ["Troops"]  # what is committed, at once
        found: list[object] = []
        worker = threading.Thread(target=lambda: found.extend(bench.search("soldiers")))
        worker.start()
        worker.join(timeout=WAIT_MS / 1000)
        assert [hit.article_id for hit in found] == [article.id]
    finally:
        holder.execute("ROLLBACK")
        holder.close()
    bench.close()  # its connections closed; the next read opens one again
    assert [a.title for a in bench.articles()] == ["Troops"]
    bench.close()


def arrived(bench, token, timeout: float = 5.0):  # type: ignore[no-untyped-def]
    """The changes since token, polled as the window polls: on PostgreSQL the notification of a
    commit may reach the listener a moment after the commit itself."""
    deadline = time.monotonic() + timeout
    while True:
        found = bench.changes_since(token)
        if found.changes or time.monotonic() > deadline:
            return found
        time.sleep(0.02)


def test_changes_made_elsewhere_arrive_as_a_changeset_with_a_line_for_people(bench, sample_article) -> None:  # type: ignore[no-untyped-def]
    from app.ingest import from_pasted
    from app.services import Workbench

    window = Workbench(bench._sessions, actor="ana")
    token = window.change_token()
    assert not window.changes_since(token).changes  # nothing happened: nothing to apply

    ben = Workbench(bench._sessions, actor="ben")
    claim = ben.claims(sample_article.id)[0]
    ben.update_claim(claim.id, verdict=ben.scale().rating("false"))
    ben.add_source(claim.id, "https://mod.example/report", kind=SourceKind.PRIMARY)
    ben.update_claim(claim.id, state=State.IN_REVIEW)
    window.approve(claim.id)  # ana's own change: applied, but not announced to her
    article, _ = ben.add_article(from_pasted("Port strike\n\nDockers in Antwerp stopped work for 48 hours."))
    ben.set_scale("politifact")

    seen = arrived(window, token)
    assert claim.id in seen.changes.claim_ids and article.id in seen.changes.articles_added
    assert seen.changes.sources_added and seen.changes.scale_changed
    assert any(m.startswith(f"Claim #{claim.number}:") or f"Claim #{claim.number} " in m for m in seen.messages)
    assert any("Port strike" in m for m in seen.messages)
    assert not any("approved" in m for m in seen.messages)  # her own approval
    assert not window.changes_since(seen.token).changes

    ben2 = Workbench(bench._sessions, actor="ben")
    ben2.reopen(claim.id, "new figures")
    later = arrived(window, seen.token)
    assert later.changes.claim_ids == {claim.id}
    assert later.messages == (f"Claim #{claim.number} reopened by ben",)


def test_the_cli_refuses_a_stale_review_with_one_line_and_exit_1(db_path: Path, bench, sample_article) -> None:  # type: ignore[no-untyped-def]
    claim = bench.claims(sample_article.id)[0]
    bench.actor = "ben"
    bench.update_claim(claim.id, summary="Ben's summary.", expected_version=claim.version)
    env = {**os.environ, "CLAIMDESK_DB": str(db_path)}
    result = subprocess.run(
        [sys.executable, "-m", "app", "--as", "ana", "review", str(claim.id), "--summary", "Ana's summary.",
         "--if-version", str(claim.version)],
        capture_output=True, text=True, env=env, cwd=ROOT, timeout=60,
    )
    assert result.returncode == 1
    (line,) = result.stderr.strip().splitlines()
    assert line.startswith("claimdesk: ") and "summary" in line and "ben" in line and "Traceback" not in line
    assert bench.claim(claim.id).summary == "Ben's summary."


@pytest.mark.gui
def test_a_refused_write_leaves_the_undo_stack_unchanged(qtbot, bench, sample_article, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    from app.services import Workbench
    from app.ui import dialogs
    from app.ui.application import settings
    from app.ui.conflict_dialog import Choice, ConflictDialog, Resolution
    from app.ui.main_window import MainWindow
    from app.ui.tasks import SyncRunner

    shown: list[str] = []
    monkeypatch.setattr(dialogs, "show_error", lambda _parent, message: shown.append(message))
    asked: list[tuple[str, str, str, str]] = []  # the conflict dialog, answered "keep theirs"

    def keep_theirs(_cls, _parent, field, theirs, yours, *, by="", at=None, text=None):  # type: ignore[no-untyped-def]
        asked.append((field, theirs, yours, by))
        return Resolution(Choice.THEIRS, theirs)

    monkeypatch.setattr(ConflictDialog, "ask", classmethod(keep_theirs))
    settings().setValue("reviewer", "Ana Checker")
    window = MainWindow(bench, "test.sqlite3", settings(), runner=SyncRunner())
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    claim = window.editor.claim
    assert claim is not None
    window.editor.set_verdict_number(1)
    qtbot.waitUntil(lambda: window.undo_stack.count() == 1, timeout=WAIT_MS)

    # Someone else sets another verdict; the panel still shows the old one.
    Workbench(bench._sessions, actor="ben").update_claim(claim.id, verdict=bench.scale().rating("false"))
    window.editor.set_verdict_number(2)
    assert window.undo_stack.count() == 1 and window.undo_stack.index() == 1
    assert asked == [("verdict", "False", "Mostly true", "ben")] and not shown  # both values, side by side
    assert window.editor.verdict.currentText() == "False"  # theirs kept, and shown
    assert bench.claim(claim.id).verdict.name == "False"
    assert window.undo_stack.undoText() == "Set verdict to Verified"
