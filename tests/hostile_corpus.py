"""Hostile inputs, generated: the files a careless or malicious source hands a fact-checker.

Nothing big is committed: each case is a function that writes its file into a folder. The tests
use the small ones; `benchmarks/bench_hostile.py` times the big ones against the import budget.
Add a case here for every bug found, so the corpus grows with the bugs.
"""

from __future__ import annotations

import codecs
import io
import os
import zipfile
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SAMPLE = ROOT / "seeds" / "000_dfc4ea22a266b7c5.txt"
MB = 1024 * 1024


def _sample() -> str:
    return SAMPLE.read_text("utf-8")


def _repeat(unit: str, size: int) -> str:
    """unit over and over, cut to `size` bytes of UTF-8 (never inside a character)."""
    data = unit.encode("utf-8")
    return (data * (size // len(data) + 1))[:size].decode("utf-8", "ignore")


# --- the big ones: each under the 20 MB limit, each once took minutes ---------------------------


def big_claims_text(folder: Path, size: int = 20 * MB - 4096) -> Path:
    """The sample article over and over: about half a million checkable sentences."""
    path = folder / "claims.txt"
    path.write_text(_repeat(_sample() + "\n\n", size), "utf-8")
    return path


def single_line(folder: Path, size: int = 15 * MB) -> Path:
    """The whole text on one line: one paragraph of 15 MB."""
    path = folder / "one_line.txt"
    path.write_text(_repeat(" ".join(_sample().split()) + " ", size), "utf-8")
    return path


def cr_only(folder: Path, size: int = 8 * MB) -> Path:
    """Old Mac line ends: every line ends in CR alone."""
    path = folder / "cr.txt"
    path.write_bytes(_repeat(_sample().replace("\n", "\r") + "\r", size).encode("utf-8"))
    return path


def long_first_line(folder: Path, size: int = 5 * MB) -> Path:
    """A 5 MB first line (the title candidate), then a normal article."""
    path = folder / "first_line.txt"
    path.write_text(_repeat("Troops crossed the border at dawn ", size) + "\n\n" + _sample(), "utf-8")
    return path


def numbers(folder: Path, size: int = 14 * MB) -> Path:
    """Nothing but figures: every token a candidate claim signal."""
    path = folder / "numbers.txt"
    path.write_text(_repeat("3 000 ", size), "utf-8")
    return path


def many_tags(folder: Path, count: int = 100_000) -> Path:
    """An article page with 100k tags."""
    path = folder / "tags.html"
    body = "".join(f"<p><span>Paragraph {i} says that 3 000 troops left in 2002.</span></p>" for i in range(count))
    path.write_text(f"<html><head><title>Tags</title></head><body><article>{body}</article></body></html>", "utf-8")
    return path


def comment_page(folder: Path, count: int = 30_000) -> Path:
    """A short article followed by 30,000 reader comments."""
    path = folder / "comments.html"
    article = "".join(f"<p>{line}</p>" for line in _sample().split("\n") if line.strip())
    comments = "".join(
        f'<li class="comment"><div class="comment-author"><span class="fn">Reader {i}</span></div>'
        f'<div class="comment-content"><p>Comment {i}: I think 3 000 is wrong, it was 4 000 in 2002.</p>'
        f"</div></li>"
        for i in range(count)
    )
    path.write_text(
        f"<html><head><title>Comments</title></head><body><article><h1>Clash</h1>{article}</article>"
        f'<ol class="comment-list">{comments}</ol></body></html>',
        "utf-8",
    )
    return path


def big_single_paragraph_html(folder: Path, size: int = 15 * MB) -> Path:
    """One <p> of 15 MB: valid, if unkind."""
    path = folder / "one_p.html"
    text = _repeat(" ".join(_sample().split()) + " ", size)
    path.write_text(f"<html><head><title>One paragraph</title></head><body><p>{text}</p></body></html>", "utf-8")
    return path


def docx_table(folder: Path, rows: int = 100_000) -> Path:
    """A .docx whose body is one table of 100k rows, written by hand (no python-docx needed)."""
    path = folder / "table.docx"
    row = "<w:tr>{}</w:tr>"
    cell = "<w:tc><w:p><w:r><w:t>{}</w:t></w:r></w:p></w:tc>"
    body = "".join(row.format(cell.format(f"Row {i}") + cell.format("3 000 troops in 2002")) for i in range(rows))
    _write_docx(path, f"<w:tbl>{body}</w:tbl>")
    return path


def _write_docx(path: Path, body_xml: str) -> None:
    w = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
    document = (
        f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?><w:document xmlns:w="{w}">'
        f"<w:body>{body_xml}</w:body></w:document>"
    )
    types = (
        '<?xml version="1.0" encoding="UTF-8"?>'
        '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
        '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
        '<Default Extension="xml" ContentType="application/xml"/>'
        '<Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.'
        'wordprocessingml.document.main+xml"/></Types>'
    )
    rels = (
        '<?xml version="1.0" encoding="UTF-8"?>'
        '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
        '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/'
        'officeDocument" Target="word/document.xml"/></Relationships>'
    )
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("[Content_Types].xml", types)
        z.writestr("_rels/.rels", rels)
        z.writestr("word/document.xml", document)
    path.write_bytes(buffer.getvalue())


BIG: dict[str, Callable[[Path], Path]] = {
    "20 MB text (claims)": big_claims_text,
    "15 MB single line": single_line,
    "8 MB CR-only line ends": cr_only,
    "5 MB first line": long_first_line,
    "14 MB of numbers": numbers,
    "HTML, 100k tags": many_tags,
    "HTML, 30k comments": comment_page,
    "HTML, one 15 MB <p>": big_single_paragraph_html,
    ".docx, 100k table rows": docx_table,
}


# --- small hostile files: (name, bytes), for the tests -----------------------------------------

ARTICLE = (
    "Troops on the border\n\n"
    "More than 3 000 Russians are positioned on two military bases located on Armenian territory. "
    "The Collective Security Treaty Organization was founded in 2002.\n"
)


def utf32_le_bom() -> bytes:
    return codecs.BOM_UTF32_LE + ARTICLE.encode("utf-32-le")


def utf32_be_bom() -> bytes:
    return codecs.BOM_UTF32_BE + ARTICLE.encode("utf-32-be")


def mixed_utf8_cp1251() -> bytes:
    """A file pasted together from a UTF-8 page and a cp1251 one."""
    return (
        "Troops on the border — a report\n\n".encode()
        + "Более 3 000 российских военных находятся на двух базах в Армении.\n\n".encode("cp1251")
        + "The organization was founded in 2002, according to the treaty’s text.\n".encode()
    )


def terminal_escapes() -> bytes:
    return ("\x1b[31mRED TITLE\x1b]0;pwned\x07 \x07bell\x1b[0m\n\n" + ARTICLE).encode()


def write_all_small(folder: Path) -> list[Path]:
    out = []
    for name, make in (
        ("utf32le.txt", utf32_le_bom),
        ("utf32be.txt", utf32_be_bom),
        ("mixed.txt", mixed_utf8_cp1251),
        ("escapes.txt", terminal_escapes),
    ):
        path = folder / name
        path.write_bytes(make())
        out.append(path)
    return out


def fifo(folder: Path) -> Path:
    path = folder / "pipe.txt"
    os.mkfifo(path)
    return path
