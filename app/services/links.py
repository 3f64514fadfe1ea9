"""Sources that last: the job queue (snapshots, link checks, web archive copies) and what they store.

Jobs are rows (table `job`), so closing the window or a crash loses none: the next start picks
them up. A job is leased before it runs (its next try moved past the lease), so two windows on
one database never run the same job at once, and a job whose process died runs again once the
lease is over. The network is used outside any transaction; each result is one write.
"""

from __future__ import annotations

import zlib
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import TYPE_CHECKING

from sqlalchemy import delete, func, select
from sqlalchemy.orm import Session

from app.domain import ChangeSet, State
from app.domain.links import ARCHIVE_KEY, CHANGED_BELOW, CheckResult, LinkState, Snapshot, SourceHealth
from app.ingest.model import IngestError
from app.services.context import Context, now
from app.services.settings import Settings
from app.storage import mapping
from app.storage.errors import NotFound
from app.storage.models import (
    ClaimRow,
    JobRow,
    SnapshotBlobRow,
    SourceLinkRow,
    SourceRow,
    SourceSnapshotRow,
)

if TYPE_CHECKING:  # app.links (the HTTP client, HTML reading) loads when a job first runs, not at start
    from app.links.archive import ArchiveCopy, Endpoints
    from app.links.page import Page

SNAPSHOT, CHECK, ARCHIVE = "snapshot", "check", "archive"
KINDS = (SNAPSHOT, CHECK, ARCHIVE)
ARCHIVE_SAVE_KEY = "archive.save_url"  # endpoints (tests, or a mirror); empty: the environment, then archive.org
ARCHIVE_AVAILABLE_KEY = "archive.available_url"
LEASE = timedelta(minutes=5)
MAX_ATTEMPTS = 12  # with the back-off below, a little over a day of trying (as Meedan Check does)
GONE = (404, 410)

Fetch = Callable[[str], "Page"]
Archive = Callable[[str, "Endpoints"], "ArchiveCopy"]


def fetch_page(url: str) -> Page:
    from app.links.page import fetch_page as fetch

    return fetch(url)


def archive(url: str, endpoints: Endpoints) -> ArchiveCopy:
    from app.links.archive import archive as save

    return save(url, endpoints)


def backoff(attempts: int) -> timedelta:
    """1 min, 2, 4 … up to 6 hours between tries."""
    return min(timedelta(minutes=2 ** max(attempts - 1, 0)), timedelta(hours=6))


@dataclass(frozen=True)
class Job:
    id: int
    kind: str
    target: int
    attempts: int
    next_try: datetime
    last_error: str


class Links:
    def __init__(self, ctx: Context, settings: Settings, fetch: Fetch = fetch_page, archiver: Archive = archive) -> None:
        self._ctx = ctx
        self._setting = settings.setting
        self.fetch = fetch  # replaceable: the tests' pages come from a local server anyway
        self.archiver = archiver

    # -- settings ----------------------------------------------------------------------

    def archiving(self) -> bool:
        """Whether new sources' links are sent to the web archive (off unless the workspace says so)."""
        return self._setting(ARCHIVE_KEY) == "on"

    def endpoints(self) -> Endpoints:
        from app.links.archive import Endpoints

        return Endpoints.from_env(self._setting(ARCHIVE_SAVE_KEY), self._setting(ARCHIVE_AVAILABLE_KEY))

    # -- the queue -----------------------------------------------------------------------

    @staticmethod
    def enqueue(s: Session, kind: str, target: int, at: datetime | None = None) -> None:
        """Add a job in the caller's transaction, unless the same one is already waiting."""
        if s.scalar(select(JobRow.id).where(JobRow.kind == kind, JobRow.target == target)) is None:
            stamp = now()
            s.add(JobRow(kind=kind, target=target, attempts=0, next_try=at or stamp, last_error="", created_at=stamp))

    @staticmethod
    def restore_link(s: Session, source: SourceRow, health: SourceHealth | None) -> None:
        """A source put back (undo of a removal) gets back its link's health, in the caller's
        transaction; its snapshots were never removed."""
        if health is None:
            return
        s.add(SourceLinkRow(
            source_id=source.id, state=health.state.value if health.state else "", detail=health.detail,
            final_url=health.final_url, checked_at=health.checked_at, similarity=health.similarity, live_text="",
            snapshot_at=health.snapshot_at, archive_url=health.archive_url, archived_at=health.archived_at,
        ))

    def jobs(self) -> list[Job]:
        with self._ctx.read() as s:
            return [_job(r) for r in s.scalars(select(JobRow).order_by(JobRow.next_try, JobRow.id))]

    def waiting(self) -> int:
        with self._ctx.read() as s:
            return int(s.scalar(select(func.count()).select_from(JobRow)) or 0)

    def next_due(self) -> datetime | None:
        with self._ctx.read() as s:
            due: datetime | None = s.scalar(select(func.min(JobRow.next_try)))
            return due

    def lease(self, at: datetime | None = None) -> Job | None:
        """The next job that is due, leased to this caller (no one else runs it for LEASE)."""
        at = at or now()
        with self._ctx.write() as s:
            row = s.scalars(
                select(JobRow).where(JobRow.next_try <= at).order_by(JobRow.next_try, JobRow.id).limit(1)
            ).first()
            if row is None:
                return None
            row.attempts += 1
            row.next_try = at + LEASE
            return _job(row)

    def run_next(self, at: datetime | None = None) -> tuple[Job, ChangeSet] | None:
        """Lease and run the next due job; None when nothing is due."""
        job = self.lease(at)
        if job is None:
            return None
        return job, self.run(job)

    def run(self, job: Job) -> ChangeSet:
        """Do a leased job. Done: its row goes. Failed: it waits (back-off) and keeps the error;
        after MAX_ATTEMPTS it goes, and the source's link line says why."""
        try:
            if job.kind == SNAPSHOT:
                return self._snapshot_job(job)
            if job.kind == ARCHIVE:
                return self._archive_job(job)
            if job.kind == CHECK:
                return self.check_source(job.target, job=job)[1]
            self._finish(job)
            return ChangeSet()
        except _Retry as retry:
            return self._failed(job, str(retry))

    def _finish(self, job: Job, s: Session | None = None) -> None:
        if s is None:
            with self._ctx.write() as session:
                session.execute(delete(JobRow).where(JobRow.id == job.id))
        else:
            s.execute(delete(JobRow).where(JobRow.id == job.id))

    def _done(self, s: Session, job: Job | None, source_id: int, url: str) -> SourceRow | None:
        """End `job` (if any) in this transaction; the source, unless it is gone or its link
        changed while the job ran (the answer is then about a link it no longer has)."""
        if job:
            self._finish(job, s)
        source = s.get(SourceRow, source_id)
        return source if source is not None and source.url == url else None

    def _failed(self, job: Job, error: str) -> ChangeSet:
        with self._ctx.write() as s:
            row = s.get(JobRow, job.id)
            if row is None:
                return ChangeSet()
            if row.attempts >= MAX_ATTEMPTS:
                s.delete(row)
                source = s.get(SourceRow, job.target)
                if source is not None:
                    link = _link(s, source)
                    link.detail = f"{_JOB_NAMES[job.kind]} gave up after {row.attempts} tries: {error}"
                    return _changed(source)
                return ChangeSet()
            row.last_error = error
            row.next_try = now() + backoff(row.attempts)
        return ChangeSet()

    # -- snapshots -----------------------------------------------------------------------

    def _snapshot_job(self, job: Job) -> ChangeSet:
        url = self._url_of(job.target)
        if url is None:
            self._finish(job)
            return ChangeSet()
        try:
            page = self.fetch(url)
        except IngestError as exc:
            from app.ingest.web import unreachable

            if unreachable(str(exc)) or "broke off" in str(exc) or "broken answer" in str(exc):
                raise _Retry(_line(exc)) from None
            return self._no_snapshot(job, url, _line(exc))  # too large, a redirect loop…: trying again won't help
        status = page.answer.status
        if not 200 <= status < 300 and status not in GONE:
            raise _Retry(f"the server answered {status} {page.answer.phrase}")
        with self._ctx.write() as s:
            source = self._done(s, job, job.target, url)
            if source is None:
                return ChangeSet()
            link = _link(s, source)
            if status in GONE:
                self._mark(s, source, link, LinkState.GONE, page, f"the server answered {status} {page.answer.phrase}")
                return _changed(source)
            _store(s, source.id, page)
            link.snapshot_at = page.fetched_at
            self._mark(s, source, link, LinkState.REDIRECTED if _moved(url, page) else LinkState.OK, page, "")
            if self._archiving(s) and not link.archive_url:
                self.enqueue(s, ARCHIVE, source.id)
            return _changed(source)

    def _no_snapshot(self, job: Job, url: str, why: str) -> ChangeSet:
        with self._ctx.write() as s:
            source = self._done(s, job, job.target, url)
            if source is None:
                return ChangeSet()
            _link(s, source).detail = f"no snapshot: {why}"
            return _changed(source)

    @staticmethod
    def _archiving(s: Session) -> bool:
        from app.storage.models import SettingRow

        row = s.get(SettingRow, ARCHIVE_KEY)
        return row is not None and row.value == "on"

    def snapshots(self, source_id: int) -> list[Snapshot]:
        """The source's snapshots, newest first (those of the link it has now, then older links')."""
        with self._ctx.read() as s:
            rows = s.execute(
                select(SourceSnapshotRow, SnapshotBlobRow.size)
                .join(SnapshotBlobRow, SnapshotBlobRow.sha256 == SourceSnapshotRow.sha256)
                .where(SourceSnapshotRow.source_id == source_id).order_by(SourceSnapshotRow.id.desc())
            ).all()
            return [_snapshot(r, size) for r, size in rows]

    def snapshot_bytes(self, snapshot_id: int) -> bytes:
        with self._ctx.read() as s:
            row = s.get(SourceSnapshotRow, snapshot_id)
            if row is None:
                raise NotFound(f"No snapshot with id {snapshot_id}.")
            blob = s.get(SnapshotBlobRow, row.sha256)
            assert blob is not None  # a foreign key keeps it
            return zlib.decompress(blob.data)

    def _url_of(self, source_id: int) -> str | None:
        with self._ctx.read() as s:
            row = s.get(SourceRow, source_id)
            return None if row is None else row.url

    # -- web archive copies --------------------------------------------------------------

    def _archive_job(self, job: Job) -> ChangeSet:
        from app.links.archive import ArchiveError

        if not self.archiving():  # switched off since it was queued: nothing is sent
            self._finish(job)
            return ChangeSet()
        url = self._url_of(job.target)
        if url is None:
            self._finish(job)
            return ChangeSet()
        try:
            copy = self.archiver(url, self.endpoints())
        except ArchiveError as exc:
            raise _Retry(str(exc)) from None
        with self._ctx.write() as s:
            source = self._done(s, job, job.target, url)
            if source is None:
                return ChangeSet()
            link = _link(s, source)
            link.archive_url, link.archived_at = copy.url, copy.at
            claim = source.claim
            # The source's own archived-copy field, where nobody filled it in and nobody signed
            # the claim off (an approved claim changes only with a reason).
            if not source.archived_url and claim.state != State.APPROVED:
                self._ctx.record(s, claim, "archived_url", "", copy.url, source=source)
                source.archived_url = copy.url
                claim.updated_at = now()
            return _changed(source, claim)

    def _mark(self, s: Session, source: SourceRow, link: SourceLinkRow, state: LinkState, page: Page | None,
              detail: str) -> None:
        """Record what was learned of the link. A change of state (or a first look that finds it
        broken) goes into the claim's history, as any change to it: other windows, a team's too,
        learn of it by the same door, and the record says when a link went bad."""
        if link.state != state.value and (link.state or state is not LinkState.OK):
            before = LinkState(link.state).label if link.state else None
            self._ctx.record(s, source.claim, "link", before, state.label, source=source)
        _set(link, state, page, detail)

    # -- link checks ---------------------------------------------------------------------

    def queue_checks(self, article_id: int) -> int:
        """Queue a check of every source of the article's claims; how many were queued."""
        with self._ctx.write() as s:
            ids = s.scalars(
                select(SourceRow.id).join(ClaimRow, ClaimRow.id == SourceRow.claim_id)
                .where(ClaimRow.article_id == article_id).order_by(SourceRow.id)
            ).all()
            for source_id in ids:
                self.enqueue(s, CHECK, source_id)
        return len(ids)

    def check_article(self, article_id: int, progress: Callable[[int, int], None] | None = None) -> list[CheckResult]:
        """Check every source of the article now (the command line); each result is stored."""
        from app.storage.models import ArticleRow

        with self._ctx.read() as s:
            mapping.get(s, ArticleRow, article_id)
            ids = s.scalars(
                select(SourceRow.id).join(ClaimRow, ClaimRow.id == SourceRow.claim_id)
                .where(ClaimRow.article_id == article_id).order_by(ClaimRow.number, SourceRow.id)
            ).all()
        results = []
        for i, source_id in enumerate(ids):
            result, _ = self.check_source(source_id)
            if result is not None:
                results.append(result)
            if progress:
                progress(i + 1, len(ids))
        return results

    def check_source(self, source_id: int, job: Job | None = None) -> tuple[CheckResult | None, ChangeSet]:
        """Fetch the source's link and judge it against its latest snapshot of the same link."""
        from app.links.page import similarity

        with self._ctx.read() as s:
            row = s.get(SourceRow, source_id)
            if row is None:
                if job:
                    self._finish(job)
                return None, ChangeSet()
            url, claim_id = row.url, row.claim_id
            last = s.scalars(
                select(SourceSnapshotRow).where(SourceSnapshotRow.source_id == source_id, SourceSnapshotRow.url == url)
                .order_by(SourceSnapshotRow.id.desc()).limit(1)
            ).first()
            before = (last.text, last.sha256) if last else None
        page: Page | None = None
        detail, sim, state = "", None, LinkState.OK
        try:
            page = self.fetch(url)
        except IngestError as exc:
            state, detail = LinkState.UNREACHABLE, _line(exc)
        if page is not None:
            status = page.answer.status
            if status in GONE:
                state, detail = LinkState.GONE, f"the server answered {status} {page.answer.phrase}"
            elif not 200 <= status < 300:
                state, detail = LinkState.UNREACHABLE, f"the server answered {status} {page.answer.phrase}"
            else:
                if before is not None:
                    text, digest = before
                    if text or page.text:
                        sim = similarity(text, page.text)
                        changed = sim < CHANGED_BELOW
                    else:  # no text either time (an image, a PDF without text): the bytes say
                        changed = digest != page.sha256
                    if changed:
                        state = LinkState.CHANGED
                if state is LinkState.OK and _moved(url, page):
                    state, detail = LinkState.REDIRECTED, f"redirects to {page.answer.url}"
        with self._ctx.write() as s:
            source = self._done(s, job, source_id, url)
            if source is None:
                return None, ChangeSet()
            link = _link(s, source)
            self._mark(s, source, link, state, page, detail)
            link.similarity = sim
            link.live_text = page.text if page is not None and state is LinkState.CHANGED else ""
            if page is not None and before is None and state in (LinkState.OK, LinkState.REDIRECTED):
                _store(s, source_id, page)  # the first look at the page is its snapshot
                link.snapshot_at = page.fetched_at
            changes = _changed(source)
        final = page.answer.url if page is not None else ""
        status_code = page.answer.status if page is not None else None
        return CheckResult(source_id, claim_id, url, state, detail, final, status_code, sim), changes

    def live_text(self, source_id: int) -> tuple[str, str]:
        """(the latest snapshot's text, the text read at the check that found the page changed)."""
        with self._ctx.read() as s:
            row = mapping.get(s, SourceRow, source_id)
            last = s.scalars(
                select(SourceSnapshotRow).where(SourceSnapshotRow.source_id == source_id,
                                                SourceSnapshotRow.url == row.url)
                .order_by(SourceSnapshotRow.id.desc()).limit(1)
            ).first()
            return (last.text if last else ""), (row.link.live_text if row.link else "")


class _Retry(Exception):
    """A job that could not be done now (no network, the server erring): try again later."""


_JOB_NAMES = {SNAPSHOT: "The snapshot", CHECK: "The check", ARCHIVE: "The web archive copy"}


def _job(r: JobRow) -> Job:
    return Job(r.id, r.kind, r.target, r.attempts, r.next_try, r.last_error)


def _snapshot(r: SourceSnapshotRow, size: int) -> Snapshot:
    return Snapshot(r.id, r.source_id, r.url, r.final_url, r.http_status, r.content_type, r.fetched_at,
                    r.sha256, size, r.text)


def _line(exc: IngestError) -> str:
    """An IngestError's line without the link it starts with (the list shows the link)."""
    return str(exc).split(": ", 1)[-1].rstrip(".")


def _moved(url: str, page: Page) -> bool:
    """Redirected somewhere else than the same address give or take a trailing slash or http→https."""
    def bare(u: str) -> str:
        return u.split("://", 1)[-1].rstrip("/")

    return bool(page.answer.hops) and bare(page.answer.url) != bare(url)


def _link(s: Session, source: SourceRow) -> SourceLinkRow:
    link = source.link
    if link is None:
        link = SourceLinkRow(source_id=source.id, state="", detail="", final_url="", live_text="", archive_url="")
        s.add(link)
        source.link = link
    return link


def _set(link: SourceLinkRow, state: LinkState, page: Page | None, detail: str) -> None:
    link.state = state.value
    link.detail = detail
    link.final_url = page.answer.url if page is not None else ""
    link.http_status = page.answer.status if page is not None else None
    link.checked_at = now()


def _store(s: Session, source_id: int, page: Page) -> None:
    """The page's bytes once per content (SHA-256), compressed; a snapshot row that points at them."""
    digest = page.sha256
    if s.get(SnapshotBlobRow, digest) is None:
        s.add(SnapshotBlobRow(sha256=digest, size=len(page.answer.data), data=zlib.compress(page.answer.data, 6)))
        s.flush()
    answer = page.answer
    s.add(SourceSnapshotRow(
        source_id=source_id, url=page.url, final_url=answer.url, http_status=answer.status,
        content_type=answer.content_type[:200], fetched_at=page.fetched_at, sha256=digest, text=page.text,
    ))


def _changed(source: SourceRow, claim: ClaimRow | None = None) -> ChangeSet:
    claim = claim or source.claim
    return ChangeSet(article_ids=frozenset({claim.article_id}), claim_ids=frozenset({claim.id}),
                     sources_updated=frozenset({source.id}))
