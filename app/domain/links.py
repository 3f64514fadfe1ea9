"""A source's link over time: its health at the last check, its local snapshot, its web archive copy.

The states and what counts as broken are decided here, once: the sources list, the claims
filter, the command line and the reports all ask these types.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

ARCHIVE_KEY = "archive.enabled"  # workspace setting: "on" sends each new source's link to the web archive

# Below this share of the snapshot's words in the live page (difflib's ratio over words), the
# page is "changed": light edits (a date line, a corrected typo, a new comment count) stay above it.
CHANGED_BELOW = 0.85


class LinkState(StrEnum):
    OK = "ok"
    REDIRECTED = "redirected"  # answers, but somewhere else
    GONE = "gone"  # 404 or 410
    UNREACHABLE = "unreachable"  # no such host, no answer, refused, TLS, or another error status
    CHANGED = "changed"  # answers, but its text is no longer what the snapshot holds

    @property
    def label(self) -> str:
        return _LABELS[self]

    @property
    def broken(self) -> bool:
        """The live link no longer leads to the cited page: a reader needs the archived copy."""
        return self in (LinkState.GONE, LinkState.UNREACHABLE)


_LABELS = {
    LinkState.OK: "Link works",
    LinkState.REDIRECTED: "Link redirects",
    LinkState.GONE: "Link is gone",
    LinkState.UNREACHABLE: "Link unreachable",
    LinkState.CHANGED: "Page changed since the snapshot",
}


@dataclass(frozen=True, slots=True)
class SourceHealth:
    """What background work learned about one source's link. `state` None: never checked."""

    state: LinkState | None = None
    detail: str = ""  # the check's one line: an error, or where a redirect leads
    final_url: str = ""
    checked_at: datetime | None = None
    similarity: float | None = None  # snapshot text against the live text, 0..1, at a check
    snapshot_at: datetime | None = None  # the latest local snapshot's fetch time
    archive_url: str = ""  # the web archive's copy, as confirmed by its availability API
    archived_at: datetime | None = None

    @property
    def broken(self) -> bool:
        return self.state is not None and self.state.broken

    def summary(self) -> str:
        """One or two lines for a tooltip: the state with its detail and when, then the copies kept."""
        lines = []
        if self.state is None:
            lines.append("Link not checked yet" + (f" ({self.detail})" if self.detail else ""))
        else:
            when = f" ({self.checked_at:%Y-%m-%d %H:%M})" if self.checked_at else ""
            what = self.state.label
            if self.state is LinkState.REDIRECTED and self.final_url:
                what += f" to {self.final_url}"
            elif self.state is LinkState.CHANGED and self.similarity is not None:
                what += f": {self.similarity:.0%} of the text is as it was"
            elif self.detail and self.state is not LinkState.OK:
                what += f": {self.detail}"
            lines.append(what + when)
        kept = []
        if self.snapshot_at:
            kept.append(f"snapshot of {self.snapshot_at:%Y-%m-%d}")
        if self.archive_url:
            kept.append("web archive copy" + (f" of {self.archived_at:%Y-%m-%d}" if self.archived_at else ""))
        if kept:
            lines.append("Kept: " + ", ".join(kept))
        return "\n".join(lines)


@dataclass(frozen=True, slots=True)
class Snapshot:
    """A source's page as fetched and kept."""

    id: int
    source_id: int
    url: str
    final_url: str
    http_status: int
    content_type: str
    fetched_at: datetime
    sha256: str
    size: int
    text: str


@dataclass(frozen=True, slots=True)
class CheckResult:
    """One source's check, as `claimdesk sources check` prints it."""

    source_id: int
    claim_id: int
    url: str
    state: LinkState
    detail: str = ""
    final_url: str = ""
    http_status: int | None = None
    similarity: float | None = None
