"""Earlier checks of the same claim: the matcher alone, then the service over the archive (both engines)."""

from __future__ import annotations

import pytest
from conftest import open_sqlite_connections

from app.domain import State
from app.domain.validate import ValidationError
from app.ingest import from_pasted
from app.matching import SAME_CLAIM, ClaimMatcher
from app.matching.evaluate import average_precision
from app.matching.normalise import normalise

TROOPS = "Russia has deployed 3,000 troops to the border with Ukraine in the last month."
TREATY = "Article 5 of the North Atlantic Treaty obliges every member to come to the defence of the others."


def test_normalisation_makes_spelling_numbers_and_units_meet() -> None:
    assert normalise("3,000 troops") == normalise("3000 troops") == normalise("3 thousand troops")
    assert normalise("Defence of the organisation's colour") == normalise("defense of the organizations color")
    assert normalise("40 per cent") == normalise("40%") == "40 percent"
    assert normalise("Zélenskyy's 5m") == normalise("Zelenskyys 5 million")
    assert normalise("#JeffreyEpstein said @IlhanMN https://t.co/x") == "jeffrey epstein said ilhan mn"
    # Words that merely look like the rules are left alone.
    assert normalise("Our hour tour promised a rise") == "our hour tour promised a rise"


def test_the_matcher_ranks_the_same_claim_first_with_a_comparable_score() -> None:
    matcher = ClaimMatcher([(1, TROOPS), (2, TREATY), (3, "Ukraine held elections in 2019."),
                            (4, "Troops left the base at dawn.")])
    (best, score), *rest = matcher.search("Russia deployed three thousand troops to the Ukrainian border", 3)
    assert best == 1 and score > 0.5
    assert all(0.0 <= s < score / 2 for _, s in rest)
    (best, _), *_ = matcher.search("NATO's Article 5: members must come to each other's defense", 2)
    assert best == 2
    assert matcher.search("the of and", 5) == []
    low = matcher.search("Bananas are berries.", 5)
    assert all(s < SAME_CLAIM for _, s in low)


def test_a_different_figure_is_never_the_same_claim() -> None:
    matcher = ClaimMatcher([(1, TROOPS), (2, TREATY)])
    ((best, same),) = matcher.search("Russia has deployed 3000 troops to the border with Ukraine in the last month", 1)
    ((_, other),) = matcher.search("Russia has deployed 5,000 troops to the border with Ukraine in the last month", 1)
    assert best == 1 and same >= SAME_CLAIM > other


def test_the_matcher_is_updated_in_place() -> None:
    matcher = ClaimMatcher([(1, TROOPS)])
    matcher.add(2, TREATY)
    assert matcher.search("North Atlantic Treaty article 5", 1)[0][0] == 2
    matcher.add(2, "Something else entirely about bananas.")
    assert all(i != 2 for i, _ in matcher.search("North Atlantic Treaty article 5", 5))
    matcher.remove(1)
    assert matcher.search(TROOPS, 5) == [] and len(matcher) == 1


def test_average_precision_counts_the_rank_of_the_right_answer() -> None:
    assert average_precision(["a", "b"], {"a"}) == 1.0
    assert average_precision(["x", "a"], {"a"}) == 0.5
    assert average_precision(["x"] * 5 + ["a"], {"a"}) == 0.0


def _article(bench, text):  # type: ignore[no-untyped-def]
    article, _ = bench.add_article(from_pasted(text))
    return article


def _claim(bench, article, quote):  # type: ignore[no-untyped-def]
    start = article.text.index(quote)
    claim, _ = bench.mark_claim(article.id, start, start + len(quote))
    return claim


@pytest.fixture
def archive(bench):  # type: ignore[no-untyped-def]
    """An earlier article whose troop claim is checked, and a new one that repeats it."""
    bench.actor = "ana"
    old = _article(bench, f"Border report\n\n{TROOPS} {TREATY}")
    checked = _claim(bench, old, TROOPS)
    bench.update_claim(checked.id, verdict=bench.scale().rating("false"), summary="Satellite images show 800.")
    bench.add_source(checked.id, "https://example.org/images", title="Images", publisher="Example")
    bench.add_source(checked.id, "https://example.net/count", title="Count", publisher="Net")
    new = _article(bench, "Interview\n\nHe said Russia deployed 3000 troops to the border with Ukraine last month.")
    fresh = _claim(bench, new, "Russia deployed 3000 troops to the border with Ukraine last month")
    return bench, checked, fresh


def test_earlier_checks_come_from_other_articles_with_their_verdict(archive) -> None:  # type: ignore[no-untyped-def]
    bench, checked, fresh = archive
    (match,) = bench.claim_matches(fresh.id)
    assert (match.claim_id, match.verdict, match.sources, match.same) == (checked.id, "False", 2, True)
    assert match.article_title == "Border report" and match.checked is not None
    # Its own article's claims are never "earlier checks" of it, and a claim without a verdict is not one.
    assert bench.claim_matches(checked.id) == []
    assert [m.claim_id for m in bench.match("3,000 Russian troops at the Ukrainian border")] == [checked.id]


def test_a_new_verdict_is_found_at_once_and_a_cleared_one_goes(archive) -> None:  # type: ignore[no-untyped-def]
    bench, checked, fresh = archive
    assert bench.match(TREATY) == []
    old_article = bench.claim(checked.id).article_id
    treaty = _claim(bench, bench.article(old_article), TREATY)
    bench.update_claim(treaty.id, verdict=bench.scale().rating("verified"))
    assert bench.match("NATO treaty article 5 defence of members")[0].claim_id == treaty.id
    bench.update_claim(treaty.id, verdict=None)
    assert all(m.claim_id != treaty.id for m in bench.match("NATO treaty article 5 defence of members"))
    bench.delete_claim(checked.id)
    assert bench.claim_matches(fresh.id) == []


def test_starting_from_a_check_copies_sources_and_summary_as_a_draft(archive) -> None:  # type: ignore[no-untyped-def]
    bench, checked, fresh = archive
    claim, changes = bench.start_from(fresh.id, checked.id)
    assert claim.summary == "Satellite images show 800."
    assert sorted(s.url for s in claim.sources) == ["https://example.net/count", "https://example.org/images"]
    assert claim.state is State.IN_PROGRESS and claim.verdict is None and not claim.approved_by
    assert changes.claim_ids == {fresh.id} and len(changes.sources_added) == 2
    entries = [(e.field, e.new_value) for e in bench.history(fresh.id)]
    assert ("started_from", f"{checked.article_id}#{checked.number}") in entries
    # The earlier check is untouched.
    assert len(bench.claim(checked.id).sources) == 2
    with pytest.raises(ValidationError):
        bench.start_from(fresh.id, fresh.id)


def test_asking_for_no_matches_is_refused(archive) -> None:  # type: ignore[no-untyped-def]
    bench, _, _ = archive
    with pytest.raises(ValidationError, match="at least one"):
        bench.match("troops", 0)


def test_a_verdict_set_by_another_process_is_found_by_the_next_search(archive, engine) -> None:  # type: ignore[no-untyped-def]
    from app.services import Workbench
    from app.storage.engine import make_sessions

    bench, checked, fresh = archive
    assert bench.match(TREATY) == []  # this Workbench's index is built now
    other = Workbench(make_sessions(engine), actor="ben")
    treaty = _claim(other, other.article(checked.article_id), TREATY)
    other.update_claim(treaty.id, verdict=other.scale().rating("verified"))
    assert [m.claim_id for m in bench.match(TREATY)] == [treaty.id]
    other.delete_claim(treaty.id)
    assert bench.match(TREATY) == []


def test_a_matcher_let_go_of_closes_its_index() -> None:
    """The matcher's in-memory index is a SQLite connection: it goes with the matcher, never left
    for the garbage collector to find open (Python 3.13 warns of that)."""
    before = open_sqlite_connections()
    matcher = ClaimMatcher([(1, "Russia keeps 3,000 troops at Gyumri")])
    assert [c for c in open_sqlite_connections() if c not in before] != []
    del matcher
    assert [c for c in open_sqlite_connections() if c not in before] == []
