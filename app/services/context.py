"""What every use case shares: the database, who is acting, the rating labels, the history
log and the version checks that refuse a write based on a stale read."""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from app.domain import (
    Claim,
    Conflict,
    DetectedClaim,
    FieldConflict,
    Rating,
    RatingScale,
    State,
)
from app.domain.errors import ValidationError
from app.domain.segments import Segment
from app.storage import mapping
from app.storage.database import Database
from app.storage.draft import ClaimDraft, HistoryLine, RawWrite, history_since
from app.storage.errors import NotFound
from app.storage.models import ArticleRow, ClaimRow, HistoryRow, RatingLabelRow, RatingScaleRow, SourceRow

Detector = Callable[[str], Sequence[DetectedClaim]]

# Fields that are one thing to a person: a label and a written conclusion are both "the verdict".
_FIELD_GROUP = {"conclusion": "verdict"}


def now() -> datetime:
    return datetime.now().replace(microsecond=0)


def yes_no(value: bool) -> str:
    return "yes" if value else "no"


class Context:
    """Shared by the use-case modules of one Workbench (one per process and actor)."""

    def __init__(self, sessions: sessionmaker[Session], detector: Detector | None, actor: str) -> None:
        self.db = Database(sessions)
        self.detector = detector  # None: the rule-based detector, imported on first use
        self.actor = actor
        self._scales: dict[str, RatingScale] | None = None
        self._ratings: dict[int, Rating] = {}
        # What this process wrote itself: a conflict is someone else's change, and the status
        # bar reports only other people's changes.
        self.own_history: set[int] = set()
        self.own_settings: dict[str, str] = {}
        self.own_articles: set[int] = set()

    @property
    def actor(self) -> str:
        return self._actor

    @actor.setter
    def actor(self, name: str) -> None:
        """Team mode: the server signs every change with the login, whatever a client says, so
        a name typed (the window's reviewer box, --as) that is not the login does not count:
        the actor is the login. Only a superuser's connection may write as another login."""
        self._actor = name if name and self.db.may_act_as(name) else (self.db.login() or name)

    # -- transactions ------------------------------------------------------------------

    def read(self) -> Any:
        return self.db.read()

    def read_raw(self) -> Any:
        """SQLite: this thread's plain sqlite3 connection, for the hot reads (search, the article
        list, the overview, settings) and the verdict edit; see Database.read_raw."""
        return self.db.read_raw()

    def close(self) -> None:
        self.db.close()

    @contextmanager
    def write(self) -> Iterator[Session]:
        """One write transaction; see Database.write. Remembers the history rows it added."""
        with self.db.write(as_login=self.actor) as s:
            s.info["history"] = []
            s.info["bumped"] = set()
            yield s
            s.flush()
            written = [row if isinstance(row, int) else row.id for row in s.info["history"]]
        self.own_history.update(written)

    @contextmanager
    def write_claim(self) -> Iterator[Session | RawWrite]:
        """The write transaction for a ClaimDraft: on SQLite a RawWrite on this thread's plain
        connection (the statements an edit needs and no more); on PostgreSQL write()."""
        if self.db.postgresql:
            with self.write() as session:
                yield session
            return
        with self.read_raw() as connection:
            s = RawWrite(connection)
            s.info["history"] = []
            s.info["bumped"] = set()
            try:
                yield s
                s.commit()
            except BaseException:
                s.rollback()
                raise
        self.own_history.update(s.info["history"])

    def detect(self, text: str, segments: Sequence[Segment]) -> Sequence[DetectedClaim]:
        if self.detector is None:  # the rule-based detector reuses the structure found on import
            from app.detection import detect_claims  # its patterns cost start-up time; most starts never detect

            return detect_claims(text, segments=segments)
        return self.detector(text)

    # -- versions and history --------------------------------------------------------------

    def bump(self, s: Session | RawWrite, row: ArticleRow | ClaimRow | ClaimDraft | SourceRow) -> None:
        """A new version for a row this transaction changes, once per transaction."""
        key = (row.__tablename__, row.id)
        if key not in s.info["bumped"]:
            s.info["bumped"].add(key)
            row.version += 1

    def fresh(self, s: Session, row: ArticleRow | ClaimRow | SourceRow) -> None:
        """A row this transaction created: it keeps version 1."""
        s.info["bumped"].add((row.__tablename__, row.id))

    def record(
        self, s: Session | RawWrite, claim: ClaimRow | ClaimDraft, field: str, old: object, new: object, *,
        source: SourceRow | None = None,
    ) -> None:
        """Log one change in the caller's transaction, so the change and its record land together.
        Every change to a claim or its sources passes here, and so bumps the claim's version."""
        self.bump(s, claim)
        if source is not None and source.id is not None:
            self.bump(s, source)
        values = dict(
            article_id=claim.article_id, claim_id=claim.id,
            entity="claim" if source is None else "source", entity_id=claim.id if source is None else source.id,
            field=field, old_value=None if old is None else str(old), new_value=None if new is None else str(new),
            actor=self.actor or "unknown", at=now(), version=claim.version,
        )
        if isinstance(claim, ClaimDraft):  # written by the draft's save(), with its UPDATE
            claim.history.append(values)
            return
        assert isinstance(s, Session), "a RawWrite writes only a ClaimDraft"
        row = HistoryRow(**values)
        s.add(row)
        s.info["history"].append(row)

    def check_claim(
        self, s: Session | RawWrite, row: ClaimRow | ClaimDraft, expected: int | None, writing: Mapping[str, str] | None,
    ) -> None:
        """Refuse a write based on version `expected` if someone else has since changed a field
        it writes (`writing`: field -> your value, as shown). `writing=None`: any change by someone
        else conflicts (approval signs off what the reviewer saw). Changes to other fields merge."""
        if expected is None or row.version == expected:
            return
        since = history_since(s, row.id, expected)
        changed: dict[str, HistoryRow | HistoryLine] = {}
        for h in since:
            if h.id not in self.own_history:
                changed["sources" if h.entity == "source" else _FIELD_GROUP.get(h.field, h.field)] = h
        current = self.claim(row)
        clashes = []
        for field, h in changed.items():
            if writing is not None and field not in writing:
                continue
            theirs = _shown(current, field)
            yours = "" if writing is None else writing[field]
            if writing is not None and theirs == yours:
                continue  # both sides want the same: nothing is lost
            clashes.append(FieldConflict(field, theirs, yours, h.actor, h.at))
        if clashes:
            raise Conflict("claim", row.id, expected, row.version, tuple(clashes), current)

    def check_source(self, s: Session, row: SourceRow, expected: int | None, writing: Mapping[str, str] | None) -> None:
        """As check_claim, for a source: `writing=None` is a removal, refused if someone else
        edited the source. The history keeps claim versions, so who changed a field is the last
        other person who did."""
        if expected is None or row.version == expected:
            return
        last: dict[str, HistoryRow] = {}
        for h in s.scalars(
            select(HistoryRow).where(HistoryRow.entity == "source", HistoryRow.entity_id == row.id).order_by(HistoryRow.id)
        ):
            if h.id not in self.own_history and h.field != "source":
                last[h.field] = h
        fields: dict[str, HistoryRow | None] = dict(last) if writing is None else {f: last.get(f) for f in writing}
        clashes = []
        for field, last_change in fields.items():
            theirs = _text(getattr(row, field))
            yours = "" if writing is None else writing[field]
            if writing is None or theirs != yours:
                by, at = (last_change.actor, last_change.at) if last_change else ("", None)
                clashes.append(FieldConflict(field, theirs, yours, by, at))
        if clashes:
            raise Conflict("source", row.id, expected, row.version, tuple(clashes), mapping.source(row))

    def check_article(self, row: ArticleRow, expected: int | None, writing: Mapping[str, str]) -> None:
        """As check_claim, for an article's details (they have no history: who is not known)."""
        if expected is None or row.version == expected:
            return
        clashes = tuple(
            FieldConflict(field, _text(getattr(row, field)), yours)
            for field, yours in writing.items() if _text(getattr(row, field)) != yours
        )
        if clashes:
            raise Conflict("article", row.id, expected, row.version, clashes, mapping.article(row))

    # -- workflow lock -----------------------------------------------------------------

    def unlock(self, s: Session | RawWrite, row: ClaimRow | ClaimDraft, reason: str) -> None:
        """An approved claim changes only with a reason: it goes back to review, and the log says why."""
        if row.state != State.APPROVED:
            return
        if not reason.strip():
            raise ValidationError(
                f"Claim {f'#{row.number}' if row.number else row.id} is approved by {row.approved_by or 'a reviewer'},"
                " so it is locked;"
                " give a reason to reopen it."
            )
        self.record(s, row, "reopened", None, reason.strip())
        self.record(s, row, "state", row.state, State.IN_REVIEW.value)
        row.state = State.IN_REVIEW.value
        row.approved_by = ""
        row.approved_at = None
        row.updated_at = now()

    # -- rating labels (read once: they change only with a migration) ----------------------------

    def scales(self) -> dict[str, RatingScale]:
        if self._scales is None:
            with self.read() as s:
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
        return self._scales

    def ratings(self) -> dict[int, Rating]:
        self.scales()
        return self._ratings

    def rating(self, rating_id: int) -> Rating:
        ratings = self.ratings()
        if rating_id not in ratings:
            raise NotFound(f"No rating label with id {rating_id}.")
        return ratings[rating_id]

    def rating_name(self, rating_id: int | None) -> str | None:
        return None if rating_id is None else self.rating(rating_id).name

    def claim(self, row: ClaimRow | ClaimDraft) -> Claim:
        if isinstance(row, ClaimDraft):
            return row.claim(self.ratings())
        return mapping.claim(row, self.ratings())


def _text(value: object) -> str:
    if value is None:
        return ""
    return str(getattr(value, "value", value))


def _shown(claim: Claim, field: str) -> str:
    """A claim's field as a person reads it, to set theirs against yours."""
    if field == "verdict":
        return claim.verdict_name
    if field == "sources":
        return f"{len(claim.sources)} source(s)"
    if field in ("created", "deleted", "rejected", "restored", "reopened"):
        return field
    return _text(getattr(claim, field, ""))
