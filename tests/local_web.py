"""The local web the link tests serve from: a server on 127.0.0.1 with a port of its own, a quiet
handler with one way to answer, and a context that runs the server in a thread and stops it
(every handler thread joined) when the test is done. Each test file adds its own routes."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import TypeVar

import pytest

PROXY_VARIABLES = ("http_proxy", "HTTP_PROXY", "https_proxy", "HTTPS_PROXY", "all_proxy", "ALL_PROXY")


class LocalWeb(ThreadingHTTPServer):
    daemon_threads = False  # joined in server_close: no thread or socket outlives the test

    def __init__(self, handler: type[BaseHTTPRequestHandler]) -> None:
        super().__init__(("127.0.0.1", 0), handler)
        self.stop = threading.Event()  # set when the test is done: slow routes let go

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.server_address[1]}"


class QuietHandler(BaseHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:  # noqa: A002 - the stdlib's name
        pass  # keep the test output clean

    def send(self, status: int, body: bytes = b"", content_type: str | None = "text/html; charset=utf-8",
             **headers: str) -> None:
        """One whole answer; a header's underscores become dashes (Content_Location=…)."""
        self.send_response(status)
        if content_type:
            self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        for name, value in headers.items():
            self.send_header(name.replace("_", "-"), value)
        self.end_headers()
        self.wfile.write(body)


Web = TypeVar("Web", bound=LocalWeb)


@contextmanager
def running(server: Web) -> Iterator[Web]:
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05})
    thread.start()
    try:
        yield server
    finally:
        server.stop.set()
        server.shutdown()
        server.server_close()
        thread.join()


def without_proxies(monkeypatch: pytest.MonkeyPatch) -> None:
    """127.0.0.1 straight: a proxy set in the environment would answer instead of the test's server."""
    for name in PROXY_VARIABLES:
        monkeypatch.delenv(name, raising=False)
