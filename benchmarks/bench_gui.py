"""The window in one process, the event loop run until settled after every action (no pending
short timers, queued events run, the frame that shows it painted, highlights included; see
app/ui/settle.py): opening a 1 MB article with 5,000 claims against a bare QPlainTextEdit given
the same text, and a verdict change through the editor to the next frame."""

from __future__ import annotations

import os
import sys
import tempfile
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from _util import alternate, next_claim_ms, report, times_ms, window_and_bare  # noqa: E402
from bench_startup import big_database  # noqa: E402

RUNS = int(os.environ.get("BENCH_RUNS", "9"))


def main() -> None:

    from app import cli
    from app.ui.settle import wait_settled

    with tempfile.TemporaryDirectory() as home:
        os.environ["CLAIMDESK_HOME"] = home
        db, text_file = big_database(Path(home))
        text = text_file.read_text(encoding="utf-8")
        bench = cli.open_workbench(str(db))
        article = bench.articles()[0]
        _app, window, bare_window, bare = window_and_bare(bench, str(db))

        def open_bare() -> float:
            bare.setPlainText(text)
            return wait_settled(bare_window)

        def open_window() -> float:
            window.open_article(article.id)
            return wait_settled(window)

        def close_both() -> None:
            bare.setPlainText("")
            window.open_article(None)
            wait_settled(window)
            wait_settled(bare_window)

        app_ms, bare_ms = [], []
        for _ in range(RUNS):
            close_both()
            got = alternate({"bare": open_bare, "window": open_window}, runs=1, warmup=0)
            bare_ms += got["bare"]
            app_ms += got["window"]
        report("open a 1 MB article with 5,000 claims, until settled", app_ms, bare_ms,
               reference_label="bare QPlainTextEdit.setPlainText, settled", goal_ratio=3.0)

        claims = window.model.claims()
        window.select_claim(claims[len(claims) // 2].id)
        wait_settled(window)
        flip = iter([1, 2] * 1000)

        def verdict() -> float:
            window.editor.set_verdict_number(next(flip))
            return wait_settled(window)

        report("verdict change through the editor, to the next frame (5,000 claims open)",
               times_ms(verdict, runs=max(RUNS, 21)), goal_ms=16)

        report("next claim (J), to the next frame (5,000 claims open)", next_claim_ms(window, max(RUNS, 21)),
               goal_ms=16)
        report("Python memory held by the open 1 MB / 5,000-claim article (tracemalloc)",
               [held_mib(window, article.id) for _ in range(3)], unit="MiB")
        window.close()


def held_mib(window: object, article_id: int) -> float:
    """What opening the article leaves allocated in Python once the window has settled (its text,
    claims, segments, highlights and the models over them), the article closed before; last, as
    tracing allocations slows everything it watches."""
    import gc
    import tracemalloc

    from app.ui.settle import wait_settled

    window.open_article(None)  # type: ignore[attr-defined]
    wait_settled(window)
    gc.collect()
    tracemalloc.start()
    try:
        before = tracemalloc.get_traced_memory()[0]
        window.open_article(article_id)  # type: ignore[attr-defined]
        wait_settled(window)
        gc.collect()
        return (tracemalloc.get_traced_memory()[0] - before) / 2**20
    finally:
        tracemalloc.stop()


if __name__ == "__main__":
    main()
