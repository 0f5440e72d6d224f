"""Values shared by every page: the known regions, teams and segments, the span of the data, and what it holds."""

from __future__ import annotations

import duckdb
import pandas as pd

from queries import db

# What a missing team, region, segment, channel or industry is shown and filtered as (docs/SCHEMA.md, "Unknown stays
# unknown"). The SQL spells it as this literal where it labels a NULL (tests/unit/test_unknowns.py keeps them equal):
# summary tables label the lead and deal dimensions once, queries on the base tables (reps, deals, campaigns) at the
# read, and a filter list holding it matches the NULL rows.
UNASSIGNED = "Unassigned"


def dimension_values(con: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    """kind ∈ {region, team, segment}, value: every value the shared filters can offer, UNASSIGNED (last) where
    a row of that dimension has none."""
    return db.query(con, "common/dimension_values")


def data_span(con: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    """first_day, last_day: the span of days with leads, deals or spend (NULL on an empty database)."""
    return db.query(con, "common/data_span")


def table_rows(con: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    """table_name, row_count: how many rows each table of company data holds (0 for an empty one)."""
    return db.query(con, "common/table_rows")
