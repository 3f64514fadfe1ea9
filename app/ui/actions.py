"""The window's menus, actions and keyboard shortcuts, built in one place.

Each action calls one method of the window or its panes; where a key works (window-wide, or
only where a claim has focus) is decided here too, and Help › Keyboard shortcuts reads the
list back from the menus, so it never goes stale.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction, QActionGroup, QKeySequence
from PySide6.QtWidgets import QMenu, QMenuBar, QWidget

from app.domain import Claim, RatingScale, State
from app.ui import dialogs

if TYPE_CHECKING:
    from app.ui.main_window import MainWindow


# Where a platform binds no key to a standard action (Quit on some Linux desktops), this one.
_FALLBACK = {QKeySequence.StandardKey.Quit: "Ctrl+Q"}


def action(parent: QWidget, text: str, shortcut: QKeySequence.StandardKey | str | None, slot: Callable[[], object]) -> QAction:
    """A menu action. A standard key gets every binding the platform gives it (Redo is Ctrl+Y
    and Ctrl+Shift+Z on Linux, Ctrl+Y on Windows, Cmd+Shift+Z on macOS)."""
    made = QAction(text, parent)
    if isinstance(shortcut, QKeySequence.StandardKey):
        keys = QKeySequence.keyBindings(shortcut) or [QKeySequence(_FALLBACK.get(shortcut, ""))]
        made.setShortcuts([key for key in keys if not key.isEmpty()])
    elif shortcut is not None:
        made.setShortcut(QKeySequence(shortcut))
    made.triggered.connect(lambda _checked=False: slot())
    return made


def _fill(menu: QMenu, actions: tuple[QAction | None, ...]) -> None:
    for item in actions:
        if item is None:
            menu.addSeparator()
        else:
            menu.addAction(item)


def build(w: MainWindow) -> None:
    """Every menu and action, as attributes of the window (`w.import_action`, …)."""
    menu = w.menuBar()
    files = w.files
    w.import_action = action(w, "&Import article…", QKeySequence.StandardKey.Open, files.import_article)
    w.open_url_action = action(w, "Open &link…", "Ctrl+Shift+O", files.import_url)
    w.paste_action = action(w, "New article from &clipboard", "Ctrl+Shift+V", files.import_clipboard)
    w.export_action = action(w, "&Export report…", "Ctrl+E", files.export_report)
    w.details_action = action(w, "Article &details…", "Ctrl+I", files.edit_details)
    w.delete_article_action = action(w, "&Delete article…", None, files.delete_article)
    quit_action = action(w, "&Quit", QKeySequence.StandardKey.Quit, w.close)
    _fill(menu.addMenu("&File"), (w.import_action, w.open_url_action, w.paste_action, w.export_action, None,
                                 w.details_action, w.delete_article_action, None, quit_action))

    # Own actions rather than createUndoAction: text still waiting to be saved is written first.
    w.undo_action = action(w, "&Undo", QKeySequence.StandardKey.Undo, w.undo)
    w.redo_action = action(w, "&Redo", QKeySequence.StandardKey.Redo, w.redo)
    w.undo_action.setEnabled(False)
    w.redo_action.setEnabled(False)
    stack = w.undo_stack
    stack.canUndoChanged.connect(w.undo_action.setEnabled)
    stack.canRedoChanged.connect(w.redo_action.setEnabled)
    stack.undoTextChanged.connect(lambda text: w.undo_action.setText(f"&Undo {text}".strip()))
    stack.redoTextChanged.connect(lambda text: w.redo_action.setText(f"&Redo {text}".strip()))
    _fill(menu.addMenu("&Edit"), (w.undo_action, w.redo_action))

    editor = w.editor
    w.mark_action = action(w, "&Mark as claim", "Ctrl+M", w.mark_selection)
    w.delete_claim_action = action(w, "&Delete claim…", QKeySequence.StandardKey.Delete, editor.delete_claim)
    # Not Ctrl+Shift+S: that is Save As on every platform.
    w.add_source_action = action(w, "Add &source…", "Ctrl+Shift+L", editor.add_source)
    w.accept_action = action(w, "&Accept suggestion", "A", editor.accept_claim)
    w.reject_action = action(w, "&Reject suggestion", "R", editor.reject_claim)
    w.redetect_action = action(w, "Re-run &detection", "Ctrl+Shift+D", files.redetect)
    w.review_action = action(w, "Send to re&view", "Ctrl+Shift+R", lambda: editor.set_state(State.IN_REVIEW))
    w.approve_action = action(w, "A&pprove verdict", "Ctrl+Shift+A", editor.approve)
    w.reopen_action = action(w, "Re&open approved claim…", None, editor.reopen)
    claim_menu = menu.addMenu("&Claim")
    _fill(claim_menu, (w.mark_action, w.accept_action, w.reject_action, w.add_source_action, w.delete_claim_action,
                       None, w.review_action, w.approve_action, w.reopen_action, None, w.redetect_action))
    w.sensitivity_menu = claim_menu.addMenu("Se&nsitivity")
    for step_action in w.claims_pane.sensitivity_actions.values():
        w.sensitivity_menu.addAction(step_action)

    w.next_action = action(w, "&Next claim", "J", lambda: step(w, +1))
    w.prev_action = action(w, "&Previous claim", "K", lambda: step(w, -1))
    w.next_open_action = action(w, "Next claim that needs &work", "N", lambda: next_where(
        w, lambda c: c.needs_work, "Every claim here is in review or approved."))
    # The reviewer's walk: claims waiting for a sign-off.
    w.next_review_action = action(w, "Next claim waiting for re&view", "Shift+N", lambda: next_where(
        w, lambda c: c.state is State.IN_REVIEW, "No claim here is waiting for review."))
    w.focus_summary_action = action(w, "Write the &verdict summary", "Ctrl+Shift+W", lambda: focus_summary(w))
    w.focus_table_action = action(w, "Back to the &claims table", "Ctrl+L", w.table.setFocus)
    w.focus_search_action = action(w, "&Search all claims", QKeySequence.StandardKey.Find, w.articles_pane.focus_search)
    w.overview_action = action(w, "Desk &overview…", "Ctrl+Shift+H", lambda: show_overview(w))
    _fill(menu.addMenu("&Go"), (w.next_action, w.prev_action, w.next_open_action, w.next_review_action, None,
                               w.focus_summary_action, w.focus_table_action, w.focus_search_action, None,
                               w.overview_action))

    w.verdict_menu = menu.addMenu("&Verdict")
    w.verdict_actions = []
    w.scale_menu = w.verdict_menu.addMenu("Workspace rating &scale")
    w.scale_group = QActionGroup(w)
    for scale in w.bench.scales():
        choice = QAction(scale.name, w, checkable=True)
        choice.setData(scale.key)
        choice.triggered.connect(lambda _checked=False, key=scale.key: change_scale(w, key))
        w.scale_group.addAction(choice)
        w.scale_menu.addAction(choice)
    w.verdict_menu.addSeparator()

    help_menu = menu.addMenu("&Help")
    w.shortcuts_action = action(w, "&Keyboard shortcuts", QKeySequence.StandardKey.HelpContents,
                                lambda: dialogs.show_shortcuts(w, shortcut_rows(w.menuBar())))
    w.about_action = action(w, "&About Claimdesk…", None, lambda: show_about(w))
    w.about_action.setMenuRole(QAction.MenuRole.AboutRole)
    _fill(help_menu, (w.shortcuts_action, w.about_action))

    w.addActions([w.undo_action, w.redo_action, w.import_action, w.export_action, w.mark_action, w.add_source_action,
                  w.focus_summary_action, w.focus_table_action, w.focus_search_action, w.shortcuts_action,
                  w.details_action, w.open_url_action, w.paste_action, w.review_action, w.approve_action,
                  w.redetect_action, w.overview_action])
    # One-key actions work where a claim has focus, never while typing a note.
    for one in (w.delete_claim_action, w.accept_action, w.reject_action, w.next_action, w.prev_action,
                w.next_open_action, w.next_review_action):
        one_key(w, one)


def one_key(w: MainWindow, single: QAction) -> None:
    single.setShortcutContext(Qt.ShortcutContext.WidgetShortcut)
    w.table.addAction(single)
    w.article_view.addAction(single)


def show_scale(w: MainWindow, scale: RatingScale) -> None:
    """Number keys 1–9 and the Verdict menu follow the workspace's scale."""
    for old in w.verdict_actions:
        w.verdict_menu.removeAction(old)
        w.table.removeAction(old)
        w.article_view.removeAction(old)
    w.verdict_actions = []
    for number, rating in enumerate(scale.labels[:9], start=1):
        made = action(w, rating.name, str(number), lambda n=number: w.editor.set_verdict_number(n))
        w.verdict_menu.addAction(made)
        one_key(w, made)
        w.verdict_actions.append(made)
    for choice in w.scale_group.actions():
        choice.setChecked(choice.data() == scale.key)


def change_scale(w: MainWindow, key: str) -> None:
    """Verdict › Workspace rating scale: no verdict changes; those on another scale are flagged."""
    w.editor.flush()
    scale = w.guard(lambda: w.bench.set_scale(key))
    if scale is None:
        return
    w.apply_scale(scale)
    if w.editor.claim is not None:
        w.select_claim(w.editor.claim.id, force=True)
    off = sum(1 for c in w.model.claims() if not c.on_scale(scale))
    flagged = f" {off} verdict(s) here are on another scale and are flagged ⚠." if off else ""
    w.status.say(f"Rating scale: {scale.name}.{flagged}")


def shortcut_rows(menu_bar: QMenuBar) -> list[tuple[str, str]]:
    """Every action with a key, read from the menus themselves so the list never goes stale."""
    rows = []
    for menu_action in menu_bar.actions():
        for item in menu_action.menu().actions():
            key = ", ".join(k.toString(QKeySequence.SequenceFormat.NativeText) for k in item.shortcuts())
            if key:
                rows.append((key, f"{menu_action.text().replace('&', '')} › {item.text().replace('&', '')}"))
    return rows


# -- what the keys do -------------------------------------------------------------------------


def _current(w: MainWindow) -> int | None:
    return w.editor.claim.id if w.editor.claim else None


def step(w: MainWindow, delta: int) -> None:
    """J and K: the next or previous claim in the table's order and filter."""
    target = w.claims_pane.step_from(_current(w), delta)
    if target is not None:
        w.select_claim(target)


def next_where(w: MainWindow, wanted: Callable[[Claim], bool], none_left: str) -> None:
    target = w.claims_pane.next_where(_current(w), wanted)
    if target is None:
        w.status.say(none_left, 5000)
    else:
        w.select_claim(target)


def focus_summary(w: MainWindow) -> None:
    if w.editor.claim is not None:
        w.editor.summary.setFocus(Qt.FocusReason.ShortcutFocusReason)


def show_overview(w: MainWindow) -> None:
    """Go › Desk overview: the whole desk in a window of its own; a waiting claim opens here."""
    from app.ui.overview import OverviewWindow

    overview = w.guard(w.bench.overview)
    if overview is None:
        return
    if w.overview_window is not None:
        w.overview_window.close()
        w.overview_window.deleteLater()  # not kept, closed, for as long as the window lives

    def open_claim(claim_id: int) -> None:
        claim = w.guard(lambda: w.bench.claim(claim_id))
        if claim is not None:
            w.open_claim(claim.article_id, claim.id)
            w.activateWindow()

    w.overview_window = OverviewWindow(w, overview, open_claim)
    w.overview_window.show()


def show_about(w: MainWindow) -> None:
    from app import __version__

    dialogs.show_about(w, dialogs.about_text(__version__))
