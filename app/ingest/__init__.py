"""Bring an article in from a file: read, decode, extract, normalise. No Qt, no database."""

from __future__ import annotations

import codecs
import hashlib
from dataclasses import dataclass
from datetime import date
from pathlib import Path

MAX_BYTES = 20 * 1024 * 1024
MIN_WORDS = 5
SUFFIXES = (".txt", ".md", ".markdown", ".html", ".htm")


class IngestError(ValueError):
    """A file that cannot become an article; str(error) is one line for the user."""


@dataclass(frozen=True)
class ImportedText:
    title: str
    text: str
    source_url: str = ""
    outlet: str = ""
    author: str = ""
    published: date | None = None

    @property
    def text_hash(self) -> str:
        return text_hash(self.text)


def text_hash(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def normalise(text: str) -> str:
    """One newline convention and no BOM, so offsets mean the same in storage, view and export."""
    text = text.replace("\r\n", "\n").replace("\r", "\n").lstrip("\ufeff")
    return text.strip("\n")


def read_file(path: Path | str) -> ImportedText:
    path = Path(path)
    name = path.name
    suffix = path.suffix.lower()
    if suffix not in SUFFIXES:
        raise IngestError(f"{name}: Claimdesk imports .txt, .md and .html files, not {suffix or 'files without an extension'}.")
    try:
        size = path.stat().st_size
        if size > MAX_BYTES:
            raise IngestError(f"{name} is {size / 1024 / 1024:.0f} MB; the limit is {MAX_BYTES // 1024 // 1024} MB.")
        data = path.read_bytes()
    except FileNotFoundError:
        raise IngestError(f"{name}: no such file.") from None
    except IsADirectoryError:
        raise IngestError(f"{name} is a folder, not a file.") from None
    except PermissionError:
        raise IngestError(f"{name}: permission denied.") from None
    except OSError as exc:
        raise IngestError(f"{name}: cannot read it ({exc.strerror}).") from None
    raw = decode(data, name)
    if suffix in (".html", ".htm"):
        return _from_html(raw, name)
    text = normalise(raw)
    if not text.strip():
        raise IngestError(f"{name} holds no text.")
    return ImportedText(title=_first_line_title(text, path.stem), text=text)


def from_pasted(text: str, title: str = "") -> ImportedText:
    text = normalise(text)
    if not text.strip():
        raise IngestError("There is no text to import.")
    return ImportedText(title=title.strip() or _first_line_title(text, "Untitled article"), text=text)


def decode(data: bytes, name: str) -> str:
    """UTF-8 or UTF-16 by BOM, then strict UTF-8, then a detected legacy encoding."""
    if not data.strip():
        raise IngestError(f"{name} is empty.")
    for bom, encoding in ((codecs.BOM_UTF8, "utf-8-sig"), (codecs.BOM_UTF16_LE, "utf-16"), (codecs.BOM_UTF16_BE, "utf-16")):
        if data.startswith(bom):
            try:
                return data.decode(encoding)
            except UnicodeDecodeError:
                raise IngestError(f"{name} says it is {encoding.upper()} but is not valid {encoding.upper()}.") from None
    if b"\x00" in data[:8192]:
        raise IngestError(f"{name} looks like a binary file, not text.")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    from charset_normalizer import from_bytes  # imported late: only legacy files need it

    best = from_bytes(data[:1_000_000]).best()
    if best is None or best.chaos > 0.2:
        raise IngestError(f"{name} is not valid UTF-8 and its encoding could not be recognised.")
    return data.decode(best.encoding, errors="strict")


def _first_line_title(text: str, fallback: str) -> str:
    for line in text.split("\n"):
        line = line.strip().lstrip("#").strip()
        if line:
            return line[:200]
    return fallback


def _from_html(markup: str, name: str) -> ImportedText:
    import trafilatura  # heavy; only HTML needs it

    extracted = trafilatura.bare_extraction(markup, with_metadata=True, include_comments=True, favor_recall=True)
    # Pages with no article still yield their menu words ("Home"); that is not an article.
    if extracted is None or len((extracted.text or "").split()) < MIN_WORDS:
        raise IngestError(f"{name}: no article text found in this page.")
    text = normalise(extracted.text)
    published = None
    if extracted.date:
        try:
            published = date.fromisoformat(extracted.date[:10])
        except ValueError:
            published = None
    return ImportedText(
        title=(extracted.title or _first_line_title(text, Path(name).stem))[:500],
        text=text,
        source_url=extracted.url or "",
        outlet=extracted.sitename or "",
        author=extracted.author or "",
        published=published,
    )
