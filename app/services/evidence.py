"""Evidence on a claim: compare two passages, check figures against a source, save, remove, put back.

The comparison and the figures are computed here, by app.evidence, so what is stored, shown and
reported is one computation; a figures mismatch is recorded in the history as a hint, never as a verdict.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from typing import TYPE_CHECKING

from sqlalchemy import select

from app.domain import ChangeSet, Claim, Kind, Source, clip
from app.domain.errors import ValidationError
from app.domain.evidence import Evidence, EvidenceKind, Passage
from app.services.context import Context, now
from app.storage import mapping
from app.storage.models import ClaimRow, EvidenceRow

if TYPE_CHECKING:  # app.evidence loads when a passage is first compared (the command line's import never does)
    from app.evidence.numbers import FigureCheck

NUMBER_KINDS = (Kind.QUANTITY, Kind.PERCENTAGE, Kind.DATE, Kind.COMPARISON)
MAX_PASSAGE = 20_000  # characters: an article, not a whole treaty


def figures_against(claim: Claim, source: Source | Passage) -> list[FigureCheck]:
    """The claim's figures against a source's quoted passage (or any passage)."""
    from app.evidence.numbers import check_figures

    text = source.passage if isinstance(source, Source) else source.text
    return check_figures(claim.quote, text) if text.strip() else []


def figures_summary(checks: Sequence[FigureCheck]) -> str:
    if not checks:
        return "No figure of the claim to compare."
    wrong = [c for c in checks if c.mismatch]
    if wrong:
        return "Figures disagree: " + "; ".join(c.line for c in wrong)
    if all(c.consistent for c in checks):
        return "Figures agree: " + "; ".join(c.line for c in checks)
    return "; ".join(c.line for c in checks)


class EvidenceService:
    def __init__(self, ctx: Context) -> None:
        self._ctx = ctx

    def evidence(self, claim_id: int) -> list[Evidence]:
        with self._ctx.read() as s:
            mapping.get(s, ClaimRow, claim_id)
            rows = s.scalars(select(EvidenceRow).where(EvidenceRow.claim_id == claim_id).order_by(EvidenceRow.id))
            return [mapping.evidence(r) for r in rows]

    def article_evidence(self, article_id: int) -> dict[int, list[Evidence]]:
        """Every claim's evidence in one read, for a report."""
        with self._ctx.read() as s:
            rows = s.scalars(
                select(EvidenceRow).join(ClaimRow, ClaimRow.id == EvidenceRow.claim_id)
                .where(ClaimRow.article_id == article_id).order_by(EvidenceRow.id)
            )
            out: dict[int, list[Evidence]] = {}
            for r in rows:
                out.setdefault(r.claim_id, []).append(mapping.evidence(r))
            return out

    def save_comparison(self, claim_id: int, left: Passage, right: Passage, reason: str = "") -> tuple[Evidence, ChangeSet]:
        """Compare left with right (a word-level diff) and keep both passages, their sources and the diff."""
        for passage in (left, right):
            if not passage.text.strip():
                raise ValidationError("Both passages need some text to compare.")
            if len(passage.text) > MAX_PASSAGE:
                raise ValidationError(f"A passage is limited to {MAX_PASSAGE:,} characters: quote the article itself.")
        from app.evidence.compare import compare

        result = compare(left, right)
        item = Evidence(0, claim_id, EvidenceKind.COMPARISON, left, right, result.sentence, result.similarity,
                        result.diff)
        return self._save(item, reason)

    def save_figures(self, claim_id: int, source: Passage, reason: str = "") -> tuple[Evidence, ChangeSet]:
        """Check the claim's figures against a passage and keep the result (a hint, not a verdict)."""
        claim = self._claim(claim_id)
        checks = figures_against(claim, source)
        if not checks:
            raise ValidationError("Neither the claim nor the passage has a figure to compare.")
        item = Evidence(0, claim_id, EvidenceKind.NUMBERS, Passage(claim.quote, "The claim"), source,
                        figures_summary(checks), figures=tuple(c.line for c in checks),
                        mismatch=any(c.mismatch for c in checks))
        return self._save(item, reason)

    def _claim(self, claim_id: int) -> Claim:
        with self._ctx.read() as s:
            return self._ctx.claim(mapping.get(s, ClaimRow, claim_id))

    def _save(self, item: Evidence, reason: str) -> tuple[Evidence, ChangeSet]:
        with self._ctx.write() as s:
            claim = mapping.get(s, ClaimRow, item.claim_id)
            self._ctx.unlock(s, claim, reason)
            row = mapping.evidence_row(replace(item, created_by=item.created_by or self._ctx.actor,
                                                       created_at=item.created_at or now()))
            s.add(row)
            s.flush()
            self._ctx.record(s, claim, "evidence", None, f"{item.kind.label}: {clip(item.summary, 300)}")
            claim.updated_at = now()
            claim.accepted = True
            saved, article_id = mapping.evidence(row), claim.article_id
        return saved, ChangeSet(article_ids=frozenset({article_id}), claim_ids=frozenset({item.claim_id}))

    def restore_evidence(self, item: Evidence) -> tuple[Evidence, ChangeSet]:
        """Put back removed evidence with its id (for undo)."""
        with self._ctx.write() as s:
            if s.get(EvidenceRow, item.id) is not None:
                raise ValidationError("That evidence is already there.")
        return self._save(item, "")

    def remove_evidence(self, evidence_id: int, reason: str = "") -> ChangeSet:
        with self._ctx.write() as s:
            row = s.get(EvidenceRow, evidence_id)
            if row is None:
                from app.storage.errors import NotFound

                raise NotFound(f"No evidence with id {evidence_id}.")
            claim = mapping.get(s, ClaimRow, row.claim_id)
            self._ctx.unlock(s, claim, reason)
            self._ctx.record(s, claim, "evidence", f"{EvidenceKind(row.kind).label}: {clip(row.summary, 300)}", None)
            claim.updated_at = now()
            s.delete(row)
            claim_id, article_id = claim.id, claim.article_id
        return ChangeSet(article_ids=frozenset({article_id}), claim_ids=frozenset({claim_id}))
