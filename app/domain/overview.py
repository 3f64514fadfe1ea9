"""The desk overview: what the whole desk checked, how each outlet and speaker rates, and the work
waiting. Plain data built from claims, so the window, the command line and the exported page
show the same numbers."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import NamedTuple

from app.domain import RatingScale, State

WEEKS = 12
"""Claims checked per week: the last WEEKS weeks, empty weeks included."""
OLDEST = 10
"""How many of the oldest unreviewed claims the overview lists."""
WRITTEN = "Written conclusion"


class Checked(NamedTuple):
    """How many accepted claims with a verdict share a speaker, an outlet and a verdict: the
    overview's counts arrive grouped (from the database's GROUP BY), not claim by claim. A plain
    tuple: build_overview takes any tuple of these five, as the service makes them from the rows
    (a frozen dataclass cost a microsecond each to make, 90 of them at a million claims)."""

    speaker: str
    outlet: str
    verdict: str
    """The label's name, or WRITTEN for a written conclusion."""
    colour: str
    claims: int


@dataclass(frozen=True, slots=True)
class WeekCount:
    week: date
    """The week's Monday."""
    count: int

    @property
    def label(self) -> str:
        return f"{self.week.day} {self.week:%b}"


@dataclass(frozen=True, slots=True)
class VerdictShare:
    name: str
    colour: str
    count: int


@dataclass(frozen=True, slots=True)
class Scorecard:
    """A speaker's (or an outlet's) checked claims by verdict, truest first, in the manner of
    PolitiFact's personality pages."""

    name: str
    verdicts: tuple[VerdictShare, ...]

    @property
    def total(self) -> int:
        return sum(v.count for v in self.verdicts)


@dataclass(frozen=True, slots=True)
class Waiting:
    """A claim nobody has reviewed yet: in review, or worked on without sign-off."""

    claim_id: int
    article_id: int
    number: int
    quote: str
    article_title: str
    state: State
    since: datetime | None

    @property
    def ref(self) -> str:
        return f"{self.article_id}#{self.number}" if self.number else str(self.claim_id)


@dataclass(frozen=True, slots=True)
class Overview:
    generated_at: datetime
    weeks: tuple[WeekCount, ...]
    by_outlet: tuple[Scorecard, ...]
    by_speaker: tuple[Scorecard, ...]
    by_state: tuple[tuple[State, int], ...]
    oldest: tuple[Waiting, ...]

    @property
    def checked(self) -> int:
        return sum(w.count for w in self.weeks)

    @property
    def in_review(self) -> int:
        return dict(self.by_state).get(State.IN_REVIEW, 0)

    def as_json(self) -> dict[str, object]:
        def card(c: Scorecard) -> dict[str, object]:
            return {"name": c.name, "total": c.total,
                    "verdicts": [{"verdict": v.name, "colour": v.colour, "count": v.count} for v in c.verdicts]}

        return {
            "generated_at": self.generated_at.isoformat(),
            "checked_per_week": [{"week": w.week.isoformat(), "count": w.count} for w in self.weeks],
            "by_outlet": [card(c) for c in self.by_outlet],
            "by_speaker": [card(c) for c in self.by_speaker],
            "by_state": {state.value: n for state, n in self.by_state},
            "oldest_unreviewed": [
                {"claim": w.ref, "id": w.claim_id, "quote": w.quote, "article": w.article_title,
                 "state": w.state.value, "since": w.since.isoformat() if w.since else None}
                for w in self.oldest
            ],
        }


def build_overview(
    *,
    checked_at: Sequence[datetime],
    checked: Iterable[tuple[str, str, str, str, int]],
    states: Mapping[State, int],
    waiting: Sequence[Waiting],
    scale: RatingScale | None = None,
    now: datetime,
    weeks: int = WEEKS,
) -> Overview:
    """The overview of the accepted claims (a detector's suggestion nobody took is not work).

    checked_at: when each accepted claim with a verdict first got one, those of the last `weeks`
    weeks at least; checked: those claims counted by speaker, outlet and verdict; states: the
    accepted claims by state; waiting: the oldest unreviewed, in the order shown (in review
    first, each oldest first)."""
    this_monday = now.date() - timedelta(days=now.weekday())
    mondays = [this_monday - timedelta(weeks=i) for i in range(weeks - 1, -1, -1)]
    per_week: Counter[date] = Counter()
    for at in checked_at:
        day = at.date()
        per_week[day - timedelta(days=day.weekday())] += 1
    order = {r.name: i for i, r in enumerate(scale.labels)} if scale is not None else {}
    last = len(order)
    # One pass over the (speaker, outlet, verdict, colour, count) rows into plain dicts; insertion
    # order breaks the ties of both sorts below, as it did with a Counter per name.
    speakers: dict[str, dict[tuple[str, str], int]] = {}
    outlets: dict[str, dict[tuple[str, str], int]] = {}
    ranks: dict[tuple[str, str], tuple[int, str]] = {}  # a verdict's place in a card: the scale's order, then its name
    for speaker, outlet, verdict, colour, count in checked:
        shown = verdict, colour
        if shown not in ranks:
            ranks[shown] = (order.get(verdict, last), verdict)
        if speaker and (name := " ".join(speaker.split())):
            counts = speakers.setdefault(name, {})
            counts[shown] = counts.get(shown, 0) + count
        if outlet and (name := " ".join(outlet.split())):
            counts = outlets.setdefault(name, {})
            counts[shown] = counts.get(shown, 0) + count
    rank = ranks.__getitem__

    def cards(groups: dict[str, dict[tuple[str, str], int]]) -> tuple[Scorecard, ...]:
        made = [
            (-sum(counts.values()), name.casefold(), i, Scorecard(name, tuple(
                VerdictShare(verdict, colour, counts[verdict, colour])
                for verdict, colour in sorted(counts, key=rank)
            )))
            for i, (name, counts) in enumerate(groups.items())
        ]
        made.sort()
        return tuple(card for *_, card in made)

    return Overview(
        generated_at=now,
        weeks=tuple(WeekCount(monday, per_week[monday]) for monday in mondays),
        by_outlet=cards(outlets),
        by_speaker=cards(speakers),
        by_state=tuple((state, states.get(state, 0)) for state in State),
        oldest=tuple(waiting[:OLDEST]),
    )
