"""The search index stays exact after every kind of write to claims, now that an import fills it
once after its bulk insert instead of a trigger per claim (migration 0016), on both engines."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from conftest import SAMPLE
from sqlalchemy import text

from app.domain import Kind
from app.ingest import ImportedText, from_pasted
from app.storage import postgres, search_index
from app.storage.engine import make_engine, make_sessions
from app.storage.migrate import downgrade, head_revision, migrate

STORM = "Storm report\n\nThe storm killed 12 people in Marseille on 3 May 2024, officials said.\n"


def index_rows(engine: Any, backend: str) -> tuple[list[tuple[Any, ...]], list[tuple[Any, ...]]]:
    """(what the index holds, what a rebuild from the claims would hold), in claim order: the
    rebuild is the expression both the triggers and the bulk fill index a claim with."""
    with engine.connect() as c:
        if backend == "postgresql":
            held = c.exec_driver_sql("SELECT claim_id, document::text FROM claim_search ORDER BY claim_id").all()
            built = c.exec_driver_sql(
                f"SELECT c.id, ({postgres.SEARCH_DOCUMENT})::text FROM claim c ORDER BY c.id"
            ).all()
        else:
            held = c.exec_driver_sql(
                "SELECT rowid, quote, summary, notes, sources FROM claim_search ORDER BY rowid"
            ).all()
            built = c.exec_driver_sql(search_index.ROWS + " ORDER BY c.id").all()
    return [tuple(r) for r in held], [tuple(r) for r in built]


def assert_exact(engine: Any, backend: str) -> None:
    held, built = index_rows(engine, backend)
    assert held == built
    if backend == "sqlite":  # no pause outlives the write that made it
        with engine.connect() as c:
            assert c.exec_driver_sql("SELECT count(*) FROM claim_search_paused").scalar() == 0


def ids(bench: Any, query: str) -> set[int]:
    return {h.claim_id for h in bench.search(query)}


def test_search_finds_each_claim_right_after_each_kind_of_write(engine, backend: str, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    from app.services import Workbench

    bench = Workbench(make_sessions(engine))
    (sample,) = bench.seed([SAMPLE])  # an import through add_article: the bulk fill
    assert ids(bench, "troops") and ids(bench, "troops") <= {c.id for c in bench.claims(sample.id)}
    assert_exact(engine, backend)

    wire = tmp_path / "wire.txt"
    wire.write_text(STORM, "utf-8")
    storm, _ = bench.import_file(wire)
    (detected,) = bench.claims(storm.id)
    assert ids(bench, "marseille") == {detected.id}
    assert_exact(engine, backend)

    pasted, _ = bench.add_article(from_pasted("Budget\n\nThe deficit reached 4.1% of GDP in 2023, the treasury said."))
    assert len(ids(bench, "deficit")) == 1
    assert_exact(engine, backend)

    text_ = bench.article(storm.id).text
    start = text_.index("officials")
    marked, _ = bench.mark_claim(storm.id, start, start + len("officials said"), Kind.OTHER)  # a new claim by hand
    assert marked.id in ids(bench, "officials")
    assert_exact(engine, backend)

    bench.update_claim(detected.id, notes="Rang the prefecture of Bouches-du-Rhone", summary="Toll confirmed")
    assert ids(bench, "prefecture") == {detected.id} and ids(bench, "confirmed") == {detected.id}
    assert_exact(engine, backend)

    source, _ = bench.add_source(detected.id, "https://example.org/toll", publisher="Meteo France")
    assert ids(bench, "meteo") == {detected.id}
    bench.update_source(source.id, publisher="Prefecture maritime")
    assert ids(bench, "meteo") == set() and ids(bench, "maritime") == {detected.id}
    bench.remove_source(source.id)
    assert ids(bench, "maritime") == set()
    assert_exact(engine, backend)

    revised = text_ + "\n\nThe mayor of Toulon said 40 boats sank in the harbour on 3 May 2024.\n"
    bench.import_revision(storm.id, ImportedText(title=storm.title, text=revised))  # claims carried, new ones added
    assert ids(bench, "toulon") and all(h.article_id == storm.id for h in bench.search("toulon"))
    assert ids(bench, "prefecture") == {detected.id}
    assert_exact(engine, backend)

    bench.redetect(pasted.id)
    assert len(ids(bench, "deficit")) == 1
    assert_exact(engine, backend)

    bench.delete_claim(marked.id)
    assert marked.id not in ids(bench, "officials")
    assert_exact(engine, backend)

    bench.delete_article(pasted.id)
    assert ids(bench, "deficit") == set()
    assert_exact(engine, backend)


def test_a_failed_import_leaves_no_pause_and_the_next_claim_is_indexed(bench, engine, backend: str, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    """The pause lives only in the import's transaction: an import that fails halfway (a bug)
    takes it with its rollback, and the next writer's claims go through the trigger."""
    from app.storage import mapping

    def broken(*_a: object, **_k: object) -> None:
        raise RuntimeError("a bug halfway through the write")

    monkeypatch.setattr(mapping, "insert_detected", broken)
    with pytest.raises(RuntimeError):
        bench.add_article(from_pasted("Storm\n\n" + STORM))
    monkeypatch.undo()
    assert not [a for a in bench.articles() if a.title == "Storm"]
    article, _ = bench.add_article(from_pasted("Tides\n\nThe tide rose 3 metres at Brest on 4 May 2024."))
    text_ = bench.article(article.id).text
    start = text_.index("Brest")
    marked, _ = bench.mark_claim(article.id, start, start + 5, Kind.OTHER)
    assert marked.id in ids(bench, "brest")
    assert_exact(engine, backend)


def test_the_migration_steps_back_and_forth_and_the_index_stays_exact(backend: str, empty_db_url: str) -> None:
    from app.services import Workbench

    engine = make_engine(empty_db_url)
    try:
        migrate(engine)
        bench = Workbench(make_sessions(engine))
        bench.seed([SAMPLE])
        result = downgrade(engine, "0015")  # nothing of the user's is lost: no copy needed
        assert result.lost == () and result.backup is None
        assert_exact_without_pause(engine, backend)
        with engine.begin() as c:  # 0015's unconditional trigger indexes a claim written bare
            article_id = c.execute(text("SELECT min(id) FROM article")).scalar()
            c.execute(text(
                "INSERT INTO claim (article_id, start_offset, end_offset, quote, context_before, context_after,"
                " kind, score, origin, speaker, lang, from_comment, created_at, updated_at, number, state,"
                " accepted, version, summary, notes, conclusion) SELECT article_id, 0, 5, 'Zanzibar', '', '',"
                " kind, score, origin, speaker, lang, from_comment, created_at, updated_at, 999, state, accepted,"
                " version, summary, notes, conclusion FROM claim WHERE article_id = :a ORDER BY id LIMIT 1"
            ), {"a": article_id})
        assert ids(bench, "zanzibar")
        migrate(engine)
        with engine.connect() as c:
            assert c.execute(text("SELECT version_num FROM alembic_version")).scalar() == head_revision()
        bench.import_file(_written(STORM))
        assert ids(bench, "marseille") and ids(bench, "zanzibar")
        assert_exact(engine, backend)
        bench.close()
    finally:
        engine.dispose()


def assert_exact_without_pause(engine: Any, backend: str) -> None:
    held, built = index_rows(engine, backend)
    assert held == built
    if backend == "sqlite":
        with engine.connect() as c:
            assert not c.exec_driver_sql(
                "SELECT count(*) FROM sqlite_master WHERE name = 'claim_search_paused'"
            ).scalar()


def _written(content: str) -> Path:
    import tempfile

    path = Path(tempfile.mkdtemp()) / "storm.txt"
    path.write_text(content, "utf-8")
    return path


def test_the_pause_stands_the_trigger_aside_for_that_article_only(bench, engine, backend: str) -> None:  # type: ignore[no-untyped-def]
    """What makes the import's write faster: inside the block the bulk-inserted claims are not
    indexed one by one; a claim of another article written in the same block still is."""
    from datetime import UTC, datetime

    from app.domain import DetectedClaim
    from app.storage import bulk, mapping
    from app.storage.models import ArticleRow

    other, _ = bench.add_article(from_pasted("Tides\n\nThe tide rose 3 metres at Brest on 4 May 2024."))
    body = "Quakes\n\nThe quake in Izmir killed 117 people on 30 October 2020, officials said."
    at = body.index("The quake")
    found = [DetectedClaim(start=at, end=len(body), quote=body[at:], kind=Kind.QUANTITY, score=0.9)]
    stamp = datetime.now(UTC)

    def indexed(c: Any) -> int:
        return int(c.exec_driver_sql("SELECT count(*) FROM claim_search").scalar())

    with bench._sessions.begin() as s:
        row = ArticleRow(title="Quakes", text=body, text_hash="x" * 64, imported_at=stamp)
        s.add(row)
        s.flush()
        c = s.connection()
        before = indexed(c)
        with bulk.search_filled_after(s, row.id):
            mapping.insert_detected(s, row.id, body, found, stamp)
            assert indexed(c) == before  # stood aside
            tides = bench.article(other.id).text
            start = tides.index("Brest")
            brest = DetectedClaim(start=start, end=start + 5, quote="Brest", kind=Kind.OTHER, score=0.5)
            mapping.insert_detected(s, other.id, tides, [brest], stamp)
            assert indexed(c) == before + 1  # another article's claim: the trigger as ever
        assert indexed(c) == before + 2
    assert ids(bench, "izmir") and len(ids(bench, "brest")) == 2
    assert_exact(engine, backend)


@pytest.mark.gui
def test_a_file_imported_in_the_window_is_found_by_the_search_box(qtbot, window, bench, tmp_path: Path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    from conftest import WAIT_MS

    from app.ui import dialogs

    wire = tmp_path / "wire.md"  # a title of its own: none is offered for editing
    wire.write_text("# " + STORM, "utf-8")
    monkeypatch.setattr(dialogs, "ask_import_path", lambda _parent: wire)
    monkeypatch.setattr(dialogs.ArticleDialog, "ask", classmethod(lambda cls, *_a, **_k: None))  # details as read
    window.import_action.trigger()
    assert window.windowTitle().startswith("Storm report")
    qtbot.keyClicks(window.search, "marseille")
    qtbot.waitUntil(lambda: window.left_stack.currentWidget() is window.search_results, timeout=WAIT_MS)
    assert window.search_results.count() == 1
    assert "Marseille" in window.search_results.item(0).text()
