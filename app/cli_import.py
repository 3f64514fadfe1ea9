"""`claimdesk import FILE` reads ahead: a forked child reads the file, finds its structure and
languages and detects its claims, while the command line imports the database layer and opens
the database. Measured on a 1 MB .txt, the two halves took about 0.5 s (SQLAlchemy, the services,
the database) and 1.3 s (structure, lingua, detection) one after the other; side by side the
first is hidden where a second core is free, and the child costs next to nothing where none is
(the fork, and the answers pickled through a pipe). Splitting detection between the command and
the child was tried and dropped: it saved 0.3 s on an idle machine but cost 0.4–0.6 s of CPU
(a second scan of the text, a second model load) and lost a second under load. What is done
instead (_Early): the child scans the text and loads the model before lingua runs, then forks a
helper that inherits both, so the two halves of detection share that work instead of repeating it.

The child answers twice through a pipe (pickled): the ImportedText as soon as it is read, then
the claims detection finds in it over its segments. Whatever goes wrong in the child (a file that
cannot be read, a child that dies), the command reads or detects itself, so errors are the same
one line as without the child. Only a local file is read ahead (never a link: it would be
fetched twice), only where fork is safe (Linux, a process with one thread), and the child never
touches the database.

Around it, the command spends nothing it need not: no cycle collection while it reads ahead (in
the command or the child: both are short-lived and make almost no cyclic garbage), and once the
article is written, done() lets go of the database at once and spares the exit its teardown.
"""

from __future__ import annotations

import contextlib
import gc
import os
import pickle
import signal
import sys
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any

from app.domain.errors import UserError

if TYPE_CHECKING:
    from app.detection.detector import Prepared
    from app.domain import DetectedClaim
    from app.domain.segments import Segment
    from app.ingest import ImportedText


@dataclass(frozen=True)
class _Failed:
    """What the child could not read, as the user error it raised (its type and its one line)."""

    message: str
    kind: type[UserError]

    def error(self) -> UserError:
        try:
            return self.kind(self.message)
        except Exception:  # an error type that wants more than its message
            from app.ingest import IngestError

            return IngestError(self.message)


def single_threaded() -> bool:
    """Whether this process has one OS thread (Python's and native ones alike): forking a process
    with other threads can leave the child waiting on a lock another thread held."""
    try:
        with open("/proc/self/status", encoding="ascii") as status:
            for line in status:
                if line.startswith("Threads:"):
                    return int(line.split()[1]) == 1
    except (OSError, ValueError):
        pass
    return False


def can_read_ahead(source: str) -> bool:
    return (
        sys.platform.startswith("linux") and hasattr(os, "fork") and Path(source.strip()).is_file()
        and single_threaded()
    )


def done(bench: Any) -> None:
    """`claimdesk import` has written its article: let go of the database at once and, where the
    process ends with the command, spare its exit the teardown of everything it made.

    Measured on the 1 MB .txt, the interpreter's exit took 100–230 ms after the command's last
    line (collections over SQLAlchemy's and the import's objects, then every module torn down
    object by object), a tenth of the command. The connections are closed here, as the exit
    would close them, so SQLite folds its write-ahead log into the file and removes it all the
    same; then what is left is moved out of the collector's sight (gc.freeze) and freed by
    reference counting alone. Only where this process is Claimdesk's own entry point (the
    `claimdesk` script or `python -m app`, whose __main__ calls app.main.main): a caller running
    commands inside a process that lives on (a test) keeps its collector as it was."""
    bench.close()  # every connection: the last one closed checkpoints the WAL
    entry = sys.modules.get("app.main")
    if entry is not None and getattr(sys.modules.get("__main__"), "main", None) is getattr(entry, "main", None):
        gc.freeze()


class ReadAhead:
    """The file's article and its detected claims, from a child started at once (see the module's
    docstring), or read here when there is no child or it failed."""

    def __init__(self, source: str) -> None:
        self.source = source
        self._pid = 0
        self._pipe: IO[bytes] | None = None
        self._imported: ImportedText | None = None
        self._collecting = False
        if can_read_ahead(source):
            self._start()

    def _start(self) -> None:
        read_end, write_end = os.pipe()
        pid = os.fork()
        if pid == 0:  # the child: never returns
            os.close(read_end)
            _child(self.source, write_end)
        os.close(write_end)
        self._pid, self._pipe = pid, os.fdopen(read_end, "rb")

    def imported(self) -> ImportedText:
        """The article as read_source reads it (an IngestError raised here, as it would be)."""
        if self._imported is None:
            answer = self._receive()
            if isinstance(answer, _Failed):
                self.close()
                raise answer.error()
            if answer is None:
                self.close()
                from app.ingest import read_source

                answer = read_source(self.source)
            self._imported = answer
        return self._imported

    def detected(self) -> Sequence[DetectedClaim] | None:
        """The claims detection finds in imported() over its segments, or None when the caller
        is to detect them itself (no child, or a child that failed)."""
        imported = self.imported()
        answer = self._receive() if imported.segments else None
        self.close()
        return answer if isinstance(answer, list) else None

    def _receive(self) -> Any:
        if self._pipe is None:
            return None
        try:
            return pickle.load(self._pipe)
        except Exception:  # the child died, or wrote what cannot be read: read here instead
            return None

    def __enter__(self) -> ReadAhead:
        # No cycle collection while the command imports the database layer and waits for the
        # child: collections there walked SQLAlchemy's new modules and the unpickled article,
        # some 40-130 ms (by the machine's load) to find 2,000 objects of cyclic garbage.
        self._collecting = gc.isenabled()
        gc.disable()
        return self

    def __exit__(self, *_exc: object) -> None:
        self.close()
        if self._collecting:
            gc.enable()

    def close(self) -> None:
        """Stop and reap the child (whatever it still does is no longer wanted)."""
        if self._pipe is not None:
            self._pipe.close()
            self._pipe = None
        if self._pid:
            with contextlib.suppress(ProcessLookupError):
                os.kill(self._pid, signal.SIGKILL)
            os.waitpid(self._pid, 0)
            self._pid = 0


def _child(source: str, fd: int) -> None:
    """Read, analyse and detect; write the two answers (None for a failure); exit without
    running the parent's exit handlers or flushing its buffers a second time."""
    # No cycle collection in the child: it lives for one read, makes almost no cyclic garbage (a
    # collection at its end finds a few dozen objects) and exits without freeing anything, and its
    # collections (the model's 100,000 weights, the scan's lists: 50-90 ms) also copied pages it
    # shares with the command.
    gc.disable()
    code = 0
    early = _Early(fd)
    try:
        signal.signal(signal.SIGINT, signal.SIG_DFL)  # Ctrl+C ends the child too, quietly
        with os.fdopen(fd, "wb") as out:
            try:
                from app.ingest import read_source
                from app.ingest.language import before_languages

                with before_languages(early.start):
                    imported = read_source(source)
            except UserError as exc:  # the one line the command prints: not read again (a file past
                pickle.dump(_Failed(str(exc), type(exc)), out)  # the time budget would take it twice)
                return
            except BaseException:  # a bug: the command reads the file itself, to log it as its own
                pickle.dump(None, out)
                return
            pickle.dump(imported, out, protocol=pickle.HIGHEST_PROTOCOL)
            out.flush()
            if imported.segments:  # what add_article would detect over, exactly
                pickle.dump(early.detect(imported.text, imported.segments), out, protocol=pickle.HIGHEST_PROTOCOL)
    except BaseException:  # a closed pipe (the parent no longer listens), or anything else
        code = 1
    finally:
        early.close()
        os._exit(code)


class _Early:
    """Detection started before lingua, in two processes.

    Once the text is final, and before lingua tells its languages (the slow part of reading it),
    detection scans the text and loads its model, and a helper is forked that inherits both:
    this process is still single-threaded then (lingua starts threads of its own). With the
    languages known, the helper detects the second half of the paragraphs while this process
    detects the first; the halves joined are what detect_claims gives over all of them
    (detector.Prepared), so a second core, idle while detection ran alone, halves its time.
    The helper is forked only where the machine has a core to spare (a_core_to_spare); without
    it, or whatever fails in it, this process detects that half itself.
    """

    def __init__(self, keep_from_helper: int) -> None:
        self._keep = keep_from_helper  # the pipe to the command: the helper must not hold it open
        self._prepared: Prepared | None = None
        self._pid = 0
        self._to: IO[bytes] | None = None
        self._back: IO[bytes] | None = None

    def start(self, text: str) -> None:
        if self._prepared is not None:
            return
        from app.detection.detector import prepare

        self._prepared = prepare(text)
        if single_threaded() and a_core_to_spare():
            self._fork()

    def _fork(self) -> None:
        to_read, to_write = os.pipe()
        back_read, back_write = os.pipe()
        # What both processes hold now is kept to the end: frozen, the collector never walks it,
        # so the helper's collections do not write into (and copy) every page it shares.
        gc.freeze()
        reader = os.getpid()
        try:
            pid = os.fork()
        except OSError:  # no process to be had: this one detects it all
            for fd in (to_read, to_write, back_read, back_write):
                os.close(fd)
            return
        if pid == 0:  # the helper: never returns
            _end_with(reader)
            os.close(to_write)
            os.close(back_read)
            os.close(self._keep)
            _helper(self._prepared, to_read, back_write)
        os.close(to_read)
        os.close(back_write)
        self._pid, self._to, self._back = pid, os.fdopen(to_write, "wb"), os.fdopen(back_read, "rb")

    def detect(self, text: str, segments: Sequence[Segment]) -> list[DetectedClaim]:
        from app.detection.detector import detect_claims, joined

        prepared = self._prepared
        if prepared is None or prepared.text != text:  # tag() saw another text: nothing to reuse
            return detect_claims(text, segments=segments)
        half = _halfway(segments, prepared.limit)
        first, second = segments[:half], segments[half:]
        sent = bool(second) and self._send(second)
        ours = prepared.claims(first)
        theirs = self._answer() if sent else None
        if theirs is None:  # no helper, or it failed: its half is detected here too
            theirs = prepared.claims(second)
        return joined(ours, theirs)

    def _send(self, segments: Sequence[Segment]) -> bool:
        """Give the helper its segments; False if there is no helper to take them."""
        if self._to is None:
            return False
        try:
            pickle.dump(tuple(segments), self._to, protocol=pickle.HIGHEST_PROTOCOL)
            self._to.close()
        except Exception:  # the helper died
            return False
        finally:
            self._to = None
        return True

    def _answer(self) -> list[DetectedClaim] | None:
        if self._back is None:
            return None
        try:
            answer = pickle.load(self._back)
        except Exception:  # the helper died, or wrote what cannot be read
            return None
        return answer if isinstance(answer, list) else None

    def close(self) -> None:
        for pipe in (self._to, self._back):
            if pipe is not None:
                with contextlib.suppress(OSError):
                    pipe.close()
        self._to = self._back = None
        if self._pid:
            with contextlib.suppress(ProcessLookupError):
                os.kill(self._pid, signal.SIGKILL)
            with contextlib.suppress(ChildProcessError):
                os.waitpid(self._pid, 0)
            self._pid = 0


def a_core_to_spare() -> bool:
    """Whether the machine has lately had more cores than work (1-minute load average below the
    core count). Measured at a load of 4 on 2 cores, the helper cost 0.1 s of CPU (the fork, the
    pages it shares and both then copy, its answer pickled) and saved nothing; it pays only where
    a core would idle while detection runs alone."""
    try:
        return os.getloadavg()[0] < (os.cpu_count() or 1)
    except OSError:  # no load average to read
        return False


def _halfway(segments: Sequence[Segment], limit: int) -> int:
    """Where to cut the segments so that both parts hold about half of what detection reads."""
    middle = min(segments[-1].end, limit) // 2 if segments else 0
    return next((i for i, g in enumerate(segments) if g.end > middle), len(segments))


def _end_with(reader: int) -> None:
    """The helper is killed with the reader (the command kills the reader when it no longer
    wants its answers: the article was there already), not left to finish its half alone."""
    with contextlib.suppress(Exception):  # Linux's prctl; elsewhere there is no fork either
        import ctypes

        ctypes.CDLL(None).prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG
    if os.getppid() != reader:  # the reader died before that was set
        os._exit(1)


def _helper(prepared: Prepared | None, fd_in: int, fd_out: int) -> None:
    """The helper's life: its segments in, their claims out, then exit (never returns)."""
    code = 0
    try:
        with os.fdopen(fd_in, "rb") as given, os.fdopen(fd_out, "wb") as out:
            segments = pickle.load(given)
            assert prepared is not None
            pickle.dump(prepared.claims(segments), out, protocol=pickle.HIGHEST_PROTOCOL)
    except BaseException:  # no segments came (the reader failed), or the reader is gone
        code = 1
    finally:
        os._exit(code)
