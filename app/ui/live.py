"""Live refresh: about once a second, ask the service what other processes changed, and hand it on.

The poll itself is cheap (on SQLite one `PRAGMA data_version`, no query when nothing
happened: see Workbench.changes_since). What changed is emitted as a ChangeSet with short
lines for the status bar; the window applies it through the same door as its own edits.

In team mode the poll also says who else has which claim open (Workbench.viewers), and
notices a lost connection to the server: `lost` once, then `reconnected` when a poll gets
through again (its ChangeSet then holds what was missed: notifications are not replayed,
the history is). There it asks on a thread of its own and the answer comes back to the UI
thread: a try to reconnect to a server that does not answer waits for the connect timeout,
and a question sent to one gone silent for the dead-server timeout (app.storage.engine), and
neither may freeze the window. On SQLite the poll stays on the UI thread: it costs one PRAGMA,
and its connection must be the window's to tell the window's own commits from others'.
"""

from __future__ import annotations

import threading
from typing import TYPE_CHECKING, TypeAlias

from PySide6.QtCore import QObject, QTimer, Signal
from PySide6.QtWidgets import QApplication

from app.domain import ChangeToken, is_user_error
from app.domain.errors import StorageError

if TYPE_CHECKING:  # types only: importing the services loads SQLAlchemy (app.first_screen)
    from app.services import Workbench
    from app.services.history import Changes

    # What one poll learnt: where the database stands, what changed since the last poll (None
    # for the first token), who views what (None: not asked this time); or why it failed.
    Answer: TypeAlias = "tuple[ChangeToken, Changes | None, dict[int, tuple[str, ...]] | None] | Exception"

POLL_MS = 1000  # the issue asks for other processes' changes within 2 s
# Who views what is asked when the server notified something (a window that opens a claim
# notifies), and every few polls regardless: a window that closes or crashes notifies nobody.
VIEWERS_EVERY = 5
# While the server is away, polls space out (1, 2, 4, then every 8 ticks): each try to reconnect
# can block the window for the connect timeout when the network drops packets.
MAX_BACKOFF_TICKS = 8

# SQLSTATEs of a connection gone (class 08), a server shut down or restarting (57P01-03), and a
# session the server ended for idling in a transaction (25P03).
_GONE_STATES = ("08", "57P01", "57P02", "57P03", "25P03")


def lost_connection(error: BaseException) -> bool:
    """Whether a StorageError means the connection to the team server is gone (down, restarted,
    cut), as opposed to the server refusing or being busy: what is worth retrying by itself.

    Told from the driver's error the StorageError was raised from, not from its wording: libpq
    reports a broken socket as a bare OperationalError (no SQLSTATE), the server its shutdowns
    by SQLSTATE; SQLAlchemy marks a connection it had to throw away as invalidated."""
    if not isinstance(error, StorageError):
        return False
    seen: set[int] = set()
    todo: list[BaseException | None] = [error.__cause__, error.__context__]
    while todo:
        cause = todo.pop()
        if cause is None or id(cause) in seen:
            continue
        seen.add(id(cause))
        if getattr(cause, "connection_invalidated", False):
            return True
        if type(cause).__module__.startswith("psycopg"):
            state = getattr(cause, "sqlstate", None)
            if state is None and type(cause).__name__ in ("OperationalError", "InterfaceError"):
                return True
            if state is not None and state.startswith(_GONE_STATES):
                return True
        todo += [getattr(cause, "orig", None), cause.__cause__, cause.__context__]
    return False


def _ask(bench: Workbench, token: ChangeToken | None, trouble: bool, tick: int) -> Answer:
    """One poll's questions to the services, on whichever thread polls; never raises."""
    try:
        if token is None:  # the window opened while the server was away
            now, result = bench.change_token(), None
        else:
            result = bench.changes_since(token)
            now = result.token
        moved = token is None or now.stamp != token.stamp
        # Back from trouble, ask the server for real (on the write connections too): an
        # unchanged stamp costs no query, and proves nothing.
        viewers = bench.viewers() if moved or trouble or tick % VIEWERS_EVERY == 0 else None
    except Exception as exc:  # handed to the UI thread, which decides (see LiveRefresh._take)
        return exc
    return now, result, viewers


class _Answers(QObject):
    """Carries a poll's answer from its thread to the UI thread (a queued signal). Not a child
    of the LiveRefresh: a poll still waiting on the server may outlive a closed window."""

    answered = Signal(int, object)  # the poll's round (see LiveRefresh.stop), its Answer


class LiveRefresh(QObject):
    """Polls `bench.changes_since` on a QTimer and emits `changed(ChangeSet, messages)`;
    `viewers(dict)` when who else views which claim changed (team mode); `lost(line)` and
    `reconnected()` around connection trouble. `threaded` (team mode): each poll asks on a
    thread of its own, one poll at a time, and its answer is taken on the UI thread."""

    changed = Signal(object, object)  # ChangeSet, tuple[str, ...]
    viewers = Signal(object)  # dict[int, tuple[str, ...]]: claim id -> other people's logins
    lost = Signal(str)  # the StorageError's line: why
    reconnected = Signal()

    def __init__(self, bench: Workbench, interval_ms: int = POLL_MS, parent: QObject | None = None, *,
                 threaded: bool = False) -> None:
        super().__init__(parent)
        self._bench = bench
        self._answers: _Answers | None = None
        if threaded:
            self._answers = _Answers()
            self._answers.answered.connect(self._take)  # queued: emitted on the poll's thread
        self._round = 0  # moved on by stop(): a poll asked before it is not applied
        self._token: ChangeToken | None = None
        self._timer = QTimer(self)
        self._timer.setInterval(interval_ms)
        self._timer.timeout.connect(self.poll)
        self._polling = False
        self._viewers: dict[int, tuple[str, ...]] = {}
        self._ticks = 0
        self._backoff = 1  # while in trouble: ticks between tries
        self._wait = 0  # ticks left before the next try
        self.trouble = ""  # why the connection is down, "" while it is fine

    def start(self) -> None:
        """From now on: what is already in the database is what the window loaded."""
        try:
            self._token = self._bench.change_token()
        except StorageError as exc:
            if not lost_connection(exc):
                raise
            self.report_lost(exc)  # the first successful poll takes a token and says so
        self._timer.start()

    def stop(self) -> None:
        self._timer.stop()
        self._round += 1  # a poll still on its thread is not applied

    def try_soon(self) -> None:
        """While the server is away: the next tick tries it, whatever the back-off says (the
        user wants something from it now)."""
        self._wait = 0

    def report_lost(self, error: BaseException) -> None:
        """The connection is gone (a poll found out, or the window's own write or read did):
        say so once, and `reconnected` when a poll gets through again."""
        first = not self.trouble
        self.trouble = str(error) or "the connection was lost"
        if first:
            self.lost.emit(self.trouble)
        if self._viewers:  # who views what is unknown until the server answers again
            self._viewers = {}
            self.viewers.emit({})

    def poll(self) -> None:
        # Never while a dialog is open (the user is deciding something, maybe about this very
        # claim) nor while the last batch is still being applied: a conflict dialog runs its own
        # event loop, in which this timer keeps firing.
        if self._polling or QApplication.activeModalWidget() is not None:
            return
        if self._wait > 0:  # backing off while the server is away
            self._wait -= 1
            return
        self._polling = True  # until its answer is taken: one poll at a time
        bench, token, trouble, tick = self._bench, self._token, bool(self.trouble), self._ticks + 1
        answers, round_ = self._answers, self._round
        if answers is None:
            self._take(round_, _ask(bench, token, trouble, tick))
            return
        threading.Thread(target=lambda: answers.answered.emit(round_, _ask(bench, token, trouble, tick)),
                         name="claimdesk live poll", daemon=True).start()

    def _take(self, round_: int, answer: Answer) -> None:
        """A poll's answer, on the UI thread: applied, or its failure said."""
        try:
            if round_ != self._round:  # asked before stop(): the window is closing
                return
            if isinstance(answer, Exception):
                self._failed(answer)
                return
            if self._answers is not None and QApplication.activeModalWidget() is not None:
                return  # a dialog opened meanwhile: the next poll asks again from the same token
            self._applied(*answer)
        finally:
            self._polling = False

    def _failed(self, exc: Exception) -> None:
        if lost_connection(exc):
            was_lost = bool(self.trouble)
            self.report_lost(exc)
            if was_lost:
                self._backoff = min(self._backoff * 2, MAX_BACKOFF_TICKS)
            self._wait = self._backoff - 1
            return
        if is_user_error(exc):
            return  # the file is locked or gone for now: keep the token, try again next tick
        raise exc

    def _applied(self, now: ChangeToken, result: Changes | None, viewers: dict[int, tuple[str, ...]] | None) -> None:
        self._ticks += 1
        self._token = now
        if result is not None and result.changes:
            # after a reconnect: what was missed, applied before edits are retried
            self.changed.emit(result.changes, result.messages)
        if self.trouble:
            self.trouble = ""
            self._backoff, self._wait = 1, 0
            self.reconnected.emit()
        if viewers is not None and viewers != self._viewers:
            self._viewers = viewers
            self.viewers.emit(viewers)
