"""The Earlier checks tab: a claim checked in another article, opened in one click, and started from."""

from __future__ import annotations

from PySide6.QtCore import Qt

from app.domain import State
from app.ingest import from_pasted


def _earlier_check(bench, sample_article):  # type: ignore[no-untyped-def]
    """A claim of the sample, rated false with two sources; a new article that repeats it."""
    checked = next(c for c in bench.claims(sample_article.id) if len(c.quote.split()) >= 6)
    bench.actor = "Ben Researcher"
    bench.update_claim(checked.id, verdict=bench.scale().rating("false"), summary="The records show otherwise.")
    bench.add_source(checked.id, "https://example.org/record", title="Record", publisher="Archive")
    bench.add_source(checked.id, "https://example.net/count", title="Count", publisher="Census")
    new, _ = bench.add_article(from_pasted(f"Follow-up interview\n\nThe minister repeated it: {checked.quote}\n"))
    start = new.text.index(checked.quote)
    fresh, _ = bench.mark_claim(new.id, start, start + len(checked.quote))
    return bench.claim(checked.id), new, fresh


def test_earlier_checks_show_a_match_from_another_article_open_it_and_start_from_it(
    qtbot, window, bench, sample_article,  # type: ignore[no-untyped-def]
) -> None:
    checked, new, fresh = _earlier_check(bench, sample_article)
    window.open_claim(new.id, fresh.id)
    editor = window.editor
    assert editor.claim.id == fresh.id
    box = editor.earlier_checks
    editor.tabs.setCurrentWidget(box)
    assert editor.tabs.tabText(editor.tabs.currentIndex()) == "Earlier checks (1)"
    (check,) = box.checks
    assert (check.claim_id, check.verdict, check.same) == (checked.id, "False", True)
    (row,) = box.rows
    shown = row.findChild(type(box.note), "earlierText").text()
    assert "Same claim" in shown and "False" in shown and sample_article.title[:20] in shown
    assert checked.quote[:30] in shown

    # One click opens the earlier claim in its own article.
    (open_button,) = box.buttons("earlierOpen")
    qtbot.mouseClick(open_button, Qt.MouseButton.LeftButton)
    assert window.desk.article.id == sample_article.id and editor.claim.id == checked.id
    assert window.model.claim(checked.id) is not None and window.table.currentIndex().isValid()
    assert box.checks == []  # the earlier claim's own article is not an earlier check of it

    # Back to the new claim: start from the check, as a draft.
    window.open_claim(new.id, fresh.id)
    (start_button,) = box.buttons("earlierStart")
    qtbot.mouseClick(start_button, Qt.MouseButton.LeftButton)
    stored = bench.claim(fresh.id)
    assert stored.summary == "The records show otherwise."
    assert sorted(s.url for s in stored.sources) == ["https://example.net/count", "https://example.org/record"]
    assert stored.state is State.IN_PROGRESS and stored.verdict is None and not stored.approved_by
    assert editor.summary.toPlainText() == "The records show otherwise."
    assert editor.tabs.tabText(0) == "Sources (2)"
    assert any(e.field == "started_from" and e.new_value == check.label for e in bench.history(fresh.id))
    assert len(bench.claim(checked.id).sources) == 2  # the earlier check keeps its own

    # Undo takes it all back; redo does it again.
    qtbot.keyClick(window.table, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    stored = bench.claim(fresh.id)
    assert (stored.summary, stored.sources, stored.state) == ("", (), State.NOT_STARTED)
    assert editor.summary.toPlainText() == "" and editor.tabs.tabText(0) == "Sources (0)"
    qtbot.keyClick(window.table, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier)
    assert len(bench.claim(fresh.id).sources) == 2 and bench.claim(fresh.id).summary


def test_the_archive_is_read_for_earlier_checks_only_once_the_tab_is_opened(
    qtbot, window, bench, sample_article,  # type: ignore[no-untyped-def]
) -> None:
    """Building the index reads every checked claim (seconds at a million): not at every start."""
    _checked, new, fresh = _earlier_check(bench, sample_article)
    window.open_claim(new.id, fresh.id)
    editor = window.editor
    assert not bench.matches_ready()
    assert editor.tabs.tabText(3) == "Earlier checks" and "when this tab is opened" in editor.earlier_checks.note.text()
    editor.tabs.setCurrentWidget(editor.earlier_checks)
    assert bench.matches_ready() and editor.tabs.tabText(3) == "Earlier checks (1)"
    editor.tabs.setCurrentIndex(0)  # from now on every claim's count shows on the tab as it is picked
    window.open_claim(sample_article.id, bench.claims(sample_article.id)[0].id)
    window.open_claim(new.id, fresh.id)
    assert editor.tabs.tabText(3) == "Earlier checks (1)"
