"""The Internet Archive's Save Page Now, confirmed through its availability API.

Save Page Now (GET https://web.archive.org/save/URL) sometimes answers with an error for a
capture that succeeded (a 5xx, or a timeout while it works), so its answer is only a hint: the
copy counts once the availability API (https://archive.org/wayback/available?url=URL&timestamp=T)
names a capture made since the request (or within the day before: Save Page Now declines to
capture the same page again so soon, and points at that copy).

Requests to the archive are spaced by at least MIN_INTERVAL seconds, process-wide: the Wayback
Machine allows about 15 requests a minute from one address and blocks it for a while past that.
Both endpoints and the interval can be set (CLAIMDESK_ARCHIVE_SAVE_URL,
CLAIMDESK_ARCHIVE_AVAILABLE_URL, CLAIMDESK_ARCHIVE_INTERVAL), so tests point them at a local server.
"""

from __future__ import annotations

import json
import os
import threading
import time
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from urllib.parse import quote, urlsplit, urlunsplit

from app.ingest.model import IngestError

SAVE_URL = "https://web.archive.org/save/"
AVAILABLE_URL = "https://archive.org/wayback/available"
MIN_INTERVAL = 6.0  # seconds between two requests to the archive: 10 a minute, under its 15
SAVE_DEADLINE = 120.0  # a capture can take the archive a minute or more
RECENT = timedelta(days=1)


class ArchiveError(Exception):
    """The archive has no confirmed copy yet (one line; the job tries again later)."""


@dataclass(frozen=True)
class Endpoints:
    save: str = SAVE_URL
    available: str = AVAILABLE_URL
    interval: float = MIN_INTERVAL

    @classmethod
    def from_env(cls, save: str = "", available: str = "") -> Endpoints:
        """Settings first (`save`, `available`: the workspace's), then the environment, then the archive's own."""
        interval = os.environ.get("CLAIMDESK_ARCHIVE_INTERVAL", "")
        return cls(
            save or os.environ.get("CLAIMDESK_ARCHIVE_SAVE_URL", "") or SAVE_URL,
            available or os.environ.get("CLAIMDESK_ARCHIVE_AVAILABLE_URL", "") or AVAILABLE_URL,
            float(interval) if interval.strip() else MIN_INTERVAL,
        )


@dataclass(frozen=True)
class ArchiveCopy:
    url: str
    at: datetime


class _Pace:
    """At least `interval` seconds between two requests to the archive, across threads."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._last = float("-inf")

    def wait(self, interval: float) -> None:
        with self._lock:
            pause = self._last + interval - time.monotonic()
            if pause > 0:
                time.sleep(pause)
            self._last = time.monotonic()


_pace = _Pace()


def archive(url: str, endpoints: Endpoints, *, timeout: float = 30.0) -> ArchiveCopy:
    """Ask the archive to save url, then confirm the copy; ArchiveError if there is none yet."""
    asked = datetime.now(UTC).replace(tzinfo=None)  # the archive's timestamps are UTC
    _pace.wait(endpoints.interval)
    hint = ""
    try:
        from app.ingest.web import get  # the HTTP client, on first use (urllib3 and ssl)

        answer = get(endpoints.save + url, timeout=timeout, deadline=SAVE_DEADLINE, max_bytes=1024 * 1024,
                     follow=False)
        hint = f"Save Page Now answered {answer.status}"
    except IngestError as exc:
        hint = f"Save Page Now: {_after_colon(str(exc))}"
    _pace.wait(endpoints.interval)
    found = available(url, endpoints, since=asked - RECENT, timeout=timeout)
    if found is None:
        raise ArchiveError(f"no copy in the web archive yet ({hint})")
    return found


def available(url: str, endpoints: Endpoints, *, since: datetime, timeout: float = 30.0) -> ArchiveCopy | None:
    """The archive's closest copy of url, if it was made at `since` (UTC, naive) or later; its
    time is given back in local time, as Claimdesk stores every other time."""
    query = f"url={quote(url, safe='')}&timestamp={since.strftime('%Y%m%d%H%M%S')}"
    try:
        from app.ingest.web import get

        answer = get(f"{endpoints.available}?{query}", timeout=timeout, deadline=timeout * 2, max_bytes=1024 * 1024)
    except IngestError as exc:
        raise ArchiveError(f"the availability API did not answer ({_after_colon(str(exc))})") from None
    if answer.status != 200:
        raise ArchiveError(f"the availability API answered {answer.status} {answer.phrase}")
    try:
        body = json.loads(answer.data.decode("utf-8"))
        closest = body.get("archived_snapshots", {}).get("closest") or {}
    except (ValueError, AttributeError):
        raise ArchiveError("the availability API sent something that is not its JSON") from None
    if not closest.get("available") or not str(closest.get("status", "200")).startswith("2"):
        return None
    stamp = str(closest.get("timestamp", ""))
    try:
        at = datetime.strptime(stamp, "%Y%m%d%H%M%S")
    except ValueError:
        return None
    if at < since.replace(microsecond=0) - timedelta(seconds=1):
        return None
    local = at.replace(tzinfo=UTC).astimezone().replace(tzinfo=None)
    return ArchiveCopy(_https(str(closest.get("url", ""))), local)


def _https(url: str) -> str:
    """The availability API gives http:// addresses for the Wayback Machine; it serves https."""
    parts = urlsplit(url)
    if parts.scheme == "http" and parts.hostname in ("web.archive.org", "archive.org"):
        return urlunsplit(("https", *parts[1:]))
    return url


def _after_colon(line: str) -> str:
    return line.split(": ", 1)[-1].rstrip(".")


