"""Segments: how each region × segment × industry slice of the leads converts, wins, and pays, and the rows behind."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

import duckdb
import pandas as pd

from queries import db

DIMENSIONS: tuple[str, ...] = ("region", "segment", "industry")
METRICS: dict[str, str] = {"conversion": "Lead → won conversion", "win_rate": "Win rate",
                           "avg_won_amount": "Average won deal", "avg_cycle_days": "Average cycle (days)",
                           "revenue_per_lead": "Revenue per lead"}


def _values(values: Sequence[str] | None) -> list[str] | None:
    return list(values) if values else None


def performance(con: duckdb.DuckDBPyConnection, *, start: date, end: date,
                dims: Sequence[str] = ("region", "segment"), regions: Sequence[str] | None = None,
                segments: Sequence[str] | None = None) -> pd.DataFrame:
    """The dims, leads, won_deals, conversion, win_rate, avg_won_amount, avg_cycle_days, revenue_per_lead,
    won_without_created_date, leads_without_created_date.

    Leads created in the period, followed to today; highest revenue per lead first. A lead without a region, segment
    or industry is in the slice UNASSIGNED. won_without_created_date: the slice's won deals left out of
    avg_cycle_days; leads_without_created_date: leads in the filters' scope in no period's cohort (every row).
    """
    dims = tuple(dims)
    if not 1 <= len(dims) <= 3 or len(set(dims)) != len(dims) or not set(dims) <= set(DIMENSIONS):
        raise ValueError(f"dims must be one to three distinct names of {', '.join(DIMENSIONS)}, got {dims!r}")
    slots = dims + ("none",) * (3 - len(dims))
    frame = db.query(con, "segments/performance", {
        "start": start, "end": end, "dim1": slots[0], "dim2": slots[1], "dim3": slots[2],
        "regions": _values(regions), "segments": _values(segments)})
    frame = frame.rename(columns={f"d{i + 1}": dim for i, dim in enumerate(dims)})
    return frame.drop(columns=[f"d{i + 1}" for i in range(len(dims), 3)]).reset_index(drop=True)


def deal_performance(con: duckdb.DuckDBPyConnection, *, start: date, end: date,
                     regions: Sequence[str] | None = None, segments: Sequence[str] | None = None) -> pd.DataFrame:
    """region, segment, won_deals, lost_deals, win_rate, won_amount, avg_won_amount, avg_cycle_days,
    won_without_created_date: the deals closed in the period by the owner rep's region and the deal's segment, from the
    deals alone (for a company without leads yet); Unassigned where unknown; highest won amount first."""
    return db.query(con, "segments/deal_performance", {"start": start, "end": end, "regions": _values(regions),
                                                       "segments": _values(segments)})


def cell_detail(con: duckdb.DuckDBPyConnection, *, start: date, end: date, region: str | None = None,
                segment: str | None = None, industry: str | None = None, regions: Sequence[str] | None = None,
                segments: Sequence[str] | None = None) -> pd.DataFrame:
    """lead_id, created_at, company, region, segment, industry, channel, owner_rep_id, deal_id, deal_stage, amount,
    close_date, cycle_days: the leads of one slice (None = any value) and their deals, one row per lead × deal."""
    return db.query(con, "segments/cell_detail", {
        "start": start, "end": end, "region": region, "segment": segment, "industry": industry,
        "regions": _values(regions), "segments": _values(segments)})
