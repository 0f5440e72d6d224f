"""python -m bench [--scales 1,20,200] [--out bench/RESULTS.md] [--runs N] [--smoke]: every page, timed, against
the pandas way; every page's first paint in Chromium; peak memory, a 1M-row import, a CRM export into an empty
database and first start. Writes a markdown report (bench/report.py)."""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import platform
import shlex
import statistics
import sys
import time
from datetime import datetime
from importlib import metadata
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "bench" / "data"
SMOKE_SCALE = 0.05
IMPORT_ROWS = 1_000_000
SMOKE_IMPORT_ROWS = 5_000
IMPORT_RUNS = 5  # the import is one process per run: its median and spread, as for the pages
REFRESH_SCALE, REFRESH_ROWS, SMOKE_REFRESH_ROWS = 200.0, 10_000, 200  # an import's summary-table refresh (if measured)


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__.split("\n")[0])
    parser.add_argument("--scales", default="1,20", help="comma-separated sample scales (default 1,20)")
    parser.add_argument("--out", type=Path, default=ROOT / "bench" / "RESULTS.md", help="the markdown report")
    parser.add_argument("--runs", type=int, default=5, help="timed runs per page after one warm-up (default 5)")
    parser.add_argument("--smoke", action="store_true",
                        help=f"everything at scale {SMOKE_SCALE}, 1 run, a {SMOKE_IMPORT_ROWS:,}-row import (for CI)")
    parser.add_argument("--skip-first-start", action="store_true", help="leave out the first-start measurement")
    parser.add_argument("--paint-loads", type=int, default=3,
                        help="cold loads and warm reloads per page in Chromium (default 3; 0 leaves first paint out)")
    parser.add_argument("--render", type=Path, metavar="RESULTS.json",
                        help="measure nothing: rewrite --out from a saved run (e.g. after editing bench/NOTES.md)")
    return parser


def log(text: str) -> None:
    print(f"[bench {datetime.now():%H:%M:%S}] {text}", file=sys.stderr, flush=True)


def machine() -> dict:
    memory_kb = next((int(line.split()[1]) for line in Path("/proc/meminfo").read_text().splitlines()
                      if line.startswith("MemTotal:")), 0) if Path("/proc/meminfo").exists() else 0
    versions = {name: metadata.version(name) for name in ("duckdb", "streamlit", "pandas", "pyarrow", "plotly",
                                                             "orjson")}
    return {"cores": os.cpu_count(), "cpu": cpu_model(), "memory_gb": memory_kb / 1024 / 1024,
            "python": platform.python_version(), "platform": platform.platform(), "versions": versions}


def cpu_model() -> str:
    """The processor's name and clock as Linux reports them: runs on different machines differ by it."""
    info = Path("/proc/cpuinfo")
    fields = {}
    if info.exists():
        for line in info.read_text().splitlines():
            name, _, value = line.partition(":")
            fields.setdefault(name.strip(), value.strip())
    model = fields.get("model name") or platform.processor() or "unknown processor"
    mhz = fields.get("cpu MHz")
    return f"{model} at {float(mhz) / 1000:.1f} GHz" if mhz else model


def load_average() -> str:
    try:
        return " ".join(f"{x:.1f}" for x in os.getloadavg())
    except OSError:
        return "unknown"


def fingerprint() -> str:
    """Changes when the schema or the generator does, so a stale bench database is never reused."""
    digest = hashlib.sha256((ROOT / "queries" / "schema.sql").read_bytes())
    for source in sorted((ROOT / "sample_data").glob("*.py")):
        digest.update(source.read_bytes())
    return digest.hexdigest()[:8]


def database(scale: float, smoke: bool) -> tuple[Path, float | None]:
    """The bench database for a scale: generated once (fixed seed and end date) and reused."""
    import sample_data
    from bench.workload import END, SEED

    DATA.mkdir(parents=True, exist_ok=True)
    path = DATA / f"tandem-scale{scale:g}-{END:%Y%m%d}-{fingerprint()}.duckdb"
    if path.exists():
        return path, None
    log(f"generating scale {scale:g} into {path} (once)")
    started = time.perf_counter()
    sample_data.generate(path, seed=SEED, end=END, scale=scale)
    return path, time.perf_counter() - started


def table_rows(path: Path) -> dict[str, int]:
    from queries import db

    con = db.connect(path, read_only=True)
    try:
        return {t: int(db.run_sql(con, f"SELECT count(*) AS n FROM {t}").n[0])  # noqa: S608 - fixed names
                for t in ("leads", "deals", "touches", "campaign_spend")}
    finally:
        con.close()


def resolve_calls(path: Path) -> dict[str, list]:
    from bench import workload
    from queries import db

    con = db.connect(path)
    try:
        ctx = workload.context(con)
        return {v.name: workload.plan_calls(v, con, ctx) for v in workload.VARIANTS}
    finally:
        con.close()


def measure_scale(scale: float, runs: int, smoke: bool, paint_loads: int) -> dict:
    from bench import app, extras, paint, peer, postgres, profile, workload
    from queries import db

    path, generated = database(scale, smoke)
    result: dict = {"scale": scale, "path": path.name, "generate_seconds": generated, "rows": table_rows(path)}
    calls = resolve_calls(path)

    # Separate processes first, while this one holds no connection to the file (DuckDB locks it per process).
    log(f"scale {scale:g}: peak memory (three processes)")
    every_call = [c for v in workload.VARIANTS for c in calls[v.name]]
    result["memory"] = extras.peak_memory(path, every_call, DATA)
    log(f"scale {scale:g}: summary tables, first build")
    result["derived"] = extras.derived_builds(path)

    app.use_database(path)
    con = db.connect(path)
    pages = []
    at = app.start()
    for variant in workload.VARIANTS:
        log(f"scale {scale:g}: {variant.name}")
        planned = calls[variant.name]
        seen: list = []
        app.open_page(at, variant, seen)
        page_runs = [app.timed_rerun(at, variant) for _ in range(runs)]
        with profile.attributing() as spent:  # one more run, split by cause
            wall, _ = app.timed_rerun(at, variant)
        causes = sorted(((k, v) for k, v in spent.items() if k != "data"), key=lambda kv: -kv[1])[:4]
        listed, recorded = sorted(c.key() for c in planned), sorted(seen)
        data_runs, data_cpu, per_call = workload.time_calls(con, planned, runs)
        covered = [i for i, c in enumerate(planned) if peer.covers(c.fn, c.kwargs)]
        pages.append({"name": variant.name, "path": variant.path, "state": dict(variant.state),
                      "page": [wall for wall, _ in page_runs], "page_cpu": [cpu for _, cpu in page_runs],
                      "data": data_runs, "data_cpu": data_cpu, "calls": len(planned), "covered": len(covered),
                      "calls_match": listed == recorded,
                      "split": {"total": wall, **profile.split(wall, spent)}, "top_causes": causes,
                      "per_call": [(c.label(), per_call[i]) for i, c in enumerate(planned)],
                      "covered_tandem": [sum(per_call[i][r] for i in covered) for r in range(runs)]})
    del at
    result["pages"] = pages

    log(f"scale {scale:g}: pandas peer")
    load_times = []
    frames = None
    for _ in range(1 if smoke else 2):
        del frames
        started = time.perf_counter()
        frames = peer.load(con)
        load_times.append(time.perf_counter() - started)
    result["peer_load"] = load_times
    result["peer_frames_mb"] = sum(f.memory_usage(deep=True).sum() for f in frames.values()) / 1e6
    for page in pages:
        planned = [c for c in calls[page["name"]] if peer.covers(c.fn, c.kwargs)]
        times = []
        for run in range(runs + 1):
            started = time.perf_counter()
            for call in planned:
                peer.run(frames, call.fn, call.kwargs)
            if run:
                times.append(time.perf_counter() - started)
        page["peer"] = times
    del frames
    con.close()
    result["postgres"] = postgres.measure(path, calls, runs, scale)  # the same pages in Postgres mode, if installed
    if paint_loads:  # every page in Chromium (a smoke run: one page)
        log(f"scale {scale:g}: first paint in Chromium")
        variants = [v for v in workload.VARIANTS if not smoke or v.name == paint.SMOKE_PAGE]
        result["paint"] = paint.measure(path, variants, paint_loads, log=log)
    return result


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    if args.render:
        from bench import report

        args.out.write_text(report.markdown(json.loads(args.render.read_text())))
        log(f"wrote {args.out} from {args.render}")
        return 0
    scales = [SMOKE_SCALE] if args.smoke else [float(s) for s in args.scales.split(",") if s.strip()]
    runs = 1 if args.smoke else max(args.runs, 1)
    paint_loads = min(max(args.paint_loads, 0), 1 if args.smoke else args.paint_loads)
    command = "python -m bench " + " ".join(shlex.quote(a) for a in (argv if argv is not None else sys.argv[1:]))
    from bench import app, extras, report

    app.install()
    started = time.perf_counter()
    results: dict = {"machine": machine(), "command": command.strip(), "smoke": args.smoke, "runs": runs,
                     "started": f"{datetime.now():%Y-%m-%d %H:%M}", "load_before": load_average(), "scales": []}
    for scale in scales:
        results["scales"].append(measure_scale(scale, runs, args.smoke, paint_loads))
    results["harness"] = app.empty_page_times(max(runs, 5))

    import_rows = SMOKE_IMPORT_ROWS if args.smoke else IMPORT_ROWS
    source, _ = database(1.0 if not args.smoke else SMOKE_SCALE, args.smoke)
    log(f"import of {import_rows:,} leads through python -m queries.ingest")
    csv_path = extras.write_leads_csv(source, DATA / f"leads-{import_rows}-{fingerprint()}.csv", import_rows)
    results["import"] = {**extras.timed_import(source, csv_path, DATA, runs=1 if args.smoke else IMPORT_RUNS),
                         "target": source.name}
    if args.smoke or REFRESH_SCALE in scales:
        refreshed, _ = database(SMOKE_SCALE if args.smoke else REFRESH_SCALE, args.smoke)
        refresh_rows = SMOKE_REFRESH_ROWS if args.smoke else REFRESH_ROWS
        log(f"import of {refresh_rows:,} leads into {refreshed.name}, then every summary table up to date")
        results["summary_refresh"] = extras.summary_refresh(refreshed, refresh_rows)
    deals = 500 if args.smoke else 8_800
    log(f"empty start: a CRM export of {deals:,} deals into an empty database, then every page")
    from bench import empty_start

    results["empty_start"] = empty_start.measure(deals=deals, runs=1 if args.smoke else 3)
    if not args.skip_first_start:
        log("first start (fresh process, no database)")
        results["first_start"] = extras.first_start()
    results["load_after"] = load_average()
    results["seconds"] = time.perf_counter() - started
    args.out.parent.mkdir(parents=True, exist_ok=True)
    # Every figure, kept for --render (a smoke run keeps its own next to its report).
    saved = args.out.with_suffix(".json") if args.smoke else DATA / f"{args.out.stem}.json"
    saved.write_text(json.dumps(results, indent=1, default=str))
    args.out.write_text(report.markdown(results))
    log(f"wrote {args.out} in {results['seconds']:.0f} s")
    return 0


def median(values: list[float]) -> float:
    return statistics.median(values) if values else float("nan")


if __name__ == "__main__":
    sys.exit(main())
