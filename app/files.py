"""Writing the user's files safely: all of the new file, or the old one untouched."""

from __future__ import annotations

import contextlib
import errno
import os
import tempfile
from pathlib import Path

from app.domain.validate import ValidationError

# What the disk, not the program, is to blame for: one line for the user, not a crash report.
_DISK_FULL = (errno.ENOSPC, errno.EDQUOT, errno.EFBIG)


def check_target(path: Path) -> Path:
    """The path to write, refused in one line if it cannot be: checked before the work starts."""
    path = path.expanduser()
    if path.is_dir():
        raise ValidationError(f"{path} is a folder; name the file to write.")
    if not path.parent.is_dir():
        raise ValidationError(f"Cannot write {path}: the folder {path.parent} does not exist.")
    return path


def write_atomically(path: Path, content: str | bytes, encoding: str = "utf-8") -> None:
    """Write beside the target, flush it to the disk, then rename it over the target.

    A failure at any step (a full disk, a quota, an I/O error) leaves the previous file as it
    was and no temporary file behind, and is one line for the user.
    """
    path = check_target(Path(path))
    data = content if isinstance(content, bytes) else content.encode(encoding)
    try:
        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    except FileNotFoundError:
        raise ValidationError(f"Cannot write {path}: the folder {path.parent} does not exist.") from None
    except OSError as exc:
        raise _cannot_write(path, exc) from None
    try:
        try:
            try:
                view = memoryview(data)
                while view:  # os.write may write less than asked, and says ENOSPC only then
                    view = view[os.write(fd, view) :]
                os.fsync(fd)  # a full disk (NFS, delayed allocation) may only say so here
            finally:
                os.close(fd)
            # mkstemp makes the file private (0600): an overwrite keeps the old file's mode, a new
            # report gets the usual one, for sharing.
            os.chmod(tmp, file_mode(path))
            os.replace(tmp, path)
        except OSError as exc:
            raise _cannot_write(path, exc) from None
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    _sync_folder(path.parent)


def _cannot_write(path: Path, exc: OSError) -> ValidationError:
    if exc.errno in _DISK_FULL:
        why = "the disk is full"
    elif exc.errno == errno.EROFS:
        why = "the disk is read-only"
    elif isinstance(exc, PermissionError):
        why = "permission denied"
    else:
        why = exc.strerror or type(exc).__name__
    kept = "; the previous file is unchanged" if path.exists() else ""
    return ValidationError(f"Cannot write {path}: {why}{kept}.")


def _sync_folder(folder: Path) -> None:
    """The rename itself survives a power cut once the folder is synced (not possible everywhere)."""
    with contextlib.suppress(OSError):
        fd = os.open(folder, os.O_RDONLY | getattr(os, "O_DIRECTORY", 0))
        try:
            os.fsync(fd)
        finally:
            os.close(fd)


def file_mode(path: Path) -> int:
    try:
        return path.stat().st_mode & 0o777  # overwriting keeps the old file's permissions
    except OSError:
        return 0o666 & ~_umask()


def _umask() -> int:
    """The process's umask, read without changing it: os.umask() can only read it by setting it,
    and setting it from a worker thread (a PDF export) would race with every other thread's
    files. Linux says it in /proc; elsewhere it is read once, at start-up."""
    with contextlib.suppress(OSError, ValueError):
        for line in Path("/proc/self/status").read_text("ascii").splitlines():
            if line.startswith("Umask:"):
                return int(line.split()[1], 8)
    return _UMASK_AT_START


def _read_umask() -> int:
    current = os.umask(0o022)
    os.umask(current)
    return current


_UMASK_AT_START = _read_umask()  # at import, on the main thread, before any worker starts
