"""Build a generated archive for the benchmarks: `python benchmarks/archive.py N [--db FILE]`.

N claims in articles of about 100 claims each (one long transcript of 1,000), made of the shared
CheckThat! sentences: each claim a real sentence of its article, with context, kind, score,
speaker; about half worked on (state, verdict, summary, who set it, approvals), a third with one or
two sources, and the history those changes would have written. Bulk inserts through SQLAlchemy Core
(executemany, no ORM objects), the search index filled once at the end. 1M claims build in a few
minutes on 2 cores."""

from __future__ import annotations

import argparse
import random
import sys
import time
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import corpus  # noqa: E402

PER_ARTICLE = 100
LONGEST = 1_000  # one long debate transcript: "the largest article"
KINDS = ("quantity", "percentage", "date", "treaty", "un_resolution", "membership", "event", "geography",
         "attribution", "comparison", "other")
STATES = ("not_started",) * 5 + ("in_progress",) * 2 + ("in_review",) + ("approved",) * 2
OUTLETS = ("Reuters", "AP", "BBC News", "Le Monde", "The Guardian", "Al Jazeera", "Deutsche Welle", "CNN",
           "Kommersant", "Nairobi Nation")
PEOPLE = ("ana", "ben", "chloe", "dmitri", "esra", "femi", "gita", "hugo")
SPEAKERS = ("", "", "", "the president", "the senator", "the minister", "the candidate", "the mayor")
SOURCE_KINDS = ("primary", "statistics", "expert", "news", "other")
STANCES = ("supports", "refutes", "context")
BATCH = 20_000


def build(db: str, total: int, seed: int = 11) -> dict[str, int]:
    from sqlalchemy import insert, select, text

    from app.storage import search_index, summary
    from app.storage.engine import make_engine
    from app.storage.migrate import migrate
    from app.storage.models import ArticleRow, ClaimRow, HistoryRow, RatingLabelRow, SegmentRow, SourceRow

    rng = random.Random(seed)
    engine = make_engine(db)
    migrate(engine)
    pool = [s for s, _ in corpus.sentences()]
    with engine.connect() as c:
        labels = [r[0] for r in c.execute(select(RatingLabelRow.id).where(RatingLabelRow.scale_key == "default"))]
        names = dict(c.execute(select(RatingLabelRow.id, RatingLabelRow.name)).all())
    counts = {"articles": 0, "claims": 0, "sources": 0, "history": 0, "segments": 0}
    sizes = [LONGEST] if total >= 10 * LONGEST else []
    left = total - sum(sizes)
    while left > 0:
        n = min(left, rng.randint(PER_ARTICLE // 2, PER_ARTICLE * 3 // 2))
        sizes.append(n)
        left -= n
    start = datetime(2022, 1, 3, 8, tzinfo=UTC).replace(tzinfo=None)
    claims_buf: list[dict[str, object]] = []
    sources_buf: list[dict[str, object]] = []
    history_buf: list[dict[str, object]] = []
    segments_buf: list[dict[str, object]] = []

    with engine.begin() as c:
        if engine.dialect.name == "sqlite":  # one bulk load: the index and the counts are filled once at the end
            for name in (*search_index.TRIGGERS, *summary.SQLITE_TRIGGERS):
                c.execute(text(f"DROP TRIGGER IF EXISTS {name}"))
        next_claim = (c.execute(text("SELECT coalesce(max(id), 0) FROM claim")).scalar() or 0) + 1
        next_article = (c.execute(text("SELECT coalesce(max(id), 0) FROM article")).scalar() or 0) + 1

        def flush(force: bool = False) -> None:
            bufs = ((ClaimRow, claims_buf), (SourceRow, sources_buf), (HistoryRow, history_buf), (SegmentRow, segments_buf))
            if not force and all(len(buf) < BATCH for _, buf in bufs):
                return
            for table, buf in bufs:  # claims before what refers to them
                if buf:
                    c.execute(insert(table.__table__), buf)  # type: ignore[arg-type]
                    buf.clear()

        for a, size in enumerate(sizes):
            article_id = next_article + a
            when = start + timedelta(hours=a * 2.6)
            paragraphs: list[str] = []
            spans: list[tuple[int, int, str]] = []
            offset = 0
            para: list[str] = []
            for k in range(size):
                for _ in range(rng.randint(0, 1)):  # prose between the claims
                    para.append(rng.choice(pool))
                sentence = rng.choice(pool)
                at = offset + sum(len(p) + 1 for p in para)
                para.append(sentence)
                spans.append((at, at + len(sentence), sentence))
                if rng.random() < 0.25 or k == size - 1:
                    joined = " ".join(para)
                    paragraphs.append(joined)
                    offset += len(joined) + 2
                    para = []
            body = "\n\n".join(paragraphs)
            outlet = rng.choice(OUTLETS)
            c.execute(insert(ArticleRow.__table__), [{  # type: ignore[arg-type]
                "id": article_id, "title": f"{outlet}: {pool[rng.randrange(len(pool))][:80]}",
                "source_url": f"https://news.example.org/{article_id}", "outlet": outlet,
                "author": rng.choice(PEOPLE), "published": date(2022, 1, 1) + timedelta(days=a // 4),
                "text": body, "text_hash": f"{article_id:064x}", "imported_at": when, "version": 1,
                "claims_numbered": size,
            }])
            p0 = 0
            for p in paragraphs:
                segments_buf.append({"article_id": article_id, "start_offset": p0, "end_offset": p0 + len(p),
                                     "kind": "body", "lang": "en"})
                p0 += len(p) + 2
            for number, (s, e, quote) in enumerate(spans, start=1):
                claim_id = next_claim + counts["claims"]
                state = rng.choice(STATES)
                worked = state != "not_started"
                verdict = rng.choice(labels) if worked and rng.random() < 0.85 else None
                who = rng.choice(PEOPLE)
                changed = when + timedelta(hours=rng.randint(1, 400))
                claims_buf.append({
                    "id": claim_id, "article_id": article_id, "start_offset": s, "end_offset": e, "quote": quote,
                    "context_before": body[max(0, s - 32):s], "context_after": body[e:e + 32],
                    "kind": rng.choice(KINDS), "score": round(rng.random(), 3), "origin": "detected",
                    "accepted": worked or rng.random() < 0.3, "speaker": rng.choice(SPEAKERS), "lang": "en",
                    "from_comment": False, "state": state, "verdict_id": verdict, "conclusion": "",
                    "verdict_by": who if verdict else "",
                    "approved_by": rng.choice([p for p in PEOPLE if p != who]) if state == "approved" else "",
                    "approved_at": changed if state == "approved" else None,
                    "summary": rng.choice(pool) if verdict else "", "notes": "",
                    "created_at": when, "updated_at": changed, "version": 1 + (2 if verdict else 0), "number": number,
                })
                counts["claims"] += 1
                if verdict:
                    for field, old, new in (("state", "not_started", state), ("verdict", None, names[verdict])):
                        history_buf.append({
                            "article_id": article_id, "claim_id": claim_id, "entity": "claim", "entity_id": claim_id,
                            "field": field, "old_value": old, "new_value": new, "actor": who, "at": changed,
                            "version": 3,
                        })
                        counts["history"] += 1
                if worked and rng.random() < 0.7:
                    for _ in range(rng.randint(1, 2)):
                        publisher = rng.choice(OUTLETS)
                        sources_buf.append({
                            "claim_id": claim_id, "url": f"https://sources.example.org/{claim_id}/{rng.randrange(10**6)}",
                            "title": rng.choice(pool)[:120], "publisher": publisher, "note": "",
                            "accessed": date(2022, 2, 1) + timedelta(days=rng.randrange(900)),
                            "kind": rng.choice(SOURCE_KINDS), "stance": rng.choice(STANCES),
                            "passage": rng.choice(pool), "archived_url": "", "version": 1,
                        })
                        counts["sources"] += 1
            counts["segments"] += len(paragraphs)
            counts["articles"] += 1
            flush()
        flush(force=True)
        if engine.dialect.name == "sqlite":
            c.execute(text("DELETE FROM claim_search"))
            c.execute(text(search_index.FILL))
            for statement in search_index.trigger_statements():
                c.execute(text(statement))
            summary.restore(lambda sql: c.execute(text(sql)), {summary.SUMMARY})  # triggers back, counted once
    with engine.connect() as c:
        c.execute(text("ANALYZE"))
    engine.dispose()
    return counts


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("claims", type=int)
    parser.add_argument("--db", default="archive.sqlite3", help="the SQLite file to create or add to")
    args = parser.parse_args()
    t0 = time.perf_counter()
    counts = build(args.db, args.claims)
    took = time.perf_counter() - t0
    print(f"{args.db}: {', '.join(f'{v:,} {k}' for k, v in counts.items())} in {took:.1f} s", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
