"""Score detected claims against a gold file: precision, recall and F1, overall and by kind."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from app.domain import DetectedClaim


@dataclass(frozen=True)
class Score:
    true_positives: int
    false_positives: int
    false_negatives: int

    @property
    def precision(self) -> float:
        found = self.true_positives + self.false_positives
        return self.true_positives / found if found else 1.0

    @property
    def recall(self) -> float:
        wanted = self.true_positives + self.false_negatives
        return self.true_positives / wanted if wanted else 1.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0


@dataclass(frozen=True)
class EvalResult:
    overall: Score
    by_kind: dict[str, Score]
    missed: list[str] = field(default_factory=list)
    false_alarms: list[str] = field(default_factory=list)
    kind_mismatches: list[tuple[str, str, list[str]]] = field(
        default_factory=list
    )  # quote, got, wanted
    flagged_non_claims: list[str] = field(default_factory=list)


def locate(
    text: str, quote: str, start: int | None = None, end: int | None = None
) -> tuple[int, int] | None:
    """The gold span: its offsets if the quote is still there, else the quote's first place."""
    if start is not None and end is not None and text[start:end] == quote:
        return start, end
    i = text.find(quote)
    return (i, i + len(quote)) if i >= 0 else None


def evaluate(text: str, gold: dict[str, Any], claims: Sequence[DetectedClaim]) -> EvalResult:
    """A gold claim is found when a detected claim overlaps it; a detected claim that overlaps no
    gold claim is a false alarm. Kinds are scored by the gold claim's first accepted kind."""
    spans = []
    for g in gold.get("claims", []):
        place = locate(text, g["quote"], g.get("start"), g.get("end"))
        if place is not None:
            spans.append((place, g))
    matched: set[int] = set()
    tp = fn = 0
    per_kind: dict[str, list[int]] = {}
    missed, mismatches = [], []
    for (start, end), g in spans:
        kinds = g.get("kinds") or []
        label = kinds[0] if kinds else "any"
        tally = per_kind.setdefault(label, [0, 0, 0])
        hits = [i for i, c in enumerate(claims) if c.start < end and start < c.end]
        if hits:
            tp += 1
            tally[0] += 1
            matched.update(hits)
            got = {str(claims[i].kind) for i in hits}
            if kinds and not got & set(kinds):
                mismatches.append((g["quote"], ", ".join(sorted(got)), kinds))
        else:
            fn += 1
            tally[2] += 1
            missed.append(g["quote"])
    alarms = [c for i, c in enumerate(claims) if i not in matched]
    for c in alarms:
        per_kind.setdefault(str(c.kind), [0, 0, 0])[1] += 1
    flagged = []
    for n in gold.get("not_claims", []):
        i = text.find(n["quote"])
        while i >= 0:
            if any(c.start < i + len(n["quote"]) and i < c.end for c in claims):
                flagged.append(n["quote"])
                break
            i = text.find(n["quote"], i + 1)
    return EvalResult(
        overall=Score(tp, len(alarms), fn),
        by_kind={k: Score(*v) for k, v in sorted(per_kind.items())},
        missed=missed,
        false_alarms=[c.quote for c in alarms],
        kind_mismatches=mismatches,
        flagged_non_claims=flagged,
    )


def format_report(result: EvalResult) -> str:
    def row(name: str, s: Score) -> str:
        figures = f"{s.precision:9.2f} {s.recall:7.2f} {s.f1:6.2f}"
        counts = f"{s.true_positives:>3} {s.false_positives:>3} {s.false_negatives:>3}"
        return f"{name:<15} {figures}   {counts}"

    lines = [
        f"{'':<15} {'precision':>9} {'recall':>7} {'F1':>6}    TP  FP  FN",
        row("overall", result.overall),
    ]
    lines += [row(kind, score) for kind, score in result.by_kind.items()]
    for title, items in (
        ("missed", result.missed),
        ("false alarms", result.false_alarms),
        ("non-claims flagged", result.flagged_non_claims),
    ):
        if items:
            lines.append(f"{title}:")
            lines += [f"  {_clip(q)}" for q in items]
    if result.kind_mismatches:
        lines.append("kind mismatches:")
        lines += [
            f"  {_clip(q)}: got {got}, want {' or '.join(want)}"
            for q, got, want in result.kind_mismatches
        ]
    return "\n".join(lines)


def _clip(text: str, width: int = 70) -> str:
    text = " ".join(text.split())
    return text if len(text) <= width else text[: width - 1] + "…"
