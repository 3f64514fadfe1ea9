"""Quitting while a background job runs (an import, a search, the earlier checks' index): the job
ends before the process does, and nothing is torn down under it."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from conftest import ROOT

_DRIVER = r"""
import sys, time
from pathlib import Path
from app.ui import settle

marker = Path(sys.argv[2])

def job():
    time.sleep(1.0)
    marker.write_text("finished")

def quit_with_a_job_running(window, ready=None):
    def settled():
        from PySide6.QtWidgets import QApplication
        window.runner.run(job, lambda _: None, lambda _: None)
        window.close()
        QApplication.instance().quit()
    settle.Settle(window, settled)

settle.exit_when_settled = quit_with_a_job_running
from app.main import main
code = main(["--db", sys.argv[1]])
print("job finished when main returned:", marker.exists())
sys.exit(code)
"""


def test_quitting_waits_for_the_running_job_and_exits_cleanly(tmp_path: Path) -> None:
    env = dict(os.environ, PYTHONPATH=str(ROOT), QT_QPA_PLATFORM="offscreen", CLAIMDESK_HOME=str(tmp_path),
               CLAIMDESK_EXIT_WHEN_SETTLED="1")
    db, marker = tmp_path / "desk.sqlite3", tmp_path / "finished"
    for _ in range(2):  # the first start seeds the sample; the second opens on the first screen
        marker.unlink(missing_ok=True)
        done = subprocess.run([sys.executable, "-c", _DRIVER, str(db), str(marker)], capture_output=True,
                              text=True, cwd=ROOT, timeout=60, env=env)
        assert done.returncode == 0, done.stderr[-2000:]
        assert "job finished when main returned: True" in done.stdout
        assert "Signal source has been deleted" not in done.stderr
        assert "internal error" not in done.stderr
