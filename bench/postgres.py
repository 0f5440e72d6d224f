"""The benchmark's Postgres column: every page in Postgres mode (TANDEM_DB = a connection string) beside file mode.

For each scale: a throwaway cluster (bench/pgcluster.py), the same bench database loaded into it once
(queries.backend.load_file, in a child process), then in this process
- the first start of a server: connecting copies every table into the local replica (timed on its own);
- the change check: one forced refresh with nothing changed (the round trip a server makes at most once a second);
- every page's data layer (its queries calls, warm-up then `runs` runs), as for file mode;
- every page's full server-side run in AppTest with TANDEM_DB set to the connection string.
Without Postgres binaries the column is {"skipped": "no postgres"}. The report part (section(), target_row()) reads
only the saved figures, so `--render` works without Postgres.
"""

from __future__ import annotations

import gc
import json
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
RATIO_TARGET = 2.0
TARGET_SCALE = 20.0
SKIPPED = "no postgres"
_LOAD = ("import json, sys, time\nfrom queries import backend\nstarted = time.perf_counter()\n"
         "rows = backend.load_file(sys.argv[1], sys.argv[2])\n"
         "print(json.dumps({'rows': rows, 'seconds': time.perf_counter() - started}))")


def _log(text: str) -> None:
    from bench.__main__ import log

    log(text)


def _load(path: Path, dsn: str) -> dict:
    """backend.load_file in a child process (this one may still hold the file open through the app's cache)."""
    env = {**os.environ, "PYTHONPATH": str(ROOT) + (os.pathsep + os.environ["PYTHONPATH"]
                                                    if os.environ.get("PYTHONPATH") else "")}
    started = time.perf_counter()
    done = subprocess.run([sys.executable, "-c", _LOAD, str(path), dsn], cwd=ROOT, env=env, capture_output=True,
                          text=True, check=False)
    if done.returncode != 0:
        raise RuntimeError(f"loading {path.name} into Postgres failed:\n{done.stderr[-3000:]}")
    found = json.loads(done.stdout.strip().splitlines()[-1])
    return {"rows": found["rows"], "seconds": found["seconds"], "process_seconds": time.perf_counter() - started}


def measure(path: Path, calls: dict[str, list], runs: int, scale: float) -> dict:
    """The Postgres figures of one scale (see the module docstring); {"skipped": ...} without Postgres."""
    from bench import app, pgcluster

    bin_dir = pgcluster.find_bin_dir()
    if bin_dir is None:
        _log(f"scale {scale:g}: Postgres column skipped: no postgres binaries (apt-get install -y postgresql)")
        return {"skipped": SKIPPED}
    previous = os.environ.get("TANDEM_DB")
    try:
        app.use_database(Path(os.devnull))  # the app's cached connection holds the file's lock: let it go
        gc.collect()
        with pgcluster.Cluster(bin_dir) as cluster:
            dsn = cluster.create_database("tandem_bench")
            found: dict = {"server": cluster.version()}
            _log(f"scale {scale:g}: Postgres {found['server']}: loading {path.name}")
            found["load"] = _load(path, dsn)
            started = time.perf_counter()
            cluster.settle("tandem_bench")
            found["load"]["vacuum_seconds"] = time.perf_counter() - started
            found.update(_data_layer(dsn, calls, runs, scale))
            _page_runs(dsn, found["pages"], runs, scale)
    finally:
        app.use_database(path)  # drops the app's Postgres connection (and its replica)
        if previous is None:
            os.environ.pop("TANDEM_DB", None)
    return found


def _data_layer(dsn: str, calls: dict[str, list], runs: int, scale: float) -> dict:
    """First start (connect = copy every table), the change check, and every page's queries calls."""
    from bench import workload
    from queries import db

    _log(f"scale {scale:g}: Postgres: first start (copy every table into the replica)")
    started, cpu = time.perf_counter(), time.process_time()
    con = db.connect(dsn)
    found: dict = {"first_copy": {"seconds": time.perf_counter() - started, "cpu": time.process_time() - cpu}}
    try:
        checks = []
        for _ in range(max(runs, 5)):
            started = time.perf_counter()
            con.refresh(force=True)
            checks.append(time.perf_counter() - started)
        found["check"] = checks
        found["pages"] = []
        for variant in workload.VARIANTS:
            planned = calls[variant.name]
            data, data_cpu, per_call = workload.time_calls(con, planned, runs)
            found["pages"].append({"name": variant.name, "data": data, "data_cpu": data_cpu,
                                   "per_call": [(c.label(), t) for c, t in zip(planned, per_call, strict=True)]})
    finally:
        con.close()
    return found


def _page_runs(dsn: str, pages: list[dict], runs: int, scale: float) -> None:
    """Every page's full server-side run in AppTest with TANDEM_DB = the connection string (adds page, page_cpu)."""
    from bench import app, workload

    app.use_database(dsn)
    at = app.start()  # the app's own connection: its first copy happens here, untimed
    for variant, page in zip(workload.VARIANTS, pages, strict=True):
        _log(f"scale {scale:g}: Postgres: {variant.name}")
        app.open_page(at, variant)
        page_runs = [app.timed_rerun(at, variant) for _ in range(runs)]
        page["page"] = [wall for wall, _ in page_runs]
        page["page_cpu"] = [cpu for _, cpu in page_runs]


# --- the report ---------------------------------------------------------------------------------------------------

def _median(values: list[float]) -> float:
    return statistics.median(values) if values else float("nan")


def _ms(values: list[float]) -> str:
    if not values:
        return "—"
    mid = _median(values) * 1000
    if len(values) == 1:
        return f"{mid:,.0f}"
    return f"{mid:,.0f} ({min(values) * 1000:,.0f}–{max(values) * 1000:,.0f})"


def ratios(found: dict) -> list[tuple[str, float | None, float | None]]:
    """(page, Postgres/file page run, Postgres/file data layer) for every page of a scale with Postgres figures."""
    file_pages = {p["name"]: p for p in found["pages"]}
    rows = []
    for page in found.get("postgres", {}).get("pages", []):
        mine = file_pages.get(page["name"], {})
        run = _median(page.get("page", [])) / _median(mine["page"]) if mine.get("page") and page.get("page") else None
        data = _median(page["data"]) / _median(mine["data"]) if mine.get("data") and page.get("data") else None
        rows.append((page["name"], run, data))
    return rows


def _cpu_ratio(page: dict, file_page: dict, key: str) -> str:
    mine, theirs = _median(page.get(key, [])), _median(file_page.get(key, []))
    return f"{mine / theirs:.2f}" if theirs and theirs == theirs and mine == mine else "—"


def target_row(results: dict) -> str:
    """The targets table's row: every page within 2× of file mode at scale 20 in Postgres mode."""
    label = (f"| Every page within {RATIO_TARGET:g}× of file mode at scale {TARGET_SCALE:g} "
             "(Postgres; page run and data layer)")
    found = next((s for s in results["scales"] if s["scale"] == TARGET_SCALE), None)
    if found is None or "postgres" not in found:
        return f"{label} | not run | — |"
    if found["postgres"].get("skipped"):
        return f"{label} | skipped: {found['postgres']['skipped']} | — |"
    rows = ratios(found)
    worst = max(rows, key=lambda r: max(r[1] or 0, r[2] or 0))
    misses = [name for name, run, data in rows if max(run or 0, data or 0) > RATIO_TARGET]
    return (f"{label} | {len(rows) - len(misses)} of {len(rows)} pages; highest {worst[0]} "
            f"{worst[1] or 0:.2f}× page run, {worst[2] or 0:.2f}× data layer"
            f"{'; over: ' + ', '.join(misses) if misses else ''} | {'**missed**' if misses else '**met**'} |")


def section(found: dict) -> list[str]:
    """The Postgres part of a scale's section of the report."""
    pg = found.get("postgres")
    if pg is None:
        return []
    lines = [f"### Postgres mode (scale {found['scale']:g})", ""]
    if pg.get("skipped"):
        return [*lines, f"Postgres column skipped: {pg['skipped']} (no Postgres server binaries on this machine; "
                        "apt-get install -y postgresql).", ""]
    vacuum = pg["load"].get("vacuum_seconds")
    lines += [f"A throwaway Postgres {pg['server']} cluster on this machine (bench/pgcluster.py; fsync off), loaded "
              f"once with the same database by `queries.backend.load_file` ({pg['load']['rows']:,} rows in "
              f"{pg['load']['seconds']:.1f} s"
              + (f", then VACUUM ANALYZE in {vacuum:.1f} s so autovacuum stays idle while pages are timed" if vacuum
                 else "") + "). TANDEM_DB is its connection string: reads come from the server's local DuckDB "
              "replica, refreshed per changed table.", "",
              f"- **First start** of a server (connect: every table copied into the replica): "
              f"{pg['first_copy']['seconds']:.1f} s wall, {pg['first_copy']['cpu']:.1f} s CPU of this process "
              "(Postgres's own work is in the other processes); not included below.",
              f"- Change check (one round trip to Postgres's meta, made at most once a second per server): "
              f"{_ms(pg['check'])} ms.", "",
              "Times in ms, median (min–max), as in the table above: *Page run* = a full AppTest run with caches "
              "cleared, *Data layer* = the page's queries calls; *Ratio* = Postgres / file of the wall-clock "
              "medians (the target), *CPU ratio* = the same for this process's CPU time, which a busy shared "
              "machine disturbs far less (the file-mode and Postgres runs happen minutes apart).", "",
              "| Page | Page run, file | Page run, Postgres | Ratio | CPU ratio | Data layer, file "
              "| Data layer, Postgres | Ratio | CPU ratio |", "|---|---:|---:|---:|---:|---:|---:|---:|---:|"]
    file_pages = {p["name"]: p for p in found["pages"]}
    by_name = {name: (run, data) for name, run, data in ratios(found)}
    for page in pg["pages"]:
        mine = file_pages.get(page["name"], {})
        run, data = by_name[page["name"]]
        lines.append(f"| {page['name']} | {_ms(mine.get('page', []))} | {_ms(page.get('page', []))} | "
                     f"{'—' if run is None else f'{run:.2f}×'} | {_cpu_ratio(page, mine, 'page_cpu')} | "
                     f"{_ms(mine.get('data', []))} | {_ms(page['data'])} | {'—' if data is None else f'{data:.2f}×'} | "
                     f"{_cpu_ratio(page, mine, 'data_cpu')} |")
    slow = []
    for page in pg["pages"]:
        file_calls = dict((label, t) for label, t in file_pages.get(page["name"], {}).get("per_call", []))
        for label, times in page["per_call"]:
            if label in file_calls and _median(times) >= 0.005:
                slow.append((_median(times) / _median(file_calls[label]), page["name"], label, _median(times)))
    slow.sort(reverse=True)
    if slow:
        lines += ["", "Calls with the highest Postgres / file ratio (≥ 5 ms in Postgres mode): "
                  + "; ".join(f"{name}: `{label}` {ms * 1000:,.1f} ms ({r:.2f}×)" for r, name, label, ms in slow[:4])
                  + "."]
    return [*lines, ""]
