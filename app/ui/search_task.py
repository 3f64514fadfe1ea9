"""Search as you type, off the GUI thread: the query runs on the window's task runner and its
hits are shown only if the box still says what was searched (a later query's hits win)."""

from __future__ import annotations

import sys
from typing import TYPE_CHECKING

from app.domain import SearchHit
from app.domain.errors import is_user_error

if TYPE_CHECKING:
    from app.ui.main_window import MainWindow


SHOWN = 100  # hits listed; one more is asked for, to say when there are more


def run_search(window: MainWindow, query: str) -> None:
    bench, pane = window.bench, window.articles_pane

    def done(hits: list[SearchHit]) -> None:
        if pane.query() == query:
            pane.show_hits(query, hits[:SHOWN], more=len(hits) > SHOWN)

    def failed(error: Exception) -> None:
        if pane.query() != query:
            return  # nobody is waiting for these hits any more
        if is_user_error(error):
            def shown() -> None:
                raise error
            window.guard(shown)  # one line, or the status bar when the server is away
        else:  # a bug of ours: the crash handler logs it and tells the user where
            sys.excepthook(type(error), error, error.__traceback__)

    window.runner.run(lambda: bench.search(query, SHOWN + 1), done, failed)
