"""The article's highlights are written into the blocks on screen when they are painted (see
app/ui/highlights.py). These tests read what a block's layout holds after a real paint, never
through a helper that writes it first: a claim scrolled to far down, a verdict changed, a claim
changed while off screen, must each show in the formats the view draws."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QTextBlock

from app.domain import DetectedClaim, Kind
from app.domain.sensitivity import Sensitivity
from app.ingest import ImportedText
from app.ui.main_window import MainWindow

WAIT_MS = 3000
N = 400


def long_article(bench):  # type: ignore[no-untyped-def]
    """N paragraphs, one claim each, scored so that every sensitivity shows them but the lowest."""
    paragraphs = [f"In {1900 + i % 120} the ministry said {i * 7} soldiers crossed the border at point {i}."
                  for i in range(N)]
    text = "\n\n".join(paragraphs)
    found, at = [], 0
    for n, p in enumerate(paragraphs):
        found.append(DetectedClaim(at, at + len(p), p, Kind.QUANTITY, 0.3 if n % 10 == 5 else 0.9))
        at += len(p) + 2
    bench._ctx.detector = lambda _text, *_a, **_k: found
    article, _ = bench.add_article(ImportedText(title=f"{N} claims", text=text))
    return article


def painted(qtbot, window: MainWindow) -> None:  # type: ignore[no-untyped-def]
    """Let queued work run, then paint the text as the screen would."""
    from app.ui.settle import busy

    qtbot.waitUntil(lambda: not busy(window), timeout=WAIT_MS)
    window.article_view.viewport().repaint()


def drawn(window: MainWindow, offset: int) -> QColor | None:
    """The background the block's layout holds at a Python offset of the article: what is drawn."""
    view = window.article_view
    position = view.qt_position(offset)
    block = view.document().findBlock(position)
    at = position - block.position()
    for fmt_range in block.layout().formats():
        if fmt_range.start <= at < fmt_range.start + fmt_range.length:
            brush = fmt_range.format.background()
            return None if brush.style() == Qt.BrushStyle.NoBrush else brush.color()
    return None


def on_screen(window: MainWindow, offset: int) -> bool:
    view = window.article_view
    return view.viewport().rect().contains(view.point_of(offset))


def look(claim, selected: bool = False) -> QColor:  # type: ignore[no-untyped-def]
    colour = QColor(claim.colour)
    if not claim.accepted:
        colour = colour.lighter(108)
    return colour.darker(125) if selected else colour


@pytest.fixture
def opened(qtbot, window, bench):  # type: ignore[no-untyped-def]
    article = long_article(bench)
    window.live.stop()
    window.reload_articles(select=article.id)
    window.open_article(article.id)
    painted(qtbot, window)
    return window


def test_only_the_blocks_on_screen_are_coloured_when_an_article_opens(opened, bench) -> None:
    claims = opened.model.claims()
    first, last = claims[0], claims[-1]
    assert on_screen(opened, first.start) and not on_screen(opened, last.start)
    assert drawn(opened, first.start + 1) == look(first, selected=opened.editor.claim.id == first.id)
    # Off screen nothing is written yet: the cost of opening follows the screen, not the article.
    assert drawn(opened, last.start + 1) is None


def test_a_claim_far_down_is_highlighted_once_scrolled_to(qtbot, opened, bench) -> None:
    claims = opened.model.claims()
    far, neighbour = claims[-3], claims[-4]
    opened.select_claim(far.id)
    painted(qtbot, opened)

    assert on_screen(opened, far.start)
    assert drawn(opened, far.start + 1) == look(far, selected=True)
    assert drawn(opened, neighbour.start + 1) == look(neighbour)


def test_a_verdict_change_far_down_shows_in_the_text(qtbot, opened, bench) -> None:
    claims = opened.model.claims()
    far, other = claims[-10], claims[-9]
    opened.select_claim(far.id)
    painted(qtbot, opened)
    before = drawn(opened, far.start + 1)

    opened.editor.set_verdict_number(1)
    painted(qtbot, opened)
    stored = bench.claim(far.id)
    assert stored.verdict is not None
    assert drawn(opened, far.start + 1) == look(stored, selected=True) != before

    opened.select_claim(other.id)  # the selection mark moves: the verdict's own colour shows
    painted(qtbot, opened)
    assert drawn(opened, far.start + 1) == look(stored) == QColor(stored.verdict.colour)
    assert drawn(opened, other.start + 1) == look(other, selected=True)


def test_a_claim_changed_while_off_screen_shows_as_it_is_now_when_scrolled_back(qtbot, opened, bench) -> None:
    claims = opened.model.claims()
    far = claims[-2]
    opened.select_claim(far.id)  # its block is written while on screen
    painted(qtbot, opened)
    opened.select_claim(claims[0].id)
    painted(qtbot, opened)
    assert not on_screen(opened, far.start)

    # Changed elsewhere (another window): applied through the one door while it is off screen.
    bench.actor = "Ben"
    changed, changes = bench.update_claim(far.id, verdict=bench.scale().labels[2])
    opened.apply_changes(changes)
    opened.article_view.reveal_offset(far.start)
    painted(qtbot, opened)

    assert on_screen(opened, far.start)
    assert drawn(opened, far.start + 1) == QColor(changed.verdict.colour)


def test_hiding_suggestions_takes_their_highlight_off_the_blocks_on_screen(qtbot, opened, bench) -> None:
    claims = opened.model.claims()
    weak = next(c for c in claims[1:] if c.score is not None and c.score < 0.5 and on_screen(opened, c.start))
    assert drawn(opened, weak.start + 1) == look(weak)

    opened.set_sensitivity(Sensitivity.FEWER)
    painted(qtbot, opened)
    assert opened.model.claim(weak.id) is None
    assert drawn(opened, weak.start + 1) is None

    opened.set_sensitivity(Sensitivity.MORE)
    painted(qtbot, opened)
    assert drawn(opened, weak.start + 1) == look(weak)


def test_a_search_hit_far_down_another_article_opens_highlighted(qtbot, window, bench, sample_article) -> None:
    article = long_article(bench)
    window.live.stop()
    window.reload_articles(select=sample_article.id)
    painted(qtbot, window)
    qtbot.keyClicks(window.search, "point 397")
    qtbot.waitUntil(lambda: window.left_stack.currentWidget() is window.search_results, timeout=WAIT_MS)
    assert window.search_results.count() >= 1
    qtbot.mouseClick(window.search_results.viewport(), Qt.MouseButton.LeftButton,
                     pos=window.search_results.visualItemRect(window.search_results.item(0)).center())
    painted(qtbot, window)

    hit = window.editor.claim
    assert window.desk.article.id == article.id and hit is not None and "point 397" in hit.quote
    assert on_screen(window, hit.start)
    assert drawn(window, hit.start + 1) == look(hit, selected=True)


def test_claims_after_emoji_in_a_long_article_are_highlighted_on_their_own_words(qtbot, window, bench) -> None:
    """Qt counts an emoji as two positions, Python as one: each claim after them is still drawn
    over its own words, first letter to last, and not one character before or after."""
    paragraphs = [f"Crowds 🎉🎉 cheered as {1000 + i} soldiers crossed point {i} 🚩." for i in range(40)]
    text = "\n\n".join(paragraphs)
    found, at = [], 0
    for p in paragraphs:
        start = at + p.index("cheered")
        end = at + p.index(" 🚩")
        found.append(DetectedClaim(start, end, text[start:end], Kind.QUANTITY, 0.9))
        at += len(p) + 2
    bench._ctx.detector = lambda _text, *_a, **_k: found
    article, _ = bench.add_article(ImportedText(title="Emoji", text=text))
    window.live.stop()
    window.reload_articles(select=article.id)
    window.open_article(article.id)
    painted(qtbot, window)
    block = window.article_view.document().firstBlock()
    for claim in window.model.claims()[1:4]:
        block = block.next().next()  # each paragraph is a block, with an empty one between

        def at(offset: int, block: QTextBlock = block) -> QColor | None:  # counted apart from the view
            qt = len(text[:offset].encode("utf-16-le")) // 2 - block.position()
            for fmt_range in block.layout().formats():
                if fmt_range.start <= qt < fmt_range.start + fmt_range.length:
                    return fmt_range.format.background().color()
            return None

        assert block.text().startswith("Crowds")
        assert at(claim.start) == at(claim.end - 1) == look(claim)
        assert at(claim.start - 1) is None and at(claim.end) is None
