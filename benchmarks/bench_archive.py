"""A desk's archive at scale: ARCHIVE claims (default 10,000; `make bench ARCHIVE=1000000`), built by
benchmarks/archive.py (ARCHIVE_DB=FILE reuses a built one). Start-up against the same app with a
small database (whole processes, alternated), the article list, opening the largest article (event
loop until settled) against a bare QPlainTextEdit, a verdict edit against a bare UPDATE + COMMIT,
search against a bare FTS5 match, counts by verdict, HTML and PDF reports. BENCH_BEFORE=TREE adds
another checkout's start-up rows, alternated in the same run (see `startup`); BENCH_ARCHIVE_ONLY=startup
runs the start-up rows alone."""

from __future__ import annotations

import os
import shutil
import sqlite3
import sys
import tempfile
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import archive  # noqa: E402
from _util import (  # noqa: E402
    alternate,
    database_for,
    gui_env,
    next_claim_ms,
    report,
    settled_process,
    window_and_bare,
)

N = int(os.environ.get("ARCHIVE") or 10_000)
RUNS = int(os.environ.get("BENCH_RUNS", "9"))
CLAIMDESK = str(Path(sys.executable).parent / "claimdesk")
WORDS = {"rare word": "cholesterol", "common word": "people", "one letter": "t"}


BEFORE = os.environ.get("BENCH_BEFORE", "")


def startup(db: Path, work: Path) -> None:
    """Both databases get the sample at their first start, which the window then opens: the same
    screen, with an archive behind it or not. BENCH_BEFORE=TREE (a checkout of another commit;
    the archive stepped down to its schema if that is older, see _util.database_for) alternates
    that tree's two starts in the same run as well: rows "(before)", each against its own small
    database."""
    trees = {"": ""} | ({" (before)": BEFORE} if BEFORE else {})
    commands: dict[tuple[str, str], tuple[list[str], dict[str, str]]] = {}
    for tree, path in trees.items():
        small = work / f"small{'-before' if tree else ''}.sqlite3"
        for name, target in (("archive", db), ("small", small)):
            home = work / f"home-{name}{'-before' if tree else ''}"
            home.mkdir()
            env = gui_env(str(home)) | ({"PYTHONPATH": path} if path else {})
            if path and name == "archive":  # an older build refuses a newer database: a copy at its schema
                target = Path(database_for(path, str(target), env))
            commands[tree, name] = ([CLAIMDESK, "--db", str(target)], env)
    times: dict[tuple[str, str, str], list[float]] = {}
    for argv, env in commands.values():
        settled_process(argv, env)  # first start: migrate, seed
    for _ in range(RUNS):
        # The first settled frame, and ready to edit (the Workbench loaded after it, see
        # app.first_screen): what an archive's size costs must show in either.
        for until in ("1", "ready"):
            for (tree, name), (argv, env) in commands.items():
                times.setdefault((tree, name, until), []).append(settled_process(argv, env, until)[0])
    for tree in trees:
        report(f"start-up with a {N:,}-claim archive, spawn to settled frame{tree}", times[tree, "archive", "1"],
               times[tree, "small", "1"], reference_label="same app, small database", goal_ratio=1.2)
        report(f"start-up with a {N:,}-claim archive, spawn to ready to edit (Workbench loaded){tree}",
               times[tree, "archive", "ready"], times[tree, "small", "ready"],
               reference_label="same app, small database", goal_ratio=1.2)


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        db = work / "archive.sqlite3"
        if os.environ.get("ARCHIVE_DB"):
            shutil.copyfile(os.environ["ARCHIVE_DB"], db)
        else:
            counts = archive.build(str(db), N)
            print(f"archive: {counts}", file=sys.stderr)
        startup(db, work)
        if os.environ.get("BENCH_ARCHIVE_ONLY") == "startup":
            return
        os.environ["CLAIMDESK_HOME"] = str(work / "home-archive")
        in_process(db)


def in_process(db: Path) -> None:

    from app import cli
    from app.export import build_report, write_report
    from app.ui.pdf import write_pdf
    from app.ui.settle import wait_settled

    bench = cli.open_workbench(str(db), actor="bench")
    raw = sqlite3.connect(str(db), isolation_level=None)
    raw.execute("PRAGMA busy_timeout = 5000")

    def bare_list() -> object:
        return raw.execute("SELECT id, title, imported_at FROM article ORDER BY imported_at DESC, id DESC").fetchall()

    listing = bench.articles.__self__  # the service: its entries forgotten for the first-read row

    def first_read() -> object:  # as at start-up: no entry from a read before to reuse
        listing.listed.forget()
        return bench.articles()

    got = alternate({"app": bench.articles, "bare": bare_list, "first": first_read}, runs=RUNS)
    report(f"article list, {N:,} claims", got["app"], got["bare"],
           reference_label="SELECT id, title, imported_at FROM article", goal_ratio=3.0)
    report(f"article list, {N:,} claims, every entry built (the first read, as at start-up)", got["first"],
           got["bare"], reference_label="SELECT id, title, imported_at FROM article", goal_ratio=3.0)

    largest, size = raw.execute(
        "SELECT article_id, count(*) FROM claim GROUP BY article_id ORDER BY count(*) DESC LIMIT 1").fetchone()
    text = bench.article(largest).text
    app, window, bare_window, bare = window_and_bare(bench, str(db))
    app_ms, bare_ms = [], []
    for _ in range(RUNS):
        window.open_article(None)
        bare.setPlainText("")
        wait_settled(window)
        wait_settled(bare_window)
        got = alternate({
            "bare": lambda: (bare.setPlainText(text), wait_settled(bare_window))[1],
            "app": lambda: (window.open_article(largest), wait_settled(window))[1],
        }, runs=1, warmup=0)
        app_ms += got["app"]
        bare_ms += got["bare"]
    report(f"open the largest article ({size:,} claims), until settled", app_ms, bare_ms,
           reference_label="bare QPlainTextEdit, same text", goal_ratio=3.0)
    window.select_claim(window.visible_claim_ids()[0])
    report(f"next claim (J) in the largest article ({size:,} claims), to the next frame",
           next_claim_ms(window, max(RUNS, 21)), goal_ms=16)

    from app.ui.actions import show_overview

    def open_overview() -> float:  # Go › Desk overview, as the user waits for it: read and drawn
        show_overview(window)
        assert window.overview_window is not None
        return wait_settled(window.overview_window)

    shown = alternate({"app": open_overview}, runs=RUNS)["app"]
    report(f"the desk overview opened in its window, {N:,} claims, until settled", shown)
    if window.overview_window is not None:
        window.overview_window.close()
        window.overview_window.deleteLater()
        window.overview_window = None
    window.close()
    app.processEvents()

    scale = bench.scale()
    ratings = [scale.labels[0], scale.labels[1]]
    claim_id = raw.execute("SELECT id FROM claim WHERE state != 'approved' ORDER BY id DESC LIMIT 1").fetchone()[0]
    flip = iter(ratings * 1000)
    label_ids = iter([r.id for r in ratings] * 1000)

    def bare_update() -> None:
        raw.execute("BEGIN IMMEDIATE")
        raw.execute("UPDATE claim SET verdict_id = ?, version = version + 1 WHERE id = ?", (next(label_ids), claim_id))
        raw.execute("COMMIT")

    columns = [d[0] for d in raw.execute("SELECT * FROM claim LIMIT 0").description]
    at_version, at_article, at_verdict = columns.index("version"), columns.index("article_id"), columns.index("verdict_id")

    def same_statements() -> None:
        """What an edit must do, bare: read the claim and its sources, write a history line and
        the new verdict under a version check, commit."""
        raw.execute("BEGIN IMMEDIATE")
        row = raw.execute("SELECT * FROM claim WHERE id = ?", (claim_id,)).fetchone()
        raw.execute("SELECT * FROM source s LEFT JOIN source_link l ON l.source_id = s.id WHERE s.claim_id = ?"
                    " ORDER BY s.id", (claim_id,)).fetchall()
        new = next(label_ids)
        raw.execute("INSERT INTO history (article_id, claim_id, entity, entity_id, field, old_value, new_value, actor,"
                    " at, version) VALUES (?, ?, 'claim', ?, 'verdict', ?, ?, 'bench', datetime('now'), ?) RETURNING id",
                    (row[at_article], claim_id, claim_id, str(row[at_verdict]), str(new), row[at_version] + 1)).fetchall()
        raw.execute("UPDATE claim SET verdict_id = ?, verdict_by = 'bench', updated_at = datetime('now'), version = ?"
                    " WHERE id = ? AND version = ?", (new, row[at_version] + 1, claim_id, row[at_version]))
        raw.execute("COMMIT")

    got = alternate({"app": lambda: bench.update_claim(claim_id, verdict=next(flip)), "bare": bare_update,
                     "same": same_statements}, runs=max(RUNS, 21))
    report("verdict edit through the services (write, history, version check)", got["app"], got["same"],
           reference_label="the same statements in sqlite3: read claim + sources, INSERT history, UPDATE, COMMIT",
           goal_ratio=1.5)
    report("verdict edit through the services, against the bare UPDATE (the old reference)", got["app"], got["bare"],
           reference_label="UPDATE + COMMIT in sqlite3", goal_ratio=1.5)

    for what, word in WORDS.items():
        def bare_search(word: str = word) -> object:
            return raw.execute("SELECT rowid FROM claim_search WHERE claim_search MATCH ? LIMIT 100",
                               (f'"{word}"*',)).fetchall()

        def same_columns(word: str = word) -> object:
            return raw.execute(
                "SELECT c.id, c.article_id, a.title, c.quote, c.state, coalesce(r.name, c.conclusion)"
                " FROM (SELECT rowid AS id FROM claim_search WHERE claim_search MATCH ? LIMIT 100) AS hits"
                " JOIN claim c ON c.id = hits.id JOIN article a ON a.id = c.article_id"
                " LEFT JOIN rating_label r ON r.id = c.verdict_id", (f'"{word}"*',)).fetchall()

        # A rare word's search is a few tenths of a millisecond: nine turns of it moved with the
        # machine's load by a third; more turns (not for one letter: seconds each) steady the median.
        got = alternate({"app": lambda word=word: bench.search(word), "bare": bare_search, "columns": same_columns},
                        runs=RUNS if len(word) < 2 else max(RUNS, 31))
        report(f"search, {what} (“{word}”), {N:,} claims", got["app"], got["columns"],
               reference_label="bare FTS5 MATCH … LIMIT 100 with the hit's columns (claim, article title, verdict)",
               goal_ratio=1.5)
        report(f"search, {what} (“{word}”), {N:,} claims, against rowids only (the old reference)", got["app"],
               got["bare"], reference_label="bare FTS5 MATCH … LIMIT 100, rowids", goal_ratio=1.5)

    def bare_counts() -> object:
        return raw.execute("SELECT verdict_id, count(*) FROM claim GROUP BY verdict_id").fetchall()

    # What the user waits for is the overview: counts by verdict per speaker and per outlet, by
    # state, per week, and the oldest waiting. Its fair reference is the same statements run bare
    # (the same work, less the Python around them); a lone GROUP BY verdict_id, the old
    # reference, does less than the overview shows and stays as its own row.
    got = alternate({"app": bench.overview, "bare": bare_counts, "sql": overview_sql(raw)}, runs=max(RUNS, 21))
    report(f"counts by verdict: the desk overview, {N:,} claims", got["app"], got["sql"],
           reference_label="the overview's statements alone in sqlite3 (counts by speaker, outlet and verdict, states,"
           " weeks, oldest waiting)", goal_ratio=1.5)
    report(f"counts by verdict: the desk overview, {N:,} claims, against a bare GROUP BY (the old reference)",
           got["app"], got["bare"], reference_label="SELECT verdict_id, count(*) … GROUP BY", goal_ratio=1.5)

    article = bench.article(largest)

    def report_of() -> object:
        return build_report(article, bench.claims(largest), scales=bench.scales(),
                            evidence=bench.article_evidence(largest), structure=bench.segments(largest))

    with tempfile.TemporaryDirectory() as out:
        html = alternate({"html": lambda: write_report(report_of(), "html", Path(out) / "r.html")}, runs=5)["html"]
        report(f"HTML report of the largest article ({size:,} claims), from the database", html, goal_ms=1000)
        pdf = alternate({"pdf": lambda: write_pdf(report_of(), Path(out) / "r.pdf")}, runs=3)["pdf"]
        report(f"PDF report of the largest article ({size:,} claims), from the database", pdf, goal_ms=3000)
    bench.close()


def overview_sql(raw: sqlite3.Connection) -> object:
    """The statements the desk overview sends, run bare (the Python around them left out)."""
    from datetime import datetime, time, timedelta

    from sqlalchemy.dialects import sqlite

    from app.domain.overview import WEEKS
    from app.services import overview

    # From the Monday of the first week shown, as DeskOverview.overview asks (it was twelve weeks
    # back from now: up to six days fewer to read than the overview itself reads).
    at = datetime.now()
    since = datetime.combine(at.date() - timedelta(days=at.weekday(), weeks=WEEKS - 1), time())
    statements = [overview._checked_since(since), overview._BY_SPEAKER, overview._BY_OUTLET, overview._STATES,
                  *overview._oldest()]
    sql = [str(q.compile(dialect=sqlite.dialect(), compile_kwargs={"literal_binds": True})) for q in statements]

    def run() -> object:
        return [raw.execute(q).fetchall() for q in sql]

    return run


if __name__ == "__main__":
    main()
