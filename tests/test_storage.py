"""Migrations and the database file: upgrade, round trip, refusal, backup, damage."""

from __future__ import annotations

import hashlib
import shutil
from pathlib import Path

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from alembic.script import ScriptDirectory
from conftest import raw_sqlite
from sqlalchemy import inspect

from app import paths
from app.domain import State
from app.domain.validate import ValidationError
from app.storage import migrate as migrate_module
from app.storage.engine import make_engine
from app.storage.errors import DatabaseTooNew, StorageError
from app.storage.migrate import alembic_config, downgrade, head_revision, migrate
from app.storage.models import Base, is_mapped_table


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_the_migration_chain_is_linear() -> None:
    script = ScriptDirectory.from_config(alembic_config())
    assert len(script.get_heads()) == 1
    assert len(script.get_bases()) == 1


def test_upgrading_an_empty_database_matches_the_models(empty_db_url: str, backend: str) -> None:
    engine = make_engine(empty_db_url)
    result = migrate(engine)
    assert result.from_revision is None and result.to_revision == head_revision()
    with engine.connect() as c:
        assert compare_metadata(MigrationContext.configure(c, opts={'include_name': is_mapped_table}), Base.metadata) == []
        if backend == "sqlite":
            assert c.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
            assert c.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
    engine.dispose()


def test_migrating_at_head_is_a_no_op(engine) -> None:  # type: ignore[no-untyped-def]
    result = migrate(engine)
    assert result.from_revision == result.to_revision and result.backup is None


def test_up_down_up_from_empty_gives_the_same_schema(empty_db_url: str) -> None:
    engine = make_engine(empty_db_url)
    migrate(engine)
    downgrade(engine, "base")
    with engine.connect() as c:
        assert set(inspect(c).get_table_names()) <= {"alembic_version"}
    migrate(engine)
    with engine.connect() as c:
        assert compare_metadata(MigrationContext.configure(c, opts={'include_name': is_mapped_table}), Base.metadata) == []
    engine.dispose()


def test_a_database_from_a_newer_claimdesk_is_refused_untouched(db_path: Path) -> None:
    with raw_sqlite(db_path) as c:
        c.execute("UPDATE alembic_version SET version_num = 'ffff_from_the_future'")
    before = digest(db_path)
    engine = make_engine(str(db_path))
    with pytest.raises(DatabaseTooNew, match="newer Claimdesk"):
        migrate(engine)
    engine.dispose()
    assert digest(db_path) == before


NEXT_REVISION = """\"\"\"give claims a reviewer (a stand-in for the next real migration)\"\"\"
import sqlalchemy as sa
from alembic import op
revision = "9999"
down_revision = "{head}"
branch_labels = None
depends_on = None
def upgrade():
    with op.batch_alter_table("claim") as b:
        b.add_column(sa.Column("stand_in", sa.Text(), nullable=True))
def downgrade():
    with op.batch_alter_table("claim") as b:
        b.drop_column("stand_in")
"""


@pytest.fixture
def newer_build(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Pretend this build knows one revision more, which rebuilds the claim table."""
    newer = tmp_path / "migrations"
    shutil.copytree(paths.migrations_dir(), newer)
    (newer / "versions" / "9999_stand_in.py").write_text(NEXT_REVISION.format(head=head_revision()), "utf-8")
    monkeypatch.setattr(migrate_module, "migrations_dir", lambda: newer)


def counts(db: Path) -> tuple[int, int, int]:
    with raw_sqlite(db) as c:
        return tuple(c.execute(f"SELECT count(*) FROM {t}").fetchone()[0] for t in ("article", "claim", "source"))  # type: ignore[return-value]


def test_an_older_database_is_backed_up_then_upgraded_with_its_work(db_path, bench, sample_article, newer_build) -> None:  # type: ignore[no-untyped-def]
    claim = bench.claims(sample_article.id)[0]
    bench.update_claim(claim.id, verdict=bench.scale().rating("disputed"), summary="Only 2,000.")
    bench.add_source(claim.id, "https://example.org/a", title="A")
    before = counts(db_path)
    old_head = current_head_of(db_path)

    engine = make_engine(str(db_path))
    result = migrate(engine)
    engine.dispose()

    assert result.from_revision == old_head and result.to_revision == "9999"
    assert result.backup is not None and result.backup.name.startswith(db_path.name)
    assert current_head_of(result.backup) == old_head and counts(result.backup) == before
    assert counts(db_path) == before
    kept = bench.claim(claim.id)
    assert (kept.verdict_name, kept.summary, len(kept.sources)) == ("Disputed", "Only 2,000.", 1)


def test_down_then_up_keeps_every_claim_and_source(db_path, bench, sample_article, newer_build) -> None:  # type: ignore[no-untyped-def]
    claim = bench.claims(sample_article.id)[0]
    bench.add_source(claim.id, "https://example.org/a", title="A")
    old_head = current_head_of(db_path)
    engine = make_engine(str(db_path))
    migrate(engine)
    before = counts(db_path)
    # Rebuilding the claim table must not cascade-delete its sources.
    result = downgrade(engine, old_head)
    # A migration that does not say what its downgrade drops is taken to drop something: a copy first.
    assert result.lost == ("whatever revision 9999 added: it does not say what its downgrade drops",)
    assert result.backup is not None and counts(result.backup) == before
    assert counts(db_path) == before
    migrate(engine)
    engine.dispose()
    assert counts(db_path) == before
    assert bench.claim(claim.id).sources[0].title == "A"
    # The rebuilt claim table lost its search triggers with the old table; migrate restores them.
    bench.update_claim(claim.id, notes="garrison at Gyumri")
    assert [h.claim_id for h in bench.search("gyumri")] == [claim.id]
    assert [h.claim_id for h in bench.search("example")] == [claim.id]


def current_head_of(db: Path) -> str:
    with raw_sqlite(db) as c:
        return str(c.execute("SELECT version_num FROM alembic_version").fetchone()[0])


def test_a_corrupt_file_gets_one_clear_line(tmp_path: Path) -> None:
    bad = tmp_path / "broken.sqlite3"
    bad.write_bytes(b"this is not a database, just some bytes " * 200)
    before = digest(bad)
    engine = make_engine(str(bad))
    with pytest.raises(StorageError, match="not a Claimdesk database, or it is damaged"):
        migrate(engine)
    engine.dispose()
    assert digest(bad) == before


def test_an_unwritable_place_gets_one_clear_line(tmp_path: Path) -> None:
    blocker = tmp_path / "a-file"
    blocker.write_text("x")
    with pytest.raises(StorageError, match="Cannot"):
        migrate(make_engine(str(blocker / "sub" / "db.sqlite3")))  # refused before any connection


def test_another_programs_database_is_not_touched(tmp_path: Path) -> None:
    other = tmp_path / "other.sqlite3"
    with raw_sqlite(other) as c:
        c.execute("CREATE TABLE invoices (id INTEGER PRIMARY KEY)")
    before = digest(other)
    engine = make_engine(str(other))
    with pytest.raises(StorageError, match="another program"):
        migrate(engine)
    engine.dispose()
    assert digest(other) == before


def test_only_sqlite_and_postgresql_urls_are_accepted() -> None:
    with pytest.raises(StorageError, match="SQLite or PostgreSQL"):
        make_engine("mysql://localhost/claims")
    assert make_engine("postgresql://ana@db.example/claims").url.drivername == "postgresql+psycopg"


def test_a_server_database_from_a_newer_claimdesk_is_refused_untouched(engine, backend: str) -> None:  # type: ignore[no-untyped-def]
    with engine.begin() as c:
        c.exec_driver_sql("UPDATE alembic_version SET version_num = 'ffff_from_the_future'")
    with pytest.raises(DatabaseTooNew, match="newer Claimdesk"):
        migrate(engine)
    with engine.connect() as c:
        assert c.exec_driver_sql("SELECT version_num FROM alembic_version").scalar() == "ffff_from_the_future"


def test_a_database_from_the_first_release_upgrades_with_every_verdict_and_source(tmp_path: Path) -> None:
    """Built at revision 0001 the way that release wrote it, then opened by this build."""
    from app.services import Workbench
    from app.storage.engine import make_sessions

    db = tmp_path / "first.sqlite3"
    engine = make_engine(str(db))
    migrate(engine, revision="0001")
    with engine.begin() as c:
        c.exec_driver_sql(
            "INSERT INTO article (id, title, source_url, outlet, author, text, text_hash, imported_at)"
            " VALUES (1, 'Old check', '', '', '', 'Russia has 3 000 troops. Armenia has none.', 'h', '2024-05-01')"
        )
        for cid, start, end, status, summary in ((1, 0, 24, "disputed", "About 3,000."), (2, 25, 42, "verified", "")):
            c.exec_driver_sql(
                "INSERT INTO claim (id, article_id, start_offset, end_offset, quote, context_before, context_after,"
                " kind, score, origin, status, summary, notes, created_at, updated_at)"
                f" VALUES ({cid}, 1, {start}, {end}, 'q', '', '', 'quantity', 0.9, 'detected', '{status}',"
                f" '{summary}', 'private', '2024-05-01', '2024-05-01')"
            )
        c.exec_driver_sql(
            "INSERT INTO source (id, claim_id, url, title, publisher, note, accessed)"
            " VALUES (1, 1, 'https://example.org/mod', 'MoD', 'Ministry', '', '2024-05-02')"
        )
    engine.dispose()

    engine = make_engine(str(db))
    result = migrate(engine)
    bench = Workbench(make_sessions(engine))
    first, second = bench.claims(1)

    assert result.from_revision == "0001" and result.backup is not None
    assert (first.verdict_name, first.summary, first.notes) == ("Disputed", "About 3,000.", "private")
    assert (first.state, second.verdict_name, second.state) == (State.IN_REVIEW, "Verified", State.IN_REVIEW)
    assert first.accepted and second.accepted  # claims from before suggestions were claims
    (source,) = first.sources
    assert (source.url, source.publisher, source.stance.value) == ("https://example.org/mod", "Ministry", "context")
    assert [h.claim_id for h in bench.search("ministry")] == [1]  # the search index covers old work
    engine.dispose()


OLD_STATUSES = ("unverified", "in_progress", "verified", "disputed", "misleading", "false", "unverifiable")


def test_a_database_from_before_the_review_workflow_keeps_every_verdict(tmp_path: Path) -> None:
    """Built at 0006, the last head with one `status` per claim, then opened by this build."""
    from app.services import Workbench
    from app.storage.engine import make_sessions

    db = tmp_path / "0006.sqlite3"
    engine = make_engine(str(db))
    migrate(engine, revision="0006")
    text = " ".join(f"Claim number {n} says {n} things." for n in range(len(OLD_STATUSES)))
    with engine.begin() as c:
        c.exec_driver_sql(
            "INSERT INTO article (id, title, source_url, outlet, author, text, text_hash, imported_at)"
            f" VALUES (1, 'Before', '', '', '', '{text}', 'h', '2025-05-01')"
        )
        for cid, status in enumerate(OLD_STATUSES, start=1):
            start = text.index(f"Claim number {cid - 1} ")
            c.exec_driver_sql(
                "INSERT INTO claim (id, article_id, start_offset, end_offset, quote, context_before, context_after,"
                " kind, score, origin, accepted, speaker, lang, from_comment, status, summary, notes,"
                " created_at, updated_at) VALUES"
                f" ({cid}, 1, {start}, {start + 10}, 'q{cid}', '', '', 'quantity', 0.9, 'detected', 1, '', 'en', 0,"
                f" '{status}', 'verdict {cid}', '', '2025-05-01', '2025-05-01')"
            )
            c.exec_driver_sql(
                "INSERT INTO history (article_id, claim_id, entity, entity_id, field, old_value, new_value, actor, at)"
                f" VALUES (1, {cid}, 'claim', {cid}, 'status', 'unverified', '{status}', 'Vera', '2025-05-02')"
            )
        c.exec_driver_sql(
            "INSERT INTO source (id, claim_id, url, title, publisher, note, accessed, kind, stance, passage, archived_url)"
            " VALUES (1, 3, 'https://example.org/mod', 'MoD', 'Ministry', '', '2025-05-02', 'primary', 'supports', 'p', '')"
        )
    engine.dispose()

    engine = make_engine(str(db))
    result = migrate(engine)
    bench = Workbench(make_sessions(engine))
    claims = {c.id: c for c in bench.claims(1)}

    assert result.from_revision == "0006" and result.backup is not None
    seen = [(c.state.value, c.verdict_name, c.verdict_by, c.summary) for c in claims.values()]
    assert seen == [
        ("not_started", "", "", "verdict 1"),
        ("in_progress", "", "", "verdict 2"),
        ("in_review", "Verified", "Vera", "verdict 3"),
        ("in_review", "Disputed", "Vera", "verdict 4"),
        ("in_review", "Misleading", "Vera", "verdict 5"),
        ("in_review", "False", "Vera", "verdict 6"),
        ("in_review", "Unverifiable", "Vera", "verdict 7"),
    ]
    assert all(c.verdict is None or c.verdict.scale == "default" for c in claims.values())
    assert [(s.url, s.kind.value) for s in claims[3].sources] == [("https://example.org/mod", "primary")]
    assert [h.claim_id for h in bench.search("ministry")] == [3]
    bench.actor = "Vera"  # she set the old verdict, so she cannot approve it
    with pytest.raises(ValidationError, match="Vera set the verdict"):
        bench.approve(3)
    bench.actor = "Otto"
    assert bench.approve(3)[0].state is State.APPROVED

    result = downgrade(engine, "0006")  # and back: the older release finds its statuses
    assert "approvals: 1" in result.lost and result.backup is not None  # the sign-off is in the copy only
    with engine.connect() as c:
        assert [r[0] for r in c.exec_driver_sql("SELECT status FROM claim ORDER BY id")] == list(OLD_STATUSES)
    engine.dispose()


def test_the_head_read_without_alembic_is_alembics_head() -> None:
    assert head_revision() == ScriptDirectory.from_config(alembic_config()).get_current_head()


def test_opening_a_database_at_head_does_not_import_alembic(db_path: Path) -> None:
    import subprocess
    import sys

    probe = (
        "import sys; from app.storage.engine import make_engine; from app.storage.migrate import migrate;"
        f" r = migrate(make_engine({str(db_path)!r})); print(r.from_revision == r.to_revision,"
        " 'alembic' in sys.modules)"
    )
    out = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True).stdout
    assert out.split() == ["True", "False"]


def test_stepping_back_a_revision_and_up_again_keeps_the_work(engine, bench, sample_article) -> None:  # type: ignore[no-untyped-def]
    """On both engines: the team revision (triggers on PostgreSQL) comes off and goes on again."""
    claim = bench.claims(sample_article.id)[0]
    bench.update_claim(claim.id, notes="Asked the garrison")

    def tally() -> tuple[int, ...]:
        with engine.connect() as c:
            return tuple(c.exec_driver_sql(f"SELECT count(*) FROM {t}").scalar() for t in ("article", "claim", "history"))

    before = tally()
    downgrade(engine, "0009")
    assert migrate(engine).to_revision == head_revision()
    assert tally() == before
    bench.update_claim(claim.id, summary="Still searchable")
    assert [h.claim_id for h in bench.search("garrison")] == [claim.id]
    assert [e.field for e in bench.history(claim.id)][-1] == "summary"


def test_claims_from_before_public_numbers_are_numbered_in_text_order(engine, bench, sample_article) -> None:  # type: ignore[no-untyped-def]
    """On both engines: revision 0011 numbers the claims already there in text order."""
    from sqlalchemy import inspect

    downgrade(engine, "0010")
    assert "number" not in {column["name"] for column in inspect(engine).get_columns("claim")}
    migrate(engine)
    claims = sorted(bench.claims(sample_article.id), key=lambda c: (c.start, c.id))
    assert [c.number for c in claims] == list(range(1, len(claims) + 1))
    start = sample_article.text.index("logic of revenge")
    marked, _ = bench.mark_claim(sample_article.id, start, start + len("logic of revenge"))
    assert marked.number == len(claims) + 1
    # The search index survived: no table was copied.
    bench.update_claim(marked.id, notes="garrison at Gyumri")
    assert [h.claim_id for h in bench.search("gyumri")] == [marked.id]


def test_an_import_s_claims_and_segments_are_stored_as_core_stores_them(engine, bench) -> None:  # type: ignore[no-untyped-def]
    """mapping.insert_detected and insert_segments write plain tuples with one executemany
    (app.storage.bulk): each column holds what Core's own insert of the same dicts holds (the
    defaults it fills in, a date as SQLite's text, a flag as 0/1), read back typed and as stored."""
    from datetime import datetime

    from sqlalchemy import insert, select, text

    from app.domain import DetectedClaim, Kind
    from app.domain.segments import Segment, SegmentKind
    from app.storage import mapping
    from app.storage.models import ArticleRow, ClaimRow, SegmentRow

    body = "The minister said 3,000 troops left in 2002. Prices rose 8 % in March. Un tiers des voix."
    claims = [
        DetectedClaim(18, 44, body[18:44], Kind.QUANTITY, 0.8125, "en", "The minister", False),
        DetectedClaim(45, 70, body[45:70], Kind.PERCENTAGE, 0.5, None, None, True),
        DetectedClaim(71, 89, body[71:89], Kind.OTHER, 0.25, "fr", None, False),
    ]
    segments = (Segment(0, 44, SegmentKind.TURN, "The minister", None, None, "en"),
                Segment(45, 70, SegmentKind.COMMENT, None, "reader", "1 year ago", None),
                Segment(71, 89, SegmentKind.BODY))
    stamp = datetime(2026, 11, 30, 14, 5, 6)  # no microseconds: the driver's own adapter would drop them
    with bench._ctx.db.write() as s:
        ours, core = (ArticleRow(title=t, text=body, text_hash=t, imported_at=stamp) for t in ("ours", "core"))
        s.add_all([ours, core])
        s.flush()
        mapping.insert_segments(s, ours.id, segments)
        mapping.insert_detected(s, ours.id, body, claims, stamp)
        # The reference: Core's insert of the dicts the ORM's bulk insert was given before.
        s.execute(insert(SegmentRow.__table__), [
            {"article_id": core.id, "start_offset": g.start, "end_offset": g.end, "kind": g.kind.value,
             "speaker": g.speaker, "author": g.author, "date": g.date, "lang": g.lang} for g in segments
        ])
        first = mapping.next_numbers(s, core.id, len(claims))
        s.execute(insert(ClaimRow.__table__), [
            {"article_id": core.id, "start_offset": d.start, "end_offset": d.end, "quote": body[d.start : d.end],
             "context_before": mapping.context_of(body, d.start, d.end)[0],
             "context_after": mapping.context_of(body, d.start, d.end)[1], "kind": d.kind.value, "score": d.score,
             "origin": "detected", "speaker": d.speaker or "", "lang": d.lang, "from_comment": d.from_comment,
             "created_at": stamp, "updated_at": stamp, "number": number}
            for number, d in enumerate(claims, first)
        ])
        ids = (ours.id, core.id)
    for table in (ClaimRow.__table__, SegmentRow.__table__):
        columns = [c for c in table.c if c.name not in ("id", "article_id")]
        names = ", ".join(c.name for c in columns)
        with bench._ctx.db.read() as s:
            typed, stored = (
                [list(s.execute(select(*columns).where(table.c.article_id == a).order_by(table.c.start_offset)))
                 for a in ids],
                [list(s.execute(text(f"SELECT {names} FROM {table.name} WHERE article_id = :a ORDER BY start_offset"),
                                {"a": a})) for a in ids],
            )
        assert len(typed[0]) == 3
        assert typed[0] == typed[1], table.name
        assert stored[0] == stored[1], table.name
        assert [[type(v) for v in row] for row in stored[0]] == [[type(v) for v in row] for row in stored[1]]
