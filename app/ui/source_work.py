"""The window's side of sources that last: the background worker that runs the job queue
(snapshots, link checks, web archive copies), the network's reachability, the Sources menu and
the status bar's line about it.

The jobs are rows (app/services/links.py), so this only decides when to run them: at once when
a source is added or a check asked for; when the network comes back (Qt's QNetworkInformation,
where a backend is available); and otherwise every RETRY_MS, which is also the fallback where Qt
cannot tell whether the machine is online. Results come back as ChangeSets, through the
window's one door (apply_changes).
"""

from __future__ import annotations

import logging
import threading
from datetime import datetime
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Qt, QTimer, Signal
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QLabel, QProgressBar

from app.domain import ChangeSet
from app.domain.errors import USER_ERRORS
from app.domain.links import ARCHIVE_KEY

if TYPE_CHECKING:  # types only: importing the services loads SQLAlchemy (app.first_screen)
    from app.services import Workbench
    from app.services.links import Job
    from app.ui.main_window import MainWindow

log = logging.getLogger(__name__)

RETRY_MS = 60_000  # without word from Qt about the network, look at the queue this often


def waiting_line(jobs: int) -> str:
    return f"{jobs} source check{'s' if jobs != 1 else ''} waiting for the network"


class NetworkWatch(QObject):
    """Whether the machine is online, from QNetworkInformation where a backend loads (on Linux:
    NetworkManager, glib or connman); None where Qt cannot tell, and then the worker just tries."""

    changed = Signal()

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._info = None
        self._forced: bool | None = None
        self._watching = False
        # Read on the UI thread, kept here for the worker thread to look at.
        self._online: bool | None = None

    def watch(self) -> None:
        """Ask Qt for the network's reachability, once, on the UI thread. Only when there is a job
        to run: with an empty queue nothing asks whether the machine is online, and loading
        QtNetwork's backend at every start cost about 10 ms and 7 MiB (measured)."""
        if self._watching:
            return
        self._watching = True
        try:
            from PySide6.QtNetwork import QNetworkInformation

            if QNetworkInformation.loadBackendByFeatures(QNetworkInformation.Feature.Reachability):
                self._info = QNetworkInformation.instance()
        except (ImportError, RuntimeError) as exc:  # a wheel without QtNetwork's plug-ins
            log.info("no network reachability from Qt: %s", exc)
        self._online = self._reach()
        if self._info is not None:
            self._info.reachabilityChanged.connect(self._reachability_changed)

    @property
    def backend(self) -> str:
        return self._info.backendName() if self._info is not None else ""

    def _reach(self) -> bool | None:
        if self._info is None:
            return None
        from PySide6.QtNetwork import QNetworkInformation

        reach = self._info.reachability()
        if reach == QNetworkInformation.Reachability.Unknown:
            return None
        return reach != QNetworkInformation.Reachability.Disconnected

    def _reachability_changed(self, _reach: object) -> None:
        self._online = self._reach()
        self.changed.emit()

    def online(self) -> bool | None:
        return self._forced if self._forced is not None else self._online

    def force(self, online: bool | None) -> None:
        """Tests (and a user's "work offline", should it come): overrule what Qt says."""
        self._forced = online
        self.changed.emit()


class SourceWork(QObject):
    """Runs due jobs on a thread of its own (`threaded`), or on the UI thread when asked
    (`run_due`: tests, with the window's synchronous task runner)."""

    changed = Signal(object)  # a ChangeSet, from whichever thread ran the job
    finished = Signal(object)  # the Job just done
    counted = Signal(int)  # jobs in the queue, after each look at it

    def __init__(self, window: MainWindow, *, threaded: bool = True, retry_ms: int = RETRY_MS) -> None:
        super().__init__(window)
        self._window = window
        self._bench: Workbench = window.bench
        self._threaded = threaded
        self.network = NetworkWatch(self)
        self._wake = threading.Event()
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        self._batch = [0, 0]  # the article check under way: done, of
        self._add_status(window)
        self._add_menu(window)
        self.changed.connect(window.apply_changes, Qt.ConnectionType.QueuedConnection)
        self.finished.connect(self._finished, Qt.ConnectionType.QueuedConnection)
        self.counted.connect(self._show_count, Qt.ConnectionType.QueuedConnection)
        self.network.changed.connect(self.wake)
        self._timer = QTimer(self)
        self._timer.setInterval(retry_ms)
        self._timer.timeout.connect(self.wake)
        self._timer.start()
        waiting = self._count()
        if waiting:  # jobs left from an earlier session: whether they can run depends on the network
            self.network.watch()
        self._show_count(waiting)

    # -- the window's parts ----------------------------------------------------------------

    def _add_status(self, window: MainWindow) -> None:
        bar = window.statusBar()
        self.waiting_label = QLabel()
        self.waiting_label.setObjectName("sourcesWaitingLabel")
        self.waiting_label.setToolTip(
            "Snapshots, link checks and web archive copies wait in the database and run when the"
            " network is back; closing Claimdesk loses none.")
        self.waiting_label.hide()
        bar.addPermanentWidget(self.waiting_label)
        self.progress = QProgressBar()
        self.progress.setObjectName("sourceCheckProgress")
        self.progress.setFormat("Checking sources %v/%m")
        self.progress.setTextVisible(True)
        self.progress.setMaximumWidth(200)
        self.progress.hide()
        bar.addPermanentWidget(self.progress)

    def _add_menu(self, window: MainWindow) -> None:
        from app.ui.actions import action

        self.check_action = action(window, "&Check sources of this article", "Ctrl+Shift+K", self.check_article)
        self.check_action.setStatusTip("Open each source's link: ok, redirected, gone, unreachable, or changed.")
        self.archive_action = QAction("Send new sources to the &Internet Archive", window)
        self.archive_action.setCheckable(True)
        self.archive_action.setStatusTip(
            "Each new source's link goes to web.archive.org (Save Page Now) for a public copy. Off by default.")
        self.archive_action.setChecked(self._bench.links.archiving())
        self.archive_action.toggled.connect(self.set_archiving)
        bar = window.menuBar()
        menu = bar.addMenu("&Sources")
        actions = bar.actions()
        if len(actions) > 1 and actions[-2].text().replace("&", "") == "Help":  # before Help, as menus go
            bar.insertMenu(actions[-2], menu)
        menu.addAction(self.check_action)
        menu.addSeparator()
        menu.addAction(self.archive_action)
        self.menu = menu

    # -- what the menu does ----------------------------------------------------------------

    def check_article(self) -> None:
        article = self._window.desk.article
        if article is None:
            self._window.status.say("Open an article first: its sources are checked.")
            return
        queued = self._window.guard(lambda: self._bench.links.queue_checks(article.id))
        if not queued:
            self._window.status.say("No claim of this article has a source to check.")
            return
        self._batch = [0, queued]
        self.progress.setRange(0, queued)
        self.progress.setValue(0)
        self.progress.show()
        self.wake()

    def set_archiving(self, on: bool) -> None:
        changes = self._window.guard(lambda: self._bench.set_setting(ARCHIVE_KEY, "on" if on else ""))
        if changes is not None:
            self._window.status.say(
                "New sources will be sent to the Internet Archive." if on
                else "Nothing more is sent to the Internet Archive.")

    # -- running the queue -----------------------------------------------------------------

    def start(self) -> None:
        if self._threaded and self._thread is None:
            self._thread = threading.Thread(target=self._loop, name="claimdesk-sources", daemon=True)
            self._thread.start()

    def wake(self) -> None:
        """A source was added, a check asked for, the network came back, or the timer ran out."""
        if self._stop.is_set():  # the window closed: its queue is the next start's
            return
        self.network.watch()  # before the worker looks: there may be a job now
        if self._threaded:
            self._wake.set()
        else:
            self._show_count(self._count())

    def look_again(self) -> None:
        """Look at the queue now, without asking Qt about the network unless there is a job: the
        Workbench has just loaded (app.first_screen), and no job ran before."""
        if self._stop.is_set():  # it loaded after the window closed
            return
        if self._threaded:
            self._wake.set()
        else:
            self._show_count(self._count())

    def stop(self) -> None:
        """At close: a job under way finishes or is left leased; the next start runs it again."""
        self._stop.set()
        self._wake.set()
        self._timer.stop()
        if self._thread is not None:
            self._thread.join(0.5)

    def run_due(self, at: datetime | None = None) -> int:
        """Run every job due now on this thread (tests); how many ran."""
        ran = 0
        while self.network.online() is not False and (done := self._run_one(at)) is not None:
            ran += 1
            self.changed.emit(done[1])
            self.finished.emit(done[0])
        self.counted.emit(self._count())
        return ran

    def _run_one(self, at: datetime | None = None) -> tuple[Job, ChangeSet] | None:
        try:
            return self._bench.links.run_next(at)
        except USER_ERRORS as exc:  # the database locked or gone: the job stays, and is tried later
            log.info("source job not run: %s", exc)
            return None

    def _loop(self) -> None:
        while not self._stop.is_set():
            try:
                if self.network.online() is not False:
                    done = self._run_one()
                    if done is not None:
                        self.changed.emit(done[1])
                        self.finished.emit(done[0])
                        continue
                self.counted.emit(self._count())
            except Exception:  # a bug of ours must not end the worker silently: logged, and tried later
                log.exception("source job failed")
            self._wake.wait(self._pause())
            self._wake.clear()

    def _pause(self) -> float:
        try:
            due = self._bench.links.next_due()
        except USER_ERRORS:
            return RETRY_MS / 1000
        if due is None:
            return RETRY_MS / 1000
        return min(max((due - datetime.now()).total_seconds(), 0.5), RETRY_MS / 1000)

    def _count(self) -> int:
        try:
            return self._bench.links.waiting()
        except USER_ERRORS:
            return 0

    # -- on the UI thread ------------------------------------------------------------------

    def _finished(self, job: Job) -> None:
        from app.services.links import CHECK  # a job ran: the services are loaded

        if job.kind == CHECK and self._batch[1]:
            self._batch[0] += 1
            self.progress.setValue(min(self._batch[0], self._batch[1]))
            if self._batch[0] >= self._batch[1]:
                self._batch = [0, 0]
                self.progress.hide()
                self._window.status.say("Sources checked.")

    def _show_count(self, jobs: int) -> None:
        if jobs:
            self.network.watch()
        offline = self.network.online() is False
        self.waiting_label.setText(waiting_line(jobs) if offline and jobs else "")
        self.waiting_label.setVisible(offline and bool(jobs))
