"""ClaimReview JSON-LD: read as plain JSON, then as linked data with PyLD against a local context."""

from __future__ import annotations

import json
import re
from typing import Any

import pytest
from conftest import SAMPLE
from test_export import (
    DEFAULT_SCALE,
    FALSE,
    GENERATED,
    HOSTILE_ATTR,
    HOSTILE_SCRIPT,
    MISLEADING,
    MOSTLY_TRUE,
    PANTS_ON_FIRE,
    PF_MOSTLY_TRUE,
    POLITIFACT,
    PRIVATE,
    RLO,
    SCALES,
    TEXT,
    UNVERIFIABLE,
    approved,
    claim_at,
    hostile_report,
    make_article,
    sample_claims,
)

from app.domain import Claim, Kind, SourceKind, State
from app.domain.validate import ValidationError
from app.export import Report, build_report, claim_reviewed, export_report, render_claimreview
from app.export import claimreview as claimreview_module
from app.export.claimreview import CLAIM_REVIEWED_MAX, speaker_type

URL = "https://checks.example.org/2024/budget"
ORG = "Example Checks"
SCHEMA = "http://schema.org/"

# What https://schema.org serves as its JSON-LD context, cut to the terms used here. Like the
# real one, it makes url and sameAs IRIs and dates typed values.
LOCAL_CONTEXT = {
    "@context": {
        "@vocab": SCHEMA,
        "schema": SCHEMA,
        "url": {"@id": "schema:url", "@type": "@id"},
        "sameAs": {"@id": "schema:sameAs", "@type": "@id"},
        "datePublished": {"@id": "schema:datePublished", "@type": "schema:Date"},
    }
}


def local_loader(url: str, options: dict[str, Any] | None = None) -> dict[str, Any]:
    """PyLD's document loader, without a network: schema.org's context or nothing."""
    if url.rstrip("/") not in ("https://schema.org", "http://schema.org"):
        raise AssertionError(f"the test tried to load {url}")
    return {
        "contentType": "application/ld+json",
        "contextUrl": None,
        "documentUrl": url,
        "document": LOCAL_CONTEXT,
    }


@pytest.fixture
def report() -> Report:
    return build_report(make_article(), sample_claims(), generated_at=GENERATED, scales=SCALES)


def reviews(report: Report, **settings: str) -> list[dict[str, Any]]:
    text = render_claimreview(report, report_url=settings.get("url", URL),
                              organisation=settings.get("org", ORG))
    document = json.loads(text)
    assert document["@context"] == "https://schema.org"
    return document["@graph"]


# --- Plain JSON ------------------------------------------------------------------------------


def test_only_approved_claims_are_published(report: Report) -> None:
    graph = reviews(report)
    # Claim 2 (Misleading) still waits for its sign-off and claim 3 has no verdict: no review.
    assert [r["url"] for r in graph] == [f"{URL}#claim-1", f"{URL}#claim-4"]
    assert [r["reviewRating"]["alternateName"] for r in graph] == ["True", "False"]
    assert all(r["@type"] == "ClaimReview" for r in graph)
    assert "up 21% on last year" not in render_claimreview(report, report_url=URL, organisation=ORG)


def test_review_fields(report: Report) -> None:
    first, fourth = reviews(report)
    assert first == {
        "@type": "ClaimReview",
        "url": f"{URL}#claim-1",
        "claimReviewed": "a budget of 4.2 billion euros",
        "datePublished": "2024-05-14",
        "author": {"@type": "Organization", "name": ORG},
        "reviewRating": {
            "@type": "Rating",
            "alternateName": "True",  # the label's published name: "Verified" in the newsroom
            "ratingValue": 5,
            "bestRating": 5,
            "worstRating": 1,
        },
        "ratingExplanation": "The budget is 4.2 billion euros. See the council minutes.",
        "itemReviewed": {
            "@type": "Claim",
            "author": {"@type": "Organization", "name": "City Finance Department"},
            "datePublished": "2024-03-05",
            "appearance": {
                "@type": "CreativeWork",
                "url": "https://news.example.org/budget",
                "headline": "City budget grows by a fifth",
                "publisher": {"@type": "Organization", "name": "Example Gazette"},
            },
        },
    }
    assert fourth["reviewRating"] == {"@type": "Rating", "alternateName": "False", "ratingValue": 1,
                                      "bestRating": 5, "worstRating": 1}
    assert "author" not in fourth["itemReviewed"]  # nobody named: no author at all


def test_a_named_person_is_the_claim_s_author() -> None:
    claims = [claim_at(TEXT, "up 21% on last year", 1, State.APPROVED, MISLEADING, speaker="Mayor Ana Lopez")]
    (review,) = reviews(build_report(make_article(), claims, generated_at=GENERATED, scales=SCALES))
    assert review["itemReviewed"]["author"] == {"@type": "Person", "name": "Mayor Ana Lopez"}


def test_each_rating_is_published_against_its_own_scale() -> None:
    assert not hasattr(claimreview_module, "RATING_VALUES")  # the scales are data now
    assert (DEFAULT_SCALE.bounds, POLITIFACT.bounds) == ((1, 5), (1, 6))
    claims = [
        claim_at(TEXT, "a budget of 4.2 billion euros", 1, State.APPROVED, PANTS_ON_FIRE),
        claim_at(TEXT, "up 21% on last year", 2, State.APPROVED, MOSTLY_TRUE),
        claim_at(TEXT, "fell to 6.1% in March", 3, State.APPROVED, UNVERIFIABLE),
        claim_at(TEXT, "cost twice the original estimate", 4, State.APPROVED, PF_MOSTLY_TRUE),
        claim_at(TEXT, "the largest investment in schools", 5, State.APPROVED,
                 conclusion="Right on the money, but the 1990 figure excludes repairs."),
    ]
    graph = reviews(build_report(make_article(), claims, generated_at=GENERATED, scales=SCALES))
    ratings = {int(r["url"].rsplit("-", 1)[1]): r["reviewRating"] for r in graph}
    assert ratings == {
        1: {"@type": "Rating", "alternateName": "Pants on Fire", "ratingValue": 1,
            "bestRating": 6, "worstRating": 1},
        2: {"@type": "Rating", "alternateName": "Mostly true", "ratingValue": 4,
            "bestRating": 5, "worstRating": 1},
        # Numbered in text order: the schools quote comes before the unemployment one.
        3: {"@type": "Rating", "alternateName": "Right on the money, but the 1990 figure excludes repairs."},
        4: {"@type": "Rating", "alternateName": "Unverifiable"},  # outside the order: no number
        5: {"@type": "Rating", "alternateName": "Mostly True", "ratingValue": 5,
            "bestRating": 6, "worstRating": 1},
    }
    assert all("ratingExplanation" not in r for r in graph)  # no rationale written yet


def test_without_the_scales_a_rating_is_published_by_name_alone() -> None:
    claims = [claim_at(TEXT, "up 21% on last year", 1, State.APPROVED, PANTS_ON_FIRE)]
    (review,) = reviews(build_report(make_article(), claims, generated_at=GENERATED))
    assert review["reviewRating"] == {"@type": "Rating", "alternateName": "Pants on Fire"}


def test_nothing_approved_is_refused_in_one_clear_line() -> None:
    waiting = [c for c in sample_claims() if c.state is not State.APPROVED]
    report = build_report(make_article(), waiting, generated_at=GENERATED, scales=SCALES)
    with pytest.raises(ValidationError) as error:
        render_claimreview(report, report_url=URL, organisation=ORG)
    message = str(error.value)
    assert message == ("ClaimReview publishes approved verdicts only, and no claim in this report is "
                       "approved yet: 1 verdict waits for a reviewer's sign-off.")
    with pytest.raises(ValidationError, match="no claim in this report is approved yet"):
        export_report(build_report(make_article(), [], generated_at=GENERATED), "claimreview",
                      report_url=URL, organisation=ORG)


def test_unknown_article_details_are_left_out() -> None:
    article = make_article(source_url="", published=None, outlet="", title="")
    claims = [claim_at(TEXT, "up 21% on last year", 1, State.APPROVED, FALSE)]
    (review,) = reviews(build_report(article, claims, generated_at=GENERATED))
    assert review["itemReviewed"] == {"@type": "Claim"}
    no_link = make_article(source_url="file:///home/me/article.txt")
    (review,) = reviews(build_report(no_link, claims, generated_at=GENERATED))
    assert "appearance" not in review["itemReviewed"]


def test_the_report_address_must_be_a_web_link_and_the_organisation_named(report: Report) -> None:
    for bad in ("", "   ", "checks.example.org/x", "javascript:alert(1)", "file:///tmp/r.html",
                "https://exa mple.org/"):
        with pytest.raises(ValidationError, match="web address where the report is published"):
            render_claimreview(report, report_url=bad, organisation=ORG)
    with pytest.raises(ValidationError, match="name of the fact-checking organisation"):
        render_claimreview(report, report_url=URL, organisation=f"  {RLO} ")
    # The address's own fragment gives way to each claim's.
    graph = reviews(report, url=f"  {URL}#top ")
    assert graph[0]["url"] == f"{URL}#claim-1"


def test_numbers_follow_the_claims_the_report_includes() -> None:
    resolved = build_report(make_article(), sample_claims(), generated_at=GENERATED, include="resolved")
    assert [r["url"] for r in reviews(resolved)] == [f"{URL}#claim-{n}" for n in (1, 3)]
    signed = build_report(make_article(), sample_claims(), generated_at=GENERATED, include="approved")
    assert [r["url"] for r in reviews(signed)] == [f"{URL}#claim-{n}" for n in (1, 2)]


def test_dispatcher_takes_the_settings(report: Report) -> None:
    text = export_report(report, "claimreview", report_url=URL, organisation=ORG)
    assert text == render_claimreview(report, report_url=URL, organisation=ORG)
    assert text.endswith("}\n")


def test_private_notes_stay_out(report: Report) -> None:
    assert PRIVATE not in render_claimreview(report, report_url=URL, organisation=ORG)


def test_a_verdict_approved_through_the_workbench_is_published_with_its_scale(bench) -> None:  # type: ignore[no-untyped-def]
    """The whole path: one fact-checker sets the verdict, another signs it off, the export
    publishes that one and leaves the verdict still in review out."""
    (article,) = bench.seed([SAMPLE])
    first, second = bench.claims(article.id)[:2]
    scale = bench.scale()
    bench.actor = "ana"
    bench.update_claim(first.id, verdict=scale.rating("mostly_true"), summary="Four resolutions, 1993.")
    bench.add_source(first.id, "https://undocs.example.org/res/822", kind=SourceKind.PRIMARY)
    bench.update_claim(first.id, state=State.IN_REVIEW)
    bench.update_claim(second.id, verdict=scale.rating("false"), state=State.IN_REVIEW)
    bench.actor = "ben"
    signed, _ = bench.approve(first.id)

    claims = bench.claims(article.id)
    report = build_report(article, claims, generated_at=GENERATED, include="resolved", scales=bench.scales())
    (review,) = reviews(report)
    assert review["url"] == f"{URL}#claim-1"
    assert review["reviewRating"] == {"@type": "Rating", "alternateName": "Mostly true", "ratingValue": 4,
                                      "bestRating": 5, "worstRating": 1}
    assert review["ratingExplanation"] == "Four resolutions, 1993."

    # The HTML report those reviews link to says who signed off, and that it is still a draft.
    html = export_report(report, "html")
    assert "Draft: 1 of 2 verdicts is not approved yet." in html
    assert f"Approved by ben on {signed.approved_at.day} " in html
    assert "Not approved yet (in review); verdict by ana" in html


# --- claimReviewed ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("quote", "verdict", "expected"),
    [
        ("a budget of 4.2 billion euros", "Verified", "a budget of 4.2 billion euros"),
        ("  a  budget\nof\t4.2 billion  ", "Verified", "a budget of 4.2 billion"),
        ("False: the tram will cost twice as much", "False", "the tram will cost twice as much"),
        ("The rumour is FALSE, says the mayor", "False", "The rumour is, says the mayor"),
        ("It is misleading to say so", "Misleading", "It is to say so"),
        ("Falsehoods and false claims", "False", "Falsehoods and claims"),
        ("unverified figures were verified", "Verified", "unverified figures were"),
        ("True: the figure was verified", ("Verified", "True"), "the figure was"),
        ("Pants on fire, says the mayor", ("Pants on Fire!", "Pants on Fire"), "says the mayor"),
        ("Mostly true, but half true too", ("Mostly true", "True"), "but half too"),
    ],
)
def test_claim_reviewed_collapses_space_and_drops_the_verdict(
    quote: str, verdict: str | tuple[str, ...], expected: str
) -> None:
    assert claim_reviewed(quote, verdict) == expected


def test_claim_reviewed_is_cut_at_a_word_under_75_characters() -> None:
    quote = ("The council approved a budget of 4.2 billion euros on Tuesday, up 21% on last year, "
             "the largest rise since 1990")
    text = claim_reviewed(quote, "Verified")
    assert len(text) < 75 and len(text) == len(text.strip())
    assert text == "The council approved a budget of 4.2 billion euros on Tuesday, up 21% on…"
    assert quote.startswith(text[:-1])
    assert claim_reviewed("x" * 500, "False") == "x" * (CLAIM_REVIEWED_MAX - 1) + "…"


def test_claim_reviewed_never_holds_the_verdict_word() -> None:
    for rating in (*DEFAULT_SCALE.labels, *POLITIFACT.labels):
        label = rating.name
        quote = f"{label} claims: {label.lower()} {label.upper()} and more {label} ({rating.published_name})."
        text = claim_reviewed(quote, (label, rating.published_name))
        for word in (label, rating.published_name):
            assert not re.search(rf"(?<!\w){re.escape(word)}(?!\w)", text, re.IGNORECASE), text
        assert text  # something is left to publish
    # Nothing but the verdict: the claim's number stands in.
    claims = [approved(1, 0, 5, "False!")]
    (review,) = reviews(build_report(make_article(), claims, generated_at=GENERATED))
    assert review["claimReviewed"] == "Claim 1"


def test_every_claim_reviewed_in_a_long_report_is_short_and_verdict_free() -> None:
    ratings = [*DEFAULT_SCALE.labels, *POLITIFACT.labels]
    states = list(State)
    claims = [
        Claim(i, 1, 0, 5, f"{ratings[i % 12].name} " * (i % 40) + f"spending rose by {i}%",
              Kind.OTHER, states[i % 4], ratings[i % 12])
        for i in range(1, 201)
    ]
    report = build_report(make_article(), claims, generated_at=GENERATED, scales=SCALES)
    graph = reviews(report)
    assert len(graph) == report.approved == 50
    for review in graph:
        verdict = report.claims[int(review["url"].rsplit("-", 1)[1]) - 1].verdict
        assert verdict is not None and review["reviewRating"]["alternateName"] == verdict.published_name
        assert 0 < len(review["claimReviewed"]) < 75
        for word in (verdict.name, verdict.published_name):
            assert not re.search(rf"(?<!\w){re.escape(word)}(?!\w)", review["claimReviewed"], re.IGNORECASE)


@pytest.mark.parametrize(
    ("speaker", "kind"),
    [
        ("Mayor Ana Lopez", "Person"),
        ("Emmanuel Dupuy", "Person"),
        ("City Finance Department", "Organization"),
        ("Ministry of Defence", "Organization"),
        ("NATO", "Organization"),
        ("ОДКБ", "Organization"),
        ("Министерство обороны", "Organization"),
        ("Conseil de sécurité", "Organization"),
        ("Jo", "Person"),
    ],
)
def test_speaker_type(speaker: str, kind: str) -> None:
    assert speaker_type(speaker) == kind


# --- Hostile text ----------------------------------------------------------------------------


def test_hostile_text_stays_data_and_cannot_close_a_script_element() -> None:
    long_quote = "word " * 20_000
    text = f"{long_quote}\n{HOSTILE_SCRIPT}"
    claims = [
        approved(1, 0, len(long_quote), long_quote,
                 summary=f"{HOSTILE_SCRIPT}</script><script>alert(2)</script> & {HOSTILE_ATTR}",
                 speaker=f"{RLO}{HOSTILE_SCRIPT}"),
    ]
    report = build_report(
        make_article(text, title=f"{HOSTILE_SCRIPT}{RLO}", outlet=HOSTILE_ATTR,
                     source_url="javascript:alert(3)"),
        claims, generated_at=GENERATED,
    )
    for rendered in (render_claimreview(report, report_url=URL, organisation=f"<b>{ORG}</b>"),
                     render_claimreview(hostile_report(), report_url=URL, organisation=ORG)):
        assert "<" not in rendered and ">" not in rendered and "&" not in rendered
        assert "\u2028" not in rendered and RLO not in rendered
        assert "javascript:" not in rendered.lower()
        json.loads(rendered)  # still JSON
    (review,) = json.loads(render_claimreview(report, report_url=URL, organisation=ORG))["@graph"]
    assert len(review["claimReviewed"]) < 75 and review["claimReviewed"].endswith("word…")
    assert review["ratingExplanation"].startswith(HOSTILE_SCRIPT + "</script>")
    assert review["itemReviewed"]["author"] == {"@type": "Person", "name": HOSTILE_SCRIPT}
    assert "appearance" not in review["itemReviewed"]  # a javascript: link is not an appearance
    (hostile,) = json.loads(render_claimreview(hostile_report(), report_url=URL,
                                               organisation=ORG))["@graph"]
    assert hostile["claimReviewed"] == f"The claim {HOSTILE_SCRIPT} here."


# --- As linked data --------------------------------------------------------------------------


def test_expands_and_compacts_as_schema_org_claim_reviews(report: Report) -> None:
    jsonld = pytest.importorskip("pyld.jsonld")
    document = json.loads(render_claimreview(report, report_url=URL, organisation=ORG))
    options = {"documentLoader": local_loader}

    expanded = jsonld.expand(document, options)
    by_type: dict[str, list[dict[str, Any]]] = {}
    for node in expanded:
        for kind in node["@type"]:
            by_type.setdefault(kind, []).append(node)
    reviews_ = by_type[SCHEMA + "ClaimReview"]
    assert len(reviews_) == 2  # the two approved claims
    first = reviews_[0]
    assert first[SCHEMA + "url"] == [{"@id": f"{URL}#claim-1"}]
    assert first[SCHEMA + "claimReviewed"] == [{"@value": "a budget of 4.2 billion euros"}]
    assert first[SCHEMA + "datePublished"] == [{"@type": SCHEMA + "Date", "@value": "2024-05-14"}]
    (rating,) = first[SCHEMA + "reviewRating"]
    assert rating["@type"] == [SCHEMA + "Rating"]
    assert rating[SCHEMA + "alternateName"] == [{"@value": "True"}]
    assert rating[SCHEMA + "ratingValue"] == [{"@value": 5}]
    assert rating[SCHEMA + "bestRating"] == [{"@value": 5}]
    assert rating[SCHEMA + "worstRating"] == [{"@value": 1}]
    (author,) = first[SCHEMA + "author"]
    assert author["@type"] == [SCHEMA + "Organization"] and author[SCHEMA + "name"] == [{"@value": ORG}]
    (item,) = first[SCHEMA + "itemReviewed"]
    assert item["@type"] == [SCHEMA + "Claim"]
    (appearance,) = item[SCHEMA + "appearance"]
    assert appearance[SCHEMA + "url"] == [{"@id": "https://news.example.org/budget"}]
    assert item[SCHEMA + "datePublished"] == [{"@type": SCHEMA + "Date", "@value": "2024-03-05"}]
    assert first[SCHEMA + "ratingExplanation"][0]["@value"].startswith("The budget is 4.2")

    compacted = jsonld.compact(expanded, "https://schema.org", options)
    graph = compacted["@graph"]
    assert [node["url"] for node in graph] == [f"{URL}#claim-{n}" for n in (1, 4)]
    assert graph[0]["itemReviewed"]["author"] == {"@type": "Organization", "name": "City Finance Department"}
    assert graph[1]["reviewRating"] == {"@type": "Rating", "alternateName": "False", "ratingValue": 1,
                                        "bestRating": 5, "worstRating": 1}


def test_every_review_expands_without_dropping_a_property(report: Report) -> None:
    """A misspelt property would still expand under @vocab; so compare against schema.org's own
    names for what ClaimReview, Rating, Claim and CreativeWork may carry."""
    jsonld = pytest.importorskip("pyld.jsonld")
    allowed = {
        "ClaimReview": {"url", "claimReviewed", "datePublished", "author", "reviewRating",
                        "ratingExplanation", "itemReviewed"},
        "Rating": {"alternateName", "ratingValue", "bestRating", "worstRating"},
        "Claim": {"author", "datePublished", "appearance"},
        "CreativeWork": {"url", "headline", "publisher"},
        "Organization": {"name"},
        "Person": {"name"},
    }
    document = json.loads(render_claimreview(report, report_url=URL, organisation=ORG))
    flat = jsonld.flatten(document, None, {"documentLoader": local_loader})
    assert flat
    for node in flat:
        (kind,) = node["@type"]
        properties = {k.removeprefix(SCHEMA) for k in node if not k.startswith("@")}
        assert properties <= allowed[kind.removeprefix(SCHEMA)], (kind, properties)
