"""python -m bench.page [--scale 20] [--runs 3] [PAGE …]: time pages alone, with where the time goes.

For working on one page: the same full AppTest run as `python -m bench` (caches cleared before each run) on the
same bench database (a private copy, so other processes may hold the original), without the peer, memory and
import measurements. PAGE is a label from bench/workload.py's
VARIANTS (e.g. "Campaigns · performance") or a prefix of one ("Campaigns"); none means every page.
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import tempfile
import time
from pathlib import Path

import streamlit as st

from bench import app, profile, workload
from bench.__main__ import database


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.page", description=__doc__.split("\n")[0])
    parser.add_argument("--scale", type=float, default=20)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("pages", nargs="*")
    args = parser.parse_args(argv)
    variants = [v for v in workload.VARIANTS
                if not args.pages or any(v.name.startswith(p) for p in args.pages)]
    original, _ = database(args.scale, smoke=False)
    with tempfile.TemporaryDirectory(prefix="bench-page-") as folder:
        path = Path(folder) / original.name
        shutil.copy(original, path)
        run(path, variants, args.runs)
    return 0


def run(path: Path, variants: list, runs: int) -> None:
    app.install()
    app.use_database(path)
    at = app.start()
    for variant in variants:
        app.open_page(at, variant)
        walls, cpus = [], []
        for _ in range(runs):
            wall, cpu = app.timed_rerun(at, variant)
            walls.append(wall)
            cpus.append(cpu)
        st.cache_data.clear()
        with profile.attributing() as spent:
            started = time.perf_counter()
            at.run()
            total = time.perf_counter() - started
        parts = profile.split(total, spent)
        top = sorted(((v, k) for k, v in spent.items() if k != "data"), reverse=True)[:4]
        print(f"{variant.name}: wall {statistics.median(walls) * 1000:,.0f} ms (min {min(walls) * 1000:,.0f}), "
              f"CPU {statistics.median(cpus) * 1000:,.0f} ms | split: "
              + ", ".join(f"{k} {v * 1000:,.0f}" for k, v in parts.items())
              + " | " + ", ".join(f"{k} {v * 1000:,.0f}" for v, k in top), flush=True)


if __name__ == "__main__":
    raise SystemExit(main())
