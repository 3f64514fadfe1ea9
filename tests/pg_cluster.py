"""A throwaway PostgreSQL server for the tests and benchmarks: a cluster in a temporary folder,
on a Unix socket only, removed afterwards. PostgreSQL refuses to run as root, so under root
(CI) it runs as the unprivileged `nobody`. Or CLAIMDESK_TEST_PG_URL names a server to use."""

from __future__ import annotations

import glob
import os
import shutil
import subprocess
import tempfile
from pathlib import Path

SUPERUSER = "claimdesk_test"
TEMPLATE = "claimdesk_template"


def bindir() -> Path | None:
    """Debian keeps initdb and pg_ctl off PATH, under /usr/lib/postgresql/<version>/bin."""
    found = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"), key=lambda p: int(p.split("/")[4]))
    if found:
        return Path(found[-1]).parent
    initdb = shutil.which("initdb")
    return Path(initdb).parent if initdb else None


def _unprivileged_user() -> str:
    """`nobody`, or a system user made for the purpose where a minimal image lacks it."""
    import pwd

    for name in ("nobody", "claimdesk-test"):
        try:
            pwd.getpwnam(name)
            return name
        except KeyError:
            continue
    subprocess.run(["useradd", "--system", "--no-create-home", "--shell", "/usr/sbin/nologin", "claimdesk-test"],
                   check=True, capture_output=True)
    return "claimdesk-test"


class Cluster:
    """Start with start(); url(dbname) for a database on it; stop() removes every trace."""

    def __init__(self) -> None:
        bin_ = bindir()
        if bin_ is None:
            raise RuntimeError("PostgreSQL is not installed (Debian: apt-get install postgresql)")
        self.bin = bin_
        self.run_as = _unprivileged_user() if os.geteuid() == 0 else None
        # Under root, /tmp: a TMPDIR inside root's home would not let the server's user in.
        self.folder = Path(tempfile.mkdtemp(prefix="claimdesk-pg-", dir="/tmp" if self.run_as else None))
        self.data = self.folder / "data"
        if self.run_as:
            shutil.chown(self.folder, self.run_as)
            self.folder.chmod(0o700)

    def _run(self, *args: str) -> None:
        command = [*(["runuser", "-u", self.run_as, "--"] if self.run_as else []), *args]
        result = subprocess.run(command, capture_output=True, text=True, check=False, cwd="/")
        if result.returncode != 0:
            raise RuntimeError(f"{' '.join(args[:2])} failed:\n{result.stdout}\n{result.stderr}")

    def start(self) -> None:
        self._run(str(self.bin / "initdb"), "-D", str(self.data), "-U", SUPERUSER, "--auth=trust",
                  "-E", "UTF8", "--locale=C.UTF-8", "--no-sync")
        options = (
            f"-k {self.folder} -c listen_addresses='' -p 5432 -c fsync=off -c synchronous_commit=off"
            " -c full_page_writes=off -c max_connections=60"
        )
        self._run(str(self.bin / "pg_ctl"), "-D", str(self.data), "-o", options,
                  "-l", str(self.folder / "server.log"), "-w", "-t", "60", "start")

    def url(self, database: str = "postgres", user: str = SUPERUSER) -> str:
        return f"postgresql://{user}@/{database}?host={self.folder}&port=5432"

    def stop(self) -> None:
        try:
            if (self.data / "postmaster.pid").exists():
                self._run(str(self.bin / "pg_ctl"), "-D", str(self.data), "-m", "immediate", "-w", "stop")
        finally:
            shutil.rmtree(self.folder, ignore_errors=True)
