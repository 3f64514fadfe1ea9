"""The conflict dialog, driven with qtbot: both values side by side, and each choice gives the right value."""

from __future__ import annotations

from datetime import datetime

import pytest
from PySide6.QtCore import Qt

from app.ui.conflict_dialog import Choice, ConflictDialog, Resolution

pytestmark = pytest.mark.gui

THEIRS = "About 3,000 troops, at two bases."
YOURS = "Russia has about 3,000 troops at Gyumri."


@pytest.fixture
def dialog(qtbot) -> ConflictDialog:  # type: ignore[no-untyped-def]
    dialog = ConflictDialog(None, "summary", THEIRS, YOURS, by="ben", at=datetime(2026, 11, 30, 5, 12))
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    return dialog


def test_shows_theirs_and_yours_side_by_side_and_who_changed_it(dialog) -> None:
    assert dialog.theirs_view.toPlainText() == THEIRS and dialog.theirs_view.isReadOnly()
    assert dialog.yours_view.toPlainText() == YOURS and dialog.yours_view.isReadOnly()
    assert dialog.theirs_view.geometry().top() == dialog.yours_view.geometry().top()
    assert dialog.theirs_view.geometry().right() < dialog.yours_view.geometry().left()
    assert "ben changed the verdict summary of this claim on 30 Nov 2026 at 05:12" in dialog.intro.text()
    assert dialog.merge_edit.isVisible() and dialog.merge_edit.toPlainText() == YOURS


@pytest.mark.parametrize(
    ("button", "expected"),
    [("theirs_button", Resolution(Choice.THEIRS, THEIRS)), ("mine_button", Resolution(Choice.MINE, YOURS))],
)
def test_keep_theirs_and_use_mine(qtbot, dialog, button: str, expected: Resolution) -> None:
    with qtbot.waitSignal(dialog.accepted, timeout=1000):
        qtbot.mouseClick(getattr(dialog, button), Qt.MouseButton.LeftButton)
    assert dialog.resolution == expected


def test_a_merge_starts_from_yours_and_is_what_the_user_typed(qtbot, dialog) -> None:
    assert not dialog.merge_button.isEnabled()  # unchanged, the "merge" would just be yours
    dialog.merge_edit.moveCursor(dialog.merge_edit.textCursor().MoveOperation.End)
    qtbot.keyClicks(dialog.merge_edit, " and Erebuni; two bases.")
    assert dialog.merge_button.isEnabled()
    qtbot.mouseClick(dialog.merge_button, Qt.MouseButton.LeftButton)
    assert dialog.resolution == Resolution(Choice.MERGE, YOURS + " and Erebuni; two bases.")
    assert dialog.result() == ConflictDialog.DialogCode.Accepted


def test_escape_keeps_theirs(qtbot, dialog) -> None:
    dialog.merge_edit.setPlainText("half a thought")
    qtbot.keyClick(dialog, Qt.Key.Key_Escape)
    assert dialog.resolution == Resolution(Choice.THEIRS, THEIRS)


def test_a_field_that_is_not_text_offers_no_merge(qtbot) -> None:  # type: ignore[no-untyped-def]
    dialog = ConflictDialog(None, "verdict", "False", "Verified", by="ben")
    qtbot.addWidget(dialog)
    dialog.show()
    assert not dialog.merge_edit.isVisible() and not dialog.merge_button.isVisible()
    assert dialog.theirs_button.isVisible() and dialog.mine_button.isVisible()
    assert dialog.windowTitle() == "The verdict changed while you were editing it"

