"""Writing the user's files safely."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

from app.domain.validate import ValidationError


def write_atomically(path: Path, content: str, encoding: str = "utf-8") -> None:
    """Write beside the target and rename, so a failed export never leaves half a file."""
    path = path.expanduser()
    if path.is_dir():
        raise ValidationError(f"{path} is a folder; name the file to write.")
    try:
        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    except FileNotFoundError:
        raise ValidationError(f"Cannot write {path}: the folder {path.parent} does not exist.") from None
    except PermissionError:
        raise ValidationError(f"Cannot write {path}: permission denied.") from None
    try:
        with os.fdopen(fd, "w", encoding=encoding, newline="") as f:
            f.write(content)
        # mkstemp makes the file private (0600); a report is for sharing: the usual mode instead.
        os.chmod(tmp, 0o666 & ~_umask())
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def _umask() -> int:
    current = os.umask(0)
    os.umask(current)
    return current
