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
