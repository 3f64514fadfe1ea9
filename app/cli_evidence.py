"""The evidence commands of the command line (compare, numbers, refs): no Qt imported."""

from __future__ import annotations

import argparse
from collections.abc import Callable
from dataclasses import asdict
from pathlib import Path
from typing import Any

from app.domain import Claim, SourceKind, Stance
from app.domain.errors import ValidationError
from app.domain.evidence import DiffOp, Passage
from app.evidence.compare import compare
from app.evidence.refs import Reference, comparison_pair, context_before, references, treaty_article
from app.services.evidence import figures_against


def claim_context(bench: Any, claim: Claim) -> str:
    """The claim's paragraph before it: where "this treaty" and the country are named."""
    article = bench.article(claim.article_id)
    return context_before(article.text, claim.start)


def passage_of(value: str | None, fallback: Reference | None, label: str | None, url: str | None) -> Passage:
    """A file, a shipped article key ("nato:5") or the text itself."""
    ref = treaty_article(value) if value else fallback
    if value and ref is None:
        path = Path(value)
        try:
            text = path.read_text("utf-8") if len(value) < 4096 and path.is_file() else value
        except (OSError, UnicodeDecodeError) as exc:
            raise ValidationError(f"Cannot read {value}: {exc}") from exc
        return Passage(text.strip(), label or (path.name if text is not value else ""), url or "")
    if ref is None:
        raise ValidationError("Give both passages (--left and --right): the claim names no two shipped treaty articles.")
    return Passage(ref.text, label or ref.title, url or ref.url)


def inline_diff(ops: tuple[DiffOp, ...]) -> str:
    """wdiff's notation: [-only in the left-] {+only in the right+}."""
    out = []
    for op in ops:
        if op.op == "equal":
            out.append(op.left)
        if op.op in ("left", "replace"):
            out.append(f"[-{op.left}-]")
        if op.op in ("right", "replace"):
            out.append(f"{{+{op.right}+}}")
    return " ".join(out)


def compare_command(bench: Any, args: argparse.Namespace, print_json: Callable[[Any], None],
                    jsonable: Callable[[Any], Any]) -> int:
    claim = bench.claim(args.claim_id)
    left_ref, right_ref = comparison_pair(claim.quote, claim_context(bench, claim))
    left = passage_of(args.left, left_ref, args.left_label, args.left_url)
    right = passage_of(args.right, right_ref, args.right_label, args.right_url)
    result = compare(left, right)
    saved = bench.save_comparison(claim.id, left, right)[0] if args.save else None
    if args.json:
        print_json(jsonable({
            "claim_id": claim.id, "left": asdict(left), "right": asdict(right), "similarity": round(result.similarity, 4),
            "sentence": result.sentence, "diff": [asdict(op) for op in result.diff],
            "evidence_id": saved.id if saved else None,
        }))
        return 0
    print(f"left:  {left.label or '(text)'}  {left.url}".rstrip())
    print(f"right: {right.label or '(text)'}  {right.url}".rstrip())
    print(result.sentence)
    print()
    print(inline_diff(result.diff))
    if saved:
        print(f"\nSaved as evidence {saved.id} on claim {claim.id}.")
    return 0


def numbers_command(bench: Any, args: argparse.Namespace, print_json: Callable[[Any], None],
                    jsonable: Callable[[Any], Any]) -> int:
    from app.evidence.numbers import read_figures

    claim = bench.claim(args.claim_id)
    if args.passage:
        passages = [passage_of(args.passage, None, "Passage", "")]
    else:
        passages = [Passage(s.passage, s.title or s.url, s.url) for s in claim.sources if s.passage.strip()]
    rows = [(p, figures_against(claim, p)) for p in passages]
    saved = [bench.save_figures(claim.id, p)[0].id for p, checks in rows if checks] if args.save else []
    if args.json:
        print_json(jsonable({
            "claim_id": claim.id,
            "claim_figures": [dict(asdict(f), shown=f.shown) for f in read_figures(claim.quote)],
            "sources": [
                {"label": p.label, "url": p.url, "checks": [
                    {"line": c.line, "consistent": c.consistent, "mismatch": c.mismatch, "change": c.change}
                    for c in checks]}
                for p, checks in rows
            ],
            "evidence_ids": saved,
        }))
        return 0
    print("claim: " + (", ".join(f.shown for f in read_figures(claim.quote)) or "no figure"))
    if not passages:
        print("No source has a quoted passage yet: add one (review --source URL --source-passage T) or give --passage.")
    for p, checks in rows:
        print(f"\n{p.label or 'passage'}")
        for c in checks or []:
            print(f"  {'MISMATCH ' if c.mismatch else ''}{c.line}")
        if not checks:
            print("  no figure to compare")
    if saved:
        print(f"\nSaved as evidence {', '.join(map(str, saved))}.")
    return 0


def refs_command(bench: Any, args: argparse.Namespace, print_json: Callable[[Any], None],
                 jsonable: Callable[[Any], Any]) -> int:
    claim = bench.claim(args.claim_id)
    found = references(claim.quote, claim_context(bench, claim))
    added = []
    for key in args.add:
        ref = next((r for r in found.references if r.key.lower() == key.lower()), None) or treaty_article(key)
        if ref is None:
            raise ValidationError(f"{key} is not one of this claim's references (see `claimdesk refs {claim.id}`).")
        bench.add_source(claim.id, ref.url, title=ref.title, publisher=ref.publisher, kind=SourceKind.PRIMARY,
                         stance=Stance.CONTEXT, passage=ref.text)
        added.append(ref.key)
    if args.json:
        print_json(jsonable({"claim_id": claim.id, "note": found.note,
                             "references": [asdict(r) for r in found.references], "added": added}))
        return 0
    if not found.references:
        print(found.note or "No UN resolution or shipped treaty article recognised in this claim.")
    for r in found.references:
        how = " (by year and place)" if r.how == "year" else ""
        print(f"{r.key:<18} {r.title}{how}\n{'':<18} {r.url}")
    if found.note and found.references:
        print(found.note)
    for key in added:
        print(f"Added {key} as a primary source.")
    return 0
