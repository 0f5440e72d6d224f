"""The joint plan: measured funnel rates, and the reverse funnel from revenue back to leads by month and channel."""

from __future__ import annotations

from datetime import date
from typing import Literal

import duckdb
import pandas as pd

from queries import db

REVENUE_SOURCES = ("quota", "joint_target")
# The lead channel that stands for pipeline sales creates itself: it needs no leads.
SALES_SOURCED = "sales_sourced"
# The rates plan/funnel_rates measures that the reverse funnel divides by or shifts by.
RATE_PARAMS = ("win_rate_value", "sourced_share", "pipeline_per_sql", "sql_rate", "mql_rate", "close_lag_months",
               "sql_to_deal_lag_months", "mql_to_sql_lag_months", "lead_to_mql_lag_months")
COLUMNS = ["month", "channel", "required_revenue", "required_pipeline", "required_sqls", "required_mqls",
           "required_leads", "forecast_leads", "gap", "already_past"]


def _month(value: date) -> date:
    return date(value.year, value.month, 1)


def funnel_rates(con: duckdb.DuckDBPyConnection, *, start_month: date, team: str | None = None,
                 trailing_months: int = 6) -> pd.DataFrame:
    """One row: window_start, window_end, win_rate_value, avg_cycle_days, sourced_share, pipeline_per_sql, sql_rate,
    mql_rate, the days between stages and those lags in whole months, the leads, mqls, sqls, closed_deals, won_deals
    and created_deals counted, and what the rates leave out of those: closed_without_amount (out of win_rate_value),
    won_without_created_date (out of avg_cycle_days), created_without_amount (out of sourced_share and
    pipeline_per_sql), mqls_without_created_date (out of mql_rate and lead_to_mql_days). team UNASSIGNED: the reps
    without a team."""
    if not 1 <= int(trailing_months) <= 36:
        raise ValueError(f"trailing_months must be 1–36, got {trailing_months!r}")
    return db.query(con, "plan/funnel_rates", {"start_month": _month(start_month), "team": team or None,
                                               "trailing_months": int(trailing_months)})


def channel_mix(con: duckdb.DuckDBPyConnection, *, window_start: date, window_end: date,
                team: str | None = None) -> pd.DataFrame:
    """channel, leads, lead_share, leads_per_day: each lead channel's share and run rate in [start, end) (a lead
    without a channel in UNASSIGNED)."""
    return db.query(con, "plan/channel_mix", {"window_start": window_start, "window_end": window_end,
                                              "team": team or None})


def reverse_funnel(con: duckdb.DuckDBPyConnection, *, start_month: date, months: int, team: str | None = None,
                   trailing_months: int = 6,
                   revenue_source: Literal["quota", "joint_target"] = "quota",
                   rates: pd.Series | None = None) -> pd.DataFrame:
    """month, channel, required_revenue, required_pipeline, required_sqls, required_mqls, required_leads,
    forecast_leads, gap, already_past.

    Works back from the revenue of the plan months (the team's quota, or the joint revenue target) with the rates of
    funnel_rates over the trailing window, placing each need in the month it is needed; months before start_month
    are already_past. Empty when the window has too little history to measure a rate. `rates` is the row
    funnel_rates returns for the same start_month, team and trailing_months, for a caller that has it already.
    """
    if not 1 <= int(months) <= 12:
        raise ValueError(f"months must be 1–12, got {months!r}")
    if revenue_source not in REVENUE_SOURCES:
        raise ValueError(f"revenue_source must be one of {REVENUE_SOURCES}, not {revenue_source!r}")
    row = rates if rates is not None else \
        funnel_rates(con, start_month=start_month, team=team, trailing_months=trailing_months).iloc[0]
    if any(pd.isna(row[name]) for name in RATE_PARAMS) or not row["win_rate_value"] or not row["mql_rate"] \
            or not row["sql_rate"] or not row["pipeline_per_sql"]:
        return pd.DataFrame({name: pd.Series(dtype="object") for name in COLUMNS})
    mix = channel_mix(con, window_start=row["window_start"], window_end=row["window_end"], team=team)
    params = {name: (int(row[name]) if name.endswith("_months") else float(row[name])) for name in RATE_PARAMS}
    params |= {"start_month": _month(start_month), "months": int(months), "team": team or None,
               "revenue_source": revenue_source, "channels": mix["channel"].tolist(),
               "lead_shares": mix["lead_share"].astype(float).tolist(),
               "leads_per_day": mix["leads_per_day"].astype(float).tolist()}
    return db.query(con, "plan/reverse_funnel", params)


def proposed_targets(funnel: pd.DataFrame, rates: pd.Series | dict, *, start_month: date,
                     months: int) -> pd.DataFrame:
    """month, metric, team, value: the marketing targets a reverse funnel implies, for the plan months it fully covers.

    mqls = required MQLs over every channel (whole MQLs); sourced_pipeline = required pipeline of the lead channels
    (marketing-sourced, whole currency units). A month counts only from start_month on, and only when everything
    it delivers closes inside the plan (month + the stage's lag ≤ the last plan month): later months also feed closes
    after the plan, which the funnel does not include, so their totals would be too low to be a target.
    """
    first = _month(start_month)
    last = (pd.Timestamp(first) + pd.DateOffset(months=int(months) - 1)).date()
    lags = {"sourced_pipeline": int(rates["close_lag_months"]),
            "mqls": int(rates["close_lag_months"] + rates["sql_to_deal_lag_months"] + rates["mql_to_sql_lag_months"])}
    marketing = funnel[(funnel["channel"] != SALES_SOURCED) & (funnel["month"] >= first)]
    by_month = marketing.groupby("month", as_index=False).agg(mqls=("required_mqls", "sum"),
                                                              sourced_pipeline=("required_pipeline", "sum"))
    rows = []
    for record in by_month.to_dict("records"):
        for metric in ("mqls", "sourced_pipeline"):
            if (pd.Timestamp(record["month"]) + pd.DateOffset(months=lags[metric])).date() <= last:
                rows.append({"month": record["month"], "metric": metric, "team": "marketing",
                             "value": float(round(record[metric]))})
    return pd.DataFrame(rows, columns=["month", "metric", "team", "value"])


def target_lead_months(rates: pd.Series | dict) -> int:
    """How many plan months it takes before the first month's MQL target is complete (see proposed_targets)."""
    return int(rates["close_lag_months"] + rates["sql_to_deal_lag_months"] + rates["mql_to_sql_lag_months"]) + 1
