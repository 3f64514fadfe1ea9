"""Earlier checks of the same claim: the archive's checked claims, matched against a claim or a text.

The matcher (app.matching.ClaimMatcher) holds every claim that has a verdict, built from the
database on first use and kept up to date from the history: every change to a claim is logged
there (Context.record), so before each search the claims changed since the last history row
seen are re-read. That catches this process's writes, undo, and other processes' alike, on
SQLite and PostgreSQL, in one indexed query. "Start from this check" copies an earlier check's
sources and summary into a claim as a draft.
"""

from __future__ import annotations

import threading
from collections.abc import Iterable
from typing import TYPE_CHECKING

from sqlalchemy import func, or_, select
from sqlalchemy.orm import Session

from app.domain import ChangeSet, Claim, State
from app.domain.errors import ValidationError
from app.domain.matches import EarlierCheck
from app.services.context import Context, now
from app.storage import mapping
from app.storage.models import ArticleRow, ClaimRow, HistoryRow, RatingLabelRow, SourceRow

if TYPE_CHECKING:
    from app.matching import ClaimMatcher

# Below this a candidate shares words but hardly more: not worth a fact-checker's look.
MIN_SCORE = 0.05
_CHECKED = or_(ClaimRow.verdict_id.is_not(None), ClaimRow.conclusion != "")


class Matching:
    def __init__(self, ctx: Context) -> None:
        self._ctx = ctx
        self._matcher: ClaimMatcher | None = None
        self._seen = 0  # the last history row the index has caught up with
        self._lock = threading.Lock()

    def _index(self) -> ClaimMatcher:
        """The matcher, built on first use and brought up to date with every change since."""
        with self._lock:
            with self._ctx.read() as s:
                last = s.scalar(select(func.max(HistoryRow.id))) or 0
                if self._matcher is None:
                    from app.matching import ClaimMatcher  # RapidFuzz and the tables: 30 ms of start-up spared

                    rows = s.execute(select(ClaimRow.id, ClaimRow.quote).where(_CHECKED)).all()
                    self._matcher = ClaimMatcher((r[0], r[1]) for r in rows)
                elif last > self._seen:
                    changed = set(s.scalars(select(HistoryRow.claim_id).where(HistoryRow.id > self._seen)))
                    self._refresh(s, changed)
            self._seen = last
            return self._matcher

    def _refresh(self, s: Session, claim_ids: Iterable[int]) -> None:
        assert self._matcher is not None
        ids = sorted(claim_ids)
        for start in range(0, len(ids), 500):
            chunk = ids[start:start + 500]
            checked = {r[0]: r[1] for r in s.execute(
                select(ClaimRow.id, ClaimRow.quote).where(ClaimRow.id.in_(chunk), _CHECKED)
            )}
            for claim_id in chunk:
                if claim_id in checked:
                    self._matcher.add(claim_id, checked[claim_id])
                else:
                    self._matcher.remove(claim_id)

    def ready(self) -> bool:
        """Whether the matcher is built (the first search over a big archive builds it: seconds)."""
        return self._matcher is not None

    def indexed(self) -> int:
        """How many checked claims the matcher holds (after catching up)."""
        return len(self._index())

    def match(self, text: str, k: int = 5, *, exclude_article: int | None = None,
              exclude_claim: int | None = None) -> list[EarlierCheck]:
        """The k checked claims that best match `text`, best first (other articles only, with
        `exclude_article`); those scoring under MIN_SCORE are left out."""
        if k < 1:
            raise ValidationError("Ask for at least one match (-k 1 or more).")
        if not text.strip():
            return []
        found = self._index().search(text, k + 20 if exclude_article is not None else k + 1)
        scores = {i: score for i, score in found if isinstance(i, int) and i != exclude_claim and score >= MIN_SCORE}
        checks = self._details(scores)
        kept = [c for c in checks if c.article_id != exclude_article]
        return kept[:k]

    def claim_matches(self, claim_id: int, k: int = 5) -> list[EarlierCheck]:
        """Earlier checks of a claim: matches from other articles."""
        with self._ctx.read() as s:
            row = mapping.get(s, ClaimRow, claim_id)
            quote, article_id = row.quote, row.article_id
        return self.match(quote, k, exclude_article=article_id, exclude_claim=claim_id)

    def _details(self, scores: dict[int, float]) -> list[EarlierCheck]:
        if not scores:
            return []
        from app.matching import SAME_CLAIM

        with self._ctx.read() as s:
            rows = s.execute(
                select(ClaimRow, ArticleRow.title, RatingLabelRow.name, RatingLabelRow.colour)
                .join(ArticleRow, ArticleRow.id == ClaimRow.article_id)
                .outerjoin(RatingLabelRow, RatingLabelRow.id == ClaimRow.verdict_id)
                .where(ClaimRow.id.in_(list(scores)), _CHECKED)
            ).all()
            counts = dict(s.execute(
                select(SourceRow.claim_id, func.count()).where(SourceRow.claim_id.in_(list(scores)))
                .group_by(SourceRow.claim_id)
            ).all())
        checks = [
            EarlierCheck(
                claim_id=c.id, article_id=c.article_id, article_title=title, number=c.number, quote=c.quote,
                verdict=name or c.conclusion, colour=colour or "", checked=c.approved_at or c.updated_at,
                summary=c.summary, sources=int(counts.get(c.id, 0)), score=scores[c.id],
                same=scores[c.id] >= SAME_CLAIM,
            )
            for c, title, name, colour in rows
        ]
        checks.sort(key=lambda c: (-c.score, c.claim_id))
        return checks

    def start_from(self, claim_id: int, earlier_id: int, reason: str = "") -> tuple[Claim, ChangeSet]:
        """Copy an earlier check's sources and summary into a claim, as a draft: the claim is
        started (in progress) if it was not, never approved; the history records where from.
        A summary already written is kept, with the earlier one added after it."""
        if claim_id == earlier_id:
            raise ValidationError("A claim cannot start from its own check.")
        with self._ctx.write() as s:
            row = mapping.get(s, ClaimRow, claim_id)
            earlier = mapping.get(s, ClaimRow, earlier_id)
            self._ctx.unlock(s, row, reason)
            label = f"{earlier.article_id}#{earlier.number}" if earlier.number else f"id {earlier.id}"
            self._ctx.record(s, row, "started_from", None, label)
            added: list[SourceRow] = []
            for old in sorted(earlier.sources, key=lambda r: r.id):
                copy = SourceRow(
                    claim_id=row.id, url=old.url, title=old.title, publisher=old.publisher, note=old.note,
                    accessed=old.accessed, kind=old.kind, stance=old.stance, passage=old.passage,
                    archived_url=old.archived_url,
                )
                s.add(copy)
                added.append(copy)
            s.flush()
            for copy in added:
                self._ctx.fresh(s, copy)
                self._ctx.record(s, row, "source", None, copy.url, source=copy)
            summary = _joined(row.summary, earlier.summary)
            if summary != row.summary:
                self._ctx.record(s, row, "summary", row.summary, summary)
                row.summary = summary
            if row.state == State.NOT_STARTED:
                self._ctx.record(s, row, "state", row.state, State.IN_PROGRESS.value)
                row.state = State.IN_PROGRESS.value
            if not row.accepted:
                self._ctx.record(s, row, "accepted", "no", "yes")
                row.accepted = True
            row.updated_at = now()
            s.flush()
            s.refresh(row)
            claim = self._ctx.claim(row)
            article_id = row.article_id
        return claim, ChangeSet(article_ids=frozenset({article_id}), claim_ids=frozenset({claim_id}),
                                sources_added=frozenset(c.id for c in added))


def _joined(mine: str, theirs: str) -> str:
    mine, theirs = mine.strip(), theirs.strip()
    if not theirs or theirs in mine:
        return mine
    return f"{mine}\n\n{theirs}" if mine else theirs

