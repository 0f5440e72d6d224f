"""Joint plan: from quota back to the leads marketing must deliver, by month and channel; save them as targets."""

from datetime import timedelta

import pandas as pd
import streamlit as st

from queries import common, metrics, plan, targets
from queries.db import TandemError
from ui import auth, chart_view, data, filters, format, widgets
from ui.charts import plan as charts

ALL_TEAMS = "All teams"
SOURCES = {"quota": "Sum of quotas", "joint_target": "Joint revenue target"}
SAVED_KEY = "joint_plan_saved"


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
           f"date, {f.as_of:%d %b %Y}) to the leads, MQLs, SQLs and pipeline each month must bring.")

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
funnel = data.load(plan.reverse_funnel, start_month=start_month, months=months, team=team, trailing_months=window,
                   revenue_source=source, rates=rates)
if funnel.empty:
    widgets.empty(f"Not enough history between {rates.window_start:%b %Y} and {start_month:%b %Y} to measure the "
                  "funnel (it needs won or lost deals, MQLs and SQLs in the window). Widen the trailing window.")
    st.stop()

st.subheader("Measured rates")
st.caption(f"Over {rates.window_start:%d %b %Y} – {rates.window_end - timedelta(days=1):%d %b %Y}: "
           f"{format.count(rates.leads)} leads, {format.count(rates.mqls)} MQLs, {format.count(rates.sqls)} SQLs.")
tiles = st.columns(6)
tiles[0].metric(metrics.label("win_rate_value"), format.pct(rates.win_rate_value),
                help=metrics.help("win_rate_value", "In the plan: pipeline needed = revenue ÷ this."))
tiles[1].metric(metrics.label("sourced_share", label_index=1), format.pct(rates.sourced_share),
                help=metrics.help("sourced_share", "Measured over the trailing window; sales sources the rest."))
tiles[2].metric(metrics.label("pipeline_per_sql"), format.money(rates.pipeline_per_sql),
                help=metrics.help("pipeline_per_sql"))
tiles[3].metric(metrics.label("sql_rate"), format.pct(rates.sql_rate), help=metrics.help("sql_rate"))
tiles[4].metric(metrics.label("mql_rate"), format.pct(rates.mql_rate), help=metrics.help("mql_rate"))
tiles[5].metric(metrics.label("sales_cycle"), metrics.format_value("sales_cycle", rates.avg_cycle_days),
                help=metrics.help("sales_cycle"))
st.caption(f"Lags between stages, rounded to whole months to place each need: lead → MQL "
           f"{rates.lead_to_mql_days:.0f} days ({int(rates.lead_to_mql_lag_months)} mo), MQL → SQL "
           f"{rates.mql_to_sql_days:.0f} days ({int(rates.mql_to_sql_lag_months)} mo), SQL → deal "
           f"{rates.sql_to_deal_days:.0f} days ({int(rates.sql_to_deal_lag_months)} mo), deal → close "
           f"{rates.avg_cycle_days:.0f} days ({int(rates.close_lag_months)} mo).")

st.subheader("Leads needed, by month and channel")
st.markdown(
    "**How to read it.** Each row is the month in which something is *needed*: revenue in the month it closes, "
    "pipeline when the deal must be created, SQLs, MQLs and leads earlier still by the measured lags. Months "
    f"before {start_month:%B %Y} are **already past**: what they ask for had to be in the funnel already, so "
    "compare them with the coverage on the Quota page rather than with a plan. The last plan months need few "
    "leads because only revenue closing inside the plan is counted. *Gap* = leads needed − leads forecast at the "
    "channel's recent run rate: positive means marketing is short. Channel *sales_sourced* is the pipeline "
    "sales creates itself; it needs no leads.")
chart_view.draw(charts.leads_needed(funnel, start_month=start_month), key="joint_plan_leads_chart")
st.caption(metrics.caption("leads_needed"))
chart_view.draw(charts.gap_heatmap(funnel), key="joint_plan_gap_chart")
st.caption(metrics.caption("lead_gap"))
st.dataframe(funnel, hide_index=True, key="joint_plan_table", column_config={
    "month": st.column_config.DateColumn("month", format="MMM YYYY"),
    **{name: st.column_config.NumberColumn(name.replace("_", " "), format="%.1f")
       for name in ("required_sqls", "required_mqls", "required_leads", "forecast_leads", "gap")},
    **{name: st.column_config.NumberColumn(name.replace("_", " "), format="%.0f")
       for name in ("required_revenue", "required_pipeline")}})
widgets.download_csv(funnel, file_name=f"joint_plan_{start_month:%Y-%m}.csv", key="joint_plan_csv")

st.subheader("Save as targets")
proposed = plan.proposed_targets(funnel, rates, start_month=start_month, months=months)
st.caption("Marketing's monthly targets from this plan: MQLs over every channel and marketing-sourced pipeline, for "
           "the plan months whose deliveries all close inside the plan (later months also feed closes after it). "
           "Saving replaces the targets of those months; the handoff scorecard and the planning meeting read them.")
st.dataframe(proposed, hide_index=True, key="joint_plan_proposed",
             column_config={"month": st.column_config.DateColumn("month", format="MMM YYYY")})
blocked = None
if proposed.empty:
    blocked = (f"Plan at least {plan.target_lead_months(rates)} months: with the measured lags, the first month's "
               "MQLs serve closes that far ahead.")
elif team is not None:
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
    st.dataframe(stored, hide_index=True, key="joint_plan_saved_table",
                 column_config={"month": st.column_config.DateColumn("month", format="MMM YYYY")})
