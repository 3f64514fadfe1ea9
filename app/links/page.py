"""Fetch a source's page for a snapshot or a check, and read its text."""

from __future__ import annotations

import difflib
import hashlib
import io
import logging
import re
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING

from app.ingest.limits import DEADLINE, MAX_BYTES, TIMEOUT
from app.ingest.model import IngestError

if TYPE_CHECKING:
    from app.ingest.web import Answer

log = logging.getLogger(__name__)

PDF = "application/pdf"
_HTML = ("text/html", "application/xhtml+xml")
_WORD = re.compile(r"\w+", re.UNICODE)
_MAX_WORDS = 20_000  # compared per text: difflib is quadratic at worst, and a page's head tells


@dataclass(frozen=True)
class Page:
    """A page as fetched: the bytes (decompressed), their hash and the text read from them."""

    url: str  # the source's link
    answer: Answer
    fetched_at: datetime
    text: str

    @property
    def sha256(self) -> str:
        return hashlib.sha256(self.answer.data).hexdigest()


def fetch_page(url: str, *, timeout: float = TIMEOUT, deadline: float = DEADLINE) -> Page:
    """The page at url with the importer's limits, whatever its type (a PDF is kept too). An
    error status is an Answer (its data empty), not an exception; a link that cannot be
    reached at all raises IngestError."""
    from app.ingest.web import get  # the HTTP client, on first use (urllib3 and ssl)

    answer = get(url, timeout=timeout, deadline=deadline, max_bytes=MAX_BYTES)
    fetched_at = datetime.now().replace(microsecond=0)
    return Page(url, answer, fetched_at, text_of(answer) if 200 <= answer.status < 300 else "")


def text_of(answer: Answer) -> str:
    """The readable text: trafilatura for a web page (as on import), pypdf for a PDF, the decoded
    text for plain text; "" for anything else, or a page with no article in it."""
    from app.ingest.web import shown_link

    data, shown = answer.data, shown_link(answer.url)
    kind = answer.content_type
    if kind == PDF or (not kind and data.startswith(b"%PDF-")):
        return _pdf_text(data)
    from app.ingest.html import from_html, markup_of

    if kind in _HTML or (not kind and b"<html" in data[:1024].lower()):
        try:
            return from_html(markup_of(data, shown, answer.charset), shown, url=answer.url).text
        except IngestError:  # a page with no article text: the bytes are kept all the same
            return ""
    if kind.startswith("text/") or not kind:
        try:
            return markup_of(data, shown, answer.charset).strip()
        except IngestError:
            return ""
    return ""


def _pdf_text(data: bytes) -> str:
    """A PDF's text, page after page (pypdf). A PDF it cannot read keeps its bytes, without text."""
    from pypdf import PdfReader
    from pypdf.errors import PyPdfError

    try:
        reader = PdfReader(io.BytesIO(data))
        return "\n\n".join((page.extract_text() or "").strip() for page in reader.pages).strip()
    except (PyPdfError, ValueError, KeyError, TypeError, OSError) as exc:
        log.info("no text from a PDF: %s", exc)
        return ""


def similarity(before: str, after: str) -> float:
    """How much of the text is as it was, 0..1: difflib's ratio over the two texts' words
    (case-folded). Two empty texts are the same."""
    a = [w.casefold() for w in _WORD.findall(before)][:_MAX_WORDS]
    b = [w.casefold() for w in _WORD.findall(after)][:_MAX_WORDS]
    if not a and not b:
        return 1.0
    return difflib.SequenceMatcher(None, a, b, autojunk=False).ratio()
