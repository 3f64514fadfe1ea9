"""Hostile links: a local server on 127.0.0.1 that trickles, lies about lengths and asks for logins.

Each slow route stops by itself after a few seconds, and the client is given small budgets
(`deadline`, `timeout`), so every test ends in about a second.
"""

from __future__ import annotations

import gzip
import time
from collections.abc import Iterator

import pytest
from local_web import LocalWeb, QuietHandler, running, without_proxies

from app.ingest import IngestError, read_source, read_url
from app.ingest.url import fetch

ARTICLE = (
    b"<html><head><title>Troops on the border</title></head><body><article>"
    b"<h1>Troops on the border</h1>"
    b"<p>More than 3 000 Russians are positioned on two military bases located on Armenian territory.</p>"
    b"<p>The Collective Security Treaty Organization was founded in 2002 by six countries.</p>"
    b"</article></body></html>"
)
TRICKLE = 0.05  # seconds between bytes: well inside the socket timeout, so only the deadline stops it
SERVER_GIVES_UP = 5.0  # a slow route ends by itself, whatever the client does
DEADLINE = 1.0
TIMEOUT = 0.5


HTML = {"Content-Type": "text/html"}
# Whole answers, as bytes on the wire: what http.client must not choke on.
RAW = {
    "/many-headers": b"HTTP/1.1 200 OK\r\n" + b"".join(b"X-H%d: 1\r\n" % i for i in range(200)) + b"\r\n",
    "/long-header": b"HTTP/1.1 200 OK\r\nX-Long: " + b"a" * 100_000 + b"\r\n\r\n",
    "/garbage": b"HELLO THERE\r\n\r\n",
    "/nothing": b"",
    "/bad-chunks": b"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n",
}
PAGES = {
    "/gzip-bomb": (gzip.compress(b"\0" * (20 * 1024 * 1024)), {**HTML, "Content-Encoding": "gzip"}),
    "/bad-gzip": (b"this is not gzip" * 10, {**HTML, "Content-Encoding": "gzip"}),
    "/brotli": (b"\x0b\x02\x80", {**HTML, "Content-Encoding": "br"}),
    "/image": (b"\x89PNG\r\n\x1a\n" + bytes(100), {"Content-Type": "image/png"}),
    "/escapes": (
        ARTICLE.replace(b"<title>Troops", b"<title>\x1b]0;pwned\x07\x1b[31mTroops")
        .replace(b"<p>More", b"<p>\x07\x1b[2JMore"),
        {"Content-Type": "text/html; charset=utf-8"},
    ),
    "/utf32": (b"\xff\xfe\x00\x00" + ARTICLE.decode().encode("utf-32-le"), HTML),
    "/menu": (b"<html><body><nav><a href='/'>Home</a></nav></body></html>", HTML),
}


class _Web(LocalWeb):
    def __init__(self) -> None:
        super().__init__(_Handler)


class _Handler(QuietHandler):
    server: _Web
    protocol_version = "HTTP/1.1"

    def _trickle(self, data: bytes) -> None:
        """data a byte at a time, then the same byte over and over until the client gives up."""
        end = time.monotonic() + SERVER_GIVES_UP
        i = 0
        try:
            while time.monotonic() < end and not self.server.stop.is_set():
                self.wfile.write(data[i : i + 1] if i < len(data) else data[-1:])
                self.wfile.flush()
                i += 1
                time.sleep(TRICKLE)
        except (BrokenPipeError, ConnectionResetError):
            pass
        self.close_connection = True

    def do_GET(self) -> None:  # noqa: N802 - the stdlib's name
        if self.path == "/ok":
            self._head(len(ARTICLE))
            self.wfile.write(ARTICLE)
        elif self.path == "/slow-headers":
            self.wfile.write(b"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\n")
            self._trickle(b"X-Padding: " + b"a" * 10_000)
        elif self.path == "/slow-body":
            self._head(10 * len(ARTICLE))
            self._trickle(ARTICLE)
        elif self.path == "/slow-chunks":
            self.send_response(200)
            self.send_header("Content-Type", "text/html")
            self.send_header("Transfer-Encoding", "chunked")
            self.end_headers()
            self._trickle_chunks()
        elif self.path == "/short":
            self._head(len(ARTICLE))
            self.wfile.write(ARTICLE[: len(ARTICLE) // 2])
            self.close_connection = True
        elif self.path == "/redirect-to-slow":
            self.send_response(302)
            self.send_header("Location", "/slow-body")
            self.send_header("Content-Length", "0")
            self.end_headers()
        elif self.path == "/redirect-login":
            self.send_response(302)
            self.send_header("Location", f"http://user:secret@127.0.0.1:{self.server.server_address[1]}/ok")
            self.send_header("Content-Length", "0")
            self.end_headers()
        elif self.path in ("/redirect-file", "/redirect-ftp"):
            self.send_response(302)
            target = "file:///etc/passwd" if self.path == "/redirect-file" else "ftp://127.0.0.1/pub/report.txt"
            self.send_header("Location", target)
            self.send_header("Content-Length", "0")
            self.end_headers()
        elif self.path in RAW:
            self.wfile.write(RAW[self.path])
            self.close_connection = True
        elif self.path in PAGES:
            body, headers = PAGES[self.path]
            self.send_response(200)
            for name, value in headers.items():
                self.send_header(name, value)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)
        elif self.path == "/silent":
            self.server.stop.wait(SERVER_GIVES_UP)
            self.close_connection = True
        else:
            self.send_error(404)

    def _head(self, length: int) -> None:
        self.send_response(200)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(length))
        self.end_headers()

    def _trickle_chunks(self) -> None:
        end = time.monotonic() + SERVER_GIVES_UP
        try:
            for byte in ARTICLE * 100:
                if time.monotonic() > end or self.server.stop.is_set():
                    break
                self.wfile.write(b"1\r\n" + bytes([byte]) + b"\r\n")
                self.wfile.flush()
                time.sleep(TRICKLE)
        except (BrokenPipeError, ConnectionResetError):
            pass
        self.close_connection = True


@pytest.fixture
def web(monkeypatch: pytest.MonkeyPatch) -> Iterator[_Web]:
    without_proxies(monkeypatch)
    with running(_Web()) as server:
        yield server


def test_a_good_page_still_imports(web: _Web) -> None:
    imported = read_url(f"{web.base}/ok", timeout=TIMEOUT, deadline=DEADLINE)
    assert "3 000 Russians" in imported.text


@pytest.mark.parametrize("route", ["/slow-headers", "/slow-body", "/slow-chunks", "/redirect-to-slow"])
def test_a_server_sending_a_byte_at_a_time_stops_at_the_deadline(web: _Web, route: str) -> None:
    started = time.monotonic()
    with pytest.raises(IngestError) as caught:
        fetch(f"{web.base}{route}", timeout=TIMEOUT, deadline=DEADLINE)
    took = time.monotonic() - started
    assert took < DEADLINE + 0.5, f"{route} took {took:.1f} s"
    assert str(caught.value).endswith(
        f"{route}: the download took longer than {DEADLINE:g} seconds; Claimdesk stops there."
    )


def test_silence_is_no_answer_within_the_timeout(web: _Web) -> None:
    started = time.monotonic()
    with pytest.raises(IngestError, match=f"no answer within {TIMEOUT:g} seconds"):
        fetch(f"{web.base}/silent", timeout=TIMEOUT, deadline=10)
    assert time.monotonic() - started < TIMEOUT + 0.5


def test_a_body_shorter_than_its_content_length_is_an_error(web: _Web) -> None:
    half = len(ARTICLE) // 2
    with pytest.raises(IngestError) as caught:
        read_url(f"{web.base}/short", timeout=TIMEOUT, deadline=DEADLINE)
    assert str(caught.value) == (
        f"{web.base}/short: the server broke off in the middle of the page ({half:,} of {len(ARTICLE):,} bytes)."
    )


@pytest.mark.parametrize(
    "link", ["http://user:secret@example.org/page", "https://user@example.org/", "http://:secret@example.org/"]
)
def test_a_link_with_a_login_is_refused_without_showing_the_password(link: str) -> None:
    with pytest.raises(IngestError) as caught:
        read_source(link)
    message = str(caught.value)
    assert "secret" not in message
    assert "holds a user name or password" in message
    assert "…@example.org" in message
    assert "cannot find the server" not in message


@pytest.mark.parametrize(
    ("route", "fragment"),
    [
        ("/redirect-login", "redirects to a link with a user name or password"),
        ("/redirect-file", "redirects to a file: link; only http and https are opened"),
        ("/redirect-ftp", "only http and https are opened"),
        ("/many-headers", "the server sent a broken answer"),
        ("/long-header", "the server sent a broken answer"),
        ("/garbage", "the server sent a broken answer"),
        ("/nothing", "the server sent a broken answer"),
        ("/bad-chunks", "the server broke off in the middle of the page"),
        ("/gzip-bomb", "the page is larger than 10 MB"),
        ("/bad-gzip", "the server sent a broken compressed page"),
        ("/brotli", "compressed the page as br"),
        ("/image", "the server sent image/png"),
        ("/menu", "no article text found in this page"),
        ("/nowhere", "the server answered 404 Not Found"),
    ],
)
def test_each_hostile_answer_is_one_line(web: _Web, route: str, fragment: str) -> None:
    started = time.monotonic()
    with pytest.raises(IngestError) as caught:
        read_url(f"{web.base}{route}", timeout=TIMEOUT, deadline=DEADLINE)
    message = str(caught.value)
    assert message.startswith(f"{web.base}{route}: ") and fragment in message, message
    assert "\n" not in message and "secret" not in message
    assert time.monotonic() - started < DEADLINE + 0.5


def test_a_page_in_utf32_and_a_page_with_escapes_import_clean(web: _Web) -> None:
    assert "3 000 Russians" in read_url(f"{web.base}/utf32", timeout=TIMEOUT, deadline=DEADLINE).text
    imported = read_url(f"{web.base}/escapes", timeout=TIMEOUT, deadline=DEADLINE)
    assert imported.title == "Troops on the border"
    assert "\x1b" not in imported.text and "\x07" not in imported.text
    assert "More than 3 000 Russians" in imported.text
