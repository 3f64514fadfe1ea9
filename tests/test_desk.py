"""The window's hold on the database (Desk), without widgets: a ChangeSet from a real write
brings the open article's claims up to date, and says what the screen must redraw."""

from __future__ import annotations

from app.domain.sensitivity import Sensitivity
from app.ui.desk import Desk


def opened(bench, article):  # type: ignore[no-untyped-def]
    desk = Desk(bench, Sensitivity.MORE)
    desk.open(article)
    return desk


def test_an_edit_with_the_claim_in_hand_is_applied_in_place_without_reading(bench, sample_article) -> None:  # type: ignore[no-untyped-def]
    desk = opened(bench, sample_article)
    claim = desk.claims[3]
    updated, changes = bench.update_claim(claim.id, summary="About 3,000.")
    redraw = desk.update(changes, (updated,), lambda _i: True, keep=None)
    assert not redraw.reset and redraw.claims == [updated] and desk.claim(claim.id) == updated
    again = desk.update(changes, (updated,), lambda _i: True, keep=None)  # applied twice: nothing more
    assert not again.reset and desk.claim(claim.id) == updated


def test_changes_made_elsewhere_are_loaded_by_id(bench, sample_article) -> None:  # type: ignore[no-untyped-def]
    desk = opened(bench, sample_article)
    claim = desk.claims[0]
    _, changes = bench.update_claim(claim.id, notes="Asked the ministry.")
    redraw = desk.update(changes, (), lambda _i: True, keep=None)
    assert not redraw.reset and desk.claim(claim.id).notes == "Asked the ministry."


def test_a_claim_gone_or_added_refills_the_table(bench, sample_article) -> None:  # type: ignore[no-untyped-def]
    desk = opened(bench, sample_article)
    count = len(desk.claims)
    gone = desk.claims[1]
    redraw = desk.update(bench.delete_claim(gone.id), (), lambda _i: True, keep=None)
    assert redraw.reset and len(desk.claims) == count - 1 and desk.claim(gone.id) is None
    marked, changes = bench.mark_claim(sample_article.id, 0, 10)
    assert desk.update(changes, (marked,), lambda _i: True, keep=None).reset
    assert desk.claim(marked.id) == marked and len(desk.claims) == count
    assert [c.start for c in desk.claims] == sorted(c.start for c in desk.claims)


def test_another_article_changing_leaves_this_one_alone(bench, sample_article) -> None:  # type: ignore[no-untyped-def]
    from app.ingest import ImportedText

    desk = opened(bench, sample_article)
    before = list(desk.claims)
    _, changes = bench.add_article(ImportedText(title="Budget", text="The deficit fell to 4.1 percent in 2023."))
    redraw = desk.update(changes, (), lambda _i: True, keep=None)
    assert not redraw.reset and not redraw.claims and desk.claims == before


def test_the_hidden_count_follows_each_change_as_a_full_count_would(bench, sample_article) -> None:  # type: ignore[no-untyped-def]
    from app.domain.sensitivity import hidden_count

    desk = Desk(bench, Sensitivity.FEWER)
    desk.open(sample_article)
    weak = [c for c in desk.claims if c.score is not None and c.score < Sensitivity.FEWER.threshold]
    assert weak and desk.hidden() == hidden_count(desk.claims, Sensitivity.FEWER)
    accepted, changes = bench.update_claim(weak[0].id, accepted=True)  # worked on: never hidden
    desk.update(changes, (accepted,), lambda _i: True, keep=None)
    assert desk.hidden() == hidden_count(desk.claims, Sensitivity.FEWER) == len(weak) - 1
    desk.sensitivity = Sensitivity.MORE
    assert desk.hidden() == hidden_count(desk.claims, Sensitivity.MORE)
