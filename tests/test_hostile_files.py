"""Hostile files as a user meets them: each ends quickly in an article or in one line, never a hang."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import hostile_corpus as corpus
import pytest
from conftest import ROOT

from app.ingest import IngestError, read_file


def claimdesk(*args: str, db: Path, timeout: float = 60) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "CLAIMDESK_DB": str(db)}
    return subprocess.run(
        [sys.executable, "-m", "app", *args], capture_output=True, text=True, env=env, cwd=ROOT, timeout=timeout
    )


def one_line(result: subprocess.CompletedProcess[str]) -> str:
    assert result.returncode == 1, result.stderr
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith("claimdesk: ")
    return lines[0]


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no named pipes here")
def test_a_named_pipe_is_refused_without_opening_it(tmp_path: Path) -> None:
    pipe = corpus.fifo(tmp_path)
    # A subprocess, so that a regression blocks that process (killed at the timeout), not the run.
    line = one_line(claimdesk("import", str(pipe), db=tmp_path / "db.sqlite3", timeout=30))
    assert "pipe.txt is a named pipe (FIFO), not a file" in line


@pytest.mark.parametrize("device", ["/dev/zero", "/dev/urandom", "/dev/null"])
def test_a_link_to_a_device_is_refused(tmp_path: Path, device: str) -> None:
    if not os.path.exists(device):
        pytest.skip(f"no {device}")
    link = tmp_path / "looks_like_text.txt"
    link.symlink_to(device)
    with pytest.raises(IngestError, match=r"^looks_like_text.txt is a device, not a file"):
        read_file(link)


def test_folders_and_links_to_folders_are_refused(tmp_path: Path) -> None:
    folder = tmp_path / "notes.txt"
    folder.mkdir()
    link = tmp_path / "link.txt"
    link.symlink_to(folder)
    for path in (folder, link):
        with pytest.raises(IngestError, match="is a folder, not a file"):
            read_file(path)


def test_a_dangling_link_is_no_such_file(tmp_path: Path) -> None:
    link = tmp_path / "gone.txt"
    link.symlink_to(tmp_path / "nowhere.txt")
    with pytest.raises(IngestError, match="^gone.txt: no such file"):
        read_file(link)


@pytest.mark.parametrize("make", [corpus.utf32_le_bom, corpus.utf32_be_bom])
def test_utf32_with_a_bom_is_read_as_utf32(tmp_path: Path, make) -> None:  # type: ignore[no-untyped-def]
    path = tmp_path / "utf32.txt"
    path.write_bytes(make())
    imported = read_file(path)
    assert "\x00" not in imported.text
    assert imported.text == corpus.ARTICLE.strip("\n")


def test_utf16_with_a_bom_is_still_utf16(tmp_path: Path) -> None:
    path = tmp_path / "utf16.txt"
    path.write_bytes(corpus.ARTICLE.encode("utf-16"))
    assert read_file(path).text == corpus.ARTICLE.strip("\n")


def test_utf32_html_with_a_bom(tmp_path: Path) -> None:
    page = f"<html><head><title>Border</title></head><body><article><p>{corpus.ARTICLE}</p></article></body></html>"
    path = tmp_path / "page.html"
    path.write_bytes(b"\xff\xfe\x00\x00" + page.encode("utf-32-le"))
    assert "3 000 Russians" in read_file(path).text


def test_mixed_utf8_and_cp1251_is_repaired_line_by_line(tmp_path: Path) -> None:
    path = tmp_path / "mixed.txt"
    path.write_bytes(corpus.mixed_utf8_cp1251())
    text = read_file(path).text
    assert text.startswith("Troops on the border — a report")
    assert "Более 3 000 российских военных находятся на двух базах в Армении." in text
    assert "treaty’s text" in text


def test_mixed_latin1_and_utf8(tmp_path: Path) -> None:
    path = tmp_path / "mixed.txt"
    path.write_bytes(
        "Le président a parlé — longuement.\n".encode()
        + "Le ministère a confirmé que 3 000 soldats étaient déployés en 2002.\n".encode("cp1252")
    )
    text = read_file(path).text
    assert "Le président a parlé — longuement." in text
    assert "Le ministère a confirmé que 3 000 soldats étaient déployés en 2002." in text


def test_terminal_escapes_never_reach_the_terminal_nor_the_article(tmp_path: Path) -> None:
    path = tmp_path / "escapes.txt"
    path.write_bytes(corpus.terminal_escapes())
    db = tmp_path / "db.sqlite3"
    result = claimdesk("import", str(path), db=db)
    assert result.returncode == 0, result.stderr
    for stream in (result.stdout, result.stderr):
        assert "\x1b" not in stream and "\x07" not in stream
    assert "“RED TITLE bell”" in result.stderr
    listed = claimdesk("articles", db=db)
    assert "\x1b" not in listed.stdout and "RED TITLE bell" in listed.stdout


def test_a_file_name_with_escapes_is_shown_without_them(tmp_path: Path) -> None:
    line = one_line(claimdesk("import", str(tmp_path / "\x1b[2Jgone\x07.txt"), db=tmp_path / "db.sqlite3"))
    assert "\x1b" not in line and "\x07" not in line
    assert "gone.txt: no such file" in line


def test_the_new_line_is_on_every_import_path(tmp_path: Path) -> None:
    """Each small hostile file ends in an article or one line: none crashes."""
    for path in corpus.write_all_small(tmp_path):
        imported = read_file(path)
        assert "\x00" not in imported.text and "\x1b" not in imported.text


# --- pages that are valid but unkind ---------------------------------------------------------------

PARAGRAPH = (
    "<p>More than 3 000 Russians are positioned on two military bases located on Armenian territory.</p>"
    "<p>The Collective Security Treaty Organization was founded in 2002 by six countries.</p>"
)


def _page(body: str, head: str = "<title>Troops on the border</title>") -> str:
    return f"<html><head>{head}</head><body>{body}</body></html>"


def test_a_comment_before_the_xml_declaration(tmp_path: Path) -> None:
    path = tmp_path / "saved.html"
    path.write_text(
        '<!-- saved from url=(0042)https://news.example.org/border -->\n<?xml version="1.0" encoding="utf-8"?>\n'
        '<!DOCTYPE html PUBLIC "-//W3C//DTD XHTML 1.0 Strict//EN" "http://www.w3.org/TR/xhtml1/DTD/xhtml1-strict.dtd">\n'
        + _page(f"<article>{PARAGRAPH}</article>").replace("<html>", '<html xmlns="http://www.w3.org/1999/xhtml">'),
        "utf-8",
    )
    imported = read_file(path)
    assert "3 000 Russians" in imported.text and "founded in 2002" in imported.text


@pytest.mark.parametrize("depth", [300, 3000])
def test_deeply_nested_html_is_imported(tmp_path: Path, depth: int) -> None:
    path = tmp_path / "deep.html"
    path.write_text(_page("<div>" * depth + PARAGRAPH + "</div>" * depth), "utf-8")
    imported = read_file(path)
    assert imported.title == "Troops on the border"
    assert imported.text.split("\n\n") == [  # paragraphs a blank line apart, as in a .txt
        "Troops on the border",
        "More than 3 000 Russians are positioned on two military bases located on Armenian territory.",
        "The Collective Security Treaty Organization was founded in 2002 by six countries.",
    ]


def test_a_15_mb_paragraph_is_imported_whole(tmp_path: Path) -> None:
    sentence = "Troops crossed the border at dawn, said the ministry. "
    words = sentence * (15 * corpus.MB // len(sentence))
    path = tmp_path / "one_p.html"
    path.write_text(_page(f"<script>var x = 1;</script><p>{words}</p>"), "utf-8")
    imported = read_file(path)
    assert imported.text == "Troops on the border\n\n" + words.strip()


def test_a_page_of_comments_without_authors_is_not_quadratic(tmp_path: Path) -> None:
    """Each comment's author was looked for in the whole list: 2,000 comments took 48 s."""
    import time

    comments = "".join(f'<div class="comment-text"><p>Comment {i}: it was 4 000 in 2002.</p></div>' for i in range(4000))
    path = tmp_path / "comments.html"
    path.write_text(_page(f"<article>{PARAGRAPH * 5}</article><section>{comments}</section>"), "utf-8")
    started = time.monotonic()
    imported = read_file(path)
    assert time.monotonic() - started < 10
    lines = imported.text.split("\n")
    assert "Comments (3000)" in lines
    assert "(The page has more; Claimdesk keeps the first 3,000.)" in lines
    assert "Comment 2999: it was 4 000 in 2002." in lines and "Comment 3000: it was 4 000 in 2002." not in lines


def test_a_docx_keeps_merged_cells_as_word_shows_them(tmp_path: Path) -> None:
    import io

    import docx

    document = docx.Document()
    document.add_paragraph("The water prices in the city rose by 8 percent in 2024.")
    table = document.add_table(rows=3, cols=3)
    for r, row in enumerate([("Year", "Price", "Note"), ("2017", "3.10 €", "first"), ("2024", "3.35 €", "")]):
        for c, value in enumerate(row):
            table.cell(r, c).text = value
    table.cell(1, 2).merge(table.cell(2, 2))  # "first" spans two rows
    table.cell(0, 1).merge(table.cell(0, 2)).text = "Price and note"
    out = io.BytesIO()
    document.save(out)
    path = tmp_path / "merged.docx"
    path.write_bytes(out.getvalue())
    assert read_file(path).text.split("\n\n")[1].split("\n") == [
        "Year | Price and note", "2017 | 3.10 € | first", "2024 | 3.35 € | first",
    ]


# --- the time budget -------------------------------------------------------------------------------


def test_past_its_budget_an_import_stops_in_one_line(tmp_path: Path) -> None:
    path = corpus.big_claims_text(tmp_path, size=2 * corpus.MB)
    with pytest.raises(IngestError) as caught:
        read_file(path, budget=0.0)
    assert str(caught.value) == (
        "claims.txt: this file is too large or too complex to import: reading its paragraphs took longer"
        " than the 0 seconds an import may take."
    )


@pytest.mark.parametrize("make", [corpus.comment_page, corpus.docx_table])
def test_every_reader_checks_the_budget(tmp_path: Path, make) -> None:  # type: ignore[no-untyped-def]
    path = make(tmp_path, 5000)
    with pytest.raises(IngestError, match="this file is too large or too complex to import: .* took longer"):
        read_file(path, budget=0.0)


def test_the_command_line_stops_at_the_budget_and_keeps_the_database(
    db_path: Path, sample_article, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,  # type: ignore[no-untyped-def]
    capsys: pytest.CaptureFixture[str],
) -> None:
    from app import cli
    from app.ingest import budget

    path = corpus.big_claims_text(tmp_path, size=corpus.MB)
    monkeypatch.setattr(budget, "IMPORT_SECONDS", 0.0)
    assert cli.run(["--db", str(db_path), "import", str(path)]) == cli.EXIT_USER_ERROR
    captured = capsys.readouterr()
    assert captured.out == ""
    assert captured.err.count("\n") == 1
    assert captured.err.startswith("claimdesk: claims.txt: this file is too large or too complex to import:")
    monkeypatch.undo()
    assert cli.run(["--db", str(db_path), "articles"]) == 0
    assert capsys.readouterr().out.splitlines() == [f"{sample_article.id:>5}    0/23   {sample_article.title}"]


def test_past_the_structure_budget_paragraphs_are_stored_in_runs(tmp_path: Path) -> None:
    from test_ingest import _check_cover

    from app.domain.segments import SegmentKind
    from app.ingest.structure import PLAIN_RUN_CHARS, TAGGED_LINES

    lines = [f"Row {i} | 3 000 troops in 2002" for i in range(TAGGED_LINES + 10_000)]
    path = tmp_path / "rows.txt"
    path.write_text("\n\n".join(lines), "utf-8")
    imported = read_file(path)
    _check_cover(imported.text, imported.segments)
    body = [s for s in imported.segments if s.kind is SegmentKind.BODY]
    assert imported.text[body[0].start : body[0].end] == lines[1]  # the first line is the title
    assert len(imported.segments) < TAGGED_LINES + 100
    assert max(s.end - s.start for s in imported.segments) <= PLAIN_RUN_CHARS
