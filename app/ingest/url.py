"""Pages by link: http and https only, with limits on time, size, type and redirects (the
download itself is app/ingest/web.py, on urllib3)."""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import urlsplit

from app.ingest.budget import limit
from app.ingest.limits import DEADLINE, MAX_REDIRECTS, TIMEOUT, USER_AGENT
from app.ingest.model import ImportedText, IngestError
from app.ingest.web import as_uri, check_link, get, shown_link

__all__ = [
    "DEADLINE", "MAX_REDIRECTS", "MAX_URL_BYTES", "TIMEOUT", "USER_AGENT", "Fetched", "as_uri", "check_link",
    "fetch", "read_url", "shown_link",
]

MAX_URL_BYTES = 10 * 1024 * 1024
DOCX_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
KINDS = {
    "text/html": "html",
    "application/xhtml+xml": "html",
    "text/plain": "text",
    DOCX_TYPE: "docx",
}
_UNTYPED = ("application/octet-stream", "binary/octet-stream")  # judged by the bytes instead
_ACCEPT = f"text/html,application/xhtml+xml,text/plain;q=0.9,{DOCX_TYPE};q=0.8,*/*;q=0.1"


@dataclass(frozen=True)
class Fetched:
    url: str  # after redirects
    kind: str  # "html", "text" or "docx"
    charset: str | None
    data: bytes


def read_url(
    url: str, *, timeout: float = TIMEOUT, deadline: float = DEADLINE, budget: float | None = None
) -> ImportedText:
    """The article at url; source_url is the page's canonical address, else where redirects end.
    `deadline` bounds the download, then `budget` what is made of it."""
    fetched = fetch(url, timeout=timeout, deadline=deadline)
    shown = shown_link(url)
    with limit(shown, budget, "page"):
        return _article_of(fetched, shown)


def _article_of(fetched: Fetched, shown: str) -> ImportedText:
    if fetched.kind == "docx":
        from app.ingest.docx import from_docx

        imported = from_docx(fetched.data, shown)
        return _with_url(imported, fetched.url)
    if fetched.kind == "html":
        from app.ingest.html import from_html, markup_of

        return from_html(markup_of(fetched.data, shown, fetched.charset), shown, url=fetched.url)
    from app.ingest.files import from_text
    from app.ingest.html import markup_of

    path = urlsplit(fetched.url).path.rstrip("/")
    return from_text(
        markup_of(fetched.data, shown, fetched.charset), shown,
        fallback_title=path.rsplit("/", 1)[-1] or urlsplit(fetched.url).hostname or shown,
        source_url=fetched.url,
    )


def _with_url(imported: ImportedText, url: str) -> ImportedText:
    from dataclasses import replace

    return replace(imported, source_url=url)


def fetch(
    url: str, *, timeout: float = TIMEOUT, max_bytes: int = MAX_URL_BYTES, deadline: float = DEADLINE
) -> Fetched:
    """The page at url, within `deadline` seconds in all and `timeout` seconds of silence."""
    shown = shown_link(url)

    def want(content_type: str) -> None:
        if content_type and content_type not in KINDS and content_type not in _UNTYPED:
            raise IngestError(
                f"{shown}: the server sent {content_type}, not a web page, plain text or a .docx."
            )

    answer = get(url, timeout=timeout, deadline=deadline, max_bytes=max_bytes, accept=_ACCEPT, want=want)
    if not 200 <= answer.status < 300:
        raise IngestError(f"{shown}: the server answered {answer.status} {answer.phrase}.")
    kind = KINDS.get(answer.content_type)
    return Fetched(answer.url, kind or _sniff(answer.data), answer.charset, answer.data)


def _sniff(data: bytes) -> str:
    """The kind of an untyped download, from its first bytes."""
    head = data[:1024].lstrip().lower()
    if data.startswith(b"PK\x03\x04") or data.startswith(b"\xd0\xcf\x11\xe0"):
        return "docx"
    if head.startswith((b"<!doctype html", b"<?xml", b"<head", b"<body")) or b"<html" in head:
        return "html"
    return "text"
