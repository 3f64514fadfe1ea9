"""The entry points: a file, a paste, or whatever the user gave, each sent to its reader."""

from __future__ import annotations

import os
import re
import stat
from pathlib import Path

from app.ingest.budget import limit
from app.ingest.model import (
    MAX_BYTES,
    ImportedText,
    IngestError,
    article,
    first_line_title,
    normalise,
    shorten,
)
from app.ingest.text import decode

SUFFIXES = (".txt", ".md", ".markdown", ".html", ".htm", ".docx")
HTML_SUFFIXES = (".html", ".htm")
# A scheme of two letters or more: "C:\notes.txt" is a Windows path, not a link.
_SCHEME = re.compile(r"[A-Za-z][A-Za-z0-9+.\-]+:")
_BARE_HOST = re.compile(r"(?:www\.[\w-]+|[\w-]+(?:\.[\w-]+)+/)")  # "www.x.org", "lemonde.fr/page"


def read_source(source: str | Path) -> ImportedText:
    """A file path or a link, as typed, dropped or pasted into the import box."""
    if isinstance(source, str):
        source = source.strip()
        if _SCHEME.match(source):
            from app.ingest.url import read_url

            return read_url(source)
        if _BARE_HOST.match(source) and not Path(source).exists():
            raise IngestError(f"{source}: a link must start with http:// or https://.")
    return read_file(source)


def read_file(path: Path | str, *, budget: float | None = None) -> ImportedText:
    """The article in a file, within `budget` seconds (default: budget.IMPORT_SECONDS); past
    them, one line (IngestError)."""
    path = Path(path)
    name = shorten(path.name)
    suffix = path.suffix.lower()
    if suffix not in SUFFIXES:
        what = suffix or "files without an extension"
        raise IngestError(
            f"{name}: Claimdesk imports .txt, .md, .html and .docx files, not {what}."
        )
    data = read_regular(path, name)
    with limit(name, budget):
        if suffix == ".docx":
            from app.ingest.docx import from_docx

            return from_docx(data, name)
        if suffix in HTML_SUFFIXES:
            from app.ingest.html import from_html, markup_of

            return from_html(markup_of(data, name), name)
        return from_text(decode(data, name), name, fallback_title=path.stem)


def read_regular(path: Path, name: str, limit: int = MAX_BYTES) -> bytes:
    """The bytes of a regular file of at most `limit` bytes; anything else is refused unopened.

    A FIFO blocks open() forever and a device (a symlink to /dev/zero) has no size to check, so
    the kind of file is judged by stat() first (following symlinks), and opened non-blocking in
    case it was swapped between the two calls. The read stops at the limit whatever stat said.
    """
    try:
        info = os.stat(path)
        if stat.S_ISDIR(info.st_mode):
            raise IngestError(f"{name} is a folder, not a file.")
        if not stat.S_ISREG(info.st_mode):
            raise IngestError(f"{name} is {_kind(info.st_mode)}, not a file; Claimdesk reads only files.")
        _check_size(info.st_size, name, limit)
        fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK | os.O_NOCTTY | os.O_CLOEXEC)
        with os.fdopen(fd, "rb") as f:
            if not stat.S_ISREG(os.fstat(f.fileno()).st_mode):
                raise IngestError(f"{name} is not a regular file; Claimdesk reads only files.")
            data = f.read(limit + 1)
    except FileNotFoundError:
        raise IngestError(f"{name}: no such file.") from None
    except IsADirectoryError:
        raise IngestError(f"{name} is a folder, not a file.") from None
    except PermissionError:
        raise IngestError(f"{name}: permission denied.") from None
    except OSError as exc:
        raise IngestError(f"{name}: cannot read it ({exc.strerror or exc}).") from None
    _check_size(len(data), name, limit)
    return data


def _check_size(size: int, name: str, limit: int) -> None:
    if size > limit:
        mb = 1024 * 1024
        raise IngestError(f"{name} is {size / mb:.0f} MB; the limit is {limit // mb} MB.")


def _kind(mode: int) -> str:
    if stat.S_ISFIFO(mode):
        return "a named pipe (FIFO)"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "a device"
    if stat.S_ISSOCK(mode):
        return "a socket"
    return "a special file"


def from_text(raw: str, name: str, *, fallback_title: str, source_url: str = "") -> ImportedText:
    text = normalise(raw)
    if not text.strip():
        raise IngestError(f"{name} holds no text.")
    return _titled(text, fallback_title, source_url=source_url)


def from_pasted(text: str, title: str = "") -> ImportedText:
    text = normalise(text)
    if not text.strip():
        raise IngestError("The clipboard holds no text to import.")
    if title.strip():
        return article(text, title.strip())
    return _titled(text, "Untitled article")


def _titled(text: str, fallback: str, *, source_url: str = "") -> ImportedText:
    """The text with a title made from its first sentence; its structure is analysed first, so
    that a transcript's speaker label is known for what it is."""
    from app.ingest.structure import analyse

    segments = analyse(text)
    return article(text, first_line_title(text, fallback, segments), source_url=source_url, segments=segments)
