"""Checks on what the user types, each failing with one line that says what is wrong."""

from __future__ import annotations

from urllib.parse import urlsplit

from app.domain.errors import ValidationError

__all__ = ["ValidationError", "source_url", "span"]


def source_url(url: str, archive: bool = False) -> str:
    """A source link must be an absolute http(s) URL: only those are ever opened."""
    url = url.strip()
    what = "An archived copy" if archive else "A source"
    if not url:
        raise ValidationError(f"{what} needs a link.")
    if any(ch.isspace() for ch in url):
        raise ValidationError(f"A link cannot contain spaces: {url[:80]!r}")
    parts = urlsplit(url)
    if parts.scheme.lower() not in ("http", "https"):
        shown = f"{parts.scheme}:" if parts.scheme else url[:80]
        kind = "archived copies" if archive else "sources"
        raise ValidationError(f"Only http and https links can be {kind}, not {shown!r}.")
    if not parts.hostname:
        raise ValidationError(f"The link {url[:80]!r} has no web address after {parts.scheme}://.")
    return url


def span(text: str, start: int, end: int) -> tuple[int, int]:
    """Trim a selection to its non-blank core; it must hold some text."""
    if not (0 <= start <= end <= len(text)):
        raise ValidationError("The selection is outside the article.")
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    if start == end:
        raise ValidationError("Select some text of the article to mark it as a claim.")
    return start, end
