"""A local web for the source tests: pages on 127.0.0.1 that redirect, vanish, drip and change,
a PDF, and a double of the Internet Archive's Save Page Now and availability API with the shapes
the real ones answer in."""

from __future__ import annotations

import json
import threading
import time
from contextlib import AbstractContextManager
from datetime import UTC, datetime
from urllib.parse import parse_qs, unquote, urlsplit

from local_web import LocalWeb, QuietHandler, running


def article(*paragraphs: str) -> bytes:
    body = "".join(f"<p>{p}</p>" for p in paragraphs)
    return (f"<html><head><title>Defence ministry report</title></head><body><article><h1>Defence ministry report"
            f"</h1>{body}</article></body></html>").encode()


FIRST = article(
    "The ministry said on Monday that 3,000 troops are stationed at the two bases near the border.",
    "The figure was confirmed by the parliamentary defence committee in its annual report on deployments.",
    "Officials added that the bases were established in 1995 under a bilateral agreement between the countries.",
)
SECOND = article(
    "This page has been replaced. The ministry's archive moved to a new address in the spring.",
    "Visitors looking for reports on deployments should use the search form on the new portal instead.",
)


def pdf_bytes(text: str) -> bytes:
    """A one-page PDF that says `text` in Helvetica, with a correct cross-reference table."""
    stream = f"BT /F1 18 Tf 72 720 Td ({text}) Tj ET".encode()
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R"
        b" /Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< /Length %d >>\nstream\n" % len(stream) + stream + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for i, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % i + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    for offset in offsets:
        out += b"%010d 00000 n \n" % offset
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    return bytes(out)


PDF = pdf_bytes("Annual deployment report: 3000 troops at two bases")


class LinkWeb(LocalWeb):
    def __init__(self) -> None:
        super().__init__(_Handler)
        self.pages: dict[str, bytes] = {"/report": FIRST, "/changing": FIRST}
        self.hits: list[str] = []  # every path asked for, in order
        self.saved: dict[str, str] = {}  # url -> wayback timestamp: what "the archive" holds
        self.archive_hits: list[str] = []  # requests to the archive double
        self.spn_fails = False  # Save Page Now answers 520 although it captures (as it sometimes does)
        self.lock = threading.Lock()

    def handle_error(self, request: object, client_address: object) -> None:
        """A client that hangs up between requests (each download has a connection of its own) is no error."""
        import sys

        if not isinstance(sys.exc_info()[1], ConnectionError):
            super().handle_error(request, client_address)  # type: ignore[arg-type]


class _Handler(QuietHandler):
    server: LinkWeb
    protocol_version = "HTTP/1.1"

    def do_GET(self) -> None:  # noqa: N802 - the stdlib's name
        path = self.path
        with self.server.lock:
            self.server.hits.append(path)
        if path.startswith("/save/"):
            self._save(path[len("/save/"):])
        elif path.startswith("/wayback/available"):
            self._available()
        elif path in self.server.pages:
            self.send(200, self.server.pages[path])
        elif path.startswith("/hop/"):  # a chain of 301s: /hop/3 -> /hop/2 -> /hop/1 -> /report
            left = int(path.rsplit("/", 1)[1])
            self.send(301, Location=f"/hop/{left - 1}" if left > 1 else "/report")
        elif path == "/moved":
            self.send(301, Location="/new-home")
        elif path == "/new-home":
            self.send(200, FIRST)
        elif path == "/gone":
            self.send(404, b"<h1>Not found</h1>")
        elif path == "/removed":
            self.send(410, b"<h1>Gone</h1>")
        elif path == "/down":
            self.send(503, b"<h1>Down for maintenance</h1>")
        elif path == "/huge":  # says it is 11 MB: refused on its length, before the body
            self.send_response(200)
            self.send_header("Content-Type", "video/mp4")
            self.send_header("Content-Length", str(11 * 1024 * 1024))
            self.end_headers()
            self.close_connection = True
        elif path == "/report.pdf":
            self.send(200, PDF, "application/pdf")
        elif path == "/drip":  # a byte at a time, until the client gives up
            self.send_response(200)
            self.send_header("Content-Type", "text/html")
            self.send_header("Content-Length", "100000")
            self.end_headers()
            end = time.monotonic() + 5
            try:
                while time.monotonic() < end and not self.server.stop.is_set():
                    self.wfile.write(b"<")
                    self.wfile.flush()
                    time.sleep(0.05)
            except (BrokenPipeError, ConnectionResetError):
                pass
            self.close_connection = True
        else:
            self.send(404, b"")

    def _save(self, target: str) -> None:
        """Save Page Now: a 302 to the capture, with Content-Location as web.archive.org sends it;
        or a 520 error page although the capture was made (`spn_fails`)."""
        url = unquote(target)
        stamp = datetime.now(UTC).strftime("%Y%m%d%H%M%S")
        with self.server.lock:
            self.server.archive_hits.append(self.path)
            self.server.saved[url] = stamp
        if self.server.spn_fails:
            self.send(520, b"<html><body><h1>Sorry</h1><p>Job failed.</p></body></html>")
            return
        where = f"/web/{stamp}/{url}"
        self.send(302, b"", Location=f"https://web.archive.org{where}", Content_Location=where)

    def _available(self) -> None:
        """The availability API's JSON: {"url", "archived_snapshots": {"closest": {...}}} or empty."""
        query = parse_qs(urlsplit(self.path).query)
        url = query.get("url", [""])[0]
        with self.server.lock:
            self.server.archive_hits.append(self.path)
            stamp = self.server.saved.get(url)
        snapshots = {} if stamp is None else {"closest": {
            "status": "200", "available": True, "timestamp": stamp,
            "url": f"http://web.archive.org/web/{stamp}/{url}",
        }}
        body = json.dumps({"url": url, "archived_snapshots": snapshots}).encode()
        self.send(200, body, "application/json")


def serving() -> AbstractContextManager[LinkWeb]:
    return running(LinkWeb())
