"""Importing: whole processes (`claimdesk --db FILE import …` on a fresh database, as a user
waits for it) for a 1 MB .txt and a ~200-page .docx of real sentences, alternated with a bare
Python process that reads the same file; then the parts: lingua's one-off build, language per
paragraph, structure."""

from __future__ import annotations

import io
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from _util import gui_env, median_ms, report
from corpus import paragraphs

from app.ingest import analyse, language

ROOT = Path(__file__).resolve().parent.parent
SAMPLE = ROOT / "seeds" / "000_dfc4ea22a266b7c5.txt"
CLAIMDESK = [sys.executable, "-m", "app"]


def _docx(texts: list[str]) -> bytes:
    import docx

    document = docx.Document()
    document.add_heading("Transcript of the hearing", level=1)
    for i, text in enumerate(texts):
        if i % 25 == 0:
            document.add_heading(f"Part {i // 25 + 1}", level=2)
        document.add_paragraph(text)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def whole_imports(folder: Path) -> None:
    txt = folder / "speech.txt"
    txt.write_text("Transcript of the hearing\n\n" + "\n\n".join(paragraphs(1_000_000)), "utf-8")
    doc = folder / "hearing.docx"
    doc.write_bytes(_docx(paragraphs(600_000, seed=11)))  # about 200 pages of 3,000 characters
    env = gui_env(str(folder))
    runs = iter(range(10_000))

    def timed(path: Path) -> list[float]:
        """Bare reads and imports, taking turns: [bare, import, bare, import, …] in ms."""
        out: list[float] = []
        for _ in range(5):
            db = folder / f"desk{next(runs)}.sqlite3"
            subprocess.run([*CLAIMDESK, "--db", str(db), "articles"], env=env, check=True, capture_output=True,
                           cwd=ROOT)
            bare = [sys.executable, "-c", f"open({str(path)!r}, 'rb').read()"]
            t0 = time.perf_counter()
            subprocess.run(bare, env=env, check=True, cwd=ROOT)
            out.append(-1000 * (t0 - time.perf_counter()))
            t0 = time.perf_counter()
            subprocess.run([*CLAIMDESK, "--db", str(db), "import", str(path)], env=env, check=True,
                           capture_output=True, cwd=ROOT)
            out.append(-1000 * (t0 - time.perf_counter()))
        return out

    for label, path in (("1 MB .txt", txt), (f"{doc.stat().st_size // 1024} kB .docx (~200 pages)", doc)):
        both = timed(path)
        report(f"import a {label}, whole process", both[1::2], both[0::2],
               reference_label="(bare python reading it)", goal_ms=1500)


def parts() -> None:
    text = SAMPLE.read_text("utf-8")
    paras = [p for p in text.split("\n") if len(p.strip()) > 40]
    t0 = time.perf_counter()
    language.detector()  # import lingua, build, preload the 14 languages' models
    report("lingua: import + build, once per process", (time.perf_counter() - t0) * 1000)
    per = median_ms(lambda: [language.detect(p) for p in paras], runs=21) / len(paras)
    report("lingua: language of a paragraph", per)
    report("structure and languages of the sample", median_ms(lambda: analyse(text), runs=21))
    big = "\n\n".join(paragraphs(1_000_000))
    report("structure and languages of 1 MB of real sentences", median_ms(lambda: analyse(big), runs=3))


def main() -> int:
    with tempfile.TemporaryDirectory() as folder:
        whole_imports(Path(folder))
    parts()
    return 0


if __name__ == "__main__":
    sys.exit(main())
