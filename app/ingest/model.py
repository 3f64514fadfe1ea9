"""What every importer returns, the one error it raises, and the text rules they share."""

from __future__ import annotations

import hashlib
import re
import unicodedata
from dataclasses import dataclass
from datetime import date

from app.domain.errors import UserError
from app.domain.segments import Segment

MAX_BYTES = 20 * 1024 * 1024
MIN_WORDS = 5

# Every line break Python or Qt counts as one (form feeds come from PDF pastes, U+2028 from Word).
_BREAKS = re.compile("\r\n|[\r\x0b\x0c\x85\u2028\u2029]")
# Terminal escape sequences (colours, window titles, cursor moves) and the other control
# characters an article never means: printed to a terminal they act instead of showing. Tab and
# newline stay. CSI "ESC [ … final", OSC "ESC ] … BEL or ESC \\", any other ESC and one char.
_CONTROLS = re.compile(
    "\x1b\\[[0-?]*[ -/]*[@-~]?|\x1b\\][^\x07\x1b]{0,4096}(?:\x07|\x1b\\\\)?|\x1b.?"
    "|\x9b[0-?]*[ -/]*[@-~]?|[\x00-\x08\x0e-\x1f\x7f-\x9f]",
    re.DOTALL,
)


class IngestError(UserError, ValueError):
    """A file, link or paste that cannot become an article; str(error) is one line for the user."""


@dataclass(frozen=True)
class ImportedText:
    title: str
    text: str
    source_url: str = ""
    outlet: str = ""
    author: str = ""
    published: date | None = None
    segments: tuple[Segment, ...] = ()

    @property
    def text_hash(self) -> str:
        return text_hash(self.text)


def text_hash(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def normalise(text: str) -> str:
    """One newline convention, NFC and no BOM, so offsets mean the same in storage, view and export.

    NFC because a PDF paste on macOS arrives decomposed ("e" + U+0301): the same article pasted
    twice must hash the same, and a search for "é" must find it.
    """
    text = _CONTROLS.sub("", _BREAKS.sub("\n", text).lstrip("\ufeff"))
    return unicodedata.normalize("NFC", text).strip("\n")


def printable(text: str) -> str:
    """text fit for a terminal or a one-line message: control characters and escapes removed,
    line breaks and tabs made spaces."""
    return _CONTROLS.sub("", " ".join(text.replace("\t", " ").split("\n"))) if text else text


def shorten(name: str, limit: int = 120) -> str:
    """A file name or URL fit for a one-line message: no line breaks, not too long."""
    name = " ".join(name.split())
    return name if len(name) <= limit else name[: limit - 1] + "…"


def first_line_title(text: str, fallback: str) -> str:
    for line in text.split("\n"):
        line = line.strip().lstrip("#").strip()
        if line:
            return line[:200]
    return fallback


def article(
    text: str,
    title: str,
    *,
    source_url: str = "",
    outlet: str = "",
    author: str = "",
    published: date | None = None,
    segments: tuple[Segment, ...] | None = None,
) -> ImportedText:
    """An ImportedText with its segments: analysed here unless the importer already knows them."""
    if segments is None:
        from app.ingest.structure import analyse

        segments = analyse(text, title=title)
    return ImportedText(
        title=title,
        text=text,
        source_url=source_url,
        outlet=outlet,
        author=author,
        published=published,
        segments=segments,
    )
