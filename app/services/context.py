"""What every use case shares: the database, who is acting, the rating labels, the history
log and the version checks that refuse a write based on a stale read."""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager
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
)
from app.domain.segments import Segment
from app.services.claim_edit import Bookkeeping, text_of
from app.services.claim_edit import now as now
from app.services.claim_edit import yes_no as yes_no
from app.storage import mapping
from app.storage.database import Database
from app.storage.draft import ClaimDraft, RawWrite, raw_write
from app.storage.models import ArticleRow, ClaimRow, HistoryRow, RatingLabelRow, RatingScaleRow, SourceRow

Detector = Callable[[str], Sequence[DetectedClaim]]


class Context(Bookkeeping):
    """Shared by the use-case modules of one Workbench (one per process and actor): its database,
    and the bookkeeping of every write (app.services.claim_edit)."""

    def __init__(self, sessions: sessionmaker[Session], detector: Detector | None, actor: str) -> None:
        super().__init__("")
        self.db = Database(sessions)
        self.detector = detector  # None: the rule-based detector, imported on first use
        self.actor = actor
        self._scales: dict[str, RatingScale] | None = None
        self._ratings: dict[int, Rating] = {}
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
        """One write transaction; see Database.write. Remembers what it did as this process's
        own, before the commit shows it to anyone (in team mode the live poll runs on its own
        thread, app.ui.live, and must never take this window's change for someone else's): the
        history rows it added, and what a service put in `s.info` ("articles": ids it added,
        "settings": key -> value it wrote). Forgotten again if the transaction fails: those ids
        may be given again."""
        written: list[int] = []
        articles: list[int] = []
        settings: dict[str, str] = {}
        before: dict[str, str | None] = {}
        try:
            with self.db.write(as_login=self.actor) as s:
                s.info.update(history=[], bumped=set(), articles=articles, settings=settings)
                yield s
                s.flush()
                written = [row if isinstance(row, int) else row.id for row in s.info["history"]]
                before = {key: self.own_settings.get(key) for key in settings}
                self.own_history.update(written)
                self.own_articles.update(articles)
                self.own_settings.update(settings)
        except BaseException:
            self.own_history.difference_update(written)
            self.own_articles.difference_update(articles)
            for key, value in before.items():
                if value is None:
                    self.own_settings.pop(key, None)
                else:
                    self.own_settings[key] = value
            raise

    @contextmanager
    def write_claim(self) -> Iterator[Session | RawWrite]:
        """The write transaction for a ClaimDraft: on SQLite a RawWrite on this thread's plain
        connection (the statements an edit needs and no more); on PostgreSQL write()."""
        if self.db.postgresql:
            with self.write() as session:
                yield session
            return
        with self.read_raw() as connection, raw_write(connection) as s:
            yield s
        self.own_history.update(s.info["history"])

    def detect(self, text: str, segments: Sequence[Segment]) -> Sequence[DetectedClaim]:
        if self.detector is None:  # the rule-based detector reuses the structure found on import
            from app.detection import detect_claims  # its patterns cost start-up time; most starts never detect

            return detect_claims(text, segments=segments)
        return self.detector(text)

    # -- versions and history --------------------------------------------------------------

    def fresh(self, s: Session, row: ArticleRow | ClaimRow | SourceRow) -> None:
        """A row this transaction created: it keeps version 1."""
        s.info["bumped"].add((row.__tablename__, row.id))

    def add_history_row(self, s: Session, values: dict[str, Any]) -> None:
        row = HistoryRow(**values)
        s.add(row)
        s.info["history"].append(row)

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
            theirs = text_of(getattr(row, field))
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
            FieldConflict(field, text_of(getattr(row, field)), yours)
            for field, yours in writing.items() if text_of(getattr(row, field)) != yours
        )
        if clashes:
            raise Conflict("article", row.id, expected, row.version, clashes, mapping.article(row))

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

    def claim(self, row: ClaimRow | ClaimDraft) -> Claim:
        if isinstance(row, ClaimDraft):
            return row.claim(self.ratings())
        return mapping.claim(row, self.ratings())

