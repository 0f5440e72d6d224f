"""python -m bench.summary_refresh DB [--rows 10000]: an import of leads into a copy of DB whose summary tables are
built, then every summary table brought up to date, timed table by table; then the same after the import's undo.
Prints one JSON line: {rows, inserted, updated, import_seconds, refresh: [{name, seconds}], undo_seconds,
undo_refresh: [...], funnel_tables: [...]}.

The batch is what a CRM export of the latest days looks like: new leads (the latest leads copied under new ids)
and, for a tenth of the rows, leads already there written again with one more contact attempt (an upsert).
"""

from __future__ import annotations

import argparse
import json
import shutil
import sys
import tempfile
import time
from pathlib import Path

from queries import db, derived, ingest

BATCH_SQL = """
WITH latest AS (
    SELECT * FROM leads ORDER BY created_at DESC NULLS LAST, lead_id LIMIT $rows
)
SELECT CASE WHEN row_number() OVER (ORDER BY lead_id) % 10 = 0 THEN lead_id ELSE 'NEW-' || lead_id END AS lead_id,
       created_at, campaign_id, channel, region, segment, industry, company, owner_rep_id, mql_at, sal_at, sql_at,
       rejected_at, reject_reason, first_contact_at, coalesce(contact_attempts, 0) + 1 AS contact_attempts
FROM latest
ORDER BY lead_id
"""
# What the Funnel page reads (queries/sql/funnel, the shell's data span and filter values): the tables a server had
# to rebuild after an import before the Funnel page could show it.
FUNNEL_TABLES = ("lead_facts", "mql_facts", "mql_daily", "lead_cohort_daily", "campaign_spend_daily", "data_span",
                 "dimension_values")


def _refresh(con) -> list[dict]:
    """Every summary table brought up to date, one at a time in dependency order, each timed."""
    timed = []
    for name in derived.references(" ".join(f"derived.{n}" for n in derived.tables())):
        started = time.perf_counter()
        derived.ensure(con, [name])
        timed.append({"name": name, "seconds": time.perf_counter() - started})
    return timed


def measure(db_path: str, rows: int = 10_000) -> dict:
    with tempfile.TemporaryDirectory(prefix="tandem-bench-refresh-") as folder:
        copy = Path(folder) / "copy.duckdb"
        shutil.copy(db_path, copy)
        con = db.connect(copy)
        try:
            derived.ensure(con, derived.tables())  # built, as on a server that has shown its pages
            csv_path = Path(folder) / "leads.csv"
            with con.cursor() as cur:
                cur.sql(BATCH_SQL, params={"rows": rows}).write_csv(str(csv_path), header=True)
            source = ingest.read_source(csv_path.read_bytes(), name="leads.csv")
            mapping = ingest.suggest(source.columns, table="leads")
            started = time.perf_counter()
            report = ingest.commit(con, source=source, mapping=mapping, table="leads", mode="upsert")
            import_seconds = time.perf_counter() - started
            refresh = _refresh(con)
            started = time.perf_counter()
            ingest.undo(con, batch_id=report.batch_id)
            undo_seconds = time.perf_counter() - started
            undo_refresh = _refresh(con)
        finally:
            con.close()
    return {"rows": report.rows, "inserted": report.inserted, "updated": report.updated,
            "import_seconds": import_seconds, "refresh": refresh, "undo_seconds": undo_seconds,
            "undo_refresh": undo_refresh, "funnel_tables": list(FUNNEL_TABLES)}


def summary(found: dict) -> str:
    """One line: the refresh after the import and after the undo, every table and the Funnel page's."""
    def seconds(timed: list[dict], names=None) -> float:
        return sum(t["seconds"] for t in timed if names is None or t["name"] in names)

    funnel = found["funnel_tables"]
    return (f"{found['rows']:,} leads ({found['inserted']:,} new, {found['updated']:,} updated): import "
            f"{found['import_seconds']:.1f} s, then every summary table up to date in "
            f"{seconds(found['refresh']):.1f} s (the Funnel page's {seconds(found['refresh'], funnel):.1f} s); "
            f"undo {found['undo_seconds']:.1f} s, then {seconds(found['undo_refresh']):.1f} s "
            f"({seconds(found['undo_refresh'], funnel):.1f} s)")


if __name__ == "__main__":
    parser = argparse.ArgumentParser(prog="python -m bench.summary_refresh", description=__doc__.split("\n")[0])
    parser.add_argument("db")
    parser.add_argument("--rows", type=int, default=10_000)
    args = parser.parse_args()
    result = measure(args.db, args.rows)
    print(summary(result), file=sys.stderr)
    print(json.dumps(result))
