"""A Tandem file as schema version 2 wrote it (values real exports lack were required; settings lived in a file)."""

from __future__ import annotations

from pathlib import Path

import duckdb

SCHEMA_V2 = Path(__file__).resolve().parent / "fixtures" / "schema_v2.sql"
FIXTURES = Path(__file__).resolve().parent / "fixtures"
TABLES = ("reps", "campaigns", "campaign_spend", "brand_metrics", "leads", "touches", "deals", "quotas", "targets",
          "feedback", "meetings", "action_items")


def make(path: Path, *fixtures: str) -> dict[str, list]:
    """A version 2 file at `path` holding the rows of the given fixture files; returns every row of every table."""
    con = duckdb.connect(str(path))
    try:
        con.execute(SCHEMA_V2.read_text())
        con.execute("INSERT INTO meta VALUES ('schema_version', '2'), ('data_version', '1'), "
                    "('written_version', '1')")
        for name in fixtures:
            con.execute((FIXTURES / name).read_text())
        return {t: con.execute(f"SELECT * FROM {t} ORDER BY ALL").fetchall() for t in TABLES}
    finally:
        con.close()
