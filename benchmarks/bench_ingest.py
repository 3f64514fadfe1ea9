"""Importing: whole processes (`claimdesk --db FILE import …` on a fresh database, as a user
waits for it) for a 1 MB .txt and a ~200-page .docx of real sentences, alternated with a bare
Python process that reads the same file; then the parts: the database write (through the
services, against the same rows in bare sqlite3, and what the search index's trigger costs of it),
lingua's one-off build, language per paragraph, structure."""

from __future__ import annotations

import io
import sqlite3
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from _util import gui_env, median_ms, report
from corpus import paragraphs

from app.ingest import analyse, language
from app.storage import search_index

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


def database_write(folder: Path) -> None:
    """The 1 MB import's one write transaction (the article, its first revision, 2,554 segments,
    2,000 claims) through the services, alternated with the same rows written in bare sqlite3
    (BEGIN IMMEDIATE, one INSERT each for the article and revision, one executemany each for the
    segments and claims, the search index filled once for the article's claims with the insert
    trigger standing aside as the services have it (migration 0016), COMMIT; every other trigger
    fires as in Claimdesk), and with the index kept by the trigger claim by claim instead (how
    the write was before 0016, to show what the one fill saves)."""
    from app.cli import open_workbench
    from app.detection import detect_claims
    from app.ingest import read_source
    from app.services.articles import fit_to_structure

    imported = read_source(str(folder / "speech.txt"))
    found = fit_to_structure(detect_claims(imported.text, segments=imported.segments), imported.segments)
    template = folder / "template.sqlite3"
    open_workbench(str(template))  # migrated
    copies = iter(range(10_000))

    def copy() -> Path:
        target = folder / f"write{next(copies)}.sqlite3"
        with sqlite3.connect(template) as src, sqlite3.connect(target) as dst:
            src.backup(dst)
        return target

    def services() -> float:
        bench = open_workbench(str(copy()))
        bench.articles()  # the engine connected and its settings read: not the write's
        t0 = time.perf_counter()
        bench.add_article(imported, detected=found)
        return (time.perf_counter() - t0) * 1000

    # The rows the services wrote, to write again bare.
    written = copy()
    open_workbench(str(written)).add_article(imported, detected=found)
    with sqlite3.connect(written) as c:
        article_id = c.execute("SELECT max(id) FROM article").fetchone()[0]
        rows = {}
        for table in ("article", "article_revision", "segment", "claim"):
            names = [r[1] for r in c.execute(f"PRAGMA table_info({table})") if r[1] != "id"]
            key = "id" if table == "article" else "article_id"
            rows[table] = (names, c.execute(f"SELECT {', '.join(names)} FROM {table} WHERE {key} = ?",
                                            (article_id,)).fetchall())

    def bare(one_fill: bool) -> float:
        c = sqlite3.connect(copy(), isolation_level=None)
        c.execute("PRAGMA journal_mode=WAL")
        t0 = time.perf_counter()
        c.execute("BEGIN IMMEDIATE")
        new_id = None
        for table, (names, values) in rows.items():
            if new_id is not None:
                at = names.index("article_id")
                values = [(*v[:at], new_id, *v[at + 1 :]) for v in values]
            sql = f"INSERT INTO {table} ({', '.join(names)}) VALUES ({', '.join('?' * len(names))})"
            if table == "article":
                new_id = c.execute(sql, values[0]).lastrowid
            elif table == "claim" and one_fill:
                c.execute("INSERT INTO claim_search_paused (article_id) VALUES (?)", (new_id,))
                c.executemany(sql, values)
                c.execute("DELETE FROM claim_search_paused WHERE article_id = ?", (new_id,))
                c.execute(search_index.FILL_ARTICLE, (new_id,))
            else:
                c.executemany(sql, values)
        c.execute("COMMIT")
        spent = (time.perf_counter() - t0) * 1000
        c.close()
        return spent

    out: dict[str, list[float]] = {"services": [], "bare": [], "bare, a trigger per claim": []}
    for _ in range(7):  # taking turns; each times its write alone (the copy and connection excluded)
        out["services"].append(services())
        out["bare"].append(bare(True))
        out["bare, a trigger per claim"].append(bare(False))
    report(f"the 1 MB import's write ({len(rows['segment'][1])} segments, {len(rows['claim'][1])} claims), "
           "through the services", out["services"], out["bare"],
           reference_label="the same rows in bare sqlite3 (executemany, the same triggers, the index filled once)")
    report("  … the same rows in bare sqlite3, the search index kept by its trigger claim by claim (before 0016)",
           out["bare, a trigger per claim"], out["bare"], reference_label="filled once")
    for path in folder.glob("write*.sqlite3*"):
        path.unlink()


def lingua_once() -> None:
    """Before anything in this process has asked lingua (the database write's import builds it)."""
    assert "lingua" not in sys.modules, "lingua was loaded before its one-off build was timed"
    t0 = time.perf_counter()
    language.detector()  # import lingua, build, preload the 14 languages' models
    report("lingua: import + build, once per process", (time.perf_counter() - t0) * 1000)


def parts() -> None:
    text = SAMPLE.read_text("utf-8")
    paras = [p for p in text.split("\n") if len(p.strip()) > 40]
    per = median_ms(lambda: [language.detect(p) for p in paras], runs=21) / len(paras)
    report("lingua: language of a paragraph", per)
    report("structure and languages of the sample", median_ms(lambda: analyse(text), runs=21))
    big = "\n\n".join(paragraphs(1_000_000))
    report("structure and languages of 1 MB of real sentences", median_ms(lambda: analyse(big), runs=3))


def main() -> int:
    lingua_once()
    with tempfile.TemporaryDirectory() as folder:
        whole_imports(Path(folder))
        database_write(Path(folder))
    parts()
    return 0


if __name__ == "__main__":
    sys.exit(main())
