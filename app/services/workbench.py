"""The fact-checker's actions on articles, claims and sources, one transaction each."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import replace
from datetime import date, datetime
from pathlib import Path
from typing import Any, TypeVar

from sqlalchemy import delete, func, insert, select, text
from sqlalchemy.orm import Session, selectinload, sessionmaker

from app import ingest
from app.domain import (
    Article,
    ArticleSummary,
    ChangeSet,
    Claim,
    DetectedClaim,
    HistoryEntry,
    Kind,
    Origin,
    Rating,
    RatingScale,
    SearchHit,
    Source,
    SourceKind,
    Stance,
    State,
    approval_problems,
    touched,
    validate,
)
from app.domain.segments import COMMENT_SCORE_CAP, Segment, SegmentKind, segment_at
from app.domain.validate import ValidationError
from app.storage.errors import NotFound
from app.storage.models import (
    ArticleRow,
    ClaimRow,
    HistoryRow,
    RatingLabelRow,
    RatingScaleRow,
    RejectedSuggestionRow,
    SegmentRow,
    SettingRow,
    SourceRow,
)

CONTEXT_CHARS = 32
_WORD = re.compile(r"\w+")
SEEDED_KEY = "seeded_samples"
SCALE_KEY = "rating_scale"
DEFAULT_SCALE = "default"
_KEEP: Any = object()  # "leave this field alone", where None means "clear it"

_Row = TypeVar("_Row", ArticleRow, ClaimRow, SourceRow)

Detector = Callable[[str], Sequence[DetectedClaim]]


def _now() -> datetime:
    return datetime.now().replace(microsecond=0)


class Workbench:
    """Every read and write the window and the command line make, over one sessionmaker."""

    def __init__(
        self, sessions: sessionmaker[Session], detector: Detector | None = None, actor: str = ""
    ) -> None:
        self._sessions = sessions
        self._detector = detector  # None: the rule-based detector, imported on first use
        self.actor = actor
        self._scales: dict[str, RatingScale] | None = None
        self._ratings: dict[int, Rating] = {}

    def _detect(self, text: str, segments: Sequence[Segment]) -> Sequence[DetectedClaim]:
        if self._detector is None:  # the rule-based detector reuses the structure found on import
            from app.detection import detect_claims  # its patterns cost start-up time; most starts never detect

            return detect_claims(text, segments=segments)
        return self._detector(text)

    def _record(
        self, s: Session, claim: ClaimRow, field: str, old: object, new: object,
        *, entity: str = "claim", entity_id: int | None = None,
    ) -> None:
        """Log one change in the caller's transaction, so the change and its record land together."""
        s.add(HistoryRow(
            article_id=claim.article_id,
            claim_id=claim.id,
            entity=entity,
            entity_id=claim.id if entity_id is None else entity_id,
            field=field,
            old_value=None if old is None else str(old),
            new_value=None if new is None else str(new),
            actor=self.actor or "unknown",
            at=_now(),
        ))

    def history(self, claim_id: int) -> list[HistoryEntry]:
        """Every recorded change of a claim and its sources, oldest first; kept after deletion."""
        with self._sessions() as s:
            rows = s.scalars(select(HistoryRow).where(HistoryRow.claim_id == claim_id).order_by(HistoryRow.id)).all()
            if not rows:
                _get(s, ClaimRow, claim_id)
            return [
                HistoryEntry(r.id, r.claim_id, r.entity, r.entity_id, r.field, r.old_value, r.new_value, r.actor, r.at)
                for r in rows
            ]

    # -- articles -------------------------------------------------------------------------

    def articles(self) -> list[ArticleSummary]:
        resolved = (ClaimRow.verdict_id.is_not(None)) | (ClaimRow.conclusion != "")
        with self._sessions() as s:
            rows = s.execute(
                select(
                    ArticleRow.id,
                    ArticleRow.title,
                    ArticleRow.imported_at,
                    func.count(ClaimRow.id),
                    func.count(ClaimRow.id).filter(resolved),
                )
                .outerjoin(ClaimRow)
                .group_by(ArticleRow.id)
                .order_by(ArticleRow.imported_at.desc(), ArticleRow.id.desc())
            ).all()
        return [ArticleSummary(r[0], r[1], r[3], r[4], r[2]) for r in rows]

    def article(self, article_id: int) -> Article:
        with self._sessions() as s:
            return _article(_get(s, ArticleRow, article_id))

    def segments(self, article_id: int) -> tuple[Segment, ...]:
        """The article's structure; articles stored before segments existed get theirs now."""
        with self._sessions() as s:
            rows = s.scalars(
                select(SegmentRow).where(SegmentRow.article_id == article_id).order_by(SegmentRow.start_offset)
            ).all()
            if rows:
                return tuple(_segment(r) for r in rows)
            article = _get(s, ArticleRow, article_id)
            text, title = article.text, article.title
        segments = ingest.analyse(text, title=title)
        with self._sessions.begin() as s:
            if not s.scalars(select(SegmentRow.id).where(SegmentRow.article_id == article_id)).first():
                _insert_segments(s, article_id, segments)
        return segments

    def find_by_hash(self, text: str) -> Article | None:
        digest = ingest.text_hash(text)
        with self._sessions() as s:
            row = s.scalars(select(ArticleRow).where(ArticleRow.text_hash == digest)).first()
            return _article(row) if row else None

    def import_file(self, path: Path | str) -> tuple[Article, ChangeSet]:
        return self.add_article(ingest.read_file(path))

    def add_article(self, imported: ingest.ImportedText) -> tuple[Article, ChangeSet]:
        """Store an article, its structure and the claims the detector proposes in it, all or nothing."""
        segments = imported.segments or ingest.analyse(imported.text, title=imported.title)
        detected = fit_to_structure(self._detect(imported.text, segments), segments)
        now = _now()
        with self._sessions.begin() as s:
            row = ArticleRow(
                title=imported.title,
                text=imported.text,
                text_hash=imported.text_hash,
                source_url=imported.source_url,
                outlet=imported.outlet,
                author=imported.author,
                published=imported.published,
                imported_at=now,
            )
            s.add(row)
            s.flush()
            _insert_segments(s, row.id, segments)
            _insert_detected(s, row.id, imported.text, detected, now)
            article = _article(row)
        return article, ChangeSet(articles_added=frozenset({article.id}), article_ids=frozenset({article.id}))

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
    ) -> tuple[Article, ChangeSet]:
        """Edit what reports and ClaimReview say about the article; the text itself never changes."""
        if title is not None and not title.strip():
            raise ValidationError("An article needs a title.")
        if source_url:
            source_url = validate.source_url(source_url)
        with self._sessions.begin() as s:
            row = _get(s, ArticleRow, article_id)
            for field, value in (("title", title), ("source_url", source_url), ("outlet", outlet), ("author", author)):
                if value is not None:
                    setattr(row, field, value.strip())
            if published is not None or clear_published:
                row.published = published
            article = _article(row)
        return article, ChangeSet(article_ids=frozenset({article_id}))

    def delete_article(self, article_id: int) -> ChangeSet:
        with self._sessions.begin() as s:
            s.delete(_get(s, ArticleRow, article_id))
        return ChangeSet(article_ids=frozenset({article_id}))

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
            with self._sessions.begin() as s:
                setting = s.get(SettingRow, SEEDED_KEY) or SettingRow(key=SEEDED_KEY, value="")
                setting.value = " ".join(sorted(set(setting.value.split()) | {imported.text_hash}))
                s.add(setting)
            added.append(article)
        return added

    def setting(self, key: str, default: str = "") -> str:
        """A workspace setting (the organisation's name, where reports are published, …)."""
        with self._sessions() as s:
            row = s.get(SettingRow, key)
            return row.value if row else default

    def set_setting(self, key: str, value: str) -> None:
        with self._sessions.begin() as s:
            row = s.get(SettingRow, key) or SettingRow(key=key, value="")
            row.value = value.strip()
            s.add(row)

    # -- rating scales --------------------------------------------------------------------

    def scales(self) -> list[RatingScale]:
        """Every rating scale the database holds (seeded by the migrations), in their order."""
        if self._scales is None:
            with self._sessions() as s:
                labels = s.scalars(select(RatingLabelRow).order_by(RatingLabelRow.position, RatingLabelRow.id)).all()
                ratings = [
                    Rating(r.id, r.scale_key, r.key, r.name, r.colour, r.value, r.final, r.alternate_name)
                    for r in labels
                ]
                self._scales = {
                    row.key: RatingScale(
                        row.key, row.name, tuple(r for r in ratings if r.scale == row.key), row.free_text
                    )
                    for row in s.scalars(select(RatingScaleRow).order_by(RatingScaleRow.position))
                }
            self._ratings = {r.id: r for r in ratings}
        return list(self._scales.values())

    def scale(self) -> RatingScale:
        """The workspace's scale: the verdicts offered, and what "on the scale" means."""
        key = self.setting(SCALE_KEY, DEFAULT_SCALE)
        scales = {scale.key: scale for scale in self.scales()}
        return scales.get(key) or scales[DEFAULT_SCALE]

    def set_scale(self, key: str) -> RatingScale:
        """Pick the workspace's scale. No verdict changes: those on another scale are flagged."""
        scales = {scale.key: scale for scale in self.scales()}
        if key not in scales:
            raise ValidationError(f"There is no rating scale {key!r}; choose one of: {', '.join(scales)}.")
        self.set_setting(SCALE_KEY, key)
        return scales[key]

    def rating(self, rating_id: int) -> Rating:
        self.scales()
        if rating_id not in self._ratings:
            raise NotFound(f"No rating label with id {rating_id}.")
        return self._ratings[rating_id]

    def _seen(self, digest: str) -> bool:
        with self._sessions() as s:
            setting = s.get(SettingRow, SEEDED_KEY)
            if digest in (setting.value if setting else "").split():
                return True
            return s.scalars(select(ArticleRow.id).where(ArticleRow.text_hash == digest)).first() is not None

    # -- claims ---------------------------------------------------------------------------

    def claims(self, article_id: int) -> list[Claim]:
        """The article's claims in text order. Read with Core rather than the ORM: for 5,000
        claims that is a fifth of the time, and no ORM object escapes the session anyway."""
        claim_t, source_t = ClaimRow.__table__, SourceRow.__table__
        self.scales()
        with self._sessions() as s:
            _get(s, ArticleRow, article_id)
            sources: dict[int, list[Source]] = {}
            for r in s.execute(
                select(source_t)
                .join(claim_t, claim_t.c.id == source_t.c.claim_id)
                .where(claim_t.c.article_id == article_id)
                .order_by(source_t.c.id)
            ).mappings():
                sources.setdefault(r["claim_id"], []).append(_source_of(r))
            rows = s.execute(
                select(claim_t).where(claim_t.c.article_id == article_id)
                .order_by(claim_t.c.start_offset, claim_t.c.end_offset)
            ).mappings()
            return [_claim_of(r, tuple(sources.get(r["id"], ())), self._ratings) for r in rows]

    def search(self, query: str, limit: int = 100) -> list[SearchHit]:
        """Claims whose text, verdict, notes or sources match every word typed, best first."""
        words = _WORD.findall(query)
        if not words:
            return []
        # Each word quoted (so FTS syntax typed by the user is just text) and prefix-matched.
        match = " ".join('"' + w.replace('"', "") + '"*' for w in words)
        with self._sessions() as s:
            rows = s.execute(
                text(
                    "SELECT c.id, c.article_id, a.title, c.quote, c.state, coalesce(r.name, c.conclusion)"
                    " FROM claim_search JOIN claim c ON c.id = claim_search.rowid"
                    " JOIN article a ON a.id = c.article_id LEFT JOIN rating_label r ON r.id = c.verdict_id"
                    " WHERE claim_search MATCH :match ORDER BY bm25(claim_search) LIMIT :limit"
                ),
                {"match": match, "limit": limit},
            ).all()
        return [SearchHit(r[0], r[1], r[2], r[3], State(r[4]), r[5]) for r in rows]

    def claim(self, claim_id: int) -> Claim:
        with self._sessions() as s:
            return self._claim(_get(s, ClaimRow, claim_id))

    def _claim(self, row: ClaimRow) -> Claim:
        self.scales()
        return _claim(row, self._ratings)

    def mark_claim(self, article_id: int, start: int, end: int, kind: Kind = Kind.OTHER) -> tuple[Claim, ChangeSet]:
        """The fact-checker's own claim over a selection of the article's text."""
        now = _now()
        with self._sessions.begin() as s:
            article = _get(s, ArticleRow, article_id)
            start, end = validate.span(article.text, start, end)
            row = ClaimRow(
                article_id=article_id,
                start_offset=start,
                end_offset=end,
                quote=article.text[start:end],
                context_before=article.text[max(0, start - CONTEXT_CHARS) : start],
                context_after=article.text[end : end + CONTEXT_CHARS],
                kind=kind.value,
                score=None,
                origin=Origin.MANUAL.value,
                accepted=True,
                state=State.NOT_STARTED.value,
                conclusion="",
                verdict_by="",
                approved_by="",
                summary="",
                notes="",
                created_at=now,
                updated_at=now,
            )
            s.add(row)
            s.flush()
            self._record(s, row, "created", None, row.quote)
            claim = self._claim(row)
        return claim, ChangeSet(article_ids=frozenset({article_id}), claims_added=frozenset({claim.id}))

    def update_claim(
        self,
        claim_id: int,
        *,
        state: State | None = None,
        verdict: Rating | None = _KEEP,
        conclusion: str | None = None,
        summary: str | None = None,
        notes: str | None = None,
        kind: Kind | None = None,
        accepted: bool | None = None,
        reason: str = "",
    ) -> tuple[Claim, ChangeSet]:
        """Change a claim's fields; verdict=None clears the verdict. Working on a claim not yet
        started starts it. An approved claim is locked: a change needs a reason, and reopens it."""
        if state is State.APPROVED:
            raise ValidationError("Approving needs a sign-off: use approve, not a state change.")
        # One verdict at a time: a label, or a written conclusion (on a free-text scale).
        if verdict is not None and verdict is not _KEEP and conclusion is None:
            conclusion = ""
        if conclusion and verdict is _KEEP:
            verdict = None
        with self._sessions.begin() as s:
            row = _get(s, ClaimRow, claim_id)
            self._unlock(s, row, reason)
            now = _now()
            if accepted is not None and row.accepted != accepted:
                self._record(s, row, "accepted", _yes_no(row.accepted), _yes_no(accepted))
                row.accepted = accepted
                row.updated_at = now
            changed = False
            if verdict is not _KEEP and row.verdict_id != (verdict.id if verdict else None):
                new_id = None if verdict is None else self.rating(verdict.id).id
                self._record(s, row, "verdict", self._rating_name(row.verdict_id), self._rating_name(new_id))
                row.verdict_id = new_id
                row.verdict_by = self.actor
                changed = True
            if conclusion is not None and row.conclusion != conclusion.strip():
                self._record(s, row, "conclusion", row.conclusion, conclusion.strip())
                row.conclusion = conclusion.strip()
                row.verdict_by = self.actor
                changed = True
            for field, value in (("summary", summary), ("notes", notes), ("kind", kind.value if kind else None)):
                if value is not None and getattr(row, field) != value:
                    self._record(s, row, field, getattr(row, field), value)
                    setattr(row, field, value)
                    changed = True
            if state is None and changed and row.state == State.NOT_STARTED:
                state = State.IN_PROGRESS
            if state is not None and row.state != state.value:
                self._record(s, row, "state", row.state, state.value)
                row.state = state.value
                changed = True
            if changed:
                row.updated_at = now
                if accepted is None:
                    row.accepted = True  # working on a suggestion accepts it
            claim = self._claim(row)
        return claim, ChangeSet(article_ids=frozenset({claim.article_id}), claim_ids=frozenset({claim_id}))

    def approve(self, claim_id: int) -> tuple[Claim, ChangeSet]:
        """Sign off a verdict: refused, with every reason, unless a second person approves a
        final verdict on the workspace's scale that rests on a primary source or two publishers."""
        scale = self.scale()
        with self._sessions.begin() as s:
            row = _get(s, ClaimRow, claim_id)
            problems = approval_problems(self._claim(row), scale, self.actor)
            if problems:
                raise ValidationError(f"Claim {claim_id} cannot be approved: " + "; ".join(problems) + ".")
            self._record(s, row, "state", row.state, State.APPROVED.value)
            row.state = State.APPROVED.value
            row.approved_by = self.actor
            row.approved_at = row.updated_at = _now()
            row.accepted = True
            claim = self._claim(row)
        return claim, ChangeSet(article_ids=frozenset({claim.article_id}), claim_ids=frozenset({claim_id}))

    def reopen(self, claim_id: int, reason: str) -> tuple[Claim, ChangeSet]:
        """Take an approved claim back to review, saying why; the reason is in its history."""
        with self._sessions.begin() as s:
            row = _get(s, ClaimRow, claim_id)
            if row.state != State.APPROVED:
                raise ValidationError(f"Claim {claim_id} is not approved, so there is nothing to reopen.")
            self._unlock(s, row, reason)
            claim = self._claim(row)
        return claim, ChangeSet(article_ids=frozenset({claim.article_id}), claim_ids=frozenset({claim_id}))

    def _unlock(self, s: Session, row: ClaimRow, reason: str) -> None:
        """An approved claim changes only with a reason: it goes back to review, and the log says why."""
        if row.state != State.APPROVED:
            return
        if not reason.strip():
            raise ValidationError(
                f"Claim {row.id} is approved by {row.approved_by or 'a reviewer'}, so it is locked;"
                " give a reason to reopen it."
            )
        self._record(s, row, "reopened", None, reason.strip())
        self._record(s, row, "state", row.state, State.IN_REVIEW.value)
        row.state = State.IN_REVIEW.value
        row.approved_by = ""
        row.approved_at = None
        row.updated_at = _now()

    def _rating_name(self, rating_id: int | None) -> str | None:
        return None if rating_id is None else self.rating(rating_id).name

    def accept(self, claim_id: int) -> tuple[Claim, ChangeSet]:
        """Take a detector suggestion as a claim to check."""
        with self._sessions.begin() as s:
            row = _get(s, ClaimRow, claim_id)
            if not row.accepted:
                self._record(s, row, "accepted", _yes_no(False), _yes_no(True))
                row.accepted = True
                row.updated_at = _now()
            claim = self._claim(row)
        return claim, ChangeSet(article_ids=frozenset({claim.article_id}), claim_ids=frozenset({claim_id}))

    def reject(self, claim_id: int) -> ChangeSet:
        """Drop a suggestion and remember it, so re-running detection does not propose it again."""
        with self._sessions.begin() as s:
            row = _get(s, ClaimRow, claim_id)
            if touched(self._claim(row)):
                raise ValidationError("Only an untouched suggestion can be rejected; delete the claim instead.")
            self._record(s, row, "rejected", row.quote, None)
            s.add(RejectedSuggestionRow(
                article_id=row.article_id, start_offset=row.start_offset, end_offset=row.end_offset, quote=row.quote
            ))
            article_id = row.article_id
            s.delete(row)
        return ChangeSet(article_ids=frozenset({article_id}), claims_removed=frozenset({claim_id}))

    def redetect(self, article_id: int) -> ChangeSet:
        """Detect again: keep every claim the fact-checker touched, add new suggestions,
        drop untouched suggestions the detector no longer finds."""
        with self._sessions() as s:
            text = _get(s, ArticleRow, article_id).text
        segments = self.segments(article_id)
        detected = fit_to_structure(self._detect(text, segments), segments)
        now = _now()
        with self._sessions.begin() as s:
            rows = s.scalars(
                select(ClaimRow).where(ClaimRow.article_id == article_id).options(selectinload(ClaimRow.sources))
            ).all()
            found = {(d.start, d.end) for d in detected}
            removed = set()
            kept: list[tuple[int, int]] = []
            for row in rows:
                if touched(self._claim(row)) or (row.start_offset, row.end_offset) in found:
                    kept.append((row.start_offset, row.end_offset))
                else:
                    removed.add(row.id)
                    s.delete(row)
            rejected = {
                (r.start_offset, r.end_offset, r.quote)
                for r in s.scalars(select(RejectedSuggestionRow).where(RejectedSuggestionRow.article_id == article_id))
            }
            fresh = [
                d for d in detected
                if (d.start, d.end, text[d.start : d.end]) not in rejected
                and not any(d.start < end and start < d.end for start, end in kept)
            ]
            s.flush()
            before = set(s.scalars(select(ClaimRow.id).where(ClaimRow.article_id == article_id)))
            _insert_detected(s, article_id, text, fresh, now)
            added = set(s.scalars(select(ClaimRow.id).where(ClaimRow.article_id == article_id))) - before
        return ChangeSet(
            article_ids=frozenset({article_id}), claims_added=frozenset(added), claims_removed=frozenset(removed)
        )

    def restore_claim(self, claim: Claim) -> tuple[Claim, ChangeSet]:
        """Put back a deleted or rejected claim with its id and sources (undo needs the same ids)."""
        with self._sessions.begin() as s:
            _get(s, ArticleRow, claim.article_id)
            if s.get(ClaimRow, claim.id) is not None:
                raise ValidationError("That claim is already there.")
            row = ClaimRow(
                id=claim.id, article_id=claim.article_id, start_offset=claim.start, end_offset=claim.end,
                quote=claim.quote, context_before=claim.context_before, context_after=claim.context_after,
                kind=claim.kind.value, score=claim.score, origin=claim.origin.value, accepted=claim.accepted,
                speaker=claim.speaker, lang=claim.lang, from_comment=claim.from_comment, state=claim.state.value,
                verdict_id=claim.verdict.id if claim.verdict else None, conclusion=claim.conclusion,
                verdict_by=claim.verdict_by, approved_by=claim.approved_by, approved_at=claim.approved_at,
                summary=claim.summary, notes=claim.notes, created_at=claim.created_at or _now(), updated_at=_now(),
            )
            s.add(row)
            s.flush()
            for source in claim.sources:
                s.add(_source_row(source))
            # Undoing a rejection: the detector may propose it again later.
            s.execute(
                delete(RejectedSuggestionRow).where(
                    RejectedSuggestionRow.article_id == claim.article_id,
                    RejectedSuggestionRow.start_offset == claim.start,
                    RejectedSuggestionRow.end_offset == claim.end,
                )
            )
            self._record(s, row, "restored", None, row.quote)
            s.flush()
            s.refresh(row)
            restored = self._claim(row)
        return restored, ChangeSet(article_ids=frozenset({claim.article_id}), claims_added=frozenset({claim.id}))

    def restore_source(self, source: Source) -> tuple[Source, ChangeSet]:
        """Put back a removed source with its id (for undo)."""
        with self._sessions.begin() as s:
            claim = _get(s, ClaimRow, source.claim_id)
            self._unlock(s, claim, "")
            if s.get(SourceRow, source.id) is not None:
                raise ValidationError("That source is already there.")
            s.add(_source_row(source))
            claim.updated_at = _now()
            self._record(s, claim, "source", None, source.url, entity="source", entity_id=source.id)
            article_id = claim.article_id
        return source, ChangeSet(article_ids=frozenset({article_id}), claim_ids=frozenset({source.claim_id}))

    def delete_claim(self, claim_id: int) -> ChangeSet:
        with self._sessions.begin() as s:
            row = _get(s, ClaimRow, claim_id)
            self._unlock(s, row, "")
            article_id = row.article_id
            self._record(s, row, "deleted", row.quote, None)
            s.delete(row)
        return ChangeSet(article_ids=frozenset({article_id}), claims_removed=frozenset({claim_id}))

    # -- sources --------------------------------------------------------------------------

    def add_source(
        self,
        claim_id: int,
        url: str,
        *,
        title: str = "",
        publisher: str = "",
        note: str = "",
        accessed: date | None = None,
        kind: SourceKind = SourceKind.OTHER,
        stance: Stance = Stance.CONTEXT,
        passage: str = "",
        archived_url: str = "",
        reason: str = "",
    ) -> tuple[Source, ChangeSet]:
        url = validate.source_url(url)
        archived_url = validate.source_url(archived_url, archive=True) if archived_url.strip() else ""
        with self._sessions.begin() as s:
            claim = _get(s, ClaimRow, claim_id)
            self._unlock(s, claim, reason)
            row = SourceRow(
                claim_id=claim_id,
                url=url,
                title=title.strip(),
                publisher=publisher.strip(),
                note=note.strip(),
                accessed=accessed or date.today(),
                kind=SourceKind(kind).value,
                stance=Stance(stance).value,
                passage=passage.strip(),
                archived_url=archived_url,
            )
            s.add(row)
            claim.updated_at = _now()
            claim.accepted = True
            s.flush()
            self._record(s, claim, "source", None, url, entity="source", entity_id=row.id)
            if claim.state == State.NOT_STARTED:
                self._record(s, claim, "state", claim.state, State.IN_PROGRESS.value)
                claim.state = State.IN_PROGRESS.value
            source = _source(row)
            article_id = claim.article_id
        return source, ChangeSet(article_ids=frozenset({article_id}), claim_ids=frozenset({claim_id}))

    def update_source(
        self,
        source_id: int,
        *,
        url: str | None = None,
        title: str | None = None,
        publisher: str | None = None,
        note: str | None = None,
        accessed: date | None = None,
        kind: SourceKind | None = None,
        stance: Stance | None = None,
        passage: str | None = None,
        archived_url: str | None = None,
        reason: str = "",
    ) -> tuple[Source, ChangeSet]:
        if url is not None:
            url = validate.source_url(url)
        if archived_url:
            archived_url = validate.source_url(archived_url, archive=True)
        fields = {
            "url": url, "title": title, "publisher": publisher, "note": note, "accessed": accessed,
            "kind": SourceKind(kind).value if kind else None, "stance": Stance(stance).value if stance else None,
            "passage": passage, "archived_url": archived_url,
        }
        with self._sessions.begin() as s:
            row = _get(s, SourceRow, source_id)
            self._unlock(s, row.claim, reason)
            for field, value in fields.items():
                if value is None:
                    continue
                value = value.strip() if isinstance(value, str) else value
                if getattr(row, field) != value:
                    self._record(s, row.claim, field, getattr(row, field), value, entity="source", entity_id=row.id)
                    setattr(row, field, value)
            row.claim.updated_at = _now()
            source = _source(row)
            article_id = row.claim.article_id
        return source, ChangeSet(article_ids=frozenset({article_id}), claim_ids=frozenset({source.claim_id}))

    def remove_source(self, source_id: int, reason: str = "") -> ChangeSet:
        with self._sessions.begin() as s:
            row = _get(s, SourceRow, source_id)
            self._unlock(s, row.claim, reason)
            claim_id, article_id = row.claim_id, row.claim.article_id
            self._record(s, row.claim, "source", row.url, None, entity="source", entity_id=row.id)
            s.delete(row)
        return ChangeSet(article_ids=frozenset({article_id}), claim_ids=frozenset({claim_id}))


def _get(s: Session, model: type[_Row], key: int) -> _Row:
    row = s.get(model, key)
    if row is None:
        raise NotFound(f"No {model.__tablename__} with id {key}.")
    return row


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


def _insert_segments(s: Session, article_id: int, segments: Sequence[Segment]) -> None:
    if segments:
        s.execute(
            insert(SegmentRow),
            [
                {
                    "article_id": article_id, "start_offset": g.start, "end_offset": g.end, "kind": g.kind.value,
                    "speaker": g.speaker, "author": g.author, "date": g.date, "lang": g.lang,
                }
                for g in segments
            ],
        )


def _segment(row: SegmentRow) -> Segment:
    return Segment(
        row.start_offset, row.end_offset, SegmentKind(row.kind), row.speaker, row.author, row.date, row.lang
    )


def _insert_detected(s: Session, article_id: int, text: str, detected: Sequence[DetectedClaim], now: datetime) -> None:
    # Core insert of a list of dicts: about 10x faster than add_all for thousands of claims.
    if not detected:
        return
    s.execute(
        insert(ClaimRow),
        [
            {
                "article_id": article_id,
                "start_offset": d.start,
                "end_offset": d.end,
                "quote": text[d.start : d.end],
                "context_before": text[max(0, d.start - CONTEXT_CHARS) : d.start],
                "context_after": text[d.end : d.end + CONTEXT_CHARS],
                "kind": Kind(d.kind).value,
                "score": d.score,
                "origin": Origin.DETECTED.value,
                "accepted": False,
                "speaker": d.speaker or "",
                "lang": d.lang,
                "from_comment": d.from_comment,
                "state": State.NOT_STARTED.value,
                "conclusion": "",
                "verdict_by": "",
                "approved_by": "",
                "summary": "",
                "notes": "",
                "created_at": now,
                "updated_at": now,
            }
            for d in detected
        ],
    )


def _yes_no(value: bool) -> str:
    return "yes" if value else "no"


def _source_row(source: Source) -> SourceRow:
    return SourceRow(
        id=source.id, claim_id=source.claim_id, url=source.url, title=source.title,
        publisher=source.publisher, note=source.note, accessed=source.accessed, kind=source.kind.value,
        stance=source.stance.value, passage=source.passage, archived_url=source.archived_url,
    )


def _article(row: ArticleRow) -> Article:
    return Article(
        id=row.id,
        title=row.title,
        text=row.text,
        text_hash=row.text_hash,
        source_url=row.source_url,
        outlet=row.outlet,
        author=row.author,
        published=row.published,
        imported_at=row.imported_at,
    )


def _source_of(r: Any) -> Source:
    return Source(
        r["id"], r["claim_id"], r["url"], r["title"], r["publisher"], r["note"], r["accessed"],
        SourceKind(r["kind"]), Stance(r["stance"]), r["passage"], r["archived_url"],
    )


def _claim_of(r: Any, sources: tuple[Source, ...], ratings: dict[int, Rating]) -> Claim:
    """A claim from a row of the claim table (a Core mapping or an ORM row: same names)."""
    return Claim(
        id=r["id"], article_id=r["article_id"], start=r["start_offset"], end=r["end_offset"], quote=r["quote"],
        kind=Kind(r["kind"]), state=State(r["state"]),
        verdict=ratings[r["verdict_id"]] if r["verdict_id"] is not None else None, conclusion=r["conclusion"],
        verdict_by=r["verdict_by"], approved_by=r["approved_by"], approved_at=r["approved_at"],
        score=r["score"], origin=Origin(r["origin"]),
        context_before=r["context_before"], context_after=r["context_after"], speaker=r["speaker"],
        lang=r["lang"], from_comment=r["from_comment"], accepted=r["accepted"], summary=r["summary"],
        notes=r["notes"], created_at=r["created_at"], updated_at=r["updated_at"], sources=sources,
    )


def _source(row: SourceRow) -> Source:
    return Source(
        row.id, row.claim_id, row.url, row.title, row.publisher, row.note, row.accessed,
        SourceKind(row.kind), Stance(row.stance), row.passage, row.archived_url,
    )


def _claim(row: ClaimRow, ratings: dict[int, Rating]) -> Claim:
    return _claim_of(_RowMapping(row), tuple(_source(src) for src in row.sources), ratings)


class _RowMapping:
    """Lets an ORM row be read like a Core mapping (the attribute names are the column names),
    so one function builds every Claim."""

    def __init__(self, row: ClaimRow) -> None:
        self._row = row

    def __getitem__(self, column: str) -> Any:
        return getattr(self._row, column)
