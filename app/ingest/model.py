"""What every importer returns, the one error it raises, and the text rules they share."""

from __future__ import annotations

import hashlib
import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from app.domain.errors import UserError
from app.domain.segments import Segment, SegmentKind, segment_at

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


TITLE_CHARS = 90
"""A title made from the text is at most this long, "…" included."""
HEADING_CHARS = 200
"""A heading the text opens with is the title up to this length."""

# A sentence ends at . ! ? … (and any closing quotes or brackets) before white space.
_SENTENCE_END = re.compile(r"[.!?…]+[\"'»”’)\]]*(?=\s)")
_ABBREVIATIONS = frozenset(
    ["mr", "mrs", "ms", "dr", "prof", "st", "gen", "col", "gov", "sen", "rep", "pres", "jr", "sr", "no", "vs", "etc", "inc", "ltd", "co", "corp", "dept", "jan", "feb", "mar", "apr", "jun", "jul", "aug", "sep", "sept", "oct", "nov", "dec", "mt", "ft", "mme", "mlle", "m", "art", "al", "ca", "cf", "vol", "p", "pp", "u.s", "u.k", "u.n", "e.g", "i.e"]
)


def first_line_title(text: str, fallback: str, segments: Sequence[Segment] = ()) -> str:
    """The title of a text: its heading, or, without one, its first sentence.

    A first line the structure (segments) finds to be a heading, or a Markdown "# heading", is
    the title (up to HEADING_CHARS). Otherwise the title is the first sentence without a
    speaker's label, at most TITLE_CHARS characters, cut at a word with "…"; a full stop ending
    it is dropped (a question or exclamation mark is kept). The structure also tells a
    transcript's one-word labels ("TRUMP: …") from a headline's ("Gaza: …").
    """
    offset = 0
    for raw in text.split("\n"):
        line = raw.strip()
        if line:
            heading = line.startswith("#")
            line = line.lstrip("#").strip() or line
            segment = segment_at(segments, offset + raw.index(line[0]))
            kind = segment.kind if segment is not None else None
            if heading or kind is SegmentKind.TITLE:
                return clip_title(line, HEADING_CHARS)
            turn = kind is SegmentKind.TURN and segment is not None and bool(segment.speaker)
            return make_title(line, fallback, turn=turn)
        offset += len(raw) + 1
    return fallback


def make_title(line: str, fallback: str = "", *, turn: bool = False) -> str:
    from app.ingest.structure import speaker_label

    line = " ".join(line.split())
    label = speaker_label(line, known=turn)
    if label is not None and line[label[1]:].strip():
        line = line[label[1]:].strip().lstrip("*_").strip()
    sentence = _first_sentence(line)
    if sentence.endswith(".") and not sentence.endswith(".."):
        sentence = sentence[:-1].rstrip()
    return clip_title(sentence) or fallback


def _first_sentence(line: str) -> str:
    for m in _SENTENCE_END.finditer(line):
        before = line[: m.start()].rsplit(" ", 1)[-1].lower().lstrip("(\"'“«")
        if m.group().startswith(".") and len(m.group()) == 1 and (
            before in _ABBREVIATIONS or len(before) == 1 or before.replace(".", "") == ""
        ):
            continue  # "Mr. Smith", "U.S. troops", "J. Doe"
        return line[: m.end()]
    return line


def clip_title(title: str, limit: int = TITLE_CHARS) -> str:
    """title in at most limit characters: cut at a word boundary, with "…"."""
    title = " ".join(title.split())
    if len(title) <= limit:
        return title
    cut = title[: limit - 1]
    space = cut.rfind(" ")
    if space >= limit // 2:
        cut = cut[:space]
    return cut.rstrip(" ,;:—–-(\"'“«") + "…"


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
