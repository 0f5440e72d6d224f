"""Campaigns: the 4Ps plan, performance per campaign and channel, and how spend relates to pipeline.

The response-curve fit (pipeline ≈ a · spend^b on monthly data) lives here too: it is a model of the data,
computed once, and pages only show its result.
"""

from __future__ import annotations

import math
import warnings
from collections.abc import Sequence
from datetime import date
from typing import Any, Literal

import duckdb
import numpy as np
import pandas as pd
from scipy import optimize

from queries import attribution, db, deals

Status = Literal["planned", "running", "ended", "unknown"]
Objective = Literal["brand", "demand"]
# The flight statuses a campaign's dates give on the as-of day, and the status of one whose dates do not say.
STATUSES: tuple[str, ...] = ("planned", "running", "ended")
UNKNOWN_STATUS = "unknown"
OBJECTIVES: tuple[str, ...] = ("brand", "demand")
DEFAULT_THETA = 0.6
# A fit needs at least this many months with spend; fewer points say nothing about a curve's shape.
MIN_FIT_MONTHS = 6
MARGINAL_STEP = 10_000.0
# Fixed seed: the uncertainty range of the marginal return must not change between reruns of a page.
_DRAWS, _SEED = 4000, 7


def _list(values: Sequence[str] | None) -> list[str] | None:
    return list(values) if values else None


def _check_objective(objective: str | None) -> None:
    if objective is not None and objective not in OBJECTIVES:
        raise db.TandemError(f"unknown objective {objective!r}; choose brand or demand")


def channels(con: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    """channel, campaigns: every campaign channel (common.UNASSIGNED, last, for campaigns without one)."""
    return db.query(con, "campaigns/channels")


def plan(con: duckdb.DuckDBPyConnection, *, start: date, end: date, as_of: date, objective: str | None = None,
         channels: Sequence[str] | None = None, status: Sequence[str] | None = None) -> pd.DataFrame:
    """campaign_id, campaign, objective, channel, product, price_point, place, promotion, start_date, end_date,
    status, budget, spend_to_date, budget_used, owner: campaigns overlapping the period, plus those still planned.

    status is planned / running / ended relative to as_of (a planning meeting may freeze it), or UNKNOWN_STATUS when
    the flight dates a campaign has do not say; a missing date rules no period out. budget_used is NULL without a
    budget; channel is common.UNASSIGNED without one.
    """
    _check_objective(objective)
    allowed = (*STATUSES, UNKNOWN_STATUS)
    unknown = set(status or ()) - set(allowed)
    if unknown:
        raise db.TandemError(f"unknown status {sorted(unknown)}; choose from {', '.join(allowed)}")
    return db.query(con, "campaigns/plan", {"start": start, "end": end, "as_of": as_of, "objective": objective,
                                            "channels": _list(channels), "status": _list(status)})


def performance_levels(con: duckdb.DuckDBPyConnection, *, start: date, end: date,
                       channels: Sequence[str] | None = None, objective: str | None = None,
                       model: attribution.Model = "linear",
                       half_life_days: float = attribution.DEFAULT_HALF_LIFE_DAYS) -> pd.DataFrame:
    """level ('campaign', then 'channel'), then performance()'s columns: the rows of performance() and of
    performance_by_channel() from one query, for a page that shows both (split it with at_level)."""
    _check_objective(objective)
    attribution.check_model(model)
    params: dict[str, Any] = {**attribution.credit_params(start=start, end=end, half_life_days=half_life_days),
                              "model": model, "channels": _list(channels), "objective": objective}
    return attribution.query_with_credit(con, "campaigns/performance", params)


def at_level(frame: pd.DataFrame, level: Literal["campaign", "channel"]) -> pd.DataFrame:
    """performance_levels() rows of one level, shaped as performance() or performance_by_channel() returns them."""
    if level not in ("campaign", "channel"):
        raise ValueError(f"level must be 'campaign' or 'channel', not {level!r}")
    if not frame.level.isin(("campaign", "channel")).all():
        raise ValueError("at_level takes the frame of performance_levels()")
    return deals.level_rows(frame, level)


def performance(con: duckdb.DuckDBPyConnection, *, start: date, end: date, channels: Sequence[str] | None = None,
                objective: str | None = None, model: attribution.Model = "linear",
                half_life_days: float = attribution.DEFAULT_HALF_LIFE_DAYS) -> pd.DataFrame:
    """campaign_id, campaign, channel, objective, spend, impressions, clicks, ctr, leads, cost_per_lead, mqls,
    sqls, pipeline, won_revenue, roi, days_without_impressions, days_without_clicks, deals_without_amount,
    leads_without_created_date, deals_without_created_date: one row per campaign with activity in [start, end].

    leads and pipeline are what the campaign sourced; won_revenue is the won revenue `model` attributes to it;
    roi = (won_revenue − spend) / spend. Impressions and clicks sum the days that report them and ctr uses the days
    that report both; pipeline sums the deals with an amount; the *_without_* columns count what they leave out.
    Definitions in sql/campaigns/performance.sql.
    """
    return at_level(performance_levels(con, start=start, end=end, channels=channels, objective=objective,
                                       model=model, half_life_days=half_life_days), "campaign")


def performance_by_channel(con: duckdb.DuckDBPyConnection, *, start: date, end: date,
                           channels: Sequence[str] | None = None, objective: str | None = None,
                           model: attribution.Model = "linear",
                           half_life_days: float = attribution.DEFAULT_HALF_LIFE_DAYS) -> pd.DataFrame:
    """The columns of performance() with one row per channel (campaign_id, campaign, objective are NULL)."""
    return at_level(performance_levels(con, start=start, end=end, channels=channels, objective=objective,
                                       model=model, half_life_days=half_life_days), "channel")


def performance_gaps(con: duckdb.DuckDBPyConnection, *, campaign_ids: Sequence[str], start: date,
                     end: date) -> pd.DataFrame:
    """delivery_days, days_without_impressions, days_without_clicks, days_without_ctr, deals, deals_without_amount,
    deals_without_created_date: one row saying what the performance figures of these campaigns leave out of what
    (their delivery days in [start, end], the deals created in it from leads they sourced, and those deals without a
    created date). Definitions in sql/campaigns/performance_gaps.sql."""
    return db.query(con, "campaigns/performance_gaps",
                    {"campaign_ids": list(campaign_ids), "start": start, "end": end})


def spend_by_month(con: duckdb.DuckDBPyConnection, *, campaign_id: str, start: date, end: date) -> pd.DataFrame:
    """month, spend, impressions, clicks, days_without_impressions, days_without_clicks: one campaign's delivery by
    month in the period (impressions and clicks over the days that report them; the others counted)."""
    return db.query(con, "campaigns/spend_by_month", {"campaign_id": campaign_id, "start": start, "end": end})


def feedback(con: duckdb.DuckDBPyConnection, *, campaign_id: str) -> pd.DataFrame:
    """created_at, author, team, topic, sentiment, body, deal_id: sales feedback tagged to the campaign."""
    return db.query(con, "campaigns/feedback", {"campaign_id": campaign_id})


def _check_theta(theta: float) -> float:
    value = float(theta)
    if not 0 <= value < 1:
        raise db.TandemError(f"the carry-over θ must be at least 0 and below 1 (got {theta})")
    return value


def spend_vs_pipeline(con: duckdb.DuckDBPyConnection, *, start: date, end: date, theta: float = DEFAULT_THETA,
                      channel: str | None = None) -> pd.DataFrame:
    """month, spend, adstocked_spend, pipeline_created, won_revenue, deals_created, deals_without_amount,
    deals_without_created_date: one row per month of the period.

    adstocked_spend(m) = spend(m) + θ · adstocked_spend(m − 1), carried over from the first month with spend.
    With a channel, spend is that channel's and deals count when their lead's source channel is that channel.
    pipeline_created leaves out the month's deals without an amount (deals_without_amount, of the deals_created);
    deals_without_created_date counts the deals in no month (the same on every row).
    """
    return db.query(con, "campaigns/spend_vs_pipeline",
                    {"start": start, "end": end, "theta": _check_theta(theta), "channel": channel})


def overspend(con: duckdb.DuckDBPyConnection, *, start: date, end: date, model: attribution.Model = "linear",
              half_life_days: float = attribution.DEFAULT_HALF_LIFE_DAYS, min_ratio: float = 2.0) -> pd.DataFrame:
    """campaign_id, campaign, channel, objective, spend, spend_share, attributed_pipeline, pipeline_share,
    share_gap, deals_created, deals_without_amount: campaigns whose share of spend is at least `min_ratio` times
    their share of attributed pipeline, largest gap first. Pipeline: deals created in the period, credited by
    `model`, over the deals with an amount (deals_without_amount of the period's deals_created; both the same on
    every row).
    """
    attribution.check_model(model)
    params = {**attribution.credit_params(start=start, end=end, half_life_days=half_life_days), "model": model,
              "min_ratio": float(min_ratio)}
    return attribution.query_with_credit(con, "campaigns/overspend", params)


def _power(x: np.ndarray, a: float, b: float) -> np.ndarray:
    return a * np.power(x, b)


def _fit_power(x: np.ndarray, y: np.ndarray, p0: tuple[float, float]) -> tuple[np.ndarray, np.ndarray]:
    """Least-squares a, b of y ≈ a · x^b within a ≥ 0, 0 ≤ b ≤ 3, and their covariance.

    Levenberg–Marquardt (unbounded, about ten times faster) when the curve is identifiable (spend varies, some
    pipeline) and its optimum lies within the bounds with a finite covariance; else the bounded trust-region fit,
    whose covariance stays finite on degenerate data (one spend level, no pipeline).
    """
    if np.ptp(np.log(x)) > 0 and np.any(y != 0):
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", optimize.OptimizeWarning)  # an inestimable covariance: checked below
            try:
                params, cov = optimize.curve_fit(_power, x, y, p0=p0, maxfev=20_000)
            except (RuntimeError, ValueError):
                params, cov = np.array([math.nan, math.nan]), np.full((2, 2), math.nan)
        if (np.all(np.isfinite(params)) and params[0] >= 0 and 0 <= params[1] <= 3.0
                and np.all(np.isfinite(cov))):
            return params, cov
    return optimize.curve_fit(_power, x, y, p0=p0, bounds=([0.0, 0.0], [np.inf, 3.0]), maxfev=20_000)


def fit_response(monthly: pd.DataFrame, *, end: date, step: float = MARGINAL_STEP) -> dict[str, Any]:
    """Fit pipeline_created ≈ a · spend^b to monthly rows (spend > 0) with scipy's curve_fit.

    Returns months (points used), a, b, b_low/b_high (95 % interval of b), r_squared, current_spend (mean monthly
    spend of the last three complete months, a partial last month excluded), expected_pipeline (the curve at
    current spend), marginal_return (pipeline expected from the next `step` of monthly spend) with
    marginal_low/marginal_high (95 % range from the fit's covariance). Values are NaN when there are fewer than
    MIN_FIT_MONTHS months with spend or the fit fails; `note` then says why.
    """
    result: dict[str, Any] = {"months": 0, "a": math.nan, "b": math.nan, "b_low": math.nan, "b_high": math.nan,
                              "r_squared": math.nan, "current_spend": math.nan, "expected_pipeline": math.nan,
                              "marginal_return": math.nan, "marginal_low": math.nan, "marginal_high": math.nan,
                              "step": step, "note": ""}
    # NumPy arrays, not pandas selections: response_curves fits every channel on each view of the page.
    spend = monthly.spend.to_numpy(dtype=float)
    has_spend = spend > 0
    result["months"] = months = int(has_spend.sum())
    if months < MIN_FIT_MONTHS:
        result["note"] = f"only {months} months with spend; a curve needs at least {MIN_FIT_MONTHS}"
        return result
    # Work in thousands so a and b are of similar size for the optimiser.
    x = spend[has_spend] / 1000.0
    y = monthly.pipeline_created.to_numpy(dtype=float)[has_spend] / 1000.0
    positive = y > 0
    if positive.sum() >= 2 and np.ptp(np.log(x[positive])) > 0:
        b0, log_a0 = np.polyfit(np.log(x[positive]), np.log(y[positive]), 1)
        p0 = (float(np.exp(log_a0)), float(np.clip(b0, 0.05, 1.5)))
    else:
        p0 = (float(y.mean() / max(x.mean(), 1e-9)), 0.5)
    try:
        (a, b), cov = _fit_power(x, y, p0)
    except (RuntimeError, ValueError) as exc:
        result["note"] = f"the curve could not be fitted ({exc})"
        return result
    residual = y - _power(x, a, b)
    total = float(((y - y.mean()) ** 2).sum())
    result.update(a=float(a) * 1000.0 ** (1 - b), b=float(b),
                  r_squared=1 - float((residual**2).sum()) / total if total > 0 else math.nan)

    # A complete month ended on or before `end`.
    month_ends = (monthly.month.to_numpy(dtype="datetime64[M]") + 1).astype("datetime64[D]") - 1
    recent = spend[month_ends <= np.datetime64(end, "D")][-3:]
    current = float(recent.mean()) if len(recent) else float(spend[has_spend][-3:].mean())
    result["current_spend"] = current
    cx, nx = current / 1000.0, (current + step) / 1000.0
    result["expected_pipeline"] = float(_power(np.array(cx), a, b)) * 1000.0
    result["marginal_return"] = float(_power(np.array(nx), a, b) - _power(np.array(cx), a, b)) * 1000.0
    if np.all(np.isfinite(cov)):
        se_b = math.sqrt(max(cov[1, 1], 0.0))
        result["b_low"], result["b_high"] = max(b - 1.96 * se_b, 0.0), b + 1.96 * se_b
        draws = np.random.default_rng(_SEED).multivariate_normal([a, b], cov, size=_DRAWS, check_valid="ignore")
        draws = draws[(draws[:, 0] >= 0) & (draws[:, 1] >= 0)]
        if len(draws):
            gains = (draws[:, 0] * (nx ** draws[:, 1] - cx ** draws[:, 1])) * 1000.0
            result["marginal_low"], result["marginal_high"] = (float(v) for v in np.percentile(gains, [2.5, 97.5]))
    else:
        result["note"] = "the fit's uncertainty could not be estimated"
    return result


def monthly_by_channel(con: duckdb.DuckDBPyConnection, *, start: date, end: date) -> pd.DataFrame:
    """channel, month, spend, pipeline_created, deals_without_amount: every campaign channel's months of [start, end]
    in one query (what spend_vs_pipeline(channel=…) gives one channel at a time, without the adstock and won
    revenue)."""
    return db.query(con, "campaigns/monthly_by_channel", {"start": start, "end": end})


def response_curves(con: duckdb.DuckDBPyConnection, *, start: date, end: date,
                    step: float = MARGINAL_STEP) -> pd.DataFrame:
    """channel plus the fields of fit_response(): one fitted pipeline-vs-spend curve per channel, on the months
    of [start, end] (pipeline from leads the channel sourced). Sorted by marginal_return, largest first.
    """
    points = monthly_by_channel(con, start=start, end=end)
    frame = pd.DataFrame([{"channel": channel, **fit_response(monthly, end=end, step=step)}
                          for channel, monthly in points.groupby("channel", sort=True)])
    if frame.empty:
        return frame
    return frame.sort_values("marginal_return", ascending=False, na_position="last").reset_index(drop=True)
