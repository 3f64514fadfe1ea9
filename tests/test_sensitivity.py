"""Scores and sensitivity: which suggestions the window shows, and that hiding one deletes nothing.

Scores are set relative to the thresholds in app.domain.sensitivity, so these tests hold when the
thresholds are recalibrated."""

from __future__ import annotations

from dataclasses import replace

import pytest
from PySide6.QtCore import QPoint, Qt
from PySide6.QtGui import QColor
from sqlalchemy import update

from app.domain import Claim, Kind, Origin, Source, State
from app.domain.languages import limited_notice
from app.domain.segments import Segment, SegmentKind
from app.domain.sensitivity import SETTING_KEY, Sensitivity, hidden_count, is_shown
from app.ui import dialogs
from app.ui.claims_model import SCORE_TIP, ClaimTableModel, Column
from app.ui.main_window import MainWindow
from app.ui.tasks import SyncRunner

FEWER, NORMAL, MORE = Sensitivity.FEWER, Sensitivity.NORMAL, Sensitivity.MORE
STRONG = (FEWER.threshold + 1) / 2  # shown at every step
MIDDLING = (NORMAL.threshold + FEWER.threshold) / 2  # hidden only by "fewer"
WEAK = (MORE.threshold + NORMAL.threshold) / 2  # shown only by "more"
FAINT = MORE.threshold / 2  # hidden at every step


# -- the rule, without Qt ---------------------------------------------------------------------


def suggestion(score: float | None, **changes: object) -> Claim:
    claim = Claim(1, 1, 0, 10, "0123456789", Kind.QUANTITY, score=score, accepted=False)
    return replace(claim, **changes)  # type: ignore[arg-type]


def test_three_steps_from_fewest_to_most_suggestions() -> None:
    assert 0 < MORE.threshold < NORMAL.threshold < FEWER.threshold < 1
    assert [s.label for s in Sensitivity] == ["Fewer suggestions", "Normal suggestions", "More suggestions"]


@pytest.mark.parametrize(
    ("stored", "expected"),
    [("fewer", FEWER), ("more", MORE), ("normal", NORMAL), (" More ", MORE), ("", NORMAL), (None, NORMAL),
     ("lots", NORMAL)],
)
def test_the_stored_setting_reads_back_and_anything_unknown_is_normal(stored: str | None, expected: Sensitivity) -> None:
    assert Sensitivity.parse(stored) is expected
    assert Sensitivity.parse(expected.stored()) is expected


def test_an_untouched_suggestion_is_hidden_below_the_threshold_and_shown_at_it() -> None:
    for step in Sensitivity:
        assert not is_shown(suggestion(step.threshold - 0.01), step)
        assert is_shown(suggestion(step.threshold), step)
    assert [is_shown(suggestion(MIDDLING), s) for s in Sensitivity] == [False, True, True]
    assert [is_shown(suggestion(WEAK), s) for s in Sensitivity] == [False, False, True]
    assert hidden_count([suggestion(FAINT), suggestion(WEAK), suggestion(STRONG)], NORMAL) == 2


@pytest.mark.parametrize(
    "work",
    [
        {"origin": Origin.MANUAL},
        {"accepted": True},
        {"state": State.IN_PROGRESS},
        {"conclusion": "Wrong by half."},
        {"summary": "About 3,000."},
        {"notes": "Call the ministry."},
        {"sources": (Source(1, 1, "https://mod.example/report"),)},
    ],
)
def test_a_claim_someone_marked_or_worked_on_is_never_hidden(work: dict[str, object]) -> None:
    assert not is_shown(suggestion(FAINT), FEWER)
    assert is_shown(suggestion(FAINT, **work), FEWER)


def test_a_claim_without_a_score_is_never_hidden() -> None:
    assert is_shown(suggestion(None), FEWER)


def test_only_languages_without_full_detection_get_a_notice() -> None:
    def seg(lang: str | None, kind: SegmentKind = SegmentKind.BODY) -> Segment:
        return Segment(0, 1, kind, lang=lang)

    assert limited_notice([seg("en"), seg("fr"), seg("ru"), seg(None)]) == ""
    assert limited_notice([seg("en"), seg("de")]) == "Detection in German is limited to figures and dates."
    assert limited_notice([seg("es"), seg("de"), seg("de"), seg("it", SegmentKind.FURNITURE)]) == (
        "Detection in German and Spanish is limited to figures and dates."
    )


# -- the table model, without the window ------------------------------------------------------


def test_the_score_column_shows_two_decimals_sorts_by_number_and_keeps_blanks_last(qtmodeltester) -> None:
    claims = [
        suggestion(0.9, id=1, start=0, end=5),
        suggestion(None, id=2, start=10, end=15, origin=Origin.MANUAL),
        suggestion(0.05, id=3, start=20, end=25),
        suggestion(0.456, id=4, start=30, end=35),
    ]
    model = ClaimTableModel()
    model.set_claims(claims)
    qtmodeltester.check(model)

    def scores() -> list[str]:
        return [model.index(r, Column.SCORE).data() for r in range(model.rowCount())]

    assert scores() == ["0.90", "", "0.05", "0.46"]  # text order
    assert model.headerData(Column.SCORE, Qt.Orientation.Horizontal) == "Score"
    assert model.headerData(Column.SCORE, Qt.Orientation.Horizontal, Qt.ItemDataRole.ToolTipRole) == SCORE_TIP
    assert SCORE_TIP in model.index(0, Column.SCORE).data(Qt.ItemDataRole.ToolTipRole)
    model.sort(Column.SCORE, Qt.SortOrder.AscendingOrder)
    assert scores() == ["0.05", "0.46", "0.90", ""]
    model.sort(Column.SCORE, Qt.SortOrder.DescendingOrder)
    assert scores() == ["0.90", "0.46", "0.05", ""]
    model.set_claims(claims)  # a reload keeps the chosen order
    assert scores() == ["0.90", "0.46", "0.05", ""]
    qtmodeltester.check(model)


# -- the window -------------------------------------------------------------------------------


@pytest.fixture
def scored(bench, engine, sample_article):  # type: ignore[no-untyped-def]
    """The sample's claims with scores on every side of the thresholds; returns words -> claim id."""
    from app.storage.models import ClaimRow

    picks = {"3 000 Russians": STRONG, "article 4 of this treaty": MIDDLING,
             "two consequences": WEAK, "partly outsourced": FAINT, "St. Petersburg": None}
    ids = {}
    with engine.begin() as c:
        c.execute(update(ClaimRow).where(ClaimRow.article_id == sample_article.id).values(score=0.95))
        for words, score in picks.items():
            claim = next(x for x in bench.claims(sample_article.id) if words in x.quote)
            c.execute(update(ClaimRow).where(ClaimRow.id == claim.id).values(score=score))
            ids[words] = claim.id
    return ids


def open_window(qtbot, bench) -> MainWindow:  # type: ignore[no-untyped-def]
    from app.ui.application import settings

    settings().setValue("reviewer", "Ana Checker")
    win = MainWindow(bench, "test.sqlite3", settings(), runner=SyncRunner())
    qtbot.addWidget(win)
    win.show()
    qtbot.waitExposed(win)
    return win


@pytest.fixture
def window(qtbot, bench, scored, errors):  # type: ignore[no-untyped-def]
    return open_window(qtbot, bench)


def highlight_at(win: MainWindow, offset: int) -> QColor | None:
    fmt = win.article_view.highlighter.format_at(win.article_view.qt_position(offset))
    if fmt is None or fmt.background().style() == Qt.BrushStyle.NoBrush:
        return None
    return fmt.background().color()


def highlighted(win: MainWindow, bench, claim_id: int) -> bool:  # type: ignore[no-untyped-def]
    claim = bench.claim(claim_id)
    return highlight_at(win, (claim.start + claim.end) // 2) is not None


def table_ids(win: MainWindow) -> set[int]:
    return set(win.visible_claim_ids())


def click_step(qtbot, win: MainWindow, step: Sensitivity) -> None:  # type: ignore[no-untyped-def]
    qtbot.mouseClick(win.sensitivity_buttons[step], Qt.MouseButton.LeftButton)


@pytest.mark.gui
def test_sensitivity_hides_and_shows_suggestions_in_the_table_and_the_text(
    qtbot, window, bench, sample_article, scored, errors
) -> None:
    total = len(bench.claims(sample_article.id))
    strong, middling, weak, faint, unscored = (scored[w] for w in scored)
    assert window.sensitivity is NORMAL and window.sensitivity_buttons[NORMAL].isChecked()
    assert window.table.model().rowCount() == total - 2
    assert {strong, middling, unscored} <= table_ids(window) and not {weak, faint} & table_ids(window)
    assert highlighted(window, bench, middling) and not highlighted(window, bench, weak)
    assert window.hidden_label.isVisible() and window.hidden_label.text() == "2 suggestions hidden (sensitivity: normal)"

    click_step(qtbot, window, FEWER)
    assert window.table.model().rowCount() == total - 3
    assert middling not in table_ids(window) and not highlighted(window, bench, middling)
    assert highlighted(window, bench, strong) and highlighted(window, bench, unscored)
    assert window.hidden_label.text() == "3 suggestions hidden (sensitivity: fewer)"
    assert window.sensitivity_actions[FEWER].isChecked() and not window.sensitivity_buttons[NORMAL].isChecked()
    assert bench.setting(SETTING_KEY) == "fewer"

    window.sensitivity_actions[MORE].trigger()  # Claim › Sensitivity › More suggestions
    assert window.sensitivity_buttons[MORE].isChecked()
    assert window.table.model().rowCount() == total - 1
    assert weak in table_ids(window) and highlighted(window, bench, weak) and not highlighted(window, bench, faint)
    assert window.hidden_label.text() == "1 suggestion hidden (sensitivity: more)"
    assert len(bench.claims(sample_article.id)) == total  # hiding deleted nothing
    assert bench.setting(SETTING_KEY) == "more"
    assert not errors


@pytest.mark.gui
def test_nothing_hidden_says_nothing(qtbot, bench, engine, sample_article, errors) -> None:
    from app.storage.models import ClaimRow

    with engine.begin() as c:
        c.execute(update(ClaimRow).values(score=STRONG))
    win = open_window(qtbot, bench)
    assert win.table.model().rowCount() == len(bench.claims(sample_article.id))
    assert not win.hidden_label.isVisible() and win.hidden_label.text() == ""


@pytest.mark.gui
def test_the_sensitivity_is_the_workspaces_and_comes_back_in_a_new_window(
    qtbot, window, bench, sample_article, scored
) -> None:
    click_step(qtbot, window, FEWER)
    shown = table_ids(window)
    window.close()

    again = open_window(qtbot, bench)
    assert again.sensitivity is FEWER
    assert again.sensitivity_buttons[FEWER].isChecked() and again.sensitivity_actions[FEWER].isChecked()
    assert table_ids(again) == shown
    assert again.hidden_label.text() == "3 suggestions hidden (sensitivity: fewer)"
    assert not highlighted(again, bench, scored["article 4 of this treaty"])


@pytest.mark.gui
def test_claims_someone_marked_or_worked_on_stay_whatever_their_score(
    qtbot, window, bench, engine, sample_article, scored
) -> None:
    from app.storage.models import ClaimRow

    text = sample_article.text
    start = text.index("Collective Security")
    marked, _ = bench.mark_claim(sample_article.id, start, start + len("Collective Security"))
    worked = scored["two consequences"]
    bench.update_claim(worked, notes="Which two? Ask the author.")
    with engine.begin() as c:  # a marked claim has no score of its own; give it the lowest there is
        c.execute(update(ClaimRow).where(ClaimRow.id.in_([marked.id, worked])).values(score=0.01))
    window.open_article(None)
    window.open_article(sample_article.id)

    click_step(qtbot, window, FEWER)
    assert {marked.id, worked} <= table_ids(window)
    assert highlighted(window, bench, marked.id) and highlighted(window, bench, worked)
    assert scored["partly outsourced"] not in table_ids(window)


@pytest.mark.gui
def test_the_selection_stays_while_its_claim_is_shown(qtbot, window, bench, scored) -> None:
    strong, middling = scored["3 000 Russians"], scored["article 4 of this treaty"]
    window.select_claim(strong)
    click_step(qtbot, window, FEWER)
    assert window.editor.claim is not None and window.editor.claim.id == strong
    selected = window.table.selectionModel().selectedRows()
    assert [window.proxy.data(i, Qt.ItemDataRole.UserRole + 1) for i in selected] == [strong]

    click_step(qtbot, window, NORMAL)
    window.select_claim(middling)
    click_step(qtbot, window, FEWER)  # the selected suggestion is hidden now: nothing stays selected
    assert window.editor.claim is None and not window.table.selectionModel().selectedRows()


@pytest.mark.gui
def test_keys_and_counts_walk_only_the_claims_shown(qtbot, window, bench, sample_article, scored) -> None:
    click_step(qtbot, window, FEWER)
    shown = window.visible_claim_ids()
    hidden = {scored[w] for w in ("article 4 of this treaty", "two consequences", "partly outsourced")}
    assert not hidden & set(shown)
    window.select_claim(shown[0])
    window.table.setFocus()
    visited = [shown[0]]
    for _ in range(len(shown) + 2):
        qtbot.keyClick(window.table, Qt.Key.Key_J)
        visited.append(window.editor.claim.id)
    assert visited[: len(shown)] == shown and not hidden & set(visited)
    for _ in range(len(shown)):
        qtbot.keyClick(window.table, Qt.Key.Key_N)
        assert window.editor.claim.id not in hidden
    assert window.counts.text().startswith(f"{len(shown)} claims: ")
    assert window.progress_label.text() == f"0 of {len(shown)} with a verdict · 0 approved"
    assert f" of {len(shown)}" in window.editor.heading.text()  # "Claim 4 of 20"


@pytest.mark.gui
def test_undoing_an_accept_hides_a_weak_suggestion_again(qtbot, window, bench, scored) -> None:
    weak = scored["two consequences"]
    click_step(qtbot, window, MORE)
    window.select_claim(weak)
    window.table.setFocus()
    qtbot.keyClick(window.table, Qt.Key.Key_A)
    assert bench.claim(weak).accepted
    click_step(qtbot, window, FEWER)
    assert weak in table_ids(window)  # accepted: someone's claim now
    assert window.hidden_label.text() == "2 suggestions hidden (sensitivity: fewer)"

    qtbot.keyClick(window.table, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert not bench.claim(weak).accepted
    assert weak not in table_ids(window) and not highlighted(window, bench, weak)
    assert window.hidden_label.text() == "3 suggestions hidden (sensitivity: fewer)"


@pytest.mark.gui
def test_clicking_the_score_header_sorts_by_score_with_blanks_last(qtbot, window, bench, scored) -> None:
    header = window.table.horizontalHeader()
    pos = QPoint(header.sectionViewportPosition(Column.SCORE) + header.sectionSize(Column.SCORE) // 2,
                 header.height() // 2)
    table = window.table.model()

    def column() -> list[str]:
        return [table.index(r, Column.SCORE).data() for r in range(table.rowCount())]

    for _ in range(2):  # once each way
        qtbot.mouseClick(header.viewport(), Qt.MouseButton.LeftButton, pos=pos)
        assert header.sortIndicatorSection() == Column.SCORE
        values = column()
        numbers = [float(v) for v in values if v]
        descending = header.sortIndicatorOrder() == Qt.SortOrder.DescendingOrder
        assert numbers == sorted(numbers, reverse=descending) and numbers[0] != numbers[-1]
        assert values[-1] == "" and values.count("") == 1  # the claim without a score, last both ways
        assert f"{STRONG:.2f}" in values and f"{MIDDLING:.2f}" in values


@pytest.mark.gui
def test_a_language_without_full_detection_gets_a_quiet_notice(qtbot, window, bench, sample_article) -> None:
    from app.ingest import from_pasted

    assert not window.article_notice.isVisible()  # the sample: English, French and Russian
    german, _ = bench.add_article(from_pasted(
        "Haushalt 2024\n\n"
        "Die Bundesregierung hat im Jahr 2023 insgesamt 476 Milliarden Euro ausgegeben, wie das"
        " Finanzministerium am Dienstag mitteilte.\n\n"
        "Die Arbeitslosenquote lag im Dezember bei 5,9 Prozent und damit höher als ein Jahr zuvor.\n\n"
        "The opposition said the figures were misleading and called for an inquiry."
    ))
    window.reload_articles(select=german.id)
    assert window.article_notice.isVisible()
    assert window.article_notice.text() == "Detection in German is limited to figures and dates."
    window.reload_articles(select=sample_article.id)
    assert not window.article_notice.isVisible()


@pytest.mark.gui
def test_about_names_the_version_and_credits_the_training_data(qtbot, window, monkeypatch) -> None:
    from app import __version__

    shown: list[str] = []
    monkeypatch.setattr(dialogs, "show_about", lambda _parent, text: shown.append(text))
    help_menu = next(a.menu() for a in window.menuBar().actions() if a.text() == "&Help")
    assert window.about_action in help_menu.actions()
    window.about_action.trigger()
    (text,) = shown
    assert f"Claimdesk {__version__}" in text
    for credit in ("CLEF-2024 CheckThat! Lab Task 1 (Hasanain et al., 2024)", "ClaimBuster",
                   "Arslan, Hassan, Li and Tremayne, ICWSM 2020", "CC BY 4.0"):
        assert credit in text


@pytest.mark.gui
def test_a_search_hit_on_a_hidden_suggestion_says_why_it_is_not_shown(qtbot, window, scored) -> None:
    from conftest import WAIT_MS

    qtbot.keyClicks(window.search, "outsourced")
    qtbot.waitUntil(lambda: window.left_stack.currentWidget() is window.search_results, timeout=WAIT_MS)
    item = window.search_results.item(0)
    assert item.data(Qt.ItemDataRole.UserRole)[1] == scored["partly outsourced"]
    qtbot.mouseClick(window.search_results.viewport(), Qt.MouseButton.LeftButton,
                     pos=window.search_results.visualItemRect(item).center())
    assert window.editor.claim is None
    assert window.statusBar().currentMessage().startswith(f"That suggestion scores {FAINT:.2f} and is hidden")


@pytest.mark.gui
def test_the_panel_says_how_sure_the_detector_is_of_a_suggestion(qtbot, window, scored) -> None:
    window.select_claim(scored["3 000 Russians"])
    hint = window.editor.header.hint
    assert hint.isVisibleTo(window) and hint.text() == f"Suggested by the detector (check-worthiness {STRONG:.2f})."
    window.select_claim(scored["St. Petersburg"])  # a claim from before scores: nothing to say
    assert window.editor.header.hint.text() == "Suggested by the detector."
