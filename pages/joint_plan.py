"""Joint plan: from quota back to the leads marketing must deliver, by month and channel; save them as targets."""

from datetime import timedelta

import pandas as pd
import streamlit as st

from queries import common, metrics, plan, targets
from queries.db import TandemError
from ui import auth, chart_view, data, filters, format, needs, tables, widgets
from ui.charts import plan as charts

ALL_TEAMS = "All teams"
SOURCES = {"quota": "Sum of quotas", "joint_target": "Joint revenue target"}
SAVED_KEY = "joint_plan_saved"
# The plan's fractional needs (2.4 SQLs), shown in whole units in its table (the CSV keeps them exact).
WHOLE = {"required_sqls": 0, "required_mqls": 0, "required_leads": 0, "forecast_leads": 0, "gap": 0}
# The targets the plan saves, one column each in the tables that show them.
TARGET_LABELS = {"mqls": "MQL target", "sourced_pipeline": "Marketing-sourced pipeline target"}
TARGET_KINDS = {"mqls": "count", "sourced_pipeline": "money"}


def by_month(targets_frame: pd.DataFrame) -> pd.DataFrame:
    """Targets one row per month, one column per metric (MQLs and pipeline are different units)."""
    wide = targets_frame.pivot_table(index="month", columns="metric", values="value", aggfunc="first")
    return wide.reindex(columns=[m for m in TARGET_LABELS if m in wide.columns]).reset_index().rename_axis(
        columns=None)


def show_targets(targets_frame: pd.DataFrame, *, key: str) -> None:
    wide = by_month(targets_frame)
    metric_columns = [c for c in wide.columns if c in TARGET_LABELS]
    tables.show(wide, key=key, labels={c: TARGET_LABELS[c] for c in metric_columns},
                kinds={c: TARGET_KINDS[c] for c in metric_columns})


def parse_months(text: str) -> int:
    value = int(text)
    if not 1 <= value <= 6:
        raise ValueError(f"{value} is not 1–6")
    return value


def one_of(allowed):
    def parse(text: str) -> str:
        if text not in allowed:
            raise ValueError(f"{text} is not one of {allowed}")
        return text
    return parse


def parse_window(text: str) -> int:
    value = int(text)
    if not 3 <= value <= 12:
        raise ValueError(f"{value} is not 3–12")
    return value


f = filters.current()
symbol = format.settings().currency_symbol
st.title("Joint plan")
start_month = (pd.Timestamp(f.as_of).to_period("M") + 1).start_time.date()
st.caption(f"Working back from the revenue of the months starting {start_month:%B %Y} (the month after the as-of "
           f"date, {f.as_of:%d %b %Y}) to the leads, MQLs, SQLs and pipeline each month must bring. "
           + filters.scope_note("pages/joint_plan.py"))
# Which tables hold rows: the rates the deals or the leads allow are shown alone, and each part the data lacks names
# the file to import (ui.needs).
held = needs.rows()
has_leads, has_deals, has_quotas = held["leads"] > 0, held["deals"] > 0, held["quotas"] > 0

options = data.load(common.dimension_values)
team_names = sorted(options[options.kind == "team"].value.dropna().tolist())
default_team = f.teams[0] if len(f.teams) == 1 else ALL_TEAMS
filters.seed("joint_plan_team", "plan_team", default_team, one_of([ALL_TEAMS, *team_names]))
filters.seed("joint_plan_months", "plan_months", 3, parse_months)
filters.seed("joint_plan_window", "plan_window", 6, parse_window)
filters.seed("joint_plan_source", "plan_source", "quota", one_of(list(SOURCES)))

controls = st.columns([2, 2, 2, 3])
team_choice = controls[0].selectbox("Team", [ALL_TEAMS, *team_names], key="joint_plan_team")
months = controls[1].slider("Months to plan", 1, 6, key="joint_plan_months")
window = controls[2].slider("Trailing window (months)", 3, 12, key="joint_plan_window",
                            help="Conversion rates, deal sizes, lags and run rates are measured over these months "
                                 "before the plan starts.")
source = controls[3].radio("Revenue to plan for", list(SOURCES), format_func=SOURCES.get, key="joint_plan_source",
                           horizontal=True, disabled=team_choice != ALL_TEAMS,
                           help="The joint revenue target is company-wide; a single team plans from its quota.")
filters.publish("plan_team", team_choice if team_choice != default_team else None)
filters.publish("plan_months", months if months != 3 else None)
filters.publish("plan_window", window if window != 6 else None)
filters.publish("plan_source", source if source != "quota" else None)
team = None if team_choice == ALL_TEAMS else team_choice
if team is not None:
    source = "quota"

rates = data.load(plan.funnel_rates, start_month=start_month, team=team, trailing_months=window).iloc[0]
window_text = f"{rates.window_start:%d %b %Y} – {rates.window_end - timedelta(days=1):%d %b %Y}"

st.subheader("Measured rates")
if has_leads or has_deals:
    counted = ([f"{format.count(rates.closed_deals)} deals closed, {format.count(rates.created_deals)} created"]
               if has_deals else []) + ([f"{format.count(rates.leads)} leads, {format.count(rates.mqls)} MQLs, "
                                         f"{format.count(rates.sqls)} SQLs"] if has_leads else [])
    st.caption(f"Over {window_text}: {'; '.join(counted)}.")
    # Each rate is shown where the data measures it: win rate and cycle from deals, the lead rates from leads, the
    # marketing-sourced share and pipeline per SQL from both.
    shown = []
    if has_deals:
        shown += [(metrics.label("win_rate_value"), format.pct(rates.win_rate_value),
                   metrics.help("win_rate_value", "In the plan: pipeline needed = revenue ÷ this."))]
    if has_deals and has_leads:
        shown += [(metrics.label("sourced_share", label_index=1), format.pct(rates.sourced_share),
                   metrics.help("sourced_share", "Measured over the trailing window; sales sources the rest.")),
                  (metrics.label("pipeline_per_sql"), format.money(rates.pipeline_per_sql),
                   metrics.help("pipeline_per_sql"))]
    if has_leads:
        shown += [(metrics.label("sql_rate"), format.pct(rates.sql_rate), metrics.help("sql_rate")),
                  (metrics.label("mql_rate"), format.pct(rates.mql_rate), metrics.help("mql_rate"))]
    if has_deals:
        shown += [(metrics.label("sales_cycle"), metrics.format_value("sales_cycle", rates.avg_cycle_days),
                   metrics.help("sales_cycle"))]
    for col, (label, value, help_text) in zip(st.columns(6), shown, strict=False):
        col.metric(label, value, help=help_text)
    if has_deals:
        widgets.left_out(rates.closed_without_amount, total=rates.closed_deals, things="closed deals",
                         lacking="no amount", figure="the win rate by value")
        widgets.left_out(rates.won_without_created_date, total=rates.won_deals, things="won deals",
                         lacking="no created date", figure="the sales cycle")
    if has_deals and has_leads:
        widgets.left_out(rates.created_without_amount, total=rates.created_deals, things="deals created in the window",
                         lacking="no amount", figure="the marketing-sourced share and pipeline per SQL")
    if has_leads:
        widgets.left_out(rates.mqls_without_created_date, total=rates.mqls, things="MQLs",
                         lacking="a lead without a created date", figure="Lead → MQL")
    if has_deals and has_leads and not pd.isna(rates.lead_to_mql_days) and not pd.isna(rates.sql_to_deal_days):
        st.caption(f"Lags between stages, rounded to whole months to place each need: lead → MQL "
                   f"{rates.lead_to_mql_days:.0f} days ({int(rates.lead_to_mql_lag_months)} mo), MQL → SQL "
                   f"{rates.mql_to_sql_days:.0f} days ({int(rates.mql_to_sql_lag_months)} mo), SQL → deal "
                   f"{rates.sql_to_deal_days:.0f} days ({int(rates.sql_to_deal_lag_months)} mo), deal → close "
                   f"{rates.avg_cycle_days:.0f} days ({int(rates.close_lag_months)} mo).")
if not has_deals:
    needs.met("deals", what="Win rate, sales cycle and pipeline per SQL", key="joint_plan_deals")
if not has_leads:
    needs.met("leads", what="The lead rates (lead → MQL, MQL → SQL, marketing-sourced share)",
              key="joint_plan_leads")

st.subheader("Leads needed, by month and channel")
# The plan divides revenue by every rate: it needs the revenue to plan (quotas, unless the joint target), deals and
# leads.
plan_tables = ("quotas", "deals", "leads") if source == "quota" else ("deals", "leads")
if not (has_deals and has_leads and (has_quotas or source != "quota")):
    needs.met(*plan_tables, what="The plan", key="joint_plan_plan")
    st.stop()
funnel = data.load(plan.reverse_funnel, start_month=start_month, months=months, team=team, trailing_months=window,
                   revenue_source=source, rates=rates)
if funnel.empty:
    widgets.empty(f"Not enough history between {rates.window_start:%b %Y} and {start_month:%b %Y} to measure the "
                  "funnel (it needs won or lost deals, MQLs and SQLs in the window). Widen the trailing window.")
    st.stop()
last_month = (pd.Timestamp(start_month) + pd.DateOffset(months=months - 1)).date()
if not funnel.required_revenue.any():
    widgets.empty(f"No quota is set for {start_month:%b %Y} – {last_month:%b %Y}"
                  + (f" for the {team} team" if team else "") + ": import quotas for those months on the Data page."
                  if source == "quota" else
                  f"No joint revenue target is set for {start_month:%b %Y} – {last_month:%b %Y}: plan from the sum "
                  "of quotas instead.")
    st.stop()

st.markdown(
    "**How to read it.** Each row is the month in which something is *needed*: revenue in the month it closes, "
    "pipeline when the deal must be created, SQLs, MQLs and leads earlier still by the measured lags. Months "
    f"before {start_month:%B %Y} are **already past**: what they ask for had to be in the funnel already, so "
    "compare them with the coverage on the Quota page rather than with a plan. The last plan months need few "
    "leads because only revenue closing inside the plan is counted. *Gap* = leads needed − leads forecast at the "
    "channel's recent run rate: positive means marketing is short. Channel *sales_sourced* is the pipeline "
    "sales creates itself; it needs no leads.")
# Two views of the plan as tabs, only the open one drawn (?plan_view=gap for the second).
plan_view, plan_tab = chart_view.tabs({"needed": "Leads needed", "gap": "Gap against the run rate"},
                                      key="joint_plan_view", param="plan_view")
with plan_tab:
    if plan_view == "needed":
        chart_view.draw(charts.leads_needed(funnel, start_month=start_month), key="joint_plan_leads_chart")
        st.caption(metrics.caption("leads_needed"))
    else:
        chart_view.draw(charts.gap_heatmap(funnel), key="joint_plan_gap_chart")
        st.caption(metrics.caption("lead_gap"))
tables.show(funnel.round(WHOLE), key="joint_plan_table",
            helps={"gap": "Leads needed − leads forecast at the channel's run rate: positive means short of leads.",
                   "already_past": f"A month before {start_month:%b %Y}: its needs had to be met already."})
widgets.download_csv(funnel, file_name=f"joint_plan_{start_month:%Y-%m}.csv", key="joint_plan_csv")

st.subheader("Save as targets")
proposed = plan.proposed_targets(funnel, rates, start_month=start_month, months=months)
st.caption("Marketing's monthly targets from this plan: MQLs over every channel and marketing-sourced pipeline, for "
           "the plan months whose deliveries all close inside the plan (later months also feed closes after it). "
           "Saving replaces the targets of those months; the handoff scorecard and the planning meeting read them.")
blocked = None
if proposed.empty:
    blocked = (f"Plan at least {plan.target_lead_months(rates)} months: with the measured lags, the first month's "
               "MQLs serve closes that far ahead.")
else:
    show_targets(proposed, key="joint_plan_proposed")
    if team is not None:
        blocked = "Targets are company-wide: choose All teams to save them."
    elif not auth.can("admin"):
        blocked = "Only an admin may edit targets."
if blocked:
    st.caption(blocked)
if st.button("Save as targets", key="joint_plan_save", type="primary", disabled=blocked is not None,
             icon=":material/save:"):
    try:
        written = data.write(targets.save_targets, rows=proposed, actor=auth.actor())
    except TandemError as exc:
        st.error(f"Targets not saved: {exc}")
    else:
        st.session_state[SAVED_KEY] = (written, proposed.month.min(), proposed.month.max())

saved = st.session_state.get(SAVED_KEY)
if saved:
    written, first, last = saved
    st.success(f"Saved {written} targets for {first:%b %Y} – {last:%b %Y}.", icon=":material/check_circle:")
    stored = data.load(targets.monthly, start_month=first, end_month=last, metrics=["mqls", "sourced_pipeline"])
    show_targets(stored, key="joint_plan_saved_table")
