"""Revision scenarios: claims in the sample article and two texts written for this, each carried
through one kind of edit, and what became of it. `python -m app.revisions.scenarios` prints the table.

Each scenario marks a claim in the old text, edits the text the way a newsroom does (an insertion
before it, its paragraph moved near or far, a copy-edit inside it, a heavy rewrite, its sentence
deleted, a look-alike paragraph, sentences reordered, a figure changed) and knows where the claim
truly is afterwards. An outcome is one of:

- right automatically: anchored at the right place when the wording is the same (or nearly),
  "changed, confirm" at the right place when the wording or a figure truly changed (the design
  asks a person then), orphaned when the sentence is gone;
- flagged for confirmation: "changed, confirm" where nothing needed confirming (a look-alike
  paragraph its context cannot tell apart): safe, but a person's time;
- wrongly orphaned: "not in this revision" although the claim is still there;
- silently wrong: anchored somewhere it is not, or anchored although its words or figures changed.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass

from app.revisions.anchor import SAME, Anchor, Carrier, Placement, Selector, figures, similarity

OPEN, CLOSE = "\x01", "\x02"  # where the claim is, carried through every edit of the marked text

RIGHT, FLAGGED, ORPHANED_WRONGLY, WRONG = "right automatically", "flagged for confirmation", "wrongly orphaned", "silently wrong"
OUTCOMES = (RIGHT, FLAGGED, ORPHANED_WRONGLY, WRONG)

BUDGET = """City council approves 2027 budget after late-night session

The city council approved a budget of 412 million euros for 2027 on Thursday, after a session that ran past midnight. The vote was 23 to 18, with two abstentions.

Spending on public transport rises by 4% to 96 million euros, the largest increase in a decade. The mayor said the money would pay for 40 new electric buses and a night service on three tram lines.

Opposition councillors said the plan relied on optimistic tax forecasts. "Revenue from the business tax fell by 4% last year, and nothing suggests it will recover," said councillor Ines Marchetti.

Housing gets 58 million euros, of which 20 million go to renovating council flats built before 1975. About 1,200 families are on the waiting list for a council flat, according to the housing office.

The budget also sets aside 7 million euros for flood defences along the river, after the floods of 2021 damaged 340 homes. Work on the first section starts in the spring.

Schools get 81 million euros, up 2% on this year. The education department plans to hire 65 teachers and to open two new primary schools in the eastern districts by 2029.

The council's debt stands at 1.3 billion euros, or about 2,400 euros per resident. The finance director said the debt would fall to 1.1 billion euros by 2030 if the forecasts hold.

The budget takes effect on 1 January. The regional audit office must review it within 30 days.
"""

INTERVIEW = """Water levels in the reservoir: what the drought means for the summer

Q: How low is the reservoir today?

A: The reservoir is at 38% of its capacity, against 61% at the same time last year. We have had 45% less rain than normal since October. That is the driest winter since records began in 1959.

Q: Will there be restrictions?

A: The prefecture has already banned watering gardens between 8 am and 8 pm in 112 municipalities. If the level falls below 30%, farmers will have to cut irrigation by half. Households use about 150 litres of water per person per day.

Q: Are the farmers ready for that?

A: Irrigation takes 57% of the water drawn in the region. Maize alone covers 14,000 hectares here. Some farmers have already switched to sorghum, which needs about a third less water.

Q: What about the leaks in the network?

A: The network loses 20% of its water to leaks. The region has promised 35 million euros over five years to replace the oldest pipes, some of which were laid before 1950.

Q: Is this the new normal?

A: Météo-France expects summers two degrees warmer by 2050. The reservoir was built in 1972 for a population of 80,000 people; it now serves 130,000.
"""

# (text, [(quote, which occurrence)]): every quote sits inside one sentence.
_CLAIMS: dict[str, list[tuple[str, int]]] = {
    "sample": [
        ("four UN Security Council resolutions adopted in 1993", 0),
        ("More 3 000 Russians are positioned on two military bases located on Armenian territory", 0),
        ("the Collective Security Treaty Organization (OTSC) founded in 2002", 0),
        ("the article 4 of this treaty", 0),
        ("apply the article 4", 0),
        ("1 900 men, 90 transport vehicles and 88 special units", 0),
        ("Armenia has not sent any troops to Ukraine", 0),
        ("Vladimir Putin partly outsourced the management of the region to Turkey", 0),
        ("the Convention on the prohibition of antipersonnel mines of 1997", 0),
        ("pays chiite à 75%", 0),
    ],
    "budget": [
        ("a budget of 412 million euros for 2027", 0),
        ("The vote was 23 to 18, with two abstentions", 0),
        ("Spending on public transport rises by 4% to 96 million euros", 0),
        ("Revenue from the business tax fell by 4% last year", 0),
        ("About 1,200 families are on the waiting list for a council flat", 0),
        ("the floods of 2021 damaged 340 homes", 0),
        ("The council's debt stands at 1.3 billion euros", 0),
        ("The regional audit office must review it within 30 days", 0),
    ],
    "interview": [
        ("The reservoir is at 38% of its capacity", 0),
        ("the driest winter since records began in 1959", 0),
        ("banned watering gardens between 8 am and 8 pm in 112 municipalities", 0),
        ("Households use about 150 litres of water per person per day", 0),
        ("Irrigation takes 57% of the water drawn in the region", 0),
        ("The network loses 20% of its water to leaks", 0),
        ("The reservoir was built in 1972 for a population of 80,000 people", 0),
        ("Some farmers have already switched to sorghum", 0),
    ],
}

_NEW_PARAGRAPH = ("Update: this article was corrected after publication to fix a spelling mistake in a name "
                  "and to add the view of a second analyst, who asked not to be named.")
_NEW_SENTENCE = "Officials declined to comment on the figures."


@dataclass(frozen=True, slots=True)
class Truth:
    """Where the claim really is in the new text: "same" wording, "changed" wording, or "gone"."""

    kind: str
    start: int = 0
    end: int = 0


@dataclass(frozen=True, slots=True)
class Scenario:
    text: str
    claim: str
    edit: str
    old: str
    new: str
    selector: Selector
    truth: Truth


@dataclass(frozen=True, slots=True)
class Result:
    scenario: Scenario
    placement: Placement
    outcome: str


def _texts() -> dict[str, str]:
    from app.paths import seeds_dir

    sample = sorted(seeds_dir().glob("*.txt"))[0].read_text(encoding="utf-8")
    return {"sample": sample.replace("\r\n", "\n"), "budget": BUDGET, "interview": INTERVIEW}


# -- edits of a marked text (the claim between OPEN and CLOSE) ---------------------------------------

def _paragraphs(marked: str) -> tuple[list[str], int]:
    parts = marked.split("\n\n")
    return parts, next(i for i, p in enumerate(parts) if OPEN in p)


def _sentences(paragraph: str) -> list[str]:
    return re.split(r"(?<=[.!?]) +", paragraph)


def _strip(text: str) -> str:
    return text.replace(OPEN, "").replace(CLOSE, "")


def _claim(marked: str) -> str:
    return marked[marked.index(OPEN) + 1 : marked.index(CLOSE)]


def _with_claim(marked: str, new_claim: str) -> str:
    return marked[: marked.index(OPEN) + 1] + new_claim + marked[marked.index(CLOSE) :]


def _body_end(parts: list[str]) -> int:
    """Paragraphs of the article proper (the sample ends with comments and page furniture)."""
    return next((i for i, p in enumerate(parts) if p.startswith("Notify of")), len(parts))


def insert_top(marked: str) -> str:
    parts, _ = _paragraphs(marked)
    return "\n\n".join([parts[0], _NEW_PARAGRAPH, *parts[1:]])


def insert_sentence_before(marked: str) -> str:
    parts, k = _paragraphs(marked)
    sentences = _sentences(parts[k])
    i = next(j for j, s in enumerate(sentences) if OPEN in s)
    sentences.insert(i, _NEW_SENTENCE)
    parts[k] = " ".join(sentences)
    return "\n\n".join(parts)


def insert_word_before(marked: str) -> str:
    at = marked.index(OPEN)
    return marked[:at] + "reportedly " + marked[at:]


def move_near(marked: str) -> str | None:
    parts, k = _paragraphs(marked)
    end = _body_end(parts)
    j = k + 1 if k + 1 < end else k - 1
    if j < 1:
        return None
    parts[k], parts[j] = parts[j], parts[k]
    return "\n\n".join(parts)


def move_far(marked: str) -> str | None:
    parts, k = _paragraphs(marked)
    end = _body_end(parts)
    paragraph = parts.pop(k)
    # To the far end of the body: after its last paragraph, or right after the title.
    target = end - 1 if k < end // 2 else 1
    parts.insert(target, paragraph)
    new = "\n\n".join(parts)
    return new if abs(new.index(OPEN) - marked.index(OPEN)) > 500 else None


def _copy_edited(claim: str) -> str | None:
    """A copy-edit: one word respelled, one word added; never a figure."""
    words = list(re.finditer(r"[^\W\d]{4,}", claim))
    if not words:
        return None
    w = words[len(words) // 2]
    word = w.group()
    edited = word[:-1] + ("e" if word[-1] != "e" else "a")
    return claim[: w.start()] + edited + " indeed" + claim[w.end() :]


def copy_edit(marked: str) -> str | None:
    edited = _copy_edited(_claim(marked))
    return _with_claim(marked, edited) if edited else None


def move_far_and_copy_edit(marked: str) -> str | None:
    moved = move_far(marked)
    return copy_edit(moved) if moved else None


def heavy_rewrite(marked: str) -> str | None:
    claim = _claim(marked)
    words = claim.split()
    if len(words) < 3:
        return None
    rewritten = "according to a later statement, " + " ".join(reversed(words[1:])) + " (as revised)"
    return _with_claim(marked, rewritten)


def delete_sentence(marked: str) -> str | None:
    parts, k = _paragraphs(marked)
    sentences = _sentences(parts[k])
    kept = [s for s in sentences if OPEN not in s]
    if not kept:
        del parts[k]
    else:
        parts[k] = " ".join(kept)
    return "\n\n".join(parts)


def _one_word_changed(paragraph: str, inside: bool) -> str | None:
    """A copy of the paragraph with one word changed, outside the claim or inside it."""
    start, end = paragraph.index(OPEN), paragraph.index(CLOSE)
    for m in re.finditer(r"[^\W\d]{5,}", paragraph):
        if (start < m.start() and m.end() < end) == inside and (inside or m.end() < start or m.start() > end):
            changed = paragraph[: m.start()] + m.group()[::-1] + paragraph[m.end() :]
            return _strip(changed)
    return None


def duplicate_after(marked: str) -> str | None:
    parts, k = _paragraphs(marked)
    copy = _one_word_changed(parts[k], inside=False)
    return None if copy is None else "\n\n".join([*parts[: k + 1], copy, *parts[k + 1 :]])


def duplicate_before(marked: str) -> str | None:
    parts, k = _paragraphs(marked)
    copy = _one_word_changed(parts[k], inside=False)
    return None if copy is None else "\n\n".join([*parts[:k], copy, *parts[k:]])


def duplicate_changed_inside(marked: str) -> str | None:
    parts, k = _paragraphs(marked)
    copy = _one_word_changed(parts[k], inside=True)
    return None if copy is None else "\n\n".join([*parts[:k], copy, *parts[k:]])


def reorder_sentences(marked: str) -> str | None:
    parts, k = _paragraphs(marked)
    sentences = _sentences(parts[k])
    if len(sentences) < 2:
        return None
    parts[k] = " ".join(reversed(sentences))
    return "\n\n".join(parts)


def _renumbered(claim: str) -> str | None:
    digit = re.search(r"\d", claim)
    if digit:
        d = digit.group()
        return claim[: digit.start()] + str((int(d) + 2) % 10 or 5) + claim[digit.end() :]
    return None


def change_number(marked: str) -> str | None:
    claim = _renumbered(_claim(marked))
    return _with_claim(marked, claim) if claim else None


def change_number_keep_lookalike(marked: str) -> str | None:
    """The figure changes in the claim's paragraph, and a look-alike paragraph elsewhere still has
    the old figure: anchoring there would be the silent wrong anchor Hypothesis is known for."""
    parts, k = _paragraphs(marked)
    claim = _claim(marked)
    renumbered = _renumbered(claim)
    copy = _one_word_changed(parts[k], inside=False)
    if renumbered is None or copy is None:
        return None
    parts[k] = _with_claim(parts[k], renumbered)
    end = _body_end(parts)
    parts.insert(end if k < end - 1 else 1, copy)  # elsewhere: never right beside the claim's paragraph
    return "\n\n".join(parts)


def change_number_and_insert(marked: str) -> str | None:
    changed = change_number(marked)
    return insert_top(changed) if changed else None


EDITS: dict[str, Callable[[str], str | None]] = {
    "insertion before (new paragraph)": insert_top,
    "insertion before (sentence)": insert_sentence_before,
    "insertion before (word next to it)": insert_word_before,
    "moved paragraph (near)": move_near,
    "moved paragraph (far, > 500 chars)": move_far,
    "moved far and copy-edited": move_far_and_copy_edit,
    "copy-edit inside the claim": copy_edit,
    "heavy rewrite": heavy_rewrite,
    "deleted sentence": delete_sentence,
    "look-alike paragraph after (one word changed)": duplicate_after,
    "look-alike paragraph before (one word changed)": duplicate_before,
    "look-alike paragraph, word changed in the claim": duplicate_changed_inside,
    "reordered sentences": reorder_sentences,
    "changed number": change_number,
    "changed number, look-alike keeps the old": change_number_keep_lookalike,
    "changed number after an insertion": change_number_and_insert,
}


def _truth(old_quote: str, new_marked: str) -> Truth:
    if OPEN not in new_marked:
        return Truth("gone")
    start = new_marked.index(OPEN)
    end = new_marked.index(CLOSE) - 1
    quote = new_marked[start + 1 : end + 1]
    same = similarity(old_quote, quote) >= SAME and figures(old_quote) == figures(quote)
    return Truth("same" if same else "changed", start, end)


def scenarios() -> Iterator[Scenario]:
    for name, text in _texts().items():
        for quote, occurrence in _CLAIMS[name]:
            start = -1
            for _ in range(occurrence + 1):
                start = text.index(quote, start + 1)
            end = start + len(quote)
            marked = text[:start] + OPEN + quote + CLOSE + text[end:]
            selector = Selector.of(text, start, end)
            for edit, apply in EDITS.items():
                new_marked = apply(marked)
                if new_marked is None:
                    continue
                yield Scenario(name, quote, edit, text, _strip(new_marked), selector, _truth(quote, new_marked))


def _iou(a: tuple[int, int], b: tuple[int, int]) -> float:
    inter = max(0, min(a[1], b[1]) - max(a[0], b[0]))
    union = max(a[1], b[1]) - min(a[0], b[0])
    return inter / union if union else 0.0


def judge(truth: Truth, placement: Placement) -> str:
    at = (placement.start or 0, placement.end or 0)
    right_place = truth.kind != "gone" and placement.start is not None and _iou(at, (truth.start, truth.end)) >= 0.8
    if placement.state is Anchor.ANCHORED:
        return RIGHT if truth.kind == "same" and right_place else WRONG
    if placement.state is Anchor.ORPHANED:
        return RIGHT if truth.kind == "gone" else ORPHANED_WRONGLY
    return RIGHT if truth.kind == "changed" and right_place else FLAGGED


def run() -> list[Result]:
    results = []
    carriers: dict[tuple[str, str], Carrier] = {}
    for sc in scenarios():
        carrier = carriers.get((sc.old, sc.new))
        if carrier is None:
            carrier = carriers[(sc.old, sc.new)] = Carrier(sc.old, sc.new)
        placement = carrier.place(sc.selector)
        results.append(Result(sc, placement, judge(sc.truth, placement)))
    return results


def table(results: list[Result]) -> str:
    """The results by kind of edit, as a Markdown table (what the README shows)."""
    by_edit: dict[str, Counter[str]] = {}
    for r in results:
        by_edit.setdefault(r.scenario.edit, Counter())[r.outcome] += 1
    total: Counter[str] = Counter(r.outcome for r in results)
    lines = ["| Edit | Cases | " + " | ".join(o.capitalize() for o in OUTCOMES) + " |",
             "|---|---:|" + "---:|" * len(OUTCOMES)]
    for edit, counts in by_edit.items():
        lines.append(f"| {edit} | {sum(counts.values())} | " + " | ".join(str(counts[o]) for o in OUTCOMES) + " |")
    n = len(results)
    lines.append(f"| **All** | **{n}** | " + " | ".join(f"**{total[o]}**" for o in OUTCOMES) + " |")
    lines.append("")
    lines.append(f"Right automatically: {total[RIGHT] / n:.1%} of {n} cases; silently wrong: {total[WRONG]};"
                 f" wrongly orphaned: {total[ORPHANED_WRONGLY]}; flagged for confirmation: {total[FLAGGED]}.")
    return "\n".join(lines)


def main() -> None:
    import sys

    results = run()
    print(table(results))
    if "-v" in sys.argv:
        for r in results:
            if r.outcome != RIGHT:
                p = r.placement
                print(f"\n[{r.outcome}] {r.scenario.text} / {r.scenario.edit}: {r.scenario.claim!r}"
                      f"\n  truth {r.scenario.truth.kind} -> {p.state.value} ({p.reason})"
                      f" {r.scenario.new[p.start or 0 : p.end or 0]!r}")


if __name__ == "__main__":
    main()

