"""python -m bench.empty_start [--deals 8800] [--runs 3]: a company's own CRM export into an empty database, then every
page on it.

The way a new user starts: `python -m queries.db init`, the sales team and the deals from a CRM's three files
(bench/crm_export.py: the public CRM sample's headers and gaps, deals priced from the products file where they have
no value) through the ready mappings, then each page view of bench/workload.py opened on data that has deals and reps
only (no quotas, no marketing data, no meeting yet: the view of an opened meeting is left out), as of the export's
last day. Times the init, each import, and each page's full
server-side run (first view, then the median of `runs` reruns with the caches cleared); a page that raises or shows an
error fails the run.
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
import time
from pathlib import Path

import streamlit as st
import streamlit.testing.v1.app_test as app_test

from bench import app, crm_export, workload

MAPPINGS = Path(__file__).resolve().parent.parent / "sample_data" / "mappings"


def measure(*, deals: int = 8_800, runs: int = 3) -> dict:
    from queries import db, ingest, settings

    result: dict = {"deals": deals, "runs": runs, "pages": []}
    with tempfile.TemporaryDirectory(prefix="bench-empty-start-") as folder:
        files = crm_export.write(Path(folder) / "export", deals=deals)
        path = Path(folder) / "own.duckdb"
        started = time.perf_counter()
        db.schema.init(path, settings.seeded(company="CRM Sample Co"))
        result["init_seconds"] = time.perf_counter() - started
        con = db.connect(path)
        try:
            for table, source, mapping, joins in (
                    ("reps", files["teams"], "crm_sample_reps.toml", {}),
                    ("deals", files["pipeline"], "crm_sample_deals.toml", {"products": files["products"]})):
                started = time.perf_counter()
                read = ingest.read_source(source.read_bytes(), name=source.name)
                chosen = ingest.loads((MAPPINGS / mapping).read_text())
                others = {name: ingest.read_source(other.read_bytes(), name=other.name)
                          for name, other in joins.items()}
                read = ingest.combine(read, chosen.joins, others)
                done = ingest.commit(con, source=read, mapping=chosen, table=table, mode="insert")
                result[f"import_{table}_seconds"] = time.perf_counter() - started
                result[f"import_{table}_rows"] = done.rows
        finally:
            con.close()
        app.install()
        app.use_database(path)
        at = app_test.AppTest.from_file(str(app.ROOT / "dashboard.py"), default_timeout=app.TIMEOUT_SECONDS)
        at.run()  # as of the export's last day: the shell opens there when the data ends before this month
        for variant in workload.VARIANTS:
            if variant.name == "Planning meeting · open":  # opens the sample's meeting: this company has none yet
                continue
            started = time.perf_counter()
            app.open_page(at, variant)
            first = time.perf_counter() - started
            walls = [app.timed_rerun(at, variant)[0] for _ in range(runs)]
            result["pages"].append({"name": variant.name, "first": first, "walls": walls})
        del at
        st.cache_resource.clear()
    return result


def table(result: dict) -> str:
    lines = [f"Init {result['init_seconds'] * 1000:.0f} ms; reps {result['import_reps_rows']:,} rows in "
             f"{result['import_reps_seconds']:.2f} s; deals {result['import_deals_rows']:,} rows in "
             f"{result['import_deals_seconds']:.2f} s.", "",
             "| Page | First view (ms) | Rerun, median (ms) |", "|---|---:|---:|"]
    lines += [f"| {p['name']} | {p['first'] * 1000:.0f} | {statistics.median(p['walls']) * 1000:.0f} |"
              for p in result["pages"]]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.empty_start", description=__doc__.split("\n")[0])
    parser.add_argument("--deals", type=int, default=8_800)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args(argv)
    print(table(measure(deals=args.deals, runs=args.runs)))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
