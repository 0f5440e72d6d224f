"""The measurements that need their own process: peak memory, a 1M-row import, and first start on a fresh machine."""

from __future__ import annotations

import json
import os
import pickle
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import duckdb

ROOT = Path(__file__).resolve().parent.parent

# A leads export: the source database's leads copied under new ids (so every reference stays valid).
LEADS_CSV_SQL = """
SELECT 'IMP-' || copy || '-' || lead_id AS lead_id, created_at, campaign_id, channel, region, segment, industry,
       company, owner_rep_id, mql_at, sal_at, sql_at, rejected_at, reject_reason, first_contact_at, contact_attempts
FROM leads, range(CAST(ceil($rows / (SELECT count(*) FROM leads)) AS BIGINT)) AS copies (copy)
ORDER BY copy, lead_id
LIMIT $rows
"""


def _child_env() -> dict[str, str]:
    env = dict(os.environ)
    env["PYTHONPATH"] = str(ROOT) + (os.pathsep + env["PYTHONPATH"] if env.get("PYTHONPATH") else "")
    return env


def _json_line(output: str) -> dict:
    for line in reversed(output.strip().splitlines()):
        if line.startswith("{"):
            return json.loads(line)
    raise RuntimeError(f"no result line in the child's output:\n{output[-2000:]}")


def peak_memory(db_path: Path, calls: list, workdir: Path) -> dict[str, dict]:
    """Peak RSS of the Tandem process, the peer process and a process with only their imports."""
    plan_file = workdir / f"{db_path.stem}.calls.pickle"
    plan_file.write_bytes(pickle.dumps(calls))
    found = {}
    for mode in ("baseline", "tandem", "peer"):
        done = subprocess.run([sys.executable, "-m", "bench.serve", mode, str(db_path), str(plan_file)],
                              cwd=ROOT, env=_child_env(), capture_output=True, text=True, check=False)
        if done.returncode != 0:
            raise RuntimeError(f"bench.serve {mode} failed:\n{done.stderr[-3000:]}")
        found[mode] = _json_line(done.stdout)
    plan_file.unlink()
    return found


def summary_refresh(db_path: Path, rows: int) -> dict:
    """An import of `rows` leads into a copy of the database with its summary tables built, and its undo, each
    followed by every summary table brought up to date, in a fresh process (bench/summary_refresh.py)."""
    done = subprocess.run([sys.executable, "-m", "bench.summary_refresh", str(db_path), "--rows", str(rows)], cwd=ROOT,
                          env=_child_env(), capture_output=True, text=True, check=False)
    if done.returncode != 0:
        raise RuntimeError(f"bench.summary_refresh failed:\n{done.stderr[-3000:]}")
    return {**_json_line(done.stdout), "target": db_path.name}


def derived_builds(db_path: Path) -> list[dict]:
    """Build every summary table once in a fresh process (bench/derived_build.py): name, rows, seconds, CPU."""
    done = subprocess.run([sys.executable, "-m", "bench.derived_build", str(db_path)], cwd=ROOT, env=_child_env(),
                          capture_output=True, text=True, check=False)
    if done.returncode != 0:
        raise RuntimeError(f"bench.derived_build failed:\n{done.stderr[-3000:]}")
    for line in reversed(done.stdout.strip().splitlines()):
        if line.startswith("["):
            return json.loads(line)
    raise RuntimeError(f"no result line from bench.derived_build:\n{done.stdout[-2000:]}")


def write_leads_csv(source_db: Path, path: Path, rows: int) -> Path:
    """A CSV export of `rows` leads: the source database's leads copied under new ids (valid references)."""
    if path.exists():
        return path
    con = duckdb.connect(str(source_db))  # this process may hold it open read-write already (one config per file)
    try:
        partial = path.with_suffix(".partial.csv")
        con.sql(LEADS_CSV_SQL, params={"rows": rows}).write_csv(str(partial), header=True)
    finally:
        con.close()
    os.replace(partial, path)
    return path


def timed_import(source_db: Path, csv_path: Path, workdir: Path, runs: int = 1) -> dict:
    """`python -m queries.ingest` (read, validate every cell and reference, commit) into a fresh copy of the database,
    `runs` times: `seconds` is the median, `times` every run (one import is a single process, so it varies with
    what else the machine does)."""
    target = workdir / "import-target.duckdb"
    rows = sum(1 for _ in csv_path.open("rb")) - 1
    times, done = [], None
    for _ in range(max(1, runs)):
        shutil.copy(source_db, target)
        started = time.perf_counter()
        done = subprocess.run([sys.executable, "-m", "queries.ingest", "--db", str(target), "--table", "leads",
                               str(csv_path)], cwd=ROOT, env=_child_env(), capture_output=True, text=True, check=False)
        times.append(time.perf_counter() - started)
        target.unlink(missing_ok=True)
        Path(str(target) + ".wal").unlink(missing_ok=True)
        if done.returncode != 0:
            break
    return {"rows": rows, "seconds": statistics.median(times), "times": times, "exit_code": done.returncode,
            "megabytes": csv_path.stat().st_size / 1e6,
            "output": (done.stdout.strip() or done.stderr.strip()).splitlines()[-1:] or [""]}


FIRST_START = """
import time
started = time.perf_counter()
from bench import app
app.install()
from streamlit.testing.v1 import AppTest
at = AppTest.from_file(str(app.ROOT / "dashboard.py"), default_timeout=app.TIMEOUT_SECONDS).run()
import json, sys
print(json.dumps({"seconds": time.perf_counter() - started, "exception": [e.message for e in at.exception],
                  "metrics": len(at.metric)}))
"""


def first_start() -> dict:
    """A fresh process, no database yet: dashboard.py generates the default sample, then draws the first page.

    Timed from before `python` starts to the end of the first page run (server side; the browser's own drawing
    is not included).
    """
    with tempfile.TemporaryDirectory(prefix="tandem-first-start-") as folder:
        env = _child_env()
        env["TANDEM_DB"] = str(Path(folder) / "tandem.duckdb")
        started = time.perf_counter()
        done = subprocess.run([sys.executable, "-c", FIRST_START], cwd=ROOT, env=env, capture_output=True, text=True,
                              check=False)
        seconds = time.perf_counter() - started
    if done.returncode != 0:
        raise RuntimeError(f"first start failed:\n{done.stderr[-3000:]}")
    inner = _json_line(done.stdout)
    return {"seconds": seconds, "in_process_seconds": inner["seconds"], "exception": inner["exception"],
            "metrics": inner["metrics"]}
