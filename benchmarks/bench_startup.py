"""Start-up as whole processes, alternated with a bare PySide6 program in one run, through the real
entry point `claimdesk --db FILE`: spawn to the first frame painted and settled (app/ui/settle.py),
and spawn to ready to edit (that frame, and the Workbench loaded: on a desk at head it loads after
the first frame, app.first_screen), both against the same bare program. With the sample article
(a fresh user's first screen), and with a 1 MB article of 5,000 claims open (time, and peak RSS
at the first frame and once loaded). And the first verdict change made the moment the window has
settled, in a fresh process, against the next one (`first_edit.py`): what someone who starts and
edits at once waits for, the wait for the Workbench included.

BENCH_BEFORE=TREE (a checkout of another commit) alternates that tree's start in the same run
as well, for before/after figures: rows "… (before)", to its first settled frame and (for a tree
that loads the Workbench after it) to ready to edit, with the peak RSS of each."""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import corpus  # noqa: E402
from _util import ROOT, database_for, gui_env, report, settled_process  # noqa: E402

RUNS = int(os.environ.get("BENCH_RUNS", "9"))
CLAIMDESK = str(Path(sys.executable).parent / "claimdesk")
BARE = str(Path(__file__).resolve().parent / "bare_window.py")
FIRST_EDIT = str(Path(__file__).resolve().parent / "first_edit.py")
SAMPLE = next((ROOT / "seeds").glob("*.txt"))


def big_database(home: Path) -> tuple[Path, Path]:
    """A database whose open article is 1 MB of realistic text with 5,000 claims; and the text."""
    from app.domain import DetectedClaim, Kind
    from app.ingest import ImportedText
    from app.services import Workbench
    from app.storage.engine import make_engine, make_sessions
    from app.storage.migrate import migrate

    text = corpus.text(1_000_000)
    spans = corpus.claim_spans(text, 5000)
    db = home / "big.sqlite3"
    engine = make_engine(str(db))
    migrate(engine)
    detected = [DetectedClaim(s, e, text[s:e], Kind.QUANTITY, 0.9) for s, e in spans]
    bench = Workbench(make_sessions(engine), detector=lambda _t: detected)
    article, _ = bench.add_article(ImportedText(title="Big", text=text))
    engine.dispose()
    (home / "window.ini").write_text(f"[General]\nlast_article={article.id}\nreviewer=bench\n", encoding="utf-8")
    path = home / "big.txt"
    path.write_text(text, encoding="utf-8")
    return db, path


BEFORE = os.environ.get("BENCH_BEFORE", "")


def alternate(claimdesk: list[str], bare: list[str], env: dict[str, str]) -> dict[str, tuple[list[float], list[int]]]:
    """Each kind of start once per round, in turn: the bare program, Claimdesk to its first
    settled frame, Claimdesk to ready to edit (and BENCH_BEFORE's tree to its settled frame)."""
    before_env = dict(env, PYTHONPATH=BEFORE)
    settled_process(claimdesk, env)  # the first start creates, seeds and migrates: not measured
    settled_process(bare, env)
    kinds = {"bare": (bare, env, "1"), "frame": (claimdesk, env, "1"), "ready": (claimdesk, env, "ready")}
    if BEFORE:
        theirs = [*claimdesk[:-1], database_for(BEFORE, claimdesk[-1], env)]  # the database is the last argument
        kinds["before"] = (theirs, before_env, "1")  # before session 7 the two were one: frame = ready
        # A tree that loads its Workbench after the first frame (session 7 on) has a later peak:
        # its start to ready to edit too, so the memory rows compare the peak each really reaches.
        kinds["before-ready"] = (theirs, before_env, "ready")
        settled_process(theirs, before_env)
    found: dict[str, tuple[list[float], list[int]]] = {kind: ([], []) for kind in kinds}
    for _ in range(RUNS):
        for kind, (argv, kind_env, until) in kinds.items():
            ms, kib = settled_process(argv, kind_env, until)
            found[kind][0].append(ms)
            found[kind][1].append(kib)
    return found


def report_starts(what: str, found: dict[str, tuple[list[float], list[int]]], bare_label: str,
                  goal: float | None) -> None:
    bare = found["bare"][0]
    report(f"start-up {what}, spawn to first settled frame", found["frame"][0], bare,
           reference_label=bare_label, goal_ratio=goal)
    report(f"start-up {what}, spawn to ready to edit (Workbench loaded)", found["ready"][0], bare,
           reference_label=bare_label, goal_ratio=goal)
    if "before" in found:
        report(f"start-up {what}, spawn to first settled frame (before)", found["before"][0], bare,
               reference_label=bare_label, goal_ratio=goal)
    if "before-ready" in found:
        report(f"start-up {what}, spawn to ready to edit (before)", found["before-ready"][0], bare,
               reference_label=bare_label, goal_ratio=goal)


def first_edits(kinds: dict[str, tuple[str, str, dict[str, str]]]) -> dict[str, tuple[list[float], list[float]]]:
    """The first verdict change right after the settled first frame, and the next one, each in
    a fresh process (see first_edit.py), for each kind of start in turn (kind: its script, which
    puts its own tree first, its database and its environment)."""
    found: dict[str, tuple[list[float], list[float]]] = {kind: ([], []) for kind in kinds}
    for _ in range(RUNS):
        for kind, (script, db, env) in kinds.items():
            done = subprocess.run([sys.executable, script, db], env=dict(env, CLAIMDESK_EXIT_WHEN_SETTLED="1"),
                                  capture_output=True, text=True, check=False)
            line = next((ln for ln in done.stdout.splitlines() if ln.startswith("edited ")), None)
            if done.returncode != 0 or line is None:
                sys.exit(f"benchmark: first_edit failed (exit {done.returncode}): {done.stderr.strip()[-500:]}")
            _, one, two = line.split()
            found[kind][0].append(float(one))
            found[kind][1].append(float(two))
    return found


def main() -> None:
    with tempfile.TemporaryDirectory() as home:
        env = gui_env(home)
        db = str(Path(home) / "sample.sqlite3")
        found = alternate([CLAIMDESK, "--db", db], [sys.executable, BARE, str(SAMPLE)], env)
        report_starts("with the sample", found, "bare QMainWindow + QPlainTextEdit, same text", 2.0)
    with tempfile.TemporaryDirectory() as home:
        env = gui_env(home)
        (Path(home) / "window.ini").write_text("[General]\nreviewer=bench\n", encoding="utf-8")
        db = str(Path(home) / "sample.sqlite3")
        settled_process([CLAIMDESK, "--db", db], env)  # creates, seeds and migrates: not measured
        kinds = {"after": (FIRST_EDIT, db, env)}
        if BEFORE:
            kinds["before"] = (str(Path(BEFORE) / "benchmarks" / "first_edit.py"), database_for(BEFORE, db, env),
                               dict(env, PYTHONPATH=BEFORE))
        edits = first_edits(kinds)
        for kind, (first, next_) in edits.items():
            report("first verdict change right after start (the sample), to the next frame"
                   + (" (before)" if kind == "before" else ""), first, next_,
                   reference_label="the next verdict change, same process", goal_ms=16)
    with tempfile.TemporaryDirectory() as home:
        env = gui_env(home)
        db, text = big_database(Path(home))
        found = alternate([CLAIMDESK, "--db", str(db)], [sys.executable, BARE, str(text)], env)
        report_starts("with a 1 MB, 5,000-claim article open", found, "bare program, same 1 MB text", None)
        bare_mib = [k / 1024 for k in found["bare"][1]]
        report("peak RSS, 1 MB / 5,000-claim article open, at the first settled frame",
               [k / 1024 for k in found["frame"][1]], bare_mib, reference_label="bare program", unit="MiB")
        report("peak RSS, 1 MB / 5,000-claim article open, ready to edit (Workbench loaded)",
               [k / 1024 for k in found["ready"][1]], bare_mib, reference_label="bare program", goal_ratio=1.5,
               unit="MiB")
        if BEFORE:
            report("peak RSS, 1 MB / 5,000-claim article open, at the first settled frame (before)",
                   [k / 1024 for k in found["before"][1]], bare_mib, reference_label="bare program", unit="MiB")
            report("peak RSS, 1 MB / 5,000-claim article open, ready to edit (before)",
                   [k / 1024 for k in found["before-ready"][1]], bare_mib, reference_label="bare program",
                   goal_ratio=1.5, unit="MiB")


if __name__ == "__main__":
    main()
