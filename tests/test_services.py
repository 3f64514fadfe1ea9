"""Use cases without a window: each action one transaction, validated, returning plain objects."""

from __future__ import annotations

import pytest
from conftest import SAMPLE

from app.domain import Kind, Origin, SourceKind, State
from app.domain.validate import ValidationError
from app.ingest import from_pasted
from app.storage.errors import NotFound


def test_first_run_seeds_the_sample_once_and_respects_its_deletion(bench) -> None:  # type: ignore[no-untyped-def]
    (article,) = bench.seed([SAMPLE])
    assert bench.seed([SAMPLE]) == []
    bench.delete_article(article.id)
    assert bench.seed([SAMPLE]) == []
    assert bench.articles() == []


def test_detected_claims_are_stored_with_their_context(bench, sample_article) -> None:  # type: ignore[no-untyped-def]
    claims = bench.claims(sample_article.id)
    assert claims == sorted(claims, key=lambda c: c.start)
    for c in claims:
        assert sample_article.text[c.start : c.end] == c.quote
        assert sample_article.text[: c.start].endswith(c.context_before)
        assert sample_article.text[c.end :].startswith(c.context_after)
        assert c.origin is Origin.DETECTED and c.state is State.NOT_STARTED and c.verdict is None


def test_marking_a_selection_trims_blanks_and_refuses_empty(bench, sample_article) -> None:  # type: ignore[no-untyped-def]
    text = sample_article.text
    start = text.index("Vladimir Putin partly")
    claim, changes = bench.mark_claim(sample_article.id, start - 1, start + 14)
    assert claim.quote == "Vladimir Putin" and claim.origin is Origin.MANUAL and claim.kind is Kind.OTHER
    assert changes.claims_added == {claim.id}
    with pytest.raises(ValidationError, match="Select some text"):
        bench.mark_claim(sample_article.id, start - 1, start)


def test_the_article_list_counts_claims_with_a_verdict(bench, sample_article) -> None:  # type: ignore[no-untyped-def]
    first, second, *_ = bench.claims(sample_article.id)
    total = len(bench.claims(sample_article.id))
    bench.update_claim(first.id, state=State.IN_PROGRESS)
    bench.update_claim(second.id, verdict=bench.scale().rating("false"))
    (summary,) = bench.articles()
    assert (summary.resolved_count, summary.claim_count) == (1, total)


def test_sources_are_validated_edited_and_go_with_their_claim(bench, sample_article) -> None:  # type: ignore[no-untyped-def]
    claim = bench.claims(sample_article.id)[0]
    for bad in ("ftp://x.org/a", "javascript:alert(1)", "file:///etc/passwd", "www.example.org", "https://"):
        with pytest.raises(ValidationError):
            bench.add_source(claim.id, bad)
    source, _ = bench.add_source(claim.id, " https://un.org/res/822 ", title="Resolution 822")
    assert source.url == "https://un.org/res/822" and source.accessed is not None
    edited, _ = bench.update_source(source.id, publisher="United Nations")
    assert (edited.title, edited.publisher) == ("Resolution 822", "United Nations")
    bench.delete_claim(claim.id)
    with pytest.raises(NotFound):
        bench.update_source(source.id, title="x")


def test_an_article_is_stored_whole_or_not_at_all(bench) -> None:  # type: ignore[no-untyped-def]
    from app.services import Workbench

    def broken_detector(text: str):  # type: ignore[no-untyped-def]
        from app.domain import DetectedClaim

        return [DetectedClaim(5, 2, "", Kind.OTHER, 0.5)]  # end before start: the database refuses it

    failing = Workbench(bench._sessions, detector=broken_detector)
    with pytest.raises(Exception, match="(?i)CHECK constraint"):
        failing.add_article(from_pasted("Some text with 12 numbers in it."))
    assert bench.articles() == []


def test_detected_claims_are_suggestions_until_accepted_or_worked_on(bench, sample_article) -> None:  # type: ignore[no-untyped-def]
    first, second, *_ = bench.claims(sample_article.id)
    assert not first.accepted and not second.accepted
    accepted, _ = bench.accept(first.id)
    assert accepted.accepted and bench.claim(first.id).accepted
    edited, _ = bench.update_claim(second.id, notes="checking")
    assert edited.accepted


def test_redetection_keeps_touched_claims_and_remembers_rejections(bench, sample_article) -> None:  # type: ignore[no-untyped-def]
    claims = bench.claims(sample_article.id)
    worked, rejected, untouched = claims[0], claims[1], claims[2]
    bench.update_claim(worked.id, verdict=bench.scale().rating("verified"))
    bench.reject(rejected.id)
    text = sample_article.text
    manual, _ = bench.mark_claim(sample_article.id, text.index("Vladimir Putin partly"), text.index("Vladimir Putin partly") + 14)

    changes = bench.redetect(sample_article.id)

    after = {(c.start, c.end): c for c in bench.claims(sample_article.id)}
    assert after[(worked.start, worked.end)].verdict_name == "Verified"
    assert (manual.start, manual.end) in after
    assert (rejected.start, rejected.end) not in after  # a rejection is remembered
    assert (untouched.start, untouched.end) in after  # still found, so kept
    assert not changes.claims_added  # nothing new in an unchanged text


def test_redetection_drops_untouched_suggestions_the_detector_no_longer_finds(bench) -> None:  # type: ignore[no-untyped-def]
    from app.domain import DetectedClaim
    from app.services import Workbench

    text = "Alpha has 12 ships. Beta has 30 planes. Gamma has 7 tanks."
    spans = [(0, 19), (20, 39), (40, 59)]
    current = list(spans)
    detect = lambda t: [DetectedClaim(s, e, t[s:e], Kind.QUANTITY, 0.9) for s, e in current]  # noqa: E731
    work = Workbench(bench._sessions, detector=detect)
    article, _ = work.add_article(from_pasted(text, "Fleet"))
    alpha, beta, gamma = work.claims(article.id)
    work.add_source(beta.id, "https://example.org/beta")
    current[:] = [(40, 59)]
    changes = work.redetect(article.id)
    assert changes.claims_removed == {alpha.id}
    assert [c.quote for c in work.claims(article.id)] == ["Beta has 30 planes.", "Gamma has 7 tanks."]


def test_only_untouched_suggestions_can_be_rejected(bench, sample_article) -> None:  # type: ignore[no-untyped-def]
    claim = bench.claims(sample_article.id)[0]
    bench.update_claim(claim.id, summary="Checked.")
    with pytest.raises(ValidationError, match="delete the claim instead"):
        bench.reject(claim.id)


def test_history_is_append_only_and_outlives_the_claim(bench, sample_article) -> None:  # type: ignore[no-untyped-def]
    import sqlalchemy

    bench.actor = "Ana"
    claim = bench.claims(sample_article.id)[0]
    bench.update_claim(claim.id, verdict=bench.scale().rating("disputed"), summary="Fewer.")
    source, _ = bench.add_source(claim.id, "https://example.org/a")
    bench.update_source(source.id, publisher="OSCE")
    bench.remove_source(source.id)
    bench.delete_claim(claim.id)
    fields = [(e.entity, e.field, e.old_value, e.new_value) for e in bench.history(claim.id)]
    assert fields == [
        ("claim", "verdict", None, "Disputed"),
        ("claim", "summary", "", "Fewer."),
        ("claim", "state", "not_started", "in_progress"),
        ("source", "source", None, "https://example.org/a"),
        ("source", "publisher", "", "OSCE"),
        ("source", "source", "https://example.org/a", None),
        ("claim", "deleted", claim.quote, None),
    ]
    with bench._sessions.begin() as s, pytest.raises(sqlalchemy.exc.IntegrityError, match="append-only"):
        s.execute(sqlalchemy.text("DELETE FROM history"))


def test_search_finds_claims_by_text_notes_and_sources_across_articles(bench, sample_article) -> None:  # type: ignore[no-untyped-def]
    other, _ = bench.add_article(from_pasted("Budget report\n\nThe deficit reached 4.1% of GDP in 2023, the treasury said."))
    claim = next(c for c in bench.claims(sample_article.id) if "3 000" in c.quote)
    bench.update_claim(claim.id, notes="Asked the Gyumri garrison press office")
    bench.add_source(claim.id, "https://example.org/a", publisher="Kommersant")

    assert [h.claim_id for h in bench.search("gyumri")] == [claim.id]
    assert [h.claim_id for h in bench.search("KOMMERS")] == [claim.id]  # prefix, any case
    hits = bench.search("deficit")
    assert [h.article_title for h in hits] == ["Budget report"]
    assert bench.search('russians" OR *') and bench.search("   ") == []  # FTS syntax is just text
    bench.delete_claim(claim.id)
    assert bench.search("gyumri") == []


def test_sources_keep_their_evidence(bench, sample_article) -> None:  # type: ignore[no-untyped-def]
    from app.domain import SourceKind, Stance

    claim = bench.claims(sample_article.id)[0]
    source, _ = bench.add_source(
        claim.id, "https://un.org/res/822", kind=SourceKind.PRIMARY, stance=Stance.SUPPORTS,
        passage="Demands immediate cessation of all hostilities", archived_url="https://web.archive.org/x",
    )
    stored = bench.claim(claim.id).sources[0]
    assert (stored.kind, stored.stance, stored.passage) == (SourceKind.PRIMARY, Stance.SUPPORTS, source.passage)
    with pytest.raises(ValidationError, match="archived copies"):
        bench.update_source(source.id, archived_url="file:///tmp/copy.html")
    bench.update_source(source.id, stance=Stance.REFUTES)
    assert bench.claim(claim.id).sources[0].stance is Stance.REFUTES
    assert bench.history(claim.id)[-1].describe() == "source stance: supports → refutes"


def test_structure_keeps_furniture_out_and_marks_reader_comments(bench) -> None:  # type: ignore[no-untyped-def]
    from app.domain import DetectedClaim
    from app.domain.segments import SegmentKind
    from app.services import Workbench

    text = SAMPLE.read_text("utf-8").strip("\n")

    def everything(t: str):  # type: ignore[no-untyped-def]
        # A naive detector: every line with a digit, furniture ("1 year ago") included.
        out, pos = [], 0
        for line in t.split("\n"):
            if any(ch.isdigit() for ch in line):
                out.append(DetectedClaim(pos, pos + len(line), line, Kind.QUANTITY, 0.9))
            pos += len(line) + 1
        return out

    work = Workbench(bench._sessions, detector=everything)
    (article,) = work.seed([SAMPLE])
    segments = work.segments(article.id)
    kinds = {g.kind for g in segments}
    assert {SegmentKind.TITLE, SegmentKind.TURN, SegmentKind.COMMENT, SegmentKind.FURNITURE} <= kinds
    claims = work.claims(article.id)
    assert not any(c.quote == "1 year ago" for c in claims)
    troops = next(c for c in claims if "1 900 men" in c.quote)
    assert troops.speaker == "Emmanuel Dupuy" and not troops.from_comment
    assert {g.lang for g in segments if g.kind is SegmentKind.COMMENT and g.lang} >= {"ru"}
    assert text.index("Notify of") > max(c.start for c in claims if not c.from_comment)


def test_claims_take_the_language_of_their_paragraph(bench, sample_article) -> None:  # type: ignore[no-untyped-def]
    claims = bench.claims(sample_article.id)
    langs = {c.lang for c in claims}
    assert {"en", "fr", "ru"} <= langs
    french = next(c for c in claims if "chiite à 75%" in c.quote)
    assert french.lang == "fr"


def in_review_with_a_verdict(bench, claim_id: int, by: str = "Ana"):  # type: ignore[no-untyped-def]
    bench.actor = by
    bench.update_claim(claim_id, verdict=bench.scale().rating("false"), summary="Fewer than that.")
    bench.update_claim(claim_id, state=State.IN_REVIEW)


def test_approval_needs_a_verdict_sources_review_and_a_second_person(bench, sample_article) -> None:  # type: ignore[no-untyped-def]
    claim = bench.claims(sample_article.id)[0]
    bench.actor = "Ben"
    with pytest.raises(ValidationError) as refused:
        bench.approve(claim.id)
    assert str(refused.value) == (
        f"Claim #{claim.number} cannot be approved: it has no verdict yet; it has no sources: add a primary source,"
        " or two from different publishers; send it to review first."
    )
    in_review_with_a_verdict(bench, claim.id)
    bench.add_source(claim.id, "https://www.reuters.com/a")
    bench.add_source(claim.id, "https://reuters.com/b")  # the same publisher, read from the address
    with pytest.raises(ValidationError, match="a second source from another publisher; Ana set the verdict"):
        bench.approve(claim.id)
    assert bench.claim(claim.id).state is State.IN_REVIEW

    bench.add_source(claim.id, "https://stat.example/table", kind=SourceKind.PRIMARY)
    bench.actor = "Ben"
    approved, _ = bench.approve(claim.id)
    assert (approved.state, approved.approved_by, approved.verdict_by) == (State.APPROVED, "Ben", "Ana")
    assert approved.approved_at is not None


def test_an_approved_claim_changes_only_with_a_reason_and_goes_back_to_review(bench, sample_article) -> None:  # type: ignore[no-untyped-def]
    claim = bench.claims(sample_article.id)[0]
    in_review_with_a_verdict(bench, claim.id)
    bench.add_source(claim.id, "https://a.example/x", publisher="A")
    bench.add_source(claim.id, "https://b.example/y", publisher="B")
    bench.actor = "Ben"
    bench.approve(claim.id)
    for change in (
        lambda: bench.update_claim(claim.id, summary="Other."),
        lambda: bench.add_source(claim.id, "https://c.example/z"),
        lambda: bench.remove_source(bench.claim(claim.id).sources[0].id),
        lambda: bench.delete_claim(claim.id),
    ):
        with pytest.raises(ValidationError, match="approved by Ben, so it is locked; give a reason"):
            change()
    assert bench.claim(claim.id).summary == "Fewer than that."

    changed, _ = bench.update_claim(claim.id, summary="Other.", reason="New ministry figures")
    assert (changed.state, changed.approved_by, changed.summary) == (State.IN_REVIEW, "", "Other.")
    assert [(e.field, e.new_value) for e in bench.history(claim.id)][-3:] == [
        ("reopened", "New ministry figures"), ("state", "in_review"), ("summary", "Other."),
    ]
    with pytest.raises(ValidationError, match="use approve"):
        bench.update_claim(claim.id, state=State.APPROVED)


def test_switching_scales_keeps_verdicts_and_flags_the_unmapped(bench, sample_article) -> None:  # type: ignore[no-untyped-def]
    claim = bench.claims(sample_article.id)[0]
    bench.update_claim(claim.id, verdict=bench.scale().rating("misleading"))
    politifact = bench.set_scale("politifact")
    kept = bench.claim(claim.id)
    assert kept.verdict_name == "Misleading" and not kept.on_scale(politifact)
    assert [r.name for r in politifact.labels] == [
        "True", "Mostly True", "Half True", "Mostly False", "False", "Pants on Fire!",
    ]
    assert politifact.bounds == (1, 6)
    with pytest.raises(ValidationError, match="no rating scale 'snopes'"):
        bench.set_scale("snopes")
    bench.update_claim(claim.id, state=State.IN_REVIEW)
    bench.add_source(claim.id, "https://stat.example/table", kind=SourceKind.PRIMARY)
    bench.actor = "Someone else"
    with pytest.raises(ValidationError, match="“Misleading” is not on the PolitiFact-style Truth-O-Meter scale"):
        bench.approve(claim.id)


def test_a_claim_has_one_verdict_a_label_or_a_conclusion(bench, sample_article) -> None:  # type: ignore[no-untyped-def]
    claim = bench.claims(sample_article.id)[0]
    bench.update_claim(claim.id, verdict=bench.scale().rating("false"))
    written, _ = bench.update_claim(claim.id, conclusion="Wrong: the ministry counts 3,000")
    assert (written.verdict, written.verdict_name) == (None, "Wrong: the ministry counts 3,000")
    rated, _ = bench.update_claim(claim.id, verdict=bench.scale().rating("verified"))
    assert (rated.verdict_name, rated.conclusion) == ("Verified", "")


def test_each_claim_keeps_one_public_number_through_rejections_and_deletions(bench, sample_article) -> None:  # type: ignore[no-untyped-def]
    """#15: the report's claim #1 was the window's #2 and the CLI's id 128."""
    claims = sorted(bench.claims(sample_article.id), key=lambda c: (c.start, c.end))
    assert [c.number for c in claims] == list(range(1, len(claims) + 1))  # text order at import
    numbers = {c.id: c.number for c in claims}
    last = len(claims)

    bench.reject(claims[1].id)
    bench.delete_claim(claims[2].id)
    changes = bench.redetect(sample_article.id)  # the deleted suggestion is found again: as a new claim
    found_again = [bench.claim(i) for i in changes.claims_added]
    assert [c.number for c in found_again] == list(range(last + 1, last + 1 + len(found_again)))
    start = sample_article.text.index("logic of revenge")
    marked, _ = bench.mark_claim(sample_article.id, start, start + len("logic of revenge"))
    assert marked.number == last + len(found_again) + 1  # freed numbers are never given again

    after = {c.id: c.number for c in bench.claims(sample_article.id)}
    assert all(after[i] == numbers[i] for i in after if i in numbers)
    assert claims[1].number not in after.values() and claims[2].number not in after.values()
    assert bench.claim_by_number(sample_article.id, claims[3].number).id == claims[3].id

    bench.delete_claim(marked.id)
    restored, _ = bench.restore_claim(marked)  # undoing the deletion brings the number back
    assert restored.number == marked.number


def test_the_desk_overview_counts_checks_per_week_scorecards_and_waiting_work(bench, sample_article) -> None:  # type: ignore[no-untyped-def]
    from app.ingest import from_pasted

    other, _ = bench.add_article(from_pasted(
        "Budget\n\nMinister Jo Park: The deficit reached 4.1% of GDP in 2023.\n\n"
        "Minister Jo Park: We hired 1,200 nurses last year.\n\nReporter: Is that true?", "Budget"))
    bench.update_article(other.id, outlet="Gazette")
    bench.update_article(sample_article.id, outlet="Atlantico")
    claims = bench.claims(sample_article.id)
    false, disputed = bench.scale().rating("false"), bench.scale().rating("disputed")
    bench.update_claim(claims[0].id, verdict=false)
    bench.update_claim(claims[1].id, verdict=disputed, state=State.IN_REVIEW)
    for claim in bench.claims(other.id)[:2]:
        bench.update_claim(claim.id, verdict=false)

    overview = bench.overview()
    assert overview.weeks[-1].count == 4 and overview.checked == 4 and len(overview.weeks) == 12
    outlets = {card.name: {v.name: v.count for v in card.verdicts} for card in overview.by_outlet}
    assert outlets == {"Atlantico": {"Disputed": 1, "False": 1}, "Gazette": {"False": 2}}
    assert [v.name for v in overview.by_outlet[0].verdicts] in (["Disputed", "False"], ["False"])
    assert overview.in_review == 1
    assert overview.oldest[0].claim_id == claims[1].id  # in review comes first
    assert overview.oldest[0].ref == f"{sample_article.id}#{claims[1].number}"
    data = overview.as_json()
    assert data["by_state"]["in_review"] == 1 and data["checked_per_week"][-1]["count"] == 4


def test_saves_made_while_typing_one_field_read_as_one_change(bench, sample_article) -> None:  # type: ignore[no-untyped-def]
    """#15: autosave wrote "summary: About 3,000 → About 3,000 troops at Gyumr…" per pause."""
    claim = bench.claims(sample_article.id)[0]
    for typed in ("About 3,000", "About 3,000 troops", "About 3,000 troops at Gyumri."):
        claim, _ = bench.update_claim(claim.id, summary=typed, expected_version=claim.version)
    summaries = [e for e in bench.history(claim.id) if e.field == "summary"]
    assert len(summaries) == 1
    assert (summaries[0].old_value, summaries[0].new_value) == ("", "About 3,000 troops at Gyumri.")
    assert summaries[0].version == claim.version

    # Something else in between, or another person, starts a new entry.
    claim, _ = bench.update_claim(claim.id, verdict=bench.scale().rating("disputed"))
    claim, _ = bench.update_claim(claim.id, summary="Disputed: about 3,000.")
    bench.actor = "Ben"
    bench.update_claim(claim.id, summary="Disputed: about 3,000, at Gyumri.")
    fields = [(e.field, e.actor) for e in bench.history(claim.id) if e.field in ("summary", "verdict")]
    assert [f for f, _ in fields] == ["summary", "verdict", "summary", "summary"]
    assert fields[-1][1] == "Ben"
