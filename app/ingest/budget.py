"""The import's time budget: one deadline for turning a file or a page into an article.

Every step is bounded by caps of its own (what lingua reads, how many comments are kept, how
much detection reads); the deadline is the backstop for what the caps do not foresee, on a
slower machine or a stranger file. Past it the import stops with one line, never a hang. The
work checks it as it goes, so a budget is a scope (`with limit(...)`), not a global: nothing
outlives the import that set it, in whichever thread it ran.
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass

from app.ingest.model import IngestError

IMPORT_SECONDS = 10.0  # stated in the README, with the memory budget the benchmark checks


@dataclass(frozen=True, slots=True)
class _Deadline:
    end: float
    seconds: float
    name: str
    noun: str


_current: ContextVar[_Deadline | None] = ContextVar("claimdesk_import_deadline", default=None)


@contextmanager
def limit(name: str, seconds: float | None = None, noun: str = "file") -> Iterator[None]:
    """Work inside must end within `seconds` (or the enclosing limit, if that ends sooner).
    `name` is the file or link as the message shows it, `noun` what it is ("file", "page")."""
    if seconds is None:
        seconds = IMPORT_SECONDS
    outer = _current.get()
    end = time.monotonic() + seconds
    deadline = outer if outer is not None and outer.end <= end else _Deadline(end, seconds, name, noun)
    token = _current.set(deadline)
    try:
        yield
    finally:
        _current.reset(token)


def check(doing: str) -> None:
    """Raise the one-line IngestError if the current import is past its deadline."""
    deadline = _current.get()
    if deadline is not None and time.monotonic() > deadline.end:
        raise IngestError(
            f"{deadline.name}: this {deadline.noun} is too large or too complex to import: {doing} took longer"
            f" than the {deadline.seconds:g} seconds an import may take."
        )
