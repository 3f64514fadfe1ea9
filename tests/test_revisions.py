"""Revisions: a new version of an article, its claims carried over (anchored, changed, orphaned),
settling a changed claim, detection afterwards, and the scenario suite's goals. On SQLite and
PostgreSQL (the `backend` fixture)."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import mark_quote as mark

from app.domain import Anchor, SourceKind, State
from app.domain.errors import ValidationError
from app.ingest import ImportedText

ORIGINAL_URL = "https://news.example/armenia"

THREE_THOUSAND = "More 3 000 Russians are positioned on two military bases located on Armenian territory"
TROOPS = "1 900 men, 90 transport vehicles and 88 special units"
OUTSOURCED = "Vladimir Putin partly outsourced the management of the region to Turkey"
SENT = "Armenia has not sent any troops to Ukraine"
DELETED_SENTENCE = "Solidarity within this collective security agreement remains fragile."
SOLIDARITY = "Solidarity within this collective security agreement remains fragile"




def revised(text: str) -> str:
    """The sample as a correction would leave it: a note on top, a figure changed, a sentence
    deleted, a claim copy-edited, the rest untouched."""
    title, rest = text.split("\n\n", 1)
    rest = rest.replace("More 3 000 Russians", "More 5 000 Russians")
    rest = rest.replace(DELETED_SENTENCE, "")
    rest = rest.replace(OUTSOURCED, "Vladimir Putin partly outsourced the management of this region to Turkey")
    rest = rest.replace("Can we see in this action", "Armenia said 105 of its soldiers were killed in the fighting"
                        " on 13 September 2022.\n\nCan we see in this action")
    return title + "\n\nCorrection: an earlier version of this interview misstated a figure.\n\n" + rest


def new_version(text: str) -> ImportedText:
    return ImportedText(title="New clash (corrected)", text=text, source_url=ORIGINAL_URL)


def approved(bench, claim_id: int) -> None:  # type: ignore[no-untyped-def]
    bench.actor = "ana"
    bench.update_claim(claim_id, verdict=bench.scale().rating("false"), summary="Fewer than that.")
    bench.add_source(claim_id, "https://mod.example/report", kind=SourceKind.PRIMARY)
    bench.update_claim(claim_id, state=State.IN_REVIEW)
    bench.actor = "ben"
    bench.approve(claim_id)


def test_a_new_revision_carries_each_claim_to_one_of_three_states(bench, sample_article) -> None:  # type: ignore[no-untyped-def]
    article_id = sample_article.id
    figure, troops, outsourced, gone = (mark(bench, article_id, q) for q in (THREE_THOUSAND, TROOPS, OUTSOURCED, SOLIDARITY))
    approved(bench, figure.id)
    old_text = bench.article(article_id).text

    summary, changes = bench.import_revision(article_id, new_version(revised(old_text)))

    assert summary.revision == 2 and article_id in changes.articles_updated
    after = {c.id: c for c in bench.claims(article_id)}
    text = bench.article(article_id).text
    # Unchanged words: anchored at their new offsets, with the same number.
    assert after[troops.id].anchor is Anchor.ANCHORED and after[troops.id].number == troops.number
    assert text[after[troops.id].start : after[troops.id].end] == TROOPS
    # Copy-edited: nearly the same, so anchored, and the quote follows the new wording (in the history).
    assert after[outsourced.id].anchor is Anchor.ANCHORED
    assert after[outsourced.id].quote == "Vladimir Putin partly outsourced the management of this region to Turkey"
    assert any(h.field == "quote" for h in bench.history(outsourced.id))
    # A changed figure is never "anchored": the old quote stays, the new span waits for a person,
    # and the approved claim is back in review with the reason.
    changed = after[figure.id]
    assert changed.anchor is Anchor.CHANGED and changed.quote == THREE_THOUSAND
    assert text[changed.start : changed.end] == THREE_THOUSAND.replace("3 000", "5 000")
    assert changed.state is State.IN_REVIEW and changed.verdict is not None and len(changed.sources) == 1
    assert any(h.field == "reopened" and h.new_value == "text changed in revision 2" for h in bench.history(figure.id))
    # A deleted sentence: kept with its quote, not in this revision.
    assert after[gone.id].anchor is Anchor.ORPHANED and after[gone.id].quote == SOLIDARITY
    assert (summary.changed, summary.orphaned) == (1, 1) and summary.anchored >= 2  # with untouched suggestions


def test_earlier_revisions_are_kept_and_read_back(bench, sample_article) -> None:  # type: ignore[no-untyped-def]
    old_text = sample_article.text
    bench.import_revision(sample_article.id, new_version(revised(old_text)))
    revisions = bench.revisions(sample_article.id)
    assert [r.number for r in revisions] == [1, 2]
    assert revisions[0].text == old_text and revisions[1].text == bench.article(sample_article.id).text
    assert bench.revision(sample_article.id, 1).text == old_text
    with pytest.raises(ValidationError, match="no revision 7"):
        bench.revision(sample_article.id, 7)
    with pytest.raises(ValidationError, match="current revision already"):
        bench.import_revision(sample_article.id, new_version(revisions[1].text))


def test_confirming_takes_the_new_wording_and_keeps_verdict_sources_and_number(bench, sample_article) -> None:  # type: ignore[no-untyped-def]
    figure = mark(bench, sample_article.id, THREE_THOUSAND)
    approved(bench, figure.id)
    bench.import_revision(sample_article.id, new_version(revised(sample_article.text)))

    confirmed, changes = bench.confirm_anchor(figure.id)

    assert figure.id in changes.claim_ids
    assert confirmed.anchor is Anchor.ANCHORED and confirmed.quote.startswith("More 5 000 Russians")
    assert (confirmed.number, confirmed.verdict is not None, len(confirmed.sources)) == (figure.number, True, 1)
    assert confirmed.state is State.IN_REVIEW  # someone signs the new wording off again
    fields = [h.field for h in bench.history(figure.id)]
    assert "quote" in fields and fields.count("anchor") == 2
    with pytest.raises(ValidationError, match="anchored already"):
        bench.confirm_anchor(figure.id)


def test_a_changed_claim_can_be_marked_not_in_this_revision(bench, sample_article) -> None:  # type: ignore[no-untyped-def]
    figure = mark(bench, sample_article.id, THREE_THOUSAND)
    bench.import_revision(sample_article.id, new_version(revised(sample_article.text)))
    orphan, _ = bench.orphan_claim(figure.id)
    assert orphan.anchor is Anchor.ORPHANED and orphan.quote == THREE_THOUSAND
    text = bench.article(sample_article.id).text
    assert text[orphan.suggest_start : orphan.suggest_end].startswith("More 5 000")  # offered, not taken
    with pytest.raises(ValidationError, match="Only a changed claim"):
        bench.orphan_claim(figure.id)
    taken, _ = bench.confirm_anchor(figure.id)  # the suggestion, taken by a person
    assert taken.anchor is Anchor.ANCHORED and taken.quote.startswith("More 5 000")


def test_detection_runs_on_the_new_revision_around_every_carried_claim(bench, sample_article) -> None:  # type: ignore[no-untyped-def]
    article_id = sample_article.id
    for claim in bench.claims(article_id)[:5]:
        bench.accept(claim.id)
    kept = {c.id for c in bench.claims(article_id) if c.accepted}
    mine = mark(bench, article_id, SENT)

    before = {c.id for c in bench.claims(article_id)}
    summary, changes = bench.import_revision(article_id, new_version(revised(sample_article.text)))

    claims = bench.claims(article_id)
    assert kept | {mine.id} <= {c.id for c in claims}  # every claim someone touched is carried over
    fresh = [c for c in claims if c.id in changes.claims_added]
    carried = [c for c in claims if c.id in before and c.in_text]
    assert fresh and len(fresh) == summary.suggested
    for new in fresh:  # no fresh suggestion over a carried claim
        assert not any(new.start < old.end and old.start < new.end for old in carried), new.quote
    assert len({c.number for c in claims}) == len(claims)
    # The structure is the new text's: the correction note is a segment of its own.
    text = bench.article(article_id).text
    assert any(text[g.start : g.end].startswith("Correction:") for g in bench.segments(article_id))


def test_same_link_finds_the_article_for_its_next_revision(bench) -> None:  # type: ignore[no-untyped-def]
    article, _ = bench.add_article(ImportedText(title="A", text="The port handled 13.5 million containers.",
                                                source_url=ORIGINAL_URL))
    assert bench.article_by_url(ORIGINAL_URL) == article.id
    assert bench.article_by_url("https://other.example/") is None
    assert [r.number for r in bench.revisions(article.id)] == [1]


def test_rejected_suggestions_stay_rejected_where_their_words_are_unchanged(bench, sample_article) -> None:  # type: ignore[no-untyped-def]
    article_id = sample_article.id
    suggestion = next(c for c in bench.claims(article_id) if "1993" in c.quote)
    bench.reject(suggestion.id)
    bench.import_revision(article_id, new_version(revised(sample_article.text)))
    assert not any(c.quote == suggestion.quote for c in bench.claims(article_id))


def test_the_scenario_suite_meets_its_goals() -> None:
    from app.revisions.scenarios import FLAGGED, ORPHANED_WRONGLY, RIGHT, WRONG, run, table

    results = run()
    counts = {o: sum(1 for r in results if r.outcome == o) for o in (RIGHT, FLAGGED, ORPHANED_WRONGLY, WRONG)}
    assert len(results) >= 200
    assert counts[WRONG] == 0, table(results)
    assert counts[ORPHANED_WRONGLY] == 0, table(results)
    assert counts[RIGHT] / len(results) >= 0.85, table(results)
    # The README shows the table as it is.
    readme = (Path(__file__).resolve().parent.parent / "README.md").read_text(encoding="utf-8")
    assert table(results) in readme


def test_reports_say_where_each_claim_stands_in_the_current_revision(bench, sample_article) -> None:  # type: ignore[no-untyped-def]
    import json

    import jsonschema

    from app.export import build_report, render_html, render_json, schema_path

    figure = mark(bench, sample_article.id, THREE_THOUSAND)
    gone = mark(bench, sample_article.id, SOLIDARITY)
    bench.import_revision(sample_article.id, new_version(revised(sample_article.text)))
    article = bench.article(sample_article.id)
    report = build_report(article, bench.claims(article.id), scales=bench.scales())

    data = json.loads(render_json(report))
    jsonschema.validate(data, json.loads(schema_path().read_text(encoding="utf-8")))
    by_number = {c["number"]: c for c in data["claims"]}
    assert by_number[figure.number]["text_anchor"]["state"] == "changed"
    assert by_number[figure.number]["text_anchor"]["note"].startswith("text changed in revision 2")
    assert by_number[gone.number]["text_anchor"] == {
        "state": "orphaned", "label": "Not in this revision", "note": by_number[gone.number]["text_anchor"]["note"],
    }
    assert by_number[gone.number]["anchor"] == f"claim-{gone.number}"  # the HTML id, as before
    page = render_html(report)
    assert "Changed, confirm: text changed in revision 2" in page and "Not in this revision: not in revision 2" in page


def test_the_command_line_imports_a_new_version_with_revision_of(db_url, tmp_path) -> None:  # type: ignore[no-untyped-def]
    import json
    import os
    import subprocess
    import sys

    from conftest import ROOT, SAMPLE

    def claimdesk(*args: str) -> subprocess.CompletedProcess[str]:
        env = {**os.environ, "CLAIMDESK_DB": db_url}
        return subprocess.run([sys.executable, "-m", "app", "--as", "ana", *args], capture_output=True, text=True,
                              env=env, cwd=ROOT, timeout=120)

    article_id = claimdesk("import", str(SAMPLE)).stdout.strip()
    claims = json.loads(claimdesk("claims", article_id, "--json").stdout)
    figure = next(c for c in claims if c["quote"].startswith("More 3 000 Russians"))
    assert claimdesk("review", f"{article_id}#{figure['number']}", "--verdict", "false").returncode == 0
    corrected = tmp_path / "corrected.txt"
    corrected.write_text(revised(SAMPLE.read_text(encoding="utf-8")), encoding="utf-8")

    done = claimdesk("import", str(corrected), "--revision-of", article_id)

    assert done.returncode == 0 and done.stdout.strip() == article_id, done.stderr
    assert "Revision 2:" in done.stderr and "1 changed (confirm)" in done.stderr
    assert f"{article_id}#{figure['number']}  Changed, confirm: text changed in revision 2" in done.stderr
    listing = claimdesk("claims", article_id).stdout
    assert "[Changed, confirm]" in listing
    other = tmp_path / "other.txt"
    other.write_text("A text of its own: 12 ships waited at anchor.", encoding="utf-8")
    missing = claimdesk("import", str(other), "--revision-of", "999")
    assert missing.returncode != 0 and "999" in missing.stderr and len(missing.stderr.strip().splitlines()) == 1


def test_migration_0012_makes_each_text_revision_1_and_fills_missing_context(engine, bench, sample_article) -> None:  # type: ignore[no-untyped-def]
    """On both engines: downgrading past 0012 loses nothing while there is one revision; upgrading
    again makes each article's text its revision 1 and gives a claim stored without context its
    32 characters on each side back."""
    from sqlalchemy import inspect, text

    from app.storage.migrate import downgrade, migrate

    claim = mark(bench, sample_article.id, TROOPS)
    result = downgrade(engine, "0011")
    assert (result.lost, result.backup) == ((), None)  # nothing to lose: no copy was needed
    assert "article_revision" not in inspect(engine).get_table_names()
    with engine.begin() as c:
        c.execute(text("UPDATE claim SET context_before = '', context_after = '' WHERE id = :id"), {"id": claim.id})
    migrate(engine)

    (first,) = bench.revisions(sample_article.id)
    assert (first.number, first.text) == (1, sample_article.text)
    back = bench.claim(claim.id)
    start = sample_article.text.index(TROOPS)
    assert back.context_before == sample_article.text[start - 32 : start]
    assert back.context_after == sample_article.text[start + len(TROOPS) : start + len(TROOPS) + 32]
    assert back.anchor is Anchor.ANCHORED


# -- the anchoring rules, on small texts ------------------------------------------------------------

def place(old: str, new: str, quote: str):  # type: ignore[no-untyped-def]
    from app.revisions.anchor import Carrier, Selector

    start = old.index(quote)
    return Carrier(old, new).place(Selector.of(old, start, start + len(quote)))


FILLER = " ".join(f"Sentence {i} says nothing checkable at all." for i in range(30))


def test_a_changed_figure_is_never_anchored_even_in_the_same_words() -> None:
    old = f"{FILLER}\n\nMore than 3,000 troops are based at Gyumri, the ministry said.\n\n{FILLER}"
    placed = place(old, old.replace("3,000", "5,000"), "More than 3,000 troops are based at Gyumri")
    assert placed.state is Anchor.CHANGED and "figures" in placed.reason
    placed = place(old, old.replace("3,000", "three thousand"), "More than 3,000 troops are based at Gyumri")
    assert placed.state is Anchor.CHANGED


def test_a_paragraph_moved_far_is_found_and_a_deleted_one_is_orphaned_with_a_suggestion_only() -> None:
    claim = "The port handled 13.5 million containers last year."
    old = f"Title\n\n{claim} It is the second largest.\n\n{FILLER}\n\nThe end."
    moved = f"Title\n\n{FILLER}\n\n{claim} It is the second largest.\n\nThe end."
    placed = place(old, moved, claim)
    assert placed.state is Anchor.ANCHORED and moved[placed.start : placed.end] == claim
    assert placed.start - old.index(claim) > 500
    gone = f"Title\n\n{FILLER}\n\nThe harbour saw 13.5 million boxes, officials said.\n\nThe end."
    placed = place(old, gone, claim)
    assert placed.state is Anchor.ORPHANED
    near = f"Title\n\n{FILLER}\n\nThe port handled containers, millions of them, last year.\n\nThe end."
    placed = place(old, near, claim)
    assert placed.state is Anchor.ORPHANED and placed.start is not None  # the nearest, offered only
    assert near[placed.start : placed.end].startswith("The port handled containers")


def test_an_exact_quote_in_two_look_alike_places_is_confirmed_by_a_person() -> None:
    paragraph = "Officials said 41 ships were waiting at anchor in the North Sea on Wednesday."
    old = f"Title\n\n{paragraph}\n\n{FILLER}"
    # The paragraph is gone from its place and two look-alikes appear elsewhere: nothing to choose by.
    new = f"Title\n\n{FILLER}\n\n{paragraph}\n\nMore: {paragraph}"
    placed = place(old, new, "41 ships were waiting at anchor")
    assert placed.state is Anchor.CHANGED and "more than one place" in placed.reason
