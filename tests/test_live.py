"""The window while another process works on the same database: it follows, and never loses typing.

Real subprocesses of the command line, a real window, the real service: no mocks.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import ROOT
from PySide6.QtCore import Qt
from test_window import claim_with

from app.domain import State
from app.ui.conflict_dialog import Choice, ConflictDialog, Resolution

pytestmark = pytest.mark.gui

LIVE_MS = 2000  # the issue: other processes' changes show within 2 s




def cli(db: Path, *args: str, actor: str = "ben") -> subprocess.CompletedProcess[str]:
    """The command line, as a colleague at the same desk runs it, to completion."""
    env = dict(os.environ)
    env.pop("CLAIMDESK_DB", None)
    result = subprocess.run(
        [sys.executable, "-m", "app", "--db", str(db), "--as", actor, *args],
        capture_output=True, text=True, env=env, cwd=ROOT, timeout=120,
    )
    assert result.returncode == 0, result.stderr
    return result


def ready_for_ben(bench, claim_id: int) -> None:  # type: ignore[no-untyped-def]
    """Ana's verdict and two publishers, in review: what ben's sign-off needs."""
    actor = bench.actor
    bench.actor = "Ana Checker"
    bench.update_claim(claim_id, verdict=bench.scale().rating("false"))
    bench.add_source(claim_id, "https://mod.example/report", publisher="Ministry of Defence")
    bench.add_source(claim_id, "https://news.example/story", publisher="News Agency")
    bench.update_claim(claim_id, state=State.IN_REVIEW)
    bench.actor = actor


def test_a_claim_approved_from_the_command_line_shows_as_approved(qtbot, window, bench, sample_article, db_path) -> None:
    troops = claim_with(bench, sample_article.id, "3 000 Russians")
    ready_for_ben(bench, troops.id)
    window.select_claim(troops.id)
    qtbot.waitUntil(lambda: window.editor.claim.state is State.IN_REVIEW, timeout=LIVE_MS)
    assert not window.editor.reopen_button.isVisible()

    cli(db_path, "review", str(troops.id), "--state", "approved")

    def approved_everywhere() -> bool:
        row = window.model.row_of(troops.id)
        return (
            window.editor.claim.state is State.APPROVED
            and window.editor.reopen_button.isVisible()
            and window.editor.state_label.text().startswith("<b>Approved</b>")
            and row is not None and window.model.claim(troops.id).state is State.APPROVED
            and "ben" in window.statusBar().currentMessage()
        )

    qtbot.waitUntil(approved_everywhere, timeout=LIVE_MS)
    assert f"Claim #{troops.number} approved by ben" in window.statusBar().currentMessage()
    assert window.editor.summary.isReadOnly() and not window.editor.verdict.isEnabled()
    assert window.progress_label.text().endswith("1 approved")
    assert any("approved" in window.editor.history.item(i).text() for i in range(window.editor.history.count()))


def test_an_article_imported_from_the_command_line_appears_in_the_list(qtbot, window, db_path, tmp_path) -> None:
    before = window.articles.count()
    text = tmp_path / "budget.txt"
    text.write_text("Budget day\n\nThe deficit fell to 4.1 percent of GDP in 2023, the ministry said.\n", "utf-8")
    new_id = int(cli(db_path, "import", str(text)).stdout.strip())

    def listed() -> bool:
        return any(new_id == window.articles.model().index(i, 0).data(256) for i in range(window.articles.model().rowCount()))

    qtbot.waitUntil(listed, timeout=LIVE_MS)
    assert window.articles.count() == before + 1
    assert "imported" in window.statusBar().currentMessage()


THEIRS = "Ben: about 3,000, at two bases."
MINE = "Ana: roughly 3,000 troops"
MERGED = "Both: about 3,000 troops, at two bases."


class Asked(list[tuple[str, str, str, str]]):
    """The conflict dialog's questions (field, theirs, yours, by), each answered with `answer`."""

    answer = Choice.THEIRS


@pytest.fixture
def asked(monkeypatch: pytest.MonkeyPatch) -> Asked:
    """ConflictDialog.ask replaced: never shown, the questions recorded and answered."""
    questions = Asked()

    def ask(_cls, _parent, field, theirs, yours, *, by="", at=None, text=None):  # type: ignore[no-untyped-def]
        questions.append((field, theirs, yours, by))
        value = {Choice.THEIRS: theirs, Choice.MINE: yours, Choice.MERGE: MERGED}[questions.answer]
        return Resolution(questions.answer, value)

    monkeypatch.setattr(ConflictDialog, "ask", classmethod(ask))
    return questions


@pytest.mark.parametrize("how", ["noticed", "refused"])
@pytest.mark.parametrize(("choice", "expected"), [(Choice.THEIRS, THEIRS), (Choice.MINE, MINE), (Choice.MERGE, MERGED)])
def test_typing_that_clashes_with_another_process_goes_through_the_conflict_dialog(
    qtbot, window, bench, sample_article, db_path, asked, how: str, choice: Choice, expected: str
) -> None:
    """"noticed": the poll brings their summary while mine is unsaved; "refused": my save is
    refused as a Conflict (stale version) because theirs landed first. Either way: asked once,
    and the chosen text ends up in the panel and the database."""
    asked.answer = choice
    troops = claim_with(bench, sample_article.id, "3 000 Russians")
    window.select_claim(troops.id)
    window.live.stop()  # the test decides when the window looks; below, at once
    qtbot.keyClicks(window.editor.summary, MINE)

    cli(db_path, "review", str(troops.id), "--summary", THEIRS)
    if how == "noticed":
        window.live.poll()
    else:
        window.editor.flush()

    assert asked == [("summary", THEIRS, MINE, "ben")]
    window.editor.flush()
    qtbot.waitUntil(lambda: bench.claim(troops.id).summary == expected, timeout=LIVE_MS)
    assert window.editor.summary.toPlainText() == expected
    assert window.editor.claim.summary == expected
    window.live.poll()  # and the next look at the database asks nothing more
    assert len(asked) == 1 and window.editor.summary.toPlainText() == expected


def test_untouched_text_changed_elsewhere_shows_at_once_without_asking(qtbot, window, bench, sample_article, db_path, asked) -> None:
    troops = claim_with(bench, sample_article.id, "3 000 Russians")
    window.select_claim(troops.id)
    qtbot.keyClicks(window.editor.notes, "Asked the MoD.")
    window.editor.flush()
    cli(db_path, "review", str(troops.id), "--summary", THEIRS)
    qtbot.waitUntil(lambda: window.editor.summary.toPlainText() == THEIRS, timeout=LIVE_MS)
    assert asked == [] and window.editor.notes.toPlainText() == "Asked the MoD."
    assert bench.claim(troops.id).notes == "Asked the MoD."


def test_an_own_edit_is_not_announced_as_someone_elses(qtbot, window, bench, sample_article) -> None:
    troops = claim_with(bench, sample_article.id, "3 000 Russians")
    window.select_claim(troops.id)
    qtbot.keyClicks(window.editor.summary, "Mine.")
    window.editor.flush()
    window.live.poll()
    assert window.statusBar().currentMessage() == "" and window.editor.summary.toPlainText() == "Mine."



def test_a_verdict_refused_as_stale_asks_and_use_mine_writes_it(qtbot, window, bench, sample_article, asked) -> None:
    """Not text: no merge, but the same choice; "use mine" writes it over theirs, knowingly."""
    from app.services import Workbench

    asked.answer = Choice.MINE
    troops = claim_with(bench, sample_article.id, "3 000 Russians")
    window.select_claim(troops.id)
    Workbench(bench._sessions, actor="ben").update_claim(troops.id, verdict=bench.scale().rating("false"))
    window.editor.set_verdict_number(1)  # the panel still shows no verdict: a stale write

    assert asked == [("verdict", "False", "Verified", "ben")]
    assert bench.claim(troops.id).verdict_name == "Verified" and window.editor.verdict.currentText() == "Verified"
    assert window.undo_stack.count() == 1 and window.undo_stack.undoText() == "Set verdict to Verified"


def test_a_claim_deleted_elsewhere_while_typing_keeps_the_typing_on_the_clipboard(
    qtbot, window, bench, sample_article, asked
) -> None:
    from PySide6.QtWidgets import QApplication

    from app.services import Workbench

    troops = claim_with(bench, sample_article.id, "3 000 Russians")
    window.select_claim(troops.id)
    window.live.stop()
    qtbot.keyClicks(window.editor.summary, MINE)
    Workbench(bench._sessions, actor="ben").delete_claim(troops.id)
    window.live.poll()
    assert window.editor.claim is not None and window.editor.claim.id != troops.id
    assert QApplication.clipboard().text() == MINE and "your unsaved text is on the clipboard" in window.statusBar().currentMessage()
    assert asked == []


def test_a_scale_and_a_sensitivity_chosen_elsewhere_apply_and_keep_the_selection(qtbot, window, bench, sample_article, db_path) -> None:
    from app.domain.sensitivity import SETTING_KEY, Sensitivity

    troops = claim_with(bench, sample_article.id, "3 000 Russians")
    window.select_claim(troops.id)
    cli(db_path, "scale", "politifact")
    qtbot.waitUntil(lambda: "Pants on Fire!" in window.editor.legend.text(), timeout=LIVE_MS)
    bench.set_setting(SETTING_KEY, Sensitivity.MORE.stored())
    qtbot.waitUntil(lambda: window.sensitivity is Sensitivity.MORE, timeout=LIVE_MS)
    assert window.sensitivity_buttons[Sensitivity.MORE].isChecked()
    rows = window.table.selectionModel().selectedRows()
    assert window.editor.claim.id == troops.id and len(rows) == 1
    assert window.proxy.data(rows[0], Qt.ItemDataRole.UserRole + 1) == troops.id
