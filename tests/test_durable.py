"""Disks and databases in the way (issue #16, items 4 and 5): one line, no SQL; downgrades keep
the data or copy it first.

- A full disk (simulated with SQLite's own max_page_count, which fails with the very error a
  full disk gives; and a real 1 MB tmpfs where root may mount one), a read-only database
  (SQLite's mode=ro, and a read-only mount where root may make one), odd alembic_version
  contents and another program's database: exit 1, one line on stderr, the file untouched.
- Every migration's downgrade, one step at a time from head to base with data in every table:
  a step that drops data backs the file up first (the copy holds everything), a step that drops
  nothing keeps everything when upgraded again. On PostgreSQL a lossy step is refused without
  --force.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
import sys
from collections.abc import Iterator
from datetime import date, datetime
from pathlib import Path
from typing import Any

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from alembic.script import ScriptDirectory
from conftest import ROOT, SAMPLE, raw_sqlite
from sqlalchemy import event

from app import cli
from app.domain import SourceKind, Stance, State
from app.domain.errors import StorageError, ValidationError
from app.storage import engine as engine_module
from app.storage.engine import make_engine
from app.storage.migrate import alembic_config, downgrade, head_revision, migrate
from app.storage.models import Base, is_mapped_table


def claimdesk(*args: str) -> subprocess.CompletedProcess[str]:
    command = [sys.executable, "-m", "app", *args]
    return subprocess.run(command, capture_output=True, text=True, cwd=ROOT, timeout=120, env=dict(os.environ))


def one_line(result: subprocess.CompletedProcess[str] | tuple[int, str], fragment: str) -> str:
    """Exit code 1 and exactly one line on stderr, with `fragment` and no SQL in it."""
    code, err = (result.returncode, result.stderr) if isinstance(result, subprocess.CompletedProcess) else result
    lines = err.strip().splitlines()
    assert code == 1, err
    assert len(lines) == 1, err
    line = lines[0]
    assert line.startswith("claimdesk: ") and fragment in line, line
    for leak in ("internal error", "INSERT", "SELECT", "[SQL", "parameters", "sqlalche.me", "Traceback"):
        assert leak not in line, line
    assert len(line) < 400, line
    return line


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def run_cli(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str]:
    code = cli.run(list(args))
    return code, capsys.readouterr().err


# --- a full disk ---------------------------------------------------------------------------


def many_claims(path: Path, paragraphs: int = 600) -> Path:
    """An article that detects into hundreds of claims: one bulk insert of thousands of parameters."""
    path.write_text(
        "\n\n".join(f"In {1990 + n % 30} the ministry said {n} 000 soldiers were based at site {n}." for n in range(paragraphs)),
        "utf-8",
    )
    return path


@pytest.fixture
def disk_fills_after(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """Every SQLite connection may grow the file by only so many pages: past them SQLite fails
    with SQLITE_FULL, "database or disk is full", exactly as on a full disk."""
    headroom: list[int] = []
    real = engine_module._install_sqlite_pragmas

    def install(engine: Any) -> None:
        real(engine)

        @event.listens_for(engine, "connect")
        def _cap(dbapi_connection: Any, _record: Any) -> None:
            if headroom:
                cursor = dbapi_connection.cursor()
                pages = cursor.execute("PRAGMA page_count").fetchone()[0]
                cursor.execute(f"PRAGMA max_page_count={pages + headroom[0]}")
                cursor.close()

    monkeypatch.setattr(engine_module, "_install_sqlite_pragmas", install)
    return headroom


@pytest.mark.parametrize("pages", [1, 10, 40])
def test_an_import_that_fills_the_disk_is_one_line_without_sql(
    db_path: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str], disk_fills_after: list[int], pages: int
) -> None:
    """1 page: the article row fails; 10: its segments; 40: the bulk insert of 600 claims, whose
    SQLAlchemy error text carries 3.7 KB of statement and parameters (the issue's "3.8 KB")."""
    assert run_cli(capsys, "--db", str(db_path), "import", str(SAMPLE))[0] == 0
    before = run_cli(capsys, "--db", str(db_path), "articles")
    disk_fills_after.append(pages)
    line = one_line(run_cli(capsys, "--db", str(db_path), "import", str(many_claims(tmp_path / "big.txt"))),
                    "the disk is full")
    assert line == f"claimdesk: Cannot write the database at {db_path}: the disk is full; nothing was written."
    disk_fills_after.clear()
    assert run_cli(capsys, "--db", str(db_path), "articles") == before  # nothing half-written
    with raw_sqlite(db_path) as c:
        assert c.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    c.close()


def test_the_full_disk_line_hides_a_bulk_insert(db_path: Path, tmp_path: Path, disk_fills_after: list[int]) -> None:
    from app.ingest import read_source

    disk_fills_after.append(40)
    bench = cli.open_workbench(str(db_path))
    with pytest.raises(StorageError) as caught:
        bench.add_article(read_source(str(many_claims(tmp_path / "big.txt"))))
    bench.close()
    cause = str(caught.value.__cause__)
    assert "INSERT INTO claim" in cause and len(cause) > 3000  # what used to be printed
    assert str(caught.value) == f"Cannot write the database at {db_path}: the disk is full; nothing was written."


@pytest.fixture
def tiny_disk(tmp_path: Path) -> Iterator[Path]:
    """A real 1 MB tmpfs, where root may mount one (skips elsewhere)."""
    if os.geteuid() != 0 or not shutil.which("mount"):
        pytest.skip("mounting a tmpfs needs root")
    folder = tmp_path / "tiny"
    folder.mkdir()
    if subprocess.run(["mount", "-t", "tmpfs", "-o", "size=1m", "tmpfs", str(folder)], capture_output=True).returncode:
        pytest.skip("mount is not allowed here")
    try:
        yield folder
    finally:
        subprocess.run(["umount", "-l", str(folder)], check=False)


def test_an_import_onto_a_really_full_disk_is_one_line(tiny_disk: Path, template_db: Path, tmp_path: Path) -> None:
    db = tiny_disk / "claimdesk.sqlite3"
    shutil.copyfile(template_db, db)
    result = claimdesk("--db", str(db), "import", str(many_claims(tmp_path / "big.txt", 3000)))
    one_line(result, "the disk is full")
    assert claimdesk("--db", str(tmp_path / "elsewhere.sqlite3"), "articles").returncode == 0
    with raw_sqlite(db) as c:
        assert c.execute("SELECT count(*) FROM article").fetchone()[0] == 0


def test_no_room_for_the_copy_before_an_upgrade_is_one_line(tiny_disk: Path, tmp_path: Path) -> None:
    """An older database that fills most of the disk: the copy made before upgrading does not fit."""
    built = tmp_path / "built.sqlite3"
    engine = make_engine(str(built))
    migrate(engine, revision="0009")
    with engine.begin() as c:
        c.exec_driver_sql(
            "INSERT INTO article (id, title, source_url, outlet, author, text, text_hash, imported_at, version)"
            " VALUES (1, 'Long', '', '', '', ?, 'h', '2024-01-01', 1)", ("x" * 600_000,))
    with engine.connect() as c:
        c.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
    engine.dispose()
    db = tiny_disk / "claimdesk.sqlite3"
    shutil.copyfile(built, db)
    before = digest(db)
    line = one_line(claimdesk("--db", str(db), "articles"), "before changing it (the disk is full); nothing was changed.")
    assert line.startswith(f"claimdesk: Cannot copy the database at {db} to {db}.")
    assert digest(db) == before and revision_of(db) == "0009"
    assert not list(tiny_disk.glob("*.bak"))


# --- a read-only database ------------------------------------------------------------------


def test_a_read_only_database_is_one_line(db_path: Path) -> None:
    """SQLite's own read-only mode: what a file without write permission gives (root ignores
    permissions, so chmod alone would prove nothing here)."""
    url = f"sqlite:///file:{db_path}?mode=ro&uri=true"
    before = digest(db_path)
    line = one_line(claimdesk("--db", url, "import", str(SAMPLE)), "is read-only")
    assert "Claimdesk needs to write to it" in line
    assert digest(db_path) == before


def test_a_sqlite_uri_names_its_file_and_makes_no_folder_of_the_uri(tmp_path: Path,
                                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    url = engine_module.database_url(f"sqlite:///file:{tmp_path}/desk%20one.sqlite3?mode=ro&uri=true")
    assert engine_module.database_file(url) == tmp_path / "desk one.sqlite3"
    make_engine(str(url)).dispose()
    assert not (tmp_path / "file:").exists()


@pytest.fixture
def read_only_mount(tmp_path: Path) -> Iterator[tuple[Path, Path]]:
    """(writable folder, the same folder mounted read-only), where root may bind-mount."""
    if os.geteuid() != 0 or not shutil.which("mount"):
        pytest.skip("a read-only mount needs root")
    source, view = tmp_path / "rw", tmp_path / "ro"
    source.mkdir()
    view.mkdir()
    if subprocess.run(["mount", "--bind", str(source), str(view)], capture_output=True).returncode:
        pytest.skip("mount is not allowed here")
    try:
        if subprocess.run(["mount", "-o", "remount,bind,ro", str(view)], capture_output=True).returncode:
            pytest.skip("a read-only remount is not allowed here")
        yield source, view
    finally:
        subprocess.run(["umount", "-l", str(view)], check=False)


def test_a_database_on_a_read_only_disk_is_one_line(read_only_mount: tuple[Path, Path], template_db: Path) -> None:
    source, view = read_only_mount
    shutil.copyfile(template_db, source / "claimdesk.sqlite3")
    before = digest(source / "claimdesk.sqlite3")
    for args in (("articles",), ("import", str(SAMPLE))):
        one_line(claimdesk("--db", str(view / "claimdesk.sqlite3"), *args), "is read-only")
    assert digest(source / "claimdesk.sqlite3") == before


# --- alembic_version and other programs' databases -----------------------------------------


def _edit(db: Path, *statements: str) -> str:
    with raw_sqlite(db) as c:
        for statement in statements:
            c.execute(statement)
    c.close()
    return digest(db)


def _other_program(db: Path, *statements: str) -> str:
    return _edit(db, "CREATE TABLE invoice (id INTEGER PRIMARY KEY, total REAL)", "INSERT INTO invoice VALUES (1, 9.5)",
                 *statements)


ODD_DATABASES = {
    "two rows": (
        lambda db: _edit(db, "INSERT INTO alembic_version VALUES ('0009')"),
        f"records 2 schema revisions ('{head_revision()}', '0009') where there should be one: it is damaged or was edited by"
        " hand. Nothing was changed.",
    ),
    "garbled revision": (
        lambda db: _edit(db, "UPDATE alembic_version SET version_num = 'x' || char(1) || ' ; drop'"),
        "records a schema revision no Claimdesk writes ('x? ; drop'): it is damaged or was edited by hand.",
    ),
    "empty version table": (
        lambda db: _edit(db, "DELETE FROM alembic_version"),
        "records no schema revision (its alembic_version table is empty)",
    ),
    "no version table": (
        lambda db: _edit(db, "DROP TABLE alembic_version"),
        "records no schema revision (it has no alembic_version table): it is damaged or was edited by hand.",
    ),
    "newer Claimdesk": (
        lambda db: _edit(db, "UPDATE alembic_version SET version_num = '0099'"),
        "was written by a newer Claimdesk (revision 0099); update Claimdesk to open it. Nothing was changed.",
    ),
}
OTHER_PROGRAMS = {
    "Alembic's table, an unknown revision": lambda db: _other_program(
        db, "CREATE TABLE alembic_version (version_num VARCHAR(32) NOT NULL PRIMARY KEY)",
        "INSERT INTO alembic_version VALUES ('3f2a1b9c8d7e')"),
    "Alembic's table, a revision this build knows": lambda db: _other_program(
        db, "CREATE TABLE alembic_version (version_num VARCHAR(32) NOT NULL PRIMARY KEY)",
        "INSERT INTO alembic_version VALUES ('0003')"),
    "a table of that name, other columns": lambda db: _other_program(
        db, "CREATE TABLE alembic_version (id INTEGER, label TEXT)", "INSERT INTO alembic_version VALUES (1, 'v2')"),
    "two revisions of its own": lambda db: _other_program(
        db, "CREATE TABLE alembic_version (version_num VARCHAR(32) NOT NULL PRIMARY KEY)",
        "INSERT INTO alembic_version VALUES ('a1'), ('b2')"),
}


@pytest.mark.parametrize("case", ODD_DATABASES)
def test_odd_revisions_are_one_line_and_the_file_is_untouched(db_path: Path, case: str) -> None:
    make, expected = ODD_DATABASES[case]
    before = make(db_path)
    line = one_line(claimdesk("--db", str(db_path), "articles"), expected)
    assert line.startswith(f"claimdesk: The database at {db_path} ")
    assert digest(db_path) == before
    assert not list(db_path.parent.glob("*.bak"))


@pytest.mark.parametrize("case", OTHER_PROGRAMS)
def test_another_programs_database_with_an_alembic_version_is_named_so(tmp_path: Path, case: str) -> None:
    db = tmp_path / "accounts.sqlite3"
    before = OTHER_PROGRAMS[case](db)
    line = one_line(claimdesk("--db", str(db), "articles"), "another program's database")
    assert line == f"claimdesk: The file at {db} holds another program's database, not Claimdesk's."
    assert digest(db) == before


def test_two_revisions_on_a_server_are_one_line(engine: Any) -> None:
    with engine.begin() as c:
        c.exec_driver_sql("INSERT INTO alembic_version VALUES ('0009')")
    with pytest.raises(StorageError, match="records 2 schema revisions"):
        migrate(engine)
    with engine.connect() as c:
        assert c.exec_driver_sql("SELECT count(*) FROM alembic_version").scalar() == 2


@pytest.mark.parametrize("case", ["two rows", "garbled revision", "another program", "read-only"])
def test_the_window_says_it_in_one_line_too(db_path: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                            capsys: pytest.CaptureFixture[str], case: str) -> None:
    from app import main
    from app.ui import application

    shown: list[str] = []
    monkeypatch.setattr(application, "show_fatal", shown.append)
    db, expected = str(db_path), ""
    if case in ODD_DATABASES:
        make, expected = ODD_DATABASES[case]
        make(db_path)
    elif case == "another program":
        db = str(tmp_path / "accounts.sqlite3")
        OTHER_PROGRAMS["Alembic's table, an unknown revision"](Path(db))
        expected = "holds another program's database"
    else:
        db, expected = f"sqlite:///file:{db_path}?mode=ro&uri=true", "is read-only"
        with raw_sqlite(db_path) as c:  # an older revision, so opening it must write
            c.execute("UPDATE alembic_version SET version_num = '0009'")
        c.close()
    assert main.run_window(db) == cli.EXIT_USER_ERROR
    assert len(shown) == 1 and expected in shown[0] and "\n" not in shown[0], shown
    assert capsys.readouterr().err == f"claimdesk: {shown[0]}\n"


# --- downgrades keep the data or copy it first ---------------------------------------------


def fill_every_table(bench: Any, engine: Any) -> None:
    """Work in every table a release has ever had, through the services where they reach it."""
    bench.actor = "ana"
    (article,) = bench.seed([SAMPLE])
    claims = bench.claims(article.id)
    approved, half_true, written, rejected = claims[0], claims[1], claims[2], claims[3]
    bench.update_claim(approved.id, verdict=bench.scale().rating("false"), summary="About 3,000.", notes="asked MoD",
                       accepted=True)
    bench.add_source(approved.id, "https://mod.example/report", title="Report", publisher="MoD",
                     kind=SourceKind.PRIMARY, stance=Stance.REFUTES, passage="some 3,000 servicemen",
                     archived_url="https://web.archive.org/web/2024/https://mod.example/report", accessed=date(2024, 5, 2))
    bench.update_claim(approved.id, state=State.IN_REVIEW)
    bench.actor = "ben"
    bench.approve(approved.id)
    bench.set_scale("politifact")
    bench.update_claim(half_true.id, verdict=bench.scale().rating("half_true"))
    bench.set_scale("conclusion")
    bench.update_claim(written.id, conclusion="Right number, wrong year.")
    bench.reject(rejected.id)
    bench.set_setting("organisation", "Desk")
    # A second revision (0012): the text corrected after publication, the first one kept.
    from app.ingest import ImportedText

    corrected = article.text.replace("antipersonnel mines of 1997", "antipersonnel mines of 1999")
    assert corrected != article.text
    bench.import_revision(article.id, ImportedText(title=article.title, text=corrected))
    with engine.begin() as c:
        c.exec_driver_sql(
            "INSERT INTO evidence (claim_id, kind, left_label, left_url, left_text, right_label, right_url, right_text,"
            " similarity, summary, detail, mismatch, created_by, created_at) VALUES"
            f" ({approved.id}, 'figures', 'claim', '', '5 000', 'MoD', '', '3 000', NULL, 'disagree', '', true, 'ana',"
            " '2024-05-03 10:00:00')"
        )
        c.exec_driver_sql(
            "INSERT INTO rating_label (id, scale_key, key, name, value, colour, final, alternate_name, position)"
            " VALUES (13, 'politifact', 'full_flop', 'Full Flop', NULL, '#cccccc', true, 'Full Flop', 13)")
        # Sources that last (0013): a snapshot, its bytes, the link's health; the snapshot job
        # add_source queued stays in the job table.
        import zlib

        from app.storage.models import SnapshotBlobRow, SourceLinkRow, SourceSnapshotRow

        (source_id,) = [s.id for s in bench.claim(approved.id).sources]
        page = b"<html><body><p>some 3,000 servicemen</p></body></html>"
        c.execute(SnapshotBlobRow.__table__.insert(), [{"sha256": "ab" * 32, "size": len(page), "data": zlib.compress(page)}])
        c.execute(SourceSnapshotRow.__table__.insert(), [{
            "source_id": source_id, "url": "https://mod.example/report", "final_url": "https://mod.example/report",
            "http_status": 200, "content_type": "text/html", "fetched_at": datetime(2024, 5, 2, 10), "sha256": "ab" * 32,
            "text": "some 3,000 servicemen"}])
        c.execute(SourceLinkRow.__table__.insert(), [{
            "source_id": source_id, "state": "gone", "detail": "the server answered 404 Not Found", "final_url": "",
            "http_status": 404, "checked_at": datetime(2024, 6, 1, 9), "similarity": None, "live_text": "",
            "snapshot_at": datetime(2024, 5, 2, 10), "archive_url": "https://web.archive.org/web/2024/x",
            "archived_at": datetime(2024, 5, 2, 10, 5)}])


def user_tables(source: Path | Any) -> dict[str, list[tuple[Any, ...]]]:
    """Every row of every table (a file, or an engine), the derived search index and counts
    (app.storage.summary) and Alembic's own table left out."""
    from sqlalchemy import inspect

    engine = make_engine(str(source)) if isinstance(source, Path) else source
    try:
        with engine.connect() as c:
            names = sorted(n for n in inspect(c).get_table_names()
                           if n != "alembic_version" and not n.startswith("claim_search")
                           and n not in ("article_summary", "claim_tally"))
            return {n: sorted((tuple(r) for r in c.exec_driver_sql(f"SELECT * FROM {n}")), key=repr) for n in names}
    finally:
        if isinstance(source, Path):
            engine.dispose()


def revision_of(db: Path) -> str | None:
    with raw_sqlite(db) as c:
        row = c.execute("SELECT version_num FROM alembic_version").fetchone()
    c.close()
    return None if row is None else str(row[0])


def chain() -> list[tuple[str, str]]:
    """(revision, the one below it or "base"), head first."""
    script = ScriptDirectory.from_config(alembic_config())
    return [(r.revision, r.down_revision if isinstance(r.down_revision, str) else "base")
            for r in script.walk_revisions()]


# With data in every table, the only steps down that drop nothing: the team triggers (SQLite
# has none), the search index (rebuilt from the claims) and how it is filled, the kept counts and indexes.
LOSSLESS_STEPS = {"0016", "0015", "0014", "0010", "0004"}


def test_every_downgrade_keeps_the_data_or_copies_the_database_first(engine: Any, bench: Any, backend: str) -> None:
    """Head to base one step at a time, with data in every table. A step that drops nothing keeps
    everything when upgraded again; one that drops data says what, and first copies the file
    (SQLite: the copy holds every row as it was) or is refused unless forced (PostgreSQL:
    nothing changes until then)."""
    fill_every_table(bench, engine)
    at_head = user_tables(engine)
    assert all(at_head[t] for t in at_head), [t for t in at_head if not at_head[t]]  # data in every table
    db = None if backend == "postgresql" else Path(engine.url.database)

    backups: dict[str, Path] = {}
    for revision, below in chain():
        before = user_tables(engine)
        if revision not in LOSSLESS_STEPS and backend == "postgresql":
            with pytest.raises(StorageError, match=f"back to {below} would drop .*back it up with pg_dump"):
                downgrade(engine, below)
            assert user_tables(engine) == before, revision
        result = downgrade(engine, below, force=backend == "postgresql")
        assert (result.from_revision, result.to_revision) == (revision, below)
        if revision in LOSSLESS_STEPS:
            assert (result.lost, result.backup) == ((), None), revision
            migrate(engine, revision=revision)  # and up again: everything is there
            assert user_tables(engine) == before, revision
            assert downgrade(engine, below).backup is None
            continue
        assert result.lost and not any("could not be counted" in what for what in result.lost), (revision, result.lost)
        if db is None:
            assert result.backup is None
            continue
        # The whole database as it was, copied beside it first.
        assert result.backup is not None, revision
        assert result.backup.name.startswith(f"{db.name}.") and result.backup.suffix == ".bak"
        assert revision_of(result.backup) == revision and user_tables(result.backup) == before, revision
        backups[revision] = result.backup
    assert user_tables(engine) == {}

    # Up again from nothing: the schema is the models', and on SQLite the first copy opens with all its work.
    migrate(engine)
    with engine.connect() as c:
        assert compare_metadata(MigrationContext.configure(c, opts={"include_name": is_mapped_table}), Base.metadata) == []
    if db is None:
        return
    copy = backups[max(backups)]
    assert user_tables(copy) == at_head
    from app.services import Workbench
    from app.storage.engine import make_sessions

    restored = Workbench(make_sessions(make_engine(str(copy))))
    claims = restored.claims(1)
    restored.close()
    assert claims[0].state is State.APPROVED and claims[0].approved_by == "ben"
    assert claims[0].sources[0].passage == "some 3,000 servicemen"
    assert claims[2].conclusion == "Right number, wrong year."


def test_each_step_names_what_it_drops(engine: Any, bench: Any, backend: str) -> None:
    fill_every_table(bench, engine)
    result = downgrade(engine, "0006", force=True)
    lost = "; ".join(result.lost)
    for what in ("saved pieces of evidence: 1", "written conclusions: 1", "approvals: 1", "verdict authors",
                 "workflow states", "verdicts the older release has no label for (mostly true, other scales): 1",
                 "rating scales or labels of your own: 1", "version numbers",
                 "claim numbers that are not the claim's place in the text"):  # the rejected suggestion's gap
        assert what in lost, lost
    assert "sources'" not in lost  # 0005 is not undone by stepping back to 0006


def at_0010_with_work(url: str, backend: str) -> Any:
    """A database at revision 0010 holding one claim with saved evidence, written as that release did."""
    engine = make_engine(url)
    migrate(engine, revision="0010")
    true = "true" if backend == "postgresql" else "1"
    with engine.begin() as c:
        c.exec_driver_sql(
            "INSERT INTO article (id, title, source_url, outlet, author, text, text_hash, imported_at, version)"
            " VALUES (1, 'Old check', '', '', '', 'Russia has 3 000 troops.', 'h', '2024-05-01', 1)")
        c.exec_driver_sql(
            "INSERT INTO claim (id, article_id, start_offset, end_offset, quote, context_before, context_after, kind,"
            " score, origin, accepted, speaker, lang, from_comment, summary, notes, created_at, updated_at, state,"
            f" conclusion, verdict_by, approved_by, version) VALUES (1, 1, 0, 24, 'q', '', '', 'quantity', 0.9,"
            f" 'detected', {true}, '', NULL, {'false' if backend == 'postgresql' else '0'}, 'About 3,000.', '',"
            " '2024-05-01', '2024-05-01', 'in_progress', '', '', '', 1)")
        c.exec_driver_sql(
            "INSERT INTO evidence (claim_id, kind, left_label, left_url, left_text, right_label, right_url, right_text,"
            " summary, detail, mismatch, created_by, created_at) VALUES (1, 'figures', 'claim', '', '5 000', 'MoD',"
            f" '', '3 000', 'disagree', '', {true}, 'ana', '2024-05-03 10:00:00')")
    return engine


def test_a_downgrade_that_drops_nothing_runs_without_a_copy(empty_db_url: str, backend: str, tmp_path: Path) -> None:
    engine = at_0010_with_work(empty_db_url, backend)
    result = downgrade(engine, "0009")
    assert (result.lost, result.backup) == ((), None)
    assert not list(tmp_path.glob("*.bak"))
    migrate(engine, revision="0010")
    with engine.connect() as c:
        assert c.exec_driver_sql("SELECT summary FROM claim").scalar() == "About 3,000."
        assert c.exec_driver_sql("SELECT count(*) FROM evidence").scalar() == 1
    engine.dispose()


def test_a_lossy_downgrade_on_a_server_is_refused_without_force(empty_db_url: str, backend: str) -> None:
    engine = at_0010_with_work(empty_db_url, backend)
    if backend == "sqlite":  # a file is copied first instead
        result = downgrade(engine, "0008")
        assert result.backup is not None and revision_of(result.backup) == "0010"
        engine.dispose()
        return
    with pytest.raises(StorageError, match=r"back to 0008 would drop saved pieces of evidence: 1\. Claimdesk cannot"
                       r" copy a server's database first: back it up with pg_dump, then run again with --force\."):
        downgrade(engine, "0008")
    with engine.connect() as c:
        assert c.exec_driver_sql("SELECT version_num FROM alembic_version").scalar() == "0010"
        assert c.exec_driver_sql("SELECT count(*) FROM evidence").scalar() == 1
    result = downgrade(engine, "0008", force=True)
    assert result.lost == ("saved pieces of evidence: 1",) and result.backup is None
    with engine.connect() as c:
        assert c.exec_driver_sql("SELECT version_num FROM alembic_version").scalar() == "0008"
    engine.dispose()


def test_unknown_and_higher_targets_are_one_line(engine: Any) -> None:
    with pytest.raises(ValidationError, match=r"There is no revision 'zz'; this build knows base, 0001"):
        downgrade(engine, "zz")
    migrate(engine)
    head = head_revision()
    assert downgrade(engine, head).lost == ()


def test_db_downgrade_on_the_command_line(db_path: Path, tmp_path: Path) -> None:
    assert claimdesk("--db", str(db_path), "import", str(SAMPLE)).returncode == 0
    # A fresh import holds nothing the older schema lacks: no copy, nothing dropped.
    assert claimdesk("--db", str(db_path), "db", "downgrade", "0009").stdout.count("\n") == 1
    assert not list(db_path.parent.glob("*.bak"))
    assert claimdesk("--db", str(db_path), "--as", "ana", "review", "1", "--verdict", "false").returncode == 0
    result = claimdesk("--db", str(db_path), "db", "downgrade", "0006")
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert lines[0] == f"The database at {db_path} is now at revision 0006 (it was at {head_revision()})."
    assert lines[1] == ("Dropped: version numbers of changed records and history entries: 3;"
                        " verdict authors (verdict_by): 1; workflow states: 1.")
    backup = Path(lines[2].removeprefix("A copy of the database as it was: "))
    assert backup.parent == db_path.parent and revision_of(backup) == head_revision()
    one_line(claimdesk("--db", str(db_path), "db", "downgrade", "0009"), "below 0009: there is nothing to step back")
    one_line(claimdesk("--db", str(db_path), "db", "downgrade", "nope"), "There is no revision 'nope'")
    one_line(claimdesk("--db", str(tmp_path / "none.sqlite3"), "db", "downgrade", "base"), "There is no database at")
    assert not (tmp_path / "none.sqlite3").exists()
    # The next start upgrades it again, with its own copy first.
    assert claimdesk("--db", str(db_path), "articles").returncode == 0
    assert revision_of(db_path) == head_revision()


def test_db_downgrade_on_a_server_needs_force(pg: Any) -> None:
    name = pg.fresh()
    db_url = pg.url(name)
    assert claimdesk("--db", db_url, "import", str(SAMPLE)).returncode == 0
    assert claimdesk("--db", db_url, "--as", "claimdesk_test", "review", "1", "--summary", "x").returncode == 0
    line = one_line(claimdesk("--db", db_url, "db", "downgrade", "0007"), "back it up with pg_dump")
    assert "then run again with --force" in line and "version numbers" in line
    result = claimdesk("--db", db_url, "db", "downgrade", "0007", "--force")
    assert result.returncode == 0, result.stderr
    assert "is now at revision 0007" in result.stdout and "A copy" not in result.stdout
    pg.drop(name)


@pytest.mark.parametrize("columns", ["version_num VARCHAR(32) NOT NULL PRIMARY KEY", "id INTEGER, label TEXT"])
def test_another_programs_database_on_either_engine(empty_db_url: str, columns: str) -> None:
    engine = make_engine(empty_db_url)
    with engine.begin() as c:
        c.exec_driver_sql("CREATE TABLE invoice (id INTEGER PRIMARY KEY, total REAL)")
        c.exec_driver_sql(f"CREATE TABLE alembic_version ({columns})")
        c.exec_driver_sql("INSERT INTO alembic_version VALUES ('3f2a1b9c8d7e')" if "version_num" in columns
                          else "INSERT INTO alembic_version VALUES (1, 'v2')")
    with pytest.raises(StorageError, match="holds another program's database, not Claimdesk's"):
        migrate(engine)
    with engine.connect() as c:
        assert sorted(inspect_tables(c)) == ["alembic_version", "invoice"]
    engine.dispose()


def inspect_tables(connection: Any) -> list[str]:
    from sqlalchemy import inspect

    return list(inspect(connection).get_table_names())
