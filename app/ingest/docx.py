"""Word .docx files: paragraphs and tables in order; title from the properties or first heading."""

from __future__ import annotations

import io
import zipfile
import zlib
from pathlib import Path
from typing import TYPE_CHECKING

from app.ingest.model import ImportedText, IngestError, article, first_line_title, normalise

if TYPE_CHECKING:
    from docx.document import Document
    from docx.table import Table

OLE_SIGNATURE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # compound file: encrypted .docx or old .doc
MAX_UNZIPPED = 100 * 1024 * 1024
MAX_RATIO = 100
MAX_MEMBERS = 10_000
_RATIO_FLOOR = 1024 * 1024  # a small part may compress 100:1 (blank XML) and still be harmless
_MB = 1024 * 1024
_BOMB = "it looks like a zip bomb, so it is refused."


def check_zip(data: bytes, name: str) -> None:
    """Refuse what python-docx should never unzip, judged on the zip directory alone."""
    if data.startswith(OLE_SIGNATURE):
        # Word wraps an encrypted .docx in a compound file whose directory names this stream.
        if "EncryptedPackage".encode("utf-16-le") in data:
            raise IngestError(
                f"{name} is password-protected; remove the password in Word and import it again."
            )
        raise IngestError(
            f"{name} is an old-style Word document (.doc); save it as .docx and import it again."
        )
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            members = archive.infolist()
    except (zipfile.BadZipFile, EOFError, ValueError):
        raise IngestError(f"{name} is damaged: it is not a readable .docx (zip) file.") from None
    if len(members) > MAX_MEMBERS:
        raise IngestError(f"{name} holds {len(members)} files, far more than Word writes; {_BOMB}")
    unzipped = sum(m.file_size for m in members)
    if unzipped > MAX_UNZIPPED:
        raise IngestError(
            f"{name} would unpack to {unzipped / _MB:.0f} MB (limit {MAX_UNZIPPED // _MB} MB); "
            + _BOMB
        )
    for m in members:
        ratio = m.file_size // max(m.compress_size, 1)
        if m.file_size > _RATIO_FLOOR and ratio > MAX_RATIO:
            raise IngestError(f"{name} compresses {ratio}:1 (limit {MAX_RATIO}:1); {_BOMB}")
    names = {m.filename for m in members}
    if "word/document.xml" not in names or "[Content_Types].xml" not in names:
        raise IngestError(f"{name} is a zip archive but not a Word document.")


def from_docx(data: bytes, name: str) -> ImportedText:
    check_zip(data, name)
    import docx  # heavy; only .docx needs it
    from docx.opc.exceptions import PackageNotFoundError
    from lxml.etree import XMLSyntaxError

    try:
        document = docx.Document(io.BytesIO(data))
        title, paragraphs = _read(document)
    except (zipfile.BadZipFile, zlib.error, PackageNotFoundError, XMLSyntaxError, KeyError,
            ValueError, EOFError):
        # A CRC error, a missing part or broken XML: python-docx's words mean nothing to a reader.
        raise IngestError(f"{name} is damaged: Word's document inside it cannot be read.") from None
    text = normalise("\n\n".join(paragraphs))
    if not text.strip():
        raise IngestError(f"{name} holds no text.")
    title = title or first_line_title(text, Path(name).stem)
    return article(text, title[:500])


def _read(document: Document) -> tuple[str, list[str]]:
    """(title, paragraphs): body paragraphs and table rows in document order, blank ones dropped."""
    from docx.table import Table

    paragraphs: list[str] = []
    heading = ""
    for block in document.iter_inner_content():
        if isinstance(block, Table):
            rows = _rows(block)
            if rows:
                paragraphs.append("\n".join(rows))  # one block, a row a line, as the table reads
            continue
        text = block.text.strip()
        if not text:
            continue
        style = (block.style.name if block.style is not None else "") or ""
        if not heading and (style == "Title" or style.startswith("Heading")):
            heading = text
        paragraphs.append(text)
    title = (document.core_properties.title or "").strip() or heading
    return " ".join(title.split()), paragraphs


def _rows(table: Table) -> list[str]:
    """One line a row, cells joined by " | "; a merged cell, which python-docx repeats, once."""
    rows = []
    for row in table.rows:
        cells: list[str] = []
        previous = None
        for cell in row.cells:
            if cell._tc is previous:  # the same merged cell again
                continue
            previous = cell._tc
            cells.append(" ".join(cell.text.split()))
        if any(cells):
            rows.append(" | ".join(cells))
    return rows
