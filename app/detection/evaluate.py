"""Score detected claims against a gold file: precision, recall and F1, overall and by kind."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from app.domain import DetectedClaim, clip

UNLABELLED = "any"  # the row of gold claims that accept any kind ('should' claims)


def _f1(precision: float, recall: float) -> float:
    return 2 * precision * recall / (precision + recall) if precision + recall else 0.0


class _Rates:
    """Precision, recall and F1 from true positives, false positives and false negatives."""

    __slots__ = ()
    true_positives: int
    false_positives: int
    false_negatives: int

    @property
    def precision(self) -> float:
        flagged = self.true_positives + self.false_positives
        return self.true_positives / flagged if flagged else 1.0

    @property
    def recall(self) -> float:
        wanted = self.true_positives + self.false_negatives
        return self.true_positives / wanted if wanted else 1.0

    @property
    def f1(self) -> float:
        return _f1(self.precision, self.recall)


@dataclass(frozen=True, slots=True)
class Score(_Rates):
    """Overall: a gold claim (must or should) is a true positive when a detected claim overlaps
    it, a detected claim that overlaps no gold claim is a false positive; precision is
    TP / (TP + FP). One long detected claim over two gold claims makes two true positives."""

    true_positives: int  # gold claims found
    false_positives: int  # detected claims that overlap no gold claim
    false_negatives: int  # gold claims missed
    detected_matched: int = 0  # detected claims that overlap some gold claim (for the report)


@dataclass(frozen=True, slots=True)
class KindScore:
    """One kind: precision over the claims detected with that kind, recall over the gold claims
    whose first accepted kind it is (found with an accepted kind)."""

    detected: int = 0
    detected_matched: int = 0
    gold: int = 0
    gold_found: int = 0

    @property
    def precision(self) -> float:
        return self.detected_matched / self.detected if self.detected else 1.0

    @property
    def recall(self) -> float:
        return self.gold_found / self.gold if self.gold else 1.0

    @property
    def f1(self) -> float:
        return _f1(self.precision, self.recall)


@dataclass(frozen=True, slots=True)
class KindMismatch:
    quote: str
    got: tuple[str, ...]
    wanted: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class EvalResult:
    overall: Score
    by_kind: dict[str, KindScore]
    must: tuple[int, int]  # (found with an accepted kind, total)
    should: tuple[int, int]  # (found, total)
    missed: list[str] = field(default_factory=list)
    false_alarms: list[str] = field(default_factory=list)
    kind_mismatches: list[KindMismatch] = field(default_factory=list)
    flagged_non_claims: list[str] = field(default_factory=list)
    not_in_text: list[str] = field(default_factory=list)  # gold quotes the text does not hold


def locate(
    text: str, quote: str, start: int | None = None, end: int | None = None
) -> list[tuple[int, int]]:
    """Where a gold quote stands: its own offsets if they still hold, else every place of the
    quote, else every place found with white space squashed (a text re-wrapped or with NBSPs)."""
    if start is not None and end is not None and text[start:end] == quote:
        return [(start, end)]
    places: list[tuple[int, int]] = []
    i = text.find(quote)
    while i >= 0:
        places.append((i, i + len(quote)))
        i = text.find(quote, i + 1)
    if places or not quote.strip():
        return places
    squashed: list[str] = []
    origin: list[int] = []
    for k, ch in enumerate(text):
        if ch.isspace():
            if squashed and squashed[-1] == " ":
                continue
            ch = " "
        squashed.append(ch)
        origin.append(k)
    flat, wanted = "".join(squashed), " ".join(quote.split())
    i = flat.find(wanted)
    while i >= 0:
        places.append((origin[i], origin[i + len(wanted) - 1] + 1))
        i = flat.find(wanted, i + 1)
    return places


def evaluate(text: str, gold: Mapping[str, Any], claims: Sequence[DetectedClaim]) -> EvalResult:
    """Score `claims` detected in `text` against a gold file (see shared/fixtures/seed_claims.json).
    Kinds are scored by the gold claim's first accepted kind; 'should' claims accept any."""
    matched: set[int] = set()
    gold_by_kind: dict[str, list[int]] = {}  # kind -> [gold, found with an accepted kind]
    tally = {"must": [0, 0], "should": [0, 0]}
    found = missed_n = 0
    missed: list[str] = []
    mismatches: list[KindMismatch] = []
    absent: list[str] = []
    for g in gold.get("claims", []):
        quote, kinds = g["quote"], tuple(g.get("kinds") or ())
        priority = "must" if g.get("priority") == "must" else "should"
        tally[priority][1] += 1
        row = gold_by_kind.setdefault(kinds[0] if kinds else UNLABELLED, [0, 0])
        row[0] += 1
        places = locate(text, quote, g.get("start"), g.get("end"))
        if not places:
            absent.append(quote)
        hits = sorted(
            {i for s, e in places for i, c in enumerate(claims) if c.start < e and s < c.end}
        )
        if not hits:
            missed_n += 1
            missed.append(quote)
            continue
        found += 1
        matched.update(hits)
        got = tuple(sorted({str(claims[i].kind) for i in hits}))
        if not kinds or set(got) & set(kinds):
            row[1] += 1
            tally[priority][0] += 1
        else:
            mismatches.append(KindMismatch(quote, got, kinds))
            if priority == "should":
                tally[priority][0] += 1
    detected_by_kind: dict[str, list[int]] = {}  # kind -> [detected, overlapping some gold]
    for i, c in enumerate(claims):
        row = detected_by_kind.setdefault(str(c.kind), [0, 0])
        row[0] += 1
        row[1] += i in matched
    flagged = []
    for n in gold.get("not_claims", []):
        for s, e in locate(text, n["quote"]):
            if any(c.start < e and s < c.end for c in claims):
                flagged.append(n["quote"])
                break
    kinds_seen = sorted(set(gold_by_kind) | set(detected_by_kind))
    alarms = [c.quote for i, c in enumerate(claims) if i not in matched]
    return EvalResult(
        overall=Score(found, len(alarms), missed_n, len(matched)),
        by_kind={
            k: KindScore(*detected_by_kind.get(k, [0, 0]), *gold_by_kind.get(k, [0, 0]))
            for k in kinds_seen
        },
        must=(tally["must"][0], tally["must"][1]),
        should=(tally["should"][0], tally["should"][1]),
        missed=missed,
        false_alarms=alarms,
        kind_mismatches=mismatches,
        flagged_non_claims=flagged,
        not_in_text=absent,
    )


def format_report(result: EvalResult) -> str:
    """The scores as a table, then what was missed, wrongly flagged or given the wrong kind."""
    o = result.overall
    lines = [
        f"{'':<15} {'precision':>9} {'recall':>7} {'F1':>6}   detected  gold",
        f"{'overall':<15} {o.precision:9.2f} {o.recall:7.2f} {o.f1:6.2f}   "
        f"{o.detected_matched:>3}/{o.detected_matched + o.false_positives:<4} "
        f"{o.true_positives:>3}/{o.true_positives + o.false_negatives:<3}",
    ]
    for kind, s in result.by_kind.items():
        lines.append(
            f"{kind:<15} {s.precision:9.2f} {s.recall:7.2f} {s.f1:6.2f}   "
            f"{s.detected_matched:>3}/{s.detected:<4} {s.gold_found:>3}/{s.gold:<3}"
        )
    must_found, must_total = result.must
    should_found, should_total = result.should
    lines.append(
        f"must {must_found}/{must_total} with an accepted kind, should {should_found}/"
        f"{should_total}, non-claims flagged {len(result.flagged_non_claims)}"
    )
    for title, items in (
        ("missed", result.missed),
        ("false alarms", result.false_alarms),
        ("non-claims flagged", result.flagged_non_claims),
        ("gold quotes not in the text", result.not_in_text),
    ):
        if items:
            lines.append(f"{title}:")
            lines += [f"  {clip(q, 70)}" for q in items]
    if result.kind_mismatches:
        lines.append("kind mismatches:")
        lines += [
            f"  {clip(m.quote, 70)}: got {', '.join(m.got)}, want {' or '.join(m.wanted)}"
            for m in result.kind_mismatches
        ]
    return "\n".join(line.rstrip() for line in lines)



@dataclass(frozen=True, slots=True)
class SentenceEval(_Rates):
    """The detector judged sentence by sentence against labels (1 = check-worthy)."""

    threshold: float
    true_positives: int
    false_positives: int
    false_negatives: int
    true_negatives: int
    average_precision: float

    @property
    def accuracy(self) -> float:
        total = self.true_positives + self.false_positives + self.false_negatives + self.true_negatives
        return (self.true_positives + self.true_negatives) / total if total else 1.0


def read_labelled(lines: Sequence[str]) -> list[tuple[str, str, int]]:
    """(id, text, label) from TSV lines `id<TAB>text<TAB>label`; a header row is skipped."""
    rows: list[tuple[str, str, int]] = []
    for number, line in enumerate(lines, 1):
        if not line.strip():
            continue
        parts = line.rstrip("\r\n").split("\t")
        if len(parts) != 3:
            raise ValueError(f"line {number}: expected id, text and label separated by tabs")
        ident, text, label = parts
        if label.strip() not in ("0", "1"):
            if not rows and number == 1:
                continue  # a header
            raise ValueError(f"line {number}: the label must be 0 or 1, not {label!r}")
        rows.append((ident, text, int(label)))
    return rows


def average_precision(scores: Sequence[float], labels: Sequence[int]) -> float:
    """Mean of the precision at each positive, ranked by score (ties broken against us)."""
    positives = sum(labels)
    if not positives:
        return 0.0
    ranked = sorted(zip(scores, labels, strict=True), key=lambda pair: (-pair[0], pair[1]))
    hits, total = 0, 0.0
    for rank, (_, label) in enumerate(ranked, 1):
        if label:
            hits += 1
            total += hits / rank
    return total / positives


def evaluate_sentences(
    rows: Sequence[tuple[str, str, int]], threshold: float | None = None
) -> SentenceEval:
    """Each sentence run through the whole detector (rules and model) as one English paragraph:
    positive if it yields a claim at or above `threshold` (default: the window's normal line), scored by its
    best claim."""
    from app.detection.detector import detect_claims
    from app.domain.segments import Segment, SegmentKind
    from app.domain.sensitivity import Sensitivity

    line = Sensitivity.NORMAL.threshold if threshold is None else threshold
    scores: list[float] = []
    tp = fp = fn = tn = 0
    for _, text, label in rows:
        segment = Segment(0, len(text), SegmentKind.BODY, lang="en")
        claims = detect_claims(text, segments=[segment], min_score=0.0)
        score = max((c.score for c in claims), default=0.0)
        scores.append(score)
        predicted = score >= line and bool(claims)
        tp += predicted and label == 1
        fp += predicted and label == 0
        fn += not predicted and label == 1
        tn += not predicted and label == 0
    return SentenceEval(line, tp, fp, fn, tn, average_precision(scores, [r[2] for r in rows]))


def format_sentence_report(result: SentenceEval) -> str:
    r = result
    return "\n".join(
        [
            f"threshold {r.threshold:.3f}: {r.true_positives + r.false_negatives} check-worthy of "
            f"{r.true_positives + r.false_positives + r.false_negatives + r.true_negatives} sentences",
            f"precision {r.precision:.3f}  recall {r.recall:.3f}  F1 {r.f1:.3f}  "
            f"accuracy {r.accuracy:.3f}  average precision {r.average_precision:.3f}",
            f"true positives {r.true_positives}, false positives {r.false_positives}, "
            f"false negatives {r.false_negatives}, true negatives {r.true_negatives}",
        ]
    )
