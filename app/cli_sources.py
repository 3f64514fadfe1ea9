"""The `sources` commands of the command line: check sources' links, run the waiting jobs. No Qt."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable
from dataclasses import asdict
from typing import Any

from app.domain import LinkState


def add_parser(sub: Any) -> None:
    """`claimdesk sources check [ARTICLE_ID] [--json]` and `claimdesk sources run`."""
    p = sub.add_parser("sources", help="sources' links: check them now, or run the waiting snapshots and archive copies")
    inner = p.add_subparsers(dest="sources_command", required=True, metavar="check|run")
    check = inner.add_parser("check", help="open each source's link: ok, redirected, gone, unreachable or changed")
    check.add_argument("article_id", type=int, nargs="?", metavar="ARTICLE_ID", help="one article (default: all)")
    check.add_argument("--json", action="store_true")
    inner.add_parser("run", help="take the snapshots and archive copies waiting in the queue (those due now)")


def sources_command(bench: Any, args: argparse.Namespace, print_json: Callable[[Any], None],
                    jsonable: Callable[[Any], Any]) -> int:
    if args.sources_command == "run":
        return _run(bench)
    articles = [bench.article(args.article_id)] if args.article_id is not None else bench.articles()
    rows: list[dict[str, Any]] = []
    for article in articles:
        numbers = {c.id: c.number for c in bench.claims(article.id)}

        def progress(done: int, total: int, title: str = article.title) -> None:
            if not args.json and sys.stderr.isatty():
                print(f"\rchecking {title[:40]}: {done}/{total}", end="", file=sys.stderr, flush=True)

        for result in bench.links.check_article(article.id, progress):
            rows.append({"article_id": article.id, "claim": f"{article.id}#{numbers.get(result.claim_id, '?')}",
                         **asdict(result)})
        if not args.json and sys.stderr.isatty():
            print(file=sys.stderr)
    if args.json:
        print_json(jsonable(rows))
        return 0
    for row in rows:
        state = LinkState(row["state"])
        what = row["detail"]
        if state is LinkState.CHANGED and row["similarity"] is not None:
            what = f"{row['similarity']:.0%} of the snapshot's text is still there"
        print(f"{row['claim']:<8} {state.value:<12} {row['url']}" + (f"  ({what})" if what else ""))
    broken = sum(LinkState(r["state"]).broken for r in rows)
    changed = sum(LinkState(r["state"]) is LinkState.CHANGED for r in rows)
    print(f"{len(rows)} source(s) checked: {broken} broken, {changed} changed since the snapshot.", file=sys.stderr)
    return 0


def _run(bench: Any) -> int:
    ran = 0
    while bench.links.run_next() is not None:
        ran += 1
    waiting = bench.links.jobs()
    failed = sum(1 for j in waiting if j.last_error)
    print(f"{ran} job(s) run; {len(waiting)} waiting" + (f" ({failed} to try again later)" if failed else "") + ".",
          file=sys.stderr)
    return 0
