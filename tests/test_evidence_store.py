"""Evidence kept on a claim: saved in one transaction with its history line, read back, exported, and
reached from the command line (compare, numbers, refs)."""

from __future__ import annotations

import json
import re

import pytest

from app.cli import run
from app.domain import SourceKind
from app.domain.errors import ValidationError
from app.domain.evidence import EvidenceKind, Passage
from app.evidence.numbers import MINUS
from app.evidence.refs import treaty_article

TROOPS_PASSAGE = "Russian troops in Nagorno Karabagh: 1 900 men, 90 transport vehicles and 88 special units"


def claim_with(bench, article_id: int, words: str):  # type: ignore[no-untyped-def]
    return next(c for c in bench.claims(article_id) if words in c.quote)


def test_a_comparison_is_saved_with_both_passages_and_the_diff_and_logged(bench, sample_article) -> None:
    bench.actor = "ana"
    claim = claim_with(bench, sample_article.id, "article 5 NATO")
    nato5, csto4 = treaty_article("nato:5"), treaty_article("csto:4")
    assert nato5 and csto4
    saved, changes = bench.save_comparison(claim.id, Passage(csto4.text, csto4.title, csto4.url),
                                           Passage(nato5.text, nato5.title, nato5.url))
    assert changes.claim_ids == {claim.id} and changes.article_ids == {sample_article.id}
    (stored,) = bench.evidence(claim.id)
    assert stored == saved and stored.kind is EvidenceKind.COMPARISON and stored.created_by == "ana"
    assert stored.left.url == csto4.url and stored.right.label == nato5.title and stored.diff
    assert bench.article_evidence(sample_article.id) == {claim.id: [stored]}
    last = bench.history(claim.id)[-1]
    assert (last.field, last.actor) == ("evidence", "ana") and "words are shared" in (last.new_value or "")
    assert bench.claim(claim.id).version == claim.version + 1

    bench.remove_evidence(stored.id)
    assert bench.evidence(claim.id) == []
    bench.restore_evidence(stored)
    assert [e.id for e in bench.evidence(claim.id)] == [stored.id]


def test_a_figures_check_is_a_hint_in_the_history_never_a_verdict(bench, sample_article) -> None:
    claim = claim_with(bench, sample_article.id, "More 3 000 Russians")
    saved, _ = bench.save_figures(claim.id, Passage(TROOPS_PASSAGE, "MoD", "https://mod.example/r"))
    assert saved.mismatch and saved.figures == (f"claim: more than 3,000; source: 1,900 ({MINUS}37 %)",)
    assert f"({MINUS}37 %)" in (bench.history(claim.id)[-1].new_value or "")
    assert not bench.claim(claim.id).has_verdict


def test_empty_passages_are_refused_in_one_line(bench, sample_article) -> None:
    claim = claim_with(bench, sample_article.id, "article 5 NATO")
    with pytest.raises(ValidationError, match="Both passages"):
        bench.save_comparison(claim.id, Passage(" "), Passage("text"))


def test_evidence_goes_with_its_claim(bench, sample_article) -> None:
    claim = claim_with(bench, sample_article.id, "article 5 NATO")
    bench.save_comparison(claim.id, Passage("a b c"), Passage("a b d"))
    bench.delete_claim(claim.id)
    assert bench.article_evidence(sample_article.id) == {}


@pytest.fixture
def db(db_path, bench, sample_article):  # type: ignore[no-untyped-def]
    return str(db_path)


def cli(capsys, *args: str) -> str:  # type: ignore[no-untyped-def]
    assert run(list(args)) == 0
    return str(capsys.readouterr().out)


def test_cli_compare_sets_the_two_articles_the_claim_names_side_by_side_and_saves(db, bench, sample_article, capsys) -> None:
    claim = claim_with(bench, sample_article.id, "article 5 NATO")
    out = cli(capsys, "--db", db, "compare", str(claim.id), "--save")
    assert "Article 4, Collective Security Treaty" in out and "Article 5, North Atlantic Treaty" in out
    assert "% of the words are shared" in out and "[-" in out and "{+" in out
    assert bench.evidence(claim.id)[0].left.label.startswith("Article 4")
    data = json.loads(cli(capsys, "--db", db, "compare", str(claim.id), "--left", "un_charter:51",
                          "--right", "Nothing in the present Charter", "--json"))
    assert data["left"]["url"].startswith("https://www.un.org/") and 0 < data["similarity"] < 1


def test_cli_numbers_checks_each_sources_passage(db, bench, sample_article, capsys) -> None:
    claim = claim_with(bench, sample_article.id, "More 3 000 Russians")
    bench.add_source(claim.id, "https://mod.example/r", passage=TROOPS_PASSAGE)
    out = cli(capsys, "--db", db, "numbers", str(claim.id))
    assert f"MISMATCH claim: more than 3,000; source: 1,900 ({MINUS}37 %)" in out
    data = json.loads(cli(capsys, "--db", db, "numbers", str(claim.id), "--json"))
    assert data["claim_figures"][0]["shown"] == "more than 3,000"
    assert data["sources"][0]["checks"][0]["mismatch"] is True


def test_cli_refs_lists_the_1993_resolutions_and_adds_one_as_a_primary_source(db, bench, sample_article, capsys) -> None:
    claim = claim_with(bench, sample_article.id, "four UN Security Council resolutions")
    data = json.loads(cli(capsys, "--db", db, "refs", str(claim.id), "--json"))
    assert [r["url"] for r in data["references"]] == [f"https://undocs.org/S/RES/{n}(1993)" for n in (822, 853, 874, 884)]
    out = cli(capsys, "--db", db, "refs", str(claim.id), "--add", "S/RES/853(1993)")
    assert "Added S/RES/853(1993) as a primary source." in out
    (source,) = bench.claim(claim.id).sources
    assert (source.url, source.kind) == ("https://undocs.org/S/RES/853(1993)", SourceKind.PRIMARY)


def test_cli_refs_refuses_an_unknown_key_in_one_line(db, bench, sample_article, capsys) -> None:
    claim = claim_with(bench, sample_article.id, "four UN Security Council resolutions")
    assert run(["--db", db, "refs", str(claim.id), "--add", "S/RES/1(1946)"]) == 1
    assert "is not one of this claim's references" in capsys.readouterr().err




def test_json_and_markdown_reports_carry_the_evidence(bench, sample_article) -> None:
    import jsonschema

    from app.export import build_report, render_json, render_markdown, schema_path

    claim = claim_with(bench, sample_article.id, "More 3 000 Russians")
    bench.accept(claim.id)
    bench.save_figures(claim.id, Passage(TROOPS_PASSAGE, "MoD", "https://mod.example/r"))
    bench.save_comparison(claim.id, Passage("a b c", "Left one"), Passage("a b d", "Right one", "https://x.example/"))
    report = build_report(bench.article(sample_article.id), bench.claims(sample_article.id),
                          evidence=bench.article_evidence(sample_article.id))
    data = json.loads(render_json(report))
    jsonschema.validate(data, json.loads(schema_path().read_text("utf-8")))
    (entry,) = [c for c in data["claims"] if c["evidence"]]
    figures, comparison = entry["evidence"]
    assert figures["mismatch"] and figures["figures"] == [f"claim: more than 3,000; source: 1,900 ({MINUS}37 %)"]
    assert comparison["left_runs"] == [{"text": "a b", "only_here": False}, {"text": "c", "only_here": True}]
    markdown = render_markdown(report)
    assert "**Evidence:**" in markdown and "[Right one](https://x.example/): a b **d**" in markdown


def test_the_pdf_report_draws_the_comparison_side_by_side(bench, sample_article) -> None:
    from app.export import build_report, render_print_html

    claim = claim_with(bench, sample_article.id, "article 5 NATO")
    bench.accept(claim.id)
    bench.save_comparison(claim.id, Passage("a b c", "Article 4, CST"), Passage("a b d", "Article 5, NAT"))
    page = render_print_html(build_report(bench.article(sample_article.id), bench.claims(sample_article.id),
                                          evidence=bench.article_evidence(sample_article.id)))
    assert "Passage comparison:" in page and "Article 4, CST" in page
    # The words of one passage only are marked (each inside Unicode isolates, as all PDF text is).
    assert re.search(r'<span style="background-color: #fbd9a6;">\W*c\W*</span>', page)
    assert re.search(r'<span style="background-color: #c6e9c6;">\W*d\W*</span>', page)
