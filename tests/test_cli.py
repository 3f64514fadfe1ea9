"""The command line as a user types it: real processes, real files, one line on failure."""

from __future__ import annotations

import csv
import io
import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import ROOT, SAMPLE, open_sqlite_connections

SEED_CHECK = ROOT.parent / "shared" / "tools" / "seed_check.py"
GOLD = ROOT.parent / "shared" / "fixtures" / "seed_claims.json"


def claimdesk(*args: str, db: Path | str | None = None, check: bool = True) -> subprocess.CompletedProcess[str]:
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


def imported(db: Path | str) -> tuple[str, list[dict]]:
    """The sample article imported: its id and its claims as `claims --json` prints them."""
    done = claimdesk("import", str(SAMPLE), db=db)
    # Every suggestion down to the model's floor is stored; the window hides those below its sensitivity.
    assert "18 turns, 11 furniture, 2 comments" in done.stderr and "23 suggested claims" in done.stderr
    article_id = done.stdout.strip()
    return article_id, json.loads(claimdesk("claims", article_id, "--json", db=db).stdout)


def stored(db: Path | str, article_id: str, claim_id: str) -> dict:
    return next(c for c in json.loads(claimdesk("claims", article_id, "--json", db=db).stdout)
                if str(c["id"]) == claim_id)


def test_import_review_claims_export_round_trip(tmp_path: Path, db_url: str) -> None:
    db = db_url
    article_id, claims = imported(db)
    found = next(c for c in claims if "3 000 Russians" in c["quote"])
    troops = str(found["id"])
    ref = f"{article_id}#{found['number']}"  # as the window and the reports number it

    out = claimdesk(
        "--as", "ana", "review", ref, "--verdict", "disputed", "--summary", "About 3,000, at two bases.",
        "--note", "MoD figure.", "--source", "https://example.org/a", "--source-title", "Defence white paper",
        "--source-kind", "primary", "--source-stance", "refutes", "--source-archive", "https://web.archive.org/a",
        "--source", "https://example.org/b", "--state", "in_review", db=db,
    ).stdout
    assert out == f"claim {ref}: In review, verdict Disputed, 2 source(s)\n"

    claim = stored(db, article_id, troops)
    assert (claim["state"], claim["verdict_by"], claim["notes"]) == ("in_review", "ana", "MoD figure.")
    assert (claim["verdict"]["key"], claim["verdict"]["name"], claim["verdict"]["scale"]) == (
        "disputed", "Disputed", "default")
    assert (claim["conclusion"], claim["approved_by"], claim["approved_at"], claim["on_scale"]) == ("", "", None, True)
    assert [s["title"] for s in claim["sources"]] == ["Defence white paper", ""]
    first = claim["sources"][0]
    assert (first["kind"], first["stance"], first["archived_url"]) == ("primary", "refutes", "https://web.archive.org/a")
    listing = claimdesk("claims", article_id, db=db).stdout
    line = next(line for line in listing.splitlines() if line.split()[0] == ref)
    assert "In review" in line and "Disputed" in line and "*" not in line and line.endswith(f"(id {troops})")

    # The database id is still accepted, and so is --article ID NUMBER.
    assert claimdesk("--as", "ben", "review", troops, "--state", "approved", db=db).stdout == (
        f"claim {ref}: Approved by ben, verdict Disputed, 2 source(s)\n")
    assert claimdesk("history", "--article", article_id, str(found["number"]), db=db).stdout == \
        claimdesk("history", troops, db=db).stdout
    claim = stored(db, article_id, troops)
    assert (claim["state"], claim["verdict_by"], claim["approved_by"]) == ("approved", "ana", "ben")
    assert claim["approved_at"]

    history = claimdesk("history", troops, db=db).stdout.splitlines()
    assert [line.split(None, 3)[2:] for line in history] == [
        ["ana", "verdict: Disputed"],
        ["ana", "summary: (empty) → About 3,000, at two bases."],
        ["ana", "notes: (empty) → MoD figure."],
        ["ana", "state: not started → in progress"],
        ["ana", "source added: https://example.org/a"],
        ["ana", "source added: https://example.org/b"],
        ["ana", "state: in progress → in review"],
        ["ben", "state: in review → approved"],
    ]

    # Importing the same text again points at the article that is already there.
    result = claimdesk("import", str(SAMPLE), db=db)
    assert result.stdout.strip() == article_id and "already" in result.stderr


def test_export_writes_every_format_of_an_approved_claim(tmp_path: Path, db_url: str) -> None:
    db = db_url
    article_id, claims = imported(db)
    troops = str(next(c for c in claims if "3 000 Russians" in c["quote"])["id"])
    claimdesk("--as", "ana", "review", troops, "--verdict", "disputed", "--summary", "About 3,000, at two bases.",
              "--source", "https://example.org/a", "--source-kind", "primary", "--state", "in_review", db=db)
    claimdesk("--as", "ben", "review", troops, "--state", "approved", db=db)

    for fmt in ("html", "md", "json", "csv"):
        target = tmp_path / f"report.{fmt}"
        assert claimdesk("export", article_id, "--format", fmt, "-o", str(target), db=db).stdout == f"{target}\n"
        assert target.stat().st_size > 0
    pdf = claimdesk("export", article_id, "--format", "pdf", "-o", str(tmp_path / "r.pdf"), db=db).stdout
    assert "pages)" in pdf and (tmp_path / "r.pdf").read_bytes().startswith(b"%PDF")
    claimdesk("export", article_id, "--format", "claimreview", "-o", str(tmp_path / "cr.json"),
              "--report-url", "https://desk.example/r", "--organisation", "Desk", db=db)
    reviews = json.dumps(json.loads((tmp_path / "cr.json").read_text("utf-8")))
    assert "https://desk.example/r#claim-" in reviews and "Disputed" in reviews and "Desk" in reviews
    report = json.loads((tmp_path / "report.json").read_text("utf-8"))
    checked = [c for c in report["claims"] if c["verdict"]]
    assert [(c["state"], c["verdict"]["key"], c["verdict_by"], c["approved_by"], c["summary"]) for c in checked] == [
        ("approved", "disputed", "ana", "ben", "About 3,000, at two bases.")]
    rows = list(csv.DictReader(io.StringIO((tmp_path / "report.csv").read_text("utf-8-sig"))))
    assert len(rows) == 1 < len(claims)  # the claim worked on; suggestions nobody accepted are not in a report
    assert [(r["state"], r["verdict"], r["approved_by"]) for r in rows if r["verdict"]] == [
        ("Approved", "Disputed", "ben")]
    only = tmp_path / "approved.json"
    claimdesk("export", article_id, "--format", "json", "--only-approved", "-o", str(only), db=db)
    assert [c["quote"] for c in json.loads(only.read_text("utf-8"))["claims"]] == [
        next(c["quote"] for c in claims if str(c["id"]) == troops)]
    assert "About 3,000, at two bases." in (tmp_path / "report.html").read_text("utf-8")
    assert "About 3,000, at two bases." in (tmp_path / "report.md").read_text("utf-8")


def in_review(db: Path | str, claim_id: str, *sources: str) -> None:
    """ana gives the claim a verdict and sends it to review."""
    extra = [arg for url in sources for arg in ("--source", url)]
    claimdesk("--as", "ana", "review", claim_id, "--verdict", "false", *extra, "--state", "in_review", db=db)


def test_approval_is_refused_with_its_reasons_and_changes_nothing(tmp_path: Path, db_url: str) -> None:
    db = db_url
    article_id, claims = imported(db)
    claim_id = str(claims[0]["id"])
    in_review(db, claim_id)

    refused = claimdesk("--as", "ben", "review", claim_id, "--state", "approved", db=db, check=False)
    assert refused.returncode == 1 and refused.stdout == ""
    assert_one_line_error(refused, f"Claim #{claims[0]['number']} cannot be approved: it has no sources")
    claim = stored(db, article_id, claim_id)
    assert (claim["state"], claim["approved_by"], claim["approved_at"]) == ("in_review", "", None)

    # One source is not enough: a second from another publisher is.
    claimdesk("review", claim_id, "--source", "https://stats.example.org/t1", db=db)
    refused = claimdesk("--as", "ben", "review", claim_id, "--state", "approved", db=db, check=False)
    assert_one_line_error(refused, "a second source from another publisher")
    claimdesk("review", claim_id, "--source", "https://news.example.com/story", db=db)

    # The person who set the verdict cannot sign it off.
    refused = claimdesk("--as", "ana", "review", claim_id, "--state", "approved", db=db, check=False)
    assert_one_line_error(refused, "ana set the verdict, so someone else must approve it")
    assert stored(db, article_id, claim_id)["state"] == "in_review"
    history = claimdesk("history", claim_id, db=db).stdout
    assert "approved" not in history

    claimdesk("--as", "ben", "review", claim_id, "--state", "approved", db=db)
    assert stored(db, article_id, claim_id)["approved_by"] == "ben"


def test_every_reason_at_once_and_what_was_saved_before_the_refusal(tmp_path: Path, db_url: str) -> None:
    db = db_url
    article_id, claims = imported(db)
    claim_id = str(claims[0]["id"])
    result = claimdesk("--as", "ana", "review", claim_id, "--verdict", "False", "--state", "approved", db=db,
                       check=False)
    assert_one_line_error(result, f"Claim #{claims[0]['number']} cannot be approved: it has no sources")
    assert "send it to review first" in result.stderr and "ana set the verdict" in result.stderr
    assert result.stdout == f"claim {article_id}#{claims[0]['number']}: In progress, verdict False, 0 source(s)\n"
    claim = stored(db, article_id, claim_id)
    assert (claim["state"], claim["verdict"]["key"]) == ("in_progress", "false")

    nothing = claimdesk("--as", "ben", "review", str(claims[1]["id"]), "--state", "approved", db=db, check=False)
    assert_one_line_error(nothing, "it has no verdict yet")
    assert nothing.stdout == ""


def test_an_approved_claim_changes_only_with_a_reason_which_reopens_it(tmp_path: Path, db_url: str) -> None:
    db = db_url
    article_id, claims = imported(db)
    claim_id = str(claims[0]["id"])
    in_review(db, claim_id, "https://example.org/a", "https://example.com/b")
    claimdesk("--as", "ben", "review", claim_id, "--state", "approved", db=db)

    for change in (["--summary", "New figures."], ["--verdict", "misleading"], ["--source", "https://example.net/c"],
                   ["--state", "in_progress"]):
        result = claimdesk("--as", "ana", "review", claim_id, *change, db=db, check=False)
        assert_one_line_error(result, f"Claim #{claims[0]['number']} is approved by ben, so it is locked; give a reason")
    claim = stored(db, article_id, claim_id)
    assert (claim["state"], claim["summary"], claim["verdict"]["key"], len(claim["sources"])) == (
        "approved", "", "false", 2)

    out = claimdesk("--as", "ana", "review", claim_id, "--summary", "New figures.", "--reason",
                    "The ministry corrected its figures", db=db).stdout
    assert out == f"claim {article_id}#{claims[0]['number']}: In review, verdict False, 2 source(s)\n"
    claim = stored(db, article_id, claim_id)
    assert (claim["state"], claim["summary"], claim["approved_by"], claim["approved_at"]) == (
        "in_review", "New figures.", "", None)
    history = claimdesk("history", claim_id, db=db).stdout.splitlines()[-3:]
    assert [line.split(None, 3)[3] for line in history] == [
        "reopened: The ministry corrected its figures",
        "state: approved → in review",
        "summary: (empty) → New figures.",
    ]

    # ben signs it off again; --reason on its own reopens it without changing anything else.
    claimdesk("--as", "ben", "review", claim_id, "--state", "approved", db=db)
    out = claimdesk("--as", "cleo", "review", claim_id, "--reason", "Reader complaint", db=db).stdout
    assert out.startswith(f"claim {article_id}#{claims[0]['number']}: In review, verdict False")
    assert "reopened: Reader complaint" in claimdesk("history", claim_id, db=db).stdout
    assert_one_line_error(claimdesk("review", claim_id, "--reason", "again", db=db, check=False),
                          "is not approved, so there is nothing to reopen")


def test_verdict_labels_come_from_the_workspace_scale(tmp_path: Path, db_url: str) -> None:
    db = db_url
    article_id, claims = imported(db)
    claim_id = str(claims[0]["id"])
    result = claimdesk("review", claim_id, "--verdict", "pants_on_fire", db=db, check=False)
    assert_one_line_error(result, "There is no verdict 'pants_on_fire' on the Claimdesk default scale; choose one of:"
                          " verified, mostly_true, misleading, disputed, false, unverifiable.")
    assert stored(db, article_id, claim_id)["state"] == "not_started"

    assert "verdict Mostly true" in claimdesk("review", claim_id, "--verdict", "MOSTLY TRUE", db=db).stdout
    assert "no verdict" in claimdesk("review", claim_id, "--verdict", "none", db=db).stdout
    claim = stored(db, article_id, claim_id)
    assert (claim["verdict"], claim["state"]) == (None, "in_progress")
    usage = claimdesk("review", "--help").stdout
    assert "--state {not_started,in_progress,in_review,approved}" in usage and "--status" not in usage
    gone = claimdesk("review", claim_id, "--status", "false", db=db, check=False)
    assert gone.returncode == 2 and "unrecognized arguments: --status false" in gone.stderr


def test_scale_lists_switches_and_flags_verdicts_from_another_scale(tmp_path: Path, db_url: str) -> None:
    db = db_url
    article_id, claims = imported(db)
    first, second = str(claims[0]["id"]), str(claims[1]["id"])
    claimdesk("--as", "ana", "review", first, "--verdict", "false", "--source", "https://example.org/a",
              "--source-kind", "primary", "--state", "in_review", db=db)

    listing = claimdesk("scale", db=db).stdout.splitlines()
    assert listing[0] == "* default      Claimdesk default"
    assert "  politifact   PolitiFact-style Truth-O-Meter" in listing
    assert any(line.split() == ["pants_on_fire", "Pants", "on", "Fire!"] for line in listing)
    assert any(line.startswith("  conclusion") for line in listing)

    out = claimdesk("scale", "politifact", db=db).stdout
    assert out == "The workspace now rates on PolitiFact-style Truth-O-Meter (politifact); 1 claim flagged" \
        " with a verdict not on it.\n"
    assert claimdesk("scale", db=db).stdout.splitlines()[0] == "  default      Claimdesk default"
    assert "* politifact" in claimdesk("scale", db=db).stdout

    listed = claimdesk("claims", article_id, db=db)
    line = next(line for line in listed.stdout.splitlines() if line.endswith(f"(id {first})"))
    assert "False *" in line
    assert listed.stderr == "* 1 verdict is not on the workspace's scale (PolitiFact-style Truth-O-Meter);" \
        " change them before approval\n"
    assert stored(db, article_id, first)["on_scale"] is False
    refused = claimdesk("--as", "ben", "review", first, "--state", "approved", db=db, check=False)
    assert_one_line_error(refused, "its verdict “False” is not on the PolitiFact-style Truth-O-Meter scale")

    out = claimdesk("--as", "ana", "review", first, "--verdict", "Pants on Fire!", db=db).stdout
    assert "verdict Pants on Fire!" in out and "not on" not in out
    assert stored(db, article_id, first)["verdict"]["scale"] == "politifact"
    claimdesk("--as", "ben", "review", first, "--state", "approved", db=db)

    # A free-text scale: the verdict is a written conclusion.
    assert "; 1 claim flagged with a verdict not on it." in claimdesk("scale", "conclusion", db=db).stdout
    assert_one_line_error(claimdesk("review", second, "--verdict", "false", db=db, check=False),
                          "has no labels; write the verdict with --conclusion")
    out = claimdesk("review", second, "--conclusion", "Wrong: the census counted 2,900.", db=db).stdout
    assert out == f"claim {article_id}#{claims[1]['number']}: In progress, verdict “Wrong: the census counted 2,900.”, 0 source(s)\n"
    assert stored(db, article_id, second)["conclusion"] == "Wrong: the census counted 2,900."

    assert_one_line_error(claimdesk("scale", "snopes", db=db, check=False),
                          "There is no rating scale 'snopes'; choose one of: default, politifact, conclusion.")


def test_a_bad_source_link_is_refused_and_nothing_is_written(tmp_path: Path, db_url: str) -> None:
    db = db_url
    article_id, claims = imported(db)
    claim_id = str(claims[0]["id"])
    result = claimdesk("review", claim_id, "--verdict", "false", "--source", "javascript:alert(1)", db=db, check=False)
    assert_one_line_error(result, "Only http and https links")
    claim = stored(db, article_id, claim_id)
    assert (claim["state"], claim["verdict"], claim["sources"]) == ("not_started", None, [])


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


def test_unknown_ids_and_unwritable_exports(tmp_path: Path, db_url: str) -> None:
    db = db_url
    assert_one_line_error(claimdesk("claims", "42", db=db, check=False), "No article with id 42")
    article_id = claimdesk("import", str(SAMPLE), db=db).stdout.strip()
    result = claimdesk("export", article_id, "--format", "html", "-o", str(tmp_path / "no" / "r.html"), db=db, check=False)
    assert_one_line_error(result, "does not exist")
    result = claimdesk("export", article_id, "--format", "claimreview", "-o", str(tmp_path / "cr.json"),
                       "--report-url", "https://desk.example/r", "--organisation", "Desk", db=db, check=False)
    assert_one_line_error(result, "ClaimReview publishes approved verdicts only")
    assert not (tmp_path / "cr.json").exists()


def test_a_web_page_report_has_no_furniture_and_its_pdf_needs_no_display(tmp_path: Path) -> None:
    """#15: the article alone, the reader comment holding a checked claim apart; and a PDF from
    a shell whose DISPLAY leads nowhere and whose QT_QPA_PLATFORM is empty."""
    db = tmp_path / "c.sqlite3"
    page = ROOT / "tests" / "data" / "ingest" / "blog_wpdiscuz.html"
    article_id = claimdesk("import", str(page), db=db).stdout.strip()
    claims = json.loads(claimdesk("claims", article_id, "--json", db=db).stdout)
    body = next(c for c in claims if not c["from_comment"] and "hausse de 8 %" in c["quote"])
    comment = next(c for c in claims if c["from_comment"] and c["quote"].startswith("Eight percent"))
    for claim in (body, comment):
        claimdesk("review", str(claim["id"]), "--verdict", "misleading", db=db)
    claimdesk("export", article_id, "--format", "html", "-o", str(tmp_path / "r.html"), db=db)
    html = (tmp_path / "r.html").read_text("utf-8")
    article = html[html.index('<section class="article"'):html.index("</section>", html.index('<section class="article"'))]
    for furniture in ("Notify of", "Newest", "1 year ago", "Eight percent"):
        assert furniture not in article
    comments = html[html.index('<section class="comments"'):]
    assert "Reader comments" in comments and "Eight percent on water" in comments

    env = {k: v for k, v in os.environ.items() if k not in ("WAYLAND_DISPLAY",)}
    env.update(CLAIMDESK_DB=str(db), DISPLAY=":99", QT_QPA_PLATFORM="")
    result = subprocess.run(
        [sys.executable, "-m", "app", "export", article_id, "--format", "pdf", "-o", str(tmp_path / "r.pdf")],
        capture_output=True, text=True, env=env, cwd=ROOT, timeout=120,
    )
    assert result.returncode == 0, result.stderr
    assert result.stderr == ""
    assert result.stdout.strip() == f"{tmp_path / 'r.pdf'} (2 pages)"
    assert (tmp_path / "r.pdf").read_bytes().startswith(b"%PDF")

    # A failure is still one line: a folder that does not exist.
    env["CLAIMDESK_DB"] = str(db)
    result = subprocess.run(
        [sys.executable, "-m", "app", "export", article_id, "--format", "pdf", "-o", str(tmp_path / "no" / "r.pdf")],
        capture_output=True, text=True, env=env, cwd=ROOT, timeout=120,
    )
    assert_one_line_error(result, "r.pdf")


def test_article_shows_and_edits_the_details_reports_use(tmp_path: Path) -> None:
    db = tmp_path / "c.sqlite3"
    story = tmp_path / "story.txt"
    story.write_text(
        "Donald Trump: Thank you, Mike. Good morning. We created 212,000 new jobs since January 2021"
        " and the jobless rate fell to 3.6 percent.\n\nDonald Trump: And that is a fact.\n", "utf-8")
    article_id = claimdesk("import", str(story), db=db).stdout.strip()
    shown = json.loads(claimdesk("article", article_id, "--json", db=db).stdout)
    assert shown["title"] == "Thank you, Mike"

    out = claimdesk("article", article_id, "--title", "Jobs: the governor's record", "--outlet", "Gazette",
                    "--author", "Jo", "--url", "https://example.org/jobs", "--date", "2024-03-05", db=db).stdout
    assert "title:   Jobs: the governor's record" in out.splitlines()
    edited = json.loads(claimdesk("article", article_id, "--json", db=db).stdout)
    assert edited | {"version": 0} == {"id": int(article_id), "title": "Jobs: the governor's record",
                                       "outlet": "Gazette", "author": "Jo", "url": "https://example.org/jobs",
                                       "date": "2024-03-05", "version": 0}
    cleared = json.loads(claimdesk("article", article_id, "--date", "", "--outlet", "", "--json", db=db).stdout)
    assert (cleared["date"], cleared["outlet"], cleared["author"]) == ("", "", "Jo")

    assert_one_line_error(claimdesk("article", article_id, "--date", "5/3", db=db, check=False), "YYYY-MM-DD")
    assert_one_line_error(claimdesk("article", article_id, "--title", " ", db=db, check=False), "needs a title")
    assert_one_line_error(claimdesk("article", "99", db=db, check=False), "No article with id 99")
    assert "example: claimdesk article 3" in claimdesk("article", "--help").stdout


def test_every_argument_has_help_and_every_command_an_example() -> None:
    import argparse

    from app.cli import build_parser

    missing: list[str] = []

    def walk(parser: argparse.ArgumentParser, name: str) -> None:
        if not (parser.epilog or "").startswith("example: claimdesk"):
            missing.append(f"{name}: no example")
        for act in parser._actions:
            if isinstance(act, argparse._SubParsersAction):
                for command, sub in act.choices.items():
                    walk(sub, f"{name} {command}")
            elif not act.help:
                missing.append(f"{name}: {act.dest}")

    walk(build_parser(), "claimdesk")
    assert missing == []
    shown = claimdesk("review", "--help").stdout
    assert re.search(r"\n  CLAIM +the claim: ARTICLE#NUMBER", shown) and shown.rstrip().endswith("--state in_review")
    assert "\nChanges apply in this order: verdict, conclusion, summary and notes; sources;\n" in shown  # wrapped
    assert re.search(r"\n  FILE_OR_URL +the file", claimdesk("import", "--help").stdout)


def test_the_version_is_written_once_and_shown_by_the_cli_and_the_about_box() -> None:
    import importlib.metadata

    from app import __version__

    assert claimdesk("--version").stdout == f"claimdesk {__version__}\n"
    assert importlib.metadata.version("claimdesk") == __version__  # pyproject reads app/__init__.py
    pyproject = (ROOT / "pyproject.toml").read_text("utf-8")
    assert 'dynamic = ["version"]' in pyproject and f'"{__version__}"' not in pyproject
    from app.ui.dialogs import about_text

    about = about_text(__version__)
    assert f"Claimdesk {__version__}" in about and "MIT" in about
    assert "ClaimBuster" in about and "CC BY 4.0" in about and "Lingua" in about


def test_overview_exports_a_page_with_a_scorecard_per_speaker_and_the_same_numbers_as_json(tmp_path: Path) -> None:
    db = tmp_path / "work.sqlite3"
    transcript = tmp_path / "interview.txt"
    transcript.write_text(
        "Jobs and taxes\n\nAnna Berg: Is unemployment down?\n\nJo Park: We created 212,000 new jobs since 2021.\n\n"
        "Anna Berg: And taxes?\n\nJo Park: We cut the income tax from 4.95 percent to 4.5 percent in 2023.\n", "utf-8")
    article_id = claimdesk("import", str(transcript), db=db).stdout.strip()
    claims = json.loads(claimdesk("claims", article_id, "--json", db=db).stdout)
    spoken = [c for c in claims if c["speaker"] == "Jo Park"]
    assert spoken
    for c in spoken:
        claimdesk("--as", "ana", "review", f"{article_id}#{c['number']}", "--verdict", "mostly_true", db=db)

    data = json.loads(claimdesk("overview", db=db).stdout)
    assert data["checked_per_week"][-1]["count"] == len(spoken)
    assert data["by_speaker"] == [{"name": "Jo Park", "total": len(spoken), "verdicts": [
        {"verdict": "Mostly true", "colour": data["by_speaker"][0]["verdicts"][0]["colour"], "count": len(spoken)}]}]
    assert data["oldest_unreviewed"][0]["claim"].startswith(f"{article_id}#")

    page = tmp_path / "desk.html"
    assert claimdesk("overview", "--format", "html", "-o", str(page), db=db).stdout.strip() == str(page)
    html = page.read_text("utf-8")
    assert "Scorecards by speaker" in html and "Jo Park" in html
    assert f"Mostly true: {len(spoken)} of {len(spoken)}" in html and "<script" not in html


def test_a_bug_is_one_line_on_screen_and_a_traceback_in_the_rotating_log(tmp_path: Path) -> None:
    """#15: logging with a rotating file and faulthandler instead of hand-written crash logs."""
    env = dict(os.environ, CLAIMDESK_HOME=str(tmp_path))
    code = ("import sys, app.cli as c\n"
            "def broken(args): raise ZeroDivisionError('a bug of ours')\n"
            "c._dispatch = broken\nsys.exit(c.run(['articles']))\n")
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env, cwd=ROOT)
    log = tmp_path / "claimdesk.log"
    assert result.returncode == 3  # EXIT_INTERNAL_ERROR
    assert result.stderr.strip() == f"claimdesk: internal error: ZeroDivisionError: a bug of ours (details in {log})"
    written = log.read_text("utf-8")
    assert "Traceback (most recent call last)" in written and "ZeroDivisionError: a bug of ours" in written
    assert (tmp_path / "faults.log").exists()  # faulthandler's file, for crashes Python cannot log


def test_a_database_bug_is_one_line_without_its_sql(tmp_path: Path) -> None:
    """A query of ours that is wrong (a bug, not the environment): the driver's message on one
    line; the statement and its parameters only in the log."""
    env = dict(os.environ, CLAIMDESK_HOME=str(tmp_path))
    code = ("import sys, app.cli as c\n"
            "from sqlalchemy import create_engine, text\n"
            "def broken(args):\n"
            "    with create_engine('sqlite://').connect() as db:\n"
            "        db.execute(text('SELECT secret FROM nowhere WHERE id = :id'), {'id': 'private-value'})\n"
            "c._dispatch = broken\nsys.exit(c.run(['articles']))\n")
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env, cwd=ROOT)
    log = tmp_path / "claimdesk.log"
    assert result.returncode == 3
    assert result.stderr == f"claimdesk: internal error: OperationalError: no such table: nowhere (details in {log})\n"
    assert "SELECT secret FROM nowhere" in log.read_text("utf-8")


def test_the_umask_is_read_without_being_changed() -> None:
    from app import files

    before = os.umask(0o027)
    try:
        assert files._umask() == 0o027
        assert files.file_mode(Path("/nonexistent/report.html")) == 0o640
    finally:
        os.umask(before)


def test_a_command_lets_go_of_the_database_whether_it_succeeds_or_fails(tmp_path: Path, capsys) -> None:  # type: ignore[no-untyped-def]
    """Each command closes what it opened when it ends, also when it ends in one line: run inside
    a process that lives on (a script, a test), nothing is left for the garbage collector, and
    the database is whole, its write-ahead log folded in."""
    from app import cli

    before = open_sqlite_connections()
    db = tmp_path / "desk.sqlite3"
    assert cli.run(["--db", str(db), "import", str(SAMPLE)]) == 0
    assert cli.run(["--db", str(db), "articles"]) == 0
    assert cli.run(["--db", str(db), "claims", "99999"]) == cli.EXIT_USER_ERROR
    damaged = tmp_path / "damaged.sqlite3"
    damaged.write_bytes(b"not a database, " * 500)
    assert cli.run(["--db", str(damaged), "articles"]) == cli.EXIT_USER_ERROR
    err = capsys.readouterr().err
    assert "No article with id 99999" in err and "damaged" in err
    assert [c for c in open_sqlite_connections() if c not in before] == []
    assert not Path(f"{db}-wal").exists()
