"""Detection in two parts (`claimdesk import` detects the second half of the paragraphs in a helper
process): the parts joined are what detection over the whole text proposes, wherever the text
is cut, and a helper that fails costs time, never claims. And the counts and cuts made fast for
the import give exactly what the slow ones gave."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import ROOT, SAMPLE, raw_sqlite

from app.detection import detect_claims
from app.detection.detector import MAX_CLAIMS, joined, prepare
from app.ingest import read_file


def _long_text(tmp_path: Path) -> Path:
    """About 900 kB whose claims run past detection's cap of suggestions."""
    body = SAMPLE.read_text("utf-8").split("\n", 1)[1]
    big = tmp_path / "long.txt"
    big.write_text("A long file\n\n" + "\n\n".join(f"Part {i}.\n{body}" for i in range(100)), "utf-8")
    return big


@pytest.mark.parametrize("where", [0.0, 0.03, 0.5, 0.97, 1.0])
def test_the_parts_joined_are_the_claims_of_the_whole_sample(where: float) -> None:
    imported = read_file(SAMPLE)
    segments = imported.segments
    cut = round(where * len(segments))
    prepared = prepare(imported.text)
    whole = detect_claims(imported.text, segments=segments)
    assert len(whole) == 23
    assert joined(prepared.claims(segments[:cut]), prepared.claims(segments[cut:])) == whole


@pytest.mark.parametrize("where", [0.1, 0.5, 0.9])
def test_the_parts_joined_stop_at_the_cap_where_the_whole_does(tmp_path: Path, where: float) -> None:
    imported = read_file(_long_text(tmp_path))
    segments = imported.segments
    cut = round(where * len(segments))
    prepared = prepare(imported.text)
    whole = detect_claims(imported.text, segments=segments)
    assert len(whole) == MAX_CLAIMS
    assert joined(prepared.claims(segments[:cut]), prepared.claims(segments[cut:])) == whole


def _import(db: Path, source: Path, env: dict[str, str], before: str = "") -> subprocess.CompletedProcess[str]:
    code = before + (
        "import sys\nfrom app.main import main\n"
        f"sys.exit(main(['--db', {str(db)!r}, 'import', {str(source)!r}]))\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env, cwd=ROOT,
                          timeout=180)
    assert done.returncode == 0, done.stderr[-2000:]
    return done


def _claims(db: Path, article: str, env: dict[str, str]) -> list[dict[str, object]]:
    out = subprocess.run([sys.executable, "-m", "app", "--db", str(db), "claims", article, "--json"],
                         capture_output=True, text=True, env=env, cwd=ROOT, check=True, timeout=120).stdout
    return [{k: v for k, v in c.items() if k not in ("created_at", "updated_at")} for c in json.loads(out)]


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="the reader and its helper are forked on Linux only")
def test_the_helper_detects_half_and_a_failed_helper_loses_no_claim(template_db: Path, tmp_path: Path) -> None:
    env = dict(os.environ, CLAIMDESK_HOME=str(tmp_path))
    source = _long_text(tmp_path)
    helped, failed, inline = (tmp_path / f"{name}.sqlite3" for name in ("helped", "failed", "inline"))
    for db in (helped, failed, inline):
        db.write_bytes(template_db.read_bytes())
    marker = tmp_path / "helper-ran"
    # The helper leaves a mark when it runs; a helper that dies at once leaves its half to the reader.
    spy = (
        "import app.cli_import as ci, pathlib\n"
        "ci.a_core_to_spare = lambda: True\n"  # however busy the machine running the tests is
        "real = ci._helper\n"
        f"ci._helper = lambda *a: (pathlib.Path({str(marker)!r}).touch(), real(*a))\n"
    )
    dies = "import app.cli_import as ci, os\nci.a_core_to_spare = lambda: True\nci._helper = lambda *a: os._exit(3)\n"
    alone = "import threading, time\nthreading.Thread(target=time.sleep, args=(60,), daemon=True).start()\n"
    with_helper = _import(helped, source, env, spy)
    assert marker.exists()
    without = _import(failed, source, env, dies)
    reference = _import(inline, source, env, alone)  # a second thread: no child, the command reads itself
    assert f"{MAX_CLAIMS} suggested claims" in with_helper.stderr
    assert with_helper.stdout == without.stdout == reference.stdout
    assert with_helper.stderr == without.stderr == reference.stderr
    article = reference.stdout.strip()
    assert _claims(helped, article, env) == _claims(failed, article, env) == _claims(inline, article, env)


def test_letters_are_counted_as_isalpha_counts_them_in_every_script() -> None:
    """lingua is asked only about paragraphs with enough letters, and a paragraph's letters decide
    whether its language counts as one of the document's: the fast count must be the exact one."""
    from app.ingest.language import _letters

    texts = [
        SAMPLE.read_text("utf-8"),  # English, French and Russian, typographic quotes
        "Plain ASCII, with digits 1984 and_underscores.",
        "Привет, мир! L'économie ralentit. ² ½ ⅷ Ⅻ ǅ ß ﬁ 𝔘𝔫𝔦 😀 ١٢٣ \u0301e\u0301 \x00\x7f",
        "".join(map(chr, range(0, 0x3000))),  # every character up to CJK, letters or not
    ]
    for text in texts:
        for start in range(0, len(text), 211):
            part = text[start : start + 600]
            assert _letters(part) == sum(map(str.isalpha, part)), part[:40]


def test_the_text_is_cut_into_tokens_piece_by_piece_exactly_as_in_one_go() -> None:
    """scan() translates a long text a piece at a time (str.translate is fast only on an all-ASCII
    string): a piece's edge, wherever it falls, must change nothing."""
    from app.detection.signals import _PIECE, _SEPARATORS, _separated, scan

    mixed = SAMPLE.read_text("utf-8").lower() + "".join(map(chr, range(0, 0x3000)))
    english = "The deficit rose by 3,200 dollars in 1984 – “that’s a fact”. " * 200
    for text in (mixed, english, mixed[: _PIECE - 1], mixed[: _PIECE + 1], english + mixed):
        assert _separated(text) == text.translate(_SEPARATORS)
    sample = SAMPLE.read_text("utf-8")
    found = scan(sample * 3)
    assert found.starts and len(sample) * 3 > _PIECE
    assert found.hits[: len(scan(sample).hits)] == scan(sample).hits


def test_a_docx_paragraph_reads_as_python_docx_reads_it() -> None:
    """The .docx reader takes a paragraph's text from its runs without python-docx's XPath queries:
    runs, hyperlinks, tabs, every kind of break, hyphens, fields and tracked changes come out as
    python-docx's Paragraph.text gives them."""
    import docx
    from docx.oxml import parse_xml
    from docx.text.paragraph import Paragraph

    from app.ingest.docx import _paragraph_text

    w = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'
    bodies = [
        "<w:r><w:t>Plain</w:t></w:r><w:r><w:t xml:space='preserve'> text </w:t></w:r>",
        "<w:r><w:t>a</w:t><w:tab/><w:t>b</w:t><w:br/><w:t>c</w:t><w:br w:type='page'/><w:t>d</w:t>"
        "<w:cr/><w:noBreakHyphen/><w:ptab w:relativeTo='margin' w:alignment='left' w:leader='none'/></w:r>",
        "<w:r><w:t>See </w:t></w:r><w:hyperlink><w:r><w:t>the report</w:t></w:r><w:r><w:tab/></w:r></w:hyperlink>"
        "<w:r><w:t>.</w:t></w:r>",
        "<w:ins><w:r><w:t>inserted</w:t></w:r></w:ins><w:r><w:t>kept</w:t></w:r>"
        "<w:fldSimple w:instr='PAGE'><w:r><w:t>7</w:t></w:r></w:fldSimple><w:r><w:t/></w:r>",
        "<w:r><w:rPr><w:b/></w:rPr><w:t>bold</w:t><w:sym w:char='F0E0'/><w:br w:type='column'/></w:r>",
        "",
    ]
    document = docx.Document()
    for body in bodies:
        p = parse_xml(f"<w:p {w}>{body}</w:p>")
        document.element.body.append(p)
        paragraph = Paragraph(p, document)
        assert _paragraph_text(p) == paragraph.text, body


def test_the_import_command_lets_go_of_the_database_before_it_exits(tmp_path: Path) -> None:
    """`claimdesk import` closes the database itself, then spares its exit the teardown (gc.freeze):
    the file is whole and its write-ahead log folded in and removed, as an ordinary exit leaves it."""
    db = tmp_path / "desk.sqlite3"
    env = dict(os.environ, CLAIMDESK_HOME=str(tmp_path))
    done = subprocess.run([sys.executable, "-m", "app", "--db", str(db), "import", str(SAMPLE)], capture_output=True,
                          text=True, env=env, cwd=ROOT, timeout=180)
    assert done.returncode == 0, done.stderr[-2000:]
    article = int(done.stdout.strip())
    assert not Path(f"{db}-wal").exists()
    with raw_sqlite(db) as c:
        assert c.execute("SELECT count(*) FROM claim WHERE article_id = ?", (article,)).fetchone()[0] == 23


def test_an_import_run_inside_a_process_that_lives_on_leaves_its_collector_alone(tmp_path: Path) -> None:
    import gc

    from app import cli

    frozen = gc.get_freeze_count()
    assert cli.run(["--db", str(tmp_path / "desk.sqlite3"), "import", str(SAMPLE)]) == 0
    assert gc.get_freeze_count() == frozen
    assert not Path(f"{tmp_path / 'desk.sqlite3'}-wal").exists()  # let go of all the same


def test_an_import_run_inside_a_process_that_lives_on_gives_its_collector_back(tmp_path: Path) -> None:
    """The command holds cycle collection while it reads ahead; a caller's collector is as it was after."""
    import gc

    from app import cli

    assert gc.isenabled()
    assert cli.run(["--db", str(tmp_path / "desk.sqlite3"), "import", str(SAMPLE)]) == 0
    assert gc.isenabled()
