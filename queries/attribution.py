"""Multi-touch attribution: how each model splits a won deal's revenue over the campaigns that touched it.

Every weight is computed in SQL by one table macro (sql/attribution/credit_macro.sql) from the numbers in
MODELS below, the one place the models are defined (a Definitions page can show them). Credit always
reconciles: per deal and model it sums to the deal's amount to the cent, and deals with no eligible touch
are credited to "Unattributed".

Pages read the credit summed per day (the summary table attribution_credit_daily, built once per data_version
with the default half-life and MODELS' weights, as given by the summary table attribution_settings): a period is
then a sum over a few thousand rows. Other settings (a half-life chosen on the page) run the same query with the
summary table swapped for the macro attribution_credit_by_day, which computes rows of the same shape on the fly.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from functools import cache
from typing import Any, Literal

import duckdb
import pandas as pd

from queries import db, derived

Model = Literal["first_touch", "last_touch", "linear", "u_shaped", "w_shaped", "time_decay"]

UNATTRIBUTED = "Unattributed"
DEFAULT_HALF_LIFE_DAYS = 7.0

# The attribution models: label, the rule in words (with its collapse rules) and the position weights the SQL
# uses. A touch is eligible when it belongs to the deal's lead and touched_at <= the deal's created_at.
MODELS: dict[str, dict[str, Any]] = {
    "first_touch": {
        "label": "First touch",
        "rule": "100 % to the first eligible touch.",
        "weights": {},
    },
    "last_touch": {
        "label": "Last touch",
        "rule": "100 % to the last eligible touch before the deal was created.",
        "weights": {},
    },
    "linear": {
        "label": "Linear",
        "rule": "Equal shares: 1/n to each of the n eligible touches.",
        "weights": {},
    },
    "u_shaped": {
        "label": "U-shaped",
        "rule": ("40 % to the first touch, 40 % to the last, 20 % shared equally by the touches between. "
                 "With 1 touch it gets 100 %; with 2 touches each gets 50 % (the middle 20 % has no touch "
                 "and is shared in proportion)."),
        "weights": {"u_first": 0.40, "u_middle": 0.20, "u_last": 0.40},
    },
    "w_shaped": {
        "label": "W-shaped",
        "rule": ("30 % to the first touch, 30 % to the last touch at or before the lead became an MQL, 30 % to "
                 "the last touch before the deal was created, 10 % shared equally by the rest. Positions that "
                 "fall on the same touch add up on it (e.g. first touch = last touch before MQL → 60 %). "
                 "With no MQL date, or no touch before it, the MQL 30 % is split 15 % / 15 % between the first "
                 "and the last touch. Shares with no touch to go to (no 'rest' touches) are spread over the "
                 "credited touches in proportion: 1 touch → 100 %; 2 touches, first is the MQL touch → 2/3, 1/3; "
                 "3 touches, the middle one is the MQL touch → 1/3 each."),
        "weights": {"w_first": 0.30, "w_mql": 0.30, "w_last": 0.30, "w_rest": 0.10},
    },
    "time_decay": {
        "label": "Time decay",
        "rule": ("Each touch weighs 2^(−days before deal creation / half-life), weights normalised to sum to 1: "
                 "a touch one half-life older than another gets half its credit."),
        "weights": {},
    },
}

# Every position weight the SQL macro takes, gathered from MODELS.
_POSITION_WEIGHTS: dict[str, float] = {key: value for spec in MODELS.values() for key, value in spec["weights"].items()}


def model_label(model: str) -> str:
    return MODELS[model]["label"]


def check_model(model: str) -> None:
    if model not in MODELS:
        raise db.TandemError(f"unknown attribution model {model!r}; choose one of {', '.join(MODELS)}")


def check_half_life(half_life_days: float) -> float:
    value = float(half_life_days)
    if not value > 0:
        raise db.TandemError(f"the time-decay half-life must be more than 0 days (got {half_life_days})")
    return value


def credit_params(*, start: date, end: date, half_life_days: float) -> dict[str, Any]:
    """The bound parameters every query over the attribution_credit macro takes."""
    return {"start": start, "end": end, "half_life_days": check_half_life(half_life_days), **_POSITION_WEIGHTS}


# The daily credit summary tables, and what replaces each in a query's text for other settings: the macro (defined
# in sql/attribution/credit_macro.sql) that returns rows of the same shape for the period, under the table's name.
_LIVE_CREDIT = ("attribution_credit_by_day($start, $end, $half_life_days, $u_first, $u_middle, $u_last, $w_first, "
                "$w_mql, $w_last, $w_rest)")
_LIVE_SUMMARY_TABLES: dict[str, str] = {
    "derived.attribution_credit_daily": f"{_LIVE_CREDIT} AS attribution_credit_daily",
    "derived.attribution_channel_credit_daily": (
        f"(SELECT basis, day, channel, model, sum(credit) AS credit FROM {_LIVE_CREDIT} GROUP BY ALL) "  # noqa: S608
        "AS attribution_channel_credit_daily"),
}
_SETTINGS = ("half_life_days", *_POSITION_WEIGHTS)


@cache
def summary_table_settings() -> dict[str, float]:
    """The half-life and position weights the daily credit summary tables are built with (the summary table
    attribution_settings; a constant SELECT, evaluated once per process without any data)."""
    with duckdb.connect() as scratch:
        row = scratch.execute(derived.definition("attribution_settings")).fetchone()
        names = [column[0] for column in scratch.description]
    return dict(zip(names, row, strict=True))


def summary_table_applies(params: Mapping[str, Any]) -> bool:
    """Whether the credit_params() describe the summary tables' settings (else the query computes it on the fly)."""
    return all(params[key] == value for key, value in summary_table_settings().items())


def query_with_credit(con: duckdb.DuckDBPyConnection, name: str, params: Mapping[str, Any]) -> pd.DataFrame:
    """Run a named query that reads the daily credit summary tables (derived.attribution_credit_daily or
    attribution_channel_credit_daily) with credit_params().

    With the summary tables' settings it reads them (queries.derived). With others, the same query runs with each
    summary table replaced by the macro attribution_credit_by_day over these settings, on a cursor that defines it.
    """
    if summary_table_applies(params):
        return db.query(con, name, {k: v for k, v in params.items() if k not in _SETTINGS})
    sql = db.sql_text(name)
    for summary_table, live in _LIVE_SUMMARY_TABLES.items():
        sql = sql.replace(summary_table, live)
    sql = derived.prepare(con, sql)
    try:
        with con.cursor() as cur:
            cur.execute(db.sql_text("attribution/credit_macro"))
            table = cur.execute(sql, dict(params)).to_arrow_table()
    except duckdb.Error as exc:
        raise db.DatabaseError(f"query failed: {str(exc).strip().splitlines()[0]}") from exc
    return table.to_pandas()


def revenue_by_campaign(con: duckdb.DuckDBPyConnection, *, start: date, end: date, model: Model,
                        half_life_days: float = DEFAULT_HALF_LIFE_DAYS) -> pd.DataFrame:
    """campaign_id, campaign, channel, attributed_revenue, deals: won revenue credited to each campaign.

    Deals: stage 'won' with close_date in [start, end]; revenue is the won amount. Touches count when
    touched_at <= the deal's created_at (none for a deal without a created date). Deals with no such touch form one
    row with campaign_id NULL, campaign "Unattributed" and channel NULL, so the rows sum to total won revenue in the
    period to the cent; a campaign without a channel has common.UNASSIGNED.
    `deals` counts the deals that give the campaign any credit. Sorted by attributed_revenue, largest first.
    """
    check_model(model)
    params = {**credit_params(start=start, end=end, half_life_days=half_life_days), "model": model}
    return query_with_credit(con, "attribution/revenue_by_campaign", params)


def revenue_by_channel(con: duckdb.DuckDBPyConnection, *, start: date, end: date,
                       half_life_days: float = DEFAULT_HALF_LIFE_DAYS) -> pd.DataFrame:
    """model, channel, attributed_revenue, share: every model side by side, per channel.

    Same deals and rules as revenue_by_campaign; channel "Unattributed" holds deals with no eligible touch.
    share = the channel's part of the model's total won revenue.
    """
    params = credit_params(start=start, end=end, half_life_days=half_life_days)
    return query_with_credit(con, "attribution/revenue_by_channel", params)


def sourced_vs_influenced(con: duckdb.DuckDBPyConnection, *, start: date, end: date) -> pd.DataFrame:
    """channel, sourced_pipeline, sourced_deals, influenced_pipeline, influenced_deals, sourced_without_amount,
    influenced_without_amount per campaign channel (common.UNASSIGNED, last, for campaigns without one).

    Pipeline = amount of deals created in [start, end], any stage, over the deals with an amount (*_without_amount:
    those without, counted in *_deals). Sourced: the deal's lead came from a campaign of the channel. Influenced: at
    least one touch by a campaign of the channel at or before the deal's creation (a deal counts once per channel,
    and may count for several channels).
    """
    return db.query(con, "attribution/sourced_vs_influenced", {"start": start, "end": end})
