"""Data health: rows and date coverage per table, empty key fields, orphans, and each table's import schema."""

from __future__ import annotations

import re

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


# What a cell of each database type holds, in words (DuckDB's names, then Postgres's).
_TYPE_WORDS = {"VARCHAR": "text", "DATE": "date", "TIMESTAMP": "date and time", "BIGINT": "whole number",
               "INTEGER": "whole number", "DOUBLE": "number", "BOOLEAN": "true or false",
               "CHARACTER VARYING": "text", "TEXT": "text", "TIMESTAMP WITHOUT TIME ZONE": "date and time",
               "DOUBLE PRECISION": "number"}
_DECIMAL = re.compile(r"(?:DECIMAL|NUMERIC)\(\d+,\s*(\d+)\)", re.IGNORECASE)
_CAST = re.compile(r"^CAST\((.*) AS [A-Z ()0-9,]+\)$|^(.*)::[a-z ]+$", re.IGNORECASE)


def type_in_words(data_type: object) -> str:
    """A column's database type as what its cells hold: VARCHAR → text, DECIMAL(14,2) → number with 2 decimals."""
    text = str(data_type or "").strip()
    decimal = _DECIMAL.fullmatch(text)
    if decimal:
        return f"number with {decimal.group(1)} decimals"
    return _TYPE_WORDS.get(text.upper(), text.lower())


def default_in_words(expression: object) -> str:
    """A column default as the value it gives: CAST('t' AS BOOLEAN) → true, 'sample' → sample ('' for none)."""
    if expression is None or pd.isna(expression):
        return ""
    text = str(expression).strip()
    cast = _CAST.match(text)
    if cast:
        text = (cast.group(1) or cast.group(2)).strip()
    if len(text) >= 2 and text[0] == text[-1] == "'":
        text = text[1:-1].replace("''", "'")
    return {"t": "true", "f": "false"}.get(text.lower(), text.lower() if text.upper() in ("TRUE", "FALSE") else text)


def table_schema(con: duckdb.DuckDBPyConnection, *, table: str) -> pd.DataFrame:
    """One importable table's columns: column_name, data_type (as the database names it), kind (the same in words),
    required, allowed_values, refers_to, minimum (as text, '' for none), default_value (the value an empty cell
    gets, in words: true, not CAST('t' AS BOOLEAN))."""
    t = spec.table(table)
    columns = db.query(con, "health/table_schema", {"table": table})
    rules = pd.DataFrame({
        "column_name": list(t.column_names),
        "required": [c.required and c.default is None for c in t.columns],
        "allowed_values": [", ".join(c.choices) if c.choices else "" for c in t.columns],
        "refers_to": [c.references or "" for c in t.columns],
        "minimum": ["" if c.min_value is None else f"{c.min_value:g}" for c in t.columns],
    })
    merged = rules.merge(columns, on="column_name", how="left")
    merged["kind"] = merged.data_type.map(type_in_words)
    merged["default_value"] = merged.default_value.map(default_in_words)
    return merged[["column_name", "data_type", "kind", "required", "allowed_values", "refers_to", "minimum",
                   "default_value"]]


def template(*, table: str) -> pd.DataFrame:
    """An empty frame with the table's importable columns: its CSV is a template to fill in."""
    return pd.DataFrame(columns=list(spec.table(table).column_names))
