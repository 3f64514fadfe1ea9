"""Spawned by bench_startup: Claimdesk started through its real entry point (`app.main.main`,
settled by the same rule as every start-up figure), and the moment its first frame has settled
the selected claim's verdict is changed with its key (1), as by someone who starts and edits
at once; then changed again. Prints `edited FIRST_MS NEXT_MS`: each change to the next settled
frame, the settle check's own looking taken off; the database is read back to check both were
saved. On a desk at head the first frame comes before the Workbench is loaded (app.first_screen),
which starts loading on a thread at that frame: the first change is made beside that load
(before session 11 it waited for it), and whatever the load costs the window meanwhile is in
FIRST_MS, as the user waits it. NEXT_MS is taken once the Workbench is loaded and the window
settled again. `python benchmarks/first_edit.py DB` with CLAIMDESK_HOME set (its window.ini names a
reviewer, so no name is asked)."""

from __future__ import annotations

import sqlite3
import sys
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from PySide6.QtCore import Qt  # noqa: E402
from PySide6.QtTest import QTest  # noqa: E402
from PySide6.QtWidgets import QApplication, QWidget  # noqa: E402

from app.main import main  # noqa: E402
from app.ui import settle  # noqa: E402


def _timed(window: QWidget, number: int) -> float:
    """The verdict's number key (Verdict › 1, 2…), pressed in the claims table."""
    table = window.claims_pane.table  # type: ignore[attr-defined]
    began = time.perf_counter()
    QTest.keyClick(table, getattr(Qt.Key, f"Key_{number}"))
    looking = settle.wait_settled(window)
    return (time.perf_counter() - began - looking) * 1000


def _stored_verdict(claim_id: int) -> int | None:
    """The claim's verdict as the database holds it, read apart from the window."""
    with sqlite3.connect(sys.argv[1]) as raw:
        found = raw.execute("SELECT verdict_id FROM claim WHERE id = ?", (claim_id,)).fetchone()
    return None if found is None else found[0]


def edit_when_settled(window: QWidget, ready: Callable[[], None] | None = None) -> None:
    """At the first settled frame the Workbench starts loading, as app.ui.application.run has it
    do; the first edit is made at once, beside that load, as the user makes it. Then, with the
    Workbench loaded (`ready`) and the window settled, the next edit: the steady state."""

    def settled() -> None:
        claim = window.editor.claim  # type: ignore[attr-defined]
        start_loading = getattr(window.bench, "load_in_background", None)  # type: ignore[attr-defined]
        if start_loading is not None:
            start_loading()
        # The user's window is active, the table focused, before the key: the offscreen window
        # is activated here, and that repaint is not the edit's.
        window.activateWindow()
        window.claims_pane.table.setFocus()  # type: ignore[attr-defined]
        settle.wait_settled(window)
        first = _timed(window, 1)
        after_first = _stored_verdict(claim.id)
        if ready is not None:
            ready()
            settle.wait_settled(window)
        second = _timed(window, 2)
        after_second = _stored_verdict(claim.id)
        scale = window.editor._scale.labels  # type: ignore[attr-defined]
        if (after_first, after_second) != (scale[0].id, scale[1].id):
            sys.exit(f"first_edit: the verdicts were not saved: {after_first!r}, {after_second!r}")
        print(f"edited {first:.3f} {second:.3f}", flush=True)
        app = QApplication.instance()
        assert app is not None
        app.exit(0)

    settle.Settle(window, settled)


if __name__ == "__main__":
    settle.exit_when_settled = edit_when_settled  # the same start, a different end
    sys.exit(main(["--db", sys.argv[1]]))
