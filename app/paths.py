"""Where Claimdesk keeps its data and finds its bundled files, installed or in the source tree."""

from __future__ import annotations

import os
from pathlib import Path

import platformdirs

APP_NAME = "claimdesk"

_PACKAGE_DIR = Path(__file__).resolve().parent
_SOURCE_ROOT = _PACKAGE_DIR.parent


def _bundled(name: str) -> Path:
    """A top-level folder (resources, migrations, seeds): beside app/ in a checkout, inside it when installed."""
    in_tree = _SOURCE_ROOT / name
    if in_tree.is_dir() and (_SOURCE_ROOT / "pyproject.toml").is_file():
        return in_tree
    return _PACKAGE_DIR / "_data" / name


def resources_dir() -> Path:
    return _bundled("resources")


def migrations_dir() -> Path:
    return _bundled("migrations")


def seeds_dir() -> Path:
    return _bundled("seeds")


def home_dir() -> Path:
    """The user's data folder; CLAIMDESK_HOME moves it (tests point it at a temp dir)."""
    override = os.environ.get("CLAIMDESK_HOME")
    if override:
        return Path(override).expanduser()
    return Path(platformdirs.user_data_dir(APP_NAME, appauthor=False))


def default_database() -> str:
    """The database to open when none is named: CLAIMDESK_DB, else claimdesk.sqlite3 in home_dir()."""
    override = os.environ.get("CLAIMDESK_DB")
    if override:
        return override
    return str(home_dir() / "claimdesk.sqlite3")
