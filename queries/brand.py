"""Brand tracking: monthly brand metrics with rolling average and year-over-year change, brand spend, launches.

Brand metrics are monthly readings published after the month ends: a reading for month M counts from the 1st of
M + 1. Every query here (and the lag explorer's, queries/lag.py) sees only the readings published by the as-of or
end date it is given, so as of 9 November the latest month is October, and a meeting's numbers stay as they were
shown even after later months arrive.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

import duckdb
import pandas as pd

from queries import db

# The brand_metrics vocabulary (schema.sql) and each metric's unit: "pct" is a percentage 0–100, "count" a number.
METRIC_UNITS: dict[str, str] = {
    "aided_awareness": "pct",
    "unaided_awareness": "pct",
    "consideration": "pct",
    "share_of_voice": "pct",
    "share_of_search": "pct",
    "branded_search": "count",
    "web_visits": "count",
}


def _check_metrics(metrics: Sequence[str]) -> None:
    unknown = sorted(set(metrics) - set(METRIC_UNITS))
    if unknown:
        raise ValueError(f"unknown brand metric {unknown[0]!r}; known: {', '.join(METRIC_UNITS)}")


def metric_series(con: duckdb.DuckDBPyConnection, *, metric: str, start: date, end: date,
                  region: str = "all") -> pd.DataFrame:
    """month, value, rolling_3m, yoy_change: one brand metric per month from start's month through the last month
    published by end (the month before end's month)."""
    _check_metrics([metric])
    return db.query(con, "brand/metric_series", {"metric": metric, "region": region, "start": start, "end": end})


def latest(con: duckdb.DuckDBPyConnection, *, as_of: date, region: str = "all",
           metrics: Sequence[str] = tuple(METRIC_UNITS)) -> pd.DataFrame:
    """metric, month, value, previous_month_value, mom_change, year_ago_value, yoy_change: each metric's latest
    month published by as_of (`month`, at most the month before as_of's), against the month before and the same
    month a year earlier (NULL where that month has no reading). A metric with nothing published has no row."""
    _check_metrics(metrics)
    return db.query(con, "brand/latest", {"as_of": as_of, "region": region, "metrics": list(metrics)})


def spend_by_month(con: duckdb.DuckDBPyConnection, *, start: date, end: date) -> pd.DataFrame:
    """month, brand_spend: spend on brand-objective campaigns per month."""
    return db.query(con, "brand/spend_by_month", {"start": start, "end": end})


def large_launches(con: duckdb.DuckDBPyConnection, *, start: date, end: date, limit: int = 6) -> pd.DataFrame:
    """campaign_id, name, objective, channel, start_date, end_date, budget: the `limit` largest-budget
    campaigns that started in the window, in start order."""
    return db.query(con, "brand/large_launches", {"start": start, "end": end, "limit": int(limit)})
