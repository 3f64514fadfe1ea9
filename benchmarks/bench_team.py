"""Team mode against one person's file: the same actions on a local PostgreSQL and on SQLite.

Measures, as medians of alternating runs (PostgreSQL, then SQLite, and again, so both see the
same machine noise): a verdict edit's round trip (read the claim, write it with its version),
a search, opening an article with 5,000 claims, the cost of asking "did anything change?", and
how soon someone else's committed edit reaches a poller.
PostgreSQL is a throwaway cluster on a Unix socket (tests/pg_cluster.py), or the server
CLAIMDESK_TEST_PG_URL names (a superuser's URL: a database is created and dropped).
"""

from __future__ import annotations

import os
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT), str(ROOT / "tests")]

from app.domain import DetectedClaim, Kind, Rating  # noqa: E402
from app.ingest import from_pasted  # noqa: E402
from app.services import Workbench  # noqa: E402
from app.storage.engine import make_engine, make_sessions  # noqa: E402
from app.storage.migrate import migrate  # noqa: E402

SAMPLE = ROOT / "seeds" / "000_dfc4ea22a266b7c5.txt"
CLAIMS = 5000
RUNS = 15


def big_article() -> tuple[str, Callable[[str], list[DetectedClaim]]]:
    sentences = [f"Minister {i} said spending rose by {i % 97} per cent in {1990 + i % 35}." for i in range(CLAIMS)]
    text = "Budget marathon\n\n" + " ".join(sentences)

    def detector(body: str) -> list[DetectedClaim]:
        found, at = [], 0
        for sentence in sentences:
            at = body.index(sentence, at)
            found.append(DetectedClaim(at, at + len(sentence), sentence, Kind.PERCENTAGE, 0.9))
            at += len(sentence)
        return found if body == text else []

    return text, detector


def prepare(url: str) -> tuple[Workbench, int, list[int]]:
    engine = make_engine(url)
    migrate(engine)
    text, detector = big_article()
    bench = Workbench(make_sessions(engine), actor="")
    (sample,) = bench.seed([SAMPLE])
    big, _ = Workbench(make_sessions(engine), detector=detector).add_article(from_pasted(text))
    ids = [c.id for c in bench.claims(sample.id)[:10]]
    return bench, big.id, ids


def main() -> int:
    from pg_cluster import Cluster

    cluster = None
    admin_url = os.environ.get("CLAIMDESK_TEST_PG_URL")
    if not admin_url:
        cluster = Cluster()
        cluster.start()
        admin_url = cluster.url()
    import psycopg

    plain = admin_url.replace("postgresql+psycopg", "postgresql")
    with psycopg.connect(plain, autocommit=True) as c:
        c.execute("DROP DATABASE IF EXISTS claimdesk_bench")
        c.execute("CREATE DATABASE claimdesk_bench")
    pg_url = plain.replace("/postgres?", "/claimdesk_bench?") if "/postgres?" in plain else plain.rsplit("/", 1)[0] + "/claimdesk_bench"
    folder = tempfile.mkdtemp(prefix="claimdesk-bench-")
    try:
        desks = {"postgresql": prepare(pg_url), "sqlite": prepare(str(Path(folder) / "bench.sqlite3"))}
        times: dict[tuple[str, str], list[float]] = {}
        others = {name: Workbench(desk[0]._sessions, actor="") for name, desk in desks.items()}
        labels = [desks["sqlite"][0].scale().rating(k) for k in ("false", "disputed")]
        for run in range(RUNS):
            for engine_name in ("postgresql", "sqlite") if run % 2 == 0 else ("sqlite", "postgresql"):
                bench, big_id, ids = desks[engine_name]
                cid = ids[run % len(ids)]

                def edit(bench: Workbench = bench, cid: int = cid, label: Rating = labels[run % 2]) -> None:
                    seen = bench.claim(cid)
                    bench.update_claim(cid, verdict=label, expected_version=seen.version)

                def search(bench: Workbench = bench) -> None:
                    assert bench.search("troops")

                def open_big(bench: Workbench = bench, big_id: int = big_id) -> None:
                    assert len(bench.claims(big_id)) == CLAIMS

                for name, fn in (("verdict edit round trip", edit), ("search 'troops'", search),
                                 (f"open an article with {CLAIMS:,} claims", open_big)):
                    t0 = time.perf_counter()
                    fn()
                    times.setdefault((name, engine_name), []).append((time.perf_counter() - t0) * 1000)
                token = bench.change_token()
                time.sleep(0.05)  # the notification of our own edit arrives after its commit
                token = bench.changes_since(token).token  # seen: nothing is new now

                def poll(bench: Workbench = bench, token: object = token) -> None:
                    bench.changes_since(token)  # type: ignore[arg-type]

                t0 = time.perf_counter()
                poll()
                times.setdefault(("poll when nothing changed", engine_name), []).append((time.perf_counter() - t0) * 1000)

                # Another person's edit, from its commit until a poller has it as a ChangeSet.
                other = others[engine_name]
                other.update_claim(cid, notes=f"run {run}")
                t0 = time.perf_counter()
                while not bench.changes_since(token).changes:
                    pass
                times.setdefault(("someone else's edit reaches a poller", engine_name), []).append(
                    (time.perf_counter() - t0) * 1000)
        print(f"  {'median of ' + str(RUNS) + ' alternating runs':<44} {'PostgreSQL':>11} {'SQLite':>9} {'ratio':>7}")
        for name in dict.fromkeys(n for n, _ in times):
            pg_ms = statistics.median(times[(name, "postgresql")])
            lite_ms = statistics.median(times[(name, "sqlite")])
            print(f"  {name:<44} {pg_ms:8.2f} ms {lite_ms:6.2f} ms {pg_ms / lite_ms:6.2f}×")
        for bench in others.values():
            bench.close()
        for bench, *_ in desks.values():
            bench.close()
            bench._sessions.kw["bind"].dispose()
    finally:
        import shutil

        shutil.rmtree(folder, ignore_errors=True)
        if cluster is not None:
            cluster.stop()
        else:
            with psycopg.connect(plain, autocommit=True) as c:
                c.execute("DROP DATABASE IF EXISTS claimdesk_bench WITH (FORCE)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
