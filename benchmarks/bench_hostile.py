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
        try:
            _, status, usage = os.wait4(proc.pid, 0)
        finally:
            killer.cancel()
        proc.returncode = os.waitstatus_to_exitcode(status)
        elapsed = time.monotonic() - t0
        peak = usage.ru_maxrss / 1024
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
