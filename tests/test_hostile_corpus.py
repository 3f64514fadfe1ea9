"""The hostile corpus: every file ends within its budget in an article or in one line, never a crash."""

from __future__ import annotations

import time
from pathlib import Path

import hostile_corpus as corpus
import pytest

from app.ingest import IngestError, read_file

FILES = corpus.small_files()
CONTROLS = {chr(c) for c in range(32) if chr(c) not in "\n\t"} | {chr(c) for c in range(0x7F, 0xA0)}


@pytest.mark.parametrize(("name", "data"), FILES, ids=[name for name, _ in FILES])
def test_each_hostile_file_is_an_article_or_one_line(tmp_path: Path, name: str, data: bytes) -> None:
    path = tmp_path / name
    path.write_bytes(data)
    started = time.monotonic()
    try:
        imported = read_file(path, budget=10)
    except IngestError as error:
        message = str(error)
        assert "\n" not in message and message.startswith(name), message
        assert not CONTROLS & set(message)
    else:
        assert imported.text.strip()
        assert "root:" not in imported.text, "an external entity was read"
        assert not CONTROLS & set(imported.text), [c for c in imported.text if c in CONTROLS][:5]
        assert not CONTROLS & set(imported.title)
        for segment in imported.segments:
            assert 0 <= segment.start < segment.end <= len(imported.text)
    assert time.monotonic() - started < 10


def test_the_corpus_is_big_enough() -> None:
    assert len(FILES) >= 80


def test_no_hostile_file_costs_earlier_work(tmp_path: Path, bench, sample_article) -> None:  # type: ignore[no-untyped-def]
    """Imported into a database that holds a fact-checker's work, each file is an article or one
    line, and the work is still there afterwards, in a database that passes its integrity check."""
    from sqlalchemy import text

    from app.domain.errors import USER_ERRORS

    claim = bench.claims(sample_article.id)[0]
    bench.update_claim(claim.id, summary="Checked against the ministry's figures.")
    articles = len(bench.articles())
    for name, data in FILES:
        path = tmp_path / name
        path.write_bytes(data)
        refused = ""
        try:
            bench.import_file(path)
        except USER_ERRORS as error:
            refused = str(error)
        else:
            articles += 1
        assert "\n" not in refused, name
    assert bench.claim(claim.id).summary == "Checked against the ministry's figures."
    assert len(bench.articles()) <= articles  # a duplicate text is offered back, not stored twice
    with bench._sessions() as s:
        assert s.execute(text("PRAGMA integrity_check")).scalar() == "ok"
