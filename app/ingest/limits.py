"""The limits of every download (app/ingest/web.py), apart from the HTTP client: modules that
only need the numbers do not import urllib3 and ssl (14 MB and 36 ms at start-up) for them."""

from __future__ import annotations

TIMEOUT = 15.0  # with no byte from the server for this long, it is not answering
DEADLINE = 60.0  # the whole download: connecting, headers, body and every redirect
MAX_BYTES = 10 * 1024 * 1024
MAX_REDIRECTS = 5
# Some sites refuse a library's default agent; say who is asking without pretending to be a browser.
USER_AGENT = "Mozilla/5.0 (compatible; Claimdesk/0.1; fact-checking workbench)"
