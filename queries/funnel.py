"""The audience-narrowing funnel and the marketing→sales handoff: stages, SLA, response buckets, breaches, MQLs.

Stage rules (the page shows them): lead = created_at; MQL = mql_at recorded; SAL = sal_at recorded (accepted by
sales); SQL = sql_at recorded; opportunity = a deal exists with deals.lead_id = the lead; won = such a deal is won.
In cohort mode a stage counts as reached when the lead reached it or any later stage (a lead that skipped SAL but
reached SQL counts as SAL), so counts never grow down the funnel. Response time = first_contact_at − mql_at, with a
contact before the MQL counted as 0 h.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime, time, timedelta
from typing import Literal

import duckdb
import pandas as pd

from queries import db

STAGES: tuple[str, ...] = ("impressions", "leads", "mql", "sal", "sql", "opportunity", "won")
STAGE_LABELS: dict[str, str] = {"impressions": "Impressions", "leads": "Leads", "mql": "MQL", "sal": "SAL",
                                "sql": "SQL", "opportunity": "Opportunity", "won": "Won"}
MODES: dict[str, str] = {"cohort": "funnel/stages_cohort", "period": "funnel/stages_period"}
SPLITS: tuple[str, ...] = ("channel", "campaign", "region", "segment")
SLA_GROUPS: tuple[str, ...] = ("rep", "team", "region", "all")
SLA_COLUMNS: dict[str, str] = {"rep": "rep_id", "team": "team", "region": "region", "all": "scope"}
BUCKETS: tuple[str, ...] = ("< 1 h", "1–4 h", "4–24 h", "1–3 d", "> 3 d", "never")
# Buckets whose first contact came within 24 hours of the MQL (the speed-to-lead comparison).
FAST_BUCKETS: tuple[str, ...] = ("< 1 h", "1–4 h", "4–24 h")

Split = Literal["channel", "campaign", "region", "segment"]


def _values(values: Sequence[str] | None) -> list[str] | None:
    """A filter selection as a bound list; None or empty means all."""
    return list(values) if values else None


def stages(con: duckdb.DuckDBPyConnection, *, start: date, end: date, mode: Literal["cohort", "period"] = "cohort",
           by: Split | None = None, regions: Sequence[str] | None = None,
           segments: Sequence[str] | None = None) -> pd.DataFrame:
    """stage, the `by` column when given, count, step_conversion, cumulative_conversion, campaign_days,
    days_without_impressions, leads_without_created_date; stages in funnel order.

    cohort: leads created in the period, followed to wherever they went. period: events that happened in it.
    Impressions (campaign_spend in the period) are NULL when split or filtered by region or segment; they sum the
    campaign days that report them; campaign_days counts the group's campaign days and days_without_impressions those
    that report none.
    leads_without_created_date: leads in the filters' scope that no period counts as created (the same on every
    row). A lead without a channel, region or segment is in the group UNASSIGNED.
    """
    if mode not in MODES:
        raise ValueError(f"mode must be one of {', '.join(MODES)}, got {mode!r}")
    if by is not None and by not in SPLITS:
        raise ValueError(f"by must be one of {', '.join(SPLITS)} or None, got {by!r}")
    frame = db.query(con, MODES[mode], {"start": start, "end": end, "by": by or "none",
                                        "regions": _values(regions), "segments": _values(segments)})
    frame["count"] = frame["count"].astype("Int64")
    if by is None:
        return frame.drop(columns="grp").reset_index(drop=True)
    return frame.rename(columns={"grp": by})[["stage", by, "count", "step_conversion", "cumulative_conversion",
                                              "campaign_days", "days_without_impressions",
                                              "leads_without_created_date"]]


def deal_stages(con: duckdb.DuckDBPyConnection, *, start: date, end: date,
                mode: Literal["cohort", "period"] = "cohort", regions: Sequence[str] | None = None,
                segments: Sequence[str] | None = None, teams: Sequence[str] | None = None) -> pd.DataFrame:
    """stage (opportunity, won), count, step_conversion, deals_without_created_date: the funnel's deal stages from the
    deals alone (every deal, with a lead or not), for a company whose leads are not imported. cohort: the period's new
    deals and those of them won by now; period: the new deals and the deals won in the period. Region and team are the
    owner rep's, segment the deal's."""
    if mode not in MODES:
        raise ValueError(f"mode must be one of {', '.join(MODES)}, got {mode!r}")
    return db.query(con, "funnel/deal_stages", {"start": start, "end": end, "mode": mode,
                                                "regions": _values(regions), "segments": _values(segments),
                                                "teams": _values(teams)})


def stage_days(con: duckdb.DuckDBPyConnection, *, start: date, end: date, regions: Sequence[str] | None = None,
               segments: Sequence[str] | None = None) -> pd.DataFrame:
    """from_stage, to_stage, leads, median_days: median days between consecutive stages for the period's leads;
    cohort_leads: the leads created in the period; leads_without_created_date: leads in the filters' scope in no
    period's cohort (both the same on every row)."""
    return db.query(con, "funnel/stage_days", {"start": start, "end": end, "regions": _values(regions),
                                               "segments": _values(segments)})


def sla(con: duckdb.DuckDBPyConnection, *, start: date, end: date, sla_hours: float = 24,
        by: Literal["rep", "team", "region", "all"] = "rep", regions: Sequence[str] | None = None,
        segments: Sequence[str] | None = None, teams: Sequence[str] | None = None) -> pd.DataFrame:
    """rep_id (or team, region; scope = 'all' for one overall row), mqls, contacted, within_sla, pct_within_sla,
    median_response_hours, p90_response_hours, sql_rate, avg_contact_attempts (over the MQLs whose attempts were
    recorded), mqls_without_contact_attempts (the others): the period's MQLs, best SLA first."""
    if by not in SLA_GROUPS:
        raise ValueError(f"by must be one of {', '.join(SLA_GROUPS)}, got {by!r}")
    frame = db.query(con, "funnel/sla", {"start": start, "end": end, "sla_hours": float(sla_hours), "by": by,
                                         "regions": _values(regions), "segments": _values(segments),
                                         "teams": _values(teams)})
    return frame.rename(columns={"grp": SLA_COLUMNS[by]})


def response_buckets(con: duckdb.DuckDBPyConnection, *, start: date, end: date,
                     regions: Sequence[str] | None = None, segments: Sequence[str] | None = None,
                     teams: Sequence[str] | None = None) -> pd.DataFrame:
    """bucket, leads, sql_rate: the period's MQLs by time to first contact (all six buckets, fastest first)."""
    return db.query(con, "funnel/response_buckets", {"start": start, "end": end, "regions": _values(regions),
                                                     "segments": _values(segments), "teams": _values(teams)})


def breaches(con: duckdb.DuckDBPyConnection, *, start: date, end: date, as_of: date, sla_hours: float = 24,
             regions: Sequence[str] | None = None, segments: Sequence[str] | None = None,
             teams: Sequence[str] | None = None) -> pd.DataFrame:
    """lead_id, company, region, segment, channel, owner_rep_id, owner_name, team, mql_at, age_hours,
    contact_attempts: the period's MQLs neither contacted nor rejected by the end of the as-of day and older than
    the SLA there, oldest first."""
    clock_at = datetime.combine(as_of + timedelta(days=1), time())
    return db.query(con, "funnel/breaches", {"start": start, "end": end, "clock_at": clock_at,
                                             "sla_hours": float(sla_hours), "regions": _values(regions),
                                             "segments": _values(segments), "teams": _values(teams)})


def mql_delivery(con: duckdb.DuckDBPyConnection, *, start: date, end: date, regions: Sequence[str] | None = None,
                 segments: Sequence[str] | None = None) -> pd.DataFrame:
    """month, mqls, target_mqls, pct_of_target, accepted, rejected, pct_accepted: MQLs delivered against the
    monthly marketing target (NULL when regions or segments narrow the MQLs: the target is company-wide)."""
    return db.query(con, "funnel/mql_delivery", {"start": start, "end": end, "regions": _values(regions),
                                                 "segments": _values(segments)})


def rejection_reasons(con: duckdb.DuckDBPyConnection, *, start: date, end: date,
                      regions: Sequence[str] | None = None, segments: Sequence[str] | None = None) -> pd.DataFrame:
    """reject_reason, rejected, share: why sales rejected the period's MQLs, most frequent first."""
    return db.query(con, "funnel/rejection_reasons", {"start": start, "end": end, "regions": _values(regions),
                                                      "segments": _values(segments)})
