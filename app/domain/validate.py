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


_LEADING = ",;:)]}»”’"
_TRAILING = ",;:([{«“‘"
_JOINERS = "-'’‐"  # inside a word: "spokes-man", "Russia's"


def _in_word(text: str, i: int) -> bool:
    """text[i] belongs to a word: a letter or digit, or a joiner between two of them."""
    if not 0 <= i < len(text):
        return False
    c = text[i]
    if c.isalnum():
        return True
    return c in _JOINERS and 0 < i < len(text) - 1 and text[i - 1].isalnum() and text[i + 1].isalnum()


def span(text: str, start: int, end: int) -> tuple[int, int]:
    """A selection made a claim: snapped out to whole words, trimmed of blanks and of the
    punctuation that only joins it to its neighbours (", a spoke" becomes "a spokesman"); it must
    hold some text."""
    if not (0 <= start <= end <= len(text)):
        raise ValidationError("The selection is outside the article.")
    while start < end and (text[start].isspace() or text[start] in _LEADING):
        start += 1
    while end > start and (text[end - 1].isspace() or text[end - 1] in _TRAILING):
        end -= 1
    if start == end:
        raise ValidationError("Select some text of the article to mark it as a claim.")
    while start > 0 and _in_word(text, start) and _in_word(text, start - 1):
        start -= 1
    while end < len(text) and _in_word(text, end - 1) and _in_word(text, end):
        end += 1
    return start, end
