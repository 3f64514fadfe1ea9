"""Spawned by bench_startup: Claimdesk started through its real entry point (`app.main.main`,
settled by the same rule as every start-up figure), and the moment its first frame has settled
the selected claim's verdict is changed through the editor, as by someone who starts and edits
at once; then changed again. Prints `edited FIRST_MS NEXT_MS`: each change to the next settled
frame, the settle check's own looking taken off; the database is read back to check both were
saved. On a desk at head the first frame comes before the Workbench is loaded (app.first_screen),
which then loads on a thread: the first change is made beside that load (before session 11 it
waited for it), and whatever the load costs the window meanwhile is in FIRST_MS, as the user
waits it. `python benchmarks/first_edit.py DB` with CLAIMDESK_HOME set (its window.ini names a
reviewer, so no name is asked)."""

from __future__ import annotations

import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from PySide6.QtWidgets import QApplication, QWidget  # noqa: E402

from app.main import main  # noqa: E402
from app.ui import settle  # noqa: E402


def _timed(window: QWidget, number: int) -> float:
    began = time.perf_counter()
    window.editor.set_verdict_number(number)  # type: ignore[attr-defined]
    looking = settle.wait_settled(window)
    return (time.perf_counter() - began - looking) * 1000


def edit_when_settled(window: QWidget, ready: object = None) -> None:
    """`ready` (the wait for the Workbench) is not called first: the edit is made as the user makes it."""

    def settled() -> None:
        claim = window.editor.claim  # type: ignore[attr-defined]
        first = _timed(window, 1)
        after_first = window.bench.claim(claim.id).verdict_name  # type: ignore[attr-defined]
        second = _timed(window, 2)
        after_second = window.bench.claim(claim.id).verdict_name  # type: ignore[attr-defined]
        scale = window.editor._scale.labels  # type: ignore[attr-defined]
        if (after_first, after_second) != (scale[0].name, scale[1].name):
            sys.exit(f"first_edit: the verdicts were not saved: {after_first!r}, {after_second!r}")
        print(f"edited {first:.3f} {second:.3f}", flush=True)
        app = QApplication.instance()
        assert app is not None
        app.exit(0)

    settle.Settle(window, settled)


if __name__ == "__main__":
    settle.exit_when_settled = edit_when_settled  # the same start, a different end
    sys.exit(main(["--db", sys.argv[1]]))
