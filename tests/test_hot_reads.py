"""The hot reads (search as you type, the article list, the desk overview) on SQLite: built slot by
slot and read on each thread's plain connection (Database.read_raw); what a person gets must not change."""

from __future__ import annotations

import sqlite3
import threading
from dataclasses import dataclass
from datetime import datetime

import pytest

from app.domain import ArticleSummary, SearchHit, State
from app.storage import plain


def test_a_maker_builds_what_the_constructor_builds_field_for_field() -> None:
    rows = [(1, "Title", 3, 2, "2026-11-30 09:09:26.000000"), (2, "Another", None, None, None)]
    stamps = plain.Stamps()
    make = plain.maker(ArticleSummary, "r[0]", "r[1]", "r[2] or 0", "r[3] or 0", "known(r[4]) or parse(r[4])",
                       known=stamps.known, parse=stamps.parse)
    made = make(rows)
    assert made == [ArticleSummary(1, "Title", 3, 2, datetime(2026, 11, 30, 9, 9, 26)), ArticleSummary(2, "Another", 0, 0)]
    assert make(rows)[0].imported_at is made[0].imported_at  # each stored text parsed once
    hits = plain.maker(SearchHit)([(5, 1, "T", "quote", State.IN_REVIEW, "False")])
    assert hits == [SearchHit(5, 1, "T", "quote", State.IN_REVIEW, "False")]
    assert hash(hits[0]) == hash(SearchHit(5, 1, "T", "quote", State.IN_REVIEW, "False"))
    with pytest.raises(TypeError):
        plain.maker(SearchHit, "r[0]")  # one expression per field


def test_a_maker_refuses_a_class_whose_constructor_does_more() -> None:
    @dataclass(frozen=True, slots=True)
    class Checked:
        n: int

        def __post_init__(self) -> None:
            if self.n < 0:
                raise ValueError("negative")

    @dataclass
    class Loose:
        n: int

    for cls in (Checked, Loose):
        with pytest.raises(TypeError):
            plain.maker(cls)


def test_search_and_the_list_answer_on_two_threads_at_once(db_path, bench, sample_article) -> None:  # type: ignore[no-untyped-def]
    """One thread is in the middle of a read while another searches: each reads on its own
    connection, and both get the full answer."""
    expected = bench.search("the")
    assert expected
    got: list[int] = []
    with bench._ctx.read_raw() as c:  # this thread is reading
        assert c.execute("SELECT count(*) FROM claim").fetchone()[0] > 0
        worker = threading.Thread(target=lambda: got.append(len(bench.search("the"))))
        worker.start()
        worker.join(10)
        listed = bench.articles()  # a read nested in it, on this thread's connection
    assert got == [len(expected)]
    assert [a.id for a in listed] == [sample_article.id]
    assert bench.search("the") == expected


def test_after_a_failed_read_the_next_search_starts_on_a_fresh_connection(db_path, bench, sample_article) -> None:  # type: ignore[no-untyped-def]
    expected = bench.search("the")
    with bench._ctx.read_raw() as c:
        c.set_progress_handler(lambda: 1, 1)  # every statement on this connection is interrupted
    with pytest.raises(sqlite3.OperationalError):
        bench.search("the")
    assert bench.search("the") == expected  # not the interrupted connection again
    bench.close()
    bench.close()  # twice is harmless


def test_the_overview_read_on_sqlite_is_the_one_the_core_statements_give(db_path, bench, sample_article) -> None:  # type: ignore[no-untyped-def]
    """The compiled statements on the plain connection (dates parsed from their stored text)
    against the same statements through SQLAlchemy Core, as on PostgreSQL, on one database."""
    claims = bench.claims(sample_article.id)
    false = bench.scale().rating("false")
    for claim in claims[:4]:
        bench.update_claim(claim.id, verdict=false, accepted=True)
    bench.update_claim(claims[4].id, conclusion="Nobody could confirm it.", accepted=True)
    bench.update_claim(claims[5].id, state=State.IN_REVIEW, accepted=True)
    kept = bench.overview()
    assert kept.checked == 5 and sum(w.count for w in kept.weeks) == 5
    assert any(w.claim_id == claims[5].id and isinstance(w.since, datetime) for w in kept.oldest)
    bench._ctx.db.postgresql = True  # the Core path, which also runs on SQLite
    try:
        core = bench.overview(at=kept.generated_at)
    finally:
        bench._ctx.db.postgresql = False
    assert kept == core


def test_a_verdict_edit_on_sqlite_keeps_the_rules_and_a_refused_one_writes_nothing(db_path, bench, sample_article) -> None:  # type: ignore[no-untyped-def]
    """The edit's own transaction on the DB-API connection: the conflict check, the lock and the
    history all hold, and a refused write leaves the claim and its history as they were."""
    from app.domain import Conflict
    from app.domain.errors import ValidationError
    from app.services import Workbench
    from app.storage.engine import make_engine, make_sessions

    claim = bench.claims(sample_article.id)[2]
    labels = bench.scale().labels
    other = Workbench(make_sessions(make_engine(str(db_path))), actor="ana")
    try:
        mine, _ = bench.update_claim(claim.id, verdict=labels[0], expected_version=claim.version)
        theirs, _ = other.update_claim(claim.id, verdict=labels[1], expected_version=mine.version)
        before = len(bench.history(claim.id))
        with pytest.raises(Conflict) as refused:
            bench.update_claim(claim.id, verdict=labels[2], expected_version=mine.version)
        assert refused.value.fields[0].field == "verdict" and refused.value.fields[0].by == "ana"
        assert isinstance(refused.value.fields[0].at, datetime)
        assert bench.claim(claim.id).verdict == labels[1] and len(bench.history(claim.id)) == before
        # A change to another field merges with theirs.
        merged, _ = bench.update_claim(claim.id, summary="Said twice.", expected_version=mine.version)
        assert merged.verdict == labels[1] and merged.summary == "Said twice."
        assert merged.version == theirs.version + 1
        conn = sqlite3.connect(db_path)
        conn.execute("UPDATE claim SET state = 'approved', approved_by = 'ana' WHERE id = ?", (claim.id,))
        conn.commit()
        conn.close()
        with pytest.raises(ValidationError, match="locked"):
            bench.update_claim(claim.id, verdict=labels[0])
        reopened, _ = bench.update_claim(claim.id, verdict=labels[0], reason="New figures.")
        assert reopened.state == State.IN_REVIEW and reopened.verdict == labels[0]
        assert [h.field for h in bench.history(claim.id)][-3:] in (["reopened", "state", "verdict"],
                                                                     ["verdict", "state", "reopened"])
    finally:
        other.close()
        bench.close()


def test_the_article_list_read_again_shows_each_change_and_reuses_what_did_not_change(db_path, bench, sample_article) -> None:  # type: ignore[no-untyped-def]
    from app.ingest import ImportedText

    first = bench.articles()
    again = bench.articles()
    assert again == first and again[0] is first[0]  # nothing changed: the same entry
    claim = bench.claims(sample_article.id)[0]
    bench.update_claim(claim.id, verdict=bench.scale().rating("false"))
    bench._ctx.detector = lambda _text, *_a, **_k: []
    added, _ = bench.add_article(ImportedText(title="A second article", text="Nothing to check here."))
    changed = bench.articles()
    assert [a.id for a in changed] == [added.id, sample_article.id]
    assert changed[1].resolved_count == first[0].resolved_count + 1 and changed[1] is not first[0]
    assert changed[0].title == "A second article" and changed[0].claim_count == 0
