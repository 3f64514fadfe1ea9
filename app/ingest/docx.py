"""Word .docx files: paragraphs and tables in order; title from the properties or first heading."""

from __future__ import annotations

import io
import zipfile
import zlib
from pathlib import Path
from typing import TYPE_CHECKING

from app.ingest import budget
from app.ingest.model import ImportedText, IngestError, article, first_line_title, normalise

if TYPE_CHECKING:
    from docx.document import Document
    from docx.oxml.table import CT_Tc
    from docx.oxml.text.paragraph import CT_P
    from docx.oxml.xmlchemy import BaseOxmlElement
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

    damaged = IngestError(f"{name} is damaged: Word's document inside it cannot be read.")
    broken = (zipfile.BadZipFile, zlib.error, PackageNotFoundError, XMLSyntaxError, KeyError,
              ValueError, EOFError)
    try:
        # A package's XML without its namespace ([Content_Types].xml as "<Types/>") makes
        # python-docx fail on attributes its parser did not add: damaged too, not a bug of ours.
        document = docx.Document(io.BytesIO(data))
    except (*broken, AttributeError, TypeError, IndexError):
        # A CRC error, a missing part or broken XML: python-docx's words mean nothing to a reader.
        raise damaged from None
    try:
        title, paragraphs = _read(document)
    except IngestError:  # the budget: an IngestError is a ValueError too, but not a damaged file
        raise
    except broken:
        raise damaged from None
    text = normalise("\n\n".join(paragraphs))
    if not text.strip():
        raise IngestError(f"{name} holds no text.")
    if not title:
        from app.ingest.structure import analyse

        segments = analyse(text)
        return article(text, first_line_title(text, Path(name).stem, segments), segments=segments)
    return article(text, title[:500])


def _read(document: Document) -> tuple[str, list[str]]:
    """(title, paragraphs): body paragraphs and table rows in document order, blank ones dropped."""
    from docx.table import Table

    paragraphs: list[str] = []
    heading = ""
    # Style names by id, read once: python-docx's paragraph.style looks the id up in the styles
    # part on every call, 70 % of reading a long document.
    names = {style.style_id: style.name or "" for style in document.styles}
    for block in document.iter_inner_content():
        if isinstance(block, Table):
            rows = _rows(block)
            if rows:
                paragraphs.append("\n".join(rows))  # one block, a row a line, as the table reads
            continue
        text = _paragraph_text(block._p).strip()
        if not text:
            continue
        if not heading:
            style = names.get(block._p.style or "", "")  # no pStyle: the default, never a heading
            if style == "Title" or style.startswith("Heading"):
                heading = text
        paragraphs.append(text)
    title = (document.core_properties.title or "").strip() or heading
    return " ".join(title.split()), paragraphs


def _rows(table: Table) -> list[str]:
    """One line a row, cells joined by " | "; a merged cell once a row, as Word shows it.

    Read from the XML directly: python-docx's cell.text costs two XPath queries a paragraph,
    and a .docx of 100,000 table rows took 25 s. A vertically merged cell repeats the text of
    the cell it continues, as python-docx's row.cells gives it.
    """
    rows = []
    above: dict[int, str] = {}  # grid column -> text of the cell a vertical merge continues
    for n, tr in enumerate(table._tbl.iterchildren(_TR)):
        if not n % 4096:
            budget.check("reading its tables")
        cells: list[str] = []
        column = 0
        for tc in tr.iterchildren(_TC):
            span, merge = _merge_of(tc)
            text = above.get(column, "") if merge == "continue" else _cell_text(tc)
            above[column] = text
            cells.append(text)
            column += span
        if any(cells):
            rows.append(" | ".join(cells))
    return rows


_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
_P, _TEXT, _TEXT_BREAKS = f"{_W}p", f"{_W}t", (f"{_W}tab", f"{_W}br", f"{_W}cr")
_TR, _TC, _TC_PROPS, _VAL = f"{_W}tr", f"{_W}tc", f"{_W}tcPr", f"{_W}val"


_RUN, _HYPERLINK = f"{_W}r", f"{_W}hyperlink"
_RUN_TEXT = tuple(f"{_W}{tag}" for tag in ("br", "cr", "noBreakHyphen", "ptab", "t", "tab"))


def _paragraph_text(p: CT_P) -> str:
    """python-docx's Paragraph.text, without its XPath queries (two a run: 200 pages took
    0.1–0.2 s): the same children in the same order (a paragraph's runs and hyperlinks, a run's
    text, tabs and breaks), each read by python-docx's own element class (str(w:br) is a line
    break only for a text-wrapping break, as in Word)."""
    return "".join(
        _run_text(child) if child.tag == _RUN else "".join(map(_run_text, child.iterchildren(_RUN)))
        for child in p.iterchildren(_RUN, _HYPERLINK)
    )


def _run_text(r: BaseOxmlElement) -> str:
    return "".join(map(str, r.iterchildren(*_RUN_TEXT)))


def _merge_of(tc: CT_Tc) -> tuple[int, str | None]:
    """How many grid columns the cell spans, and its vertical merge ("restart", "continue")."""
    props = tc.find(_TC_PROPS)
    if props is None:
        return 1, None
    span = props.find(f"{_W}gridSpan")
    merge = props.find(f"{_W}vMerge")
    try:
        columns = max(int(span.get(_VAL) or 1), 1) if span is not None else 1
    except ValueError:
        columns = 1
    return columns, (merge.get(_VAL) or "continue") if merge is not None else None


def _cell_text(tc: CT_Tc) -> str:
    """The cell's paragraphs (not those of a table inside it), in one line."""
    words = [
        (node.text or "") if node.tag == _TEXT else " "
        for p in tc.iterchildren(_P)
        for node in p.iter(_TEXT, *_TEXT_BREAKS)
    ]
    return " ".join("".join(words).split()) if len(words) > 1 else " ".join((words or [""])[0].split())
