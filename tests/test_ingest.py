"""Files in: what becomes an article, and the one line a bad file gets."""

from __future__ import annotations

import io
import re
import struct
import subprocess
import sys
import time
import zipfile
from collections.abc import Callable
from pathlib import Path

import pytest
from conftest import ROOT, SAMPLE

from app.domain.segments import Segment, SegmentKind, segment_at
from app.ingest import MAX_BYTES, ImportedText, IngestError, analyse, decode, from_pasted, read_file, read_source


def test_the_sample_is_read_as_is() -> None:
    imported = read_file(SAMPLE)
    assert imported.text == SAMPLE.read_text("utf-8").strip("\n")
    assert imported.title.startswith("New clash between Azerbaijan and Armenia")


def test_windows_line_endings_and_a_bom_are_normalised(tmp_path: Path) -> None:
    f = tmp_path / "a.txt"
    f.write_bytes(b"\xef\xbb\xbfTitle\r\n\r\nBody with 3 000 men.\r\n")
    assert read_file(f).text == "Title\n\nBody with 3 000 men."


def test_utf16_and_latin1_are_decoded(tmp_path: Path) -> None:
    f = tmp_path / "u16.txt"
    f.write_bytes("Привет, 75 % мира".encode("utf-16"))
    assert read_file(f).text == "Привет, 75 % mira".replace("mira", "мира")
    g = tmp_path / "latin.txt"
    g.write_bytes("Le président a signé la Convention de 1997 à Ottawa, déclaré-t-il.".encode("latin-1"))
    assert "président" in read_file(g).text


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("empty.txt", b"", "empty.txt is empty."),
        ("blank.md", b"  \n\n \t\n", "blank.md is empty."),
        ("image.txt", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)), "image.txt looks like a binary file, not text."),
        ("noise.txt", bytes(range(128, 256)) * 40, "noise.txt is not valid UTF-8 and its encoding could not be recognised."),
        ("report.pdf", b"%PDF-1.7", "report.pdf: Claimdesk imports .txt, .md, .html and .docx files, not .pdf."),
        ("page.html", b"<html><head><script>var a=1;</script></head><body><nav>Home</nav></body></html>",
         "page.html: no article text found in this page."),
    ],
)
def test_bad_files_get_one_clear_line(tmp_path: Path, name: str, content: bytes, message: str) -> None:
    f = tmp_path / name
    f.write_bytes(content)
    with pytest.raises(IngestError) as error:
        read_file(f)
    assert str(error.value) == message


def test_a_file_over_20_mb_is_refused_before_it_is_read(tmp_path: Path) -> None:
    f = tmp_path / "huge.txt"
    with f.open("wb") as out:
        out.truncate(MAX_BYTES + 1)
    with pytest.raises(IngestError, match="huge.txt is 20 MB; the limit is 20 MB"):
        read_file(f)


def test_a_missing_file_and_a_folder(tmp_path: Path) -> None:
    with pytest.raises(IngestError, match="no such file"):
        read_file(tmp_path / "nope.txt")
    (tmp_path / "dir.txt").mkdir()
    with pytest.raises(IngestError, match="is a folder"):
        read_file(tmp_path / "dir.txt")


def test_a_saved_news_page_keeps_the_article_and_its_metadata(tmp_path: Path) -> None:
    page = tmp_path / "page.html"
    body = " ".join(
        f"<p>Paragraph {i}: the ministry said 1,200 troops were moved on 4 March 2024, a rise of 15%.</p>"
        for i in range(6)
    )
    page.write_text(
        "<html><head><title>Troops moved | Daily Post</title>"
        '<meta property="og:site_name" content="Daily Post">'
        '<meta name="author" content="Jane Roe">'
        '<meta property="article:published_time" content="2024-03-05T08:00:00Z">'
        '<link rel="canonical" href="https://dailypost.example/troops">'
        "<script>track()</script></head><body><nav><a href='/'>Home</a> <a href='/w'>World</a></nav>"
        f"<article><h1>Troops moved</h1>{body}</article><footer>© Daily Post</footer></body></html>",
        "utf-8",
    )
    imported = read_file(page)
    assert "1,200 troops" in imported.text
    assert "track()" not in imported.text and "Home" not in imported.text.split("\n")[0]
    assert imported.author == "Jane Roe"
    assert imported.outlet == "Daily Post"
    assert imported.published is not None and imported.published.isoformat() == "2024-03-05"


def test_pasted_text_needs_some_text() -> None:
    with pytest.raises(IngestError, match="no text"):
        from_pasted("   \n")
    assert from_pasted("Line one\r\nline two").text == "Line one\nline two"


# --- Encodings ---------------------------------------------------------------------------------

DATA = Path(__file__).parent / "data" / "ingest"


def test_a_cp1251_russian_note_comes_out_right() -> None:
    imported = read_file(DATA / "cp1251_note.txt")
    assert imported.title == "Тариф на воду вырастет на 8 %"
    assert "четверть которых уложена до 1960 года" in imported.text
    assert "\r" not in imported.text
    assert imported.text == (DATA / "cp1251_note.txt").read_bytes().decode("cp1251").replace("\r\n", "\n").strip("\n")


@pytest.mark.parametrize(
    "text",
    [
        # charset-normalizer alone reads these as cp1125, Shift-JIS, mac_cyrillic and big5
        "Привет, мир",
        "Как дела?",
        "Быков Р.\nРоссию бессмысленно брать на понт и устраивать какие-либо проверки.",
        "ОДКБ",
        "Київ — столиця України. Це велике місто.",
    ],
)
def test_short_cp1251_texts_are_not_taken_for_other_code_pages(text: str) -> None:
    assert decode(text.encode("cp1251"), "note.txt") == text


@pytest.mark.parametrize(
    "text",
    [
        "Le président a signé la Convention de 1997 à Ottawa, déclaré-t-il.",  # cp1250 would give "ŕ"
        "Ça va très bien, merci! Où est l'hôtel?",
        "Señor Núñez — «hola»",
        "Müller über Straße",
    ],
)
def test_latin1_and_cp1252_texts_keep_their_accents(text: str) -> None:
    assert decode(text.encode("cp1252"), "note.txt") == text


def test_utf16_without_a_bom_is_recognised() -> None:
    text = "The ministry said 1,200 troops were moved on 4 March."
    assert decode(text.encode("utf-16-le"), "a.txt") == text
    assert decode(text.encode("utf-16-be"), "a.txt") == text


def test_every_line_break_becomes_a_newline_and_text_is_nfc() -> None:
    pasted = from_pasted("Le pre\u0301sident\u2028a sign\u00e9\r\rla loi\x0c2024")
    assert pasted.text == "Le président\na signé\n\nla loi\n2024"


def test_an_empty_clipboard_says_so() -> None:
    with pytest.raises(IngestError) as error:
        from_pasted(" \r\n\t")
    assert str(error.value) == "The clipboard holds no text to import."


# --- Segments: the sample ----------------------------------------------------------------------


def _check_cover(text: str, segments: tuple[Segment, ...]) -> None:
    """Sorted, trimmed, non-overlapping, and every non-blank character in exactly one segment."""
    assert segments
    position = 0
    for s in segments:
        assert position <= s.start < s.end <= len(text)
        assert text[position : s.start].strip() == ""
        assert text[s.start : s.end] == text[s.start : s.end].strip()
        assert s.kind in set(SegmentKind)
        position = s.end
    assert text[position:].strip() == ""


@pytest.fixture(scope="module")
def sample() -> ImportedText:
    return read_file(SAMPLE)


def _at(imported: ImportedText, start: str) -> Segment:
    """The segment whose text starts with `start`."""
    found = [s for s in imported.segments if imported.text[s.start : s.end].startswith(start)]
    assert len(found) == 1, (start, found)
    return found[0]


def test_the_sample_segments_cover_its_text(sample: ImportedText) -> None:
    _check_cover(sample.text, sample.segments)
    first = sample.segments[0]
    assert (first.kind, sample.text[first.start : first.end]) == (SegmentKind.TITLE, sample.title)


def test_interview_turns_carry_their_speaker(sample: ImportedText) -> None:
    expected = {
        "Atlantic : Many bombardments": "Atlantic",
        "Emmanuel Dupuy : This offensive": "Emmanuel Dupuy",
        "Russia's security deal": "Atlantic",  # no prefix, but a question: the interviewer
        "Firstly, there is a bilateral": "Emmanuel Dupuy",  # the answer goes on
        "Secondly, a good part": "Emmanuel Dupuy",
        "Can we see in this action": "Atlantic",
        "It is a test to know": "Emmanuel Dupuy",
        "If Russia does not react": "Atlantic",
        "Non. This is a minor case": "Emmanuel Dupuy",
        "Cela peut-il inciter": "Atlantic",
        "Le troisième pays du Caucase": "Emmanuel Dupuy",
        "Finally, the resurgence": "Emmanuel Dupuy",
    }
    for start, speaker in expected.items():
        segment = _at(sample, start)
        assert (segment.kind, segment.speaker) == (SegmentKind.TURN, speaker), start
    turns = [s for s in sample.segments if s.kind is SegmentKind.TURN]
    assert {s.speaker for s in turns} == {"Atlantic", "Emmanuel Dupuy"}
    assert not [s for s in sample.segments if s.kind is SegmentKind.BODY]


def test_the_comment_section_and_its_furniture_are_recognised(sample: ImportedText) -> None:
    for line in (
        "Notify of", "Newest Most Voted", "Inline Feedbacks", "View all comments",
        "A password has not been entered", "Password generation", "Would love your thoughts, please comment.x",
    ):
        assert _at(sample, line).kind is SegmentKind.FURNITURE, line
    comments = [s for s in sample.segments if s.kind is SegmentKind.COMMENT]
    assert [sample.text[c.start : c.end][:25] for c in comments] == ["We need to get rid of Pas", "Россию бессмысленно брать"]
    assert (comments[0].author, comments[0].date) == (None, "1 year ago")
    assert (comments[1].author, comments[1].date) == ("Быков Р.", "1 year ago")
    author_lines = [s for s in sample.segments if sample.text[s.start : s.end] == "Быков Р."]
    assert [(s.kind, s.author) for s in author_lines] == [(SegmentKind.FURNITURE, "Быков Р.")] * 2
    notify = _at(sample, "Notify of").start
    assert all(s.kind in (SegmentKind.COMMENT, SegmentKind.FURNITURE) for s in sample.segments if s.start >= notify)
    assert all(s.kind is not SegmentKind.COMMENT for s in sample.segments if s.start < notify)


def test_languages_of_the_sample(sample: ImportedText) -> None:
    english = ("Atlantic : Many", "Emmanuel Dupuy : This", "Firstly, there", "Can we see", "Non. This is a minor case",
               "As for Turkey", "Finally, the resurgence", "We need to get rid of Pashinyan")
    for start in english:
        assert _at(sample, start).lang == "en", start
    # The answer switches to French mid-paragraph; the French sentences are a segment of their own.
    for start in ("Les autres acteurs internationaux", "Cela peut-il inciter", "Le troisième pays du Caucase"):
        assert _at(sample, start).lang == "fr", start
    assert _at(sample, "Les autres acteurs").speaker == "Emmanuel Dupuy"
    assert _at(sample, "Россию бессмысленно").lang == "ru"
    for start in ("Notify of", "1 year ago", "Быков Р.", "Password generation"):
        assert all(s.lang is None for s in sample.segments if sample.text[s.start : s.end].startswith(start)), start


def test_structure_is_fast_and_pure(sample: ImportedText) -> None:
    assert analyse(sample.text) == sample.segments  # the same from the stored text alone
    best = min(_timed(lambda: analyse(sample.text, lang=False)) for _ in range(20))
    assert best < 0.005, f"{best * 1000:.2f} ms"


def _timed(work: Callable[[], object]) -> float:
    start = time.perf_counter()
    work()
    return time.perf_counter() - start


def test_segment_at_finds_the_segment_under_an_offset(sample: ImportedText) -> None:
    turn = _at(sample, "Cela peut-il")
    assert segment_at(sample.segments, turn.start) == turn
    assert segment_at(sample.segments, turn.end - 1) == turn
    assert segment_at(sample.segments, turn.end) is None  # the blank line after it
    assert segment_at(sample.segments, -1) is None


# --- Segments: other shapes of text ------------------------------------------------------------

BODY = (
    "The port authority said on Monday that the new terminal doubles the harbour's capacity to 2.4 "
    "million containers a year, and that construction cost 310 million euros over four years."
)


def _kinds(text: str) -> list[tuple[str, str, str | None, str | None, str | None]]:
    segments = analyse(text, lang=False)
    _check_cover(text, segments)
    return [(str(s.kind), text[s.start : s.end], s.speaker, s.author, s.date) for s in segments]


def test_a_wordpress_comment_thread_in_plain_text() -> None:
    text = "\n".join([
        "Harbour expansion doubles capacity", "", BODY, "",
        "3 thoughts on “Harbour expansion doubles capacity”",
        "Marta Kowalski says:", "March 12, 2024 at 9:12 am",
        "The old terminal handled 1.2 million containers, so that is about right.",
        "Reply",
        "jdoe • 2 days ago",
        "Nobody mentions that the study was paid for by the port.",
        "And the dredging was never put out to tender.",
        "Leave a Reply",
        "Your email address will not be published. Required fields are marked *",
    ])
    kinds = _kinds(text)
    assert kinds[:2] == [("title", "Harbour expansion doubles capacity", None, None, None), ("body", BODY, None, None, None)]
    comments = [k for k in kinds if k[0] == "comment"]
    assert [(c[3], c[4]) for c in comments] == [
        ("Marta Kowalski", "March 12, 2024 at 9:12 am"), ("jdoe", "2 days ago"), ("jdoe", "2 days ago"),
    ]
    assert {k[1] for k in kinds if k[0] == "furniture"} >= {"Reply", "Leave a Reply", "Marta Kowalski says:"}


def test_a_russian_comment_section() -> None:
    text = "\n".join([
        "Тариф на воду вырастет на 8 %", "",
        "Городской совет в понедельник одобрил повышение тарифа на питьевую воду с 1 января. По словам "
        "заместителя мэра, деньги пойдут на замену 140 километров труб, четверть которых уложена до 1960 года.",
        "", "Комментарии (2)", "", "Иван Петров", "2 дня назад", "Опять платить будем мы.", "Ответить",
        "Анна К.", "вчера в 18:40", "В соседнем городе тариф подняли на 12 %.",
    ])
    comments = [k for k in _kinds(text) if k[0] == "comment"]
    assert [(c[1], c[3], c[4]) for c in comments] == [
        ("Опять платить будем мы.", "Иван Петров", "2 дня назад"),
        ("В соседнем городе тариф подняли на 12 %.", "Анна К.", "вчера в 18:40"),
    ]


@pytest.mark.parametrize(
    "line",
    ["1 year ago", "2 года назад", "il y a 2 jours", "vor 3 Tagen", "hace 5 horas", "3 giorni fa", "2 gün önce",
     "March 12, 2024 at 9:12 am", "12 марта 2024 г.", "18 septembre 2023 à 10 h 15", "2024-03-12", "yesterday"],
)
def test_comment_dates_in_many_languages(line: str) -> None:
    text = f"Title of the piece\n\n{BODY}\n\nComments\n\nJane Roe\n{line}\nA comment that says something about it."
    comment = [k for k in _kinds(text) if k[0] == "comment"]
    assert [(c[3], c[4]) for c in comment] == [("Jane Roe", line)]


def test_one_name_before_a_colon_is_not_an_interview() -> None:
    text = f"Firstly: the terminal opened on Monday.\n\n{BODY}\n\nUpdate: the ministry replied.\n\nNote: figures are rounded."
    assert {k[0] for k in _kinds(text)} == {"body"}


def test_a_markdown_interview_with_bold_names() -> None:
    text = "\n\n".join([
        "# Entretien avec la maire", "**Le Carnet :** Pourquoi augmenter le prix de l'eau de 8 % ?",
        "**Anne Moreau :** Parce qu'un quart des 1 400 kilomètres de canalisations date d'avant 1960.",
        "Nous perdons 21 % de l'eau produite en fuites.",
        "L'opposition parle d'un excédent de 4,2 millions d'euros. Était-il nécessaire d'augmenter ?",
        "Cet excédent est déjà affecté aux travaux de 2024.",
    ])
    kinds = _kinds(text)
    assert kinds[0][:2] == ("title", "# Entretien avec la maire")
    assert [k[2] for k in kinds[1:]] == ["Le Carnet", "Anne Moreau", "Anne Moreau", "Le Carnet", "Anne Moreau"]


def test_a_comment_count_above_the_article_does_not_open_the_comments() -> None:
    text = f"Harbour expansion doubles capacity\nBy Lena Marsh\n12 comments\n{BODY}\n{BODY}"
    kinds = _kinds(text)
    assert [k[0] for k in kinds] == ["title", "furniture", "furniture", "body", "body"]
    assert kinds[1][3] == "Lena Marsh"


def test_a_hard_wrapped_pdf_paste_is_read_as_paragraphs() -> None:
    imported = read_file(DATA / "pdf_paste.txt")
    _check_cover(imported.text, imported.segments)
    kinds = [(str(s.kind), imported.text[s.start : s.end][:30]) for s in imported.segments]
    assert kinds == [
        ("title", "Water tariffs: what the counci"),
        ("body", "The city council approved on M"),
        ("body", "The deputy mayor said the mone"),
        ("furniture", "– 2 –"),
        ("body", "The opposition voted against. "),
    ]


def test_wire_copy_credits_and_plain_news_stay_body() -> None:
    text = (ROOT / "tests" / "data" / "wire_report.txt").read_text("utf-8")
    kinds = _kinds(text)
    assert kinds[0][0] == "title"
    assert [k[0] for k in kinds[1:-1]] == ["body"] * (len(kinds) - 2)
    assert kinds[-1][:2] == ("furniture", "(Reporting by Sofie Maes; Editing by Paul Hart)")


# --- HTML ----------------------------------------------------------------------------------------


def test_a_saved_news_page_with_menus_scripts_and_comments() -> None:
    imported = read_file(DATA / "news_page.html")
    assert imported.title == "Harbour expansion doubles container capacity, port authority says"
    assert imported.author == "Lena Marsh"
    assert imported.outlet == "The Coastal Herald"
    assert imported.published is not None and imported.published.isoformat() == "2024-03-12"
    assert imported.source_url == "https://coastalherald.example/news/2024/03/harbour-expansion"
    text = imported.text
    assert text.startswith(imported.title + "\n")
    for junk in ("dataLayer", "cookies", "Skip to content", "Share on", "Ferry fares", "All rights reserved",
                 "Subscribe", "Advertisement", "Your email address"):
        assert junk not in text, junk
    _check_cover(text, imported.segments)
    comments = [s for s in imported.segments if s.kind is SegmentKind.COMMENT]
    assert [(c.author, c.date, c.lang) for c in comments] == [
        ("Marta Kowalski", "March 12, 2024 at 9:12 am", "en"),
        ("harbourwatcher", "March 12, 2024 at 11:40 am", "en"),
        ("Jean-Paul Ferrand", "March 13, 2024 at 8:05 am", "fr"),
    ]
    assert text[comments[0].start : comments[0].end].startswith("The old terminal handled 1.2 million")
    article = [s for s in imported.segments if s.kind.is_article]
    assert text[article[-1].start : article[-1].end].startswith("A study by the regional university")
    assert analyse(text, title=imported.title) == imported.segments  # the stored text says it all


def test_a_wpdiscuz_page_gives_authors_dates_and_languages_of_comments() -> None:
    imported = read_file(DATA / "blog_wpdiscuz.html")
    assert (imported.outlet, imported.author) == ("Le Carnet du Bassin", "Claire Vasseur")
    assert imported.title == "Prix de l'eau : la métropole annonce une hausse de 8 %"
    comments = [s for s in imported.segments if s.kind is SegmentKind.COMMENT]
    assert [(c.author, c.date, c.lang) for c in comments] == [
        ("Ольга Смирнова", "2 года назад", "ru"),
        ("Ольга Смирнова", "2 года назад", "ru"),  # her second paragraph
        ("Marc D.", "il y a 2 ans", "fr"),
        ("Guest", "1 year ago", "en"),
    ]
    assert {s.lang for s in imported.segments if s.kind.is_article} == {"fr"}
    for widget in ("Notify of", "Post Comment", "Newest", "Password generation"):
        assert widget not in imported.text


def test_a_cp1251_page_is_decoded_by_its_meta_charset(tmp_path: Path) -> None:
    page = tmp_path / "ru.html"
    paragraph = "<p>Городской совет в понедельник одобрил повышение тарифа на питьевую воду на 8 % с 1 января.</p>"
    page.write_bytes(
        ('<html><head><meta charset="windows-1251"><title>Тариф на воду</title></head><body><article>'
         f"<h1>Тариф на воду</h1>{paragraph * 3}</article></body></html>").encode("cp1251")
    )
    imported = read_file(page)
    assert imported.title == "Тариф на воду"
    assert "одобрил повышение тарифа" in imported.text
    assert {s.lang for s in imported.segments if s.kind is SegmentKind.BODY} == {"ru"}


# --- .docx ---------------------------------------------------------------------------------------


def _docx(core_title: str = "") -> bytes:
    import docx

    document = docx.Document()
    document.core_properties.title = core_title
    document.add_heading("Interview: the mayor on water prices", level=1)
    document.add_paragraph("Le Carnet : Why raise the price of water by 8 percent now?")
    document.add_paragraph("Anne Moreau : Because a quarter of our 1,400 kilometres of pipes were laid before 1960.")
    document.add_paragraph("We lose 21 percent of the water we produce in leaks.")
    table = document.add_table(rows=3, cols=3)
    for r, row in enumerate([("Year", "Price per m³", "Change"), ("2017", "3.10 €", "+4 %"), ("2024", "3.35 €", "+8 %")]):
        for c, value in enumerate(row):
            table.cell(r, c).text = value
    document.add_paragraph("")
    document.add_paragraph("Interview by Claire Vasseur.")
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def test_a_docx_gives_paragraphs_tables_and_the_heading_as_title(tmp_path: Path) -> None:
    f = tmp_path / "interview.docx"
    f.write_bytes(_docx())
    imported = read_file(f)
    assert imported.title == "Interview: the mayor on water prices"
    assert imported.text.split("\n\n") == [
        "Interview: the mayor on water prices",
        "Le Carnet : Why raise the price of water by 8 percent now?",
        "Anne Moreau : Because a quarter of our 1,400 kilometres of pipes were laid before 1960.",
        "We lose 21 percent of the water we produce in leaks.",
        "Year | Price per m³ | Change\n2017 | 3.10 € | +4 %\n2024 | 3.35 € | +8 %",
        "Interview by Claire Vasseur.",
    ]
    _check_cover(imported.text, imported.segments)
    assert [s.speaker for s in imported.segments if s.kind is SegmentKind.TURN][:3] == [
        "Le Carnet", "Anne Moreau", "Anne Moreau",
    ]


def test_a_docx_title_comes_from_its_properties_first(tmp_path: Path) -> None:
    f = tmp_path / "interview.docx"
    f.write_bytes(_docx(core_title="Water prices: the mayor answers"))
    assert read_file(f).title == "Water prices: the mayor answers"


def _zip(members: dict[str, bytes]) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return out.getvalue()


def _declare(data: bytes, member: str, size: int) -> bytes:
    """The zip with `member`'s uncompressed size in the central directory set to `size` (a lie)."""
    out = bytearray(data)
    at = out.find(b"PK\x01\x02")
    while at != -1:
        name_length = struct.unpack_from("<H", out, at + 28)[0]
        if out[at + 46 : at + 46 + name_length] == member.encode():
            struct.pack_into("<I", out, at + 24, size)
        at = out.find(b"PK\x01\x02", at + 4)
    return bytes(out)


def _corrupt(data: bytes, member: str) -> bytes:
    info = zipfile.ZipFile(io.BytesIO(data)).getinfo(member)
    at = info.header_offset + 30 + len(info.filename.encode()) + len(info.extra) + 20
    out = bytearray(data)
    for i in range(at, at + 10):
        out[i] ^= 0xFF
    return bytes(out)


_OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(504)
_PARTS = {"[Content_Types].xml": b"<Types/>", "word/document.xml": b"<w:document/>"}


@pytest.mark.parametrize(
    ("make", "message"),
    [
        (lambda: _OLE + "EncryptionInfo".encode("utf-16-le") + bytes(50) + "EncryptedPackage".encode("utf-16-le"),
         "x.docx is password-protected; remove the password in Word and import it again."),
        (lambda: _OLE + "WordDocument".encode("utf-16-le") + bytes(100),
         "x.docx is an old-style Word document (.doc); save it as .docx and import it again."),
        (lambda: _docx()[:3000], "x.docx is damaged: it is not a readable .docx (zip) file."),
        (lambda: b"Just some text that was renamed to .docx", "x.docx is damaged: it is not a readable .docx (zip) file."),
        (lambda: _zip({"hello.txt": b"hello", "photo.jpg": b"\xff\xd8"}), "x.docx is a zip archive but not a Word document."),
        (lambda: _zip({**_PARTS, "word/document.xml": bytes(20 * 1024 * 1024)}),
         "x.docx compresses NNN:1 (limit 100:1); it looks like a zip bomb, so it is refused."),  # NNN: zlib's
        (lambda: _declare(_zip(_PARTS), "word/document.xml", 200 * 1024 * 1024),
         "x.docx would unpack to 200 MB (limit 100 MB); it looks like a zip bomb, so it is refused."),
        (lambda: _zip({**{n: _zip_read(_docx(), n) for n in _names(_docx())}, "word/document.xml": b"<w:document><unclosed"}),
         "x.docx is damaged: Word's document inside it cannot be read."),
        (lambda: _corrupt(_docx(), "word/document.xml"), "x.docx is damaged: Word's document inside it cannot be read."),
    ],
    ids=["encrypted", "old-doc", "truncated", "not-a-zip", "other-zip", "bomb-ratio", "bomb-declared", "bad-xml", "bad-data"],
)
def test_bad_docx_files_get_one_clear_line(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, make: Callable[[], bytes], message: str
) -> None:
    data = make()
    if "bomb" in message:
        import docx

        def never(*_: object) -> None:
            raise AssertionError("a zip bomb must be refused before python-docx unzips anything")

        monkeypatch.setattr(docx, "Document", never)
    f = tmp_path / "x.docx"
    f.write_bytes(data)
    with pytest.raises(IngestError) as error:
        read_file(f)
    assert re.fullmatch(re.escape(message).replace("NNN", r"\d{4}"), str(error.value)), str(error.value)


def _names(data: bytes) -> list[str]:
    return zipfile.ZipFile(io.BytesIO(data)).namelist()


def _zip_read(data: bytes, name: str) -> bytes:
    return zipfile.ZipFile(io.BytesIO(data)).read(name)


# --- Entry points ---------------------------------------------------------------------------------


def test_read_source_takes_paths_and_refuses_links_it_must_not_open(tmp_path: Path) -> None:
    assert read_source(DATA / "cp1251_note.txt").title == "Тариф на воду вырастет на 8 %"
    assert read_source(str(DATA / "cp1251_note.txt")).title == "Тариф на воду вырастет на 8 %"
    for link, message in [
        ("file:///etc/passwd", "file:///etc/passwd: Claimdesk opens only http and https links, not file: links."),
        ("javascript:alert(1)", "javascript:alert(1): Claimdesk opens only http and https links, not javascript: links."),
        ("ftp://ftp.example.org/a.txt", "ftp://ftp.example.org/a.txt: Claimdesk opens only http and https links, not ftp: links."),
        ("lemonde.fr/article", "lemonde.fr/article: a link must start with http:// or https://."),
    ]:
        with pytest.raises(IngestError) as error:
            read_source(link)
        assert str(error.value) == message
    with pytest.raises(IngestError, match="no such file"):
        read_source("C:\\notes.txt")  # a drive letter is not a scheme


def test_importing_app_ingest_loads_none_of_the_heavy_libraries() -> None:
    heavy = ("lingua", "trafilatura", "docx", "charset_normalizer", "lxml", "urllib.request")
    code = f"import sys, app.ingest; print([m for m in {heavy!r} if m in sys.modules])"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=ROOT).stdout
    assert out.strip() == "[]"


def test_run_in_headings_of_a_report_are_not_speakers() -> None:
    text = "\n\n".join([
        "Economic note: growth slows, jobs hold up",
        "Growth: the economy grew by 0.3% in the third quarter, after 0.2% in the second.",
        "Inflation: consumer prices rose 1.2% over the year to October, against 4.9% a year earlier.",
        "Employment: the private sector created 34,000 jobs; unemployment stands at 7.4%.",
    ])
    assert [k[0] for k in _kinds(text)] == ["title", "body", "body", "body"]


def test_a_disqus_like_thread_with_inline_dates_and_widget_rows() -> None:
    text = "\n".join([
        "Harbour expansion doubles capacity", "", BODY, "",
        "12 Comments", "Sort by Best",
        "John Smith • 2 years ago", "This is wrong. The old terminal already handled 1.2 million containers.",
        "△ ▽ Reply", "Share ›",
        "Maria Lopez · 3y", "Agreed, and the jobs figure is also inflated.", "Like · Reply · 3y",
        "Load more comments", "Also on Coastal Herald",
    ])
    kinds = _kinds(text)
    comments = [(k[3], k[4]) for k in kinds if k[0] == "comment"]
    assert comments == [("John Smith", "2 years ago"), ("Maria Lopez", "3y")]
    widgets = {k[1] for k in kinds if k[0] == "furniture"}
    assert widgets >= {"△ ▽ Reply", "Share ›", "Like · Reply · 3y", "Load more comments", "Also on Coastal Herald"}


@pytest.mark.parametrize(
    "sentence",
    [
        "Please comment on the proposal by Friday, the ministry said.",
        "Reply to the letter was sent on Monday.",
        "Copyright law changed in 2019.",
        "Reporting by the BBC revealed the deal.",
        "Share prices fell 4% on Tuesday.",
        "More from the ministry is expected later.",
    ],
)
def test_a_sentence_with_widget_words_stays_article(sentence: str) -> None:
    text = f"Harbour expansion doubles capacity\n\n{BODY}\n\n{sentence}"
    assert _kinds(text)[-1][:2] == ("body", sentence)


def test_a_markdown_file_keeps_its_markup_and_gets_its_heading_as_title(tmp_path: Path) -> None:
    f = tmp_path / "note.md"
    f.write_text("# Water prices rise 8%\n\nThe council voted on Monday.\n\n**Source:** council minutes.\n", "utf-8")
    imported = read_file(f)
    assert imported.title == "Water prices rise 8%"
    assert imported.text.startswith("# Water prices rise 8%\n\nThe council")
    assert [str(s.kind) for s in imported.segments] == ["title", "body", "furniture"]  # a credit line


def test_a_page_resaved_as_utf8_with_its_old_meta_charset_is_read_as_utf8(tmp_path: Path) -> None:
    page = tmp_path / "ru.html"
    paragraph = "<p>Городской совет одобрил повышение тарифа на питьевую воду на 8 % с 1 января.</p>"
    page.write_text(
        f'<html><head><meta charset="windows-1251"><title>Тариф</title></head><body><article>{paragraph * 3}'
        "</article></body></html>",
        "utf-8",
    )
    assert "Городской совет" in read_file(page).text


def test_messages_stay_on_one_line(tmp_path: Path) -> None:
    f = tmp_path / "two\nlines.pdf"
    f.write_bytes(b"%PDF")
    with pytest.raises(IngestError) as error:
        read_file(f)
    assert "\n" not in str(error.value)


def test_comments_only_trafilatura_finds_still_come_as_comments(tmp_path: Path) -> None:
    body = "".join(f"<p>Paragraph {i}: the ministry said 1,200 troops were moved on 4 March.</p>" for i in range(5))
    page = tmp_path / "page.html"
    page.write_text(
        f"<html><head><title>Troops moved</title></head><body><article><h1>Troops moved</h1>{body}</article>"
        '<section id="comments"><h2>Comments</h2>'
        '<div class="comment"><p>This figure is from the 2023 report, not 2024.</p></div>'
        '<div class="comment"><p>Who counted the troops? Nobody says.</p></div></section></body></html>',
        "utf-8",
    )
    imported = read_file(page)
    comments = [imported.text[s.start : s.end] for s in imported.segments if s.kind is SegmentKind.COMMENT]
    assert comments == ["This figure is from the 2023 report, not 2024.", "Who counted the troops? Nobody says."]
    assert imported.text.endswith("Comments (2)\n\nThis figure is from the 2023 report, not 2024.\n\n"
                                  "Who counted the troops? Nobody says.")


# -- titles from the text (#15) -------------------------------------------------------------

ALABAMA = (
    "The justices of the Alabama Supreme Court ruled on Friday that frozen embryos are children"
    " under state law, a decision with far-reaching consequences for fertility clinics. The"
    " ruling came in a wrongful-death case.\n\nSecond paragraph of the story about the ruling."
)


@pytest.mark.parametrize(
    ("text", "title"),
    [
        (ALABAMA, "The justices of the Alabama Supreme Court ruled on Friday that frozen embryos are…"),
        ("Donald Trump: Thank you, Mike. Good morning. It is great to be here with all of you today.\n\n"
         "We have done a lot of things for this country over the last years.",
         "Thank you, Mike"),
        ("Mr. Smith said the U.S. economy grew by 3% in 2023. Others disagree with that figure.",
         "Mr. Smith said the U.S. economy grew by 3% in 2023"),
        ("Did the minister really promise 40 new hospitals? We looked at the record of the government.",
         "Did the minister really promise 40 new hospitals?"),
        ("Gaza: what we know so far\n\nThe army said on Monday that 40 trucks entered the strip, while"
         " the agencies counted 12.", "Gaza: what we know so far"),
        ("# A heading of a Markdown file\n\nThe body says that 12 people came to the meeting on time.",
         "A heading of a Markdown file"),
    ],
    ids=["long-sentence", "speaker-label", "abbreviations", "question", "headline", "markdown"],
)
def test_a_title_is_made_from_the_first_sentence(tmp_path: Path, text: str, title: str) -> None:
    path = tmp_path / "story.txt"
    path.write_text(text, "utf-8")
    made = read_file(path).title
    assert made == title
    assert len(made) <= 90
    assert from_pasted(text).title == title


def test_a_long_title_is_cut_at_a_word() -> None:
    made = from_pasted("word " * 5 + "x" * 30 + " and then many more words follow here " * 4).title
    assert made.endswith("…") and len(made) <= 90
    assert made[:-1] == made[:-1].rstrip() and (made[:-1] + " ") in ("word " * 5 + "x" * 30 + " and then many more words follow here " * 4)


def test_html_paragraphs_are_a_blank_line_apart_as_in_the_sample() -> None:
    """#15: HTML imports showed their paragraphs run together; the sample's are spaced."""
    sample = read_file(SAMPLE).text
    assert "\n\n" in sample
    for page in ("blog_wpdiscuz.html", "news_page.html"):
        imported = read_file(ROOT / "tests" / "data" / "ingest" / page)
        article = [s for s in imported.segments if s.kind.is_article]
        body = imported.text[article[0].start : article[-1].end]
        assert body.count("\n\n") >= 3
        assert re.search(r"[^\n]\n[^\n]", body) is None, "paragraphs run together"
