"""Claims and their workflow: read, mark, edit (verdict, text, state), approve and reopen,
accept and reject suggestions, delete and restore."""

from __future__ import annotations

import sqlite3
from functools import partial

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from app.domain import (
    ChangeSet,
    Claim,
    Kind,
    Origin,
    State,
    approval_problems,
    touched,
    validate,
)
from app.domain.errors import NotFound, ValidationError
from app.services import claim_edit
from app.services.claim_edit import changed_claim
from app.services.context import Context, now, yes_no
from app.services.settings import Settings
from app.storage import mapping
from app.storage.models import ArticleRow, ClaimRow, RejectedSuggestionRow, SourceLinkRow, SourceRow
from app.storage.sqlite_reads import TEXT_ORDER, article_claims

_CLAIM_T = ClaimRow.__table__
# An article's claims in the index's order (article, start); the end breaks ties in Python (TEXT_ORDER).
_CLAIMS = select(_CLAIM_T).order_by(_CLAIM_T.c.article_id, _CLAIM_T.c.start_offset)


class Claims:
    def __init__(self, ctx: Context, settings: Settings) -> None:
        self._ctx = ctx
        self._settings = settings  # the workspace's scale, which approval checks
        # The edit made most (a verdict, a state, a note): without SQLAlchemy, so that the first
        # screen makes it too (app.services.claim_edit).
        self.update_claim = partial(claim_edit.update_claim, ctx)

    def claims(self, article_id: int) -> list[Claim]:
        """The article's claims in text order, in two queries (their sources, the claims). On SQLite
        as the first screen reads them (app.storage.sqlite_reads.article_claims: the driver's own
        rows), on PostgreSQL with Core; not with the ORM, which took five times as long for 5,000
        claims, and no ORM object escapes the session anyway."""
        with self._ctx.read() as s:
            # Only whether it exists: loading the article's row read its whole text (1 MB) again.
            if s.scalar(select(ArticleRow.id).where(ArticleRow.id == article_id)) is None:
                raise NotFound(f"No article with id {article_id}.")
            return self._read(s, article_id)

    def _read(self, s: Session, article_id: int) -> list[Claim]:
        ratings = self._ctx.ratings()
        if not self._ctx.db.postgresql:  # the first screen's read, in this session's transaction
            raw = s.connection().connection.driver_connection
            assert isinstance(raw, sqlite3.Connection)
            return article_claims(raw, article_id, ratings)
        claim_t, source_t, link_t = ClaimRow.__table__, SourceRow.__table__, SourceLinkRow.__table__
        query = (
            select(source_t, *mapping.link_columns())
            .join(claim_t, claim_t.c.id == source_t.c.claim_id)
            .outerjoin(link_t, link_t.c.source_id == source_t.c.id)
            .order_by(source_t.c.id)
        )
        found = s.execute(query.where(claim_t.c.article_id == article_id))
        sources = mapping.sources_by_claim(list(found.keys()), found.all())
        result = s.execute(_CLAIMS.where(claim_t.c.article_id == article_id))
        made = mapping.claims_of(list(result.keys()), result.all(), sources, ratings)
        made.sort(key=TEXT_ORDER)
        return made

    def claim(self, claim_id: int) -> Claim:
        with self._ctx.read() as s:
            return self._ctx.claim(mapping.get(s, ClaimRow, claim_id))

    def mark_claim(self, article_id: int, start: int, end: int, kind: Kind = Kind.OTHER) -> tuple[Claim, ChangeSet]:
        """The fact-checker's own claim over a selection of the article's text."""
        stamp = now()
        with self._ctx.write() as s:
            article = mapping.get(s, ArticleRow, article_id)
            start, end = validate.span(article.text, start, end)
            before, after = mapping.context_of(article.text, start, end)
            row = ClaimRow(
                article_id=article_id, start_offset=start, end_offset=end, quote=article.text[start:end],
                context_before=before, context_after=after, kind=kind.value, origin=Origin.MANUAL.value,
                accepted=True, created_at=stamp, updated_at=stamp, number=mapping.next_numbers(s, article_id, 1),
            )
            s.add(row)
            s.flush()
            self._ctx.fresh(s, row)
            self._ctx.record(s, row, "created", None, row.quote)
            claim = self._ctx.claim(row)
        return claim, ChangeSet(article_ids=frozenset({article_id}), claims_added=frozenset({claim.id}))

    def claim_by_number(self, article_id: int, number: int) -> Claim:
        """Claim `number` of an article ("3#5"): its public number, as the window and reports show."""
        with self._ctx.read() as s:
            mapping.get(s, ArticleRow, article_id)
            row = s.scalars(
                select(ClaimRow).where(ClaimRow.article_id == article_id, ClaimRow.number == number)
            ).one_or_none()
            if row is None:
                raise NotFound(f"Article {article_id} has no claim #{number}.")
            return self._ctx.claim(row)

    def approve(self, claim_id: int, expected_version: int | None = None) -> tuple[Claim, ChangeSet]:
        """Sign off a verdict: refused, with every reason, unless a second person approves a
        final verdict on the workspace's scale that rests on a primary source or two publishers.
        With `expected_version`, any change by someone else since is a Conflict: a reviewer
        signs off what they saw."""
        scale = self._settings.scale()
        with self._ctx.write() as s:
            row = mapping.get(s, ClaimRow, claim_id)
            self._ctx.check_claim(s, row, expected_version, None)
            problems = approval_problems(self._ctx.claim(row), scale, self._ctx.actor)
            if problems:
                raise ValidationError(f"Claim {_name(row)} cannot be approved: " + "; ".join(problems) + ".")
            self._ctx.record(s, row, "state", row.state, State.APPROVED.value)
            row.state = State.APPROVED.value
            row.approved_by = self._ctx.actor
            row.approved_at = row.updated_at = now()
            row.accepted = True
            claim = self._ctx.claim(row)
        return claim, changed_claim(claim_id, claim.article_id)

    def reopen(self, claim_id: int, reason: str) -> tuple[Claim, ChangeSet]:
        """Take an approved claim back to review, saying why; the reason is in its history."""
        with self._ctx.write() as s:
            row = mapping.get(s, ClaimRow, claim_id)
            if row.state != State.APPROVED:
                raise ValidationError(f"Claim {_name(row)} is not approved, so there is nothing to reopen.")
            self._ctx.unlock(s, row, reason)
            claim = self._ctx.claim(row)
        return claim, changed_claim(claim_id, claim.article_id)

    def accept(self, claim_id: int) -> tuple[Claim, ChangeSet]:
        """Take a detector suggestion as a claim to check."""
        with self._ctx.write() as s:
            row = mapping.get(s, ClaimRow, claim_id)
            if not row.accepted:
                self._ctx.record(s, row, "accepted", yes_no(False), yes_no(True))
                row.accepted = True
                row.updated_at = now()
            claim = self._ctx.claim(row)
        return claim, changed_claim(claim_id, claim.article_id)

    def reject(self, claim_id: int, expected_version: int | None = None) -> ChangeSet:
        """Drop a suggestion and remember it, so re-running detection does not propose it again."""
        with self._ctx.write() as s:
            row = mapping.get(s, ClaimRow, claim_id)
            self._ctx.check_claim(s, row, expected_version, None)
            if touched(self._ctx.claim(row)):
                raise ValidationError("Only an untouched suggestion can be rejected; delete the claim instead.")
            self._ctx.record(s, row, "rejected", row.quote, None)
            s.add(RejectedSuggestionRow(
                article_id=row.article_id, start_offset=row.start_offset, end_offset=row.end_offset, quote=row.quote
            ))
            article_id = row.article_id
            s.delete(row)
        return ChangeSet(article_ids=frozenset({article_id}), claims_removed=frozenset({claim_id}))

    def restore_claim(self, claim: Claim) -> tuple[Claim, ChangeSet]:
        """Put back a deleted or rejected claim with its id and sources (undo needs the same ids)."""
        with self._ctx.write() as s:
            mapping.get(s, ArticleRow, claim.article_id)
            if s.get(ClaimRow, claim.id) is not None:
                raise ValidationError("That claim is already there.")
            row = mapping.claim_row(claim, now())
            if not row.number:  # a claim from before public numbers: it gets the next one
                row.number = mapping.next_numbers(s, claim.article_id, 1)
            s.add(row)
            s.flush()
            for source in claim.sources:
                s.add(mapping.source_row(source))
            # Undoing a rejection: the detector may propose it again later.
            s.execute(
                delete(RejectedSuggestionRow).where(
                    RejectedSuggestionRow.article_id == claim.article_id,
                    RejectedSuggestionRow.start_offset == claim.start,
                    RejectedSuggestionRow.end_offset == claim.end,
                )
            )
            self._ctx.record(s, row, "restored", None, row.quote)
            s.flush()
            s.refresh(row)
            restored = self._ctx.claim(row)
        return restored, ChangeSet(
            article_ids=frozenset({claim.article_id}), claims_added=frozenset({claim.id}),
            sources_added=frozenset(src.id for src in claim.sources),
        )

    def delete_claim(self, claim_id: int, expected_version: int | None = None) -> ChangeSet:
        """Delete a claim and its sources (its history stays). With `expected_version`, a change
        by someone else since is a Conflict rather than deleted unseen."""
        with self._ctx.write() as s:
            row = mapping.get(s, ClaimRow, claim_id)
            self._ctx.check_claim(s, row, expected_version, None)
            self._ctx.unlock(s, row, "")
            article_id = row.article_id
            sources = frozenset(src.id for src in row.sources)
            self._ctx.record(s, row, "deleted", row.quote, None)
            s.delete(row)
        return ChangeSet(article_ids=frozenset({article_id}), claims_removed=frozenset({claim_id}),
                         sources_removed=sources)


def _name(row: ClaimRow) -> str:
    """A claim as messages name it: its public number ("#5"), or its id before it had one."""
    return f"#{row.number}" if row.number else str(row.id)
