"""Installing Claimdesk like an app: a .desktop entry and its icon in the user's data folder
(XDG_DATA_HOME, ~/.local/share by default), so that it is in the desktop's menu and launcher."""

from __future__ import annotations

import os
import shutil
import sys
from pathlib import Path

from app import paths
from app.files import write_atomically

ENTRY = """[Desktop Entry]
Type=Application
Name=Claimdesk
GenericName=Fact-checking workbench
Comment=Find the claims in an article, review them with sources and a second reader, export a report
Exec={exec}
TryExec={tryexec}
Icon=claimdesk
Terminal=false
Categories=Office;Education;
Keywords=fact-check;claims;verification;newsroom;
StartupNotify=true
StartupWMClass=claimdesk
"""


def data_home() -> Path:
    return Path(os.environ.get("XDG_DATA_HOME") or Path.home() / ".local" / "share")


def launcher() -> list[str]:
    """The command that starts this Claimdesk: the `claimdesk` script beside this Python (a venv
    or pipx), else whichever is on PATH, else this Python running the package."""
    beside = Path(sys.executable).with_name("claimdesk")
    if beside.is_file():
        return [str(beside)]
    found = shutil.which("claimdesk")
    return [found] if found else [sys.executable, "-m", "app"]


def _exec(args: list[str]) -> str:
    """An Exec= value: arguments with spaces or quotes double-quoted, as the spec asks."""
    def quoted(arg: str) -> str:
        if any(c in arg for c in ' \t"`$\\'):
            return '"' + "".join("\\" + c if c in '"`$\\' else c for c in arg) + '"'
        return arg

    return " ".join(quoted(arg) for arg in args)


def install_desktop_entry(home: Path | None = None) -> list[Path]:
    """Write claimdesk.desktop and the scalable icon; returns the files written."""
    base = home or data_home()
    entry = base / "applications" / "claimdesk.desktop"
    icon = base / "icons" / "hicolor" / "scalable" / "apps" / "claimdesk.svg"
    for target in (entry, icon):
        target.parent.mkdir(parents=True, exist_ok=True)
    command = launcher()
    write_atomically(entry, ENTRY.format(exec=_exec(command), tryexec=command[0]))
    write_atomically(icon, (paths.resources_dir() / "icons" / "claimdesk.svg").read_bytes())
    return [entry, icon]
