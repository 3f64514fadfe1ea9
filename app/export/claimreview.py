"""ClaimReview (schema.org) as JSON-LD: how search engines and aggregators read a fact-check."""

from __future__ import annotations

import json
import re
from collections.abc import Iterable
from typing import Any
from urllib.parse import urlsplit, urlunsplit

from app.domain.validate import ValidationError
from app.export.report import Report, ReportClaim, is_web_link

CONTEXT = "https://schema.org"

# schema.org and Google: the claim "in under 75 characters", without the verdict in it.
CLAIM_REVIEWED_MAX = 74
_ELLIPSIS = "…"

# Explicit embeddings, overrides and isolates: they reorder what a reader sees, so a published
# summary of the claim drops them. Marks (U+200E, U+200F) only nudge neutral characters; they stay.
_BIDI_CONTROLS = re.compile("[\u202a-\u202e\u2066-\u2069]")
_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
_SPACE_BEFORE_PUNCT = re.compile(r"\s+([,.;:!?…])")
_LOOSE = " ,;:-–—/"
_DANGLING = _LOOSE + "([{\"'“‘«"

# Words that make a speaker an organisation rather than a person, in the sample's three languages.
_ORGANISATION_WORDS = frozenset(
    [
        "agency", "assembly", "association", "authority", "bank", "board", "bureau", "cabinet",
        "centre", "center", "commission", "committee", "company", "corporation", "council",
        "court", "department", "directorate", "embassy", "federation", "foundation",
        "government", "group", "inc", "institute", "kremlin", "league", "ltd", "ministry",
        "navy", "army", "nato", "office", "organisation", "organization", "parliament", "party",
        "police", "presidency", "press", "secretariat", "senate", "service", "spokesperson",
        "spokesman", "spokeswoman", "union", "university", "un", "who", "agence", "armée",
        "assemblée", "commission", "conseil", "gouvernement", "ministère", "parti",
        "présidence", "министерство", "правительство", "администрация", "совет", "партия",
        "агентство", "служба", "пресс-служба", "кремль", "мид"
    ]
)


def render_claimreview(report: Report, *, report_url: str, organisation: str) -> str:
    """One ClaimReview per approved claim, as a JSON-LD document: sign-off is what publishes a
    verdict. Raises ValidationError when the report holds no approved claim.

    Each review's url is report_url + "#claim-N", so report_url must be where the HTML report
    built from this same Report is published: N is the claim's public number in its article.
    The text is safe to paste inside <script type="application/ld+json">: <, > and & are escaped.
    """
    document = claimreview_document(report, report_url=report_url, organisation=organisation)
    text = json.dumps(document, ensure_ascii=False, indent=2)
    # Escaped as JSON allows, so no user text can close a surrounding <script> element.
    for raw, escaped in (("<", "\\u003c"), (">", "\\u003e"), ("&", "\\u0026"),
                         ("\u2028", "\\u2028"), ("\u2029", "\\u2029")):
        text = text.replace(raw, escaped)
    return text + "\n"


def claimreview_document(report: Report, *, report_url: str, organisation: str) -> dict[str, Any]:
    """The JSON-LD document as plain data: {"@context": schema.org, "@graph": [ClaimReview…]}."""
    base = _report_address(report_url)
    organisation = " ".join(_clean(organisation).split())
    if not organisation:
        raise ValidationError("ClaimReview needs the name of the fact-checking organisation.")
    published = [claim for claim in report.claims if claim.approved and claim.has_verdict]
    if not published:
        raise ValidationError(_nothing_approved(report))
    reviews = [claim_review(claim, report, base=base, organisation=organisation) for claim in published]
    return {"@context": CONTEXT, "@graph": reviews}


def _nothing_approved(report: Report) -> str:
    message = "ClaimReview publishes approved verdicts only, and no claim in this report is approved yet"
    if report.unapproved:
        waiting = "1 verdict waits" if report.unapproved == 1 else f"{report.unapproved} verdicts wait"
        return f"{message}: {waiting} for a reviewer's sign-off."
    return message + "."


def claim_review(
    claim: ReportClaim, report: Report, *, base: str, organisation: str
) -> dict[str, Any]:
    verdict = claim.verdict
    if verdict is not None:
        rating: dict[str, Any] = {"@type": "Rating", "alternateName": _one_line(verdict.published_name)}
        # An ordinal means something only against its own scale's ends; without them, or for a
        # label outside the order (unverifiable), the name alone is published.
        if verdict.value is not None and claim.rating_bounds is not None:
            worst, best = claim.rating_bounds
            rating |= {"ratingValue": verdict.value, "bestRating": best, "worstRating": worst}
        words: tuple[str, ...] = (verdict.name, verdict.published_name)
    else:  # a written conclusion is the verdict, and a sentence: nothing to take out of the quote
        rating = {"@type": "Rating", "alternateName": _one_line(claim.conclusion)}
        words = ()

    review: dict[str, Any] = {
        "@type": "ClaimReview",
        "url": f"{base}#{claim.anchor}",
        "claimReviewed": claim_reviewed(claim.quote, words, fallback=f"Claim {claim.number}"),
        "datePublished": report.generated_at.date().isoformat(),
        "author": {"@type": "Organization", "name": organisation},
        "reviewRating": rating,
    }
    explanation = _one_line(claim.summary)
    if explanation:
        review["ratingExplanation"] = explanation
    review["itemReviewed"] = _item_reviewed(claim, report)
    return review


def _item_reviewed(claim: ReportClaim, report: Report) -> dict[str, Any]:
    item: dict[str, Any] = {"@type": "Claim"}
    speaker = " ".join(_clean(claim.speaker).split())
    if speaker:
        item["author"] = {"@type": speaker_type(speaker), "name": speaker}
    article = report.article
    if article.published is not None:
        item["datePublished"] = article.published.isoformat()
    if article.source_is_link:
        appearance: dict[str, Any] = {"@type": "CreativeWork", "url": article.source_url.strip()}
        title = " ".join(_clean(article.title).split())
        if title:
            appearance["headline"] = title
        outlet = " ".join(_clean(article.outlet).split())
        if outlet:
            appearance["publisher"] = {"@type": "Organization", "name": outlet}
        item["appearance"] = appearance
    return item


def claim_reviewed(quote: str, verdict: str | Iterable[str], *, fallback: str = "") -> str:
    """The claim as ClaimReview wants it: one line, under 75 characters, without the verdict.

    verdict is a label's name, or several (its name and its published alternateName). Each is
    taken out as whole words (any case); whitespace is collapsed; a longer claim is cut at a word
    boundary and ends with an ellipsis.
    """
    names = [verdict] if isinstance(verdict, str) else list(verdict)
    text = _clean(quote)
    for name in sorted({n.strip() for n in names if n.strip()}, key=len, reverse=True):
        words = r"\s+".join(re.escape(w) for w in name.split())
        text = re.sub(rf"(?<!\w){words}(?!\w)", " ", text, flags=re.IGNORECASE)
    # Taking a word out can leave "is , says" or a leading ": ": tidy what it left behind.
    text = _SPACE_BEFORE_PUNCT.sub(r"\1", " ".join(text.split())).strip(_LOOSE)
    if not any(ch.isalnum() for ch in text):
        return claim_reviewed(fallback, names) if fallback else ""
    if len(text) <= CLAIM_REVIEWED_MAX:
        return text
    room = CLAIM_REVIEWED_MAX - len(_ELLIPSIS)
    cut = text.rfind(" ", 0, room + 1)
    # A single enormous word (a URL, a run of digits) is cut where it must be.
    head = text[:cut] if cut >= room // 3 else text[:room]
    return head.rstrip(_DANGLING) + _ELLIPSIS


def speaker_type(speaker: str) -> str:
    """"Organization" for a ministry, council, party or an acronym like NATO; else "Person"."""
    words = re.findall(r"[\w-]+", speaker.casefold())
    if any(w in _ORGANISATION_WORDS for w in words):
        return "Organization"
    letters = [c for c in speaker if c.isalpha()]
    if 2 <= len(letters) <= 6 and " " not in speaker.strip() and all(c.isupper() for c in letters):
        return "Organization"
    return "Person"


def _report_address(report_url: str) -> str:
    url = report_url.strip()
    if not is_web_link(url) or any(ch.isspace() for ch in url):
        shown = f" (not {url[:80]!r})" if url else ""
        raise ValidationError(
            "ClaimReview needs the web address where the report is published, "
            f"starting with http:// or https://{shown}."
        )
    parts = urlsplit(url)
    # Each review adds its own #claim-N.
    return urlunsplit(parts._replace(fragment=""))


def _one_line(text: str) -> str:
    return " ".join(_clean(text).split())


def _clean(text: str) -> str:
    return _CONTROL.sub(" ", _BIDI_CONTROLS.sub("", text))
