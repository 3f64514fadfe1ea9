"""Revisions in the window: File › Import new version of this article…, a revision picker and a
diff view above the text, the "Not in this revision" list under it, and in the claim panel the
old and new wording of a changed claim side by side (T takes the new wording, O marks it as not
in this revision). Installed by MainWindow in one line; changes go through apply_changes."""

from __future__ import annotations

import html
from collections.abc import Callable, Iterable
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QSizePolicy,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from app.domain import Anchor, ChangeSet, Claim, clip
from app.domain.revisions import CarryOver
from app.ui import dialogs
from app.ui.claims_pane import filter_combo
from app.ui.undo import Command

if TYPE_CHECKING:
    from app.ui.main_window import MainWindow

INSERTED = "background:#ccf0d4;color:#0b4619;"
DELETED = "background:#ffd9d6;color:#7a1010;text-decoration:line-through;"


def diff_html(old: str, new: str) -> str:
    """The differences between two revisions as HTML: insertions green, deletions red and struck out."""
    from app.revisions.anchor import changed_spans  # diff-match-patch: when a diff is first shown

    parts = []
    for op, text in changed_spans(old, new):
        escaped = html.escape(text)
        if op == "insert":
            parts.append(f'<span style="{INSERTED}">{escaped}</span>')
        elif op == "delete":
            parts.append(f'<span style="{DELETED}">{escaped}</span>')
        else:
            parts.append(escaped)
    return '<div style="white-space:pre-wrap;">' + "".join(parts) + "</div>"


class AnchorBox(QFrame):
    """In the claim panel, for a claim whose text changed or is gone in the current revision."""

    confirmRequested = Signal()  # noqa: N815 (Qt signal naming)
    orphanRequested = Signal()  # noqa: N815 (Qt signal naming)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("anchorBox")
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.text_of: Callable[[], str] = lambda: ""
        self.title = QLabel()
        self.title.setObjectName("anchorTitle")
        self.title.setWordWrap(True)
        self.old_label, self.new_label = QLabel("Before"), QLabel("Now")
        self.old_wording, self.new_wording = QLabel(), QLabel()
        for label in (self.old_wording, self.new_wording):
            label.setWordWrap(True)
            label.setTextFormat(Qt.TextFormat.PlainText)
            label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
            label.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
        self.old_wording.setObjectName("oldWording")
        self.new_wording.setObjectName("newWording")
        self.confirm_button = QPushButton("Take the new wording  (T)")
        self.orphan_button = QPushButton("Not in this revision  (O)")
        self.confirm_button.clicked.connect(self.confirmRequested)
        self.orphan_button.clicked.connect(self.orphanRequested)
        grid = QGridLayout()
        grid.addWidget(self.old_label, 0, 0)
        grid.addWidget(self.new_label, 0, 1)
        grid.addWidget(self.old_wording, 1, 0)
        grid.addWidget(self.new_wording, 1, 1)
        grid.setColumnStretch(0, 1)
        grid.setColumnStretch(1, 1)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        buttons.addWidget(self.confirm_button)
        buttons.addWidget(self.orphan_button)
        layout = QVBoxLayout(self)
        layout.addWidget(self.title)
        layout.addLayout(grid)
        layout.addLayout(buttons)
        self.hide()

    def show_claim(self, claim: Claim | None) -> None:
        if claim is None or claim.anchor is Anchor.ANCHORED:
            self.hide()
            return
        text = self.text_of()
        self.old_wording.setText(claim.quote)
        if claim.anchor is Anchor.CHANGED:
            self.title.setText(f"Changed, confirm: {claim.anchor_note}")
            self.new_label.setText("Now")
            self.new_wording.setText(text[claim.start : claim.end])
            self.confirm_button.setText("Take the new wording  (T)")
            self.confirm_button.setEnabled(True)
            self.orphan_button.show()
        else:
            self.title.setText(f"Not in this revision: {claim.anchor_note}")
            suggestion = (text[claim.suggest_start : claim.suggest_end]
                          if claim.suggest_start is not None and claim.suggest_end is not None else "")
            self.new_label.setText("Nearest (a suggestion only)")
            self.new_wording.setText(suggestion or "Nothing in this revision comes close.")
            self.confirm_button.setText("Place it at the suggestion  (T)")
            self.confirm_button.setEnabled(bool(suggestion))
            self.orphan_button.hide()
        self.show()


class RevisionBar(QWidget):
    """Above the text: which revision is shown, and the differences from another."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("revisionBar")
        self.revision_picker = QComboBox()
        self.revision_picker.setObjectName("revisionPicker")
        self.compare_picker = QComboBox()
        self.compare_picker.setObjectName("comparePicker")
        self.note = QLabel()
        self.note.setObjectName("revisionNote")
        self.note.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)  # never widens the pane
        row = QHBoxLayout(self)
        row.setContentsMargins(0, 0, 0, 0)
        row.addWidget(QLabel("Revision"))
        row.addWidget(self.revision_picker)
        row.addWidget(self.compare_picker)
        row.addWidget(self.note, 1)


class RevisionsUi:
    """Everything revisions add to one window."""

    def __init__(self, w: MainWindow) -> None:
        from app.ui.actions import action, one_key

        self._w = w
        self._revisions: list[tuple[int, datetime | None]] = []  # numbers and dates: a text is read when shown
        self._listed: set[int] = set()  # the claims the "Not in this revision" list shows
        self.bar = RevisionBar()
        self.old_text = QTextBrowser()  # an earlier revision, or the differences: read-only, no claims
        self.old_text.setObjectName("revisionText")
        self.old_text.hide()
        self.orphans = QListWidget()
        self.orphans.setObjectName("orphanList")
        self.orphans_title = QLabel()
        self.orphans_title.setObjectName("orphansTitle")
        self.orphans_title.setStyleSheet("font-weight: 600;")
        self.orphans_box = QWidget()
        box = QVBoxLayout(self.orphans_box)
        box.setContentsMargins(0, 0, 0, 0)
        box.addWidget(self.orphans_title)
        box.addWidget(self.orphans)
        self.orphans.setMaximumHeight(110)
        self.orphans_box.hide()
        self.bar.hide()
        layout = w.article_view.parentWidget().layout()
        assert isinstance(layout, QVBoxLayout)
        at = layout.indexOf(w.article_view)
        layout.insertWidget(at, self.bar)
        layout.insertWidget(at + 2, self.old_text, 1)
        layout.insertWidget(at + 3, self.orphans_box)
        layout.setStretchFactor(w.article_view, 1)  # the text keeps the room; the orphans' list is short
        self.orphans_box.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Maximum)
        self.anchor_box = w.editor.anchor_box
        self.anchor_box.text_of = lambda: w.desk.article.text if w.desk.article else ""
        self.anchor_box.confirmRequested.connect(self.confirm)
        self.anchor_box.orphanRequested.connect(self.orphan)
        self.bar.revision_picker.currentIndexChanged.connect(self._revision_picked)
        self.bar.compare_picker.currentIndexChanged.connect(self._show_picked)
        self.orphans.itemClicked.connect(lambda item: w.select_claim(int(item.data(Qt.ItemDataRole.UserRole))))

        self.anchor_filter = filter_combo("Any place", [(anchor.label, anchor.value) for anchor in Anchor])
        self.anchor_filter.setObjectName("anchorFilter")
        self.anchor_filter.currentIndexChanged.connect(self._filter)
        self.anchor_filter.hide()
        pane = w.claims_pane
        pane.filters_row.addWidget(self.anchor_filter)
        pane.filters = (*pane.filters, self.anchor_filter)  # cleared with the others

        w.import_version_action = action(w, "Import new &version of this article…", None, self.import_new_version)
        w.take_wording_action = action(w, "&Take the new wording", "T", self.confirm)
        w.orphan_action = action(w, "Not in &this revision", "O", self.orphan)
        file_menu = w.menuBar().actions()[0].menu()
        file_menu.insertAction(w.export_action, w.import_version_action)
        claim_menu = next(a.menu() for a in w.menuBar().actions() if a.text() == "&Claim")
        claim_menu.insertAction(w.redetect_action, w.take_wording_action)
        claim_menu.insertAction(w.redetect_action, w.orphan_action)
        claim_menu.insertSeparator(w.redetect_action)
        for single in (w.take_wording_action, w.orphan_action):
            one_key(w, single)

    # -- the open article -------------------------------------------------------------------

    def article_shown(self) -> None:
        """The open article or its text changed: show its current text, its revisions, its orphans."""
        w = self._w
        article = w.desk.article
        self._revisions = (w.guard(lambda: w.bench.revision_numbers(article.id)) or []) if article is not None else []
        picker = self.bar.revision_picker
        picker.blockSignals(True)
        picker.clear()
        for i, (number, imported_at) in enumerate(self._revisions):
            when = f" · {imported_at:%Y-%m-%d %H:%M}" if imported_at else ""
            current = " (current)" if i == len(self._revisions) - 1 else ""
            picker.addItem(f"{number}{when}{current}", number)
        picker.setCurrentIndex(len(self._revisions) - 1)
        picker.blockSignals(False)
        self._fill_compare()
        several = len(self._revisions) > 1
        self.bar.setVisible(several)
        self.anchor_filter.setVisible(several or any(c.anchor is not Anchor.ANCHORED for c in w.desk.claims))
        self._show_picked()
        self.show_orphans()

    def text_changed(self) -> None:
        """After a ChangeSet: a new revision replaced the text the view shows."""
        w = self._w
        article = w.desk.article
        if article is not None and article.text != w.article_view.shown_text:
            w.article_view.show_article(article.text, w.desk.visible(), w.bench.segments(article.id))
            self.article_shown()
        else:
            self.show_orphans()

    def claims_changed(self, claims: Iterable[Claim]) -> None:
        """Claims changed in place: the orphans' list again only if one of them is or was on it
        (not at every verdict, which would scan every claim of a long article)."""
        if any(c.anchor is Anchor.ORPHANED or c.id in self._listed for c in claims):
            self.show_orphans()

    def show_orphans(self) -> None:
        orphans = [c for c in self._w.desk.claims if c.anchor is Anchor.ORPHANED]
        self._listed = {c.id for c in orphans}
        self.orphans.clear()
        for claim in orphans:
            item = QListWidgetItem(f"#{claim.number}  {clip(claim.quote, 90)}")
            item.setData(Qt.ItemDataRole.UserRole, claim.id)
            item.setToolTip(claim.anchor_note)
            self.orphans.addItem(item)
        self.orphans_title.setText(f"Not in this revision ({len(orphans)})")
        self.orphans_box.setVisible(bool(orphans))

    def _fill_compare(self) -> None:
        combo = self.bar.compare_picker
        shown = self.bar.revision_picker.currentData()
        combo.blockSignals(True)
        combo.clear()
        combo.addItem("No differences shown", None)
        for number, _ in self._revisions:
            if number != shown:
                combo.addItem(f"Differences from revision {number}", number)
        combo.blockSignals(False)

    def _revision_picked(self) -> None:
        self._fill_compare()
        self._show_picked()

    def _show_picked(self) -> None:
        """The current revision shows in the article view, with its claims; an earlier one, or
        the differences between two, in a read-only view in its place."""
        w = self._w
        shown, against = self.bar.revision_picker.currentData(), self.bar.compare_picker.currentData()
        current = self._revisions[-1][0] if self._revisions else None
        article = w.desk.article
        texts: dict[int, str] = {}
        if article is not None and shown is not None and (shown != current or against is not None):
            texts = {r.number: r.text for r in w.guard(lambda: w.bench.revisions(article.id)) or []}
        if shown not in texts or (against is not None and against not in texts):  # the current text, or unreadable
            self.old_text.hide()
            w.article_view.show()
            self.bar.note.setText("")
            return
        if against is None:
            self.old_text.setPlainText(texts[shown])
            self.bar.note.setText("An earlier revision: read-only, without its claims.")
        else:
            older, newer = sorted((against, shown))
            self.old_text.setHtml(diff_html(texts[older], texts[newer]))
            self.bar.note.setText(f"Revision {older} → {newer}: inserted in green, deleted struck out in red.")
        self.bar.compare_picker.setToolTip(self.bar.note.text())
        w.article_view.hide()
        self.old_text.show()

    def show_revision(self, number: int, compare_with: int | None = None) -> None:
        """Pick a revision (and another to compare it with), as the user would."""
        picker = self.bar.revision_picker
        picker.setCurrentIndex(picker.findData(number))
        self._fill_compare()
        compare = self.bar.compare_picker
        compare.setCurrentIndex(max(0, compare.findData(compare_with)) if compare_with is not None else 0)
        self._show_picked()

    def _filter(self) -> None:
        value = self.anchor_filter.currentData()
        self._w.proxy.set_anchor(Anchor(value) if value else None)
        self._w.claims_pane.update_counts()

    # -- importing a new version ------------------------------------------------------------

    def import_new_version(self) -> None:
        w = self._w
        article = w.desk.article
        if article is None:
            dialogs.show_error(w, "Open an article first: a new version is of the open article.")
            return
        path = dialogs.ask_import_path(w)
        if path is not None:
            self.import_from(article.id, path)

    def import_from(self, article_id: int, source: Path | str) -> None:
        w = self._w
        w.editor.flush()

        def work() -> tuple[CarryOver, ChangeSet]:
            from app.ingest import read_source

            return w.bench.import_revision(article_id, read_source(source))

        w.status.bar.showMessage("Importing the new version…")
        w.runner.run(work, self.imported, w.files.failed)

    def imported(self, result: tuple[CarryOver, ChangeSet]) -> None:
        summary, changes = result
        w = self._w
        # Undo steps hold offsets into the old text: put back there, a claim would land wrong.
        w.undo_stack.clear()
        w.apply_changes(changes)
        w.status.say(summary.describe())

    # -- settling a changed claim -------------------------------------------------------------

    def confirm(self) -> None:
        self._settle(True)

    def orphan(self) -> None:
        self._settle(False)

    def _settle(self, take: bool) -> None:
        w = self._w
        claim = w.editor.claim
        if claim is None or claim.anchor is Anchor.ANCHORED or (not take and claim.anchor is not Anchor.CHANGED):
            return
        w.editor.flush()
        w.push(SettleAnchor(w, claim, take))


class SettleAnchor(Command):
    """T takes a changed claim's new wording (or an orphan's suggested place); O marks a changed
    claim as not in this revision. Undo puts its place back as it was."""

    def __init__(self, target: MainWindow, claim: Claim, take: bool) -> None:
        super().__init__(target, "take the new wording" if take else "mark as not in this revision")
        self.before = claim
        self.take = take

    def _redo(self) -> None:
        write = self.bench.confirm_anchor if self.take else self.bench.orphan_claim
        settled, changes = write(self.before.id)
        self._whole(settled, changes)
        said = "new wording taken" if self.take else "listed under “Not in this revision”"
        self.target.status.say(f"Claim #{settled.number}: {said}.")  # type: ignore[attr-defined]

    def _undo(self) -> None:
        restored, changes = self.bench.restore_anchor(self.before)
        self._whole(restored, changes)

    def _whole(self, claim: Claim, changes: ChangeSet) -> None:
        # The highlights change (a claim leaves or rejoins the text): the whole list again.
        self.target.apply_changes(changes | ChangeSet(articles_updated=frozenset({claim.article_id})), focus=claim.id)
