"""The pandas peer: what most Streamlit dashboards do. Every table loaded once with SELECT * into DataFrames,
then each page's numbers computed with pandas filters, groupby and merge.

Each function here has the keyword signature of the queries function it stands in for (`IMPLEMENTATIONS`) and
returns the same frame (columns, rows, order; tests/unit/test_bench.py checks this on a tiny fixture and the
sample). Queries without a peer here are left out of the peer side and of the ratio, which only compares the
calls both sides compute.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import date

import numpy as np
import pandas as pd

from queries import brand, campaigns, common, deals, funnel, health, quota, segments

TABLES: tuple[str, ...] = ("reps", "campaigns", "campaign_spend", "brand_metrics", "leads", "touches", "deals",
                           "quotas", "targets", "feedback", "meetings", "action_items", "import_batches")
Frames = dict[str, pd.DataFrame]


# The dimensions a page groups and filters on: a missing value is the group common.UNASSIGNED, as the queries have it.
DIMENSIONS: dict[str, tuple[str, ...]] = {"reps": ("team", "region"), "campaigns": ("channel",),
                                          "leads": ("channel", "region", "segment", "industry"), "deals": ("segment",)}


def load(con) -> Frames:
    """The usual Streamlit approach: every table as a DataFrame, loaded once and kept in memory (a missing team,
    region, segment, channel or industry filled in as Unassigned)."""
    frames = {}
    for table in TABLES:
        with con.cursor() as cur:
            frames[table] = cur.execute(f"SELECT * FROM {table}").df()  # noqa: S608 - table names are fixed above
    for table, columns in DIMENSIONS.items():
        frames[table] = frames[table].fillna({column: common.UNASSIGNED for column in columns})
    return frames


def _day(value: date) -> pd.Timestamp:
    return pd.Timestamp(value)


def _month_start(value) -> pd.Timestamp:
    return pd.Timestamp(value).to_period("M").start_time


def _scope(f: Frames, by: str, teams: Sequence[str] | None, regions: Sequence[str] | None = None) -> pd.DataFrame:
    reps = f["reps"]
    if teams:
        reps = reps[reps.team.isin(list(teams))]
    if regions:
        reps = reps[reps.region.isin(list(regions))]
    grp = {"team": reps.team, "rep": reps.rep_id}.get(by, pd.Series("all", index=reps.index))
    return pd.DataFrame({"rep_id": reps.rep_id, "grp": grp})


def _name_group(frame: pd.DataFrame, by: str, columns: dict[str, str | None]) -> pd.DataFrame:
    column = columns[by]
    return frame.drop(columns="grp") if column is None else frame.rename(columns={"grp": column})


def dimension_values(f: Frames) -> pd.DataFrame:
    parts = [("region", f["reps"].region), ("region", f["leads"].region), ("team", f["reps"].team),
             ("segment", f["leads"].segment), ("segment", f["deals"].segment)]
    frame = pd.concat([pd.DataFrame({"kind": kind, "value": values.unique()}) for kind, values in parts])
    frame = frame.drop_duplicates().assign(unassigned=lambda f: f.value == common.UNASSIGNED)
    return frame.sort_values(["kind", "unassigned", "value"]).drop(columns="unassigned").reset_index(drop=True)


def channels(f: Frames) -> pd.DataFrame:
    frame = f["campaigns"].groupby("channel").size().rename("campaigns").reset_index()
    frame = frame.assign(unassigned=frame.channel == common.UNASSIGNED).sort_values(["unassigned", "channel"])
    return frame.drop(columns="unassigned").reset_index(drop=True)


def _periods(as_of: date) -> list[tuple[str, pd.Timestamp, pd.Timestamp]]:
    through = _day(as_of)
    previous = through - pd.DateOffset(months=1)  # clamps to the month's last day, as DuckDB's interval does
    return [("current", _month_start(through), through), ("previous", _month_start(previous), previous)]


def month_to_date(f: Frames, *, as_of: date, teams: Sequence[str] | None = None,
                  regions: Sequence[str] | None = None) -> pd.DataFrame:
    scope = _scope(f, "all", teams, regions).rep_id
    q = f["quotas"][f["quotas"].rep_id.isin(scope)]
    won = f["deals"][(f["deals"].stage == "won") & f["deals"].owner_rep_id.isin(scope)]
    rows = []
    for period, month, through in _periods(as_of):
        month_quota = q[q.month == month]
        booked = won[(won.close_date >= month) & (won.close_date <= through)].amount.sum()
        quota_value = month_quota.amount.sum() if len(month_quota) else np.nan
        rows.append({"period": period, "month": month, "through": through, "quota": quota_value,
                     "booked_to_date": float(booked),
                     "attainment_to_date": booked / quota_value if quota_value else np.nan})
    frame = pd.DataFrame(rows)
    frame["attainment_change"] = [frame.attainment_to_date[0] - frame.attainment_to_date[1], np.nan]
    return frame


def pipeline_month_to_date(f: Frames, *, as_of: date, segments: Sequence[str] | None = None,
                           teams: Sequence[str] | None = None,
                           regions: Sequence[str] | None = None) -> pd.DataFrame:
    d = f["deals"].merge(f["reps"][["rep_id", "team", "region"]], left_on="owner_rep_id", right_on="rep_id")
    if segments:
        d = d[d.segment.isin(list(segments))]
    if teams:
        d = d[d.team.isin(list(teams))]
    if regions:
        d = d[d.region.isin(list(regions))]
    created_day = d.created_at.dt.normalize()
    rows = []
    for period, month, through in _periods(as_of):
        inside = d[(created_day >= month) & (created_day <= through)]
        created = float(inside.amount.sum())
        sourced = float(inside[inside.lead_id.notna()].amount.sum())
        rows.append({"period": period, "month": month, "through": through, "pipeline_created": created,
                     "marketing_sourced": sourced, "marketing_share": sourced / created if created else np.nan,
                     "deals_created": len(inside), "deals_without_amount": int(inside.amount.isna().sum())})
    frame = pd.DataFrame(rows)
    now, before = frame.iloc[0], frame.iloc[1]
    frame.insert(6, "pipeline_change", [now.pipeline_created / before.pipeline_created - 1
                                        if before.pipeline_created else np.nan, np.nan])
    frame.insert(7, "share_change", [now.marketing_share - before.marketing_share, np.nan])
    frame["deals_without_created_date"] = int(d.created_at.isna().sum())
    return frame


def attainment(f: Frames, *, start: date, end: date, by: str = "team",
               teams: Sequence[str] | None = None, regions: Sequence[str] | None = None) -> pd.DataFrame:
    scope = _scope(f, by, teams, regions)
    first, last = _month_start(start), _month_start(end)
    q = f["quotas"][(f["quotas"].month >= first) & (f["quotas"].month <= last)].merge(scope, on="rep_id")
    quota_frame = q.groupby(["month", "grp"], as_index=False).amount.sum().rename(columns={"amount": "quota"})
    d = f["deals"]
    won = d[(d.stage == "won") & (d.close_date >= first) & (d.close_date < last + pd.DateOffset(months=1))]
    won = won.merge(scope, left_on="owner_rep_id", right_on="rep_id")
    won = won.assign(month=won.close_date.dt.to_period("M").dt.start_time)
    booked = won.groupby(["month", "grp"], as_index=False).amount.sum().rename(columns={"amount": "booked"})
    frame = quota_frame.merge(booked, on=["month", "grp"], how="outer")
    frame["booked"] = frame.booked.fillna(0.0)
    frame["attainment"] = frame.booked / frame.quota.where(frame.quota != 0)
    frame = frame.sort_values(["month", "grp"]).reset_index(drop=True)
    return _name_group(frame, by, quota.GROUP_COLUMNS)


def pacing_levels(f: Frames, *, as_of: date, teams: Sequence[str] | None = None,
                  regions: Sequence[str] | None = None) -> pd.DataFrame:
    """Each grouping computed on its own, as a page would in pandas, then stacked."""
    levels = [_pacing(f, as_of=as_of, by=by, teams=teams, regions=regions).assign(level=by)
              for by in ("all", "rep", "team")]
    frame = pd.concat([level for level in levels if not level.empty] or levels[:1], ignore_index=True)
    return frame[["level", *levels[0].columns.drop("level")]]


def _pacing(f: Frames, *, as_of: date, by: str, teams: Sequence[str] | None,
            regions: Sequence[str] | None) -> pd.DataFrame:
    scope = _scope(f, by, teams, regions)
    day = _day(as_of)
    month = _month_start(day)
    days_elapsed, days_in_month = day.day, day.days_in_month
    q = f["quotas"][f["quotas"].month == month].merge(scope, on="rep_id")
    quota_frame = q.groupby("grp", as_index=False).amount.sum().rename(columns={"amount": "quota"})
    d = f["deals"]
    won = d[(d.stage == "won") & (d.close_date >= month) & (d.close_date <= day)]
    won = won.merge(scope, left_on="owner_rep_id", right_on="rep_id")
    booked = won.groupby("grp", as_index=False).amount.sum().rename(columns={"amount": "booked_to_date"})
    frame = quota_frame.merge(booked, on="grp", how="outer")
    frame["booked_to_date"] = frame.booked_to_date.fillna(0.0)
    frame["expected_to_date"] = frame.quota * days_elapsed / days_in_month
    frame["projected"] = frame.booked_to_date / days_elapsed * days_in_month
    short = (frame.quota - frame.booked_to_date) / (days_in_month - days_elapsed) if days_in_month > days_elapsed \
        else pd.Series(np.nan, index=frame.index)
    frame["required_per_day"] = np.where(frame.quota.isna(), np.nan,
                                         np.where(frame.booked_to_date >= frame.quota, 0.0, short))
    frame["days_elapsed"] = days_elapsed
    frame["days_in_month"] = days_in_month
    return frame.sort_values("grp").reset_index(drop=True)


def metric_series(f: Frames, *, metric: str, start: date, end: date, region: str = "all") -> pd.DataFrame:
    b = f["brand_metrics"]
    series = b[(b.metric == metric) & (b.region == region)][["month", "value"]]
    index = series.month.dt.year * 12 + series.month.dt.month
    by_index = pd.Series(series.value.to_numpy(), index=index.to_numpy())
    window = pd.concat([by_index.reindex(index.to_numpy() - k).reset_index(drop=True) for k in range(3)], axis=1)
    frame = series.reset_index(drop=True)
    frame["rolling_3m"] = window.mean(axis=1).where(window.notna().sum(axis=1) == 3)
    frame["yoy_change"] = frame.value - by_index.reindex(index.to_numpy() - 12).to_numpy()
    # A month's reading is published on the 1st of the next month: only those published by `end` (queries.brand).
    frame = frame[(frame.month >= _month_start(start)) & (frame.month < _month_start(end))]
    return frame.sort_values("month").reset_index(drop=True)


def spend_by_month(f: Frames, *, start: date, end: date) -> pd.DataFrame:
    brand_ids = f["campaigns"][f["campaigns"].objective == "brand"].campaign_id
    s = f["campaign_spend"]
    last = _day(end) + pd.offsets.MonthEnd(0)
    s = s[s.campaign_id.isin(brand_ids) & (s.day >= _month_start(start)) & (s.day <= last)]
    frame = s.groupby(s.day.dt.to_period("M").dt.start_time.rename("month")).spend.sum()
    return frame.rename("brand_spend").reset_index()


def summary(f: Frames, *, start: date, end: date, by: str = "rep", teams: Sequence[str] | None = None,
            regions: Sequence[str] | None = None) -> pd.DataFrame:
    scope = _scope(f, by, teams, regions)
    d = scope.merge(f["deals"], left_on="rep_id", right_on="owner_rep_id", how="left")
    first, last = _day(start), _day(end)
    closed_inside = (d.close_date >= first) & (d.close_date <= last)
    d["is_won"] = (d.stage == "won") & closed_inside
    d["is_lost"] = (d.stage == "lost") & closed_inside
    d["is_open"] = d.stage.notna() & ~d.stage.isin(["won", "lost"]) & (
        d.created_at.isna() | (d.created_at.dt.normalize() <= last))
    d["cycle_days"] = (d.close_date - d.created_at.dt.normalize()).dt.days
    won, is_open = d[d.is_won], d[d.is_open]
    frame = pd.DataFrame({
        "won_count": d.groupby("grp").is_won.sum(),
        "lost_count": d.groupby("grp").is_lost.sum(),
        "won_amount": won.groupby("grp").amount.sum(),
        "avg_won_amount": won.groupby("grp").amount.mean(),
        "avg_cycle_days": won.groupby("grp").cycle_days.mean(),
        "open_count": d.groupby("grp").is_open.sum(),
        "open_amount": is_open.groupby("grp").amount.sum(),
        "won_without_created_date": (d.is_won & d.created_at.isna()).groupby(d.grp).sum(),
        "open_without_amount": (d.is_open & d.amount.isna()).groupby(d.grp).sum(),
    }).rename_axis("grp").reset_index()
    closed = frame.won_count + frame.lost_count
    frame.insert(3, "win_rate", frame.won_count / closed.where(closed != 0))
    frame["won_amount"] = frame.won_amount.fillna(0.0)
    frame["open_amount"] = frame.open_amount.fillna(0.0)
    frame = frame.sort_values("grp").reset_index(drop=True)
    return _name_group(frame, by, deals.GROUP_COLUMNS)


def _leads_between(f: Frames, start: date, end: date, regions, segments, column: str = "created_at") -> pd.DataFrame:
    leads = f["leads"]
    inside = (leads[column] >= _day(start)) & (leads[column] < _day(end) + pd.Timedelta(days=1))
    if regions:
        inside &= leads.region.isin(list(regions))
    if segments:
        inside &= leads.segment.isin(list(segments))
    return leads[inside]


def _undated_leads(f: Frames, regions, segments) -> int:
    leads = f["leads"]
    undated = leads.created_at.isna()
    if regions:
        undated &= leads.region.isin(list(regions))
    if segments:
        undated &= leads.segment.isin(list(segments))
    return int(undated.sum())


def performance(f: Frames, *, start: date, end: date, dims: Sequence[str] = ("region", "segment"),
                regions: Sequence[str] | None = None, segments: Sequence[str] | None = None) -> pd.DataFrame:
    dims = list(dims)
    cohort = _leads_between(f, start, end, regions, segments)[["lead_id", *dims]]
    d = f["deals"]
    joined = cohort.merge(d[["lead_id", "stage", "amount", "created_at", "close_date"]], on="lead_id")
    joined["is_won"] = joined.stage == "won"
    joined["won_amount"] = joined.amount.where(joined.is_won)
    joined["won_days"] = (joined.close_date - joined.created_at.dt.normalize()).dt.days.where(joined.is_won)
    joined["won_dated"] = joined.is_won & joined.created_at.notna()
    per_deal = joined.groupby(dims, dropna=False).agg(
        won_deals=("is_won", "sum"), lost_deals=("stage", lambda s: (s == "lost").sum()),
        won_amount=("won_amount", "sum"), won_days=("won_days", "sum"), won_dated=("won_dated", "sum"))
    frame = cohort.groupby(dims, dropna=False).size().rename("leads").to_frame().join(per_deal, how="left")
    frame = frame.reset_index()
    won = frame.won_deals.fillna(0)
    frame["won_deals"] = won.astype("int64")
    frame["conversion"] = won / frame.leads
    frame["win_rate"] = frame.won_deals.where(frame.lost_deals.notna()) / (won + frame.lost_deals).where(
        (won + frame.lost_deals) != 0)
    has_won = won.where(won != 0)
    frame["avg_won_amount"] = frame.won_amount / has_won
    frame["avg_cycle_days"] = frame.won_days / frame.won_dated.where(frame.won_dated != 0)
    frame["revenue_per_lead"] = frame.won_amount.fillna(0.0) / frame.leads
    frame["won_without_created_date"] = (won - frame.won_dated.fillna(0)).astype("int64")
    frame["leads_without_created_date"] = _undated_leads(f, regions, segments)
    frame = frame.sort_values(["revenue_per_lead", "leads", *dims], ascending=[False, False] + [True] * len(dims))
    return frame[[*dims, "leads", "won_deals", "conversion", "win_rate", "avg_won_amount", "avg_cycle_days",
                  "revenue_per_lead", "won_without_created_date", "leads_without_created_date"]
                 ].reset_index(drop=True)


def stages(f: Frames, *, start: date, end: date, mode: str = "cohort", by: str | None = None,
           regions: Sequence[str] | None = None, segments: Sequence[str] | None = None) -> pd.DataFrame:
    if mode != "cohort" or by is not None:
        raise NotImplementedError("the peer covers the page's default view: cohort mode, no split")
    cohort = _leads_between(f, start, end, regions, segments)
    d = f["deals"][f["deals"].lead_id.notna()]
    with_deal = set(d.lead_id)
    with_win = set(d[d.stage == "won"].lead_id)
    has_deal = cohort.lead_id.isin(with_deal)
    has_sql = cohort.sql_at.notna() | has_deal
    has_sal = cohort.sal_at.notna() | has_sql
    has_mql = cohort.mql_at.notna() | has_sal
    counts = {"leads": len(cohort), "mql": int(has_mql.sum()), "sal": int(has_sal.sum()), "sql": int(has_sql.sum()),
              "opportunity": int(has_deal.sum()), "won": int(cohort.lead_id.isin(with_win).sum())}
    impressions = days = days_without = pd.NA
    if not regions and not segments:
        s = f["campaign_spend"]
        s = s[(s.day >= _day(start)) & (s.day <= _day(end)) & s.campaign_id.isin(f["campaigns"].campaign_id)]
        impressions, days, days_without = int(s.impressions.sum()), len(s), int(s.impressions.isna().sum())
    frame = pd.DataFrame({"stage": list(funnel.STAGES),
                          "count": pd.array([impressions, *counts.values()], dtype="Int64")})
    as_float = frame["count"].astype("Float64")
    previous = as_float.shift(1)
    frame["step_conversion"] = (as_float / previous.where(previous != 0)).astype("float64")
    leads = counts["leads"]
    frame["cumulative_conversion"] = (as_float / leads if leads else as_float * np.nan).astype("float64")
    frame.loc[0, "cumulative_conversion"] = np.nan
    frame["campaign_days"] = pd.array([days] * len(frame), dtype="Int64")
    frame["days_without_impressions"] = pd.array([days_without] * len(frame), dtype="Int64")
    frame["leads_without_created_date"] = _undated_leads(f, regions, segments)
    return frame


def sla(f: Frames, *, start: date, end: date, sla_hours: float = 24, by: str = "rep",
        regions: Sequence[str] | None = None, segments: Sequence[str] | None = None,
        teams: Sequence[str] | None = None) -> pd.DataFrame:
    mqls = _leads_between(f, start, end, regions, segments, column="mql_at")
    mqls = mqls.merge(f["reps"][["rep_id", "team"]], left_on="owner_rep_id", right_on="rep_id", how="left")
    mqls["team"] = mqls.team.fillna(common.UNASSIGNED)  # a lead with no owner (or one not in reps) has no team
    if teams:
        mqls = mqls[mqls.team.isin(list(teams))]
    grp = {"rep": mqls.owner_rep_id, "team": mqls.team, "region": mqls.region}.get(
        by, pd.Series("all", index=mqls.index, dtype="str"))
    seconds = ((mqls.first_contact_at - mqls.mql_at).dt.total_seconds() // 1).clip(lower=0)
    hours = seconds / 3600.0
    reached = mqls.sql_at.notna() | mqls.lead_id.isin(set(f["deals"].lead_id.dropna()))
    work = pd.DataFrame({"grp": grp, "seconds": seconds, "hours": hours, "within": hours <= sla_hours,
                         "reached": reached, "attempts": mqls.contact_attempts})
    g = work.groupby("grp", dropna=False)
    frame = pd.DataFrame({"mqls": g.size(), "contacted": g.hours.count(), "within_sla": g.within.sum()})
    frame["pct_within_sla"] = frame.within_sla / frame.mqls
    # Quantiles of the whole seconds, then hours, as funnel/sla.sql takes them (equal medians stay equal).
    frame["median_response_hours"] = g.seconds.quantile(0.5) / 3600
    frame["p90_response_hours"] = g.seconds.quantile(0.9) / 3600
    frame["sql_rate"] = g.reached.sum() / frame.mqls
    frame["avg_contact_attempts"] = g.attempts.mean()
    frame["mqls_without_contact_attempts"] = frame.mqls - g.attempts.count()
    frame = frame.rename_axis("grp").reset_index()
    frame = frame.sort_values(["pct_within_sla", "median_response_hours", "grp"], ascending=[False, True, True],
                              na_position="last")
    return frame.rename(columns={"grp": funnel.SLA_COLUMNS[by]}).reset_index(drop=True)


def plan(f: Frames, *, start: date, end: date, as_of: date, objective: str | None = None,
         channels: Sequence[str] | None = None, status: Sequence[str] | None = None) -> pd.DataFrame:
    day = _day(as_of)
    s = f["campaign_spend"]
    spent = s[s.day <= day].groupby("campaign_id").spend.sum().rename("spend_to_date")
    c = f["campaigns"].merge(spent, left_on="campaign_id", right_index=True, how="left")
    c["status"] = np.select([c.start_date > day, c.end_date < day, (c.start_date <= day) & (c.end_date >= day)],
                            ["planned", "ended", "running"], campaigns.UNKNOWN_STATUS)
    c["spend_to_date"] = c.spend_to_date.fillna(0.0)
    # A missing flight date rules no period out.
    keep = (((c.start_date <= _day(end)) | c.start_date.isna()) & ((c.end_date >= _day(start)) | c.end_date.isna())
            | (c.status == "planned"))
    if objective is not None:
        keep &= c.objective == objective
    if channels:
        keep &= c.channel.isin(list(channels))
    if status:
        keep &= c.status.isin(list(status))
    c = c[keep].sort_values(["start_date", "campaign_id"], ascending=[False, True])
    c["budget_used"] = c.spend_to_date / c.budget.where(c.budget != 0)
    c = c.rename(columns={"name": "campaign"})
    return c[["campaign_id", "campaign", "objective", "channel", "product", "price_point", "place", "promotion",
              "start_date", "end_date", "status", "budget", "spend_to_date", "budget_used", "owner"]
             ].reset_index(drop=True)


OVERVIEW_DATES: dict[str, str | None] = {
    "reps": None, "campaigns": "start_date", "campaign_spend": "day", "brand_metrics": "month", "leads": "created_at",
    "touches": "touched_at", "deals": "created_at", "quotas": "month", "targets": "month", "feedback": "created_at"}


def table_overview(f: Frames) -> pd.DataFrame:
    batches = f["import_batches"]
    committed = batches[batches.status == "committed"]
    imports = committed.groupby("table_name").agg(imports=("batch_id", "size"), last_import=("imported_at", "max"))
    rows = []
    for table, column in OVERVIEW_DATES.items():
        frame = f[table]
        dates = frame[column].dt.normalize() if column else pd.Series(dtype="datetime64[us]")
        rows.append({"table_name": table, "rows": len(frame), "imported_rows": int((frame.batch_id != "sample").sum()),
                     "first_date": dates.min(), "last_date": dates.max()})
    out = pd.DataFrame(rows).merge(imports, left_on="table_name", right_index=True, how="left")
    out["imports"] = out.imports.fillna(0).astype("int64")
    return out[["table_name", "rows", "imported_rows", "first_date", "last_date", "imports", "last_import"]]


# queries function → its pandas peer (same keyword arguments; frames instead of a connection).
IMPLEMENTATIONS: dict[Callable, Callable] = {
    common.dimension_values: dimension_values,
    campaigns.channels: channels,
    campaigns.plan: plan,
    quota.month_to_date: month_to_date,
    quota.pipeline_month_to_date: pipeline_month_to_date,
    quota.attainment: attainment,
    quota.pacing_levels: pacing_levels,
    brand.metric_series: metric_series,
    brand.spend_by_month: spend_by_month,
    deals.summary: summary,
    segments.performance: performance,
    funnel.stages: stages,
    funnel.sla: sla,
    health.table_overview: table_overview,
}


def covers(fn: Callable, kwargs: dict) -> bool:
    """Whether the peer computes this call (funnel.stages only in the page's default view)."""
    if fn not in IMPLEMENTATIONS:
        return False
    return not (fn is funnel.stages and (kwargs.get("mode", "cohort") != "cohort" or kwargs.get("by") is not None))


def run(frames: Frames, fn: Callable, kwargs: dict) -> pd.DataFrame:
    return IMPLEMENTATIONS[fn](frames, **kwargs)
