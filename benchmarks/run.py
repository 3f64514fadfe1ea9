"""Run the benchmarks and print one table: `make bench` or `.venv/bin/python benchmarks/run.py`.

Each module in MODULES runs in its own process and reports its rows with `_util.report()`; their
other output goes to stderr as they run. Add a module by adding its name to the list.
`ARCHIVE=N` (make bench ARCHIVE=1000000) sets the generated archive's size for bench_archive
(default 10,000 claims); BENCH_ONLY=bench_x,bench_y runs only those."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent

MODULES = [
    "bench_startup",  # whole processes: claimdesk --db FILE against a bare PySide6 program
    "bench_gui",  # in one process, event loop run until settled: open, verdict change
    "bench_archive",  # a generated archive of ARCHIVE claims (default 10,000)
    "bench_detection",
    "bench_export",
    "bench_ingest",
    "bench_revisions",  # carrying claims to a new revision
]
# Slow or needing a server; run by name (BENCH_ONLY=bench_hostile) or directly.
OPTIONAL = ["bench_hostile", "bench_team", "bench_matching"]  # bench_matching builds 100,000 checked claims

COLUMNS = ("measure", "claimdesk", "reference", "ratio", "goal", "met")


def main() -> int:
    only = [m for m in os.environ.get("BENCH_ONLY", "").split(",") if m]
    modules = only or MODULES
    rows: list[dict[str, str]] = []
    failed = []
    for name in modules:
        print(f"== {name}", file=sys.stderr, flush=True)
        done = subprocess.run([sys.executable, str(HERE / f"{name}.py")], cwd=HERE.parent,
                              stdout=subprocess.PIPE, text=True, check=False)
        for line in done.stdout.splitlines():
            if line.startswith("@row "):
                rows.append(json.loads(line[5:]))
            else:
                print(line, file=sys.stderr)
        if done.returncode != 0:
            failed.append(name)
    print("| " + " | ".join(COLUMNS) + " |")
    print("|" + "---|" * len(COLUMNS))
    for row in rows:
        print("| " + " | ".join(row.get(c, "") for c in COLUMNS) + " |")
    if failed:
        print(f"failed: {', '.join(failed)}", file=sys.stderr)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
