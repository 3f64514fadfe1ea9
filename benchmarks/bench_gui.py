"""Window benchmarks: start-up to first paint, opening a 1 MB article with 5,000 claims, one recolour."""

from __future__ import annotations

import os
import random
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from _util import median_ms, row  # noqa: E402

PROBE = r"""
import sys, time
t0 = time.perf_counter()
mode = sys.argv[1]
if mode == "claimdesk":
    from app import cli, paths
    bench = cli.open_workbench(sys.argv[2])
    bench.seed(paths.seeds_dir().glob("*.txt"))
from PySide6.QtCore import QEvent, QObject
from PySide6.QtWidgets import QApplication, QMainWindow
app = QApplication([])
if mode == "claimdesk":
    from app.ui.application import settings, stylesheet
    from app.ui.main_window import MainWindow
    app.setStyleSheet(stylesheet())
    window = MainWindow(bench, sys.argv[2], settings())
else:
    window = QMainWindow()
    window.resize(1400, 860)
class FirstPaint(QObject):
    def eventFilter(self, obj, event):
        if event.type() == QEvent.Type.Paint:
            print(f"{(time.perf_counter() - t0) * 1000:.1f}", flush=True)
            app.exit(0)
        return False
spy = FirstPaint()
window.installEventFilter(spy)
window.show()
app.exec()
"""


def startup(runs: int = 7) -> tuple[float, float, float, float]:
    """Wall time from process spawn to the first paint, and time inside the process."""
    results: dict[str, list[tuple[float, float]]] = {"bare": [], "claimdesk": []}
    with tempfile.TemporaryDirectory() as home:
        env = dict(os.environ, CLAIMDESK_HOME=home, PYTHONPATH=str(ROOT))
        db = str(Path(home) / "bench.sqlite3")
        subprocess.run([sys.executable, "-c", PROBE, "claimdesk", db], env=env, check=True, capture_output=True)
        for _ in range(runs):
            for mode in ("bare", "claimdesk"):
                t0 = time.perf_counter()
                out = subprocess.run([sys.executable, "-c", PROBE, mode, db], env=env, check=True,
                                     capture_output=True, text=True).stdout
                wall = (time.perf_counter() - t0) * 1000
                results[mode].append((wall, float(out.strip().splitlines()[-1])))
    med = {m: (statistics.median(w for w, _ in r), statistics.median(i for _, i in r)) for m, r in results.items()}
    return med["bare"][0], med["claimdesk"][0], med["bare"][1], med["claimdesk"][1]


def big_article(n_claims: int = 5000, size: int = 1_000_000) -> tuple[str, list[tuple[int, int]]]:
    rng = random.Random(7)
    words = ["the", "ministry", "said", "that", "troops", "were", "moved", "to", "the", "border", "region", "after", "talks", "failed", "on"]
    paragraphs, length = [], 0
    while length < size:
        sentence_count = rng.randint(3, 7)
        para = " ".join(
            " ".join(rng.choice(words) for _ in range(rng.randint(8, 20))).capitalize()
            + f" with {rng.randint(2, 9000)} men." for _ in range(sentence_count)
        )
        paragraphs.append(para)
        length += len(para) + 2
    text = "\n\n".join(paragraphs)[:size]
    step = len(text) // n_claims
    spans = [(i * step, i * step + min(60, step - 1)) for i in range(n_claims)]
    return text, spans


def main() -> None:
    from PySide6.QtWidgets import QApplication, QPlainTextEdit

    from app.domain import DetectedClaim, Kind
    from app.ingest import ImportedText
    from app.services import Workbench
    from app.storage.engine import make_engine, make_sessions
    from app.storage.migrate import migrate

    print(f"Window (QT_QPA_PLATFORM={os.environ['QT_QPA_PLATFORM']})")
    bare_wall, app_wall, bare_in, app_in = startup()
    print(row("start-up to first paint, bare QMainWindow (spawn→paint)", bare_wall))
    print(row("start-up to first paint, Claimdesk with sample (spawn→paint)", app_wall, bare_wall))
    print(row("  of which inside the process, bare", bare_in))
    print(row("  of which inside the process, Claimdesk", app_in, bare_in))

    app = QApplication.instance() or QApplication([])
    text, spans = big_article()
    with tempfile.TemporaryDirectory() as home:
        os.environ["CLAIMDESK_HOME"] = home
        engine = make_engine(str(Path(home) / "big.sqlite3"))
        migrate(engine)
        detected = [DetectedClaim(s, e, text[s:e], Kind.QUANTITY, 0.5) for s, e in spans]
        bench = Workbench(make_sessions(engine), detector=lambda _t: detected)
        t0 = time.perf_counter()
        article, _ = bench.add_article(ImportedText(title="Big", text=text))
        store_ms = (time.perf_counter() - t0) * 1000

        from app.ui.application import settings
        from app.ui.main_window import MainWindow

        bare = QPlainTextEdit()
        bare.setReadOnly(True)
        bare.resize(900, 800)
        bare.show()

        def open_bare() -> None:
            bare.setPlainText(text)
            bare.repaint()

        window = MainWindow(bench, "bench", settings())
        window.resize(1400, 860)
        window.show()
        claims = bench.claims(article.id)

        def open_view() -> None:
            window.article_view.show_article(text, claims)
            window.article_view.viewport().repaint()

        def open_window() -> None:
            window.open_article(None)
            window.open_article(article.id)
            window.repaint()

        bare_ms = median_ms(open_bare)
        view_ms = median_ms(open_view)
        window_ms = median_ms(open_window, runs=5)
        print(f"1 MB article, {len(spans)} claims (stored in {store_ms:.0f} ms)")
        print(row("bare QPlainTextEdit.setPlainText + paint", bare_ms))
        print(row("ArticleView with 5,000 highlights + paint", view_ms, bare_ms))
        print(row("whole window: load claims from SQLite, table, view", window_ms, bare_ms))

        middle = claims[len(claims) // 2]
        window.select_claim(middle.id)
        scale = bench.scale()
        verdicts = [scale.rating("disputed"), scale.rating("verified")]
        flip = iter(verdicts * 100)
        colours = iter([v.colour for v in verdicts if v] * 100)

        def recolour() -> None:
            window.article_view.highlighter.set_look(middle.id, next(colours))
            window.article_view.viewport().repaint()

        def recolour_with_db() -> None:
            claim, changes = bench.update_claim(middle.id, verdict=next(flip))
            window.apply_changes(changes, loaded=(claim,))
            window.article_view.viewport().repaint()

        print(row("recolour one claim (highlighter + paint)", median_ms(recolour, runs=21)))
        print(row("verdict change: SQLite write + table + highlight + paint", median_ms(recolour_with_db, runs=21)))
        window.close()
        engine.dispose()
    del app


if __name__ == "__main__":
    main()
