"""The workbench window: articles, the highlighted text, the claims table and the claim editor."""

from __future__ import annotations

import getpass
import sys
from collections import Counter
from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

from PySide6.QtCore import QItemSelectionModel, QModelIndex, QSettings, Qt, QTimer
from PySide6.QtGui import QAction, QActionGroup, QCloseEvent, QKeySequence, QUndoCommand, QUndoStack
from PySide6.QtWidgets import (
    QAbstractItemView,
    QApplication,
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QMainWindow,
    QProgressBar,
    QSplitter,
    QStackedWidget,
    QTableView,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from app.domain import Article, Claim, Kind, RatingScale, State, clip
from app.domain.errors import USER_ERRORS, is_user_error
from app.domain.languages import limited_notice
from app.domain.segments import Segment
from app.domain.sensitivity import SETTING_KEY as SENSITIVITY_KEY
from app.domain.sensitivity import Sensitivity, hidden_count, is_shown
from app.ingest import ImportedText
from app.services import Workbench
from app.ui import dialogs
from app.ui.article_view import ArticleView
from app.ui.claims_model import NO_VERDICT, OFF_SCALE, ClaimFilter, ClaimTableModel, Column, Role
from app.ui.editor import ClaimEditor
from app.ui.tasks import TaskRunner
from app.ui.undo import Command, MarkClaim

_T = TypeVar("_T")
SEARCH_DELAY_MS = 200


class MainWindow(QMainWindow):
    def __init__(
        self, bench: Workbench, db_label: str, settings: QSettings, runner: TaskRunner | None = None
    ) -> None:
        super().__init__()
        self._bench = bench
        self.bench = bench
        bench.actor = str(settings.value("reviewer", "") or "")
        self.undo_stack = QUndoStack(self)
        self.runner = runner or TaskRunner(self)
        self._settings = settings
        self._article: Article | None = None
        # Every claim of the open article; the table and the highlights show those the
        # sensitivity lets through (see is_shown), so changing it never needs the database.
        self._claims: list[Claim] = []
        self.sensitivity = Sensitivity.parse(bench.setting(SENSITIVITY_KEY))
        self._selecting = False
        self.setWindowTitle("Claimdesk")
        self.resize(1400, 860)

        self.articles = QListWidget()
        self.articles.setObjectName("articleList")
        self.articles.setWordWrap(True)
        self.articles.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.article_view = ArticleView()
        # A quiet line above the text, shown only where detection is limited (see app.domain.languages).
        self.article_notice = QLabel()
        self.article_notice.setObjectName("articleNotice")
        self.article_notice.setWordWrap(True)
        self.article_notice.hide()
        article_box = QWidget()
        article_layout = QVBoxLayout(article_box)
        article_layout.setContentsMargins(0, 0, 0, 0)
        article_layout.setSpacing(4)
        article_layout.addWidget(self.article_notice)
        article_layout.addWidget(self.article_view)
        self.model = ClaimTableModel()
        self.proxy = ClaimFilter(self)
        self.proxy.setSourceModel(self.model)
        self.table = QTableView()
        self.table.setObjectName("claimTable")
        self.table.setModel(self.proxy)
        self.table.setSortingEnabled(True)
        self.table.sortByColumn(Column.NUMBER, Qt.SortOrder.AscendingOrder)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().hide()
        # Uniform rows, and widths measured on the first rows only: with thousands of claims,
        # measuring every row made opening an article take half a second.
        self.table.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        self.table.verticalHeader().setDefaultSectionSize(self.table.fontMetrics().height() + 10)
        self.table.setWordWrap(False)
        self.table.setAlternatingRowColors(True)
        header = self.table.horizontalHeader()
        header.setResizeContentsPrecision(64)
        header.setSectionResizeMode(Column.QUOTE, QHeaderView.ResizeMode.Stretch)
        for column in (Column.NUMBER, Column.KIND, Column.SCORE, Column.VERDICT, Column.STATE, Column.SOURCES):
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.ResizeToContents)
        self.editor = ClaimEditor(self)

        self.search = QLineEdit()
        self.search.setObjectName("searchBox")
        self.search.setPlaceholderText("Search all claims, notes, sources…")
        self.search.setClearButtonEnabled(True)
        self.search_results = QListWidget()
        self.search_results.setObjectName("searchResults")
        self.search_results.setWordWrap(True)
        self.left_stack = QStackedWidget()
        self.left_stack.addWidget(self.articles)
        self.left_stack.addWidget(self.search_results)
        self._search_timer = QTimer(self)
        self._search_timer.setSingleShot(True)
        self._search_timer.setInterval(SEARCH_DELAY_MS)
        self._search_timer.timeout.connect(self.run_search)
        self.search.textChanged.connect(lambda _text: self._search_timer.start())
        self.search_results.itemActivated.connect(self._open_search_hit)
        self.search_results.itemClicked.connect(self._open_search_hit)
        left = QWidget()
        left_layout = QVBoxLayout(left)
        left_layout.setContentsMargins(0, 0, 0, 0)
        left_layout.addWidget(self.search)
        left_layout.addWidget(_titled("Articles", self.left_stack))

        self.state_filter = _filter_combo("Any state", [(s.label, s) for s in State])
        self.verdict_filter = _filter_combo("Any verdict", [])
        self.kind_filter = _filter_combo("Any kind", [(k.label, k) for k in Kind])
        self.speaker_filter = _filter_combo("Anyone", [])
        self._filters = (self.state_filter, self.verdict_filter, self.kind_filter, self.speaker_filter)
        for combo in self._filters:
            combo.currentIndexChanged.connect(self._apply_filters)
        self.counts = QLabel()
        self.counts.setObjectName("countsLabel")
        self.counts.setWordWrap(True)
        filters = QHBoxLayout()
        for combo in self._filters:
            filters.addWidget(combo)
        claims_box = QWidget()
        claims_layout = QVBoxLayout(claims_box)
        claims_layout.setContentsMargins(0, 0, 0, 0)
        claims_layout.addLayout(self._sensitivity_bar())
        claims_layout.addLayout(filters)
        claims_layout.addWidget(self.table)
        claims_layout.addWidget(self.counts)

        right = QSplitter(Qt.Orientation.Vertical)
        right.addWidget(_titled("Claims", claims_box))
        right.addWidget(self.editor)
        right.setSizes([360, 500])
        self.splitter = QSplitter(Qt.Orientation.Horizontal)
        self.splitter.addWidget(left)
        self.splitter.addWidget(article_box)
        self.splitter.addWidget(right)
        self.splitter.setStretchFactor(0, 0)
        self.splitter.setStretchFactor(1, 3)
        self.splitter.setStretchFactor(2, 3)
        self.splitter.setSizes([200, 600, 700])  # the claims table needs room for the claim itself
        self.setCentralWidget(self.splitter)

        self.hidden_label = QLabel()
        self.hidden_label.setObjectName("hiddenLabel")
        self.hidden_label.setToolTip("Claim › Sensitivity › More suggestions shows them again; nothing is deleted.")
        self.hidden_label.hide()
        self.statusBar().addPermanentWidget(self.hidden_label)
        self.progress_label = QLabel()
        self.progress_label.setObjectName("progressLabel")
        self.progress_bar = QProgressBar()
        self.progress_bar.setMaximumWidth(180)
        self.progress_bar.setTextVisible(False)
        self.statusBar().addPermanentWidget(self.progress_label)
        self.statusBar().addPermanentWidget(self.progress_bar)
        db = QLabel(f"Database: {db_label}")
        db.setObjectName("dbLabel")
        self.statusBar().addWidget(db)
        self.reviewer_button = QToolButton()
        self.reviewer_button.setAutoRaise(True)
        self.reviewer_button.clicked.connect(self.change_reviewer)
        self.statusBar().addPermanentWidget(self.reviewer_button)
        self._show_reviewer(bench.actor)

        self.busy = QProgressBar()
        self.busy.setRange(0, 0)
        self.busy.setMaximumWidth(120)
        self.busy.hide()
        self.statusBar().addPermanentWidget(self.busy)
        self.runner.busyChanged.connect(self.busy.setVisible)

        self._build_actions()
        self.apply_scale(bench.scale())
        self.articles.currentItemChanged.connect(self._article_picked)
        self.table.selectionModel().selectionChanged.connect(self._table_selection_changed)
        self.article_view.claimClicked.connect(self.select_claim)

        self._restore_state()
        self.reload_articles(select=self._settings.value("last_article", type=int) or None)

    # -- actions --------------------------------------------------------------------------

    def _build_actions(self) -> None:
        menu = self.menuBar()
        file_menu = menu.addMenu("&File")
        self.import_action = _action(self, "&Import article…", QKeySequence.StandardKey.Open, self.import_article)
        self.open_url_action = _action(self, "Open &link…", "Ctrl+Shift+O", self.import_url)
        self.paste_action = _action(self, "New article from &clipboard", "Ctrl+Shift+V", self.import_clipboard)
        self.export_action = _action(self, "&Export report…", "Ctrl+E", self.export_report)
        self.details_action = _action(self, "Article &details…", "Ctrl+I", self.edit_details)
        self.delete_article_action = _action(self, "&Delete article…", None, self.delete_article)
        quit_action = _action(self, "&Quit", QKeySequence.StandardKey.Quit, self.close)
        for action in (self.import_action, self.open_url_action, self.paste_action, self.export_action, None,
                       self.details_action, self.delete_article_action, None, quit_action):
            if action is None:
                file_menu.addSeparator()
            else:
                file_menu.addAction(action)
        edit_menu = menu.addMenu("&Edit")
        # Own actions rather than createUndoAction: text still waiting to be saved is written first.
        self.undo_action = _action(self, "&Undo", QKeySequence.StandardKey.Undo, self.undo)
        self.redo_action = _action(self, "&Redo", "Ctrl+Shift+Z", self.redo)
        self.undo_action.setEnabled(False)
        self.redo_action.setEnabled(False)
        self.undo_stack.canUndoChanged.connect(self.undo_action.setEnabled)
        self.undo_stack.canRedoChanged.connect(self.redo_action.setEnabled)
        self.undo_stack.undoTextChanged.connect(lambda text: self.undo_action.setText(f"&Undo {text}".strip()))
        self.undo_stack.redoTextChanged.connect(lambda text: self.redo_action.setText(f"&Redo {text}".strip()))
        edit_menu.addAction(self.undo_action)
        edit_menu.addAction(self.redo_action)
        claim_menu = menu.addMenu("&Claim")
        self.mark_action = _action(self, "&Mark as claim", "Ctrl+M", self.mark_selection)
        self.delete_claim_action = _action(self, "&Delete claim…", QKeySequence.StandardKey.Delete, self.editor.delete_claim)
        self.add_source_action = _action(self, "Add &source…", "Ctrl+Shift+S", self.editor.add_source)
        self.accept_action = _action(self, "&Accept suggestion", "A", self.editor.accept_claim)
        self.reject_action = _action(self, "&Reject suggestion", "R", self.editor.reject_claim)
        self.redetect_action = _action(self, "Re-run &detection", "Ctrl+Shift+D", self.redetect)
        self.review_action = _action(self, "Send to re&view", "Ctrl+Shift+R",
                                     lambda: self.editor.set_state(State.IN_REVIEW))
        self.approve_action = _action(self, "A&pprove verdict", "Ctrl+Shift+A", self.editor.approve)
        self.reopen_action = _action(self, "Re&open approved claim…", None, self.editor.reopen)
        for action in (self.mark_action, self.accept_action, self.reject_action, self.add_source_action,
                       self.delete_claim_action, None, self.review_action, self.approve_action, self.reopen_action,
                       None, self.redetect_action):
            if action is None:
                claim_menu.addSeparator()
            else:
                claim_menu.addAction(action)
        self.sensitivity_menu = claim_menu.addMenu("Se&nsitivity")
        for action in self.sensitivity_actions.values():
            self.sensitivity_menu.addAction(action)
        nav_menu = menu.addMenu("&Go")
        self.next_action = _action(self, "&Next claim", "J", lambda: self.step(+1))
        self.prev_action = _action(self, "&Previous claim", "K", lambda: self.step(-1))
        self.next_open_action = _action(self, "Next claim that needs &work", "N", self.next_needing_work)
        self.next_review_action = _action(self, "Next claim waiting for re&view", "Shift+N", self.next_in_review)
        self.focus_summary_action = _action(self, "Write the &verdict summary", "Ctrl+Shift+W", self.focus_summary)
        self.focus_table_action = _action(self, "Back to the &claims table", "Ctrl+L", self.table.setFocus)
        self.focus_search_action = _action(self, "&Search all claims", QKeySequence.StandardKey.Find, self.focus_search)
        for action in (self.next_action, self.prev_action, self.next_open_action, self.next_review_action, None,
                       self.focus_summary_action,
                       self.focus_table_action, self.focus_search_action):
            if action is None:
                nav_menu.addSeparator()
            else:
                nav_menu.addAction(action)
        self.verdict_menu = menu.addMenu("&Verdict")
        self.verdict_actions: list[QAction] = []
        self.scale_menu = self.verdict_menu.addMenu("Workspace rating &scale")
        self.scale_group = QActionGroup(self)
        for scale in self._bench.scales():
            action = QAction(scale.name, self, checkable=True)
            action.setData(scale.key)
            action.triggered.connect(lambda _checked=False, key=scale.key: self.change_scale(key))
            self.scale_group.addAction(action)
            self.scale_menu.addAction(action)
        self.verdict_menu.addSeparator()
        help_menu = menu.addMenu("&Help")
        self.shortcuts_action = _action(self, "&Keyboard shortcuts", "F1", self.show_shortcuts)
        help_menu.addAction(self.shortcuts_action)
        self.about_action = _action(self, "&About Claimdesk…", None, self.show_about)
        self.about_action.setMenuRole(QAction.MenuRole.AboutRole)
        help_menu.addAction(self.about_action)

        self.addActions([self.undo_action, self.redo_action,
                         self.import_action, self.export_action, self.mark_action, self.add_source_action,
                         self.focus_summary_action, self.focus_table_action, self.focus_search_action,
                         self.shortcuts_action, self.details_action, self.open_url_action, self.paste_action,
                         self.review_action, self.approve_action])
        self.addAction(self.redetect_action)
        # One-key actions work where a claim has focus, never while typing a note.
        for action in (self.delete_claim_action, self.accept_action, self.reject_action, self.next_action,
                       self.prev_action, self.next_open_action, self.next_review_action):
            self._one_key(action)

    def _sensitivity_bar(self) -> QHBoxLayout:
        """Fewer / Normal / More above the table. The buttons show the Claim › Sensitivity actions
        themselves, so menu and buttons can never disagree."""
        self.sensitivity_group = QActionGroup(self)
        self.sensitivity_group.setExclusive(True)
        self.sensitivity_actions: dict[Sensitivity, QAction] = {}
        self.sensitivity_buttons: dict[Sensitivity, QToolButton] = {}
        row = QHBoxLayout()
        row.setSpacing(0)
        label = QLabel("Suggestions")
        label.setObjectName("sensitivityLabel")
        label.setToolTip("How many of the detector's suggestions to show. Hidden ones are kept, never deleted;"
                         " claims you marked or worked on are always shown.")
        row.addWidget(label)
        row.addSpacing(8)
        for step in Sensitivity:
            action = QAction(step.label, self, checkable=True)
            # The button shows the icon text: short, since the label before the buttons says "Suggestions".
            action.setIconText(step.value.capitalize())
            action.setData(step.value)
            action.setChecked(step is self.sensitivity)
            action.setToolTip(f"{step.label}: hide untouched suggestions scoring below {step.threshold:.2f}")
            action.triggered.connect(lambda _checked=False, step=step: self.set_sensitivity(step))
            self.sensitivity_group.addAction(action)
            self.sensitivity_actions[step] = action
            button = QToolButton()
            button.setDefaultAction(action)
            button.setObjectName(f"sensitivity{step.value.capitalize()}")
            button.setProperty("segment", True)
            button.setFocusPolicy(Qt.FocusPolicy.TabFocus)
            self.sensitivity_buttons[step] = button
            row.addWidget(button)
        row.addStretch(1)
        return row

    def set_sensitivity(self, step: Sensitivity) -> None:
        """Hide or show suggestions at once, in the table and the text; stored for the workspace.
        Nothing is deleted, and the selected claim stays selected while it is still shown."""
        self.sensitivity_actions[step].setChecked(True)
        if step is self.sensitivity:
            return
        self.editor.flush()
        if self._guard(lambda: self._bench.set_setting(SENSITIVITY_KEY, step.stored()) or True) is None:
            self.sensitivity_actions[self.sensitivity].setChecked(True)
            return
        self.sensitivity = step
        selected = self.editor.claim.id if self.editor.claim else None
        self._show_claims()
        self.select_claim(selected if selected is not None and self.model.claim(selected) else None)

    def _visible(self) -> list[Claim]:
        return [c for c in self._claims if is_shown(c, self.sensitivity)]

    def _show_claims(self) -> None:
        """Put the open article's claims that the sensitivity lets through in the table and the text."""
        visible = self._visible()
        self.model.set_claims(visible)
        self._refresh_speakers()
        self.article_view.set_claims(visible)
        self._update_progress()

    def _update_hidden(self) -> None:
        hidden = hidden_count(self._claims, self.sensitivity)
        noun = "suggestion" if hidden == 1 else "suggestions"
        self.hidden_label.setText(f"{hidden} {noun} hidden (sensitivity: {self.sensitivity.value})" if hidden else "")
        self.hidden_label.setVisible(bool(hidden))

    def _show_notice(self, segments: tuple[Segment, ...] | list[Segment]) -> None:
        notice = limited_notice(segments)
        self.article_notice.setText(notice)
        self.article_notice.setToolTip(
            "The check-worthiness model reads English; French and Russian get the rules."
            " Other languages get only figures and dates." if notice else ""
        )
        self.article_notice.setVisible(bool(notice))

    def show_about(self) -> None:
        from app import __version__

        dialogs.show_about(self, dialogs.about_text(__version__))

    def _one_key(self, action: QAction) -> None:
        action.setShortcutContext(Qt.ShortcutContext.WidgetShortcut)
        self.table.addAction(action)
        self.article_view.addAction(action)

    def apply_scale(self, scale: RatingScale) -> None:
        """Show the workspace's scale everywhere: the verdict list and keys, the filter, the flags."""
        for action in self.verdict_actions:
            self.verdict_menu.removeAction(action)
            self.table.removeAction(action)
            self.article_view.removeAction(action)
        self.verdict_actions = []
        for number, rating in enumerate(scale.labels[:9], start=1):
            action = _action(self, rating.name, str(number), lambda n=number: self.editor.set_verdict_number(n))
            self.verdict_menu.addAction(action)
            self._one_key(action)
            self.verdict_actions.append(action)
        for action in self.scale_group.actions():
            action.setChecked(action.data() == scale.key)
        combo = self.verdict_filter
        combo.blockSignals(True)
        combo.clear()
        combo.addItem("Any verdict", None)
        for rating in scale.labels:
            combo.addItem(rating.name, rating.id)
        combo.addItem("No verdict yet", NO_VERDICT)
        combo.addItem("⚠ Not on this scale", OFF_SCALE)
        combo.blockSignals(False)
        self.model.set_scale(scale)
        self.editor.set_scale(scale)
        self._apply_filters()

    def change_scale(self, key: str) -> None:
        self.editor.flush()
        scale = self._guard(lambda: self._bench.set_scale(key))
        if scale is None:
            return
        self.apply_scale(scale)
        if self.editor.claim is not None:
            self.select_claim(self.editor.claim.id, force=True)
        off = sum(1 for c in self.model.claims() if not c.on_scale(scale))
        flagged = f" {off} verdict(s) here are on another scale and are flagged ⚠." if off else ""
        self.statusBar().showMessage(f"Rating scale: {scale.name}.{flagged}", 8000)

    def _guard(self, action: Callable[[], _T]) -> _T | None:
        try:
            return action()
        except USER_ERRORS as exc:
            dialogs.show_error(self, str(exc))
            return None

    def import_article(self) -> None:
        path = dialogs.ask_import_path(self)
        if path is None:
            return
        self.import_path(path)

    def import_url(self) -> None:
        url = dialogs.ask_url(self)
        if url:
            self.import_from(url, url)

    def import_clipboard(self) -> None:
        from app.ingest import from_pasted

        text = QApplication.clipboard().text()
        self.import_from("the clipboard", lambda: from_pasted(text))

    def import_path(self, path: Path) -> None:
        self.import_from(path.name, path)

    def import_from(self, name: str, source: Path | str | Callable[[], ImportedText]) -> None:
        """Read, detect and store in the background; the window stays responsive (a link can take
        seconds)."""
        bench = self._bench

        def work() -> tuple[Article, bool]:
            from app.ingest import read_source

            imported = source() if callable(source) else read_source(source)
            existing = bench.find_by_hash(imported.text)
            if existing is not None:
                return existing, False
            return bench.add_article(imported)[0], True

        def done(result: tuple[Article, bool]) -> None:
            article, new = result
            if new:
                self.reload_articles(select=article.id)
                self.statusBar().showMessage(f"Imported “{article.title}”.", 8000)
            elif dialogs.confirm(
                self, "Already imported", f"{name} has the same text as “{article.title}”, which is already here."
                " Open that article?",
            ):
                self.reload_articles(select=article.id)

        self.statusBar().showMessage(f"Importing {name}…")
        self.runner.run(work, done, self._task_failed)

    def _task_failed(self, error: Exception) -> None:
        self.statusBar().clearMessage()
        if is_user_error(error):
            dialogs.show_error(self, str(error))
        else:  # a bug of ours: the crash handler logs it and tells the user where
            sys.excepthook(type(error), error, error.__traceback__)

    def export_report(self) -> None:
        if self._article is None:
            dialogs.show_error(self, "Open an article first: the report is about one article.")
            return
        self.editor.flush()
        from app.ui.export_dialog import ExportDialog, slug

        article = self._article
        folder = Path(str(self._settings.value("export_folder", "") or Path.home()))
        result = ExportDialog.ask(
            self, article, self._bench.claims(article.id),
            report_url=self._bench.setting("report_url"), organisation=self._bench.setting("organisation"),
            path=folder / (slug(article.title) + ".html"), fmt=str(self._settings.value("export_format", "html")),
            scales=self._bench.scales(),
        )
        if result is None:
            return
        self._settings.setValue("export_folder", str(result.path.parent))
        self._settings.setValue("export_format", result.fmt)
        if result.report_url:
            self._bench.set_setting("report_url", result.report_url)
        if result.organisation:
            self._bench.set_setting("organisation", result.organisation)
        self.statusBar().showMessage(f"Report saved to {result.path}", 8000)

    # -- keyboard -------------------------------------------------------------------------

    def visible_claim_ids(self) -> list[int]:
        """Claims in the table's current order and filter: what J and K walk through."""
        return [int(self.proxy.index(r, 0).data(Role.CLAIM_ID)) for r in range(self.proxy.rowCount())]

    def step(self, delta: int) -> None:
        ids = self.visible_claim_ids()
        if not ids:
            return
        current = self.editor.claim.id if self.editor.claim else None
        index = ids.index(current) + delta if current in ids else (0 if delta > 0 else len(ids) - 1)
        self.select_claim(ids[max(0, min(index, len(ids) - 1))])

    def next_needing_work(self) -> None:
        self._next_where(lambda c: c.needs_work, "Every claim here is in review or approved.")

    def next_in_review(self) -> None:
        """The reviewer's walk: claims waiting for a sign-off."""
        self._next_where(lambda c: c.state is State.IN_REVIEW, "No claim here is waiting for review.")

    def _next_where(self, wanted: Callable[[Claim], bool], none_left: str) -> None:
        ids = self.visible_claim_ids()
        current = self.editor.claim.id if self.editor.claim else None
        start = ids.index(current) + 1 if current in ids else 0
        for claim_id in ids[start:] + ids[:start]:
            claim = self.model.claim(claim_id)
            if claim is not None and wanted(claim) and claim_id != current:
                self.select_claim(claim_id)
                return
        self.statusBar().showMessage(none_left, 5000)

    def focus_summary(self) -> None:
        if self.editor.claim is not None:
            self.editor.summary.setFocus(Qt.FocusReason.ShortcutFocusReason)

    def focus_search(self) -> None:
        self.search.setFocus(Qt.FocusReason.ShortcutFocusReason)
        self.search.selectAll()

    def shortcut_rows(self) -> list[tuple[str, str]]:
        """Every action with a key, read from the actions themselves so the list never goes stale."""
        rows = []
        for menu_action in self.menuBar().actions():
            for action in menu_action.menu().actions():
                key = action.shortcut().toString(QKeySequence.SequenceFormat.NativeText)
                if key:
                    rows.append((key, f"{menu_action.text().replace('&', '')} › {action.text().replace('&', '')}"))
        return rows

    def show_shortcuts(self) -> None:
        dialogs.show_shortcuts(self, self.shortcut_rows())

    # -- search and filters ----------------------------------------------------------------

    def run_search(self) -> None:
        query = self.search.text().strip()
        if not query:
            self.left_stack.setCurrentWidget(self.articles)
            return
        hits = self._guard(lambda: self._bench.search(query)) or []
        self.search_results.clear()
        for hit in hits:
            item = QListWidgetItem(f"{clip(hit.quote, 90)}\n{hit.verdict or hit.state.label} · {hit.article_title}")
            item.setData(Qt.ItemDataRole.UserRole, (hit.article_id, hit.claim_id))
            item.setToolTip(hit.quote)
            self.search_results.addItem(item)
        if not hits:
            item = QListWidgetItem(f"No claim matches “{query}”.")
            item.setFlags(Qt.ItemFlag.NoItemFlags)
            self.search_results.addItem(item)
        self.left_stack.setCurrentWidget(self.search_results)

    def _open_search_hit(self, item: QListWidgetItem) -> None:
        target = item.data(Qt.ItemDataRole.UserRole)
        if not target:
            return
        article_id, claim_id = target
        if self._article is None or self._article.id != article_id:
            self.reload_articles(select=article_id)
        self.clear_filters()
        self.select_claim(claim_id)
        hidden = next((c for c in self._claims if c.id == claim_id), None)
        if hidden is not None and self.model.claim(claim_id) is None and hidden.score is not None:
            self.statusBar().showMessage(
                f"That suggestion scores {hidden.score:.2f} and is hidden (sensitivity: {self.sensitivity.value});"
                " Claim › Sensitivity › More suggestions shows more.", 8000,
            )

    def clear_filters(self) -> None:
        for combo in self._filters:
            combo.setCurrentIndex(0)

    def _apply_filters(self) -> None:
        # Qt hands StrEnum data back as plain str.
        state, kind = self.state_filter.currentData(), self.kind_filter.currentData()
        self.proxy.set_filters(
            state=State(state) if state else None,
            verdict=self.verdict_filter.currentData(),
            kind=Kind(kind) if kind else None,
            speaker=self.speaker_filter.currentData(),
        )
        self._update_counts()

    def _refresh_speakers(self) -> None:
        current = self.speaker_filter.currentData()
        speakers = sorted({c.speaker for c in self.model.claims() if c.speaker})
        self.speaker_filter.blockSignals(True)
        self.speaker_filter.clear()
        self.speaker_filter.addItem("Anyone", None)
        for speaker in speakers:
            self.speaker_filter.addItem(speaker, speaker)
        self.speaker_filter.setCurrentIndex(max(0, self.speaker_filter.findData(current)) if current else 0)
        self.speaker_filter.blockSignals(False)
        self.speaker_filter.setEnabled(bool(speakers))

    def _update_counts(self) -> None:
        claims = self.model.claims()
        by_verdict = Counter(c.verdict_name or "no verdict" for c in claims)
        by_state = Counter(c.state for c in claims)
        verdicts = [f"{n} {name.lower()}" for name, n in sorted(by_verdict.items(), key=lambda x: (-x[1], x[0]))]
        states = [f"{by_state[s]} {s.label.lower()}" for s in State if by_state[s]]
        shown = self.proxy.rowCount()
        prefix = f"Showing {shown} of {len(claims)}" if shown != len(claims) else f"{len(claims)} claims"
        parts = " · ".join(verdicts) + ("\n" + " · ".join(states) if states else "")
        self.counts.setText(f"{prefix}: {parts}" if claims else prefix)

    def change_reviewer(self) -> None:
        name = dialogs.ask_reviewer_name(self, self._bench.actor)
        if name:
            self._bench.actor = name
            self._remember_reviewer(name)
            if self.editor.claim is not None:  # who may approve depends on who is reviewing
                self.select_claim(self.editor.claim.id, force=True)

    def _remember_reviewer(self, name: str) -> None:
        self._settings.setValue("reviewer", name)
        self._show_reviewer(name)

    def _show_reviewer(self, name: str) -> None:
        self.reviewer_button.setText(f"Reviewer: {name}" if name else "Reviewer: (not set)")
        self.reviewer_button.setToolTip("Who the history records for your changes. Click to change.")

    def redetect(self) -> None:
        """Detect again; claims the fact-checker touched stay as they are."""
        if self._article is None:
            return
        self.editor.flush()
        article_id = self._article.id
        selected = self.editor.claim.id if self.editor.claim else None
        changes = self._guard(lambda: self._bench.redetect(article_id))
        if changes is None:
            return
        self._load_claims()
        self.select_claim(selected if selected is not None and self.model.claim(selected) else None)
        self.statusBar().showMessage(
            f"Detection: {len(changes.claims_added)} new suggestions, {len(changes.claims_removed)} dropped.", 8000
        )

    def edit_details(self) -> None:
        article = self._article
        if article is None:
            return
        details = dialogs.ArticleDialog.ask(self, article)
        if details is None:
            return
        result = self._guard(lambda: self._bench.update_article(
            article.id, title=details.title, source_url=details.source_url, outlet=details.outlet,
            author=details.author, published=details.published, clear_published=details.published is None,
        ))
        if result is not None:
            self._article = result[0]
            self.setWindowTitle(f"{self._article.title} — Claimdesk")
            self.reload_articles(select=article.id)

    def delete_article(self) -> None:
        article = self._article
        if article is None:
            return
        if not dialogs.confirm(self, "Delete article", f"Delete “{article.title}” with all its claims, verdicts and sources?"):
            return
        if self._guard(lambda: self._bench.delete_article(article.id)) is not None:
            self._article = None
            self.reload_articles()

    def mark_selection(self) -> None:
        if self._article is None:
            return
        selection = self.article_view.selection_offsets()
        if selection is None:
            dialogs.show_error(self, "Select some text of the article to mark it as a claim.")
            return
        self.push(MarkClaim(self, self._article.id, *selection))

    # -- articles -------------------------------------------------------------------------

    def reload_articles(self, select: int | None = None) -> None:
        current = select if select is not None else (self._article.id if self._article else None)
        self.articles.blockSignals(True)
        self.articles.clear()
        for summary in self._bench.articles():
            item = QListWidgetItem(f"{summary.title}\n{summary.resolved_count} of {summary.claim_count} checked")
            item.setData(Qt.ItemDataRole.UserRole, summary.id)
            item.setToolTip(summary.title)
            self.articles.addItem(item)
        self.articles.blockSignals(False)
        row = next(
            (i for i in range(self.articles.count()) if self.articles.item(i).data(Qt.ItemDataRole.UserRole) == current),
            0 if self.articles.count() else -1,
        )
        if row >= 0:
            self.articles.setCurrentRow(row)
            self._article_picked(self.articles.item(row))
        else:
            self.open_article(None)

    def _article_picked(self, item: QListWidgetItem | None, _previous: QListWidgetItem | None = None) -> None:
        article_id = item.data(Qt.ItemDataRole.UserRole) if item else None
        if self._article is not None and article_id == self._article.id:
            return
        self.open_article(article_id)

    def open_article(self, article_id: int | None) -> None:
        self.editor.flush()
        self._article = self._bench.article(article_id) if article_id is not None else None
        if self._article is None:
            self._claims = []
            self.article_view.show_article("", [])
            self._show_notice([])
            self.model.set_claims([])
            self.editor.show_claim(None)
            self.setWindowTitle("Claimdesk")
            self._update_progress()
            return
        self.setWindowTitle(f"{self._article.title} — Claimdesk")
        item = self._article_item(self._article.id)
        if item is not None and item is not self.articles.currentItem():
            self.articles.blockSignals(True)
            self.articles.setCurrentItem(item)
            self.articles.blockSignals(False)
        self._claims = self._bench.claims(self._article.id)
        visible = self._visible()
        self.model.set_claims(visible)
        self._refresh_speakers()
        segments = self._bench.segments(self._article.id)
        self.article_view.show_article(self._article.text, visible, segments)
        self._show_notice(segments)
        self.editor.show_claim(None)
        self._settings.setValue("last_article", self._article.id)
        self._update_progress()
        first = next((c for c in self.model.claims() if c.needs_work), None)
        if first is not None:
            self.select_claim(first.id)

    def _load_claims(self) -> None:
        if self._article is None:
            return
        self._claims = self._bench.claims(self._article.id)
        self._show_claims()

    # -- selection: text, table and editor agree ---------------------------------------------

    def select_claim(self, claim_id: int | None, force: bool = False) -> None:
        if self._selecting:
            return
        if force:  # the editor must not write what it shows now over what is stored
            self.editor.discard_pending()
        self._selecting = True
        try:
            claim = self.model.claim(claim_id) if claim_id is not None else None
            self.article_view.highlighter.set_selected(claim.id if claim else None)
            selection = self.table.selectionModel()
            if claim is None:
                selection.clearSelection()
                self.editor.show_claim(None)
                return
            row = self.model.row_of(claim.id)
            assert row is not None
            index = self.proxy.mapFromSource(self.model.index(row, 0))
            selection.setCurrentIndex(
                index,
                QItemSelectionModel.SelectionFlag.ClearAndSelect | QItemSelectionModel.SelectionFlag.Rows,
            )
            self.table.scrollTo(index)
            self.article_view.reveal(claim)
            self.editor.show_claim(claim, self.model.number(claim.id), self.model.rowCount())
        finally:
            self._selecting = False

    def selected_claim(self) -> Claim | None:
        return self.editor.claim

    def _table_selection_changed(self) -> None:
        rows = self.table.selectionModel().selectedRows()
        if rows:
            self.select_claim(self._claim_id_at(rows[0]))

    def _claim_id_at(self, index: QModelIndex) -> int:
        return int(self.proxy.data(index, Role.CLAIM_ID))

    # -- undo target: commands report what they changed -------------------------------------

    def push(self, command: QUndoCommand) -> None:
        """Every change goes through the undo stack. The history needs a name: asked once."""
        if not self._bench.actor:
            name = dialogs.ask_reviewer_name(self) or getpass.getuser()
            self._bench.actor = name
            self._remember_reviewer(name)
        if not isinstance(command, Command) or command.run():  # refused: one line shown, stack unchanged
            self.undo_stack.push(command)

    def undo(self) -> None:
        self.editor.flush()
        self.undo_stack.undo()

    def redo(self) -> None:
        self.editor.flush()
        self.undo_stack.redo()

    def claim_changed(self, claim: Claim, replay: bool) -> None:
        if self._article is None or claim.article_id != self._article.id:
            self.reload_articles(select=claim.article_id)
        self._claims = [claim if c.id == claim.id else c for c in self._claims]
        if replay and is_shown(claim, self.sensitivity) != (self.model.claim(claim.id) is not None):
            # Undo put the claim back under the threshold (an accepted weak suggestion is untouched
            # again), or over it. Only on undo and redo: while someone edits a claim, it never
            # vanishes from under their hands; the next refresh hides it.
            self._show_claims()
        else:
            self.model.replace(claim)
            self.article_view.highlighter.set_look(claim.id, claim.colour, claim.accepted)
            self._update_progress()
        if replay:  # undo or redo: show the claim it changed, with every field as stored
            self.select_claim(claim.id, force=True)
        else:
            self.editor.refresh(claim)

    def claims_changed(self, article_id: int, select: int | None) -> None:
        if self._article is None or article_id != self._article.id:
            self.reload_articles(select=article_id)
        row = self.model.row_of(self.editor.claim.id) if self.editor.claim else None
        self._load_claims()
        if select is None and row is not None:  # stay near the claim that went away
            claims = self.model.claims()
            select = claims[min(row, len(claims) - 1)].id if claims else None
        self.select_claim(select, force=True)

    def show_error(self, message: str) -> None:
        dialogs.show_error(self, message)

    def _update_progress(self) -> None:
        self._update_counts()
        self._update_hidden()
        if self._article is None:
            self.progress_label.setText("No article open")
            self.progress_bar.setRange(0, 1)
            self.progress_bar.setValue(0)
            return
        claims = self.model.claims()  # already loaded: no query on every status change
        done, total = sum(c.has_verdict for c in claims), len(claims)
        approved = sum(c.locked for c in claims)
        self.progress_label.setText(f"{done} of {total} with a verdict · {approved} approved")
        self.progress_bar.setRange(0, max(total, 1))
        self.progress_bar.setValue(done)
        item = self._article_item(self._article.id)
        if item is not None:
            item.setText(f"{self._article.title}\n{done} of {total} checked")

    def _article_item(self, article_id: int) -> QListWidgetItem | None:
        """The article's entry in the list (not the current one: an article opened from a search
        hit or the command line may not be selected yet)."""
        for i in range(self.articles.count()):
            if self.articles.item(i).data(Qt.ItemDataRole.UserRole) == article_id:
                return self.articles.item(i)
        return None

    # -- state ----------------------------------------------------------------------------

    def _restore_state(self) -> None:
        geometry = self._settings.value("geometry")
        if geometry is not None:
            self.restoreGeometry(geometry)
        splitter = self._settings.value("splitter")
        if splitter is not None:
            self.splitter.restoreState(splitter)

    def closeEvent(self, event: QCloseEvent) -> None:  # noqa: N802 (Qt's name)
        self.editor.flush()
        self._settings.setValue("geometry", self.saveGeometry())
        self._settings.setValue("splitter", self.splitter.saveState())
        self._settings.sync()
        super().closeEvent(event)


def _titled(title: str, widget: QWidget) -> QWidget:
    box = QWidget()
    layout = QVBoxLayout(box)
    layout.setContentsMargins(0, 0, 0, 0)
    layout.setSpacing(4)
    label = QLabel(title)
    label.setObjectName("paneTitle")
    layout.addWidget(label)
    layout.addWidget(widget)
    return box


def _action(parent: QWidget, text: str, shortcut: QKeySequence.StandardKey | str | None, slot: Callable[[], object]) -> QAction:
    action = QAction(text, parent)
    if shortcut is not None:
        action.setShortcut(QKeySequence(shortcut))
    action.triggered.connect(lambda _checked=False: slot())
    return action


def _filter_combo(anything: str, choices: list[tuple[str, object]]) -> QComboBox:
    combo = QComboBox()
    combo.addItem(anything, None)
    for label, value in choices:
        combo.addItem(label, value)
    combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
    return combo


