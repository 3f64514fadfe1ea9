"""The matching commands of the command line: `match TEXT` and `claims ID --with-matches`. No Qt."""

from __future__ import annotations

import argparse
from collections.abc import Callable, Sequence
from dataclasses import asdict
from typing import Any

from app.domain import Claim, clip
from app.domain.matches import EarlierCheck

JsonPrinter = Callable[[Any], None]


def match_json(check: EarlierCheck) -> dict[str, Any]:
    """One earlier check for scripts: its fields, its public name and "same claim" or "similar"."""
    return {**asdict(check), "claim": check.label, "match": check.kind,
            "checked": check.checked.isoformat() if check.checked else None, "score": round(check.score, 4)}


def match_line(check: EarlierCheck, indent: str = "") -> str:
    day = f"{check.checked:%Y-%m-%d}" if check.checked else "-"
    return (f"{indent}{check.label:>7}  {check.score:.2f} {check.kind:<10} {clip(check.verdict, 18) or '-':<20}"
            f" {day}  {clip(check.quote, 60)}  [{clip(check.article_title, 40)}]")


def match_command(bench: Any, args: argparse.Namespace, print_json: JsonPrinter) -> int:
    """Checked claims that match a text, best first."""
    checks = bench.match(args.text, args.k)
    if args.json:
        print_json([match_json(c) for c in checks])
        return 0
    if not checks:
        print("No earlier check matches.")
    for check in checks:
        print(match_line(check))
    return 0


def claims_with_matches(bench: Any, claims: Sequence[Claim], k: int, print_json: JsonPrinter | None,
                        rows: list[dict[str, Any]] | None = None) -> dict[int, list[EarlierCheck]]:
    """Each claim's earlier checks in other articles (for `claims ID --with-matches`)."""
    found = {c.id: bench.claim_matches(c.id, k) for c in claims}
    if rows is not None and print_json is not None:
        for row in rows:
            row["matches"] = [match_json(m) for m in found[row["id"]]]
        print_json(rows)
    return found
