"""Revisions of an article: import a new version, carry its claims over, and settle the claims
whose text changed (take the new wording, or mark the claim "not in this revision")."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

from sqlalchemy import delete, func, select
from sqlalchemy.orm import Session

from app import ingest
from app.domain import ChangeSet, Claim, State, touched
from app.domain.errors import ValidationError
from app.domain.revisions import Anchor, CarryOver, Revision
from app.services.articles import fit_to_structure
from app.services.context import Context, now
from app.storage import mapping
from app.storage.errors import NotFound
from app.storage.models import ArticleRevisionRow, ArticleRow, ClaimRow, RejectedSuggestionRow, SegmentRow

if TYPE_CHECKING:  # the anchoring (and diff-match-patch) loads with the first revision, not at start
    from app.revisions.anchor import Carrier, Placement


class Revisions:
    def __init__(self, ctx: Context) -> None:
        self._ctx = ctx

    # -- reading ------------------------------------------------------------------------------

    def revisions(self, article_id: int) -> list[Revision]:
        """Every revision of the article, oldest first; the last is the current text. An article
        from before revisions existed has its text as revision 1."""
        with self._ctx.read() as s:
            article = mapping.get(s, ArticleRow, article_id)
            rows = s.scalars(
                select(ArticleRevisionRow).where(ArticleRevisionRow.article_id == article_id)
                .order_by(ArticleRevisionRow.number)
            ).all()
            if not rows:
                return [Revision(article_id, 1, article.text, article.imported_at, article.source_url, article.title)]
            return [_revision(r) for r in rows]

    def numbers(self, article_id: int) -> list[tuple[int, datetime | None]]:
        """Each revision's number and when it was imported, oldest first, without the texts: the
        window's picker reads these at every open, and a text only when one is shown (reading
        them all kept a copy of every revision of the open article in memory)."""
        with self._ctx.read() as s:
            rows = s.execute(
                select(ArticleRevisionRow.number, ArticleRevisionRow.imported_at)
                .where(ArticleRevisionRow.article_id == article_id).order_by(ArticleRevisionRow.number)
            ).tuples().all()
            if rows:
                return list(rows)
            imported = s.execute(select(ArticleRow.imported_at).where(ArticleRow.id == article_id)).first()
            if imported is None:
                raise NotFound(f"No {ArticleRow.__tablename__} with id {article_id}.")
            return [(1, imported[0])]

    def revision(self, article_id: int, number: int) -> Revision:
        found = next((r for r in self.revisions(article_id) if r.number == number), None)
        if found is None:
            raise ValidationError(f"Article {article_id} has no revision {number}.")
        return found

    def article_by_url(self, url: str) -> int | None:
        """The article imported from this link (the newest, if several were): a new text from
        the same link is its next revision."""
        url = url.strip()
        if not url:
            return None
        with self._ctx.read() as s:
            found: int | None = s.scalars(
                select(ArticleRow.id).where(ArticleRow.source_url == url).order_by(ArticleRow.id.desc())
            ).first()
            return found

    # -- a new revision ---------------------------------------------------------------------------

    def import_revision(self, article_id: int, imported: ingest.ImportedText) -> tuple[CarryOver, ChangeSet]:
        """Store `imported` as the article's next revision and carry every claim over: each ends
        anchored, changed (to confirm) or orphaned. An approved claim whose text changed goes
        back to review. Then detection runs on the new text, around the claims carried over."""
        from app.revisions.anchor import Carrier, Selector

        with self._ctx.read() as s:
            article = mapping.get(s, ArticleRow, article_id)
            old_text = article.text
        if imported.text_hash == ingest.text_hash(old_text):
            raise ValidationError("That text is the article's current revision already: nothing to import.")
        new_text = imported.text
        segments = imported.segments or ingest.analyse(new_text, title=imported.title)
        detected = fit_to_structure(self._ctx.detect(new_text, segments), segments)
        carrier = Carrier(old_text, new_text)
        stamp = now()
        counts = {a: 0 for a in Anchor}
        reopened = dropped = 0
        removed: set[int] = set()
        updated: set[int] = set()
        with self._ctx.write() as s:
            row = mapping.get(s, ArticleRow, article_id)
            if row.text != old_text:
                raise ValidationError("The article changed while its new revision was read; import it again.")
            number = self._ensure_first(s, row) + 1
            s.add(ArticleRevisionRow(
                article_id=article_id, number=number, text=new_text, text_hash=imported.text_hash,
                title=imported.title or row.title, source_url=imported.source_url, imported_at=stamp,
            ))
            row.text, row.text_hash = new_text, imported.text_hash
            if imported.source_url and not row.source_url:
                row.source_url = imported.source_url
            self._ctx.bump(s, row)
            s.execute(delete(SegmentRow).where(SegmentRow.article_id == article_id))
            mapping.insert_segments(s, article_id, segments)
            claims = s.scalars(select(ClaimRow).where(ClaimRow.article_id == article_id)).all()
            placed: list[tuple[int, int]] = []
            for claim_row in claims:
                claim = self._ctx.claim(claim_row)
                if claim.anchor is Anchor.ORPHANED:
                    # Already not in the text: look for it again, from its quote alone.
                    selector = Selector(claim.quote, claim.context_before, claim.context_after, 0, 0)
                else:
                    selector = Selector(claim.quote, claim.context_before, claim.context_after, claim.start, claim.end)
                placement = carrier.place(selector)
                if placement.state is not Anchor.ANCHORED and not touched(claim):
                    dropped += 1  # an untouched suggestion: detection on the new text proposes afresh
                    removed.add(claim_row.id)
                    s.delete(claim_row)
                    continue
                reopened += self._settle(s, claim_row, claim, placement, new_text, number)
                counts[placement.state] += 1
                updated.add(claim_row.id)
                if placement.state is not Anchor.ORPHANED:
                    placed.append((claim_row.start_offset, claim_row.end_offset))
            self._carry_rejections(s, carrier, article_id, new_text)
            added = mapping.insert_suggestions_around(s, article_id, new_text, detected, placed, stamp)
        summary = CarryOver(
            article_id, number, counts[Anchor.ANCHORED], counts[Anchor.CHANGED], counts[Anchor.ORPHANED],
            reopened, dropped, len(added),
        )
        return summary, ChangeSet(
            article_ids=frozenset({article_id}), articles_updated=frozenset({article_id}),
            claim_ids=frozenset(updated), claims_added=frozenset(added), claims_removed=frozenset(removed),
        )

    def _ensure_first(self, s: Session, row: ArticleRow) -> int:
        """The article's latest revision number; an article stored before revisions gets revision 1."""
        latest = s.scalar(select(func.max(ArticleRevisionRow.number)).where(ArticleRevisionRow.article_id == row.id))
        if latest is None:
            s.add(ArticleRevisionRow(
                article_id=row.id, number=1, text=row.text, text_hash=row.text_hash, title=row.title,
                source_url=row.source_url, imported_at=row.imported_at,
            ))
            return 1
        return int(latest)

    def _settle(self, s: Session, row: ClaimRow, claim: Claim, placement: Placement, text: str, number: int) -> int:
        """Write one claim's placement; returns 1 when an approved claim went back to review."""
        state = placement.state
        if state is Anchor.ANCHORED and placement.start is not None and placement.end is not None:
            new_quote = text[placement.start : placement.end]
            if new_quote != row.quote:
                self._ctx.record(s, row, "quote", row.quote, new_quote)
                row.quote = new_quote
            _place(row, text, placement.start, placement.end)
            if claim.anchor is not Anchor.ANCHORED:
                self._ctx.record(s, row, "anchor", claim.anchor.value, f"anchored in revision {number}")
            row.anchor, row.anchor_note, row.suggest_start, row.suggest_end = Anchor.ANCHORED.value, "", None, None
            self._ctx.bump(s, row)
            return 0
        was_approved = row.state == State.APPROVED.value
        if state is Anchor.CHANGED and placement.start is not None and placement.end is not None:
            row.start_offset, row.end_offset = placement.start, placement.end
            row.suggest_start = row.suggest_end = None
            note = f"text changed in revision {number}"
        else:
            row.suggest_start, row.suggest_end = placement.start, placement.end
            # The offsets mean nothing now; kept valid (inside the text) for the table's constraints.
            row.start_offset = min(row.start_offset, max(len(text) - 1, 0))
            row.end_offset = max(row.start_offset + 1, min(row.end_offset, len(text)))
            note = f"not in revision {number}"
        row.anchor, row.anchor_note = state.value, f"{note}: {placement.reason}"
        self._ctx.record(s, row, "anchor", claim.anchor.value, row.anchor_note)
        row.updated_at = now()
        if was_approved:
            self._ctx.unlock(s, row, note)
            return 1
        return 0

    def _carry_rejections(self, s: Session, carrier: Carrier, article_id: int, text: str) -> None:
        """A rejected suggestion stays rejected where its words are unchanged; elsewhere it is forgotten."""
        for r in s.scalars(select(RejectedSuggestionRow).where(RejectedSuggestionRow.article_id == article_id)).all():
            start, end = carrier.map(r.start_offset), carrier.map(r.end_offset)
            if text[start:end] == r.quote:
                r.start_offset, r.end_offset = start, end
            else:
                s.delete(r)

    # -- settling a changed claim -------------------------------------------------------------------

    def confirm_anchor(self, claim_id: int) -> tuple[Claim, ChangeSet]:
        """Take the new wording of a changed claim (or an orphan's suggested place) as its text.
        Its verdict, sources and history stay; the quote's change is in the history."""
        with self._ctx.write() as s:
            row = mapping.get(s, ClaimRow, claim_id)
            article = mapping.get(s, ArticleRow, row.article_id)
            if row.anchor == Anchor.ANCHORED.value:
                raise ValidationError(f"Claim {_name(row)} is anchored already: nothing to confirm.")
            if row.anchor == Anchor.ORPHANED.value:
                if row.suggest_start is None or row.suggest_end is None:
                    raise ValidationError(f"Claim {_name(row)} has no suggested place in this revision;"
                                          " mark it again where it is.")
                row.start_offset, row.end_offset = row.suggest_start, row.suggest_end
            self._ctx.unlock(s, row, "its new wording was taken")
            new_quote = article.text[row.start_offset : row.end_offset]
            if new_quote != row.quote:
                self._ctx.record(s, row, "quote", row.quote, new_quote)
                row.quote = new_quote
            self._ctx.record(s, row, "anchor", row.anchor, Anchor.ANCHORED.value)
            _place(row, article.text, row.start_offset, row.end_offset)
            row.anchor, row.anchor_note, row.suggest_start, row.suggest_end = Anchor.ANCHORED.value, "", None, None
            row.updated_at = now()
            claim = self._ctx.claim(row)
        return claim, ChangeSet(article_ids=frozenset({claim.article_id}), claim_ids=frozenset({claim_id}))

    def orphan_claim(self, claim_id: int) -> tuple[Claim, ChangeSet]:
        """A changed claim is not in this revision after all: keep it with its quote, listed apart;
        the place it was offered stays as a suggestion."""
        with self._ctx.write() as s:
            row = mapping.get(s, ClaimRow, claim_id)
            if row.anchor != Anchor.CHANGED.value:
                raise ValidationError(f"Only a changed claim can be marked as not in this revision; {_name(row)} is"
                                      f" {row.anchor}.")
            row.suggest_start, row.suggest_end = row.start_offset, row.end_offset
            self._ctx.record(s, row, "anchor", row.anchor, Anchor.ORPHANED.value)
            row.anchor = Anchor.ORPHANED.value
            row.anchor_note = "marked as not in this revision"
            row.updated_at = now()
            claim = self._ctx.claim(row)
        return claim, ChangeSet(article_ids=frozenset({claim.article_id}), claim_ids=frozenset({claim_id}))


    def restore_anchor(self, claim: Claim) -> tuple[Claim, ChangeSet]:
        """Put a claim's place back as `claim` had it (undo of taking a new wording or of marking
        it not in this revision): span, quote, context and anchor; the history says so."""
        with self._ctx.write() as s:
            row = mapping.get(s, ClaimRow, claim.id)
            if row.quote != claim.quote:
                self._ctx.record(s, row, "quote", row.quote, claim.quote)
            if row.anchor != claim.anchor.value:
                self._ctx.record(s, row, "anchor", row.anchor, claim.anchor.value)
            row.start_offset, row.end_offset, row.quote = claim.start, claim.end, claim.quote
            row.context_before, row.context_after = claim.context_before, claim.context_after
            row.anchor, row.anchor_note = claim.anchor.value, claim.anchor_note
            row.suggest_start, row.suggest_end = claim.suggest_start, claim.suggest_end
            self._ctx.bump(s, row)
            row.updated_at = now()
            restored = self._ctx.claim(row)
        return restored, ChangeSet(article_ids=frozenset({claim.article_id}), claim_ids=frozenset({claim.id}))


def _place(row: ClaimRow, text: str, start: int, end: int) -> None:
    row.start_offset, row.end_offset = start, end
    row.context_before, row.context_after = mapping.context_of(text, start, end)


def _revision(row: ArticleRevisionRow) -> Revision:
    return Revision(row.article_id, row.number, row.text, row.imported_at, row.source_url, row.title)


def _name(row: ClaimRow) -> str:
    return f"#{row.number}" if row.number else str(row.id)
