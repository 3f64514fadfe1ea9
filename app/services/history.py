"""The history of a claim, and what changed in the database since a reader last looked
(changes made by another process, or by another window on the same file)."""

from __future__ import annotations

from dataclasses import replace

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from app.domain import Changes, ChangeSet, ChangeToken, HistoryEntry, clip, merge_typing
from app.domain.messages import change_message
from app.services.context import Context
from app.storage import mapping
from app.storage.models import ArticleRow, ClaimRow, HistoryRow, SettingRow

MAX_MESSAGES = 5  # a status bar shows a few; the rest are counted


class History:
    def __init__(self, ctx: Context) -> None:
        self._ctx = ctx

    def history(self, claim_id: int) -> list[HistoryEntry]:
        """Every recorded change of a claim and its sources, oldest first; kept after deletion.
        The saves made while someone typed one field are shown as one change (merge_typing)."""
        table = HistoryRow.__table__
        with self._ctx.read() as s:
            # Core rows, read like ORM ones (same attribute names): a claim's history is read after
            # every change to it, and the ORM's identity map was most of that read's time.
            rows = s.execute(
                select(table).where(table.c.claim_id == claim_id).order_by(table.c.id)
            ).all()
            if not rows:
                mapping.get(s, ClaimRow, claim_id)
            return merge_typing([mapping.history_entry(r) for r in rows])

    def change_token(self) -> ChangeToken:
        """Where the database stands now: the starting point for changes_since."""
        stamp = self._ctx.db.stamp()
        with self._ctx.read() as s:
            return self._token(s, stamp)

    def changes_since(self, token: ChangeToken) -> Changes:
        """What was committed since `token`, by anyone, as one ChangeSet plus short lines for
        people about other people's changes ("Claim 6 approved by ben"), and the next token.

        Contract for a poller (the window asks about once a second):
        - Cheap when nothing happened: one `PRAGMA data_version` on a dedicated connection, no
          query; the same token comes back and `changes` is empty (falsy).
        - The ChangeSet includes this process's own writes (the poll cannot tell them apart);
          applying a ChangeSet twice must be harmless. `messages` leave out this Workbench's own
          history rows, article imports and settings.
        - Claims and sources: from the append-only history (ids after the token's).
        - Articles: added and removed by comparing ids, details and re-detection by version; a
          re-detected article is in `articles_updated`: re-read its claims.
        - Settings: keys whose value changed (`changes.scale_changed` for the rating scale).
        - Raises StorageError if the database became unreadable; keep the old token and retry."""
        stamp = self._ctx.db.stamp()
        if stamp == token.stamp:
            return Changes(ChangeSet(), (), token)
        with self._ctx.read() as s:
            new = self._token(s, stamp)
            rows = s.scalars(
                select(HistoryRow).where(HistoryRow.id > token.history_id).order_by(HistoryRow.id)
            ).all() if new.history_id > token.history_id else []
            # Messages name a claim by its public number ("Claim #6 approved by ben").
            numbers: dict[int, int] = dict(s.execute(
                select(ClaimRow.id, ClaimRow.number).where(ClaimRow.id.in_({r.claim_id for r in rows}))
            ).tuples().all()) if rows else {}
            old_articles, new_articles = dict(token.articles), dict(new.articles)
            added = frozenset(new_articles.keys() - old_articles.keys())
            titles = dict(s.execute(select(ArticleRow.id, ArticleRow.title).where(ArticleRow.id.in_(added))).tuples().all()) \
                if added else {}
        removed = frozenset(old_articles.keys() - new_articles.keys())
        updated = frozenset(a for a, v in new_articles.items() if a in old_articles and old_articles[a] != v)
        settings = dict(new.settings)
        old_settings = dict(token.settings)
        keys = frozenset(k for k in settings.keys() | old_settings.keys() if settings.get(k) != old_settings.get(k))
        changes = _changeset(rows) | ChangeSet(
            articles_added=added, articles_removed=removed, articles_updated=updated,
            article_ids=added | removed | updated, settings=keys,
        )
        messages = [f"Article “{clip(titles.get(a, str(a)), 40)}” imported" for a in sorted(added)
                    if a not in self._ctx.own_articles]
        messages += _messages([mapping.history_entry(r) for r in rows if r.id not in self._ctx.own_history], numbers)
        messages += [f"Setting {k} changed" if k != "rating_scale" else f"Rating scale changed to {settings.get(k)}"
                     for k in sorted(keys) if self._ctx.own_settings.get(k) != settings.get(k)
                     and k != "seeded_samples"]
        if len(messages) > MAX_MESSAGES:
            messages = [*messages[: MAX_MESSAGES - 1], f"and {len(messages) - MAX_MESSAGES + 1} more changes"]
        return Changes(changes, tuple(messages), new)

    @staticmethod
    def _token(s: Session, stamp: int) -> ChangeToken:
        last = s.scalar(select(func.max(HistoryRow.id))) or 0
        # Plain rows from the covering index (ix_article_version): every article's, at every poll
        # that finds a change and once at start-up, so without the ORM's cost per row.
        articles = tuple(s.connection().execute(_VERSIONS).tuples())
        settings = tuple(s.execute(select(SettingRow.key, SettingRow.value).order_by(SettingRow.key)).tuples())
        return ChangeToken(stamp, last, articles, settings)


_VERSIONS = select(ArticleRow.__table__.c.id, ArticleRow.__table__.c.version).order_by(ArticleRow.__table__.c.id)


def _changeset(rows: list[HistoryRow]) -> ChangeSet:
    """History rows in order as one ChangeSet: what each claim and source went through."""
    result = ChangeSet()
    for r in rows:
        article = frozenset({r.article_id})
        one = frozenset({r.entity_id})
        if r.entity == "source":
            claim = frozenset({r.claim_id})
            if r.field == "source" and r.old_value is None:
                result |= ChangeSet(article_ids=article, claim_ids=claim, sources_added=one)
            elif r.field == "source" and r.new_value is None:
                result |= ChangeSet(article_ids=article, claim_ids=claim, sources_removed=one)
            else:
                result |= ChangeSet(article_ids=article, claim_ids=claim, sources_updated=one)
        elif r.field in ("created", "restored"):
            result = replace(result, claims_removed=result.claims_removed - one) \
                | ChangeSet(article_ids=article, claims_added=one)
        elif r.field in ("deleted", "rejected"):
            result |= ChangeSet(article_ids=article, claims_removed=one)
        else:
            result |= ChangeSet(article_ids=article, claim_ids=one)
    return result


def _messages(entries: list[HistoryEntry], numbers: dict[int, int] | None = None) -> list[str]:
    """One line per claim: its most telling change (a sign-off before a verdict before an edit)."""
    rank = {"state": 0, "deleted": 0, "rejected": 0, "created": 1, "restored": 1, "reopened": -1,
            "verdict": 2, "conclusion": 2}
    best: dict[int, HistoryEntry] = {}
    for e in entries:
        current = best.get(e.claim_id)
        if current is None or rank.get(e.field, 3) <= rank.get(current.field, 3):
            best[e.claim_id] = e
    return [change_message(e, (numbers or {}).get(e.claim_id)) for e in best.values()]
