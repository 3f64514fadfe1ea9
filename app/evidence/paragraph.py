"""The paragraph around a claim, for what reads a claim in its place (references, the panel).
Apart from app.evidence.refs so the window asks for it without loading the references' tables
and regular expressions (they load when the Evidence tab is opened)."""

from __future__ import annotations


def context_before(article_text: str, start: int, limit: int = 800) -> str:
    """The claim's paragraph up to the claim (at most `limit` characters): where "this treaty"
    and "the country" are named."""
    begin = max(article_text.rfind("\n\n", 0, start), start - limit, 0)
    return article_text[begin:start]
