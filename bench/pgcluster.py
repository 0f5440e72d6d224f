"""A throwaway Postgres cluster: initdb into a temp folder, pg_ctl on a free port, trust auth, stop.

Used by the benchmark's Postgres column (bench/postgres.py) and by the tests (tests/pg.py adds the pytest skip).
Postgres refuses to run as root, so as root the server runs as the unprivileged `postgres` user (Debian's
postgresql package creates it; we create it if missing). Standard library only.
"""

from __future__ import annotations

import glob
import os
import pwd
import re
import shutil
import socket
import subprocess
import tempfile
import uuid
from pathlib import Path

SUPERUSER = "postgres"
# Debian's postgresql puts its binaries in /usr/lib/postgresql/<major>/bin, not on PATH.
SEARCH = ("/usr/lib/postgresql/*/bin", "/usr/local/pgsql/bin", "/usr/local/bin", "/usr/bin")


def find_bin_dir() -> Path | None:
    """The folder holding initdb, pg_ctl and createdb (newest major version first), or None."""
    candidates: list[Path] = []
    for pattern in SEARCH:
        matches = sorted(glob.glob(pattern), key=lambda p: [int(x) if x.isdigit() else 0 for x in Path(p).parts],
                         reverse=True)
        candidates += [Path(m) for m in matches]
    found = shutil.which("initdb")
    if found:
        candidates.insert(0, Path(found).resolve().parent)
    for folder in candidates:
        if all((folder / name).exists() for name in ("initdb", "pg_ctl", "createdb", "postgres")):
            return folder
    return None


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _server_user() -> str | None:
    """None when we may run Postgres ourselves; else the unprivileged user to run it as (created if missing)."""
    if os.geteuid() != 0:
        return None
    try:
        pwd.getpwnam(SUPERUSER)
    except KeyError:
        subprocess.run(["useradd", "--system", "--no-create-home", "--shell", "/usr/sbin/nologin", SUPERUSER],
                       check=True, capture_output=True)
    return SUPERUSER


class Cluster:
    """One running cluster on 127.0.0.1:<port>, trust auth, owned by a temp folder removed on stop()."""

    def __init__(self, bin_dir: Path | None = None):
        found = bin_dir or find_bin_dir()
        if found is None:
            raise RuntimeError("Postgres is not installed (apt-get install -y postgresql)")
        self.bin_dir = found
        self.port = free_port()
        self.host = "127.0.0.1"
        self.user = _server_user()
        self.root = Path(tempfile.mkdtemp(prefix="tandem-pg-"))
        self.data = self.root / "data"
        self.log = self.root / "server.log"
        os.chmod(self.root, 0o755)
        if self.user:
            entry = pwd.getpwnam(self.user)
            os.chown(self.root, entry.pw_uid, entry.pw_gid)
        try:
            self._run("initdb", "-D", str(self.data), "-U", SUPERUSER, "--auth=trust", "-E", "UTF8", "--no-sync",
                      "--no-instructions")
            # fsync off: a throwaway cluster, durability buys nothing but time.
            options = f"-p {self.port} -h {self.host} -k {self.root} -F -c max_connections=200"
            self._run("pg_ctl", "-D", str(self.data), "-l", str(self.log), "-o", options, "-w", "-t", "60", "start")
        except BaseException:
            shutil.rmtree(self.root, ignore_errors=True)
            raise
        self.running = True

    def _run(self, program: str, *args: str) -> str:
        kwargs = {"user": self.user, "group": pwd.getpwnam(self.user).pw_gid, "extra_groups": []} if self.user else {}
        result = subprocess.run([str(self.bin_dir / program), *args], capture_output=True, text=True, cwd=self.root,
                                **kwargs)
        if result.returncode != 0:
            log = self.log.read_text() if self.log.exists() else ""
            raise RuntimeError(f"{program} failed: {result.stderr.strip()} {result.stdout.strip()}\n{log}")
        return result.stdout

    def version(self) -> str:
        """'postgres (PostgreSQL) 15.18 (Debian 15.18-0+deb12u1)' → '15.18'."""
        text = self._run("postgres", "--version")
        found = re.search(r"\d+(?:\.\d+)+", text)
        return found.group(0) if found else text.strip()

    def dsn(self, dbname: str = "postgres") -> str:
        """A postgresql:// URL for a database of this cluster."""
        return f"postgresql://{SUPERUSER}@{self.host}:{self.port}/{dbname}"

    def create_database(self, name: str | None = None, *, template: str | None = None) -> str:
        """Create a new (empty, or copied from template) database; return its URL."""
        name = name or f"t_{uuid.uuid4().hex[:12]}"
        args = ["-h", self.host, "-p", str(self.port), "-U", SUPERUSER]
        if template:
            args += ["-T", template]
        self._run("createdb", *args, name)
        return self.dsn(name)

    def settle(self, dbname: str) -> None:
        """VACUUM ANALYZE a freshly loaded database, so autovacuum is not busy with it while something is timed."""
        self._run("vacuumdb", "-h", self.host, "-p", str(self.port), "-U", SUPERUSER, "--analyze", "--quiet", dbname)

    def stop(self) -> None:
        if getattr(self, "running", False):
            self._run("pg_ctl", "-D", str(self.data), "-m", "immediate", "-w", "stop")
            self.running = False
        shutil.rmtree(self.root, ignore_errors=True)

    def __enter__(self) -> Cluster:
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()
