"""A process that serves every page once, for its peak memory: `python -m bench.serve MODE DB [CALLS.pickle]`.

tandem: the real app in AppTest, every page variant run once (its st.cache_data results kept, as a server keeps
them). peer: the pandas way, every table loaded into DataFrames and each page's peer numbers computed. baseline:
the same imports and nothing else. The peer reads the page calls resolved by the parent (CALLS.pickle), so it
never runs a Tandem query itself. Prints one JSON line: {"mode", "peak_rss_mb", "seconds"}.
"""

from __future__ import annotations

import json
import pickle
import resource
import sys
import time
from pathlib import Path


def peak_rss_mb() -> float:
    """This process's peak resident memory. VmHWM, not ru_maxrss: Linux keeps ru_maxrss across exec, so a child
    would report its parent's peak when that is larger."""
    status = Path("/proc/self/status")
    if status.exists():
        for line in status.read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KiB on Linux


def main(argv: list[str]) -> int:
    mode, db_path = argv[0], Path(argv[1])
    started = time.perf_counter()
    import duckdb  # noqa: F401 - both processes carry the same libraries
    import pandas  # noqa: F401
    import plotly.graph_objects  # noqa: F401
    import streamlit.testing.v1  # noqa: F401

    from bench import app, peer, workload
    from queries import db

    if mode == "tandem":
        app.install()
        app.use_database(db_path)
        at = app.start()
        for variant in workload.VARIANTS:
            app.open_page(at, variant)
    elif mode == "peer":
        calls = pickle.loads(Path(argv[2]).read_bytes())
        con = db.connect(db_path, read_only=True)
        frames = peer.load(con)
        con.close()
        for call in calls:
            if peer.covers(call.fn, call.kwargs):
                peer.run(frames, call.fn, call.kwargs)
    elif mode != "baseline":
        print(f"unknown mode {mode!r}", file=sys.stderr)
        return 2
    print(json.dumps({"mode": mode, "peak_rss_mb": round(peak_rss_mb(), 1),
                      "seconds": round(time.perf_counter() - started, 2)}))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
