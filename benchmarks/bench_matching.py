"""Earlier checks on an archive of 100,000 checked claims: query time, and how soon a new verdict is found.

The archive: 100 articles of 1,000 claims each, every claim with a verdict. Their texts are the
10,373 Snopes claims of ../shared/data/claim_matching/ (CheckThat! 2020, see its README), each
used about ten times with its figures changed, or generated sentences when that folder is
missing. Queries are the dev tweets. Measured on SQLite, through the Workbench (the window's
and the CLI's path): the first search (builds the index), a search (median), and a new
verdict's round trip: update_claim, then the next search that finds it (the index catches up
from the history before searching).
"""

from __future__ import annotations

import csv
import random
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT), str(ROOT / "benchmarks")]

from _util import median_ms, report  # noqa: E402
from sqlalchemy import text  # noqa: E402

from app.domain import DetectedClaim, Kind  # noqa: E402
from app.ingest import from_pasted  # noqa: E402
from app.services import Workbench  # noqa: E402
from app.storage.engine import make_engine, make_sessions  # noqa: E402
from app.storage.migrate import migrate  # noqa: E402

DATA = ROOT.parent / "shared" / "data" / "claim_matching"
ARTICLES, PER_ARTICLE = 100, 1000


def _texts() -> tuple[list[str], list[str]]:
    rng = random.Random(13)
    if (DATA / "verified_claims.tsv").is_file():
        csv.field_size_limit(sys.maxsize)
        with (DATA / "verified_claims.tsv").open(encoding="utf-8", newline="") as f:
            claims = [r[1] for r in list(csv.reader(f, delimiter="\t", quoting=csv.QUOTE_NONE))[1:] if len(r) > 1]
        with (DATA / "dev_queries.tsv").open(encoding="utf-8", newline="") as f:
            queries = [r[1] for r in list(csv.reader(f, delimiter="\t", quoting=csv.QUOTE_NONE))[1:] if len(r) > 1]
    else:
        words = ["minister", "troops", "border", "treaty", "budget", "vaccine", "election", "tax", "river", "army", "bank", "school"]
        claims = [" ".join(rng.choice(words) for _ in range(12)) + "." for _ in range(10_000)]
        queries = [" ".join(rng.choice(words) for _ in range(20)) for _ in range(200)]
    out = []
    for i in range(ARTICLES * PER_ARTICLE):
        base = claims[i % len(claims)].replace("\n", " ").strip() or "A claim."
        out.append(base if i < len(claims) else f"{base} ({rng.randint(2, 99_000)} in {1990 + i % 35})")
    return out, queries


def _detector(sentences: list[str]) -> Callable[[str], list[DetectedClaim]]:
    def detect(body: str) -> list[DetectedClaim]:
        found, at = [], 0
        for sentence in sentences:
            at = body.index(sentence, at)
            found.append(DetectedClaim(at, at + len(sentence), sentence, Kind.OTHER, 0.9))
            at += len(sentence)
        return found

    return detect


def main() -> int:
    claims, queries = _texts()
    folder = Path(tempfile.mkdtemp())
    engine = make_engine(str(folder / "archive.sqlite3"))
    migrate(engine)
    sessions = make_sessions(engine)
    started = time.perf_counter()
    for a in range(ARTICLES):
        chunk = claims[a * PER_ARTICLE:(a + 1) * PER_ARTICLE]
        Workbench(sessions, _detector(chunk)).add_article(from_pasted(f"Archive {a}\n\n" + "\n".join(chunk)))
    bench = Workbench(sessions, actor="bench")
    false = bench.scale().rating("false")
    assert false is not None
    with engine.begin() as c:  # every claim checked: a bulk update, not 100,000 service calls
        c.execute(text("UPDATE claim SET verdict_id = :v, accepted = 1, state = 'in_progress'"), {"v": false.id})
        count = c.execute(text("SELECT count(*) FROM claim WHERE verdict_id IS NOT NULL")).scalar()
    print(f"== earlier checks: {count:,} checked claims (built in {time.perf_counter() - started:.0f} s)")

    t0 = time.perf_counter()
    bench.match("warm up", 5)
    report("earlier checks, 100k checked claims: first search builds the index", (time.perf_counter() - t0) * 1000)
    assert bench.matches_indexed() == count

    picked = queries[:60]
    times = []
    for q in picked:
        t0 = time.perf_counter()
        bench.match(q, 5)
        times.append((time.perf_counter() - t0) * 1000)
    report(f"earlier checks, 100k: search, top 5 ({len(picked)} dev tweets)", times, goal_ms=50)
    report("earlier checks, 100k: … 90th percentile", sorted(times)[int(len(times) * 0.9)], goal_ms=50)
    from app.matching import ClaimMatcher

    with engine.connect() as c:
        matcher = ClaimMatcher(c.execute(text("SELECT id, quote FROM claim")).all())
    report("earlier checks, 100k: the index alone (ClaimMatcher.search)",
           median_ms(lambda: [matcher.search(q, 5) for q in picked[:20]], runs=3) / 20)

    new_article, _ = bench.add_article(from_pasted("Fresh\n\nThe river Zambezi flooded 1,234 villages in Quokkaland."))
    start = new_article.text.index("The river")
    fresh, _ = bench.mark_claim(new_article.id, start, new_article.text.index("Quokkaland") + 10)
    rounds = []
    for i in range(15):
        bench.update_claim(fresh.id, verdict=None if i % 2 else false)
        if i % 2:
            continue
        t0 = time.perf_counter()
        found = bench.match("Zambezi floods in Quokkaland hit 1234 villages", 1)
        rounds.append((time.perf_counter() - t0) * 1000)
        assert found and found[0].claim_id == fresh.id, found
    report("earlier checks, 100k: a new verdict found by the next search", rounds, goal_ms=100)
    engine.dispose()
    return 0


if __name__ == "__main__":
    sys.exit(main())
