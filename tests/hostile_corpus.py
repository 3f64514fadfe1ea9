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


# --- many small hostile files: (file name, bytes) ------------------------------------------------

def _zip(members: dict[str, bytes], method: int = zipfile.ZIP_DEFLATED) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", method) as z:
        for name, data in members.items():
            z.writestr(name, data)
    return buffer.getvalue()


def _docx_bytes(body_xml: str) -> bytes:
    folder = Path(os.environ.get("TMPDIR", "/tmp"))
    path = folder / f"claimdesk-corpus-{os.getpid()}.docx"
    try:
        _write_docx(path, body_xml)
        return path.read_bytes()
    finally:
        path.unlink(missing_ok=True)


def _with_member(docx: bytes, name: str, data: bytes) -> bytes:
    """docx with one more member, named as a hostile archive might ("../../evil.txt")."""
    with zipfile.ZipFile(io.BytesIO(docx)) as source:
        members = {n: source.read(n) for n in source.namelist()}
    return _zip({**members, name: data})


def _html(body: str, head: str = "<title>Troops on the border</title>") -> bytes:
    return f"<html><head>{head}</head><body>{body}</body></html>".encode()


_P = "".join(f"<p>{line}</p>" for line in ARTICLE.split("\n") if line)


def small_files() -> list[tuple[str, bytes]]:
    """Small hostile files; each must import or be refused in one line, quickly."""
    text = ARTICLE
    return [
        ("empty.txt", b""),
        ("blank.txt", b"  \n\t\n  "),
        ("nuls.txt", b"\0" * 4096),
        ("random.txt", bytes((i * 7919 + 13) % 256 for i in range(20_000))),
        ("only_bom.txt", codecs.BOM_UTF8),
        ("bom_then_invalid.txt", codecs.BOM_UTF8 + b"\xff\xfe\xfd text"),
        ("utf16le_nobom.txt", text.encode("utf-16-le")),
        ("utf16be_nobom.txt", text.encode("utf-16-be")),
        ("utf16_bom.txt", text.encode("utf-16")),
        ("utf16_odd.txt", codecs.BOM_UTF16_LE + text.encode("utf-16-le") + b"\x00"),
        ("utf32le_bom.txt", utf32_le_bom()),
        ("utf32be_bom.txt", utf32_be_bom()),
        ("utf32_broken.txt", codecs.BOM_UTF32_LE + b"\xff\xff\xff\xff" * 8),
        ("cp1251.txt", "Более 3 000 российских военных находятся на двух базах в Армении.".encode("cp1251")),
        ("koi8.txt", "Более 3 000 российских военных находятся на двух базах в Армении.".encode("koi8_r")),
        ("latin1.txt", "Le ministère a confirmé que 3 000 soldats étaient déployés en 2002.".encode("latin-1")),
        ("mixed.txt", mixed_utf8_cp1251()),
        ("escapes.txt", terminal_escapes()),
        ("osc_title.txt", b"\x1b]2;owned\x07" + text.encode()),
        ("c1_controls.txt", ("\u009b31m" + text + "\u0085\u0090x").encode()),
        ("bidi.txt", ("\u202eTroops\u202c on the border\n\n" + text).encode()),
        ("zero_width.txt", ("\u200b" * 5000 + text).encode()),
        ("cr_only.txt", text.replace("\n", "\r").encode()),
        ("crlf.txt", text.replace("\n", "\r\n").encode()),
        ("line_separators.txt", text.replace("\n", "\u2028").encode()),
        ("form_feeds.txt", text.replace("\n", "\f").encode()),
        ("long_word.txt", ("x" * 200_000 + "\n\n" + text).encode()),
        ("long_title.txt", ("Title " * 50_000 + "\n\n" + text).encode()),
        ("no_letters.txt", ("3 000 " * 5000).encode()),
        ("one_word.txt", b"Troops"),
        ("decomposed.txt", "Le ministe\u0300re a confirme\u0301 3 000 soldats en 2002 a\u0300 Erevan.".encode()),
        ("md_front_matter.md", ("---\ntitle: x\n---\n# Troops\n\n" + text).encode()),
        ("empty.html", b""),
        ("no_body.html", b"<html><head><title>Nothing</title></head></html>"),
        ("scripts_only.html", _html("<script>alert(1)</script><style>p{}</style>")),
        ("menu_only.html", _html("<nav><a href='/'>Home</a> <a href='/about'>About us</a></nav>")),
        ("plain.html", _html(_P)),
        ("unclosed.html", b"<html><body><div><p>" + text.encode() + b"<div><span><b><i>"),
        ("nested_1000.html", _html("<div>" * 1000 + _P + "</div>" * 1000)),
        ("nested_unclosed.html", _html("<span>" * 20_000 + _P)),
        ("comment_first.html", b"<!-- saved -->\n<?xml version='1.0' encoding='utf-8'?>\n" + _html(_P)),
        ("charset_lie.html", _html(_P, '<meta charset="windows-1251"><title>Border</title>')),
        ("utf16.html", "\ufeff".encode("utf-16-le") + _html(_P).decode().encode("utf-16-le")),
        ("utf32.html", codecs.BOM_UTF32_LE + _html(_P).decode().encode("utf-32-le")),
        ("entities.html", _html("<p>" + "&amp;" * 10_000 + "</p>" + _P)),
        ("bad_entities.html", _html("<p>&#0; &#xD800; &#1114112; &bogus;</p>" + _P)),
        ("cdata.html", _html("<![CDATA[" + "x" * 1000 + "]]>" + _P)),
        ("binary.html", b"\x89PNG\r\n\x1a\n" + bytes(2000)),
        ("escapes.html", _html("<p>\x1b[31mred\x07</p>" + _P, "<title>\x1b]0;pwned\x07Border</title>")),
        ("not_a_zip.docx", b"this is not a zip file at all"),
        ("empty_zip.docx", _zip({})),
        ("no_document.docx", _zip({"[Content_Types].xml": b"<Types/>"})),
        ("broken_xml.docx", _zip({"[Content_Types].xml": b"<Types/>", "word/document.xml": b"<w:document"})),
        ("old_doc.docx", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(1000)),
        ("encrypted.docx", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + "EncryptedPackage".encode("utf-16-le")),
        ("bomb.docx", _zip({"[Content_Types].xml": b"<Types/>", "word/document.xml": b"\0" * (50 * MB)})),
        ("empty_body.docx", _docx_bytes("")),
        ("table.docx", _docx_bytes("<w:tbl>" + "<w:tr><w:tc><w:p><w:r><w:t>3 000 troops</w:t></w:r></w:p></w:tc></w:tr>" * 50 + "</w:tbl>")),
        ("text.docx", _docx_bytes("".join(f"<w:p><w:r><w:t>{line}</w:t></w:r></w:p>" for line in text.split("\n")))),
        ("no_extension", text.encode()),
        ("image.png", b"\x89PNG\r\n\x1a\n"),
        # Other encodings and broken UTF-8
        ("gb18030.txt", "俄罗斯在亚美尼亚的两个基地驻有3000多名军人。".encode("gb18030")),
        ("shift_jis.txt", "アルメニアの二つの基地に3000人以上のロシア兵が駐留している。".encode("shift_jis")),
        ("greek.txt", "Περισσότεροι από 3 000 Ρώσοι στρατιώτες σταθμεύουν σε δύο βάσεις.".encode("iso-8859-7")),
        ("cp1252_quotes.txt", ("\u201cMore than 3,000\u201d troops \u2013 said the ministry\u2019s report.\n\n" + text).encode("cp1252")),
        ("overlong_utf8.txt", b"\xc0\xaf\xe0\x80\xaf" + text.encode()),
        ("surrogates_utf8.txt", b"\xed\xa0\x80\xed\xb0\x80" + text.encode()),
        ("utf7.txt", text.encode("utf-7")),
        ("zalgo.txt", ("T\u0336\u0337\u0338" * 2000 + "\n\n" + text).encode()),
        ("emoji_line.txt", ("\U0001f680" * 50_000 + "\n\n" + text).encode()),
        ("blank_lines.txt", ("\n" * 100_000 + text).encode()),
        ("tabs_only.txt", b"\t" * 10_000),
        ("nul_inside.txt", (text[:100] + "\0" + text[100:]).encode()),
        ("huge_heading.md", ("#" * 10_000 + " Troops\n\n" + text).encode()),
        # Markup that reaches for what it should not
        ("xxe.html", b'<?xml version="1.0"?><!DOCTYPE html [<!ENTITY x SYSTEM "file:///etc/passwd">]>'
         + _html("<p>&x;</p>" + _P)),
        ("billion_laughs.html", b'<?xml version="1.0"?><!DOCTYPE l [<!ENTITY a "aaaaaaaaaa">'
         + b"".join(f'<!ENTITY {chr(98 + i)} "{("&" + chr(97 + i) + ";") * 10}">'.encode() for i in range(8))
         + b"]>" + _html("<p>&i;</p>" + _P)),
        ("iframe_only.html", _html('<iframe src="https://example.org/"></iframe>')),
        ("meta_refresh.html", _html(_P, '<meta http-equiv="refresh" content="0;url=javascript:alert(1)"><title>B</title>')),
        ("svg_only.html", _html('<svg><script>alert(1)</script><text>3 000 troops</text></svg>')),
        ("xxe.docx", _zip({"[Content_Types].xml": b"<Types/>", "word/document.xml":
                           b'<?xml version="1.0"?><!DOCTYPE d [<!ENTITY x SYSTEM "file:///etc/passwd">]>'
                           b'<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">'
                           b"<w:body><w:p><w:r><w:t>&x; 3 000 troops</w:t></w:r></w:p></w:body></w:document>"})),
        ("zip_traversal.docx", _with_member(_docx_bytes("<w:p><w:r><w:t>3 000 troops are at two bases.</w:t></w:r></w:p>"),
                                            "../../evil.txt", b"owned")),
        ("pdf_as.docx", b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<<>>\nendobj\n%%EOF"),
    ]
