"""The window's first screen without SQLAlchemy: on a SQLite desk already at this build's schema
and already seeded, the reads the window makes while it builds and paints its first frame run
on one plain sqlite3 connection, and the real Workbench loads after that frame.

Importing SQLAlchemy and the models cost some 330 ms of every start and making the first ORM
read another 60-100 ms: more than the bare PySide6 program's whole start. `FirstScreen` stands
in for the Workbench: it answers the first screen's reads (the article list, the open article,
its structure, claims and revisions, the selected claim's history and evidence, the settings,
the rating scales, the change token) with the services' own SQLite statements
(app.storage.sqlite_sql) and the same row builders (app.storage.rows, app.storage.plain). It also
makes the edit made most, a claim's verdict, state or notes, with the services' own code
(app.services.claim_edit, which needs no SQLAlchemy on SQLite), so the first edit after a start
does not wait for the load. Every other call, and every other write, waits for the real Workbench
and goes to it, and once it is loaded every call does. So what the window does is exactly what it
did; only the first frame, and the first edit, come sooner.

Team mode (PostgreSQL), a first run, a database not at head or not yet seeded, and every
command take the full path (app.cli.open_workbench): `open_first_screen` returns None for them.
"""

from __future__ import annotations

import sqlite3
import sys
import threading
import time
from collections.abc import Callable, Iterable, Iterator
from contextlib import AbstractContextManager, contextmanager, nullcontext
from datetime import date, datetime
from importlib.machinery import SourceFileLoader
from pathlib import Path
from types import SimpleNamespace
from typing import TYPE_CHECKING, Any

from app.domain import (
    Article,
    ArticleSummary,
    Changes,
    ChangeSet,
    ChangeToken,
    Claim,
    HistoryEntry,
    Rating,
    RatingScale,
    merge_typing,
)
from app.domain.changes import DEFAULT_SCALE, SCALE_SETTING, SEEDED_KEY
from app.domain.errors import USER_ERRORS, NotFound
from app.domain.evidence import Evidence
from app.domain.links import ARCHIVE_KEY
from app.domain.segments import Segment
from app.services import claim_edit
from app.services.claim_edit import Bookkeeping
from app.startup import return_free_memory
from app.storage import plain, rows, sqlite_sql
from app.storage.draft import RawWrite, raw_write
from app.storage.errors import explain
from app.storage.sqlite_reads import BUSY_TIMEOUT_MS, Reads, article_claims

if TYPE_CHECKING:
    from app.services import Workbench


UNSEEN = -1
"""The stamp of a change token taken here: no `PRAGMA data_version` of the real Workbench's own
connection ever equals it, so its first poll compares the whole token (history, articles,
settings) and misses nothing committed meanwhile."""

LOADING_SWITCH_S = 0.0001
"""The interpreter's switch interval while the Workbench loads on its thread (Python's own is
5 ms). A thread that wants the interpreter lock asks for it and waits up to that long, and the
window's Python, called back from Qt many times a frame, asks again and again: a key pressed
while the load ran took 53-95 ms to its settled frame, 27-43 ms with this (10-12 ms without the
load). While the window is idle nobody asks, and the load runs as fast as before."""

QUIET_S = 0.05
"""How long the Workbench's load keeps still after the user's last key or click (user_acted).
Each time the window's Python is called back from Qt (many times a frame) it waits for the
interpreter lock if the load holds it: beside a load that kept on, a verdict key took 20-30 ms
to its settled frame, 5-8 ms without it. The load keeps still at its next step (a module about to
run, or one of its first uses); it is 300 ms of work, and the user's actions are short."""


def _stamp(value: str | None) -> datetime | None:
    """A DATETIME column as SQLAlchemy's SQLite dialect stores it ("2026-11-30 09:09:26.000000")."""
    return None if value is None else datetime.fromisoformat(value)


def _day(value: str | None) -> date | None:
    return None if value is None else date.fromisoformat(value)


def _flag(value: int | None) -> bool | None:
    return None if value is None else bool(value)


def open_first_screen(
    db: str, actor: str, seeds: Iterable[Path], load: Callable[[str], Workbench]
) -> FirstScreen | None:
    """A FirstScreen for `db` if it is a SQLite file at this build's head whose samples are all
    seeded; None for anything else (the full path then migrates, seeds or says what is wrong).
    `load(actor)` makes the real Workbench (no migration: the schema was at head)."""
    if "://" in db:  # a URL: PostgreSQL (team mode), or SQLite's URI form; the full path reads those
        return None
    path = Path(db).expanduser()
    if not path.is_file():
        return None  # a first run: the full path creates and migrates it
    reads = Reads(path, uri=False, busy_timeout_ms=BUSY_TIMEOUT_MS)
    try:
        if not _ready(reads.connection(), seeds):
            reads.close()
            return None
    except (sqlite3.Error, OSError, UnicodeError, ValueError):
        # Whatever it is (locked, damaged, another program's, a sample unreadable): the full path
        # meets it again and says so as it always has.
        reads.close()
        return None
    return FirstScreen(str(path), reads, actor, load)


def _ready(connection: sqlite3.Connection, seeds: Iterable[Path]) -> bool:
    """At head (the one row of alembic_version), in WAL mode (set by every migration, and kept
    by the file), and every bundled sample seen, by the test app.services.articles.seed makes
    first (its hash of the bare text): then the full path would change nothing."""
    has_versions = connection.execute(
        "SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = 'alembic_version'").fetchone()[0]
    if not has_versions:
        return False
    versions = [r[0] for r in connection.execute("SELECT version_num FROM alembic_version").fetchall()]
    if versions != [sqlite_sql.HEAD]:
        return False
    if str(connection.execute("PRAGMA journal_mode").fetchone()[0]).lower() != "wal":
        return False
    found = connection.execute(sqlite_sql.SETTING, (SEEDED_KEY,)).fetchone()
    seeded = set((found[0] or "").split()) if found else set()
    from app import ingest

    for path in seeds:
        digest = ingest.text_hash(ingest.normalise(ingest.decode(path.read_bytes(), path.name)))
        if digest in seeded:
            continue
        if connection.execute("SELECT 1 FROM article WHERE text_hash = ? LIMIT 1", (digest,)).fetchone() is None:
            return False
    return True


class FirstScreen:
    """Stands in for the Workbench (same names, same answers) until the real one is loaded; see
    the module's docstring. `load_in_background()` starts loading it on a thread of its own;
    anything that needs it before it is ready waits for it (on the UI thread, with `waiting`
    around the wait once it takes longer than WAIT_QUIETLY_S)."""

    WAIT_QUIETLY_S = 0.1

    def __init__(self, where: str, reads: Reads, actor: str, load: Callable[[str], Workbench]) -> None:
        self._where = where
        self._reads = reads
        self._load = load
        self._actor = actor
        self._lock = threading.Lock()
        self._real: Workbench | None = None
        self._error: BaseException | None = None
        self._done = threading.Event()
        self._thread: threading.Thread | None = None
        self._last_input = -QUIET_S  # time.monotonic() of the user's last key or click
        self._wanted = threading.Event()  # someone waits for the Workbench: no keeping still
        self._selected: int | None = None  # the claim whose history the window read
        self._scales: dict[str, RatingScale] | None = None
        self._ratings: dict[int, Rating] = {}
        self._summaries = plain.maker(ArticleSummary, *sqlite_sql.ARTICLE_SUMMARY, parse=datetime.fromisoformat)
        # Set by the window: what to show while the UI thread waits (the busy cursor), and what to
        # call, from the loading thread, once the Workbench is loaded or failed to.
        self.waiting: Callable[[], AbstractContextManager[object]] = nullcontext
        self.loaded: Callable[[], None] = lambda: None
        self.starting: Callable[[], None] = lambda: None  # on the UI thread, as the load starts there
        self.links = _FirstLinks(self)
        self._books = _FirstBooks(self)

    # -- the real Workbench ---------------------------------------------------------------

    def load_in_background(self) -> None:
        """Start loading the Workbench on a thread of its own (once). The page cache the first
        screen's reads filled on this thread is given back first (see _run_load)."""
        with self._lock:
            if self._thread is not None:
                return
            self._reads.release_memory()
            if threading.current_thread() is threading.main_thread():
                self.starting()
            self._thread = threading.Thread(target=self._run_load, name="claimdesk-load", daemon=True)
            self._thread.start()

    def _run_load(self) -> None:
        switch = sys.getswitchinterval()
        sys.setswitchinterval(LOADING_SWITCH_S)
        try:
            # What load_in_background freed on the UI thread is handed back to the system before
            # the Workbench's imports take their 20-odd MiB (app.startup.return_free_memory).
            return_free_memory()
            with _each_module_first(self._keep_still):
                made = self._load(self._actor)
            self._warm(made)
        except BaseException as exc:  # handed to whoever needs the Workbench: see workbench()
            self._error = exc
        else:
            with self._lock:
                made.actor = self._actor  # a name set while it loaded
                made.written_here(self._books.own_history)  # the edits made meanwhile (update_claim)
                self._real = made
                self.__dict__.pop("links", None)  # from now on the Workbench's own
        finally:
            sys.setswitchinterval(switch)
            # Told before the waiters are let go: once `_done` is set the UI thread may quit and
            # tear the window down (a benchmark's "ready to edit" does at once), and `loaded`
            # posts to an object of that window (app.ui.application).
            try:
                self.loaded()
            finally:
                self._done.set()

    def _warm(self, real: Workbench) -> None:
        """Off the UI thread, the Workbench's first uses: the ORM's mapper configuration, its
        statements' first compilation, the rating scales it keeps, the change poll's connection.
        The old start paid these before its window; left to the first edit, they were 120-250 ms
        of it (measured). Through the reads the first screen made (the selected claim's history
        and evidence); an environment error here is met again, and said, by the action that needs it."""
        try:
            for use in (real.scales, real.change_token):
                self._keep_still()
                use()
            if self._selected is not None:
                self._keep_still()
                real.history(self._selected)
                real.evidence(self._selected)
        except USER_ERRORS:
            pass

    def user_acted(self) -> None:
        """The user pressed a key or clicked (the window tells, on the UI thread): the load keeps
        still from its next step until QUIET_S have passed without another."""
        self._last_input = time.monotonic()

    def _keep_still(self) -> None:
        """On the loading thread, at each step: while the user acted less than QUIET_S ago, and
        nobody waits for the Workbench, wait (without the interpreter lock)."""
        while not self._wanted.is_set():
            left = self._last_input + QUIET_S - time.monotonic()
            if left <= 0:
                return
            self._wanted.wait(left)

    @property
    def ready(self) -> bool:
        """Whether the real Workbench is loaded (or failed to load: workbench() raises why)."""
        return self._done.is_set()

    def workbench(self) -> Workbench:
        """The real Workbench, waited for (its loading started if nothing has started it yet: a
        user's action, or a task of one's, before the first frame settled). On the UI thread the
        wait shows `waiting` once it is longer than WAIT_QUIETLY_S. An error while loading is
        raised here, to every caller: a StorageError is one line for the user, anything else a bug."""
        real = self._real
        if real is not None:
            return real
        self.load_in_background()
        self._wanted.set()
        ui = threading.current_thread() is threading.main_thread()
        if not self._done.wait(self.WAIT_QUIETLY_S if ui else None):
            with self.waiting():
                self._done.wait()
        if self._error is not None:
            raise self._error
        assert self._real is not None
        return self._real

    def wait(self) -> None:
        """Until the real Workbench is loaded (benchmarks: "ready to edit")."""
        self.workbench()

    def __getattr__(self, name: str) -> Any:
        """Everything the first screen does not read: the real Workbench's own."""
        if name.startswith("__"):
            raise AttributeError(name)
        return getattr(self.workbench(), name)

    # -- who is acting --------------------------------------------------------------------

    @property
    def actor(self) -> str:
        real = self._real
        return real.actor if real is not None else self._actor

    @actor.setter
    def actor(self, name: str) -> None:
        with self._lock:
            self._actor = name
            if self._real is not None:
                self._real.actor = name

    @property
    def login(self) -> str:
        return ""  # SQLite has no logins (Database.login)

    def viewing(self, claim_id: int | None) -> None:
        """A no-op on SQLite (Workbench.viewing)."""

    def viewers(self) -> dict[int, tuple[str, ...]]:
        real = self._real
        return real.viewers() if real is not None else {}

    def close(self) -> None:
        self._reads.close()
        if self._real is not None:
            self._real.close()

    # -- the edit made most ----------------------------------------------------------------

    def update_claim(self, claim_id: int, **fields: Any) -> tuple[Claim, ChangeSet]:
        """A claim's verdict, state or notes changed (Workbench.update_claim): made here, by the
        same code and rules (app.services.claim_edit), until the Workbench is loaded, so the
        first edit after a start does not wait for it; the Workbench's once it is loaded, or
        if loading it failed (which workbench() then says)."""
        with self._lock:  # the loading thread takes over only between two edits (_run_load)
            if self._real is None and not self._done.is_set():
                self._all_scales()  # read before the write's transaction begins
                return claim_edit.update_claim(self._books, claim_id, **fields)
        return self.workbench().update_claim(claim_id, **fields)

    # -- the first screen's reads ---------------------------------------------------------

    @contextmanager
    def _read(self) -> Iterator[sqlite3.Connection]:
        """One read transaction on this thread's plain connection; errors as Database.read_raw."""
        with self._connection() as connection:
            connection.execute("BEGIN")
            try:
                yield connection
            finally:
                connection.execute("COMMIT")  # a read: nothing to keep or lose

    @contextmanager
    def _connection(self) -> Iterator[sqlite3.Connection]:
        """This thread's plain connection, its errors as Database.read_raw's: a transaction left
        open is rolled back, the connection dropped, and an environment problem is one line."""
        connection = self._reads.connection()
        try:
            yield connection
        except sqlite3.Error as exc:
            if connection.in_transaction:
                connection.rollback()
            self._reads.discard()
            raise explain(exc, self._where) or exc from exc

    def change_token(self) -> ChangeToken:
        real = self._real
        if real is not None:
            return real.change_token()
        with self._read() as c:
            last = c.execute(sqlite_sql.LAST_HISTORY).fetchone()[0] or 0
            articles = tuple(c.execute(sqlite_sql.VERSIONS).fetchall())
            settings = tuple(c.execute(sqlite_sql.SETTINGS).fetchall())
        return ChangeToken(UNSEEN, last, articles, settings)

    def changes_since(self, token: ChangeToken) -> Changes:
        """Before the Workbench is loaded: nothing yet (the same token back); its first poll after
        the load compares the whole token (see UNSEEN). The window's poll never waits for it."""
        real = self._real
        if real is not None:
            return real.changes_since(token)
        return Changes(ChangeSet(), (), token)

    def setting(self, key: str, default: str = "") -> str:
        real = self._real
        if real is not None:
            return real.setting(key, default)
        with self._read() as c:
            found = c.execute(sqlite_sql.SETTING, (key,)).fetchone()
        value = None if found is None else found[0]
        return default if value is None else str(value)

    def _all_scales(self) -> dict[str, RatingScale]:
        """As Context.scales: read once."""
        if self._scales is None:
            with self._read() as c:
                labels = c.execute(sqlite_sql.LABELS).fetchall()
                scales = c.execute(sqlite_sql.SCALES).fetchall()
            # rating_label: id, scale_key, key, name, value, colour, final, alternate_name, position
            ratings = [Rating(r[0], r[1], r[2], r[3], r[5], r[4], bool(r[6]), r[7]) for r in labels]
            # rating_scale: key, name, free_text, position
            self._scales = {
                key: RatingScale(key, name, tuple(r for r in ratings if r.scale == key), bool(free))
                for key, name, free, _position in scales
            }
            self._ratings = {r.id: r for r in ratings}
        return self._scales

    def scales(self) -> list[RatingScale]:
        real = self._real
        return real.scales() if real is not None else list(self._all_scales().values())

    def scale(self) -> RatingScale:
        real = self._real
        if real is not None:
            return real.scale()
        scales = self._all_scales()
        return scales.get(self.setting(SCALE_SETTING, DEFAULT_SCALE)) or scales[DEFAULT_SCALE]

    def rating(self, rating_id: int) -> Rating:
        real = self._real
        if real is not None:
            return real.rating(rating_id)
        self._all_scales()
        if rating_id not in self._ratings:
            raise NotFound(f"No rating label with id {rating_id}.")
        return self._ratings[rating_id]

    def articles(self) -> list[ArticleSummary]:
        real = self._real
        if real is not None:
            return real.articles()
        with self._read() as c:
            found = c.execute(sqlite_sql.ARTICLE_LIST).fetchall()
        return self._summaries(found)

    def article(self, article_id: int) -> Article:
        real = self._real
        if real is not None:
            return real.article(article_id)
        with self._read() as c:
            row = c.execute(sqlite_sql.ARTICLE, (article_id,)).fetchone()
        if row is None:
            raise NotFound(f"No article with id {article_id}.")
        ident, title, text, text_hash, source_url, outlet, author, published, imported_at, version = row
        return rows.article(SimpleNamespace(  # type: ignore[arg-type]  # read by attribute, as an ORM row
            id=ident, title=title, text=text, text_hash=text_hash, source_url=source_url, outlet=outlet,
            author=author, published=_day(published), imported_at=_stamp(imported_at), version=version))

    def segments(self, article_id: int) -> tuple[Segment, ...]:
        real = self._real
        if real is not None:
            return real.segments(article_id)
        with self._read() as c:
            found = c.execute(sqlite_sql.SEGMENTS, (article_id,)).fetchall()
        if not found:  # an article stored before segments existed: the Workbench makes and stores them
            return self.workbench().segments(article_id)
        return rows.segments_of(found)

    def claims(self, article_id: int) -> list[Claim]:
        real = self._real
        if real is not None:
            return real.claims(article_id)
        self._all_scales()
        with self._read() as c:
            if c.execute(sqlite_sql.ARTICLE_EXISTS, (article_id,)).fetchone() is None:
                raise NotFound(f"No article with id {article_id}.")
            return article_claims(c, article_id, self._ratings)

    def revision_numbers(self, article_id: int) -> list[tuple[int, datetime | None]]:
        real = self._real
        if real is not None:
            return real.revision_numbers(article_id)
        with self._read() as c:
            found = c.execute(sqlite_sql.REVISION_NUMBERS, (article_id,)).fetchall()
            if not found:
                imported = c.execute(sqlite_sql.ARTICLE_IMPORTED, (article_id,)).fetchone()
                if imported is None:
                    raise NotFound(f"No article with id {article_id}.")
                found = [(1, imported[0])]
        return [(number, _stamp(at)) for number, at in found]

    def matches_ready(self) -> bool:
        real = self._real
        return real.matches_ready() if real is not None else False  # nothing is built before the Workbench

    def history(self, claim_id: int) -> list[HistoryEntry]:
        real = self._real
        if real is not None:
            return real.history(claim_id)
        self._selected = claim_id
        with self._read() as c:
            found = c.execute(sqlite_sql.HISTORY, (claim_id,)).fetchall()
            if not found and c.execute(sqlite_sql.CLAIM_EXISTS, (claim_id,)).fetchone() is None:
                raise NotFound(f"No claim with id {claim_id}.")
        names = ("id", "article_id", "claim_id", "entity", "entity_id", "field", "old_value", "new_value", "actor",
                 "at", "version")
        entries = []
        for values in found:
            r = SimpleNamespace(**dict(zip(names, values, strict=True)))
            r.at = _stamp(r.at)
            entries.append(rows.history_entry(r))  # type: ignore[arg-type]  # read by attribute, as a Core row
        return merge_typing(entries)

    def evidence(self, claim_id: int) -> list[Evidence]:
        real = self._real
        if real is not None:
            return real.evidence(claim_id)
        with self._read() as c:
            if c.execute(sqlite_sql.CLAIM_EXISTS, (claim_id,)).fetchone() is None:
                raise NotFound(f"No claim with id {claim_id}.")
            cursor = c.execute(sqlite_sql.EVIDENCE, (claim_id,))
            names = [d[0] for d in cursor.description]
            found = cursor.fetchall()
        made = []
        for values in found:
            r = SimpleNamespace(**dict(zip(names, values, strict=True)))
            r.mismatch, r.created_at = _flag(r.mismatch), _stamp(r.created_at)
            made.append(rows.evidence(r))  # type: ignore[arg-type]  # read by attribute, as an ORM row
        return made


_STEPS: dict[threading.Thread, Callable[[], None]] = {}  # see _each_module_first
_STEPS_LOCK = threading.Lock()
_RUN_MODULE = SourceFileLoader.exec_module


def _exec_module(loader: SourceFileLoader, module: Any) -> None:
    step = _STEPS.get(threading.current_thread())
    if step is not None:
        step()
    _RUN_MODULE(loader, module)


@contextmanager
def _each_module_first(call: Callable[[], None]) -> Iterator[None]:
    """While the block runs, `call()` before each Python module this thread imports runs. Not in
    a meta path finder: those are asked under the interpreter's global import lock, which every
    other thread's imports would then wait for; a module runs holding only its own lock and its
    importers'. A thread that imports one of those meanwhile waits as it did before. Python's own
    loader is put back once no thread is in such a block."""
    this = threading.current_thread()
    with _STEPS_LOCK:
        _STEPS[this] = call
        SourceFileLoader.exec_module = _exec_module  # type: ignore[method-assign, assignment]
    try:
        yield
    finally:
        with _STEPS_LOCK:
            del _STEPS[this]
            if not _STEPS:
                SourceFileLoader.exec_module = _RUN_MODULE  # type: ignore[method-assign]


class _FirstBooks(Bookkeeping):
    """The bookkeeping of the first screen's edits (update_claim): the actor the window set, the
    rating labels read, and a write on the UI thread's plain connection."""

    def __init__(self, front: FirstScreen) -> None:
        super().__init__("")
        self._front = front

    @property
    def actor(self) -> str:
        return self._front._actor

    @actor.setter
    def actor(self, name: str) -> None:
        self._front._actor = name

    def ratings(self) -> dict[int, Rating]:
        self._front._all_scales()
        return self._front._ratings

    @contextmanager
    def write_claim(self) -> Iterator[RawWrite]:
        """On the UI thread's plain connection, its errors as the first screen's reads'."""
        with self._front._connection() as connection, raw_write(connection) as s:
            yield s
        self.own_history.update(s.info["history"])


class _FirstLinks:
    """Workbench.links until the Workbench is loaded: the two questions the window asks as it
    opens (whether new sources are archived, how many jobs wait), and the source jobs' worker's
    two (app.ui.source_work): no job runs and none is due before the Workbench is loaded (the
    worker never waits for the load, so closing the window early leaves no thread behind it);
    the window wakes the worker once it is loaded. The rest is the real one's."""

    def __init__(self, front: FirstScreen) -> None:
        self._front = front

    def run_next(self, at: datetime | None = None) -> Any:
        real = self._front._real
        return real.links.run_next(at) if real is not None else None

    def next_due(self) -> datetime | None:
        real = self._front._real
        return real.links.next_due() if real is not None else None

    def archiving(self) -> bool:
        return self._front.setting(ARCHIVE_KEY) == "on"

    def waiting(self) -> int:
        front = self._front
        if front._real is not None:
            return int(front._real.links.waiting())
        with front._read() as c:
            return int(c.execute(sqlite_sql.JOBS_WAITING).fetchone()[0] or 0)

    def __getattr__(self, name: str) -> Any:
        if name.startswith("__"):
            raise AttributeError(name)
        return getattr(self._front.workbench().links, name)
