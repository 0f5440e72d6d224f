"""Pipeline: coverage of the remaining quota, this month's weighted projection, and open pipeline by stage."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from datetime import date
from typing import Literal

import duckdb
import pandas as pd

from queries import db
from queries.deals import at_level, check_by, rep_scope
from queries.settings import OPEN_STAGES

Grouping = Literal["team", "rep", "all"]


def _probabilities(stage_probabilities: Mapping[str, float] | Iterable[tuple[str, float]]) -> dict[str, list]:
    """A stage → probability mapping (or its pairs, as data.load passes tuples) as two bound lists."""
    pairs = dict(stage_probabilities)
    for stage, value in pairs.items():
        if stage not in OPEN_STAGES:
            raise ValueError(f"{stage!r} is not an open stage ({', '.join(OPEN_STAGES)})")
        if not 0 <= float(value) <= 1:
            raise ValueError(f"probability of {stage!r} must be between 0 and 1, got {value!r}")
    if not pairs:
        raise ValueError("stage_probabilities is empty")
    return {"stages": list(pairs), "probabilities": [float(v) for v in pairs.values()]}


def _coverage(con: duckdb.DuckDBPyConnection, as_of: date, horizon_months: int, teams: Sequence[str] | None,
              regions: Sequence[str] | None, trailing_months: int, *, total_only: bool) -> pd.DataFrame:
    if not 1 <= int(horizon_months) <= 24:
        raise ValueError(f"horizon_months must be 1–24, got {horizon_months!r}")
    return db.query(con, "pipeline/coverage", {"as_of": as_of, "horizon_months": int(horizon_months),
                                               **rep_scope(teams, regions), "trailing_months": int(trailing_months),
                                               "total_only": total_only})


def coverage_levels(con: duckdb.DuckDBPyConnection, *, as_of: date, horizon_months: int = 1,
                    teams: Sequence[str] | None = None, regions: Sequence[str] | None = None,
                    trailing_months: int = 12) -> pd.DataFrame:
    """level ('all', 'rep', 'team'), grp (the team, the rep_id, or 'all'), then coverage()'s columns: coverage at
    every grouping from one query, for a page that shows more than one (split it with deals.at_level)."""
    return _coverage(con, as_of, horizon_months, teams, regions, trailing_months, total_only=False)


def coverage(con: duckdb.DuckDBPyConnection, *, as_of: date, horizon_months: int = 1, by: Grouping = "team",
             teams: Sequence[str] | None = None, regions: Sequence[str] | None = None,
             trailing_months: int = 12) -> pd.DataFrame:
    """team | rep_id, open_pipeline, remaining_quota, coverage, required_coverage (+ quota, booked_to_date, win_rate,
    deals_without_amount).

    Over the months from as_of's month for horizon_months: coverage = open pipeline expected to close from as_of to
    the horizon's end / (quota − booked so far); required_coverage = 1 / win rate of the trailing months. The open
    pipeline sums the deals with an amount; deals_without_amount counts the open deals of the horizon left out.
    teams and regions select the reps by their team and region (UNASSIGNED: none recorded).
    """
    check_by(by)
    if by == "all":
        # The total alone is summed without grouping per rep first (the same row, a third of the time).
        return at_level(_coverage(con, as_of, horizon_months, teams, regions, trailing_months, total_only=True), by)
    return at_level(coverage_levels(con, as_of=as_of, horizon_months=horizon_months, teams=teams, regions=regions,
                                    trailing_months=trailing_months), by)


def weighted_projection_levels(con: duckdb.DuckDBPyConnection, *, as_of: date,
                               stage_probabilities: Mapping[str, float] | Iterable[tuple[str, float]],
                               teams: Sequence[str] | None = None,
                               regions: Sequence[str] | None = None) -> pd.DataFrame:
    """level ('all', 'rep', 'team'), grp (the team, the rep_id, or 'all'), then weighted_projection()'s columns:
    the projection at every grouping from one query, for a page that shows more than one (split it with
    deals.at_level)."""
    return db.query(con, "pipeline/weighted_projection",
                    {"as_of": as_of, **rep_scope(teams, regions), **_probabilities(stage_probabilities)})


def weighted_projection(con: duckdb.DuckDBPyConnection, *, as_of: date,
                        stage_probabilities: Mapping[str, float] | Iterable[tuple[str, float]],
                        by: Grouping = "team", teams: Sequence[str] | None = None,
                        regions: Sequence[str] | None = None) -> pd.DataFrame:
    """team | rep_id, quota, booked_to_date, attainment_to_date, open_this_month, weighted_pipeline,
    projected_weighted, deals_without_amount for as_of's month.

    projected_weighted = booked so far + Σ open pipeline expected to close this month × its stage's probability,
    over the deals with an amount; deals_without_amount counts the open deals of the month left out.
    """
    check_by(by)
    return at_level(weighted_projection_levels(con, as_of=as_of, stage_probabilities=stage_probabilities,
                                               teams=teams, regions=regions), by)


def open_by_stage(con: duckdb.DuckDBPyConnection, *, as_of: date,
                  stage_probabilities: Mapping[str, float] | Iterable[tuple[str, float]],
                  teams: Sequence[str] | None = None, regions: Sequence[str] | None = None) -> pd.DataFrame:
    """close_month (NULL: no expected date), stage, deal_count, open_amount, weighted_amount, deals_without_amount
    of deals open on as_of: deal_count counts every deal, the amounts sum those with one, deals_without_amount
    counts the others."""
    return db.query(con, "pipeline/open_by_stage",
                    {"as_of": as_of, **rep_scope(teams, regions), **_probabilities(stage_probabilities)})
