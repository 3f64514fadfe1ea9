"""Logging for the window and the command line: one rotating log file in the data folder
(claimdesk.log, three backups of 1 MB), and faulthandler for what Python cannot log itself (a
crash inside Qt). A bug of ours is logged with its traceback here; the user sees one line."""

from __future__ import annotations

import faulthandler
import logging
from pathlib import Path
from types import TracebackType
from typing import IO

from app import paths

LOG_NAME = "claimdesk.log"
MAX_BYTES = 1024 * 1024
BACKUPS = 3

log = logging.getLogger("claimdesk")
_fault_file: IO[str] | None = None


def log_path() -> Path:
    return paths.home_dir() / LOG_NAME


def setup_logging() -> Path | None:
    """Send claimdesk's log to the rotating file and enable faulthandler on it; once per process.
    Returns the log file, or None when the data folder cannot be written (nothing is logged then)."""
    # logging.handlers brings socket, pickle and queue: 10-15 ms of a window's start, which needs
    # only faulthandler's file (enable_fault_log) until something is logged (log_bug sets this up).
    import logging.handlers

    target = log_path()
    if any(isinstance(h, logging.handlers.RotatingFileHandler) for h in log.handlers):
        return target
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        handler = logging.handlers.RotatingFileHandler(target, maxBytes=MAX_BYTES, backupCount=BACKUPS,
                                                       encoding="utf-8", delay=True)
    except OSError:
        return None
    if not enable_fault_log():
        return None
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    log.addHandler(handler)
    log.setLevel(logging.INFO)
    log.propagate = False
    return target


def enable_fault_log() -> bool:
    """faulthandler on faults.log in the data folder (once per process), for crashes Python cannot
    log itself (inside Qt); False when the folder cannot be written."""
    global _fault_file
    if _fault_file is not None:
        return True
    try:
        target = log_path()
        target.parent.mkdir(parents=True, exist_ok=True)
        _fault_file = (target.parent / "faults.log").open("a", encoding="utf-8")
    except OSError:
        return False
    faulthandler.enable(file=_fault_file)
    return True


SHOWN_CHARS = 160


def bug_line(error: BaseException) -> str:
    """A bug as one short line for the person at the screen: its kind and the first line of its
    message. Never the SQL statement and parameters that a database error carries (those, with the
    traceback, go to the log), never a second line."""
    orig = getattr(error, "orig", None)  # SQLAlchemy wraps the driver's error; its str() holds the SQL
    shown = orig if isinstance(orig, BaseException) else error
    message = next((line.strip() for line in str(shown).splitlines() if line.strip()), "")
    if len(message) > SHOWN_CHARS:
        message = message[: SHOWN_CHARS - 1].rstrip() + "…"
    return f"{type(shown).__name__}: {message}" if message else type(shown).__name__


def log_bug(kind: type[BaseException], error: BaseException, tb: TracebackType | None) -> Path | None:
    """Log a bug of ours with its traceback; returns where, or None if the log cannot be written."""
    target = setup_logging()
    if target is None:
        return None
    log.error("internal error: %s: %s", kind.__name__, error, exc_info=(kind, error, tb))
    for handler in log.handlers:
        handler.flush()
    return target
