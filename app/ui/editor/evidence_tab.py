"""The Evidence tab of the claim panel: references to add as sources in one click, the claim's
figures against its sources' passages, two passages compared side by side, and the evidence saved.

All the checking is app.evidence (no Qt); this tab shows it and turns saving into undoable commands.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt, QUrl
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import (
    QComboBox,
    QFrame,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPlainTextEdit,
    QPushButton,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from app.domain import Claim, Kind, SourceKind, Stance
from app.domain.evidence import Evidence, EvidenceKind, Passage
from app.domain.validate import ValidationError, source_url
from app.ui import dialogs, undo

if TYPE_CHECKING:  # app.evidence loads when the tab is first opened on a claim (see ClaimEditor.show_evidence)
    from app.evidence.compare import Comparison
    from app.evidence.numbers import FigureCheck
    from app.evidence.refs import Reference

OWN_TEXT = "Your own text"
MISMATCH_COLOUR = "#b3261e"
AGREE_COLOUR = "#1e6b34"


def _open(url: str, parent: QWidget) -> None:
    try:
        source_url(url)  # only http(s) is ever handed to the browser
    except ValidationError as exc:
        dialogs.show_error(parent, str(exc))
        return
    QDesktopServices.openUrl(QUrl(url))


class PassagePicker(QWidget):
    """One side of a comparison: a shipped treaty article, a source's quoted passage, the claim, or typed text."""

    def __init__(self, title: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.choice = QComboBox()
        self.choice.setObjectName(f"{title.lower()}Choice")
        self.text = QPlainTextEdit()
        self.text.setPlaceholderText("Paste a passage, or pick one above")
        self.text.setFixedHeight(90)
        self._passages: list[Passage] = []
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(QLabel(f"<b>{title}</b>"))
        layout.addWidget(self.choice)
        layout.addWidget(self.text)
        self.choice.currentIndexChanged.connect(self._picked)

    def offer(self, passages: Sequence[Passage], pick: str | None) -> None:
        self._passages = [*passages, Passage("", OWN_TEXT)]
        self.choice.blockSignals(True)
        self.choice.clear()
        for p in self._passages:
            self.choice.addItem(p.label)
        self.choice.blockSignals(False)
        index = next((i for i, p in enumerate(self._passages) if p.label == pick), len(self._passages) - 1)
        self.choice.setCurrentIndex(index)
        self._picked(index)

    def _picked(self, index: int) -> None:
        if 0 <= index < len(self._passages) and self._passages[index].label != OWN_TEXT:
            self.text.setPlainText(self._passages[index].text)
        elif index >= 0:
            self.text.clear()

    def passage(self) -> Passage:
        index = self.choice.currentIndex()
        chosen = self._passages[index] if 0 <= index < len(self._passages) else Passage("")
        text = self.text.toPlainText().strip()
        if chosen.label == OWN_TEXT or text != chosen.text.strip():
            label = "Your own text" if chosen.label == OWN_TEXT else f"{chosen.label} (edited)"
            return Passage(text, label, "" if chosen.label == OWN_TEXT else chosen.url)
        return chosen


class EvidenceTab(QWidget):
    """Everything that helps check the claim shown; saving goes through the undo stack."""

    def __init__(self, target: undo.UndoTarget, claim: Callable[[], Claim | None], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._target = target
        self._claim = claim
        self._refs: list[Reference] = []
        self._checks: list[tuple[Passage, list[FigureCheck]]] = []
        self._figures_of: tuple[object, ...] = ()  # what the figures shown were worked out from
        self._evidence: list[Evidence] = []
        self._comparison: Comparison | None = None
        self._locked = False

        # References: one row each, with its own buttons.
        self.refs_box = QGroupBox("Resolutions and treaty articles")
        self.refs_layout = QVBoxLayout(self.refs_box)
        self.refs_note = QLabel()
        self.refs_note.setWordWrap(True)
        self.refs_note.setObjectName("evidenceNote")
        self.ref_buttons: dict[str, QPushButton] = {}

        # Figures: the claim's against each source's passage.
        self.figures_box = QGroupBox("Figures against the sources")
        self.figures = QLabel()
        self.figures.setObjectName("figuresLabel")
        self.figures.setWordWrap(True)
        self.figures.setTextFormat(Qt.TextFormat.RichText)
        self.save_figures_button = QPushButton("Save figures check")
        figures_layout = QVBoxLayout(self.figures_box)
        figures_layout.addWidget(self.figures)
        row = QHBoxLayout()
        row.addStretch(1)
        row.addWidget(self.save_figures_button)
        figures_layout.addLayout(row)

        # Compare two passages.
        self.compare_box = QGroupBox("Compare two passages")
        self.left = PassagePicker("Left")
        self.right = PassagePicker("Right")
        self.compare_button = QPushButton("&Compare")
        self.save_comparison_button = QPushButton("Save as evidence")
        self.sentence = QLabel()
        self.sentence.setObjectName("similaritySentence")
        self.sentence.setWordWrap(True)
        self.diff_view = QTextBrowser()
        self.diff_view.setObjectName("diffView")
        self.diff_view.setMinimumHeight(160)
        grid = QGridLayout(self.compare_box)
        grid.addWidget(self.left, 0, 0)
        grid.addWidget(self.right, 0, 1)
        buttons = QHBoxLayout()
        buttons.addWidget(self.compare_button)
        buttons.addStretch(1)
        buttons.addWidget(self.save_comparison_button)
        grid.addLayout(buttons, 1, 0, 1, 2)
        grid.addWidget(self.sentence, 2, 0, 1, 2)
        grid.addWidget(self.diff_view, 3, 0, 1, 2)

        # Saved evidence.
        self.saved_box = QGroupBox("Saved evidence")
        self.saved = QListWidget()
        self.saved.setObjectName("evidenceList")
        self.saved.setWordWrap(True)
        self.saved.setMaximumHeight(110)
        self.remove_button = QPushButton("Remove")
        saved_layout = QVBoxLayout(self.saved_box)
        saved_layout.addWidget(self.saved)
        row = QHBoxLayout()
        row.addStretch(1)
        row.addWidget(self.remove_button)
        saved_layout.addLayout(row)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 4, 0, 0)
        for box in (self.refs_box, self.figures_box, self.compare_box, self.saved_box):
            layout.addWidget(box)
        layout.addStretch(1)

        self.compare_button.clicked.connect(self.run_comparison)
        self.save_comparison_button.clicked.connect(self.save_comparison)
        self.save_figures_button.clicked.connect(self.save_figures)
        self.saved.currentRowChanged.connect(self._show_saved)
        self.remove_button.clicked.connect(self.remove_selected)

    # -- showing ----------------------------------------------------------------------------

    def show_claim(self, claim: Claim, context: str, evidence: Sequence[Evidence]) -> None:
        """A claim newly shown: its references, figures, comparison defaults and saved evidence."""
        from app.evidence.refs import all_articles, comparison_pair, references
        self._locked = claim.locked
        self.save_comparison_button.setEnabled(not claim.locked)
        found = references(claim.quote, context)
        self._show_refs(found.references, found.note)
        self._show_figures(claim)
        left, right = comparison_pair(claim.quote, context) if claim.kind is Kind.TREATY or "rticle" in claim.quote else (None, None)
        choices = []
        for r in all_articles():
            choices.append(Passage(r.text, r.title, r.url))
            if r.original:  # a translation: the original is there to compare too
                choices.append(Passage(r.original, f"{r.title}, original text", r.url))
        choices += [Passage(s.passage, f"Source: {s.title or s.url}", s.url) for s in claim.sources if s.passage.strip()]
        choices.append(Passage(claim.quote, "The claim's own words"))
        self.left.offer(choices, left.title if left else None)
        self.right.offer(choices, right.title if right else None)
        self._comparison = None
        self.sentence.clear()
        self.diff_view.clear()
        self.diff_view.hide()  # until there is a comparison to show
        self.compare_box.setVisible(True)
        self.show_evidence(evidence)

    def refresh(self, claim: Claim, evidence: Sequence[Evidence]) -> None:
        """The same claim, changed (a source added, evidence saved): keep what is being compared."""
        self._locked = claim.locked
        for button in self.ref_buttons.values():
            button.setEnabled(not claim.locked)
        self.save_comparison_button.setEnabled(not claim.locked)
        self._show_figures(claim)
        self.show_evidence(evidence, same_claim=True)

    def _show_refs(self, refs: Sequence[Reference], note: str) -> None:
        while self.refs_layout.count():
            item = self.refs_layout.takeAt(0)
            widget = item.widget() if item is not None else None
            if widget is not None and widget is not self.refs_note:
                widget.hide()  # at once: deleteLater waits for the event loop's next turn
                widget.deleteLater()
        self._refs = list(refs)
        self.ref_buttons = {}
        for ref in refs:
            self.refs_layout.addWidget(self._ref_row(ref))
        self.refs_note.setText(note or ("" if refs else "No UN resolution or shipped treaty article named in this claim."))
        self.refs_layout.addWidget(self.refs_note)
        self.refs_note.setVisible(bool(self.refs_note.text()))

    def _ref_row(self, ref: Reference) -> QWidget:
        row = QFrame()
        row.setObjectName("referenceRow")
        label = QLabel(f"<b>{ref.title}</b><br><span style='color:#555'>{ref.summary}</span>")
        label.setWordWrap(True)
        label.setToolTip(ref.url)
        open_button = QPushButton("Open")
        open_button.setToolTip(ref.url)
        add_button = QPushButton("Add as source")
        add_button.setToolTip("Add it to the Sources tab as a primary document")
        add_button.setEnabled(not self._locked)
        open_button.clicked.connect(lambda _=False, url=ref.url: _open(url, self))
        add_button.clicked.connect(lambda _=False, r=ref: self.add_reference(r))
        self.ref_buttons[ref.key] = add_button
        layout = QHBoxLayout(row)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(label, 1)
        layout.addWidget(open_button)
        layout.addWidget(add_button)
        return row

    def _show_figures(self, claim: Claim) -> None:
        from app.evidence.numbers import read_figures
        from app.services.evidence import NUMBER_KINDS, figures_against  # SQLAlchemy: not at start (app.first_screen)
        # They depend on these only: a verdict change shows the same figures, so they are not
        # parsed again (parsing a claim's numbers was a tenth of a verdict change).
        of = (claim.quote, claim.kind, self._locked, tuple((s.passage, s.title, s.url) for s in claim.sources))
        if of == self._figures_of:
            return
        self._figures_of = of
        own = read_figures(claim.quote)
        wanted = claim.kind in NUMBER_KINDS
        self.figures_box.setVisible(wanted)
        self._checks = []
        if not wanted:
            return
        lines = []
        for source in claim.sources:
            if not source.passage.strip():
                continue
            passage = Passage(source.passage, source.title or source.url, source.url)
            checks = figures_against(claim, passage)
            self._checks.append((passage, checks))
            for check in checks:
                colour = MISMATCH_COLOUR if check.mismatch else AGREE_COLOUR if check.consistent else "#555"
                mark = "✗" if check.mismatch else "✓" if check.consistent else "·"
                lines.append(f"<span style='color:{colour}'>{mark} {_esc(check.line)}</span>"
                             f" <span style='color:#777'>— {_esc(passage.label)}</span>")
        if not lines:
            shown = ", ".join(f.shown for f in own) or "none"
            lines.append(f"The claim's figures: {_esc(shown)}. Add a source with a quoted passage to check them.")
        else:
            lines.append("<span style='color:#777'>A hint for you, not a verdict.</span>")
        self.figures.setText("<br>".join(lines))
        self.save_figures_button.setEnabled(not self._locked and any(checks for _, checks in self._checks))

    def show_evidence(self, evidence: Sequence[Evidence], same_claim: bool = False) -> None:
        self.remove_button.setEnabled(bool(evidence) and not self._locked)
        if same_claim and list(evidence) == self._evidence and self.saved.count() == len(evidence):
            return  # the claim changed, not its evidence (a verdict): the list and what it shows stay
        current = self.saved.currentRow()
        self._evidence = list(evidence)
        self.saved.clear()
        for item in evidence:
            flag = "⚠ " if item.mismatch else ""
            entry = QListWidgetItem(f"{flag}{item.kind.label}: {item.summary}")
            entry.setData(Qt.ItemDataRole.UserRole, item.id)
            self.saved.addItem(entry)
        self.saved_box.setTitle(f"Saved evidence ({len(evidence)})")
        self.saved_box.setVisible(bool(evidence))
        if evidence:
            self.saved.setCurrentRow(min(max(current, 0), len(evidence) - 1) if current >= 0 else len(evidence) - 1)

    def _show_saved(self, row: int) -> None:
        from app.evidence.compare import side_by_side_html
        if not 0 <= row < len(self._evidence):
            return
        item = self._evidence[row]
        if item.kind is EvidenceKind.COMPARISON:
            self.sentence.setText(item.summary)
            self.diff_view.setHtml(side_by_side_html(item.diff, item.left.label, item.right.label))
            self.diff_view.show()

    # -- what the buttons do ----------------------------------------------------------------

    def run_comparison(self) -> Comparison | None:
        from app.evidence.compare import compare, side_by_side_html
        left, right = self.left.passage(), self.right.passage()
        if not left.text or not right.text:
            self.sentence.setText("Pick or paste two passages to compare.")
            return None
        self._comparison = compare(left, right)
        self.sentence.setText(self._comparison.sentence)
        self.diff_view.setHtml(side_by_side_html(self._comparison.diff, left.label, right.label))
        self.diff_view.show()
        return self._comparison

    def save_comparison(self) -> None:
        claim = self._claim()
        if claim is None:
            return
        result = self.run_comparison()
        if result is not None:
            self._target.push(SaveEvidence(self._target, claim.id, EvidenceKind.COMPARISON, result.left, result.right))

    def save_figures(self) -> None:
        claim = self._claim()
        if claim is None:
            return
        for passage, checks in self._checks:
            if checks:
                self._target.push(SaveEvidence(self._target, claim.id, EvidenceKind.NUMBERS, None, passage))

    def add_reference(self, ref: Reference) -> None:
        """One click: the resolution or article as a primary-document source of the claim."""
        claim = self._claim()
        if claim is None:
            return
        if any(s.url == ref.url for s in claim.sources):
            self._target.show_error(f"{ref.title} is already a source of this claim.")
            return
        fields = {"url": ref.url, "title": ref.title, "publisher": ref.publisher, "kind": SourceKind.PRIMARY,
                  "stance": Stance.CONTEXT, "passage": ref.text, "note": "" if ref.text else ref.summary}
        self._target.push(undo.AddSource(self._target, claim.id, fields))

    def remove_selected(self) -> None:
        row = self.saved.currentRow()
        if 0 <= row < len(self._evidence):
            self._target.push(RemoveEvidence(self._target, self._evidence[row]))


def _esc(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


class SaveEvidence(undo.Command):
    """Save a comparison (left, right) or a figures check (right: the source's passage); undo removes it."""

    def __init__(self, target: undo.UndoTarget, claim_id: int, kind: EvidenceKind, left: Passage | None,
                 right: Passage) -> None:
        super().__init__(target, "Save comparison" if kind is EvidenceKind.COMPARISON else "Save figures check")
        self.claim_id, self.kind, self.left, self.right = claim_id, kind, left, right
        self.saved: Evidence | None = None

    def _redo(self) -> None:
        if self.saved is not None:
            self.saved, changes = self.bench.restore_evidence(self.saved)
        elif self.kind is EvidenceKind.COMPARISON:
            assert self.left is not None
            self.saved, changes = self.bench.save_comparison(self.claim_id, self.left, self.right)
        else:
            self.saved, changes = self.bench.save_figures(self.claim_id, self.right)
        self._show(changes, claim_id=self.claim_id)

    def _undo(self) -> None:
        assert self.saved is not None
        self._show(self.bench.remove_evidence(self.saved.id), claim_id=self.claim_id, replay=True)


class RemoveEvidence(undo.Command):
    def __init__(self, target: undo.UndoTarget, item: Evidence) -> None:
        super().__init__(target, "Remove evidence")
        self.item = item

    def _redo(self) -> None:
        self._show(self.bench.remove_evidence(self.item.id), claim_id=self.item.claim_id)

    def _undo(self) -> None:
        self.item, changes = self.bench.restore_evidence(self.item)
        self._show(changes, claim_id=self.item.claim_id, replay=True)
