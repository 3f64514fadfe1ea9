"""The reference program for start-up figures: a bare PySide6 QMainWindow with a read-only
QPlainTextEdit holding the same text as Claimdesk shows, settled by the same rule (app/ui/settle.py).
`python benchmarks/bare_window.py TEXT_FILE`"""

from __future__ import annotations

import os
import sys
from pathlib import Path

from PySide6.QtWidgets import QApplication, QMainWindow, QPlainTextEdit

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from app.ui.settle import exit_when_settled  # noqa: E402 (PySide6 and the stdlib only)


def main() -> int:
    text = Path(sys.argv[1]).read_text(encoding="utf-8")
    # Claimdesk's setting (app.ui.application.NO_PAINT_THREADS), so that like is compared with like;
    # not imported from there, which would load half of Claimdesk into the reference.
    os.environ.setdefault("QT_NO_GUI_THREADPOOL", "1")
    app = QApplication(sys.argv[:1])
    window = QMainWindow()
    view = QPlainTextEdit()
    view.setReadOnly(True)
    view.setPlainText(text)
    window.setCentralWidget(view)
    window.resize(1400, 860)
    exit_when_settled(window)
    window.show()
    return app.exec()


if __name__ == "__main__":
    sys.exit(main())
