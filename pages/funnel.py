"""Funnel & handoff: the audience-narrowing funnel and the marketing→sales handoff scorecard, both ways."""

from datetime import timedelta

import pandas as pd
import streamlit as st

from queries import funnel, metrics
from ui import chart_view, data, filters, format, needs, tables, widgets
from ui.charts import funnel as charts

MODES = {
    "cohort": "**Cohort:** the leads created in the period, followed to wherever they went since; counts never "
              "grow down the funnel.",
    "period": "**Period:** the funnel events that happened in the period (leads created, MQLs reached, deals won), "
              "whoever they belong to; a stage can outnumber the one before it.",
}
SPLITS = {"none": "No split", "channel": "Channel", "campaign": "Campaign", "region": "Region", "segment": "Segment"}
SLA_GROUPS = {"rep": "Rep", "team": "Team", "region": "Lead region"}
SLA_RANGE = (1.0, 720.0)
TOP_GROUPS = 8
# The stages only deals can show: without deals the funnel stops at SQL (a won count of 0 would be a statement about
# deals nobody imported).
DEAL_STAGES = ("opportunity", "won")
# Columns of the stages frame that say what a figure left out: captions under the figure, not table columns.
LEFT_OUT_COLUMNS = ["campaign_days", "days_without_impressions", "leads_without_created_date"]


def parse_choice(options):
    def parse(text: str) -> str:
        if text not in options:
            raise ValueError(text)
        return text
    return parse


def parse_sla(text: str) -> float:
    value = float(text)
    if not SLA_RANGE[0] <= value <= SLA_RANGE[1]:
        raise ValueError(text)
    return value


f = filters.current()
default_sla = float(format.settings().sla_hours)
st.title("Funnel & handoff")
# Which tables hold rows: a part whose data is not imported says which file would unlock it (ui.needs), and the parts
# the data allows are drawn without it.
held = needs.rows()
has_leads, has_deals, has_reps = held["leads"] > 0, held["deals"] > 0, held["reps"] > 0
scope = ("Regions and segments filter the leads; teams filter the sales scorecard (the owner rep's team)." if has_leads
         else "Regions and teams filter the deals by their owner rep, segments by the deal's segment.")
st.caption(" ".join(filter(None, (f"Period {f.start:%d %b %Y} – {f.end:%d %b %Y}, as of {f.as_of:%d %b %Y}. {scope}",
                                  filters.scope_note("pages/funnel.py")))))

filters.seed("funnel_mode", "mode", "cohort", parse_choice(MODES))
filters.seed("funnel_split", "split", "none", parse_choice(SPLITS))
filters.seed("funnel_sla_hours", "sla", default_sla, parse_sla)
filters.seed("funnel_sla_by", "sla_by", "rep", parse_choice(SLA_GROUPS))
# Each control is drawn only while its tab is open, and a run that does not draw a widget drops its value (back to the
# one seeded before it was first drawn): set again on every run, each keeps the value last chosen in its closed tab.
for key in ("funnel_mode", "funnel_split", "funnel_sla_hours", "funnel_sla_by"):
    st.session_state[key] = st.session_state[key]
# Every query starts now and runs while the page draws (ui.data.start). The controls' values are known before they
# are drawn: a seeded or changed widget's value is in session_state when the run begins.
mode, split = st.session_state["funnel_mode"], st.session_state["funnel_split"]
sla_hours, sla_by = st.session_state["funnel_sla_hours"], st.session_state["funnel_sla_by"]
by = None if split == "none" else split
leads = {"regions": f.region_list, "segments": f.segment_list}
if has_leads:
    stages_query = data.start(funnel.stages, start=f.start, end=f.end, mode=mode, by=by, **leads)
    days_query = data.start(funnel.stage_days, start=f.start, end=f.end, **leads)
    delivery_query = data.start(funnel.mql_delivery, start=f.start, end=f.end, **leads)
    reasons_query = data.start(funnel.rejection_reasons, start=f.start, end=f.end, **leads)
    overall_query = data.start(funnel.sla, start=f.start, end=f.end, sla_hours=sla_hours, by="all",
                               teams=f.team_list, **leads)
    scorecard_query = data.start(funnel.sla, start=f.start, end=f.end, sla_hours=sla_hours, by=sla_by,
                                 teams=f.team_list, **leads)
    buckets_query = data.start(funnel.response_buckets, start=f.start, end=f.end, teams=f.team_list, **leads)
    breaches_query = data.start(funnel.breaches, start=f.start, end=f.end, as_of=f.as_of, sla_hours=sla_hours,
                                teams=f.team_list, **leads)
elif has_deals:
    deal_stages_query = data.start(funnel.deal_stages, start=f.start, end=f.end, mode=mode, teams=f.team_list,
                                   **leads)

# Three tabs, only the open one drawn (the browser draws every chart it is sent, in a closed tab too).
view, section = chart_view.tabs({"funnel": "Audience-narrowing funnel", "marketing": "Handoff: marketing's side",
                                 "sales": "Handoff: sales' side"}, key="funnel_view", param="section")


def lead_funnel() -> None:
    """The funnel from impressions to won deals, the leads' own stages, and the days between them."""
    with st.expander("How each stage is counted"):
        # The rules live in queries/lifecycle.toml, shared with the Definitions page and the meeting brief.
        st.markdown("\n".join(f"- **{widgets.escape_markdown(name)}:** {widgets.escape_markdown(rule)}"
                               for name, rule in metrics.funnel_rules()))

    stages = stages_query.result()
    if not has_deals:
        stages = stages[~stages.stage.isin(DEAL_STAGES)].reset_index(drop=True)
    has_people = stages.loc[stages.stage != "impressions", "count"].fillna(0).sum() > 0
    if not has_people:
        widgets.empty("No leads or funnel events in this period with these filters. Widen the period or clear "
                      "the region and segment filters.")
    elif by is None:
        counts = stages.set_index("stage")["count"].astype(float)  # NaN, not pd.NA, where impressions don't apply
        cumulative = stages.set_index("stage")["cumulative_conversion"]
        # Counts from a million on are shortened in the tiles (11.6M) and given exactly in their help.
        shown = (("impressions", 0, "impressions", "Not available when filtered by region or segment."),
                 ("leads", 0, "leads", ""),
                 ("mqls", 0, "mql", f"{format.pct(cumulative['mql'])} of leads."),
                 ("sqls", 0, "sql", f"{format.pct(cumulative['sql'])} of leads."),
                 ("won_deals", 1, "won", f"{format.pct(cumulative.get('won'), 1)} of leads reached a won deal."))
        shown = tuple(tile for tile in shown if tile[2] in counts.index)
        for col, (key, label_index, stage, more) in zip(st.columns(5), shown, strict=False):
            col.metric(metrics.label(key, label_index=label_index), format.count(counts[stage], compact=True),
                       help=metrics.help(key, format.exactly(counts[stage], more)))
        first = stages.iloc[0]
        widgets.left_out(first.days_without_impressions, total=first.campaign_days, things="campaign days",
                         lacking="no impressions reported", figure="the impressions tile")
        chart_view.draw(charts.funnel(stages, labels=funnel.STAGE_LABELS, mode=mode), key="funnel_chart")
    else:
        groups = list(dict.fromkeys(stages[by]))
        chart_view.draw(charts.conversion_by_split(stages, by=by, labels=funnel.STAGE_LABELS,
                                                   groups=groups[:TOP_GROUPS]), key="funnel_split_chart")
        if len(groups) > TOP_GROUPS:
            st.caption(f"The chart shows the {TOP_GROUPS} {by} values with the most leads of {len(groups)}; "
                       "the table has them all.")
    if has_people:
        undated = stages.leads_without_created_date.iloc[0]
        dated = stages.loc[stages.stage == "leads", "count"].sum()
        widgets.left_out(undated, total=dated + undated, things="leads", lacking="no created date",
                         figure="the funnel" if mode == "cohort" else "the Leads stage")
        tables.show(stages.assign(stage=stages.stage.map(funnel.STAGE_LABELS)).drop(columns=LEFT_OUT_COLUMNS),
                    key="funnel_stages_table", labels={by: SPLITS[by]} if by else None)
        widgets.download_csv(stages, file_name=f"funnel_{mode}_{split}.csv", key="funnel_stages_csv")
    if not has_deals:
        needs.met("deals", what="The funnel past SQL", key="funnel_deals")

    st.subheader("Days between stages")
    days = days_query.result()
    if not has_deals:
        days = days[~days.to_stage.isin(DEAL_STAGES)]
    if days.leads.sum() == 0:
        widgets.empty("No lead created in this period moved between stages yet.")
    else:
        st.caption("For the leads created in the period (cohort), over the leads that recorded both stages.")
        chart_view.draw(charts.stage_days(days, labels={"lead": "Lead", **funnel.STAGE_LABELS}),
                        key="funnel_days_chart")
        st.caption(metrics.caption("stage_days"))
        undated = days.leads_without_created_date.iloc[0]
        widgets.left_out(undated, total=days.cohort_leads.iloc[0] + undated, things="leads",
                         lacking="no created date", figure="the chart of days between stages")
        widgets.download_csv(days, file_name="funnel_stage_days.csv", key="funnel_days_csv")


def deal_funnel() -> None:
    """The stages the deals alone can show, while the leads are not imported."""
    st.subheader("From the deals alone")
    st.caption("Every deal counts here, whether it came from a lead or not. "
               + ("Opportunities: deals created in the period; won: those of them won by now."
                  if mode == "cohort" else "Opportunities: deals created in the period; won: deals won in it."))
    stages = deal_stages_query.result()
    if stages["count"].sum() == 0:
        widgets.empty("No deal was created or won in this period with these filters. Widen the period or clear the "
                      "region, segment and team filters.")
        return
    title = "Deals created in the period, and how many are won (count)" if mode == "cohort" \
        else "Deals created and deals won in the period (count)"
    chart_view.draw(charts.funnel(stages, labels=funnel.STAGE_LABELS, mode=mode, title=title),
                    key="funnel_deal_chart")
    undated = stages.deals_without_created_date.iloc[0]
    created = stages.loc[stages.stage == "opportunity", "count"].sum()
    widgets.left_out(undated, total=created + undated, things="deals", lacking="no created date",
                     figure="the Opportunity stage")
    tables.show(stages.assign(stage=stages.stage.map(funnel.STAGE_LABELS))
                .drop(columns="deals_without_created_date"), key="funnel_deal_stages_table")
    widgets.download_csv(stages, file_name=f"funnel_deals_{mode}.csv", key="funnel_deal_stages_csv")


def funnel_part() -> None:
    """The funnel's controls, then the funnel from the leads, or from the deals alone."""
    if has_leads or has_deals:
        mode_col, split_col = st.columns([2, 1])
        mode_col.radio("Mode", list(MODES), key="funnel_mode", horizontal=True, format_func=str.capitalize)
        filters.publish("mode", mode if mode != "cohort" else None)
        if has_leads:
            split_col.selectbox("Split by", list(SPLITS), key="funnel_split", format_func=SPLITS.get)
            filters.publish("split", split if split != "none" else None)
            st.caption(MODES[mode])
    if has_leads:
        lead_funnel()
    else:
        needs.met("leads", what="The funnel from lead to won deal", key="funnel_main")
        if has_deals:
            deal_funnel()


def marketing_side() -> None:
    """MQLs delivered against the monthly target, and why sales rejected some."""
    st.subheader("Marketing's side: MQLs delivered")
    delivery = delivery_query.result()
    if delivery.mqls.sum() == 0:
        widgets.empty("No lead became an MQL in this period with these filters. Widen the period.")
        return
    latest = delivery.iloc[-1]
    month = f"{latest.month:%b %Y}"
    # The running month (or a month the period cuts) is compared with its target pro rata to the days counted: the
    # whole month's target would read as a shortfall every morning of the month.
    counted = int(latest.days_counted)
    partial = counted < int(latest.days_in_month)
    last_day = latest.month + timedelta(days=counted - 1)
    against = (f"vs {format.count(latest.target_to_date)} due by {last_day:%-d %b}" if partial
               else f"vs the target of {format.count(latest.target_mqls)}")
    tiles = st.columns(4)
    tiles[0].metric(metrics.label("mqls", label_index=1), format.count(delivery.mqls.sum(), compact=True),
                    help=metrics.help("mqls", format.exactly(delivery.mqls.sum())))
    tiles[1].metric(metrics.label("mqls", label_index=2, month=month), format.count(latest.mqls),
                    **format.delta(latest.mqls - latest.target_to_date, unit="count", metric="mqls",
                                   against=against),
                    help=metrics.help("mqls", "The last month of the period, up to its end. The change: MQLs minus "
                                      "the month's target, pro rata to the days of the month the period covers "
                                      f"({counted} of {int(latest.days_in_month)} days), so a running month is "
                                      "compared with the target to date, not the whole month's."))
    tiles[2].metric(metrics.label("mql_target", month=month), format.count(latest.target_mqls),
                    help=metrics.help("mql_target"))
    tiles[3].metric(metrics.label("acceptance_rate", month=month), format.pct(latest.pct_accepted),
                    help=metrics.help("acceptance_rate"))
    if delivery.target_mqls.isna().all():
        st.caption("No MQL target applies: targets are company-wide (set them on the Joint plan page); "
                   "clear the region and segment filters to compare." if f.regions or f.segments else
                   "No MQL target is set for these months: the Joint plan page saves them.")
    chart_view.draw(charts.mql_delivery(delivery, through=min(f.end, f.as_of)), key="funnel_delivery_chart")
    st.caption(metrics.caption("mqls_vs_target"))
    shown = delivery[["month", "mqls", "target_mqls", "target_to_date", "pct_of_target", "accepted", "rejected",
                      "pct_accepted"]]
    tables.show(shown, key="funnel_delivery_table",
                labels={"pct_of_target": "Of the month's target", "target_to_date": "Target pro rata"},
                kinds={"target_to_date": "count"})
    widgets.download_csv(delivery, file_name="mql_delivery.csv", key="funnel_delivery_csv")
    reasons = reasons_query.result()
    if reasons.empty:
        widgets.empty("Sales rejected none of this period's MQLs.")
    else:
        chart_view.draw(charts.rejection_reasons(reasons), key="funnel_reasons_chart")
        st.caption(metrics.caption("rejected_mqls"))
        widgets.download_csv(reasons, file_name="rejection_reasons.csv", key="funnel_reasons_csv")


def sales_side() -> bool:
    """Speed to lead: the SLA tiles, the scorecard by rep, team or region, and SQL rate by response time. False when
    the period has no MQL to measure."""
    st.subheader("Sales' side: speed to lead")
    sla_col, by_col = st.columns([1, 2])
    sla_col.number_input("SLA (hours to first contact)", min_value=SLA_RANGE[0], max_value=SLA_RANGE[1], step=1.0,
                         key="funnel_sla_hours",
                         help=f"The agreed default is {default_sla:g} h (the Settings page)")
    by_col.radio("Scorecard by", list(SLA_GROUPS), key="funnel_sla_by", horizontal=True, format_func=SLA_GROUPS.get)
    filters.publish("sla", f"{sla_hours:g}" if sla_hours != default_sla else None)
    filters.publish("sla_by", sla_by if sla_by != "rep" else None)
    st.caption("Response time = first contact − MQL time. A lead sales called before it became an MQL counts as "
               "0 h (within the SLA). Contacted within the SLA is a share of all MQLs, contacted or not.")
    overall = overall_query.result()
    if overall.empty:
        widgets.empty("No lead became an MQL in this period with these filters, so there is no response time to "
                      "measure. Widen the period.")
        return False
    total = overall.iloc[0]
    tiles = st.columns(4)
    tiles[0].metric(metrics.label("sla_compliance", hours=f"{sla_hours:g}"), format.pct(total.pct_within_sla),
                    help=metrics.help("sla_compliance",
                                      f"{format.count(total.within_sla)} of {format.count(total.mqls)} MQLs."))
    tiles[1].metric(metrics.label("median_response"),
                    metrics.format_value("median_response", total.median_response_hours),
                    help=metrics.help("median_response"))
    tiles[2].metric(metrics.label("p90_response"), metrics.format_value("p90_response", total.p90_response_hours),
                    help=metrics.help("p90_response"))
    attempts = total.avg_contact_attempts
    tiles[3].metric(metrics.label("contact_attempts"), "—" if pd.isna(attempts) else f"{attempts:.1f}",
                    help=metrics.help("contact_attempts"))
    widgets.left_out(total.mqls_without_contact_attempts, total=total.mqls, things="MQLs",
                     lacking="no contact attempts recorded", figure="the average of contact attempts")
    # By rep or team, the scorecard needs the sales team: without it every MQL would sit in one unowned row.
    if sla_by == "region" or has_reps or needs.met("reps", what=f"The scorecard by {SLA_GROUPS[sla_by].lower()}",
                                                    key="funnel_sla_reps"):
        scorecard = scorecard_query.result()
        column = funnel.SLA_COLUMNS[sla_by]
        chart_view.draw(charts.sla_ranking(scorecard, column=column, sla_hours=sla_hours), key="funnel_sla_chart")
        st.caption(metrics.caption("sla_compliance"))
        labels = {"mqls_without_contact_attempts": "MQLs without recorded attempts"}
        tables.show(scorecard.fillna({"rep_id": charts.NO_OWNER}) if sla_by == "rep" else scorecard,
                    key="funnel_sla_table", labels=labels | ({"region": "Lead region"} if sla_by == "region" else {}))
        widgets.download_csv(scorecard, file_name=f"sla_by_{sla_by}.csv", key="funnel_sla_csv")

    buckets = buckets_query.result()
    chart_view.draw(charts.response_buckets(buckets, fast=funnel.FAST_BUCKETS), key="funnel_buckets_chart")
    st.caption("Blue: first contact within 24 hours; orange: later; grey: never contacted. Reached SQL = an "
               "SQL date or a deal.")
    widgets.download_csv(buckets, file_name="sql_rate_by_response_time.csv", key="funnel_buckets_csv")
    return True


def breaches_part() -> None:
    """The period's MQLs still waiting past the SLA."""
    st.subheader("SLA breaches")
    breaches = breaches_query.result()
    st.caption(f"This period's MQLs with no first contact by the end of {f.as_of:%d %b %Y} and older than "
               f"{sla_hours:g} h then (age = as-of − MQL time). A lead sales rejected is handled, not a breach.")
    if breaches.empty:
        widgets.empty(f"No MQL of the period is waiting past the SLA: each was contacted or rejected, or was younger "
                      f"than {sla_hours:g} h at the end of {f.as_of:%d %b %Y}.")
    else:
        st.metric(metrics.label("sla_breaches"), format.count(len(breaches)), help=metrics.help("sla_breaches"))
        tables.show(breaches, key="funnel_breaches_table", labels={"region": "Lead region"})
    widgets.download_csv(breaches, file_name=f"sla_breaches_{f.as_of:%Y-%m-%d}.csv", key="funnel_breaches_csv",
                         label="Download breaches (CSV)")


with section:
    if view == "funnel":
        funnel_part()
    elif has_leads or needs.met("leads", what="The handoff scorecard", key="funnel_handoff"):
        if view == "marketing":
            marketing_side()
        # Breaches only where there are MQLs: "every MQL was contacted" of no MQLs at all would say nothing true.
        elif sales_side():
            breaches_part()
