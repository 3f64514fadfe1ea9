"""The shape of the project: layers that stay Qt-free, and an installed copy that finds its files."""

from __future__ import annotations

import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
from conftest import ROOT


@pytest.mark.parametrize("module", ["app.services", "app.cli", "app.export", "app.detection", "app.ingest"])
def test_layers_below_the_ui_never_import_qt(module: str) -> None:
    code = f"import sys, {module}; print('PySide6' in sys.modules or 'shiboken6' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=ROOT).stdout
    assert out.strip() == "False"


def test_the_window_starts_without_the_http_client() -> None:
    """urllib3 (7.6 MB, 36 ms) loads when a link is first fetched, not at every start."""
    code = ("import sys, app.ui.main_window, app.services, app.cli; "
            "print(sorted(m for m in ('urllib3', 'app.ingest.web', 'pypdf', 'trafilatura') if m in sys.modules))")
    env = {**__import__("os").environ, "QT_QPA_PLATFORM": "offscreen"}
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=ROOT, env=env)
    assert out.stdout.strip() == "[]"


def test_a_built_wheel_carries_resources_migrations_and_seeds(tmp_path: Path) -> None:
    pytest.importorskip("hatchling", reason="hatchling builds the wheel; pip installs it for the build")
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation", "-q", "-w", str(tmp_path), str(ROOT)],
        check=True, capture_output=True,
    )
    (wheel,) = tmp_path.glob("claimdesk-*.whl")
    names = set(zipfile.ZipFile(wheel).namelist())
    assert "app/_data/migrations/env.py" in names
    assert "app/_data/seeds/000_dfc4ea22a266b7c5.txt" in names
    assert "app/_data/resources/style.qss" in names
    assert "app/detection/checkworthiness.json.gz" in names  # the model, loaded at first detection

    site = tmp_path / "site"
    zipfile.ZipFile(wheel).extractall(site)
    code = (
        "import app.paths as p, sys; "
        "assert str(p.resources_dir()).startswith(sys.argv[1]), p.resources_dir(); "
        "assert (p.migrations_dir() / 'env.py').is_file(); "
        "assert any(p.seeds_dir().glob('*.txt')); "
        "from app.storage.migrate import head_revision; print(head_revision())"
    )
    out = subprocess.run(
        [sys.executable, "-c", code, str(site)], capture_output=True, text=True, cwd=tmp_path,
        env={"PYTHONPATH": str(site), "PATH": "/usr/bin:/bin"},
    )
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip()


def test_lxml_html_clean_is_named_as_a_package_not_as_an_extra() -> None:
    """#15: pip 23 does not match the extra lxml[html_clean]; jusText then fails on every .html."""
    import importlib.metadata
    import re

    requires = importlib.metadata.requires("claimdesk") or []
    names = [re.split(r"[<>=\[ ;]", r, maxsplit=1)[0].lower().replace("-", "_") for r in requires]
    assert "lxml_html_clean" in names
    assert not any("html_clean]" in r or "html-clean]" in r for r in requires)
    import lxml.html.clean  # noqa: F401  (what jusText imports)


def test_install_desktop_entry_puts_claimdesk_in_the_menu(tmp_path: Path) -> None:
    import configparser
    import os

    env = dict(os.environ, XDG_DATA_HOME=str(tmp_path))
    out = subprocess.run([sys.executable, "-m", "app", "--install-desktop-entry"], capture_output=True, text=True,
                         env=env, cwd=ROOT, check=True).stdout.split()
    entry = tmp_path / "applications" / "claimdesk.desktop"
    icon = tmp_path / "icons" / "hicolor" / "scalable" / "apps" / "claimdesk.svg"
    assert out == [str(entry), str(icon)]
    parsed = configparser.ConfigParser(interpolation=None)
    parsed.read(entry, encoding="utf-8")
    desktop = parsed["Desktop Entry"]
    assert (desktop["Type"], desktop["Name"], desktop["Icon"], desktop["Terminal"]) == (
        "Application", "Claimdesk", "claimdesk", "false")
    command = desktop["Exec"].split()[0].strip('"')
    assert Path(command).exists() and desktop["TryExec"] == command
    assert icon.read_bytes().lstrip().startswith((b"<svg", b"<?xml"))


def test_make_prefers_the_newest_supported_python() -> None:
    makefile = (ROOT / "Makefile").read_text("utf-8")
    line = next(line for line in makefile.splitlines() if line.startswith("PYTHON ?="))
    assert line.index("python3.13") < line.index("python3.12") < line.index("python3.11")
    chosen = subprocess.run(["make", "-s", "-f", "-", "show"], input=makefile + "\nshow:\n\t@echo $(PYTHON)\n",
                            capture_output=True, text=True, cwd=ROOT, check=True).stdout.strip()
    version = subprocess.run([chosen, "-c", "import sys; print(sys.version_info[:2] >= (3, 11))"],
                             capture_output=True, text=True, check=True).stdout.strip()
    assert version == "True"  # one that runs, not a shim for a version not installed
    assert "install:" in makefile and "--install-desktop-entry" in makefile


def test_the_lock_pins_every_dependency_inside_its_range_with_hashes() -> None:
    """#15: requirements.lock comes from a resolver (`make lock`), so a dependency added to
    pyproject.toml without refreshing it, or pinned outside its range, fails here, not on a fresh
    machine where `make` installs the lock with --require-hashes."""
    import re
    import tomllib

    from packaging.requirements import Requirement
    from packaging.utils import canonicalize_name

    lock = (ROOT / "requirements.lock").read_text("utf-8")
    entries = re.findall(r"^([A-Za-z0-9._-]+)==(\S+)(?: ;[^\\\n]*)?((?: \\\n\s+--hash=sha256:[0-9a-f]{64})+)", lock, re.M)
    pinned = {canonicalize_name(name): version for name, version, _ in entries}
    assert len(entries) == len(re.findall(r"^[A-Za-z0-9._-]+==", lock, re.M)), "an entry without a hash"
    assert "make lock" in lock.splitlines()[1]

    project = tomllib.loads((ROOT / "pyproject.toml").read_text("utf-8"))["project"]
    for spec in [*project["dependencies"], *project["optional-dependencies"]["test"]]:
        requirement = Requirement(spec)
        name = canonicalize_name(requirement.name)
        assert name in pinned, f"{name} is not in requirements.lock: run make lock"
        assert requirement.specifier.contains(pinned[name], prereleases=True), (name, pinned[name])


# The oldest pip the README supports, for each Python: the one the distribution ships with it
# (Debian 12's python3-pip with 3.11, Ubuntu 24.04's with 3.12, Debian 13's with 3.13). pip 23.0
# cannot run on 3.12 or later at all.
OLDEST_PIP = {(3, 11): "23.0.1", (3, 12): "24.0", (3, 13): "25.1.1"}[sys.version_info[:2]]


def test_a_wheel_installed_with_the_oldest_pip_imports_an_html_page(tmp_path: Path) -> None:
    """#15 item 21: a plain `pip install claimdesk-….whl` with the distribution's pip (23 on
    Debian 12), into a fresh virtual environment, then the installed `claimdesk` imports an .html
    file. jusText needs lxml.html.clean; pip 23 ignores the extra lxml[html_clean], so it must
    come as a package."""
    import venv

    venv.create(tmp_path / "env", with_pip=True)
    python = tmp_path / "env" / "bin" / "python"
    pinned = subprocess.run([python, "-m", "pip", "install", "-q", f"pip=={OLDEST_PIP}"], capture_output=True, text=True)
    if pinned.returncode:
        pytest.skip(f"pip {OLDEST_PIP} cannot be fetched here (offline?): {pinned.stderr.strip()[-200:]}")
    subprocess.run([sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation", "-q", "-w",
                    str(tmp_path), str(ROOT)], check=True, capture_output=True)
    (wheel,) = tmp_path.glob("claimdesk-*.whl")
    installed = subprocess.run([python, "-m", "pip", "install", "-q", str(wheel)], capture_output=True, text=True)
    assert installed.returncode == 0, installed.stderr[-2000:]

    page = tmp_path / "page.html"
    page.write_text("<html><head><title>Gyumri</title></head><body><article><h1>Troops at Gyumri</h1>"
                    "<p>Russia keeps about 3,000 troops at its base in Gyumri, the ministry said in 2023.</p>"
                    "<p>The base was founded in 1995 and its lease runs until 2044, the treaty says.</p>"
                    "</article></body></html>", "utf-8")
    claimdesk = tmp_path / "env" / "bin" / "claimdesk"
    out = subprocess.run([claimdesk, "--db", str(tmp_path / "desk.sqlite3"), "import", str(page)],
                         capture_output=True, text=True, cwd=tmp_path, env={"PATH": "/usr/bin:/bin", "HOME": str(tmp_path)})
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip().isdigit()  # the new article's id; the summary goes to stderr
    assert "Troops at Gyumri" in out.stderr and "suggested claims" in out.stderr
