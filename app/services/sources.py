"""A claim's sources: add, edit, remove, and put back (undo)."""

from __future__ import annotations

from datetime import date

from app.domain import ChangeSet, Source, SourceKind, Stance, State, validate
from app.domain.errors import ValidationError
from app.services.context import Context, now
from app.services.links import SNAPSHOT, Links
from app.storage import mapping
from app.storage.models import ClaimRow, SourceRow


class Sources:
    def __init__(self, ctx: Context) -> None:
        self._ctx = ctx

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
        """Attach a source (adding never loses anyone's change, so it takes no version)."""
        url = validate.source_url(url)
        archived_url = validate.source_url(archived_url, archive=True) if archived_url.strip() else ""
        with self._ctx.write() as s:
            claim = mapping.get(s, ClaimRow, claim_id)
            self._ctx.unlock(s, claim, reason)
            row = SourceRow(
                claim_id=claim_id, url=url, title=title.strip(), publisher=publisher.strip(), note=note.strip(),
                accessed=accessed or date.today(), kind=SourceKind(kind).value, stance=Stance(stance).value,
                passage=passage.strip(), archived_url=archived_url,
            )
            s.add(row)
            claim.updated_at = now()
            claim.accepted = True
            s.flush()
            self._ctx.fresh(s, row)
            self._ctx.record(s, claim, "source", None, url, source=row)
            if claim.state == State.NOT_STARTED:
                self._ctx.record(s, claim, "state", claim.state, State.IN_PROGRESS.value)
                claim.state = State.IN_PROGRESS.value
            Links.enqueue(s, SNAPSHOT, row.id)  # a snapshot of the page, fetched in the background
            source = mapping.source(row)
            article_id = claim.article_id
        return source, ChangeSet(article_ids=frozenset({article_id}), claim_ids=frozenset({claim_id}),
                                 sources_added=frozenset({source.id}))

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
        expected_version: int | None = None,
    ) -> tuple[Source, ChangeSet]:
        """Edit a source's fields. `expected_version`: the `Source.version` read; a field someone
        else changed since to another value than yours is a Conflict, and nothing is written."""
        if url is not None:
            url = validate.source_url(url)
        if archived_url:
            archived_url = validate.source_url(archived_url, archive=True)
        fields = {
            "url": url, "title": title, "publisher": publisher, "note": note, "accessed": accessed,
            "kind": SourceKind(kind).value if kind else None, "stance": Stance(stance).value if stance else None,
            "passage": passage, "archived_url": archived_url,
        }
        values = {f: v.strip() if isinstance(v, str) else v for f, v in fields.items() if v is not None}
        with self._ctx.write() as s:
            row = mapping.get(s, SourceRow, source_id)
            self._ctx.check_source(s, row, expected_version, {f: str(v) for f, v in values.items()})
            self._ctx.unlock(s, row.claim, reason)
            old_url = row.url
            changed = False
            for field, value in values.items():
                if getattr(row, field) != value:
                    self._ctx.record(s, row.claim, field, getattr(row, field), value, source=row)
                    setattr(row, field, value)
                    changed = True
            if changed:
                row.claim.updated_at = now()
            if row.url != old_url:
                Links.enqueue(s, SNAPSHOT, row.id)  # a new link: its own snapshot, check and archive copy
                if row.link is not None:
                    s.delete(row.link)
                    row.link = None
            source = mapping.source(row)
            article_id = row.claim.article_id
        return source, ChangeSet(
            article_ids=frozenset({article_id}), claim_ids=frozenset({source.claim_id}),
            sources_updated=frozenset({source_id}) if changed else frozenset(),
        )

    def remove_source(self, source_id: int, reason: str = "", expected_version: int | None = None) -> ChangeSet:
        """Remove a source; with `expected_version`, one someone else edited since is a Conflict."""
        with self._ctx.write() as s:
            row = mapping.get(s, SourceRow, source_id)
            self._ctx.check_source(s, row, expected_version, None)
            self._ctx.unlock(s, row.claim, reason)
            claim_id, article_id = row.claim_id, row.claim.article_id
            self._ctx.record(s, row.claim, "source", row.url, None, source=row)
            s.delete(row)
        return ChangeSet(article_ids=frozenset({article_id}), claim_ids=frozenset({claim_id}),
                         sources_removed=frozenset({source_id}))

    def restore_source(self, source: Source) -> tuple[Source, ChangeSet]:
        """Put back a removed source with its id (for undo)."""
        with self._ctx.write() as s:
            claim = mapping.get(s, ClaimRow, source.claim_id)
            self._ctx.unlock(s, claim, "")
            if s.get(SourceRow, source.id) is not None:
                raise ValidationError("That source is already there.")
            row = mapping.source_row(source)
            s.add(row)
            s.flush()
            self._ctx.fresh(s, row)
            Links.restore_link(s, row, source.health)  # what was known of its link comes back too
            claim.updated_at = now()
            self._ctx.record(s, claim, "source", None, source.url, source=row)
            restored = mapping.source(row)
            article_id = claim.article_id
        return restored, ChangeSet(article_ids=frozenset({article_id}), claim_ids=frozenset({source.claim_id}),
                                   sources_added=frozenset({source.id}))
