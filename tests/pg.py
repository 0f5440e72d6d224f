"""A throwaway Postgres cluster for tests (bench/pgcluster.py: initdb into a temp folder, pg_ctl on a free port,
trust auth, stop), plus the pytest skip when Postgres is not installed and one shared cluster per test process.

`python -m pg` (with tests/ on the path) starts one and prints its connection string until Enter, for trying
Tandem by hand.
"""

from __future__ import annotations

import atexit
import os
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:  # `python -m pg` from tests/
    sys.path.insert(0, str(ROOT))

from bench import pgcluster  # noqa: E402
from bench.pgcluster import SUPERUSER, find_bin_dir, free_port  # noqa: E402

__all__ = ["SUPERUSER", "Cluster", "find_bin_dir", "free_port", "require_postgres", "shared_cluster"]


def require_postgres() -> Path:
    """The binaries folder; fails under CI without Postgres, skips with a reason elsewhere."""
    folder = find_bin_dir()
    if folder is not None:
        return folder
    if os.environ.get("CI"):
        pytest.fail("Postgres binaries not found: CI must install them (apt-get install -y postgresql)")
    pytest.skip("Postgres is not installed (apt-get install -y postgresql); Postgres tests skipped outside CI")


class Cluster(pgcluster.Cluster):
    """bench/pgcluster.py's cluster; skips the test (fails under CI) when Postgres is not installed."""

    def __init__(self, bin_dir: Path | None = None):
        super().__init__(bin_dir or require_postgres())


_SHARED: Cluster | None = None


def shared_cluster() -> Cluster:
    """One cluster per test process (started on first use, stopped at exit): initdb costs seconds, a database
    costs a fraction of one, so tests share the cluster and each takes its own database."""
    global _SHARED
    if _SHARED is None:
        _SHARED = Cluster()
        atexit.register(_SHARED.stop)
    return _SHARED


if __name__ == "__main__":
    cluster = Cluster()
    try:
        print(cluster.create_database("tandem"), flush=True)
        input("Postgres is running; press Enter to stop it. ")
    finally:
        cluster.stop()
