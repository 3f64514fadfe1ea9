"""The desk overview: every article's accepted claims, with their outlet and when each first got a
verdict, in one read; the numbers themselves are app.domain.overview's."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import func, select

from app.domain.overview import DeskClaim, Overview, build_overview
from app.services.claims import Claims
from app.services.context import Context, now
from app.services.settings import Settings
from app.storage.models import ArticleRow, HistoryRow


class DeskOverview:
    def __init__(self, ctx: Context, claims: Claims, settings: Settings) -> None:
        self._ctx, self._claims, self._settings = ctx, claims, settings

    def overview(self, at: datetime | None = None) -> Overview:
        with self._ctx.read() as s:
            articles = s.execute(select(ArticleRow.id, ArticleRow.title, ArticleRow.outlet)).all()
            first_verdict = dict(s.execute(
                select(HistoryRow.claim_id, func.min(HistoryRow.at))
                .where(HistoryRow.field.in_(("verdict", "conclusion")), HistoryRow.new_value.is_not(None))
                .group_by(HistoryRow.claim_id)
            ).tuples().all())
        by_article = self._claims.claims_by_article()
        desk = [
            DeskClaim(claim, title, outlet, first_verdict.get(claim.id))
            for article_id, title, outlet in articles
            for claim in by_article.get(article_id, [])
        ]
        return build_overview(desk, self._settings.scale(), now=at or now())
