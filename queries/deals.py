"""Deals: won, lost and open deals per rep or team (win rate, deal size, cycle) and reps at quota by month."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import Literal

import duckdb
import numpy as np
import pandas as pd

from queries import db

# What the SQL's `grp` column holds for each grouping, and the column it becomes (None: dropped).
GROUP_COLUMNS: dict[str, str | None] = {"rep": "rep_id", "team": "team", "all": None}


def rep_scope(teams: Sequence[str] | None, regions: Sequence[str] | None) -> dict[str, list[str] | None]:
    """The $teams and $regions a query on reps binds: the reps' teams and regions to keep as lists (None or empty:
    all). A rep without a team or region has common.UNASSIGNED there, so a list holding it keeps that rep."""
    return {"teams": list(teams) if teams else None, "regions": list(regions) if regions else None}


def name_group(frame: pd.DataFrame, by: str) -> pd.DataFrame:
    """Rename the SQL's `grp` to the grouping column (rep_id, team) or drop it for the total, in place (the frame
    is the caller's own: fresh from a query or from level_rows) and return it."""
    column = GROUP_COLUMNS[by]
    if column is None:
        del frame["grp"]
    else:
        frame.columns = [column if name == "grp" else name for name in frame.columns]
    return frame


def level_rows(frame: pd.DataFrame, level: str) -> pd.DataFrame:
    """The rows of one `level` of a query that returns several groupings at once, without the level column and
    numbered from 0. One copy (take): a filter, a drop and a rename copied it three times, and pages pick several
    levels per run."""
    rows = frame.take(np.flatnonzero(frame["level"].to_numpy() == level))
    del rows["level"]
    rows.index = pd.RangeIndex(len(rows))
    return rows


def at_level(frame: pd.DataFrame, by: str) -> pd.DataFrame:
    """The rows of one grouping from a query that returns every grouping at once (its `level` and `grp` columns),
    shaped as that grouping's own query returns them: `grp` named as the grouping (or dropped for the total)."""
    check_by(by)
    return name_group(level_rows(frame, by), by)


def check_by(by: str) -> None:
    if by not in GROUP_COLUMNS:
        raise ValueError(f"by must be one of {sorted(GROUP_COLUMNS)}, not {by!r}")


def summary(con: duckdb.DuckDBPyConnection, *, start: date, end: date, by: Literal["rep", "team", "all"] = "rep",
            teams: Sequence[str] | None = None, regions: Sequence[str] | None = None) -> pd.DataFrame:
    """rep_id | team (none for "all"), won_count, lost_count, win_rate, won_amount, avg_won_amount, avg_cycle_days,
    open_count, open_amount, won_without_created_date, open_without_amount.

    Won and lost deals count when close_date is in [start, end]; win_rate = won / (won + lost); avg_cycle_days =
    mean close_date − created_at of those won deals that have a created date (won_without_created_date: the others);
    open = stage not won/lost, created on or before end (or with no created date); open_amount sums those with an
    amount (open_without_amount: the others). teams and regions are the rep's. Every rep in scope appears, also one
    with no deals.
    """
    check_by(by)
    frame = db.query(con, "deals/summary", {"start": start, "end": end, "by": by, **rep_scope(teams, regions)})
    return name_group(frame, by)


def reps_at_quota(con: duckdb.DuckDBPyConnection, *, start: date, end: date, teams: Sequence[str] | None = None,
                  regions: Sequence[str] | None = None) -> pd.DataFrame:
    """month, team, reps_with_quota, reps_at_quota, share_at_quota: reps whose booked revenue reached their quota
    (teams and regions: the rep's)."""
    return db.query(con, "deals/reps_at_quota", {"start": start, "end": end, **rep_scope(teams, regions)})
