"""The bridge between the clocks: how a brand metric at month t − k lines up with a sales series at month t.

Both monthly series are linearly detrended (each minus its least-squares line) before Pearson r. On the sample
this recovers the planted 3-month lag from aided awareness to inbound leads and to pipeline created; first
differences do not (they amplify month-to-month noise in deal amounts). Correlation, not proof of cause.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import Literal

import duckdb
import pandas as pd

from queries import db
from queries.brand import METRIC_UNITS

SalesSeries = Literal["pipeline_created", "sqls", "won_revenue", "inbound_leads"]
# Each sales series and its unit: "money" in the company currency, "count" a number of leads.
SALES_SERIES: dict[str, str] = {
    "pipeline_created": "money",
    "sqls": "count",
    "won_revenue": "money",
    "inbound_leads": "count",
}
DETRENDING = "linear"  # what the page says it does; see the module docstring
MIN_PAIRS = 6  # r is NULL with fewer overlapping months (cross_correlation.sql)


def _check(brand_metric: str, sales_series: str) -> None:
    if brand_metric not in METRIC_UNITS:
        raise ValueError(f"unknown brand metric {brand_metric!r}; known: {', '.join(METRIC_UNITS)}")
    if sales_series not in SALES_SERIES:
        raise ValueError(f"unknown sales series {sales_series!r}; known: {', '.join(SALES_SERIES)}")


def _params(brand_metric: str, sales_series: str, start: date, end: date, region: str,
            segments: Sequence[str] | None, regions: Sequence[str] | None) -> dict:
    _check(brand_metric, sales_series)
    return {"brand_metric": brand_metric, "sales_series": sales_series, "start": start, "end": end,
            "region": region, "segments": list(segments) if segments else None,
            "regions": list(regions) if regions else None}


def cross_correlation(con: duckdb.DuckDBPyConnection, *, brand_metric: str, sales_series: SalesSeries,
                      start: date, end: date, max_lag: int = 12, region: str = "all",
                      segments: Sequence[str] | None = None,
                      regions: Sequence[str] | None = None) -> pd.DataFrame:
    """lag_months, r, n_months: r of the detrended brand series at month t − lag against the detrended sales
    series at month t, for lag 0 … max_lag, over the months from the first one starting on or after start through
    the last one whose brand reading is published by end (the month before end's; see queries.brand)."""
    if not 0 <= max_lag <= 36:
        raise ValueError("max_lag must be between 0 and 36 months")
    params = _params(brand_metric, sales_series, start, end, region, segments, regions)
    return db.query(con, "lag/cross_correlation", {**params, "max_lag": int(max_lag)})


def monthly_series(con: duckdb.DuckDBPyConnection, *, brand_metric: str, sales_series: SalesSeries,
                   start: date, end: date, lag: int = 0, region: str = "all",
                   segments: Sequence[str] | None = None,
                   regions: Sequence[str] | None = None) -> pd.DataFrame:
    """month, brand_value, sales_value, brand_detrended, sales_detrended: brand columns are taken from month
    − lag (NULL where that month is outside the window), so the two line up as cross_correlation pairs them."""
    params = _params(brand_metric, sales_series, start, end, region, segments, regions)
    return db.query(con, "lag/monthly_series", {**params, "lag": int(lag)})
