"""The workbench window: the articles pane, the highlighted text, the claims pane and the claim
editor, composed; and the one door every change comes through (apply_changes).

Whoever made a change (this window, its undo stack, or another process noticed by the live
poll), the service's ChangeSet is applied here, and only here: the window loads what changed
and updates the table, the highlights, the panel, the counts and the article list from it.

Somewhat over 400 lines, on purpose: the one door and the selection it keeps consistent (table,
highlight, panel) are read together. What the panes show, what the menus do and what the window
holds of the database live in the panes, actions.py, file_actions.py and desk.py; team mode's
presence and connection trouble in team_link.py.
"""

from __future__ import annotations

import getpass
from collections.abc import Callable, Iterable, Sequence
from typing import TYPE_CHECKING, TypeVar

from PySide6.QtCore import QSettings, Qt
from PySide6.QtGui import QCloseEvent, QUndoCommand, QUndoStack
from PySide6.QtWidgets import QApplication, QLabel, QMainWindow, QSplitter, QVBoxLayout, QWidget

from app.domain import ChangeSet, Claim, Conflict, HistoryEntry, RatingScale, Source
from app.domain.errors import USER_ERRORS, NotFound, StorageError
from app.domain.evidence import Evidence
from app.domain.languages import limited_notice
from app.domain.segments import Segment
from app.domain.sensitivity import SETTING_KEY as SENSITIVITY_KEY
from app.domain.sensitivity import Sensitivity
from app.evidence.paragraph import context_before
from app.ui import actions, dialogs
from app.ui.article_view import ArticleView
from app.ui.articles_pane import ArticlesPane, titled
from app.ui.claims_pane import ClaimsPane
from app.ui.desk import Desk
from app.ui.editor import ClaimEditor
from app.ui.file_actions import FileActions
from app.ui.live import POLL_MS, LiveRefresh, lost_connection
from app.ui.revisions import RevisionsUi
from app.ui.source_work import SourceWork
from app.ui.status import WindowStatus
from app.ui.tasks import SyncRunner, TaskRunner
from app.ui.team_link import TeamLink
from app.ui.undo import Command, MarkClaim

if TYPE_CHECKING:  # a type only: importing the services loads SQLAlchemy (app.first_screen)
    from app.services import Workbench

_T = TypeVar("_T")


class MainWindow(QMainWindow):
    """Composes the panes; app.ui.actions.build gives it its menus' actions (`import_action`, …)."""

    def __init__(
        self, bench: Workbench, db_label: str, settings: QSettings, runner: TaskRunner | None = None,
        live_ms: int = POLL_MS,
    ) -> None:
        super().__init__()
        self._bench = self.bench = bench
        # Team mode: the server signs every change with the login; a name typed on this machine
        # once does not count there (and would make a superuser's window act as someone else).
        self.team = bool(bench.login)
        if not self.team:
            bench.actor = str(settings.value("reviewer", "") or "")
        # Before anything is read: a change made while the window loads is applied, not missed.
        self.live = LiveRefresh(bench, live_ms, self, threaded=self.team)
        self.live.start()
        self.undo_stack = QUndoStack(self)
        self.runner = runner or TaskRunner(self)
        self._settings = self.settings = settings
        # The open article and every claim of it; the table and the highlights show those the
        # sensitivity lets through, so changing it never needs the database.
        self.desk = Desk(bench, Sensitivity.parse(bench.setting(SENSITIVITY_KEY)))
        self._selecting = False
        self._scale_key = ""
        self.setWindowTitle("Claimdesk")
        self.resize(1400, 860)

        self.articles_pane = ArticlesPane()
        self.article_view = ArticleView()
        # A quiet line above the text, shown only where detection is limited (see app.domain.languages).
        self.article_notice = QLabel()
        self.article_notice.setObjectName("articleNotice")
        self.article_notice.setWordWrap(True)
        self.article_notice.hide()
        self.claims_pane = ClaimsPane(self.desk.sensitivity, self)
        self.editor = ClaimEditor(self)
        self.db_label = db_label  # the workspace: its database file or URL
        self.overview_window: QWidget | None = None  # Go › Desk overview, while it is open
        self.status = WindowStatus(self.statusBar(), db_label)
        self.files = FileActions(self)
        self._lay_out()
        self._expose_pane_widgets()
        actions.build(self)
        self.revisions_ui = RevisionsUi(self)  # revision picker, diff view, changed and orphaned claims

        self.apply_scale(bench.scale())
        self.articles_pane.articlePicked.connect(self._article_picked)
        self.articles_pane.searchRequested.connect(self._search)
        self.articles_pane.hitPicked.connect(self._open_search_hit)
        self.claims_pane.claimPicked.connect(self.select_claim)
        self.claims_pane.sensitivityPicked.connect(self.set_sensitivity)
        self.article_view.claimClicked.connect(self.select_claim)
        self.editor.earlier_checks.openRequested.connect(self.open_claim)
        self.status.reviewer_button.clicked.connect(self.change_reviewer)
        self.runner.busyChanged.connect(self.status.busy.setVisible)
        self.live.changed.connect(self._changed_elsewhere)
        self.link = TeamLink(self, self.team)  # who views what, and a lost connection
        self.status.show_reviewer(bench.actor, team=self.team)

        # Snapshots, link checks and archive copies: a worker thread, or run when a test asks.
        self.source_work = SourceWork(self, threaded=not isinstance(self.runner, SyncRunner))
        self.source_work.start()

        self._restore_state()
        self.reload_articles(select=self._settings.value("last_article", type=int) or None)

    def _lay_out(self) -> None:
        article_box = QWidget()
        article_layout = QVBoxLayout(article_box)
        article_layout.setContentsMargins(0, 0, 0, 0)
        article_layout.setSpacing(4)
        article_layout.addWidget(self.article_notice)
        article_layout.addWidget(self.article_view)
        right = self.claims_splitter = QSplitter(Qt.Orientation.Vertical)
        right.setObjectName("claimsSplitter")
        right.addWidget(titled("Claims", self.claims_pane))
        right.addWidget(self.editor)
        right.setChildrenCollapsible(False)
        # The table gets three fifths: at least 12 rows at 1366×768; the editor scrolls.
        right.setStretchFactor(0, 3)
        right.setStretchFactor(1, 2)
        right.setSizes([600, 400])
        self.splitter = QSplitter(Qt.Orientation.Horizontal)
        self.splitter.addWidget(self.articles_pane)
        self.splitter.addWidget(article_box)
        self.splitter.addWidget(right)
        self.splitter.setStretchFactor(0, 0)
        self.splitter.setStretchFactor(1, 3)
        self.splitter.setStretchFactor(2, 4)
        self.splitter.setSizes([210, 480, 740])  # the claims table needs room for the claim itself
        self.setCentralWidget(self.splitter)

    def _expose_pane_widgets(self) -> None:
        """The panes' widgets under the names the shortcuts, benchmarks and tests have always used."""
        left = self.articles_pane
        self.articles, self.search, self.search_results, self.left_stack = (
            left.articles, left.search, left.search_results, left.left_stack)
        pane = self.claims_pane
        self.model, self.proxy, self.table, self.counts = pane.model, pane.proxy, pane.table, pane.counts
        self.state_filter, self.verdict_filter = pane.state_filter, pane.verdict_filter
        self.kind_filter, self.speaker_filter = pane.kind_filter, pane.speaker_filter
        self.sensitivity_actions, self.sensitivity_buttons = pane.sensitivity_actions, pane.sensitivity_buttons
        self.sensitivity_group = pane.sensitivity_group
        status = self.status
        self.progress_label, self.hidden_label = status.progress_label, status.hidden_label
        self.reviewer_button, self.busy = status.reviewer_button, status.busy

    # -- the one door ---------------------------------------------------------------------

    def apply_changes(self, changes: ChangeSet, *, loaded: Iterable[Claim] = (), focus: int | None = None) -> None:
        """Show what a write changed, whoever wrote it. `loaded`: claims the caller already holds
        as stored (no second read); `focus`: the claim to select and show as stored (undo and
        redo, a new claim). Applying the same ChangeSet twice changes nothing more."""
        loaded = tuple(loaded)
        if changes.sources_added or changes.sources_updated:
            self.source_work.wake()  # a new link to snapshot (and perhaps to archive)
        current = self.editor.claim.id if self.editor.claim else None
        near = self.model.row_of(current) if current is not None else None
        refilled = bool(changes.settings) and self._apply_settings(changes)
        listed = set(self.articles_pane.ids())
        open_id = self.desk.article.id if self.desk.article else None
        if (changes.articles_added - listed or changes.articles_removed & listed or changes.articles_updated
                or changes.article_ids - {open_id}):
            self.reload_articles()  # counts, titles, articles come or gone; the open one stays open
        if self.desk.article is None or self.desk.article.id != open_id:
            return  # the open article went away, and another is open now
        redraw = self.desk.update(changes, loaded, lambda i: self.model.claim(i) is not None,
                                  keep=current if focus is None else None)
        if redraw.reset or open_id in changes.articles_updated:
            self.revisions_ui.text_changed()  # a new revision: its text, revisions and orphans
        else:
            self.revisions_ui.claims_changed(redraw.claims)  # one taken or orphaned: the orphans' list
        if redraw.article:
            self.setWindowTitle(f"{self.desk.article.title} — Claimdesk")
        if redraw.reset:
            self._show_claims()
        else:
            for claim in redraw.claims:
                if self.model.claim(claim.id) is not None:
                    self.claims_pane.replace(claim)
                    self.article_view.highlighter.set_look(claim.id, claim.colour, claim.accepted)
            self._update_progress()
        if focus is not None:
            self.select_claim(focus, force=True)
        elif current is not None and current not in self.desk.ids():  # it went away: stay near where it was
            claims = self.model.claims()
            self.select_claim(claims[min(near or 0, len(claims) - 1)].id if claims else None, force=True)
        elif current is not None and self.editor.claim is not None and self.editor.claim.id == current:
            if redraw.reset or refilled:
                self._mark_selected(current)
            claim = self.desk.claim(current)
            if claim is not None and (redraw.reset or any(c.id == current for c in redraw.claims)):
                self.editor.refresh(claim, self._history(current))
                self.editor.show_evidence(self._evidence(current))

    def _apply_settings(self, changes: ChangeSet) -> bool:
        """The workspace's scale or sensitivity, changed here or elsewhere. True if the table was
        filled again (its selection has to be put back)."""
        refilled = False
        if changes.scale_changed:
            scale = self._bench.scale()
            refilled = scale.key != self._scale_key  # this window's own switch comes back here too
            if refilled:
                self.apply_scale(scale)
        if SENSITIVITY_KEY in changes.settings:
            step = Sensitivity.parse(self._bench.setting(SENSITIVITY_KEY))
            self.claims_pane.show_sensitivity(step)
            if step is not self.desk.sensitivity:
                self.desk.sensitivity = step
                self._show_claims()
                refilled = True
        return refilled

    def _changed_elsewhere(self, changes: ChangeSet, messages: Sequence[str]) -> None:
        """Another process wrote (or this one: applying twice is harmless); say so quietly."""
        claim, unsaved = self.editor.claim, self.editor.unsaved()
        if claim is not None and claim.id in changes.claims_removed and unsaved:
            # Deleted elsewhere while the user typed: nothing to write it to, so keep it for them.
            QApplication.clipboard().setText("\n\n".join(unsaved.values()))
            messages = (*messages, f"Claim {claim.id} was deleted elsewhere: your unsaved text is on the clipboard")
        self.apply_changes(changes)
        if messages:
            self.status.say(" · ".join(messages))

    def conflict(self, conflict: Conflict, command: QUndoCommand | None) -> None:
        """A write refused because someone changed the record since it was read: show what is
        stored now, through the one door, and let the panel ask whose value stays."""
        current = conflict.current
        if isinstance(current, Claim):
            self.apply_changes(ChangeSet(article_ids=frozenset({current.article_id}),
                                         claim_ids=frozenset({current.id})), loaded=(current,))
            self.editor.refused(conflict, command)
            return
        self.show_error(str(conflict))
        if isinstance(current, Source) and self.desk.article is not None:  # its claim, as stored now
            self.apply_changes(ChangeSet(article_ids=frozenset({self.desk.article.id}),
                                         claim_ids=frozenset({current.claim_id})))

    def _evidence(self, claim_id: int) -> list[Evidence]:
        return self._read(lambda: self._bench.evidence(claim_id), [])

    def _history(self, claim_id: int) -> list[HistoryEntry]:
        return self._read(lambda: self._bench.history(claim_id), [])

    def _read(self, read: Callable[[], _T], otherwise: _T) -> _T:
        """A read for the panel: the claim gone, or the team server out of reach (said once, in
        the status bar), shows `otherwise`; the panel is read again once the server is back
        (TeamLink). While the server is known to be away it is not tried (see server_away)."""
        if self.server_away():
            return otherwise
        try:
            return read()
        except NotFound:
            return otherwise
        except StorageError as exc:
            if not lost_connection(exc):
                raise
            self.live.report_lost(exc)
            return otherwise

    # -- scale and sensitivity ------------------------------------------------------------

    @property
    def sensitivity(self) -> Sensitivity:
        return self.desk.sensitivity

    def apply_scale(self, scale: RatingScale) -> None:
        """Show the workspace's scale everywhere: the verdict list and keys, the filter, the flags."""
        self._scale_key = scale.key
        actions.show_scale(self, scale)
        self.claims_pane.set_scale(scale)
        self.editor.set_scale(scale)

    def set_sensitivity(self, step: Sensitivity) -> None:
        """Hide or show suggestions at once, in the table and the text; stored for the workspace.
        Nothing is deleted, and the selected claim stays selected while it is still shown."""
        self.claims_pane.show_sensitivity(step)
        if step is self.desk.sensitivity:
            return
        self.editor.flush()
        if self.guard(lambda: self._bench.set_setting(SENSITIVITY_KEY, step.stored()) or True) is None:
            self.claims_pane.show_sensitivity(self.desk.sensitivity)
            return
        self.desk.sensitivity = step
        selected = self.editor.claim.id if self.editor.claim else None
        self._show_claims()
        self.select_claim(selected if selected is not None and self.model.claim(selected) else None)

    def _show_claims(self) -> None:
        """Put the open article's claims that the sensitivity lets through in the table and the text."""
        visible = self.desk.visible()
        self.claims_pane.show_claims(visible)
        self.article_view.set_claims(visible)
        self._update_progress()

    def _show_notice(self, segments: Sequence[Segment]) -> None:
        notice = limited_notice(segments)
        self.article_notice.setText(notice)
        self.article_notice.setToolTip(
            "The check-worthiness model reads English; French and Russian get the rules."
            " Other languages get only figures and dates." if notice else ""
        )
        self.article_notice.setVisible(bool(notice))

    # -- articles -------------------------------------------------------------------------

    def reload_articles(self, select: int | None = None) -> None:
        """The article list read again; the open article stays open (or `select` opens). Not read
        while the database cannot be (the line says why): the list stays as it was."""
        listed = self.guard(self._bench.articles)
        if listed is None:
            return
        article = self.desk.article
        shown = self.articles_pane.show_articles(listed, select or (article.id if article else None))
        if shown is None or article is None or shown != article.id:
            self.open_article(shown)
        else:
            self._update_progress()  # the list's line for the open article, from the claims held

    def _article_picked(self, article_id: int | None) -> None:
        if self.desk.article is not None and article_id == self.desk.article.id:
            return
        self.open_article(article_id)

    def open_article(self, article_id: int | None) -> None:
        self.editor.flush()
        article = self.guard(lambda: self._bench.article(article_id)) if article_id is not None else None
        if article is None and article_id is not None and self.live.trouble and self.desk.article is not None:
            self.articles_pane.mark_current(self.desk.article.id)  # the server is away: stay where you are
            return
        self.desk.open(article)
        self.revisions_ui.article_shown()
        if article is None:
            self.article_view.show_article("", [])
            self._show_notice([])
            self.claims_pane.show_claims([])
            self.editor.show_claim(None)
            self.setWindowTitle("Claimdesk")
            self._update_progress()
            return
        self.setWindowTitle(f"{article.title} — Claimdesk")
        self.articles_pane.mark_current(article.id)  # opened from a search hit or a restart: select it too
        visible = self.desk.visible()
        self.claims_pane.show_claims(visible)
        segments = self._bench.segments(article.id)
        self.article_view.show_article(article.text, visible, segments)
        self._show_notice(segments)
        self.editor.show_claim(None)
        self._settings.setValue("last_article", article.id)
        self._update_progress()
        first = next((c for c in self.model.claims() if c.needs_work), None)
        if first is not None:
            self.select_claim(first.id)

    def _update_progress(self) -> None:
        """Counts, progress and the article's line in the list, from the claims already held."""
        self.claims_pane.update_counts()
        self.status.show_hidden(self.desk.hidden(), self.desk.sensitivity)
        article = self.desk.article
        if article is None:
            self.status.show_progress(None)
            return
        done, total = self.status.show_progress(self.model.tally)
        self.articles_pane.show_progress(article.id, article.title, done, total)

    # -- search ---------------------------------------------------------------------------

    def _search(self, query: str) -> None:
        if query:
            from app.ui.search_task import run_search  # on first search, not at start-up

            run_search(self, query)

    def open_claim(self, article_id: int, claim_id: int) -> None:
        """Open a claim of any article, as a search hit or the desk overview does."""
        self._open_search_hit(article_id, claim_id)

    def _open_search_hit(self, article_id: int, claim_id: int) -> None:
        if self.desk.article is None or self.desk.article.id != article_id:
            self.reload_articles(select=article_id)
            if self.desk.article is None or self.desk.article.id != article_id:
                return  # it could not be read now: the line says why, and the article shown stays
        self.claims_pane.clear_filters()
        self.select_claim(claim_id)
        hidden = self.desk.claim(claim_id)
        if hidden is not None and self.model.claim(claim_id) is None and hidden.score is not None:
            self.status.say(
                f"That suggestion scores {hidden.score:.2f} and is hidden (sensitivity: {self.sensitivity.value});"
                " Claim › Sensitivity › More suggestions shows more."
            )

    def clear_filters(self) -> None:
        self.claims_pane.clear_filters()

    # -- selection: text, table and editor agree ---------------------------------------------

    def select_claim(self, claim_id: int | None, force: bool = False) -> None:
        if self._selecting:
            return
        if force:  # the editor must not write what it shows now over what is stored
            self.editor.discard_pending()
        self._selecting = True
        try:
            claim = self.model.claim(claim_id) if claim_id is not None else None
            self._mark_selected(claim.id if claim else None)
            if claim is None:
                self.editor.show_claim(None)
                self.link.viewing(None)
                return
            self.article_view.reveal(claim)
            self.editor.show_claim(claim, self.model.place(claim.id), self.model.rowCount())
            self.editor.show_history(self._history(claim.id))
            article = self.desk.article
            self.editor.show_evidence(self._evidence(claim.id), context_before(article.text, claim.start) if article else "")
            self.editor.header.show_viewers(self.model.viewers(claim.id))
            self.link.viewing(claim.id)
        finally:
            self._selecting = False

    def _mark_selected(self, claim_id: int | None) -> None:
        """The highlight and the table row, without touching the panel."""
        self.article_view.highlighter.set_selected(claim_id)
        self.claims_pane.select(claim_id)

    def visible_claim_ids(self) -> list[int]:
        """Claims in the table's current order and filter: what J and K walk through."""
        return self.claims_pane.visible_ids()

    # -- actions on the article and the desk ----------------------------------------------

    def server_away(self) -> bool:
        """Team mode, the server known to be out of reach: a read or an action is not tried, since
        a server that stopped answering would hold the window for the dead-server timeout each
        time. The poll is asked to try again at its next tick instead of after its back-off."""
        if not (self.team and self.live.trouble):
            return False
        self.live.try_soon()
        return True

    def reread_panel(self) -> None:
        """The selected claim's history and evidence, read again (the server is back)."""
        claim = self.editor.claim
        if claim is not None:
            self.editor.show_history(self._history(claim.id))
            self.editor.show_evidence(self._evidence(claim.id))

    def guard(self, action: Callable[[], _T]) -> _T | None:
        if self.server_away():
            self.status.say("Not done: the team database is out of reach; trying to reconnect.")
            return None
        try:
            return action()
        except USER_ERRORS as exc:
            self.refused(exc)
            return None

    def refused(self, error: Exception) -> None:
        """An action stopped by the database or the input (never a bug: app.domain.errors), in one
        line: the team server out of reach in the status bar, which keeps saying so; anything else in
        a dialog. Also what the crash handler does with such an error that no action caught."""
        if lost_connection(error):
            self.live.report_lost(error)
            self.status.say(f"Not done: {error}")
        else:
            dialogs.show_error(self, str(error))

    def change_reviewer(self) -> None:
        if self.team:  # the server signs with the login: there is no name to change here
            self.status.say(f"On the team database your changes are signed by your login, {self._bench.actor};"
                            " to work as someone else, open Claimdesk with their login.")
            return
        name = dialogs.ask_reviewer_name(self, self._bench.actor)
        if name:
            self._bench.actor = name
            self._remember_reviewer(name)
            if self.editor.claim is not None:  # who may approve depends on who is reviewing
                self.select_claim(self.editor.claim.id, force=True)

    def _remember_reviewer(self, name: str) -> None:
        self._settings.setValue("reviewer", name)
        self.status.show_reviewer(name)

    def mark_selection(self) -> None:
        if self.desk.article is None:
            return
        selection = self.article_view.selection_offsets()
        if selection is None:
            dialogs.show_error(self, "Select some text of the article to mark it as a claim.")
            return
        self.push(MarkClaim(self, self.desk.article.id, *selection))

    # -- undo target ----------------------------------------------------------------------

    def push(self, command: QUndoCommand) -> None:
        """Every change goes through the undo stack. The history needs a name: asked once."""
        if not self._bench.actor:
            name = dialogs.ask_reviewer_name(self) or getpass.getuser()
            self._bench.actor = name
            self._remember_reviewer(name)
        if self.link.keeps(command):  # the team server is away: sent once it is back
            return
        if not isinstance(command, Command) or command.run():  # refused: one line shown, stack unchanged
            self.undo_stack.push(command)

    def undo(self) -> None:
        self.editor.flush()
        self.undo_stack.undo()

    def redo(self) -> None:
        self.editor.flush()
        self.undo_stack.redo()

    def show_error(self, message: str) -> None:
        dialogs.show_error(self, message)

    def write_failed(self, error: Exception, command: QUndoCommand) -> None:
        """A command's first write refused: the team server out of reach is said in the status
        bar and the edit kept (see TeamLink); anything else at once."""
        if not self.link.write_failed(error, command):
            self.show_error(str(error))

    # -- state ----------------------------------------------------------------------------

    def _restore_state(self) -> None:
        geometry = self._settings.value("geometry")
        if geometry is not None:
            self.restoreGeometry(geometry)
        for key, splitter in (("splitter", self.splitter), ("claims_splitter", self.claims_splitter)):
            state = self._settings.value(key)
            if state is not None:
                splitter.restoreState(state)

    def closeEvent(self, event: QCloseEvent) -> None:  # noqa: N802 (Qt's name)
        self.editor.flush()
        self.live.stop()
        self.source_work.stop()  # its jobs are rows: what is left runs at the next start
        self.link.viewing(None)  # the others' "also open" goes at once
        self._settings.setValue("geometry", self.saveGeometry())
        self._settings.setValue("splitter", self.splitter.saveState())
        self._settings.setValue("claims_splitter", self.claims_splitter.saveState())
        self._settings.sync()
        super().closeEvent(event)
