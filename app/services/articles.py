"""Articles: import (with detection), their details and structure, deletion, the bundled samples,
and re-running detection."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import replace
from datetime import date, datetime
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from app import ingest
from app.domain import Article, ArticleSummary, ChangeSet, DetectedClaim, touched, validate
from app.domain.changes import SEEDED_KEY
from app.domain.errors import ValidationError
from app.domain.segments import COMMENT_SCORE_CAP, Segment, SegmentKind, segment_at
from app.services.context import Context, now
from app.storage import bulk, mapping, plain, sqlite_sql, summary
from app.storage.models import ArticleRevisionRow, ArticleRow, ClaimRow, SegmentRow, SettingRow

_article_t = ArticleRow.__table__
_ARTICLE_LIST = (
    select(_article_t.c.id, _article_t.c.title, summary.article_summary.c.claims, summary.article_summary.c.resolved,
           _article_t.c.imported_at)
    .select_from(_article_t.outerjoin(summary.article_summary, summary.article_summary.c.article_id == _article_t.c.id))
    .order_by(_article_t.c.imported_at.desc(), _article_t.c.id.desc())
)
_ARTICLE_LIST_SQLITE = sqlite_sql.ARTICLE_LIST  # _ARTICLE_LIST as SQLite text (a test holds them equal)


# Built slot by slot: ArticleSummary(...) for each entry was a third of the call; imported_at as
# SQLAlchemy's SQLite dialect writes it, to a datetime.
_summaries = plain.maker(ArticleSummary, *sqlite_sql.ARTICLE_SUMMARY, parse=datetime.fromisoformat)


class Articles:
    def __init__(self, ctx: Context) -> None:
        self._ctx = ctx
        self.listed = plain.Reused(_summaries)  # an unchanged article's entry is not built again

    def articles(self) -> list[ArticleSummary]:
        """The article list with each article's counts, read from the counts the triggers keep
        (app.storage.summary) as plain rows: counting the claims took 0.4 s at a million."""
        if self._ctx.db.postgresql:
            with self._ctx.db.read_core() as c:
                rows = c.execute(_ARTICLE_LIST).all()
            return self.listed(rows)  # its dates are datetimes already: parse() passes them through
        # SQLite: the same statement through the DB-API connection (SQLAlchemy's own cost was
        # two thirds of the list at 10,000 claims); its dates come as SQLite stores them.
        with self._ctx.read_raw() as raw:
            found = raw.execute(_ARTICLE_LIST_SQLITE).fetchall()
        return self.listed(found)

    def article(self, article_id: int) -> Article:
        with self._ctx.read() as s:
            return mapping.article(mapping.get(s, ArticleRow, article_id))

    def segments(self, article_id: int) -> tuple[Segment, ...]:
        """The article's structure; articles stored before segments existed get theirs now."""
        table = SegmentRow.__table__
        with self._ctx.read() as s:
            # Core rows (read like ORM ones): a long article has thousands of segments.
            columns = [table.c[name] for name in mapping.SEGMENT_COLUMNS]
            rows = s.execute(
                select(*columns).where(table.c.article_id == article_id).order_by(table.c.start_offset)
            ).all()
            if rows:
                return mapping.segments_of(rows)
            article = mapping.get(s, ArticleRow, article_id)
            text, title = article.text, article.title
        segments = ingest.analyse(text, title=title)
        with self._ctx.write() as s:
            if not s.scalars(select(SegmentRow.id).where(SegmentRow.article_id == article_id)).first():
                mapping.insert_segments(s, article_id, segments)
        return segments

    def find_by_hash(self, text: str) -> Article | None:
        digest = ingest.text_hash(text)
        with self._ctx.read() as s:
            row = s.scalars(select(ArticleRow).where(ArticleRow.text_hash == digest)).first()
            return mapping.article(row) if row else None

    def import_file(self, path: Path | str) -> tuple[Article, ChangeSet]:
        return self.add_article(ingest.read_file(path))

    def add_article(
        self, imported: ingest.ImportedText, detected: Sequence[DetectedClaim] | None = None
    ) -> tuple[Article, ChangeSet]:
        """Store an article, its structure and the claims the detector proposes in it, all or nothing.
        `detected`: what the detector found in imported.text over imported.segments already (the
        command line detects while the database opens: app/cli_import.py)."""
        segments = imported.segments or ingest.analyse(imported.text, title=imported.title)
        found = self._ctx.detect(imported.text, segments) if detected is None else detected
        claims = fit_to_structure(found, segments)
        stamp = now()
        with self._ctx.write() as s:
            row = ArticleRow(
                title=imported.title, text=imported.text, text_hash=imported.text_hash,
                source_url=imported.source_url, outlet=imported.outlet, author=imported.author,
                published=imported.published, imported_at=stamp,
                claims_numbered=len(claims),  # numbered 1..n below: no second write of the row
            )
            s.add(row)
            s.flush()
            s.info["articles"].append(row.id)  # this process's own (see Context.write)
            mapping.insert_segments(s, row.id, segments)
            s.add(ArticleRevisionRow(
                article_id=row.id, number=1, text=imported.text, text_hash=imported.text_hash, title=imported.title,
                source_url=imported.source_url, imported_at=stamp,
            ))
            with bulk.search_filled_after(s, row.id):  # one fill of the index, not a trigger per claim
                mapping.insert_detected(s, row.id, imported.text, claims, stamp, first=1)
            added = frozenset(s.scalars(select(ClaimRow.id).where(ClaimRow.article_id == row.id)))
            article = mapping.article(row)
        return article, ChangeSet(
            articles_added=frozenset({article.id}), article_ids=frozenset({article.id}), claims_added=added
        )

    def update_article(
        self,
        article_id: int,
        *,
        title: str | None = None,
        source_url: str | None = None,
        outlet: str | None = None,
        author: str | None = None,
        published: date | None = None,
        clear_published: bool = False,
        expected_version: int | None = None,
    ) -> tuple[Article, ChangeSet]:
        """Edit what reports and ClaimReview say about the article; the text itself never changes.
        With `expected_version`, a field someone else changed since that version is a Conflict."""
        if title is not None and not title.strip():
            raise ValidationError("An article needs a title.")
        if source_url:
            source_url = validate.source_url(source_url)
        texts = {"title": title, "source_url": source_url, "outlet": outlet, "author": author}
        writing = {k: v.strip() for k, v in texts.items() if v is not None}
        if published is not None or clear_published:
            writing["published"] = str(published or "")
        with self._ctx.write() as s:
            row = mapping.get(s, ArticleRow, article_id)
            self._ctx.check_article(row, expected_version, writing)
            changed = False
            for field, value in texts.items():
                if value is not None and getattr(row, field) != value.strip():
                    setattr(row, field, value.strip())
                    changed = True
            if (published is not None or clear_published) and row.published != published:
                row.published = published
                changed = True
            if changed:
                self._ctx.bump(s, row)
            article = mapping.article(row)
        return article, ChangeSet(
            article_ids=frozenset({article_id}), articles_updated=frozenset({article_id}) if changed else frozenset()
        )

    def delete_article(self, article_id: int) -> ChangeSet:
        with self._ctx.write() as s:
            row = mapping.get(s, ArticleRow, article_id)
            claims = frozenset(s.scalars(select(ClaimRow.id).where(ClaimRow.article_id == article_id)))
            s.delete(row)
        return ChangeSet(article_ids=frozenset({article_id}), articles_removed=frozenset({article_id}),
                         claims_removed=claims)

    def seed(self, files: Iterable[Path]) -> list[Article]:
        """Import the bundled sample articles once: a sample the user deleted stays deleted."""
        added: list[Article] = []
        for path in sorted(files):
            # The hash first, from the bare text: a full import (structure, languages) is only
            # worth it for a sample not seen before, and every start comes through here.
            digest = ingest.text_hash(ingest.normalise(ingest.decode(path.read_bytes(), path.name)))
            if self._seen(digest):
                continue
            imported = ingest.read_file(path)
            if self._seen(imported.text_hash):
                continue
            article, _ = self.add_article(imported)
            with self._ctx.write() as s:
                setting = s.get(SettingRow, SEEDED_KEY) or SettingRow(key=SEEDED_KEY)
                setting.value = " ".join(sorted(set((setting.value or "").split()) | {imported.text_hash}))
                s.add(setting)
            added.append(article)
        return added

    def _seen(self, digest: str) -> bool:
        with self._ctx.read() as s:
            setting = s.get(SettingRow, SEEDED_KEY)
            if digest in (setting.value if setting else "").split():
                return True
            return s.scalars(select(ArticleRow.id).where(ArticleRow.text_hash == digest)).first() is not None

    def redetect(self, article_id: int) -> ChangeSet:
        """Detect again: keep every claim the fact-checker touched, add new suggestions,
        drop untouched suggestions the detector no longer finds. The article's version goes up,
        so another process knows to re-read its claims."""
        with self._ctx.read() as s:
            text = mapping.get(s, ArticleRow, article_id).text
        segments = self.segments(article_id)
        detected = fit_to_structure(self._ctx.detect(text, segments), segments)
        stamp = now()
        with self._ctx.write() as s:
            article = mapping.get(s, ArticleRow, article_id)
            rows = s.scalars(
                select(ClaimRow).where(ClaimRow.article_id == article_id).options(selectinload(ClaimRow.sources))
            ).all()
            found = {(d.start, d.end) for d in detected}
            removed = set()
            kept: list[tuple[int, int]] = []
            for row in rows:
                if touched(self._ctx.claim(row)) or (row.start_offset, row.end_offset) in found:
                    if row.anchor != "orphaned":  # an orphan has no place in this text to keep free
                        kept.append((row.start_offset, row.end_offset))
                else:
                    removed.add(row.id)
                    s.delete(row)
            added = mapping.insert_suggestions_around(s, article_id, text, detected, kept, stamp)
            if added or removed:
                self._ctx.bump(s, article)
        return ChangeSet(
            article_ids=frozenset({article_id}), claims_added=frozenset(added), claims_removed=frozenset(removed),
            articles_updated=frozenset({article_id}) if added or removed else frozenset(),
        )


def fit_to_structure(detected: Sequence[DetectedClaim], segments: Sequence[Segment]) -> list[DetectedClaim]:
    """What the article's structure says about each suggestion: page furniture is never a claim,
    a reader comment is marked and ranks below the article, a turn tells who is speaking."""
    if not segments:
        return list(detected)
    fitted = []
    for claim in detected:
        segment = segment_at(segments, claim.start) or segment_at(segments, max(claim.start, claim.end - 1))
        if segment is not None and segment.lang and segment.lang != claim.lang:
            claim = replace(claim, lang=segment.lang)  # the importer's language detector is the better one
        if segment is None:
            fitted.append(claim)
        elif segment.kind is SegmentKind.FURNITURE:
            continue
        elif segment.kind is SegmentKind.COMMENT:
            fitted.append(replace(
                claim, from_comment=True, speaker=claim.speaker or segment.author,
                score=min(claim.score, COMMENT_SCORE_CAP),
            ))
        elif segment.kind is SegmentKind.TURN and not claim.speaker and segment.speaker:
            fitted.append(replace(claim, speaker=segment.speaker))
        else:
            fitted.append(claim)
    return fitted
