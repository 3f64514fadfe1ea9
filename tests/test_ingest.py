"""Files in: what becomes an article, and the one line a bad file gets."""

from __future__ import annotations

from pathlib import Path

import pytest

from app.ingest import MAX_BYTES, IngestError, from_pasted, read_file
from conftest import SAMPLE


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
        ("report.pdf", b"%PDF-1.7", "report.pdf: Claimdesk imports .txt, .md and .html files, not .pdf."),
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
