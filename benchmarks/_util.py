"""Small timing helpers shared by the benchmarks: medians, not means, because these machines are noisy.

Every benchmark reports its figures with `report()`: one line `@row {json}` on stdout, which
benchmarks/run.py gathers into the one table `make bench` prints (the README quotes it)."""

from __future__ import annotations

import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent


def median_ms(fn: Callable[[], object], runs: int = 7, warmup: int = 1) -> float:
    return statistics.median(times_ms(fn, runs, warmup))


def times_ms(fn: Callable[[], object], runs: int = 7, warmup: int = 1) -> list[float]:
    for _ in range(warmup):
        fn()
    times = []
    for _ in range(runs):
        t0 = time.perf_counter()
        spent = fn()
        times.append((time.perf_counter() - t0 - _overhead(spent)) * 1000)
    return times


def _overhead(result: object) -> float:
    """A timed function may return the seconds its measuring cost (app.ui.settle.wait_settled's
    looking for pending work), which are not the work's own and are taken off."""
    return result if isinstance(result, float) else 0.0


def alternate(fns: dict[str, Callable[[], object]], runs: int = 9, warmup: int = 1) -> dict[str, list[float]]:
    """Each function timed `runs` times, taking turns, so the machine's noise hits all alike."""
    for fn in fns.values():
        for _ in range(warmup):
            fn()
    out: dict[str, list[float]] = {name: [] for name in fns}
    for _ in range(runs):
        for name, fn in fns.items():
            t0 = time.perf_counter()
            spent = fn()
            out[name].append((time.perf_counter() - t0 - _overhead(spent)) * 1000)
    return out


def spread(values: Sequence[float]) -> str:
    """Median and the quartiles' distance, e.g. "412 ms ±18"."""
    med = statistics.median(values)
    if len(values) >= 4:
        q = statistics.quantiles(values, n=4)
        return f"{med:.1f} ms (IQR {q[0]:.1f}–{q[2]:.1f})"
    return f"{med:.1f} ms"


def settled_process(argv: Sequence[str], env: dict[str, str], until: str = "1") -> tuple[float, int]:
    """Spawn `argv` with CLAIMDESK_EXIT_WHEN_SETTLED=`until` and return (ms from spawn to its settled
    frame, peak RSS in KiB), as the process itself reports them (see app/ui/settle.py; `until`
    "ready": to the settled frame and the Workbench loaded, ready to edit). The
    seconds the settle check spent looking are taken off, as in one process (`_overhead`): a
    window with a thousand objects took some 20 ms walking them, a bare one under 1 ms, and no
    user waits for that walk."""
    env = dict(env, CLAIMDESK_EXIT_WHEN_SETTLED=until)
    t0 = time.monotonic()
    done = subprocess.run(list(argv), env=env, capture_output=True, text=True, check=False)
    line = next((ln for ln in done.stdout.splitlines() if ln.startswith("settled ")), None)
    if done.returncode != 0 or line is None:
        sys.exit(f"benchmark: {argv[0]} did not settle (exit {done.returncode}): {done.stderr.strip()[-500:]}")
    _, when, peak, *looking = line.split()
    return (float(when) - t0 - sum(map(float, looking))) * 1000, int(peak)


def database_for(tree: str, db: str, env: dict[str, str]) -> str:
    """`db` as the build in `tree` (another checkout, BENCH_BEFORE) can open it: the same file when
    both builds have the same schema; otherwise a copy of its own, stepped down to that build's head
    with this build's `claimdesk db downgrade` if it is past it (an older build refuses a newer
    database, and a step that loses data is refused here too, without --force)."""
    import sqlite3

    def head(path: str) -> str:
        done = subprocess.run([sys.executable, "-c", "from app.storage.migrate import head_revision; print(head_revision())"],
                              env=dict(env, PYTHONPATH=path), cwd=path, capture_output=True, text=True, check=True)
        return done.stdout.strip()

    theirs = head(tree)
    if theirs == head(str(ROOT)):
        return db
    copy = str(Path(db).with_name(f"{Path(db).stem}-at-{theirs}.sqlite3"))
    source, target = sqlite3.connect(db), sqlite3.connect(copy)
    try:
        source.backup(target)
        (at,) = target.execute("SELECT version_num FROM alembic_version").fetchone()
    finally:
        source.close()
        target.close()
    if at == theirs:  # not yet migrated by this build (a first start will): theirs as it is
        return copy
    done = subprocess.run([sys.executable, "-m", "app", "--db", copy, "db", "downgrade", theirs],
                          env=env, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        sys.exit(f"benchmark: {db} could not be stepped down to {theirs}: {done.stderr.strip()[-500:]}")
    return copy


def gui_env(home: str) -> dict[str, str]:
    """The environment for a spawned window. Bytecode is cached (outside the tree), as in any
    installed copy: with PYTHONDONTWRITEBYTECODE set (as on the development machines) every start
    compiled Claimdesk's 70-odd modules again, 100 ms the bare program, all site-packages, never pays."""
    env = dict(os.environ, CLAIMDESK_HOME=home, PYTHONPATH=str(ROOT),
               QT_QPA_PLATFORM=os.environ.get("QT_QPA_PLATFORM", "offscreen"),
               PYTHONPYCACHEPREFIX=str(Path(tempfile.gettempdir()) / "claimdesk-bench-pycache"))
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    return env


def report(measure: str, claimdesk: Sequence[float] | float, reference: Sequence[float] | float | None = None, *,
           reference_label: str = "", goal_ratio: float | None = None, goal_ms: float | None = None,
           unit: str = "ms") -> None:
    """One row of the table: medians (with the quartiles when there are several runs), the ratio,
    and whether the goal (a ratio, or an absolute bound in `unit`) is met."""
    values = [claimdesk] if isinstance(claimdesk, float | int) else list(claimdesk)
    refs = None if reference is None else ([reference] if isinstance(reference, float | int) else list(reference))
    med = statistics.median(values)
    ref = statistics.median(refs) if refs else None
    ratio = med / ref if ref else None
    met = None
    goal = ""
    if goal_ratio is not None and ratio is not None:
        met, goal = ratio <= goal_ratio, f"≤ {goal_ratio:g}×"
    elif goal_ms is not None:
        met, goal = med <= goal_ms, f"≤ {goal_ms:g} {unit}"
    row = {
        "measure": measure, "claimdesk": _fmt(values, unit), "reference": "" if refs is None else
        f"{_fmt(refs, unit)} {reference_label}".strip(), "ratio": "" if ratio is None else f"{ratio:.2f}×",
        "goal": goal, "met": "" if met is None else ("yes" if met else "**no**"),
    }
    print("@row " + json.dumps(row), flush=True)
    print(f"  {measure}: {row['claimdesk']}  ref {row['reference'] or '-'}  {row['ratio']}  {goal} {row['met']}", file=sys.stderr)


def _fmt(values: Sequence[float], unit: str) -> str:
    med = statistics.median(values)
    digits = 0 if med >= 100 else 1 if med >= 1 else 3

    def num(v: float) -> str:
        return f"{v:,.{digits}f}"

    text = f"{num(med)} {unit}"
    if len(values) >= 4:
        q = statistics.quantiles(values, n=4)
        text += f" (IQR {num(q[0])}–{num(q[2])})"
    return text


def row(name: str, value_ms: float, baseline_ms: float | None = None) -> str:
    ratio = f"  ({value_ms / baseline_ms:.2f}× baseline)" if baseline_ms else ""
    return f"  {name:<52} {value_ms:9.1f} ms{ratio}"


def window_and_bare(bench: Any, db: str) -> tuple[Any, Any, Any, Any]:
    """(app, Claimdesk's window, a bare window, its QPlainTextEdit): both shown and settled, the
    bare one a read-only QPlainTextEdit at the window's size, the reference for opening a text."""
    from PySide6.QtWidgets import QMainWindow, QPlainTextEdit

    from app.ui.application import make_application, settings, stylesheet
    from app.ui.main_window import MainWindow
    from app.ui.settle import wait_settled

    app = make_application()
    app.setStyleSheet(stylesheet())
    window = MainWindow(bench, db, settings())
    window.show()
    wait_settled(window)
    bare_window = QMainWindow()
    bare = QPlainTextEdit()
    bare.setReadOnly(True)
    bare_window.setCentralWidget(bare)
    bare_window.resize(1400, 860)
    bare_window.show()
    wait_settled(bare_window)
    return app, window, bare_window, bare


def next_claim_ms(window: Any, runs: int) -> list[float]:
    """J, the next claim, through the real key, to the next settled frame, `runs` times from the
    claim the window shows: as a fact-checker goes through an article's claims all day. Once the
    selection reaches the table's last visible row, each step scrolls the table by a row."""
    from PySide6.QtCore import Qt
    from PySide6.QtTest import QTest

    from app.ui.settle import wait_settled

    table = window.claims_pane.table
    window.activateWindow()
    table.setFocus()
    wait_settled(window)
    first = window.editor.claim

    def next_claim() -> float:
        QTest.keyClick(table, Qt.Key.Key_J)
        return wait_settled(window)

    times = times_ms(next_claim, runs=runs)
    if window.editor.claim is None or first is None or window.editor.claim.id == first.id:
        sys.exit("benchmark: J did not move to another claim")
    return times
