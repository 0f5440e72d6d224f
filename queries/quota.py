"""Quota: monthly attainment (booked against quota) and this month's pacing, by team, rep or in total."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import Literal

import duckdb
import pandas as pd

from queries import calendar as fiscal
from queries import db
from queries.deals import GROUP_COLUMNS, at_level, name_group, rep_scope

Grouping = Literal["team", "rep", "all"]


def _check_by(by: str) -> None:
    if by not in GROUP_COLUMNS:
        raise ValueError(f"by must be one of {sorted(GROUP_COLUMNS)}, not {by!r}")


def attainment(con: duckdb.DuckDBPyConnection, *, start: date, end: date, by: Grouping = "team",
               teams: Sequence[str] | None = None, regions: Sequence[str] | None = None) -> pd.DataFrame:
    """month, team | rep_id (none when by="all"), quota, booked, attainment: whole months from start's to end's.

    booked = won deals by close_date month, credited to the owner rep and the rep's team (UNASSIGNED for a rep
    without one); attainment = booked / quota, NULL where quota is missing or zero; months with a quota and no wins
    have booked 0. teams and regions select the reps by their team and region (UNASSIGNED: none recorded).
    """
    _check_by(by)
    frame = db.query(con, "quota/attainment", {"start": start, "end": end, "by": by, **rep_scope(teams, regions),
                                               "grain": "month", "fiscal_start": 1})
    return name_group(frame, by)


def attainment_by_fiscal_quarter(con: duckdb.DuckDBPyConnection, *, start: date, end: date, fiscal_start: int,
                                 by: Grouping = "team", teams: Sequence[str] | None = None,
                                 regions: Sequence[str] | None = None) -> pd.DataFrame:
    """quarter ('FY27 Q1'), quarter_start, team | rep_id, quota, booked, attainment: the same measure as
    attainment(), summed over the fiscal quarters (the year starting in month `fiscal_start`) that start..end touch."""
    _check_by(by)
    if not 1 <= fiscal_start <= 12:
        raise ValueError(f"fiscal_start must be 1–12, not {fiscal_start!r}")
    frame = db.query(con, "quota/attainment", {"start": start, "end": end, "by": by, **rep_scope(teams, regions),
                                               "grain": "fiscal_quarter", "fiscal_start": fiscal_start})
    frame = name_group(frame, by).rename(columns={"month": "quarter_start"})
    frame.insert(0, "quarter", [fiscal.quarter_label(d, fiscal_start) for d in pd.to_datetime(
        frame["quarter_start"]).dt.date])
    return frame


def pacing_levels(con: duckdb.DuckDBPyConnection, *, as_of: date, teams: Sequence[str] | None = None,
                  regions: Sequence[str] | None = None) -> pd.DataFrame:
    """level ('all', 'rep', 'team'), grp (the team, the rep_id, or 'all'), then pacing()'s columns: pacing at
    every grouping from one query, for a page that shows more than one (split it with deals.at_level)."""
    return db.query(con, "quota/pacing", {"as_of": as_of, **rep_scope(teams, regions)})


def pacing(con: duckdb.DuckDBPyConnection, *, as_of: date, by: Grouping = "team",
           teams: Sequence[str] | None = None, regions: Sequence[str] | None = None) -> pd.DataFrame:
    """team | rep_id (none when by="all"), quota, booked_to_date, expected_to_date, projected, required_per_day,
    days_elapsed, days_in_month: the month containing as_of, with as_of counted as elapsed."""
    _check_by(by)
    return at_level(pacing_levels(con, as_of=as_of, teams=teams, regions=regions), by)


def month_to_date(con: duckdb.DuckDBPyConnection, *, as_of: date, teams: Sequence[str] | None = None,
                  regions: Sequence[str] | None = None) -> pd.DataFrame:
    """period ('current', 'previous'), month, through, quota, booked_to_date, attainment_to_date,
    attainment_change: revenue booked from the 1st through as_of, and through the same day a month earlier,
    against the whole month's quota (the change on the current row only)."""
    return db.query(con, "quota/month_to_date", {"as_of": as_of, **rep_scope(teams, regions)})


def pipeline_month_to_date(con: duckdb.DuckDBPyConnection, *, as_of: date, segments: Sequence[str] | None = None,
                           teams: Sequence[str] | None = None,
                           regions: Sequence[str] | None = None) -> pd.DataFrame:
    """period ('current', 'previous'), month, through, pipeline_created, marketing_sourced, marketing_share,
    pipeline_change, share_change, deals_created, deals_without_amount, deals_without_created_date: deals created month
    to date (and at the same point a month earlier); marketing-sourced = with a lead_id; the changes on the current
    row only. The sums leave out the period's deals without an amount (deals_without_amount, of deals_created);
    deals_without_created_date
    counts the deals in scope that no period holds (the same on both rows). A deal without a segment, and an owner
    without a team or region, are UNASSIGNED."""
    return db.query(con, "quota/pipeline_month_to_date", {
        "as_of": as_of, "segments": list(segments) if segments else None, **rep_scope(teams, regions)})


def daily_pacing(con: duckdb.DuckDBPyConnection, *, as_of: date, by: Grouping = "all",
                 teams: Sequence[str] | None = None, regions: Sequence[str] | None = None) -> pd.DataFrame:
    """team | rep_id (none when by="all"), day, booked_cumulative (NULL after as_of), expected_cumulative:
    every day of the month containing as_of, for the pacing chart."""
    _check_by(by)
    frame = db.query(con, "quota/daily_pacing", {"as_of": as_of, "by": by, **rep_scope(teams, regions)})
    return name_group(frame, by)
