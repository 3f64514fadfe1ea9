"""`claimdesk import FILE` reads ahead: a forked child reads the file and finds its structure and
languages while the command line imports the database layer and opens the database; then the
two detect the claims side by side, the child in the first half of the text and the command in
the second. Measured on a 1 MB .txt, the steps took about 0.5 s (SQLAlchemy, the services, the
database), 0.6 s (structure, lingua) and 0.7 s (detection) one after the other.

Detection runs paragraph by paragraph over one scan of the whole text, and stops at a cap of
suggestions counted in text order, so the first half's claims followed by the second's, cut at
the cap, are exactly what one pass finds (tests/test_start_imports.py compares the two).

The child answers twice through a pipe (pickled): the ImportedText as soon as it is read, then
its half of the claims. Whatever goes wrong in the child (a file that cannot be read, a child
that dies), the command reads or detects itself, so errors are the same one line as without
the child. Only a local file is read ahead (never a link: it would be fetched twice), only where
fork is safe (Linux, a process with one thread), and the child never touches the database.
"""

from __future__ import annotations

import contextlib
import os
import pickle
import signal
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any

if TYPE_CHECKING:
    from app.domain import DetectedClaim
    from app.domain.segments import Segment
    from app.ingest import ImportedText


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


def halves(text: str, segments: Sequence[Segment]) -> tuple[Sequence[Segment], Sequence[Segment]]:
    """The segments cut in two at the middle of the text detection reads (the same cut in both
    processes): the first half is the child's to detect, the second the command's."""
    from app.detection.detector import MAX_CHARS

    middle = min(len(text), MAX_CHARS) // 2
    cut = next((i for i, segment in enumerate(segments) if segment.end > middle), len(segments))
    return segments[:cut], segments[cut:]


class ReadAhead:
    """The file's article and its detected claims, from a child started at once (see the module's
    docstring), or read here when there is no child or it failed."""

    def __init__(self, source: str) -> None:
        self.source = source
        self._pid = 0
        self._pipe: IO[bytes] | None = None
        self._imported: ImportedText | None = None
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
            if self._pipe is not None:  # while the child reads: what this process detects with
                from app.detection.model import model

                model()
            answer = self._receive()
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
        if self._pipe is None or not imported.segments:
            self.close()
            return None
        from app.detection.detector import MAX_CLAIMS, detect_claims

        first, second = halves(imported.text, imported.segments)
        mine = detect_claims(imported.text, segments=second) if second else []
        answer = self._receive()
        self.close()
        if not isinstance(answer, list):
            return None
        return (answer + mine)[:MAX_CLAIMS]

    def _receive(self) -> Any:
        if self._pipe is None:
            return None
        try:
            return pickle.load(self._pipe)
        except Exception:  # the child died, or wrote what cannot be read: read here instead
            return None

    def __enter__(self) -> ReadAhead:
        return self

    def __exit__(self, *_exc: object) -> None:
        self.close()

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
    code = 0
    try:
        signal.signal(signal.SIGINT, signal.SIG_DFL)  # Ctrl+C ends the child too, quietly
        with os.fdopen(fd, "wb") as out:
            try:
                from app.ingest import read_source

                imported = read_source(source)
            except BaseException:
                pickle.dump(None, out)
                return
            pickle.dump(imported, out, protocol=pickle.HIGHEST_PROTOCOL)
            out.flush()
            if imported.segments:
                from app.detection import detect_claims

                first, _ = halves(imported.text, imported.segments)
                pickle.dump(detect_claims(imported.text, segments=first), out, protocol=pickle.HIGHEST_PROTOCOL)
    except BaseException:  # a closed pipe (the parent no longer listens), or anything else
        code = 1
    finally:
        os._exit(code)
