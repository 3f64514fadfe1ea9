"""The PDF report: pages, sizes, footers, fonts, atomic writes and hostile text, checked from the
PDF's bytes and from the QTextDocument it is drawn from (no PDF text extractor is needed)."""

from __future__ import annotations

import json
import os
import re
import shutil
import stat
import subprocess
import sys
from bisect import bisect_right
from pathlib import Path

import pytest
from conftest import ROOT
from test_export import (
    FALSE,
    GENERATED,
    HOSTILE_SCRIPT,
    LONG_NOTE,
    MISLEADING,
    PRIVATE,
    SCALES,
    SETTINGS,
    UNVERIFIABLE,
    VERIFIED,
    claim_at,
    hostile_report,
    make_article,
    sample_claims,
)

from app.domain import State
from app.domain.validate import ValidationError
from app.export import TEXT_FORMATS, Report, build_report
from app.ui.pdf import (
    PAGE_SIZES,
    ensure_gui_app,
    export_to,
    page_cuts,
    page_label,
    page_starts,
    report_document,
    write_pdf,
)

pytestmark = pytest.mark.gui

PAGE = re.compile(rb"/Type\s*/Page(?![A-Za-z])")
MEDIA_BOX = re.compile(rb"/MediaBox\s*\[\s*0\s+0\s+([\d.]+)\s+([\d.]+)\s*\]")


@pytest.fixture(autouse=True)
def app(qapp):  # type: ignore[no-untyped-def]
    """pytest-qt's QApplication: write_pdf must use it rather than make its own."""
    assert ensure_gui_app() is qapp
    return qapp


@pytest.fixture
def report() -> Report:
    return build_report(make_article(), sample_claims(), generated_at=GENERATED, scales=SCALES)


# Every combination a long report holds: signed off, waiting for review, a conclusion, nothing yet.
WORK = [
    (State.APPROVED, VERIFIED, ""),
    (State.IN_REVIEW, MISLEADING, ""),
    (State.APPROVED, None, "Correct, but the figure is from 2019."),
    (State.IN_PROGRESS, None, ""),
    (State.APPROVED, FALSE, ""),
    (State.NOT_STARTED, None, ""),
    (State.APPROVED, UNVERIFIABLE, ""),
]


def many_claims(n: int) -> Report:
    paragraph = "The council approved a budget of {i} million euros on Tuesday, its biggest yet. "
    text = "\n\n".join(paragraph.format(i=i) * 3 for i in range(n))
    claims = []
    for i in range(n):
        quote = f"a budget of {i} million euros"
        start = text.index(quote, text.index(paragraph.format(i=i)))
        state, verdict, conclusion = WORK[i % len(WORK)]
        claims.append(claim_at(text[: start + len(quote)], quote, i + 1, state, verdict,
                               conclusion=conclusion, summary=f"Verdict {i}. " * (1 + i % 9)))
    return build_report(make_article(text), claims, generated_at=GENERATED, scales=SCALES)


def pages_in(data: bytes) -> int:
    return len(PAGE.findall(data))


def test_a4_and_letter(report: Report, tmp_path: Path) -> None:
    sizes = {}
    for name in ("A4", "Letter"):
        path = tmp_path / f"{name}.pdf"
        pages = write_pdf(report, path, page_size=name)
        data = path.read_bytes()
        assert data.startswith(b"%PDF-") and data.rstrip().endswith(b"%%EOF")
        assert pages == pages_in(data) >= 1
        boxes = {tuple(round(float(v)) for v in box) for box in MEDIA_BOX.findall(data)}
        (sizes[name],) = boxes
    assert sizes == {"A4": (595, 842), "Letter": (612, 792)}
    assert set(PAGE_SIZES) == {"A4", "Letter"}
    with pytest.raises(ValueError, match="Unknown page size 'A5'"):
        write_pdf(report, tmp_path / "x.pdf", page_size="A5")


def test_fonts_are_embedded_and_the_title_is_set(report: Report, tmp_path: Path) -> None:
    path = tmp_path / "r.pdf"
    write_pdf(report, path)
    data = path.read_bytes()
    assert b"/FontFile2" in data or b"/FontFile3" in data or b"/FontFile " in data
    # Verdicts still wait for sign-off: the title, and so every page's footer, says draft.
    title = "Draft fact-check: City budget grows by a fifth".encode("utf-16-be")
    assert b"/Title (\xfe\xff" + title in data
    final = build_report(make_article(), sample_claims(), generated_at=GENERATED, include="approved")
    write_pdf(final, path)
    title = "Fact-check: City budget grows by a fifth".encode("utf-16-be")
    assert b"/Title (\xfe\xff" + title in path.read_bytes()


def test_a_long_report_has_numbered_pages_and_no_claim_split_from_its_verdict(
    tmp_path: Path,
) -> None:
    report = many_claims(60)
    pages = write_pdf(report, tmp_path / "long.pdf", page_size="Letter")
    assert pages == pages_in((tmp_path / "long.pdf").read_bytes()) > 3
    assert page_label(2, pages) == f"Page 2 of {pages}"

    # Cut as the PDF is: no line is cut in two, and each claim's number, quote, verdict label
    # and first verdict line share a page.
    doc = report_document(report)
    height = 900.0
    cuts = page_cuts(doc, 600, height)
    assert all(0 < b - a <= height for a, b in zip(cuts, cuts[1:], strict=False))

    def page_of(y: float) -> int:
        return bisect_right(cuts, y) - 1

    layout = doc.documentLayout()
    heads: dict[str, float] = {}
    checked = lines = 0
    block = doc.begin()
    current = None
    while block.isValid():
        rect = layout.blockBoundingRect(block)
        origin = rect.top() - block.layout().boundingRect().top()
        if block.length() > 1:
            for i in range(block.layout().lineCount()):
                line = block.layout().lineAt(i)
                assert page_of(origin + line.y()) == page_of(origin + line.y() + line.height() - 0.01)
                lines += 1
        fragment = block.begin().fragment() if not block.begin().atEnd() else None
        names = fragment.charFormat().anchorNames() if fragment is not None else []
        if names and names[0].startswith("claim-"):
            current = names[0]
            heads[current] = rect.top()
        elif current and block.text().startswith("Verdict "):
            first_line = origin + block.layout().lineAt(0).height()
            assert page_of(heads[current]) == page_of(first_line - 0.5), current
            checked += 1
            current = None
        block = block.next()
    assert checked == 60 and lines > 500 and len(cuts) > 4


def test_the_pdf_shows_the_draft_banner_and_every_sign_off(report: Report) -> None:
    text = " ".join(report_document(report).toPlainText().split())
    assert text.startswith("DRAFT FACT-CHECK REPORT")
    assert text.index("Draft: 1 of 3 verdicts is not approved yet.") < text.index("Summary")
    assert text.count("Approved by Ben Editor on 13 May 2024") == 2
    assert "Not approved yet (in review); verdict by Ana Checker" in text
    assert "NO VERDICT YET" in text and "MISLEADING" in text
    assert "By state: In progress 1 · In review 1 · Approved 2" in text


def test_the_pdf_says_what_it_leaves_out_and_never_shows_private_notes(report: Report) -> None:
    resolved = build_report(make_article(), sample_claims(), generated_at=GENERATED, include="resolved")
    text = " ".join(report_document(resolved).toPlainText().split())
    assert "This report includes only claims with a verdict. 1 claim without a verdict is left out." in text
    for r in (report, resolved, hostile_report()):
        assert PRIVATE not in report_document(r).toPlainText()
    text = report_document(report).toPlainText()
    assert "Said by \u2068City Finance Department\u2069" in text
    assert "The rise is 21% in nominal terms but 14% after inflation." in text


def test_hostile_text_is_shown_as_text_and_nothing_in_the_pdf_runs(tmp_path: Path) -> None:
    report = hostile_report()
    text = report_document(report).toPlainText()
    assert HOSTILE_SCRIPT in text  # escaped in the HTML, so the reader sees the characters
    assert LONG_NOTE in text.replace("\u2028", "").replace("\n", "")
    path = tmp_path / "hostile.pdf"
    pages = write_pdf(report, path)
    data = path.read_bytes()
    assert pages == pages_in(data) > 5  # the 100,000-character note wraps over many pages
    for active in (b"/JavaScript", b"/JS ", b"/JS(", b"/Launch", b"/SubmitForm", b"/OpenAction"):
        assert active not in data
    uris = re.findall(rb"/URI\s*\(([^)]*)\)", data)
    assert uris and all(u.startswith(b"https://") or u.startswith(b"http://") for u in uris)
    assert not [u for u in uris if b"javascript" in u.lower() or b"data:" in u.lower()]


@pytest.mark.skipif(shutil.which("pdftotext") is None, reason="poppler's pdftotext is not installed")
def test_extracted_text_has_the_footer_and_the_escaped_text(report: Report, tmp_path: Path) -> None:
    path = tmp_path / "r.pdf"
    pages = write_pdf(hostile_report(), path)
    text = subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True,
                          text=True, check=True).stdout
    assert f"Page 1 of {pages}" in text and f"Page {pages} of {pages}" in text
    assert "<script>alert(1)</script>" in text


def test_written_atomically_with_ordinary_permissions(report: Report, tmp_path: Path) -> None:
    path = tmp_path / "r.pdf"
    path.write_bytes(b"the previous report")

    def fail(done: int, total: int) -> None:
        raise RuntimeError("disk full")

    with pytest.raises(RuntimeError, match="disk full"):
        write_pdf(report, path, progress=fail)
    assert path.read_bytes() == b"the previous report"
    assert [p.name for p in tmp_path.iterdir()] == ["r.pdf"]  # no temporary file left behind

    path.unlink()
    seen: list[tuple[int, int]] = []
    pages = write_pdf(report, path, progress=lambda done, total: seen.append((done, total)))
    assert seen == [(n, pages) for n in range(1, pages + 1)]
    umask = os.umask(0)
    os.umask(umask)
    assert stat.S_IMODE(path.stat().st_mode) == 0o666 & ~umask


def test_unwritable_places_are_refused_in_one_line(report: Report, tmp_path: Path) -> None:
    with pytest.raises(ValidationError, match="the folder .* does not exist"):
        write_pdf(report, tmp_path / "missing" / "r.pdf")
    with pytest.raises(ValidationError, match="is a folder; name the file"):
        write_pdf(report, tmp_path)


def test_export_to_writes_every_format(report: Report, tmp_path: Path) -> None:
    for fmt in (*TEXT_FORMATS, "pdf"):
        path = export_to(tmp_path / f"report.{fmt}", fmt, report, page_size="Letter", **SETTINGS)
        assert path.stat().st_size > 0
    assert (tmp_path / "report.pdf").read_bytes().startswith(b"%PDF-")
    graph = json.loads((tmp_path / "report.claimreview").read_text("utf-8"))["@graph"]
    assert graph[0]["url"] == SETTINGS["report_url"] + "#claim-1"
    with pytest.raises(ValidationError):
        export_to(tmp_path / "x.jsonld", "claimreview", report)


def test_seed_article_in_three_languages(tmp_path: Path) -> None:
    from test_export import SEED

    from app.paths import seeds_dir

    text = (seeds_dir() / SEED).read_text(encoding="utf-8")
    claims = [claim_at(text, "Организация ОДКБ выполняет все свои функции", 1, State.APPROVED, UNVERIFIABLE),
              claim_at(text, "pays chiite à 75%", 2, State.IN_REVIEW, FALSE)]
    report = build_report(make_article(text), claims, generated_at=GENERATED)
    assert write_pdf(report, tmp_path / "seed.pdf") >= 2
    assert "Организация ОДКБ" in report_document(report).toPlainText()


CLI_LIKE = """
import os, sys
from pathlib import Path
from app.ui.pdf import ensure_gui_app, export_to
from app.export import build_report
from app.domain import Article
app = ensure_gui_app()
print(app.platformName(), type(app).__name__)
report = build_report(Article(1, "T", "Some text.", "h"), [])
export_to(Path(sys.argv[1]), "pdf", report)
"""


@pytest.mark.parametrize(
    ("display", "preset"),
    [(None, None), (":99", ""), (":99", "xcb"), (None, "minimal")],
    ids=["no-display", "unreachable-display-empty-platform", "unreachable-display-xcb", "minimal"],
)
def test_the_command_line_always_draws_pdf_offscreen(
    tmp_path: Path, display: str | None, preset: str | None
) -> None:
    """No display, an unreachable one, or an empty QT_QPA_PLATFORM: the PDF is drawn offscreen,
    and nothing from Qt reaches the terminal."""
    env = {k: v for k, v in os.environ.items()
           if k not in ("DISPLAY", "WAYLAND_DISPLAY", "QT_QPA_PLATFORM")}
    if display is not None:
        env["DISPLAY"] = display
    if preset is not None:
        env["QT_QPA_PLATFORM"] = preset
    target = tmp_path / "cli.pdf"
    result = subprocess.run([sys.executable, "-c", CLI_LIKE, str(target)], capture_output=True,
                            text=True, env=env, cwd=ROOT, check=True)
    assert result.stdout.split() == ["offscreen", "QGuiApplication"]
    assert result.stderr == ""
    assert target.read_bytes().startswith(b"%PDF-")


def test_no_page_opens_with_a_stray_rule() -> None:
    """A rule between two claims that falls at the top of a page is left out there (#15)."""
    report = many_claims(60)
    doc = report_document(report)
    cuts = page_cuts(doc, 600, 900.0)
    starts = page_starts(doc, cuts)
    assert len(starts) == len(cuts) - 1 > 3
    layout = doc.documentLayout()
    first_lines: list[tuple[float, str | None]] = []
    block = doc.begin()
    while block.isValid():
        if block.layout().lineCount() and block.length() > 1:
            top = layout.blockBoundingRect(block).top()
            it = block.begin()
            names = it.fragment().charFormat().anchorNames() if not it.atEnd() else []
            first_lines.append((top, names[0] if names else None))
        block = block.next()
    first_lines.sort(key=lambda item: item[0])
    skipped = 0
    for start, cut, end in zip(starts, cuts, cuts[1:], strict=False):
        assert cut <= start < end
        skipped += start > cut
        opening = next(marker for top, marker in first_lines if top >= start - 0.5)
        assert opening != "keep-start", f"page at {start} opens with a rule"
    assert skipped  # the claims' groups move whole, so some pages did start at a rule


@pytest.mark.skipif(shutil.which("pdftotext") is None, reason="poppler's pdftotext is not installed")
def test_a_report_laid_out_in_parts_reads_as_one(tmp_path: Path) -> None:
    """#17: thousands of claims are laid out as many small documents (Qt's parser and layout grow
    faster than the text). The PDF still holds every claim once, in order, every line whole, and
    as many pages as one long document would take, give or take the seams."""
    from app.export import render_print_html
    from app.ui.pdf import measure, parted_documents

    report = many_claims(400)
    html = render_print_html(report, links=False)
    docs = parted_documents(html)
    assert len(docs) > 5
    one = report_document(report)
    assert " ".join(" ".join(d.toPlainText() for d in docs).split()) == " ".join(one.toPlainText().split())
    parted, whole = measure(docs, 600).cuts(900.0), page_cuts(one, 600, 900.0)
    assert abs(len(parted) - len(whole)) <= max(2, len(whole) // 50)

    path = tmp_path / "parts.pdf"
    pages = write_pdf(report, path)
    assert pages == pages_in(path.read_bytes()) > 20
    text = subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True, check=True).stdout
    numbers = [int(n) for n in re.findall(r"a budget of (\d+) million euros”", text)]
    assert numbers == list(range(400))  # each claim's quote once, in order, in the claims section
    assert f"Page {pages} of {pages}" in text
