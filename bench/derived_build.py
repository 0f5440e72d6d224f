"""python -m bench.derived_build DB: how long each summary table takes to build (the cost the first page pays after
an import), in dependency order, in a fresh process. Prints one JSON line: [{name, rows, seconds, cpu}, …].

The page figures of `python -m bench` are taken with the summary tables already built (like every view after the
first following a change); this is the other half.
"""

from __future__ import annotations

import json
import sys
import time

from queries import db, derived


def measure(db_path: str) -> list[dict]:
    con = db.connect(db_path)
    try:
        order = derived.references(" ".join(f"derived.{name}" for name in derived.tables()))
        found = []
        for name in order:
            started, cpu = time.perf_counter(), time.process_time()
            derived.ensure(con, [name])
            seconds, cpu = time.perf_counter() - started, time.process_time() - cpu
            rows = db.run_sql(con, f"SELECT count(*) AS n FROM derived.{name}").n[0]  # noqa: S608 - fixed names
            found.append({"name": name, "rows": int(rows), "seconds": seconds, "cpu": cpu})
        return found
    finally:
        con.close()


if __name__ == "__main__":
    print(json.dumps(measure(sys.argv[1])))
