"""The desk overview's arrangement (app.domain.overview.build_overview) is held to the plain rule it
replaced, on rows a desk gives it: names with stray spaces, the same name in several rows, the
same verdict in two colours, verdicts off the scale, ties in totals and in names."""

from __future__ import annotations

import random
from collections import Counter, defaultdict
from datetime import datetime, timedelta

import pytest

from app.domain import Rating, RatingScale, State
from app.domain.overview import WRITTEN, Checked, Scorecard, VerdictShare, Waiting, build_overview

SCALE = RatingScale("default", "Default", tuple(
    Rating(i, "default", key, key.title(), f"#00000{i}", 6 - i, True, key.title())
    for i, key in enumerate(("true", "mostly", "misleading", "false"), 1)
))


def _cards_by_the_rule(checked: list[Checked], key: str, scale: RatingScale | None) -> tuple[Scorecard, ...]:
    """Counter per name, verdicts in the scale's order then by name, cards by total then name."""
    order = {r.name: i for i, r in enumerate(scale.labels)} if scale is not None else {}
    groups: dict[str, Counter[tuple[str, str]]] = defaultdict(Counter)
    for c in checked:
        name = " ".join((c.speaker if key == "speaker" else c.outlet).split())
        if name:
            groups[name][(c.verdict, c.colour)] += c.claims
    made = [
        Scorecard(name, tuple(
            VerdictShare(verdict, colour, n)
            for (verdict, colour), n in sorted(counts.items(), key=lambda i: (order.get(i[0][0], len(order)), i[0][0]))
        ))
        for name, counts in groups.items()
    ]
    return tuple(sorted(made, key=lambda card: (-card.total, card.name.casefold())))


def _rows(rng: random.Random) -> list[Checked]:
    names = ["Ann Lee", " Ann  Lee", "ann lee", "Bo", "Bo ", "Zoë Martin", "   ", "", "Émile", "emile", "Ann Lee"]
    verdicts = [(r.name, r.colour) for r in SCALE.labels] + [
        (WRITTEN, "#eeeeee"), ("Pants on fire", "#ff0000"), ("Mostly", "#123456"), ("Abracadabra", "#999999")]
    rows = []
    for _ in range(rng.randint(0, 60)):
        verdict, colour = rng.choice(verdicts)
        count = rng.choice([0, 1, 1, 2, 3, 7, 40])
        if rng.random() < 0.5:
            rows.append(Checked(rng.choice(names), "", verdict, colour, count))
        else:
            rows.append(Checked("", rng.choice(names), verdict, colour, count))
    return rows


@pytest.mark.parametrize("seed", range(40))
def test_scorecards_are_arranged_as_the_rule_says(seed: int) -> None:
    rng = random.Random(seed)
    checked = _rows(rng)
    scale = SCALE if seed % 4 else None
    now = datetime(2026, 11, 30, 18, 0)
    waiting = [Waiting(i, 1, i, f"claim {i}", "Article", State.IN_REVIEW, now - timedelta(days=i)) for i in range(12)]
    checked_at = [now - timedelta(days=3 * i) for i in range(seed)]
    made = build_overview(checked_at=checked_at, checked=checked,
                          states={State.IN_REVIEW: 12}, waiting=waiting, scale=scale, now=now)
    assert made.by_speaker == _cards_by_the_rule(checked, "speaker", scale)
    assert made.by_outlet == _cards_by_the_rule(checked, "outlet", scale)
    assert made.oldest == tuple(waiting[:10])
    first_monday = now.date() - timedelta(days=now.weekday(), weeks=11)
    assert made.checked == len([at for at in checked_at if at.date() >= first_monday])


def test_a_speaker_written_two_ways_is_one_card_and_ties_keep_the_first_seen() -> None:
    checked = [Checked("Ann  Lee", "", "False", "#000004", 2), Checked(" Ann Lee", "", "True", "#000001", 1),
               Checked("Bo", "", "True", "#000001", 3), Checked("", "Daily", "Unheard of", "#111111", 3)]
    made = build_overview(checked_at=[], checked=checked, states={}, waiting=[], scale=SCALE, now=datetime(2026, 1, 5))
    assert [(c.name, [(v.name, v.count) for v in c.verdicts]) for c in made.by_speaker] == [
        ("Ann Lee", [("True", 1), ("False", 2)]), ("Bo", [("True", 3)])]
    assert [(c.name, c.total) for c in made.by_outlet] == [("Daily", 3)]
