"""The window in team mode, on a real PostgreSQL server: who else has a claim open, a lost
connection said in one line and mended by itself without losing what was typed, and the
reviewer who is the login. Real windows, each logged in as its person; no mocks of the server."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager

import pytest
from conftest import SAMPLE, WAIT_MS, PgServer
from PySide6.QtCore import QPoint, Qt, QTimer
from sqlalchemy import Engine

from app.domain import Changes, ChangeSet, ChangeToken
from app.domain.errors import StorageError
from app.ingest import from_pasted
from app.services import Workbench
from app.storage.engine import make_engine, make_sessions
from app.storage.migrate import migrate
from app.ui import dialogs
from app.ui.application import settings
from app.ui.claims_model import Column, also_open
from app.ui.live import LiveRefresh, lost_connection
from app.ui.main_window import MainWindow
from app.ui.status import BACK, LOST
from app.ui.tasks import SyncRunner

pytestmark = pytest.mark.gui

SHOWN_WITHIN_MS = 2000  # the issue: other people's changes (and whereabouts) within 2 s
FAST_MS = 200  # the poll, where a test waits for several of them in a row

ENGINES: list[Engine] = []
BENCHES: list[Workbench] = []


@pytest.fixture
def team_url(pg: PgServer) -> Iterator[str]:
    name = pg.fresh()
    yield name
    while BENCHES:
        BENCHES.pop().close()
    while ENGINES:  # psycopg warns about a connection left open for the garbage collector
        ENGINES.pop().dispose()
    pg.drop(name)


@pytest.fixture
def errors(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Error dialogs, collected instead of shown: a dialog storm would fill this."""
    shown: list[str] = []
    monkeypatch.setattr(dialogs, "show_error", lambda _parent, message: shown.append(message))
    return shown


def desk(pg: PgServer, database: str, login: str | None = None) -> Workbench:
    """A Workbench logged in as `login` (None: the test superuser), as that person's window has."""
    engine = make_engine(pg.url(database, login))
    ENGINES.append(engine)
    migrate(engine)
    bench = Workbench(make_sessions(engine))
    BENCHES.append(bench)
    return bench


def seeded(pg: PgServer, database: str) -> tuple[Workbench, list[int]]:
    admin = desk(pg, database)
    (article,) = admin.seed([SAMPLE])
    return admin, [c.id for c in admin.claims(article.id)]


def window_as(qtbot, pg: PgServer, database: str, login: str | None, live_ms: int = 1000) -> MainWindow:  # type: ignore[no-untyped-def]
    window = MainWindow(desk(pg, database, login), pg.url(database, login), settings(), runner=SyncRunner(),
                        live_ms=live_ms)
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    return window


def click_claim(qtbot, window: MainWindow, claim_id: int) -> None:  # type: ignore[no-untyped-def]
    """A click on the claim's row of the table, as the user picks a claim."""
    row = window.model.row_of(claim_id)
    assert row is not None
    index = window.proxy.mapFromSource(window.model.index(row, Column.QUOTE))
    rect = window.table.visualRect(index)
    qtbot.mouseClick(window.table.viewport(), Qt.MouseButton.LeftButton, pos=QPoint(rect.x() + 30, rect.center().y()))
    assert window.editor.claim is not None and window.editor.claim.id == claim_id


def eye(window: MainWindow, claim_id: int) -> tuple[bool, str]:
    """What the claims table shows of a claim's viewers: the eye, and the row's tooltip."""
    row = window.model.row_of(claim_id)
    assert row is not None
    index = window.model.index(row, Column.QUOTE)
    return (window.model.data(index, Qt.ItemDataRole.DecorationRole) is not None,
            str(window.model.data(index, Qt.ItemDataRole.ToolTipRole)))


def also_open_line(window: MainWindow) -> str:
    """The line under the claim panel's heading, "" when it is not shown."""
    label = window.editor.header.viewers
    return label.text() if label.isVisibleTo(window) else ""


def test_the_words_for_who_else_has_a_claim_open() -> None:
    assert also_open(("ana",)) == "Also open in ana's window"
    assert also_open(("ana", "ben")) == "Also open in ana's and ben's windows"
    assert also_open(("ana", "ben", "cleo")) == "Also open in ana's, ben's and cleo's windows"


def test_bens_window_shows_the_claim_ana_has_open_and_forgets_it_when_she_moves_on(
    qtbot, pg: PgServer, team_url: str, errors: list[str],  # type: ignore[no-untyped-def]
) -> None:
    _, (first, second, third, *_) = seeded(pg, team_url)
    ana = window_as(qtbot, pg, team_url, "ana")
    ben = window_as(qtbot, pg, team_url, "ben")
    assert ben.editor.claim is not None and ben.editor.claim.id == first  # both open on the first claim

    click_claim(qtbot, ana, third)
    qtbot.waitUntil(lambda: eye(ben, third)[0], timeout=SHOWN_WITHIN_MS)
    assert "Also open in ana's window." in eye(ben, third)[1]
    qtbot.waitUntil(lambda: not eye(ben, first)[0], timeout=SHOWN_WITHIN_MS)  # she left the first one
    assert also_open_line(ben) == ""  # ben is on the first claim: nobody else is there now

    click_claim(qtbot, ben, third)  # ben opens the one ana has: the panel says so at once
    assert also_open_line(ben) == "Also open in ana's window"
    qtbot.waitUntil(lambda: also_open_line(ana) == "Also open in ben's window", timeout=SHOWN_WITHIN_MS)

    click_claim(qtbot, ana, second)  # she moves on
    qtbot.waitUntil(lambda: also_open_line(ben) == "", timeout=SHOWN_WITHIN_MS)
    assert not eye(ben, third)[0] and "Also open" not in eye(ben, third)[1]
    assert eye(ben, second)[0]
    assert also_open_line(ana) == ""

    ana.close()  # her window goes: so does the eye
    qtbot.waitUntil(lambda: not eye(ben, second)[0], timeout=SHOWN_WITHIN_MS)
    assert ben.model.viewers(second) == () and errors == []
    ben.close()


def test_a_window_on_sqlite_shows_nobody_else(qtbot, bench, sample_article) -> None:  # type: ignore[no-untyped-def]
    window = MainWindow(bench, "test.sqlite3", settings(), runner=SyncRunner(), live_ms=FAST_MS)
    qtbot.addWidget(window)
    window.show()
    assert window.editor.claim is not None and not window.team
    ticks: list[object] = []
    window.live.viewers.connect(ticks.append)
    qtbot.waitUntil(lambda: window.live._ticks >= 6, timeout=WAIT_MS)  # past a viewers check
    assert ticks == [] and also_open_line(window) == ""
    assert not any(eye(window, c.id)[0] for c in window.model.claims())
    window.close()


def _kill(pg: PgServer, database: str, login: str) -> None:
    """The server ends every session of `login` on the database: a restart, a cut cable."""
    pg.admin("SELECT pg_terminate_backend(pid) FROM pg_stat_activity"
             f" WHERE usename = '{login}' AND datname = '{database}'")


@contextmanager
def away(qtbot, pg: PgServer, database: str, window: MainWindow) -> Iterator[None]:  # type: ignore[no-untyped-def]
    """The server shuts ana out (her sessions ended, no way back in) for the block, which starts
    once her window has said in one line that the connection is lost."""
    label = window.status.connection_label
    pg.admin(f'ALTER DATABASE "{database}" ALLOW_CONNECTIONS false')
    try:
        _kill(pg, database, "ana")
        qtbot.waitUntil(lambda: label.isVisibleTo(window) and label.text() == LOST, timeout=WAIT_MS)
        yield
    finally:
        pg.admin(f'ALTER DATABASE "{database}" ALLOW_CONNECTIONS true')


def reads_tried(window: MainWindow, monkeypatch: pytest.MonkeyPatch, *names: str) -> list[str]:
    """The names of the window's service reads among `names`, as each is called from now on."""
    tried: list[str] = []
    for name in names:
        real = getattr(window.bench, name)
        monkeypatch.setattr(window.bench, name, lambda *args, _real=real, _name=name: (tried.append(_name), _real(*args))[1])
    return tried


def test_a_dropped_connection_is_one_line_then_reconnected_and_the_next_edit_is_stored(
    qtbot, pg: PgServer, team_url: str, errors: list[str],  # type: ignore[no-untyped-def]
) -> None:
    admin, (first, *_) = seeded(pg, team_url)
    window = window_as(qtbot, pg, team_url, "ana", live_ms=FAST_MS)
    label = window.status.connection_label
    seen: list[tuple[str, bool, str]] = []  # the status line as each "lost" left it
    window.live.lost.connect(lambda _why: seen.append((label.text(), label.isVisibleTo(window), label.toolTip())))

    _kill(pg, team_url, "ana")
    qtbot.waitUntil(lambda: label.text() == BACK and label.isVisibleTo(window), timeout=WAIT_MS)
    assert [(text, shown) for text, shown, _ in seen] == [(LOST, True)]  # said once, in one line
    assert "database" in seen[0][2] and "\n" not in seen[0][2] and "Traceback" not in seen[0][2]
    assert errors == []

    click_claim(qtbot, window, first)
    qtbot.keyClicks(window.editor.notes, "Rang the ministry again")
    qtbot.waitUntil(lambda: admin.claim(first).notes == "Rang the ministry again", timeout=WAIT_MS)
    assert admin.history(first)[-1].actor == "ana" and errors == []
    window.close()


def test_typing_while_the_server_is_away_is_kept_and_saved_when_it_is_back(
    qtbot, pg: PgServer, team_url: str, errors: list[str],  # type: ignore[no-untyped-def]
) -> None:
    admin, (first, second, *_) = seeded(pg, team_url)
    window = window_as(qtbot, pg, team_url, "ana", live_ms=FAST_MS)
    opened = window.desk.article.id
    other = admin.add_article(from_pasted("Port figures\n\nThe port handled 12 million tonnes in 2024."))[0].id
    qtbot.waitUntil(lambda: other in window.articles_pane.ids(), timeout=WAIT_MS)
    click_claim(qtbot, window, first)
    lost: list[str] = []
    window.live.lost.connect(lost.append)
    label = window.status.connection_label
    pg.admin(f'ALTER DATABASE "{team_url}" ALLOW_CONNECTIONS false')  # no way back in for now...
    try:
        _kill(pg, team_url, "ana")  # ...and out go the window's sessions
        qtbot.waitUntil(lambda: label.isVisibleTo(window) and label.text() == LOST, timeout=WAIT_MS)

        typed = "Asked the ministry; no answer yet"
        qtbot.keyClicks(window.editor.notes, typed)
        qtbot.waitUntil(lambda: window.editor.saved.text().startswith("Not saved yet"), timeout=WAIT_MS)
        assert window.editor.notes.toPlainText() == typed  # still in the form
        assert label.text() == f"{LOST} · 1 edit kept" and "saved once the connection is back" in label.toolTip()
        click_claim(qtbot, window, second)  # and moving on does not lose it either
        # Meanwhile ben, whose session the server kept, gives the second claim a verdict.
        admin.actor = "ben"
        admin.update_claim(second, verdict=admin.scale().rating("false"))
        polls: list[None] = []
        window.live._timer.timeout.connect(lambda: polls.append(None))
        qtbot.waitUntil(lambda: len(polls) >= 5, timeout=WAIT_MS)  # five polls, all failing...
        assert len(lost) == 1 and label.text().startswith(LOST) and errors == []  # ...one line, no dialog
        assert window.editor.verdict.currentText() != "False"  # not seen yet: the window cannot read
        window.articles_pane.pick(other)  # another article cannot be read now: stay on this one
        assert window.desk.article.id == opened and window.articles_pane.ids()[window.articles.currentRow()] == opened
        assert window.model.claim(first) is not None and errors == []
    finally:
        pg.admin(f'ALTER DATABASE "{team_url}" ALLOW_CONNECTIONS true')

    qtbot.waitUntil(lambda: label.text() == BACK, timeout=WAIT_MS)
    qtbot.waitUntil(lambda: admin.claim(first).notes == typed, timeout=WAIT_MS)
    assert admin.history(first)[-1].actor == "ana"
    # What was missed is read again on reconnecting: ben's verdict, in the table and the panel.
    qtbot.waitUntil(lambda: window.editor.verdict.currentText() == "False", timeout=WAIT_MS)
    assert window.model.claim(second).verdict_by == "ben"
    assert len(lost) == 1 and errors == []

    click_claim(qtbot, window, second)  # the next edit goes straight through
    qtbot.keyClicks(window.editor.summary, "Figures match the report")
    qtbot.waitUntil(lambda: admin.claim(second).summary == "Figures match the report", timeout=WAIT_MS)
    assert errors == []
    window.close()


def test_a_server_that_stops_answering_never_freezes_the_window(
    qtbot, pg: PgServer, team_url: str, monkeypatch: pytest.MonkeyPatch, errors: list[str],  # type: ignore[no-untyped-def]
) -> None:
    """A network cut leaves the poll waiting on the server, up to the dead-server timeout, and
    each try to reconnect for the connect timeout. It waits on its own thread: meanwhile the
    window goes on answering, and when the wait ends in failure it says so in one line."""
    import psycopg

    _admin, (first, second, *_) = seeded(pg, team_url)
    window = window_as(qtbot, pg, team_url, "ana", live_ms=FAST_MS)
    hanging, release = threading.Event(), threading.Event()

    def silent(_token: ChangeToken) -> Changes:
        hanging.set()
        release.wait(60)  # the server does not answer...
        try:  # ...until TCP gives up on it
            raise psycopg.OperationalError("server closed the connection unexpectedly")
        except psycopg.OperationalError as exc:
            raise StorageError("Cannot reach the database at team: server closed the connection") from exc

    monkeypatch.setattr(window.bench, "changes_since", silent)
    qtbot.waitUntil(hanging.is_set, timeout=WAIT_MS)  # a poll is stuck on the server
    started = time.monotonic()
    click_claim(qtbot, window, second)
    qtbot.keyClicks(window.editor.notes, "Typed while the server hangs")
    painted: list[None] = []
    QTimer.singleShot(0, lambda: painted.append(None))
    qtbot.wait(3 * FAST_MS)  # the event loop goes round: timers, frames, more polls' ticks
    assert painted and time.monotonic() - started < 5  # not the 60 s the poll is stuck for
    assert window.editor.claim is not None and window.editor.claim.id == second
    assert window.status.connection_label.text() != LOST and errors == []  # nothing known yet

    release.set()
    label = window.status.connection_label
    qtbot.waitUntil(lambda: label.isVisibleTo(window) and label.text().startswith(LOST), timeout=WAIT_MS)
    monkeypatch.undo()  # the network is back
    qtbot.waitUntil(lambda: label.text() == BACK, timeout=WAIT_MS)
    assert errors == []
    window.close()


def test_while_the_server_is_away_the_window_does_not_try_it_and_reads_again_once_back(
    qtbot, pg: PgServer, team_url: str, monkeypatch: pytest.MonkeyPatch, errors: list[str],  # type: ignore[no-untyped-def]
) -> None:
    """Once the poll knows the server is away, picking a claim or another article does not try
    it (a server gone silent would hold the window for the dead-server timeout at each click): the
    panel shows what it holds, the article stays, one line says why. Once back, the panel reads
    what it could not."""
    admin, (first, second, *_) = seeded(pg, team_url)
    admin.actor = "ben"
    admin.update_claim(second, notes="Called the port authority")  # a line of history to show
    window = window_as(qtbot, pg, team_url, "ana", live_ms=FAST_MS)
    opened = window.desk.article.id
    other = admin.add_article(from_pasted("Port figures\n\nThe port handled 12 million tonnes in 2024."))[0].id
    qtbot.waitUntil(lambda: other in window.articles_pane.ids(), timeout=WAIT_MS)
    click_claim(qtbot, window, first)
    label = window.status.connection_label
    with away(qtbot, pg, team_url, window):
        tried = reads_tried(window, monkeypatch, "article", "history", "evidence")
        click_claim(qtbot, window, second)
        assert window.editor.history.count() == 0  # not read: nothing shown rather than a frozen window
        window.articles_pane.pick(other)
        assert window.desk.article.id == opened and "out of reach" in window.statusBar().currentMessage()
        assert tried == [] and errors == []

    qtbot.waitUntil(lambda: label.text() == BACK, timeout=WAIT_MS)
    shown = lambda: [window.editor.history.item(i).text() for i in range(window.editor.history.count())]  # noqa: E731
    qtbot.waitUntil(lambda: any("Called the port authority" in line for line in shown()), timeout=WAIT_MS)
    assert window.editor.claim is not None and window.editor.claim.id == second and errors == []
    window.articles_pane.pick(other)  # and the other article opens again
    assert window.desk.article.id == other
    window.close()


def test_while_the_server_is_away_a_search_hit_and_the_report_do_not_try_it_and_work_once_back(
    qtbot, pg: PgServer, team_url: str, monkeypatch: pytest.MonkeyPatch, errors: list[str],  # type: ignore[no-untyped-def]
) -> None:
    """A search hit in another article and File › Export report read from the server. While it is
    known to be away neither tries it (nor ends in "Something went wrong"): the article shown
    stays, no dialog opens, one line says why. Once back, both do what they did."""
    from app.ui.export_dialog import ExportDialog

    admin, _ = seeded(pg, team_url)
    window = window_as(qtbot, pg, team_url, "ana", live_ms=FAST_MS)
    opened = window.desk.article.id
    other, _ = admin.add_article(from_pasted("Port figures\n\nThe port handled 12 million tonnes in 2024."))
    hit = admin.claims(other.id)[0].id
    qtbot.waitUntil(lambda: other.id in window.articles_pane.ids(), timeout=WAIT_MS)
    reports: list[int] = []  # the article of each export dialog opened (and cancelled)
    monkeypatch.setattr(ExportDialog, "ask", classmethod(lambda _cls, _parent, article, *_a, **_k: reports.append(article.id)))
    label = window.status.connection_label
    with away(qtbot, pg, team_url, window):
        tried = reads_tried(window, monkeypatch, "articles", "article", "claims", "setting")
        window.articles_pane.hitPicked.emit(other.id, hit)
        assert window.desk.article.id == opened and "out of reach" in window.statusBar().currentMessage()
        window.export_action.trigger()
        assert reports == [] and "out of reach" in window.statusBar().currentMessage()
        assert tried == [] and errors == []

    qtbot.waitUntil(lambda: label.text() == BACK, timeout=WAIT_MS)
    window.articles_pane.hitPicked.emit(other.id, hit)
    assert window.desk.article.id == other.id and window.editor.claim is not None and window.editor.claim.id == hit
    window.export_action.trigger()
    assert reports == [other.id] and errors == []
    window.close()


def test_in_team_mode_the_reviewer_button_shows_the_login_and_offers_no_other_name(
    qtbot, pg: PgServer, team_url: str, monkeypatch: pytest.MonkeyPatch, errors: list[str],  # type: ignore[no-untyped-def]
) -> None:
    asked: list[str] = []
    monkeypatch.setattr(dialogs, "ask_reviewer_name", lambda *args: asked.append("asked") or "Someone else")
    seeded(pg, team_url)
    settings().setValue("reviewer", "Ana Checker")  # typed on this machine long ago
    window = window_as(qtbot, pg, team_url, "ben")
    assert window.reviewer_button.text() == "Signed in as ben"
    assert "signs your changes with this login" in window.reviewer_button.toolTip()
    qtbot.mouseClick(window.reviewer_button, Qt.MouseButton.LeftButton)
    assert asked == [] and window.bench.actor == "ben" and window.reviewer_button.text() == "Signed in as ben"
    assert "signed by your login, ben" in window.statusBar().currentMessage()
    window.close()

    # A superuser's window (the admin's) could sign as any name: not as one typed long ago.
    admin = window_as(qtbot, pg, team_url, None)
    assert admin.bench.actor == admin.bench.login != "Ana Checker"
    assert admin.reviewer_button.text() == f"Signed in as {admin.bench.login}"
    assert errors == []
    admin.close()


class _AwayServer:
    """A Workbench whose server is away for the first `down` polls: what the poll asks of it."""

    def __init__(self, down: int) -> None:
        self.down = down
        self.tries: list[int] = []
        self.tick = 0

    def change_token(self) -> ChangeToken:
        return ChangeToken(0, 0, (), ())

    def changes_since(self, token: ChangeToken) -> Changes:
        import psycopg  # the driver's own error for a broken socket: no SQLSTATE

        self.tries.append(self.tick)
        if len(self.tries) <= self.down:
            try:
                raise psycopg.OperationalError("server closed the connection unexpectedly")
            except psycopg.OperationalError as exc:
                raise StorageError("Cannot reach the database at team: server closed the connection") from exc
        return Changes(ChangeSet(), (), ChangeToken(token.stamp + 1, 0, (), ()))

    def viewers(self) -> dict[int, tuple[str, ...]]:
        return {}


def test_while_the_server_is_away_the_poll_tries_less_often_and_says_it_once(qtbot) -> None:  # type: ignore[no-untyped-def]
    server = _AwayServer(down=5)
    live = LiveRefresh(server, 60_000)  # type: ignore[arg-type]  # ticks by hand below
    live.start()
    lost: list[str] = []
    back: list[None] = []
    live.lost.connect(lost.append)
    live.reconnected.connect(lambda: back.append(None))
    for server.tick in range(1, 25):
        live.poll()
    assert server.tries == [1, 2, 4, 8, 16, 24]  # a try can block for the connect timeout
    assert len(lost) == 1 and "Cannot reach" in lost[0] and len(back) == 1
    for server.tick in range(25, 28):  # back to every tick once it is back
        live.poll()
    assert server.tries[-3:] == [25, 26, 27] and len(lost) == 1


def test_only_a_connection_gone_counts_as_lost() -> None:
    import psycopg
    from psycopg import errors

    def raised(cause: BaseException) -> StorageError:
        try:
            try:
                raise cause
            except BaseException as exc:
                raise StorageError("one line") from exc
        except StorageError as error:
            return error

    assert lost_connection(raised(psycopg.OperationalError("connection refused")))
    assert lost_connection(raised(errors.AdminShutdown("terminating connection due to administrator command")))
    assert not lost_connection(raised(errors.LockNotAvailable("lock timeout")))  # busy: say it, do not wait
    assert not lost_connection(raised(errors.DiskFull("no space left")))
    assert not lost_connection(StorageError("a SQLite file that is locked"))
    assert not lost_connection(ValueError("not a StorageError at all"))
