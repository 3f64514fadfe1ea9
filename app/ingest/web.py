"""One GET over http or https (urllib3), within limits: a deadline, a silence timeout, a size cap,
a redirect limit, each hop's scheme checked, no cookies kept, no credentials sent.

The importer (app/ingest/url.py) and the source snapshots and link checks (app/links/) both use
it; each says what it makes of the answer (an error status, a type it cannot read).
"""

from __future__ import annotations

import contextlib
import http.client
import socket
import ssl
import threading
import time
import urllib.request
import zlib
from collections.abc import Callable
from dataclasses import dataclass
from email.message import Message
from http import HTTPStatus
from urllib.parse import quote, unquote, urljoin, urlsplit, urlunsplit

import urllib3
from urllib3.connection import HTTPConnection, HTTPSConnection
from urllib3.exceptions import (
    ConnectTimeoutError,
    LocationParseError,
    NameResolutionError,
    NewConnectionError,
    ProtocolError,
    ReadTimeoutError,
)
from urllib3.exceptions import (
    SSLError as Urllib3SSLError,
)

from app.ingest.limits import DEADLINE, MAX_BYTES, MAX_REDIRECTS, TIMEOUT, USER_AGENT
from app.ingest.model import IngestError, shorten

REDIRECTS = (301, 302, 303, 307, 308)
_CHUNK = 64 * 1024

@dataclass(frozen=True)
class Answer:
    """What a server answered, after redirects. `data` is the body, decompressed, for a 2xx
    answer (empty for any other: an error page is not kept)."""

    url: str  # where the redirects ended
    status: int
    content_type: str  # "" when the server did not say
    charset: str | None
    data: bytes
    hops: tuple[str, ...] = ()  # every address a redirect sent us to, in order

    @property
    def phrase(self) -> str:
        try:
            return HTTPStatus(self.status).phrase
        except ValueError:
            return "error"


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


class _WatchedHTTP(HTTPConnection):
    """Hands its socket to the watch before any byte is read (for https, before the handshake)."""

    watch: _Watch  # set on the per-download subclass made by _pool_classes

    def _new_conn(self) -> socket.socket:
        return self.watch.add(super()._new_conn())


class _WatchedHTTPS(HTTPSConnection):
    watch: _Watch

    def _new_conn(self) -> socket.socket:
        return self.watch.add(super()._new_conn())


def _pool_classes(watch: _Watch) -> dict[str, type[urllib3.HTTPConnectionPool]]:
    """Connection pools whose connections report to this download's watch (a class attribute,
    not a keyword: urllib3's pool manager keys its pools by the keywords it knows)."""
    http = type("_HTTP", (_WatchedHTTP,), {"watch": watch})
    https = type("_HTTPS", (_WatchedHTTPS,), {"watch": watch})
    return {
        "http": type("_HTTPPool", (urllib3.HTTPConnectionPool,), {"ConnectionCls": http}),
        "https": type("_HTTPSPool", (urllib3.HTTPSConnectionPool,), {"ConnectionCls": https}),
    }


def _manager(url: str, watch: _Watch) -> urllib3.PoolManager:
    """A pool manager for one download: through the proxy the environment names for this link
    (http_proxy, https_proxy, no_proxy, as urllib and browsers read them), else direct."""
    parts = urlsplit(url)
    proxy = urllib.request.getproxies().get(parts.scheme.lower(), "")
    manager: urllib3.PoolManager
    if proxy and not urllib.request.proxy_bypass(parts.hostname or ""):
        if "://" not in proxy:
            proxy = f"http://{proxy}"
        login = urlsplit(proxy)
        headers = None
        if login.username is not None:
            headers = urllib3.make_headers(
                proxy_basic_auth=f"{unquote(login.username)}:{unquote(login.password or '')}")
        manager = urllib3.ProxyManager(proxy, num_pools=1, proxy_headers=headers, maxsize=1, block=False)
    else:
        manager = urllib3.PoolManager(num_pools=1, maxsize=1, block=False)
    manager.pool_classes_by_scheme = _pool_classes(watch)
    return manager


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
        # Sent as typed, the password would be stored with the article and printed in every report.
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
    """A link as typed ("https://ru.wikipedia.org/wiki/Армения") as it can be sent.

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


def get(
    url: str,
    *,
    timeout: float = TIMEOUT,
    deadline: float = DEADLINE,
    max_bytes: int = MAX_BYTES,
    accept: str = "*/*",
    want: Callable[[str], None] | None = None,
    follow: bool = True,
) -> Answer:
    """GET url within `deadline` seconds in all and `timeout` seconds of silence, following up to
    MAX_REDIRECTS redirects (`follow=False`: none; the 3xx is the answer). `want(content_type)`
    may refuse a type (raise IngestError) before the body is read. A connection that fails, a
    broken answer, a body past the cap: IngestError, one line."""
    url = url.strip()
    shown = shown_link(url)
    check_link(url, shown)
    try:
        current = as_uri(url)
    except ValueError:  # a port that is not a number
        raise IngestError(f"{shown}: this is not a valid link.") from None
    hops: list[str] = []
    late = IngestError(f"{shown}: the download took longer than {deadline:g} seconds; Claimdesk stops there.")
    with _Watch(deadline) as watch:
        for _ in range(MAX_REDIRECTS + 1):
            if watch.over():
                raise late
            try:
                answer = _one(current, shown, watch, timeout, max_bytes, accept, want, follow)
            except IngestError:
                if watch.over():  # the watch cut the answer off: say why, not what it looks like
                    raise late from None
                raise
            if watch.expired:  # cut off in the headers, which http.client then takes as complete
                raise late
            if isinstance(answer, Answer):
                return Answer(answer.url, answer.status, answer.content_type, answer.charset, answer.data,
                              tuple(hops))
            target = urljoin(current, answer)
            scheme = urlsplit(target).scheme.lower()
            if scheme not in ("http", "https"):
                raise IngestError(f"{shown}: redirects to a {scheme}: link; only http and https are opened.")
            if "@" in urlsplit(target).netloc:
                raise IngestError(
                    f"{shown}: redirects to a link with a user name or password; Claimdesk opens only public pages."
                )
            try:
                current = as_uri(target)
            except ValueError:
                raise IngestError(f"{shown}: redirects to a broken link.") from None
            hops.append(current)
        raise IngestError(f"{shown}: redirects more than {MAX_REDIRECTS} times; giving up.")


def _one(
    url: str, shown: str, watch: _Watch, timeout: float, max_bytes: int, accept: str,
    want: Callable[[str], None] | None, follow: bool,
) -> Answer | str:
    """One request: the Answer, or the Location a redirect points to."""
    # A manager for one request: no connection, and so no state (no cookie), outlives the download.
    manager = _manager(url, watch)
    limit = urllib3.Timeout(connect=min(timeout, watch.remaining()), read=timeout)
    try:
        try:
            response = manager.urlopen(
                "GET", url, headers={"User-Agent": USER_AGENT, "Accept": accept, "Accept-Encoding": "gzip, deflate"},
                retries=False, redirect=False, timeout=limit,
                preload_content=False, decode_content=False, enforce_content_length=False,
            )
        except (LocationParseError, ValueError):  # a space or control character in the link
            raise IngestError(f"{shown}: this is not a valid link.") from None
        except (ConnectTimeoutError, ReadTimeoutError, NewConnectionError, Urllib3SSLError,
                ProtocolError, OSError, http.client.HTTPException) as error:
            raise _connection_error(error, shown, timeout) from None
        try:
            status = response.status
            if status in REDIRECTS and follow:
                location = response.headers.get("Location")
                if location is not None:
                    return location
            declared = response.headers.get("Content-Type")
            message = Message()
            if declared:
                message["Content-Type"] = declared
            content_type = message.get_content_type() if declared else ""
            charset = message.get_content_charset() if declared else None
            if not 200 <= status < 300:
                return Answer(url, status, content_type, charset, b"")
            if want is not None:
                want(content_type)
            data = _read(response, shown, timeout, max_bytes)
            return Answer(url, status, content_type, charset, data)
        finally:
            response.release_conn()
            response.close()
    finally:
        # urllib3 2 leaves a cleared manager's pools to the garbage collector; a server keeping
        # the connection alive would wait on it until then.
        for key in list(manager.pools.keys()):
            manager.pools[key].close()
        manager.clear()


def _read(response: urllib3.BaseHTTPResponse, shown: str, timeout: float, max_bytes: int) -> bytes:
    limit = f"the page is larger than {max_bytes // 1024 // 1024} MB; Claimdesk stops there."
    length = response.headers.get("Content-Length")
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
    except (ReadTimeoutError, TimeoutError):
        raise IngestError(f"{shown}: no answer within {timeout:g} seconds.") from None
    except (ProtocolError, http.client.IncompleteRead):
        raise IngestError(f"{shown}: the server broke off in the middle of the page.") from None
    except OSError as error:
        raise _connection_error(error, shown, timeout) from None
    if length and length.strip().isdigit() and size < int(length):
        # A short body is returned without complaint when the server hangs up early.
        raise IngestError(
            f"{shown}: the server broke off in the middle of the page ({size:,} of {int(length):,} bytes)."
        )
    encoding = response.headers.get("Content-Encoding", "")
    return _decompress(b"".join(chunks), encoding, shown, limit, max_bytes)


def _decompress(data: bytes, encoding: str, shown: str, limit: str, max_bytes: int) -> bytes:
    """Undo gzip or deflate within the same cap (done here, not by urllib3, to keep the cap)."""
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


def _cause(error: BaseException) -> BaseException:
    """The error under urllib3's wrappers: the socket's, the resolver's or TLS's own."""
    seen = error
    while True:
        inner = seen.__cause__ or next((a for a in getattr(seen, "args", ()) if isinstance(a, BaseException)), None)
        if inner is None or inner is seen:
            return seen
        seen = inner


def _connection_error(error: BaseException, shown: str, timeout: float) -> IngestError:
    reason = _cause(error)
    if isinstance(error, NameResolutionError) or isinstance(reason, socket.gaierror):
        return IngestError(f"{shown}: cannot find the server (no such host, or no network).")
    # NewConnectionError is a ConnectTimeoutError too (urllib3 keeps it so for old callers).
    timed_out = isinstance(error, ReadTimeoutError) or (
        isinstance(error, ConnectTimeoutError) and not isinstance(error, NewConnectionError))
    if timed_out or isinstance(reason, TimeoutError):
        return IngestError(f"{shown}: no answer within {timeout:g} seconds.")
    if isinstance(reason, ConnectionRefusedError):
        return IngestError(f"{shown}: the server refused the connection.")
    if isinstance(reason, ssl.SSLCertVerificationError):
        why = reason.verify_message
        return IngestError(f"{shown}: the site's security certificate is not valid ({why}).")
    if isinstance(reason, ssl.SSLError):
        return IngestError(f"{shown}: the secure connection failed ({reason.reason or reason}).")
    if isinstance(error, Urllib3SSLError):
        return IngestError(f"{shown}: the secure connection failed ({reason}).")
    if isinstance(reason, http.client.HTTPException) or isinstance(error, ProtocolError):
        return IngestError(f"{shown}: the server sent a broken answer ({type(reason).__name__}).")
    detail = getattr(reason, "strerror", None) or str(reason) or type(reason).__name__
    return IngestError(f"{shown}: cannot connect ({detail}).")


def unreachable(message: str) -> bool:
    """Whether an IngestError's line says the server could not be reached at all (as against a
    server that answered badly): no such host, no answer, refused, TLS."""
    return any(part in message for part in (
        "cannot find the server", "no answer within", "refused the connection", "security certificate",
        "secure connection failed", "cannot connect", "took longer than",
    ))
