"""Hostile links: a local server on 127.0.0.1 that trickles, lies about lengths and asks for logins.

Each slow route stops by itself after a few seconds, and the client is given small budgets
(`deadline`, `timeout`), so every test ends in about a second.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

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


class _Web(ThreadingHTTPServer):
    daemon_threads = False  # joined in server_close: no thread outlives the test

    def __init__(self) -> None:
        super().__init__(("127.0.0.1", 0), _Handler)
        self.stop = threading.Event()

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.server_address[1]}"


class _Handler(BaseHTTPRequestHandler):
    server: _Web
    protocol_version = "HTTP/1.1"

    def log_message(self, format: str, *args: object) -> None:  # noqa: A002 - the stdlib's name
        pass

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
    for name in ("http_proxy", "HTTP_PROXY", "https_proxy", "HTTPS_PROXY", "all_proxy", "ALL_PROXY"):
        monkeypatch.delenv(name, raising=False)
    server = _Web()
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05})
    thread.start()
    try:
        yield server
    finally:
        server.stop.set()
        server.shutdown()
        server.server_close()
        thread.join()


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
