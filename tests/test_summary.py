"""Speed at scale without a change a person could see: the counts kept with the claims
(app.storage.summary) say what a recount of the claim table says whatever changes the claims, on
SQLite and PostgreSQL, and a migration fills them; the lean verdict edit returns what a re-read
finds; search runs off the GUI thread."""

from __future__ import annotations

import random
from collections import Counter
from pathlib import Path
from typing import Any

import pytest
from conftest import SAMPLE
from conftest import mark_quote as mark
from sqlalchemy import Engine, text

from app.domain import Kind, SourceKind, State
from app.domain.errors import ValidationError
from app.ingest import ImportedText, from_pasted
from app.services import Workbench
from app.storage.copy import copy_archive
from app.storage.engine import make_engine, make_sessions
from app.storage.migrate import downgrade, head_revision, migrate

TROOPS = "1 900 men, 90 transport vehicles and 88 special units"
THREE_THOUSAND = "More 3 000 Russians are positioned on two military bases located on Armenian territory"


def recount(engine: Engine) -> tuple[dict[int, tuple[int, int]], Counter[tuple[Any, ...]]]:
    """From the claim table itself: per article (claims, resolved), and the accepted claims by
    outlet, speaker, state, label (0: none) and resolved."""
    with engine.connect() as c:
        articles = {a: (0, 0) for (a,) in c.execute(text("SELECT id FROM article"))}
        tally: Counter[tuple[Any, ...]] = Counter()
        for article_id, outlet, speaker, state, verdict_id, conclusion, accepted in c.execute(text(
            "SELECT c.article_id, a.outlet, c.speaker, c.state, c.verdict_id, c.conclusion, c.accepted"
            " FROM claim c JOIN article a ON a.id = c.article_id"
        )):
            resolved = int(verdict_id is not None or bool(conclusion))
            n, r = articles[article_id]
            articles[article_id] = (n + 1, r + resolved)
            if accepted:
                tally[(outlet, speaker, state, verdict_id or 0, resolved)] += 1
    return articles, tally


def kept(engine: Engine) -> tuple[dict[int, tuple[int, int]], Counter[tuple[Any, ...]]]:
    with engine.connect() as c:
        articles = {a: (n, r) for a, n, r in c.execute(text("SELECT article_id, claims, resolved FROM article_summary"))}
        tally = Counter({
            (o, s, st, v, r): n for o, s, st, v, r, n in c.execute(text(
                "SELECT outlet, speaker, state, verdict_id, resolved, n FROM claim_tally"))
            if n
        })
    return articles, tally


def assert_counts_right(bench: Workbench, engine: Engine) -> None:
    """The kept counts, what the article list shows and what the overview shows, against a recount."""
    articles, tally = recount(engine)
    assert kept(engine) == (articles, tally)
    assert {a.id: (a.claim_count, a.resolved_count) for a in bench.articles()} == articles
    overview = bench.overview()
    by_state = Counter[State]()
    for (_, _, state, _, _), n in tally.items():
        by_state[State(state)] += n
    assert dict(overview.by_state) == {s: by_state[s] for s in State}
    outlets = Counter[str]()
    for (outlet, _, _, _, resolved), n in tally.items():
        if resolved and outlet.strip():
            outlets[" ".join(outlet.split())] += n
    assert {card.name: card.total for card in overview.by_outlet} == outlets


def test_every_path_that_changes_claims_keeps_the_counts(bench: Workbench, engine: Engine, sample_article) -> None:  # type: ignore[no-untyped-def]
    article_id = sample_article.id
    assert_counts_right(bench, engine)
    troops = mark(bench, article_id, TROOPS)  # add
    assert_counts_right(bench, engine)
    false = bench.scale().rating("false")
    bench.update_claim(troops.id, verdict=false)  # verdict (and with it: state, accepted)
    assert_counts_right(bench, engine)
    assert next(a for a in bench.articles() if a.id == article_id).resolved_count == 1
    bench.update_claim(troops.id, verdict=None, conclusion="Half of it is right.")  # a written conclusion
    bench.update_claim(troops.id, state=State.IN_REVIEW)  # state
    assert_counts_right(bench, engine)
    bench.update_article(article_id, outlet="Le Monde")  # every accepted claim moves to the new outlet
    assert_counts_right(bench, engine)
    assert [c.name for c in bench.overview().by_outlet] == ["Le Monde"]

    suggestion = next(c for c in bench.claims(article_id) if not c.accepted)
    bench.accept(suggestion.id)  # a suggestion taken: now counted by the overview
    assert_counts_right(bench, engine)
    other = next(c for c in bench.claims(article_id) if not c.accepted)
    bench.reject(other.id)
    assert_counts_right(bench, engine)
    bench.restore_claim(other)  # undo of a rejection
    assert_counts_right(bench, engine)

    figure = mark(bench, article_id, THREE_THOUSAND)
    bench.update_claim(figure.id, verdict=false, summary="Fewer.")
    bench.add_source(figure.id, "https://mod.example/report", kind=SourceKind.PRIMARY)
    bench.update_claim(figure.id, state=State.IN_REVIEW)
    bench.actor = "ben"
    bench.approve(figure.id)
    assert_counts_right(bench, engine)
    bench.update_claim(figure.id, kind=Kind.QUANTITY, reason="Wrong kind")  # reopens it
    assert_counts_right(bench, engine)
    deleted = bench.claim(figure.id)
    bench.delete_claim(figure.id)  # delete
    assert_counts_right(bench, engine)
    bench.restore_claim(deleted)  # undo of a deletion
    assert_counts_right(bench, engine)

    bench.redetect(article_id)
    old_text = bench.article(article_id).text
    bench.import_revision(article_id, ImportedText(  # a new revision: claims carried, some detached
        title="Corrected", text=old_text.replace("More 3 000 Russians", "More 5 000 Russians") + "\n\nIt rained 40 mm.",
        source_url="https://news.example/a"))
    assert_counts_right(bench, engine)

    second, _ = bench.add_article(from_pasted("A report\n\nThe port handled 12 million tonnes in 2024."))
    assert_counts_right(bench, engine)
    bench.delete_article(article_id)  # its claims go with it, and out of every count
    assert_counts_right(bench, engine)
    assert [a.id for a in bench.articles()] == [second.id]


def test_counts_stay_right_through_a_random_series_of_edits(bench: Workbench, engine: Engine, sample_article) -> None:  # type: ignore[no-untyped-def]
    rng = random.Random(17)
    bench.add_article(from_pasted("Second\n\nUnemployment fell to 4.1 per cent in 2023. Exports rose 12 per cent."))
    labels = [None, *bench.scale().labels]
    speakers = ["", "the minister", "the mayor"]
    removed: list[Any] = []
    for step in range(60):
        claims = [c for a in bench.articles() for c in bench.claims(a.id)]
        claim = rng.choice(claims)
        action = rng.choice(["verdict", "verdict", "conclusion", "state", "accept", "delete", "restore", "outlet"])
        try:
            if action == "verdict":
                bench.update_claim(claim.id, verdict=rng.choice(labels), reason="again")
            elif action == "conclusion":
                bench.update_claim(claim.id, verdict=None, conclusion=rng.choice(["", "Misleading."]), reason="again")
            elif action == "state":
                bench.update_claim(claim.id, state=rng.choice([State.NOT_STARTED, State.IN_PROGRESS, State.IN_REVIEW]),
                                   reason="again")
            elif action == "accept":
                bench.update_claim(claim.id, accepted=rng.random() < 0.5, reason="again")
            elif action == "delete":
                removed.append(bench.claim(claim.id))
                bench.delete_claim(claim.id, )
            elif action == "restore" and removed:
                bench.restore_claim(removed.pop(rng.randrange(len(removed))))
            elif action == "outlet":
                bench.update_article(claim.article_id, outlet=rng.choice(["AP", "BBC News", ""]))
                with engine.begin() as c:  # a speaker, as the detector or another client would set it
                    c.execute(text("UPDATE claim SET speaker = :s WHERE id = :id"),
                              {"s": rng.choice(speakers), "id": claim.id})
        except ValidationError:
            continue  # a refused edit (an approved claim's lock and such) changes nothing
        if step % 10 == 9:
            assert_counts_right(bench, engine)
    assert_counts_right(bench, engine)


def test_a_copy_between_databases_brings_its_counts(bench: Workbench, engine: Engine, sample_article,  # type: ignore[no-untyped-def]
                                                    empty_db_url: str) -> None:
    claim = mark(bench, sample_article.id, TROOPS)
    bench.update_claim(claim.id, verdict=bench.scale().rating("false"))
    bench.update_article(sample_article.id, outlet="AP")
    target = make_engine(empty_db_url)
    try:
        migrate(target)
        copy_archive(engine, target)
        copied = Workbench(make_sessions(target))
        assert_counts_right(copied, target)
        assert [(a.id, a.claim_count, a.resolved_count) for a in copied.articles()] == [
            (a.id, a.claim_count, a.resolved_count) for a in bench.articles()]
        assert copied.overview().by_outlet == bench.overview().by_outlet
        copied.close()
    finally:
        target.dispose()


def test_the_migration_counts_an_archive_that_had_no_counts_and_steps_back(backend: str, empty_db_url: str) -> None:
    engine = make_engine(empty_db_url)
    try:
        migrate(engine, revision="0013")
        old = Workbench(make_sessions(engine))  # the services' writes need nothing of 0014
        (article,) = old.seed([SAMPLE])
        claim = mark(old, article.id, TROOPS)
        old.update_claim(claim.id, verdict=old.scale().rating("false"))
        old.update_article(article.id, outlet="Reuters")
        with engine.connect() as c:
            assert "article_summary" not in _tables(c, backend)

        migrate(engine)
        assert_counts_right(old, engine)
        assert next(a for a in old.articles() if a.id == article.id).resolved_count == 1

        result = downgrade(engine, "0013")  # derived counts: nothing is lost, no copy is needed
        assert result.lost == () and result.backup is None
        with engine.connect() as c:
            assert not {"article_summary", "claim_tally"} & _tables(c, backend)
        old.update_claim(claim.id, verdict=None)  # written while there were no triggers
        migrate(engine)
        assert_counts_right(old, engine)
        with engine.connect() as c:
            assert c.execute(text("SELECT version_num FROM alembic_version")).scalar() == head_revision()
        old.close()
    finally:
        engine.dispose()


def test_a_rebuilt_claim_table_gets_its_triggers_back_and_is_counted_again(db_path: Path) -> None:
    """A later batch migration rebuilds a table by copy, drop and rename, which drops its
    triggers on SQLite: the migration runner puts them back and counts again."""
    import sqlite3

    from app.storage import summary

    engine = make_engine(str(db_path))
    bench = Workbench(make_sessions(engine))
    (article,) = bench.seed([SAMPLE])
    with engine.begin() as c:
        for name in summary.SQLITE_TRIGGERS:
            c.exec_driver_sql(f"DROP TRIGGER {name}")
        c.exec_driver_sql("UPDATE claim SET accepted = 1")  # written with no trigger to count it
    raw = sqlite3.connect(db_path)
    assert summary.restore(raw.execute, summary.schema_names(raw))
    raw.commit()
    raw.close()
    assert_counts_right(bench, engine)
    bench.close()
    engine.dispose()


def test_what_the_runner_puts_back_is_what_the_migrations_made(db_path: Path) -> None:
    """Migrations 0004 and 0014 write their triggers out; app.storage.summary and search_index
    keep the runtime copy that restore() puts back after a batch rebuild. The two must agree at
    head, or a rebuilt table would come back with triggers no migration made (a change to either
    module takes a new revision)."""
    import sqlite3

    from app.storage import search_index, summary

    engine = make_engine(str(db_path))
    migrate(engine)
    engine.dispose()
    raw = sqlite3.connect(db_path)
    made = dict(raw.execute("SELECT name, sql FROM sqlite_master WHERE type = 'trigger'"))
    for name in [*summary.SQLITE_TRIGGERS, *search_index.TRIGGERS]:
        raw.execute(f"DROP TRIGGER {name}")
    assert summary.restore(raw.execute, summary.schema_names(raw))
    assert search_index.restore(raw.execute, search_index.schema_names(raw))
    put_back = dict(raw.execute("SELECT name, sql FROM sqlite_master WHERE type = 'trigger'"))
    raw.close()
    assert set(summary.SQLITE_TRIGGERS) | set(search_index.TRIGGERS) <= set(made)
    assert put_back == made


def _tables(c: Any, backend: str) -> set[str]:
    sql = ("SELECT tablename FROM pg_tables WHERE schemaname = current_schema()" if backend == "postgresql"
           else "SELECT name FROM sqlite_master WHERE type = 'table'")
    return {r[0] for r in c.execute(text(sql))}


@pytest.mark.gui
def test_a_verdict_set_and_undone_in_the_window_is_counted_and_uncounted(qtbot, window, bench, sample_article) -> None:  # type: ignore[no-untyped-def]
    from PySide6.QtCore import Qt

    engine = bench._ctx.db.engine
    total = len(bench.claims(sample_article.id))
    window.table.setFocus()
    qtbot.keyClick(window.table, Qt.Key.Key_5)  # False
    assert [(a.claim_count, a.resolved_count) for a in bench.articles()] == [(total, 1)]
    assert_counts_right(bench, engine)
    qtbot.keyClick(window.table, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)  # undo
    assert [(a.claim_count, a.resolved_count) for a in bench.articles()] == [(total, 0)]
    assert_counts_right(bench, engine)
    window.reload_articles()  # what the list shows after a reload is what the counts say
    assert window.articles_pane.articles.text(0).splitlines()[-1].startswith("0 of ")


@pytest.mark.gui
def test_search_runs_off_the_gui_thread_and_a_stale_answer_is_dropped(qtbot, bench, sample_article, errors) -> None:  # type: ignore[no-untyped-def]
    """The real task runner: the search waits on a worker thread while the window stays free;
    hits for a query the box no longer shows are never shown."""
    import threading

    from app.ui.application import settings
    from app.ui.main_window import MainWindow

    win = MainWindow(bench, "test.sqlite3", settings())
    qtbot.addWidget(win)
    win.show()
    win.live.stop()
    release, threads = threading.Event(), []
    search = bench.search

    def slow_search(query: str, limit: int = 100) -> list[Any]:
        threads.append(threading.current_thread())
        if query == "troops":
            release.wait(10)  # held until the box says something else
        return search(query, limit)

    bench.search = slow_search
    pane = win.articles_pane
    qtbot.keyClicks(pane.search, "troops")
    qtbot.waitUntil(lambda: len(threads) == 1, timeout=3000)  # the first search is under way...
    assert threads[0] is not threading.main_thread()  # ...on a worker,
    pane.search.clear()
    qtbot.keyClicks(pane.search, "Armenian")  # ...and the window still takes typing
    release.set()
    qtbot.waitUntil(lambda: len(threads) == 2 and not win.runner.busy, timeout=3000)
    qtbot.waitUntil(lambda: pane.showing_results() and pane.search_results.count() > 0, timeout=3000)
    shown = [pane.search_results.item(i).toolTip() for i in range(pane.search_results.count())]
    assert shown and all("armenian" in tip.lower() for tip in shown)  # never the troops hits
    assert errors == []
    win.runner.wait()
    win.close()


def test_an_edit_written_as_plain_values_returns_what_a_fresh_read_finds(bench: Workbench, sample_article) -> None:  # type: ignore[no-untyped-def]
    """update_claim writes through ClaimDraft (two Core reads, one INSERT, one UPDATE): the claim it
    returns, its history and its version are what the ORM path gave and what a re-read finds."""
    claim = mark(bench, sample_article.id, THREE_THOUSAND)
    false = bench.scale().rating("false")
    edits: list[dict[str, Any]] = [
        {"verdict": false}, {"summary": "Fewer."}, {"verdict": None, "conclusion": "Half right."},
        {"state": State.IN_REVIEW}, {"accepted": False}, {"notes": "Called the ministry.", "kind": Kind.QUANTITY},
    ]
    version = bench.claim(claim.id).version
    for edit in edits:
        returned, changes = bench.update_claim(claim.id, **edit)
        assert returned == bench.claim(claim.id), edit
        assert returned.version == version + 1 and changes.claim_ids == {claim.id}
        version = returned.version
    again, _ = bench.update_claim(claim.id, notes="Called the ministry.")  # nothing changes: nothing written
    assert again.version == version
    fields = [e.field for e in bench.history(claim.id)]
    assert fields.count("verdict") == 2 and "conclusion" in fields and "summary" in fields and "kind" in fields

    bench.update_claim(claim.id, verdict=false, conclusion="")
    bench.add_source(claim.id, "https://mod.example/report", kind=SourceKind.PRIMARY)
    bench.actor = "ben"
    bench.approve(claim.id)
    with pytest.raises(ValidationError, match="locked"):
        bench.update_claim(claim.id, summary="Changed my mind.")
    reopened, _ = bench.update_claim(claim.id, summary="Changed my mind.", reason="New figures")
    assert reopened == bench.claim(claim.id) and reopened.state is State.IN_REVIEW and not reopened.approved_by
    assert [s.url for s in reopened.sources] == ["https://mod.example/report"]
    assert {"reopened", "state", "summary"} <= {e.field for e in bench.history(claim.id)[-3:]}


@pytest.mark.gui
def test_a_search_with_more_matches_than_shown_lists_the_newest_and_says_there_are_more(qtbot, window, bench) -> None:  # type: ignore[no-untyped-def]
    from app.domain import DetectedClaim

    paragraphs = [f"In {1900 + i} the ministry said {i * 7} soldiers crossed the border at point {i}." for i in range(130)]
    text, found, at = "\n\n".join(paragraphs), [], 0
    for p in paragraphs:
        found.append(DetectedClaim(at, at + len(p), p, Kind.QUANTITY, 0.9))
        at += len(p) + 2
    bench._ctx.detector = lambda _text, *_a, **_k: found
    bench.add_article(ImportedText(title="130 crossings", text=text))
    window.live.stop()
    pane = window.articles_pane
    qtbot.keyClicks(pane.search, "soldiers")
    qtbot.waitUntil(lambda: pane.list_title.text() == "Search results (100+)", timeout=3000)
    assert pane.search_results.count() == 100 and "newest" in pane.list_title.toolTip()
    assert "point 129." in pane.search_results.item(0).toolTip()  # the newest first
    pane.search.clear()
    qtbot.keyClicks(pane.search, "point 129")
    qtbot.waitUntil(lambda: pane.list_title.text() == "Search results (1)", timeout=3000)
    assert pane.list_title.toolTip() == ""
