"""The import budget against the worst files under the size limit: time and peak memory of
`claimdesk import` on each (a fresh database each), in a process of its own.

    .venv/bin/python benchmarks/bench_hostile.py [--timeout S] [NAME-SUBSTRING ...]
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))

from hostile_corpus import BIG  # noqa: E402

BUDGET_S = 10.0
BUDGET_MB = 500


class _TreePeak:
    """The largest sum of VmRSS over a process and its children, looked at every 5 ms."""

    def __init__(self, pid: int) -> None:
        self.pid, self.peak_mb, self._done = pid, 0.0, threading.Event()
        self._thread = threading.Thread(target=self._watch, daemon=True)
        self._thread.start()

    def stop(self) -> None:
        self._done.set()
        self._thread.join()

    def _watch(self) -> None:
        while not self._done.wait(0.005):
            try:
                with open(f"/proc/{self.pid}/task/{self.pid}/children", encoding="ascii") as f:
                    pids = [self.pid, *map(int, f.read().split())]
            except OSError:
                return
            self.peak_mb = max(self.peak_mb, sum(map(_rss_mb, pids)))


def _rss_mb(pid: int) -> float:
    try:
        with open(f"/proc/{pid}/status", encoding="ascii") as f:
            return next((int(ln.split()[1]) / 1024 for ln in f if ln.startswith("VmRSS:")), 0.0)
    except OSError:
        return 0.0


def run_one(path: Path, db: Path, timeout: float, tree: Path = ROOT) -> tuple[float, float, int | None, str]:
    """(seconds, peak MB, exit code or None if killed at the timeout, last stderr line)."""
    env = {**os.environ, "CLAIMDESK_HOME": str(db.parent / "home"), "PYTHONDONTWRITEBYTECODE": "1"}
    cmd = [sys.executable, "-m", "app", "--db", str(db), "import", str(path)]
    t0 = time.monotonic()
    with tempfile.TemporaryFile() as err:
        proc = subprocess.Popen(cmd, cwd=tree, env=env, stdout=subprocess.DEVNULL, stderr=err)
        # wait4, not Popen.wait: it gives this child's own peak memory, not all children's.
        killer = threading.Timer(timeout, proc.kill)
        killer.start()
        together = _TreePeak(proc.pid)
        try:
            _, status, usage = os.wait4(proc.pid, 0)
        finally:
            killer.cancel()
            together.stop()
        proc.returncode = os.waitstatus_to_exitcode(status)
        elapsed = time.monotonic() - t0
        # The import's peak, or, where `claimdesk import` forks a child to read ahead
        # (app/cli_import.py), what the two held at once: wait4 gives only the larger one's.
        peak = max(usage.ru_maxrss / 1024, together.peak_mb)
        code: int | None = None if proc.returncode < 0 else proc.returncode
        err.seek(0)
        lines = err.read().decode("utf-8", "replace").strip().splitlines()
    return elapsed, peak, code, lines[-1] if lines else ""


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--timeout", type=float, default=150)
    parser.add_argument("--tree", type=Path, default=ROOT,
                        help="the source tree whose app/ runs (for a baseline: an export of main)")
    parser.add_argument("only", nargs="*")
    args = parser.parse_args()
    print(f"budget: {BUDGET_S:g} s and {BUDGET_MB} MB per import")
    failed = 0
    for name, make in BIG.items():
        if args.only and not any(o.lower() in name.lower() for o in args.only):
            continue
        with tempfile.TemporaryDirectory() as tmp:
            folder = Path(tmp)
            path = make(folder)
            seconds, peak, code, last = run_one(path, folder / "db.sqlite3", args.timeout, args.tree)
        verdict = "ok" if code is not None and seconds <= BUDGET_S and peak <= BUDGET_MB else "OVER"
        failed += verdict != "ok"
        shown = "killed" if code is None else f"exit {code}"
        print(f"  {name:<26} {seconds:7.1f} s {peak:7.0f} MB  {shown:<7} {verdict:<4} {last[:110]}", flush=True)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
