"""The command line as a user types it: real processes, real files, one line on failure."""

from __future__ import annotations

import csv
import io
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import ROOT, SAMPLE

SEED_CHECK = ROOT.parent / "shared" / "tools" / "seed_check.py"
GOLD = ROOT.parent / "shared" / "fixtures" / "seed_claims.json"


def claimdesk(*args: str, db: Path | None = None, check: bool = True) -> subprocess.CompletedProcess[str]:
    env = dict(os.environ)
    if db is not None:
        env["CLAIMDESK_DB"] = str(db)
    result = subprocess.run(
        [sys.executable, "-m", "app", *args], capture_output=True, text=True, env=env, cwd=ROOT, timeout=120
    )
    if check:
        assert result.returncode == 0, result.stderr
    return result


def assert_one_line_error(result: subprocess.CompletedProcess[str], fragment: str) -> None:
    assert result.returncode != 0
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith("claimdesk: ") and fragment in lines[0]
    assert "Traceback" not in result.stderr


def test_detect_json_finds_the_sample_claims() -> None:
    out = claimdesk("detect", str(SAMPLE), "--json").stdout
    detected = json.loads(out)
    assert detected["text"] == SAMPLE.read_text("utf-8").strip("\n")
    for c in detected["claims"]:
        assert detected["text"][c["start"] : c["end"]] == c["quote"]
    if SEED_CHECK.exists():  # the shared scorer sits beside the repository
        check = subprocess.run([sys.executable, str(SEED_CHECK), str(GOLD)], input=out, capture_output=True, text=True)
        assert check.returncode == 0, check.stdout
        assert "must 10/10" in check.stdout and "non-claims flagged 0" in check.stdout


def test_import_review_claims_export_round_trip(tmp_path: Path) -> None:
    db = tmp_path / "work.sqlite3"
    article_id = int(claimdesk("import", str(SAMPLE), db=db).stdout)
    claims = json.loads(claimdesk("claims", str(article_id), "--json", db=db).stdout)
    troops = next(c for c in claims if "3 000 Russians" in c["quote"])

    out = claimdesk(
        "review", str(troops["id"]), "--status", "disputed", "--summary", "About 3,000, at two bases.",
        "--note", "MoD figure.", "--source", "https://example.org/a", "--source-title", "Defence white paper",
        "--source-kind", "primary", "--source-stance", "refutes", "--source-archive", "https://web.archive.org/a",
        "--source", "https://example.org/b", db=db,
    ).stdout
    assert "Disputed, 2 source(s)" in out

    again = json.loads(claimdesk("claims", str(article_id), "--json", db=db).stdout)
    stored = next(c for c in again if c["id"] == troops["id"])
    assert stored["status"] == "disputed" and stored["notes"] == "MoD figure."
    assert [s["title"] for s in stored["sources"]] == ["Defence white paper", ""]
    first = stored["sources"][0]
    assert (first["kind"], first["stance"], first["archived_url"]) == ("primary", "refutes", "https://web.archive.org/a")

    for fmt in ("html", "md", "json", "csv"):
        target = tmp_path / f"report.{fmt}"
        claimdesk("export", str(article_id), "--format", fmt, "-o", str(target), db=db)
        assert target.stat().st_size > 0
    pdf = claimdesk("export", str(article_id), "--format", "pdf", "-o", str(tmp_path / "r.pdf"), db=db).stdout
    assert "pages)" in pdf and (tmp_path / "r.pdf").read_bytes().startswith(b"%PDF")
    claimdesk("export", str(article_id), "--format", "claimreview", "-o", str(tmp_path / "cr.json"),
              "--report-url", "https://desk.example/r", "--organisation", "Desk", db=db)
    reviews = json.loads((tmp_path / "cr.json").read_text("utf-8"))
    assert "https://desk.example/r#claim-" in json.dumps(reviews) and "Disputed" in json.dumps(reviews)
    report = json.loads((tmp_path / "report.json").read_text("utf-8"))
    assert any(c["status"] == "disputed" and c["summary"] == "About 3,000, at two bases." for c in report["claims"])
    rows = list(csv.DictReader(io.StringIO((tmp_path / "report.csv").read_text("utf-8-sig"))))
    assert len(rows) == len(claims)
    assert "About 3,000, at two bases." in (tmp_path / "report.html").read_text("utf-8")

    history = claimdesk("--as", "Ana", "history", str(troops["id"]), db=db).stdout
    assert "status: unverified → disputed" in history and "source added: https://example.org/b" in history
    assert history.count("\n") == 5  # status, summary, notes and two sources

    # Importing the same text again points at the article that is already there.
    result = claimdesk("import", str(SAMPLE), db=db)
    assert int(result.stdout) == article_id and "already" in result.stderr


def test_a_bad_source_link_is_refused_and_nothing_is_written(tmp_path: Path) -> None:
    db = tmp_path / "work.sqlite3"
    article_id = claimdesk("import", str(SAMPLE), db=db).stdout.strip()
    claim_id = str(json.loads(claimdesk("claims", article_id, "--json", db=db).stdout)[0]["id"])
    result = claimdesk("review", claim_id, "--status", "false", "--source", "javascript:alert(1)", db=db, check=False)
    assert_one_line_error(result, "Only http and https links")
    claim = json.loads(claimdesk("claims", article_id, "--json", db=db).stdout)[0]
    assert claim["status"] == "unverified" and claim["sources"] == []


@pytest.mark.parametrize(
    ("content", "fragment"),
    [(b"", "is empty"), (b"\x00\x01\x02binary\x00" * 50, "binary"), (bytes(range(128, 256)) * 40, "not valid UTF-8")],
)
def test_bad_files_exit_non_zero_with_one_line(tmp_path: Path, content: bytes, fragment: str) -> None:
    f = tmp_path / "bad.txt"
    f.write_bytes(content)
    assert_one_line_error(claimdesk("import", str(f), db=tmp_path / "db.sqlite3", check=False), fragment)
    assert_one_line_error(claimdesk("detect", str(f), "--json", check=False), fragment)


def test_a_corrupt_or_unwritable_database_gets_one_line(tmp_path: Path) -> None:
    corrupt = tmp_path / "corrupt.sqlite3"
    corrupt.write_bytes(b"garbage" * 1000)
    assert_one_line_error(claimdesk("articles", db=corrupt, check=False), "damaged")
    assert corrupt.read_bytes() == b"garbage" * 1000
    blocker = tmp_path / "file"
    blocker.write_text("x")
    assert_one_line_error(claimdesk("--db", str(blocker / "db.sqlite3"), "articles", check=False), "Cannot")


def test_unknown_ids_and_unwritable_exports(tmp_path: Path) -> None:
    db = tmp_path / "work.sqlite3"
    assert_one_line_error(claimdesk("claims", "42", db=db, check=False), "No article with id 42")
    article_id = claimdesk("import", str(SAMPLE), db=db).stdout.strip()
    result = claimdesk("export", article_id, "--format", "html", "-o", str(tmp_path / "no" / "r.html"), db=db, check=False)
    assert_one_line_error(result, "does not exist")
