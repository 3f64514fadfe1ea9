"""The desk overview, counted by the database: the accepted claims grouped by speaker, outlet
and verdict, by state, and when each was first given a verdict; the oldest unreviewed ones. No
claim is built as an object, so a million-claim archive costs a few grouped scans, not a read of
every claim. The numbers' arrangement is app.domain.overview's."""

from __future__ import annotations

from datetime import datetime, time, timedelta
from typing import TYPE_CHECKING

from sqlalchemy import and_, func, or_, select

from app.domain import CONCLUSION_COLOUR, State
from app.services.context import Context, now
from app.services.settings import Settings
from app.storage.models import ArticleRow, ClaimRow, HistoryRow

if TYPE_CHECKING:  # the overview's arrangement loads when it is first opened, not at every start
    from app.domain.overview import Overview

_WAITING = (State.IN_REVIEW.value, State.IN_PROGRESS.value)


class DeskOverview:
    def __init__(self, ctx: Context, settings: Settings) -> None:
        self._ctx, self._settings = ctx, settings

    def overview(self, at: datetime | None = None) -> Overview:
        from app.domain.overview import OLDEST, WEEKS, WRITTEN, Checked, Waiting, build_overview

        at = at or now()
        first_monday = at.date() - timedelta(days=at.weekday(), weeks=WEEKS - 1)
        taken = ClaimRow.accepted.is_(True)
        with_verdict = or_(ClaimRow.verdict_id.is_not(None), func.coalesce(ClaimRow.conclusion, "") != "")
        ratings = self._ctx.ratings()
        with self._ctx.read() as s:
            first = (
                select(HistoryRow.claim_id, func.min(HistoryRow.at).label("at"))
                .where(HistoryRow.field.in_(("verdict", "conclusion")), HistoryRow.new_value.is_not(None))
                .group_by(HistoryRow.claim_id)
                .subquery()
            )
            checked_at = s.scalars(
                select(first.c.at).join(ClaimRow, ClaimRow.id == first.c.claim_id)
                .where(taken, with_verdict, first.c.at >= datetime.combine(first_monday, time()))
            ).all()
            grouped = s.execute(
                select(ClaimRow.speaker, ArticleRow.outlet, ClaimRow.verdict_id, func.count())
                .join(ArticleRow, ArticleRow.id == ClaimRow.article_id)
                .where(taken, with_verdict)
                .group_by(ClaimRow.speaker, ArticleRow.outlet, ClaimRow.verdict_id)
            ).tuples().all()
            states = dict(s.execute(
                select(ClaimRow.state, func.count()).where(taken).group_by(ClaimRow.state)
            ).tuples().all())
            oldest = s.execute(
                select(ClaimRow.id, ClaimRow.article_id, ClaimRow.number, ClaimRow.quote, ArticleRow.title,
                       ClaimRow.state, ClaimRow.updated_at)
                .join(ArticleRow, ArticleRow.id == ClaimRow.article_id)
                .where(and_(taken, ClaimRow.state.in_(_WAITING)))
                # In review first (they wait for a second person), each oldest first.
                .order_by(ClaimRow.state != State.IN_REVIEW.value, ClaimRow.updated_at.is_(None), ClaimRow.updated_at,
                          ClaimRow.id)
                .limit(OLDEST)
            ).tuples().all()
        checked = [
            Checked(speaker or "", outlet or "", *(
                (ratings[verdict_id].name, ratings[verdict_id].colour) if verdict_id is not None
                else (WRITTEN, CONCLUSION_COLOUR)
            ), count)
            for speaker, outlet, verdict_id, count in grouped
        ]
        waiting = [
            Waiting(claim_id, article_id, number, quote, title, State(state), updated)
            for claim_id, article_id, number, quote, title, state, updated in oldest
        ]
        return build_overview(
            checked_at=checked_at, checked=checked, states={State(k): n for k, n in states.items()},
            waiting=waiting, scale=self._settings.scale(), now=at,
        )
