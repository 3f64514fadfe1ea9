"""Exports against hostile disks and hostile cells: a full disk keeps the previous report, and no
spreadsheet runs a formula hidden behind blanks or written in fullwidth signs."""

from __future__ import annotations

import contextlib
import csv
import errno
import io
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from conftest import ROOT

from app import cli
from app.domain import Claim, Kind, Source, State
from app.domain.validate import ValidationError
from app.export import build_report, render_csv
from app.export.data import csv_cell
from app.files import write_atomically

PREVIOUS = b"%PDF-1.4 the previous report, which must survive\n"

# --- CSV ------------------------------------------------------------------------------------------

HIDING = ["", " ", "   ", "\n", "\r\n", "\u00a0", "\u200b", "\ufeff", "\u2060", "\u202f", " \u200b\u00a0"]
SIGNS = ["=", "+", "-", "@", "\uff1d", "\uff0b", "\uff0d", "\uff20"]


@pytest.mark.parametrize("sign", SIGNS)
@pytest.mark.parametrize("hiding", HIDING)
def test_a_formula_behind_blanks_or_in_fullwidth_is_neutralised(hiding: str, sign: str) -> None:
    value = f'{hiding}{sign}HYPERLINK("http://evil","x")'
    assert csv_cell(value) == "'" + value


@pytest.mark.parametrize("value", ["3 000 troops", " plain words", "\u200bword", "", "   ", "a=b", "x - y"])
def test_text_that_is_no_formula_is_left_as_typed(value: str) -> None:
    assert csv_cell(value) == value


def test_the_csv_report_carries_the_neutralised_cells() -> None:
    from test_export import make_article

    formula = '\u00a0\uff1dHYPERLINK("http://evil","x")'
    claims = [Claim(1, 1, 0, 4, formula, Kind.OTHER, State.IN_PROGRESS, summary=formula,
                    sources=(Source(1, 1, " =cmd|' /C calc'!A0"),))]
    (row,) = csv.DictReader(io.StringIO(render_csv(build_report(make_article(), claims)), newline=""))
    assert row["quote"] == "'" + formula and row["summary"] == "'" + formula
    assert row["sources"] == "' =cmd|' /C calc'!A0"


# --- A full disk ----------------------------------------------------------------------------------


@pytest.fixture
def full_disk(monkeypatch: pytest.MonkeyPatch) -> None:
    """os.write on a temporary export file writes a little, then the disk is full (ENOSPC)."""
    real = os.write

    def write(fd: int, data: bytes | memoryview) -> int:
        try:
            target = os.readlink(f"/proc/self/fd/{fd}")
        except OSError:
            target = ""
        if not target.endswith(".tmp"):
            return real(fd, data)
        if os.fstat(fd).st_size == 0 and len(data) > 16:
            return real(fd, bytes(data[:16]))  # a partial write first, as a filling disk does
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    if not Path("/proc/self/fd").is_dir():
        pytest.skip("needs /proc to tell the export's file from the others")
    monkeypatch.setattr(os, "write", write)


def _left(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir())


@pytest.mark.usefixtures("full_disk")
def test_a_text_export_to_a_full_disk_keeps_the_previous_file(tmp_path: Path) -> None:
    path = tmp_path / "report.html"
    path.write_bytes(PREVIOUS)
    with pytest.raises(ValidationError) as caught:
        write_atomically(path, "<p>new</p>" * 1000)
    assert str(caught.value) == f"Cannot write {path}: the disk is full; the previous file is unchanged."
    assert path.read_bytes() == PREVIOUS
    assert _left(tmp_path) == ["report.html"]


@pytest.mark.usefixtures("full_disk")
def test_a_new_file_on_a_full_disk_is_not_left_half_written(tmp_path: Path) -> None:
    path = tmp_path / "report.md"
    with pytest.raises(ValidationError, match=r"the disk is full\.$"):
        write_atomically(path, "# new\n" * 1000)
    assert _left(tmp_path) == []


def test_pdf_export_to_a_full_disk_exits_1_in_one_line_and_keeps_the_previous_report(
    db_path: Path, sample_article, tmp_path: Path, full_disk: None,  # type: ignore[no-untyped-def]
    capsys: pytest.CaptureFixture[str],
) -> None:
    out = tmp_path / "out"
    out.mkdir()
    path = out / "report.pdf"
    path.write_bytes(PREVIOUS)
    code = cli.run(["--db", str(db_path), "export", str(sample_article.id), "--format", "pdf", "-o", str(path)])
    captured = capsys.readouterr()
    assert code == cli.EXIT_USER_ERROR
    assert captured.out == ""
    assert captured.err == f"claimdesk: Cannot write {path}: the disk is full; the previous file is unchanged.\n"
    assert path.read_bytes() == PREVIOUS
    assert _left(out) == ["report.pdf"]


@contextlib.contextmanager
def _tiny_tmpfs(folder: Path, size: str = "256k") -> Iterator[Path]:
    folder.mkdir()
    if os.geteuid() != 0:
        pytest.skip("mounting a tmpfs needs root")
    mounted = subprocess.run(["mount", "-t", "tmpfs", "-o", f"size={size}", "tmpfs", str(folder)],
                             capture_output=True, check=False)
    if mounted.returncode != 0:
        pytest.skip(f"cannot mount a tmpfs here: {mounted.stderr.decode(errors='replace').strip()}")
    try:
        yield folder
    finally:
        subprocess.run(["umount", "-l", str(folder)], check=False)


def _fill(folder: Path) -> None:
    with (folder / "filler").open("wb", buffering=0) as f:
        with contextlib.suppress(OSError):
            while True:
                f.write(b"\0" * 4096)
        with contextlib.suppress(OSError):
            while True:
                f.write(b"\0")


@pytest.mark.parametrize("fmt", ["pdf", "html"])
def test_export_to_a_really_full_tmpfs(db_path: Path, sample_article, tmp_path: Path, fmt: str) -> None:  # type: ignore[no-untyped-def]
    with _tiny_tmpfs(tmp_path / "disk") as disk:
        path = disk / f"report.{fmt}"
        path.write_bytes(PREVIOUS)
        _fill(disk)
        result = subprocess.run(
            [sys.executable, "-m", "app", "--db", str(db_path), "export", str(sample_article.id),
             "--format", fmt, "-o", str(path)],
            capture_output=True, text=True, cwd=ROOT, timeout=120,
        )
        assert result.returncode == 1, result.stderr
        assert result.stdout == ""
        assert result.stderr == f"claimdesk: Cannot write {path}: the disk is full; the previous file is unchanged.\n"
        assert path.read_bytes() == PREVIOUS
        assert _left(disk) == ["filler", f"report.{fmt}"]
