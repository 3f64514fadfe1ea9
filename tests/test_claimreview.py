"""ClaimReview JSON-LD: read as plain JSON, then as linked data with PyLD against a local context."""

from __future__ import annotations

import json
import re
from typing import Any

import pytest
from test_export import (
    GENERATED,
    HOSTILE_ATTR,
    HOSTILE_SCRIPT,
    PRIVATE,
    RLO,
    TEXT,
    claim_at,
    hostile_report,
    make_article,
    sample_claims,
)

from app.domain import Claim, Kind, Status
from app.domain.validate import ValidationError
from app.export import Report, build_report, claim_reviewed, export_report, render_claimreview
from app.export.claimreview import CLAIM_REVIEWED_MAX, RATING_VALUES, speaker_type

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
    return build_report(make_article(), sample_claims(), generated_at=GENERATED)


def reviews(report: Report, **settings: str) -> list[dict[str, Any]]:
    text = render_claimreview(report, report_url=settings.get("url", URL),
                              organisation=settings.get("org", ORG))
    document = json.loads(text)
    assert document["@context"] == "https://schema.org"
    return document["@graph"]


# --- Plain JSON ------------------------------------------------------------------------------


def test_one_review_per_claim_with_a_final_verdict(report: Report) -> None:
    graph = reviews(report)
    # Claim 3 is still in progress: no review for it.
    assert [r["url"] for r in graph] == [f"{URL}#claim-1", f"{URL}#claim-2", f"{URL}#claim-4"]
    assert all(r["@type"] == "ClaimReview" for r in graph)


def test_review_fields(report: Report) -> None:
    first, second, fourth = reviews(report)
    assert first == {
        "@type": "ClaimReview",
        "url": f"{URL}#claim-1",
        "claimReviewed": "a budget of 4.2 billion euros",
        "datePublished": "2024-05-14",
        "author": {"@type": "Organization", "name": ORG},
        "reviewRating": {
            "@type": "Rating",
            "alternateName": "Verified",
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
    assert second["itemReviewed"]["author"] == {"@type": "Person", "name": "Mayor Ana Lopez"}
    assert second["reviewRating"]["ratingValue"] == 2 and second["reviewRating"]["alternateName"] == "Misleading"
    assert fourth["reviewRating"]["ratingValue"] == 1
    assert "author" not in fourth["itemReviewed"]  # nobody named: no author at all


def test_ratings_are_ordinal_and_unverifiable_has_no_number() -> None:
    assert RATING_VALUES == {
        Status.FALSE: 1, Status.MISLEADING: 2, Status.DISPUTED: 3, Status.VERIFIED: 5
    }
    claims = [
        claim_at(TEXT, "fell to 6.1% in March", 1, Status.UNVERIFIABLE),
        claim_at(TEXT, "up 21% on last year", 2, Status.DISPUTED),
    ]
    graph = reviews(build_report(make_article(), claims, generated_at=GENERATED))
    ratings = {r["url"][-1]: r["reviewRating"] for r in graph}
    assert ratings["1"] == {"@type": "Rating", "alternateName": "Disputed", "ratingValue": 3,
                            "bestRating": 5, "worstRating": 1}
    assert ratings["2"] == {"@type": "Rating", "alternateName": "Unverifiable"}
    assert all("ratingExplanation" not in r for r in graph)  # no rationale written yet


def test_unknown_article_details_are_left_out() -> None:
    article = make_article(source_url="", published=None, outlet="", title="")
    claims = [claim_at(TEXT, "up 21% on last year", 1, Status.FALSE)]
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
    assert [r["url"] for r in reviews(resolved)] == [f"{URL}#claim-{n}" for n in (1, 2, 3)]


def test_dispatcher_takes_the_settings(report: Report) -> None:
    text = export_report(report, "claimreview", report_url=URL, organisation=ORG)
    assert text == render_claimreview(report, report_url=URL, organisation=ORG)
    assert text.endswith("}\n")


def test_private_notes_stay_out(report: Report) -> None:
    assert PRIVATE not in render_claimreview(report, report_url=URL, organisation=ORG)


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
    ],
)
def test_claim_reviewed_collapses_space_and_drops_the_verdict(
    quote: str, verdict: str, expected: str
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
    for status in (Status.FALSE, Status.MISLEADING, Status.DISPUTED, Status.VERIFIED, Status.UNVERIFIABLE):
        label = status.label
        quote = f"{label} claims: {label.lower()} {label.upper()} and more {label}."
        text = claim_reviewed(quote, label)
        assert not re.search(rf"\b{label}\b", text, re.IGNORECASE), text
        assert text  # something is left to publish
    # Nothing but the verdict: the claim's number stands in.
    claims = [Claim(1, 1, 0, 5, "False!", Kind.OTHER, Status.FALSE)]
    (review,) = reviews(build_report(make_article(), claims, generated_at=GENERATED))
    assert review["claimReviewed"] == "Claim 1"


def test_every_claim_reviewed_in_a_long_report_is_short_and_verdict_free() -> None:
    statuses = list(Status)
    claims = [
        Claim(i, 1, 0, 5, f"{statuses[i % 7].label} " * (i % 40) + f"spending rose by {i}%",
              Kind.OTHER, statuses[i % 7])
        for i in range(1, 201)
    ]
    report = build_report(make_article(), claims, generated_at=GENERATED)
    graph = reviews(report)
    assert len(graph) == report.resolved
    for review in graph:
        label = review["reviewRating"]["alternateName"]
        assert 0 < len(review["claimReviewed"]) < 75
        assert not re.search(rf"\b{label}\b", review["claimReviewed"], re.IGNORECASE)


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
        Claim(1, 1, 0, len(long_quote), long_quote, Kind.OTHER, Status.FALSE,
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
    assert len(reviews_) == 3
    first = reviews_[0]
    assert first[SCHEMA + "url"] == [{"@id": f"{URL}#claim-1"}]
    assert first[SCHEMA + "claimReviewed"] == [{"@value": "a budget of 4.2 billion euros"}]
    assert first[SCHEMA + "datePublished"] == [{"@type": SCHEMA + "Date", "@value": "2024-05-14"}]
    (rating,) = first[SCHEMA + "reviewRating"]
    assert rating["@type"] == [SCHEMA + "Rating"]
    assert rating[SCHEMA + "alternateName"] == [{"@value": "Verified"}]
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
    assert [node["url"] for node in graph] == [f"{URL}#claim-{n}" for n in (1, 2, 4)]
    assert graph[1]["itemReviewed"]["author"] == {"@type": "Person", "name": "Mayor Ana Lopez"}
    assert graph[2]["reviewRating"]["alternateName"] == "False"


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
