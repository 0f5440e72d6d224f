"""Data health: rows and date coverage per table, empty key fields, orphans, and each table's import schema."""

from __future__ import annotations

import duckdb
import pandas as pd

from queries import db
from queries.ingest import spec


def table_overview(con: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    """table_name, rows, imported_rows, first_date, last_date (latest record), imports, last_import."""
    return db.query(con, "health/table_overview")


def key_nulls(con: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    """table_name, column_name, empty_rows, rows, empty_share (0–1), meaning: empty values in key fields."""
    return db.query(con, "health/key_nulls")


def orphans(con: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    """check_name, table_name, rows, meaning: rows missing the rows they should come with."""
    return db.query(con, "health/orphans")


def table_schema(con: duckdb.DuckDBPyConnection, *, table: str) -> pd.DataFrame:
    """One importable table's columns: column_name, data_type, required, allowed_values, refers_to, default_value."""
    t = spec.table(table)
    columns = db.query(con, "health/table_schema", {"table": table})
    rules = pd.DataFrame({
        "column_name": list(t.column_names),
        "required": [c.required and c.default is None for c in t.columns],
        "allowed_values": [", ".join(c.choices) if c.choices else "" for c in t.columns],
        "refers_to": [c.references or "" for c in t.columns],
        "minimum": [c.min_value for c in t.columns],
    })
    merged = rules.merge(columns, on="column_name", how="left")
    return merged[["column_name", "data_type", "required", "allowed_values", "refers_to", "minimum", "default_value"]]


def template(*, table: str) -> pd.DataFrame:
    """An empty frame with the table's importable columns: its CSV is a template to fill in."""
    return pd.DataFrame(columns=list(spec.table(table).column_names))
