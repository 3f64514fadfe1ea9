"""Links in: a local HTTP server plays the web, with every way a link can go wrong."""

from __future__ import annotations

import gzip
import io
import socket
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from local_web import LocalWeb, QuietHandler, running, without_proxies

from app.domain.segments import SegmentKind
from app.ingest import IngestError, read_source, read_url
from app.ingest.url import MAX_URL_BYTES

DATA = Path(__file__).parent / "data" / "ingest"
PAGE = (DATA / "news_page.html").read_bytes()
BIG = 50 * 1024 * 1024
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


class _Web(LocalWeb):
    def __init__(self) -> None:
        super().__init__(_Handler)
        self.sent: dict[str, int] = {}


def _docx_bytes() -> bytes:
    import docx

    document = docx.Document()
    document.add_heading("Water prices: the mayor answers", level=1)
    document.add_paragraph("The mayor said on Monday that a quarter of the city's pipes were laid before 1960.")
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


class _Handler(QuietHandler):
    server: _Web

    def do_GET(self) -> None:  # noqa: N802 - the stdlib's name
        path, _, query = self.path.partition("?")
        if path in ("/ok", "/%D1%81%D1%82%D0%B0%D1%82%D1%8C%D1%8F"):  # /ok and /статья
            self.server.sent[path] = len(query)
            self.send(200, PAGE, "text/html; charset=utf-8")
        elif path == "/plain":
            text = "Тариф на воду вырастет на 8 %\r\n\r\nГородской совет одобрил повышение тарифа на питьевую воду."
            self.send(200, text.encode("cp1251"), "text/plain; charset=windows-1251")
        elif path == "/go-plain":
            self.send(301, b"", "text/plain", Location="/plain")
        elif path.startswith("/hop/"):
            left = int(path.rsplit("/", 1)[1])
            self.send(302, b"", None, Location=f"/hop/{left - 1}" if left > 1 else "/plain")
        elif path == "/loop":
            self.send(302, b"", None, Location="/loop")
        elif path == "/to-file":
            self.send(302, b"", None, Location="file:///etc/passwd")
        elif path == "/missing":
            self.send(404, b"<h1>Not here</h1>", "text/html")
        elif path == "/broken":
            self.send(500, b"oops", "text/plain")
        elif path == "/slow":
            self.server.stop.wait(10)
            self.send(200, PAGE, "text/html")
        elif path == "/image":
            self.send(200, b"\x89PNG\r\n\x1a\n" + bytes(100), "image/png")
        elif path == "/menu-only":
            self.send(200, b"<html><body><nav><a href='/'>Home</a></nav></body></html>", "text/html")
        elif path == "/doc":
            self.send(200, _docx_bytes(), DOCX)
        elif path == "/untyped-doc":
            self.send(200, _docx_bytes(), "application/octet-stream")
        elif path == "/gzip":
            self.send(200, gzip.compress(PAGE), "text/html; charset=utf-8", Content_Encoding="gzip")
        elif path == "/big":
            self._stream(declare=False)
        elif path == "/big-declared":
            self._stream(declare=True)
        else:
            self.send(404, b"", None)

    def _stream(self, declare: bool) -> None:
        """50 MB of page, made as it is sent: with no length the client must count and stop."""
        self.send_response(200)
        self.send_header("Content-Type", "text/html")
        if declare:
            self.send_header("Content-Length", str(BIG))
        self.end_headers()
        chunk = b"<p>" + b"filler text " * 5000 + b"</p>\n"
        sent = 0
        try:
            while sent < BIG:
                self.wfile.write(chunk)
                sent += len(chunk)
        except (BrokenPipeError, ConnectionResetError):
            pass  # the client hung up: what this route is for
        finally:
            self.server.sent[self.path] = sent
            self.close_connection = True


@pytest.fixture
def web(monkeypatch: pytest.MonkeyPatch) -> Iterator[_Web]:
    without_proxies(monkeypatch)
    with running(_Web()) as server:
        yield server


def test_a_page_comes_with_metadata_comments_and_its_canonical_address(web: _Web) -> None:
    imported = read_url(f"{web.base}/ok")
    assert imported.title == "Harbour expansion doubles container capacity, port authority says"
    assert imported.source_url == "https://coastalherald.example/news/2024/03/harbour-expansion"
    assert imported.outlet == "The Coastal Herald"
    assert "2.4 million containers" in imported.text
    assert [s.author for s in imported.segments if s.kind is SegmentKind.COMMENT] == [
        "Marta Kowalski", "harbourwatcher", "Jean-Paul Ferrand",
    ]


def test_a_link_with_cyrillic_in_its_path_and_query_is_sent_percent_encoded(web: _Web) -> None:
    imported = read_url(f"{web.base}/статья?q=Армения 2024")
    assert imported.outlet == "The Coastal Herald"
    assert web.sent["/%D1%81%D1%82%D0%B0%D1%82%D1%8C%D1%8F"] == len("q=%D0%90%D1%80%D0%BC%D0%B5%D0%BD%D0%B8%D1%8F%202024")


def test_redirects_are_followed_and_the_final_address_kept(web: _Web) -> None:
    imported = read_source(f"{web.base}/hop/4")
    assert imported.source_url == f"{web.base}/plain"
    assert imported.title == "Тариф на воду вырастет на 8 %"  # cp1251, as the server said
    assert imported.text == "Тариф на воду вырастет на 8 %\n\nГородской совет одобрил повышение тарифа на питьевую воду."
    assert read_url(f"{web.base}/go-plain").source_url == f"{web.base}/plain"


def test_a_docx_link_and_a_gzipped_page(web: _Web) -> None:
    doc = read_url(f"{web.base}/doc")
    assert (doc.title, doc.source_url) == ("Water prices: the mayor answers", f"{web.base}/doc")
    assert read_url(f"{web.base}/untyped-doc").title == "Water prices: the mayor answers"
    assert "2.4 million containers" in read_url(f"{web.base}/gzip").text


@pytest.mark.parametrize(
    ("path", "message"),
    [
        ("/missing", "{url}: the server answered 404 Not Found."),
        ("/broken", "{url}: the server answered 500 Internal Server Error."),
        ("/loop", "{url}: redirects more than 5 times; giving up."),
        ("/hop/6", "{url}: redirects more than 5 times; giving up."),
        ("/to-file", "{url}: redirects to a file: link; only http and https are opened."),
        ("/image", "{url}: the server sent image/png, not a web page, plain text or a .docx."),
        ("/menu-only", "{url}: no article text found in this page."),
        ("/big-declared", "{url}: the page is larger than 10 MB; Claimdesk stops there."),
    ],
)
def test_bad_links_get_one_clear_line(web: _Web, path: str, message: str) -> None:
    url = web.base + path
    with pytest.raises(IngestError) as error:
        read_url(url)
    assert str(error.value) == message.format(url=url)


def test_a_slow_server_times_out(web: _Web) -> None:
    url = f"{web.base}/slow"
    with pytest.raises(IngestError) as error:
        read_url(url, timeout=0.5)
    assert str(error.value) == f"{url}: no answer within 0.5 seconds."


def test_a_50_mb_page_is_cut_off_at_10_mb_without_trusting_its_length(web: _Web) -> None:
    url = f"{web.base}/big"
    with pytest.raises(IngestError) as error:
        read_url(url)
    assert str(error.value) == f"{url}: the page is larger than 10 MB; Claimdesk stops there."
    web.stop.set()
    web.shutdown()  # the handler has finished once serve_forever's threads are joined
    web.server_close()
    # What the server managed to send before the client hung up: the cap plus what the kernel's
    # socket buffers took in, nowhere near the 50 MB on offer.
    assert MAX_URL_BYTES < web.sent["/big"] < 2 * MAX_URL_BYTES + 8 * 1024 * 1024


def test_links_that_are_not_web_pages_are_refused_before_any_connection() -> None:
    for url, message in [
        ("file:///etc/passwd", "file:///etc/passwd: Claimdesk opens only http and https links, not file: links."),
        ("javascript:alert(document.cookie)",
         "javascript:alert(document.cookie): Claimdesk opens only http and https links, not javascript: links."),
        ("data:text/html,<p>hi</p>", "data:text/html,<p>hi</p>: Claimdesk opens only http and https links, not data: links."),
        ("www.example.org/page", "www.example.org/page: a link must start with http:// or https://."),
        ("https://", "https://: the link has no host name."),
        ("http://[::1/page", "http://[::1/page: this is not a valid link."),
        ("http://example.org:port/", "http://example.org:port/: this is not a valid link."),
    ]:
        with pytest.raises(IngestError) as error:
            read_url(url)
        assert str(error.value) == message


def test_a_closed_port_says_the_connection_was_refused() -> None:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    url = f"http://127.0.0.1:{port}/"
    with pytest.raises(IngestError) as error:
        read_url(url, timeout=2)
    assert str(error.value) == f"{url}: the server refused the connection."


class _Proxy(BaseHTTPRequestHandler):
    """A forward proxy that answers every page itself, and remembers what it was asked for."""

    asked: list[tuple[str, str | None]] = []

    def log_message(self, format: str, *args: object) -> None:  # noqa: A002 - the stdlib's name
        pass

    def do_GET(self) -> None:  # noqa: N802 - the stdlib's name
        _Proxy.asked.append((self.path, self.headers.get("Proxy-Authorization")))
        self.send_response(200)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(PAGE)))
        self.end_headers()
        self.wfile.write(PAGE)


def test_the_environments_proxy_is_used_as_urllib_used_it(web: _Web, monkeypatch: pytest.MonkeyPatch) -> None:
    proxy = ThreadingHTTPServer(("127.0.0.1", 0), _Proxy)
    proxy.daemon_threads = False
    thread = threading.Thread(target=proxy.serve_forever, kwargs={"poll_interval": 0.05})
    thread.start()
    _Proxy.asked = []
    try:
        monkeypatch.setenv("http_proxy", f"http://desk:s3cret@127.0.0.1:{proxy.server_address[1]}")
        imported = read_url("http://news.example/2024/harbour")  # no such host: only the proxy can answer
        assert imported.outlet == "The Coastal Herald"
        assert _Proxy.asked == [("http://news.example/2024/harbour", "Basic ZGVzazpzM2NyZXQ=")]
        monkeypatch.setenv("no_proxy", "127.0.0.1")
        assert read_url(f"{web.base}/ok").outlet == "The Coastal Herald"  # straight to the server
        assert len(_Proxy.asked) == 1
    finally:
        proxy.shutdown()
        proxy.server_close()
        thread.join()
