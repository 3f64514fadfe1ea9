"""Pages by link (urllib): http and https only, with limits on time, size, type and redirects."""

from __future__ import annotations

import contextlib
import functools
import http.client
import socket
import ssl
import threading
import time
import urllib.error
import urllib.request
import zlib
from dataclasses import dataclass
from http import HTTPStatus
from urllib.parse import quote, urljoin, urlsplit, urlunsplit

from app.ingest.budget import limit
from app.ingest.model import ImportedText, IngestError, shorten

TIMEOUT = 15.0  # with no byte from the server for this long, it is not answering
DEADLINE = 60.0  # the whole download: connecting, headers, body and every redirect
MAX_URL_BYTES = 10 * 1024 * 1024
MAX_REDIRECTS = 5
DOCX_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
KINDS = {
    "text/html": "html",
    "application/xhtml+xml": "html",
    "text/plain": "text",
    DOCX_TYPE: "docx",
}
_UNTYPED = ("application/octet-stream", "binary/octet-stream")  # judged by the bytes instead
_REDIRECTS = (301, 302, 303, 307, 308)
_CHUNK = 64 * 1024
# Some sites refuse urllib's default agent; say who is asking without pretending to be a browser.
USER_AGENT = "Mozilla/5.0 (compatible; Claimdesk/0.1; fact-checking workbench)"
_ACCEPT = f"text/html,application/xhtml+xml,text/plain;q=0.9,{DOCX_TYPE};q=0.8,*/*;q=0.1"


@dataclass(frozen=True)
class Fetched:
    url: str  # after redirects
    kind: str  # "html", "text" or "docx"
    charset: str | None
    data: bytes


class _Watch:
    """One deadline for a whole download, enforced while the socket waits, not only between reads.

    A server that sends a byte a second keeps every read inside the socket timeout, in the
    headers as in the body; a timer shuts the download's sockets down at the deadline, which
    ends whatever read is blocked on them, and the caller sees `expired`.
    """

    def __init__(self, seconds: float) -> None:
        self.seconds = seconds
        self.end = time.monotonic() + seconds
        self.expired = False
        self._sockets: list[socket.socket] = []
        self._lock = threading.Lock()
        self._timer = threading.Timer(seconds, self._expire)
        self._timer.daemon = True

    def __enter__(self) -> _Watch:
        self._timer.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._timer.cancel()

    def remaining(self) -> float:
        return max(self.end - time.monotonic(), 0.01)

    def over(self) -> bool:
        return self.expired or time.monotonic() >= self.end

    def add(self, sock: socket.socket) -> socket.socket:
        with self._lock:
            self._sockets.append(sock)
            if self.expired:
                _shut(sock)
        return sock

    def _expire(self) -> None:
        with self._lock:
            self.expired = True
            for sock in self._sockets:
                _shut(sock)


def _shut(sock: socket.socket) -> None:
    with contextlib.suppress(OSError):
        sock.shutdown(socket.SHUT_RDWR)


def _watched(connection: http.client.HTTPConnection, watch: _Watch) -> None:
    """Connect within what is left of the deadline, and hand the socket to the watch before any
    byte is read (for https, before the handshake)."""
    given = connection.timeout if isinstance(connection.timeout, int | float) else TIMEOUT
    connection.timeout = min(given, watch.remaining())
    create = connection._create_connection  # type: ignore[attr-defined]
    connection._create_connection = lambda *a, **k: watch.add(create(*a, **k))  # type: ignore[attr-defined]


class _WatchedHTTP(http.client.HTTPConnection):
    def __init__(self, *args, watch: _Watch, **kwargs) -> None:  # type: ignore[no-untyped-def]
        super().__init__(*args, **kwargs)
        _watched(self, watch)


class _WatchedHTTPS(http.client.HTTPSConnection):
    def __init__(self, *args, watch: _Watch, **kwargs) -> None:  # type: ignore[no-untyped-def]
        super().__init__(*args, **kwargs)
        _watched(self, watch)


class _HTTPHandler(urllib.request.HTTPHandler):
    def __init__(self, watch: _Watch) -> None:
        super().__init__()
        self.watch = watch

    def http_open(self, req):  # type: ignore[no-untyped-def]
        return self.do_open(functools.partial(_WatchedHTTP, watch=self.watch), req)


class _HTTPSHandler(urllib.request.HTTPSHandler):
    def __init__(self, watch: _Watch) -> None:
        super().__init__()
        self.watch = watch

    def https_open(self, req):  # type: ignore[no-untyped-def]
        return self.do_open(
            functools.partial(_WatchedHTTPS, watch=self.watch), req, context=self._context  # type: ignore[attr-defined]
        )


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    """Hand 3xx back as errors: redirects are followed here, to count them and check each scheme."""

    def redirect_request(self, req, fp, code, msg, headers, newurl):  # type: ignore[no-untyped-def]
        return None


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


def check_link(url: str, shown: str) -> None:
    try:
        parts = urlsplit(url)
    except ValueError:  # "http://[::1": a broken IPv6 address
        raise IngestError(f"{shown}: this is not a valid link.") from None
    scheme = parts.scheme.lower()
    if not scheme:
        raise IngestError(f"{shown}: a link must start with http:// or https://.")
    if scheme not in ("http", "https"):
        raise IngestError(
            f"{shown}: Claimdesk opens only http and https links, not {scheme}: links."
        )
    if not parts.hostname:
        raise IngestError(f"{shown}: the link has no host name.")
    if parts.username is not None or parts.password is not None:
        # Sent as typed, urllib looks up "user:pass@host" as a host name; sent as a login, the
        # password would be stored with the article and printed in every report.
        raise IngestError(
            f"{shown}: the link holds a user name or password (before the @); Claimdesk opens only"
            " public pages. Remove it, or save the page from your browser and import the file."
        )


def shown_link(url: str) -> str:
    """The link for a message: one line, not too long, and never with its password."""
    try:
        parts = urlsplit(url.strip())
    except ValueError:
        return shorten(url)
    if "@" in parts.netloc:
        host = parts.netloc.rsplit("@", 1)[1]
        url = urlunsplit((parts.scheme, f"…@{host}", parts.path, parts.query, parts.fragment))
    return shorten(url)


def as_uri(url: str) -> str:
    """A link as typed ("https://ru.wikipedia.org/wiki/Армения") as urllib can send it.

    http.client refuses non-ASCII in the request line; browsers percent-encode the path and
    query (UTF-8) and punycode the host, and so does this. Existing %XX escapes are kept.
    """
    parts = urlsplit(url)
    host = parts.hostname or ""
    with contextlib.suppress(UnicodeError):  # let the connection fail with its own message
        host = host.encode("idna").decode("ascii")
    netloc = host if ":" not in host else f"[{host}]"
    if parts.port is not None:
        netloc += f":{parts.port}"
    if parts.username is not None:
        auth = quote(parts.username, safe="")
        if parts.password is not None:
            auth += ":" + quote(parts.password, safe="")
        netloc = f"{auth}@{netloc}"
    safe = "/%:@!$&'()*+,;=?~-._"
    return urlunsplit(
        (parts.scheme, netloc, quote(parts.path, safe=safe), quote(parts.query, safe=safe), "")
    )


def fetch(
    url: str, *, timeout: float = TIMEOUT, max_bytes: int = MAX_URL_BYTES, deadline: float = DEADLINE
) -> Fetched:
    """The page at url, within `deadline` seconds in all and `timeout` seconds of silence."""
    url = url.strip()
    shown = shown_link(url)
    check_link(url, shown)
    try:
        current = as_uri(url)
    except ValueError:  # a port that is not a number
        raise IngestError(f"{shown}: this is not a valid link.") from None
    with _Watch(deadline) as watch:
        opener = urllib.request.build_opener(_HTTPHandler(watch), _HTTPSHandler(watch), _NoRedirect)
        late = IngestError(f"{shown}: the download took longer than {deadline:g} seconds; Claimdesk stops there.")
        for _ in range(MAX_REDIRECTS + 1):
            if watch.over():
                raise late
            headers = {"User-Agent": USER_AGENT, "Accept": _ACCEPT}
            request = urllib.request.Request(current, headers=headers)
            try:
                response = opener.open(request, timeout=min(timeout, watch.remaining()))
            except urllib.error.HTTPError as error:
                with error:  # its socket must be closed, or the test run ends in a ResourceWarning
                    location = error.headers.get("Location") if error.code in _REDIRECTS else None
                    if location is None:
                        answer = f"{error.code} {_phrase(error)}"
                        raise IngestError(f"{shown}: the server answered {answer}.") from None
                target = urljoin(current, location)
                scheme = urlsplit(target).scheme.lower()
                if scheme not in ("http", "https"):
                    raise IngestError(
                        f"{shown}: redirects to a {scheme}: link; only http and https are opened."
                    ) from None
                if "@" in urlsplit(target).netloc:
                    raise IngestError(
                        f"{shown}: redirects to a link with a user name or password; Claimdesk"
                        " opens only public pages."
                    ) from None
                try:
                    current = as_uri(target)
                except ValueError:
                    raise IngestError(f"{shown}: redirects to a broken link.") from None
                continue
            except ValueError:  # http.client.InvalidURL: a space or control character in the link
                raise IngestError(f"{shown}: this is not a valid link.") from None
            except urllib.error.URLError as error:
                raise (late if watch.over() else _connection_error(error.reason, shown, timeout)) from None
            except (TimeoutError, OSError, http.client.HTTPException) as error:
                raise (late if watch.over() else _connection_error(error, shown, timeout)) from None
            with response:
                try:
                    fetched = _read(response, current, shown, timeout, max_bytes)
                except IngestError:
                    if watch.over():  # the watch cut the page off: say why, not what it looks like
                        raise late from None
                    raise
            if watch.expired:  # cut off in the headers, which http.client then takes as complete
                raise late
            return fetched
        raise IngestError(f"{shown}: redirects more than {MAX_REDIRECTS} times; giving up.")


def _phrase(error: urllib.error.HTTPError) -> str:
    try:
        return HTTPStatus(error.code).phrase
    except ValueError:
        return str(error.reason or "").strip() or "error"


def _connection_error(reason: object, shown: str, timeout: float) -> IngestError:
    if isinstance(reason, TimeoutError):  # socket.timeout is TimeoutError since 3.10
        return IngestError(f"{shown}: no answer within {timeout:g} seconds.")
    if isinstance(reason, socket.gaierror):
        return IngestError(f"{shown}: cannot find the server (no such host, or no network).")
    if isinstance(reason, ConnectionRefusedError):
        return IngestError(f"{shown}: the server refused the connection.")
    if isinstance(reason, ssl.SSLCertVerificationError):
        why = reason.verify_message
        return IngestError(f"{shown}: the site's security certificate is not valid ({why}).")
    if isinstance(reason, ssl.SSLError):
        return IngestError(f"{shown}: the secure connection failed ({reason.reason or reason}).")
    if isinstance(reason, http.client.HTTPException):
        return IngestError(f"{shown}: the server sent a broken answer ({type(reason).__name__}).")
    detail = getattr(reason, "strerror", None) or str(reason) or type(reason).__name__
    return IngestError(f"{shown}: cannot connect ({detail}).")


def _read(
    response: http.client.HTTPResponse,
    url: str,
    shown: str,
    timeout: float,
    max_bytes: int,
) -> Fetched:
    headers = response.headers
    declared = headers.get("Content-Type")
    content_type = headers.get_content_type() if declared else ""
    kind = KINDS.get(content_type)
    if kind is None and content_type and content_type not in _UNTYPED:
        raise IngestError(
            f"{shown}: the server sent {content_type}, not a web page, plain text or a .docx."
        )
    limit = f"the page is larger than {max_bytes // 1024 // 1024} MB; Claimdesk stops there."
    length = headers.get("Content-Length")
    if length and length.strip().isdigit() and int(length) > max_bytes:
        raise IngestError(f"{shown}: {limit}")
    chunks: list[bytes] = []
    size = 0
    try:
        # Content-Length may be missing or lie; count what actually arrives and stop at the cap.
        while chunk := response.read(_CHUNK):
            size += len(chunk)
            if size > max_bytes:
                raise IngestError(f"{shown}: {limit}")
            chunks.append(chunk)
    except TimeoutError:
        raise IngestError(f"{shown}: no answer within {timeout:g} seconds.") from None
    except http.client.IncompleteRead:
        raise IngestError(f"{shown}: the server broke off in the middle of the page.") from None
    except OSError as error:
        raise _connection_error(error, shown, timeout) from None
    if length and length.strip().isdigit() and size < int(length):
        # http.client returns a short body without complaint when the server hangs up early.
        raise IngestError(
            f"{shown}: the server broke off in the middle of the page ({size:,} of {int(length):,} bytes)."
        )
    encoding = headers.get("Content-Encoding", "")
    data = _decompress(b"".join(chunks), encoding, shown, limit, max_bytes)
    charset = headers.get_content_charset()
    return Fetched(response.geturl() or url, kind or _sniff(data), charset, data)


def _decompress(data: bytes, encoding: str, shown: str, limit: str, max_bytes: int) -> bytes:
    """Undo gzip or deflate, which some servers send unasked, within the same cap."""
    encoding = encoding.strip().lower()
    if encoding in ("", "identity"):
        return data
    if encoding not in ("gzip", "x-gzip", "deflate"):
        raise IngestError(
            f"{shown}: the server compressed the page as {encoding}, which Claimdesk cannot read."
        )
    inflater = zlib.decompressobj(zlib.MAX_WBITS | 32)  # 32: accept gzip and zlib headers alike
    try:
        out = inflater.decompress(data, max_bytes + 1)
    except zlib.error:
        raise IngestError(f"{shown}: the server sent a broken compressed page.") from None
    if len(out) > max_bytes or inflater.unconsumed_tail:
        raise IngestError(f"{shown}: {limit}")
    return out


def _sniff(data: bytes) -> str:
    """The kind of an untyped download, from its first bytes."""
    head = data[:1024].lstrip().lower()
    if data.startswith(b"PK\x03\x04") or data.startswith(b"\xd0\xcf\x11\xe0"):
        return "docx"
    if head.startswith((b"<!doctype html", b"<?xml", b"<head", b"<body")) or b"<html" in head:
        return "html"
    return "text"
