"""The desk overview: the accepted claims grouped by speaker, outlet and verdict, and by state
(read from the tally the triggers keep, app.storage.summary), when each was first given a
verdict, and the oldest unreviewed ones (each through an index). Nothing scans the claims, so a
million-claim archive costs what an empty one does. The numbers' arrangement is app.domain.overview's."""

from __future__ import annotations

from datetime import datetime, time, timedelta
from functools import cache
from typing import TYPE_CHECKING, Any

from sqlalchemy import Select, and_, func, literal, or_, select
from sqlalchemy.dialects import sqlite

from app.domain import CONCLUSION_COLOUR, State
from app.services.context import Context, now
from app.services.settings import Settings
from app.storage import plain, summary
from app.storage.models import ArticleRow, ClaimRow, HistoryRow

if TYPE_CHECKING:  # the overview's arrangement loads when it is first opened, not at every start
    from collections.abc import Callable, Iterable

    from app.domain.overview import Overview, Waiting

_WAITING = (State.IN_REVIEW.value, State.IN_PROGRESS.value)  # in the order the overview lists them


class DeskOverview:
    def __init__(self, ctx: Context, settings: Settings) -> None:
        self._ctx, self._settings = ctx, settings

    def overview(self, at: datetime | None = None) -> Overview:
        from app.domain.overview import WEEKS, WRITTEN, build_overview

        at = at or now()
        first_monday = at.date() - timedelta(days=at.weekday(), weeks=WEEKS - 1)
        since = datetime.combine(first_monday, time())
        ratings = self._ctx.ratings()
        scale = self._settings.scale()
        if self._ctx.db.postgresql:
            with self._ctx.db.read_core() as c:
                checked_at = c.execute(_checked_since(since)).scalars().all()
                grouped = [*c.execute(_BY_SPEAKER).tuples(), *c.execute(_BY_OUTLET).tuples()]
                states = dict(c.execute(_STATES).tuples().all())
                oldest = [row for query in _oldest() for row in c.execute(query).tuples()]
        else:
            # The same statements, compiled once, on this thread's plain connection
            # (Database.read_raw): building and running them through SQLAlchemy was twice the
            # statements' own time.
            checked_sql, by_speaker, by_outlet, by_state, *oldest_sql = _sqlite_statements()
            with self._ctx.read_raw() as raw:
                since_text = _sqlite_stamp(since)
                checked_at = [datetime.fromisoformat(at)
                              for (at,) in raw.execute(checked_sql, (since_text,) * checked_sql.count("?"))]
                grouped = [*raw.execute(by_speaker), *raw.execute(by_outlet)]
                states = dict(raw.execute(by_state).fetchall())
                oldest = [row for sql in oldest_sql for row in raw.execute(sql)]
        # Checked's five fields as a plain tuple each, the verdict's name and colour looked up once.
        shown = {None: (WRITTEN, CONCLUSION_COLOUR), 0: (WRITTEN, CONCLUSION_COLOUR)}
        checked = [
            (speaker or "", outlet or "", *(shown.get(verdict_id) or shown.setdefault(
                verdict_id, (ratings[verdict_id].name, ratings[verdict_id].colour))), count)
            for speaker, outlet, verdict_id, count in grouped
        ]
        waiting = _waiting()(oldest)
        return build_overview(
            checked_at=checked_at, checked=checked, states={State(k): n for k, n in states.items()},
            waiting=waiting, scale=scale, now=at,
        )


_claim, _article, _history, _tally = ClaimRow.__table__, ArticleRow.__table__, HistoryRow.__table__, summary.claim_tally
_TAKEN = _claim.c.accepted.is_(True)
_WITH_VERDICT = or_(_claim.c.verdict_id.is_not(None), func.coalesce(_claim.c.conclusion, "") != "")

# The accepted claims with a verdict by speaker and verdict (0: a written conclusion), then by
# outlet and verdict (each card counts only its own name: the other one is ""), and all accepted
# ones by state: from the tally the triggers keep, a few thousand rows at most.
def _by(column: str) -> Select[tuple[str, str, int, int]]:
    speaker = _tally.c.speaker if column == "speaker" else literal("")
    outlet = _tally.c.outlet if column == "outlet" else literal("")
    return (
        select(speaker, outlet, _tally.c.verdict_id, func.sum(_tally.c.n))
        .where(_tally.c.resolved == 1, _tally.c[column] != "")
        .group_by(_tally.c[column], _tally.c.verdict_id)
        .having(func.sum(_tally.c.n) > 0)
    )


_BY_SPEAKER, _BY_OUTLET = _by("speaker"), _by("outlet")
_STATES = select(_tally.c.state, func.sum(_tally.c.n)).group_by(_tally.c.state).having(func.sum(_tally.c.n) > 0)

@cache
def _oldest() -> list[Select[tuple[int, int, int, str, str, str, datetime | None]]]:
    """The oldest waiting, in review first (they wait for a second person), each oldest first:
    one query per state, each walking the index on (state, updated_at) and stopping at OLDEST."""
    from app.domain.overview import OLDEST

    return [
        select(_claim.c.id, _claim.c.article_id, _claim.c.number, _claim.c.quote, _article.c.title, _claim.c.state,
               _claim.c.updated_at)
        .join(_article, _article.c.id == _claim.c.article_id)
        .where(_TAKEN, _claim.c.state == state)
        .order_by(_claim.c.state, _claim.c.updated_at, _claim.c.id)
        .limit(OLDEST)
        for state in _WAITING
    ]


_stamps = plain.Stamps()


@cache
def _waiting() -> Callable[[Iterable[Any]], list[Waiting]]:
    """(claim id, article id, number, quote, title, state, updated) rows to Waiting, slot by slot
    (app.storage.plain.maker); updated is SQLite's text (parsed once each) or PostgreSQL's datetime."""
    from app.domain.overview import Waiting

    return plain.maker(Waiting, "r[0]", "r[1]", "r[2]", "r[3]", "r[4]", "state(r[5])", "stamp(r[6])",
                       state=State, stamp=_stamps)


def _sqlite_stamp(at: datetime) -> str:
    """A datetime as SQLAlchemy's SQLite dialect stores and compares it."""
    return at.strftime("%Y-%m-%d %H:%M:%S.%f")


_SINCE = datetime(1111, 11, 11, 11, 11, 11)  # stands for the parameter while compiling


@cache
def _sqlite_statements() -> list[str]:
    """The overview's statements as SQLite text; the first takes `since` for each of its `?`."""
    dialect = sqlite.dialect()
    statements: list[Select[Any]] = [_checked_since(_SINCE), _BY_SPEAKER, _BY_OUTLET, _STATES, *_oldest()]
    texts = [str(q.compile(dialect=dialect, compile_kwargs={"literal_binds": True})) for q in statements]
    stand_in = f"'{_sqlite_stamp(_SINCE)}'"
    if "?" in texts[0] or stand_in not in texts[0]:
        raise AssertionError(f"the overview's first statement: {texts[0]}")
    return [texts[0].replace(stand_in, "?"), *texts[1:]]


def _checked_since(since: datetime) -> Select[tuple[datetime]]:
    """When each accepted claim with a verdict first got one, for those first given one since
    `since`: only the claims with a verdict change since then (the index on history's time) are
    looked at, and each one's earliest such change (the index on history's claim)."""
    given = and_(_history.c.field.in_(("verdict", "conclusion")), _history.c.new_value.is_not(None))
    recent = select(_history.c.claim_id).where(given, _history.c.at >= since)
    first = (
        select(_history.c.claim_id, func.min(_history.c.at).label("at"))
        .where(given, _history.c.claim_id.in_(recent))
        .group_by(_history.c.claim_id)
        .subquery()
    )
    return (
        select(first.c.at).join(_claim, _claim.c.id == first.c.claim_id)
        .where(_TAKEN, _WITH_VERDICT, first.c.at >= since)
    )
