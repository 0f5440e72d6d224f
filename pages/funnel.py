"""Funnel & handoff: the audience-narrowing funnel and the marketing→sales handoff scorecard, both ways."""

import streamlit as st

from queries import funnel, metrics
from ui import chart_view, data, filters, format, widgets
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
pct_column = st.column_config.NumberColumn(format="percent")
hours_column = st.column_config.NumberColumn(format="%.1f h")
st.title("Funnel & handoff")
st.caption(f"Period {f.start:%d %b %Y} – {f.end:%d %b %Y}, as of {f.as_of:%d %b %Y}. Regions and segments filter "
           "the leads; teams filter the sales scorecard (the owner rep's team).")

filters.seed("funnel_mode", "mode", "cohort", parse_choice(MODES))
filters.seed("funnel_split", "split", "none", parse_choice(SPLITS))
filters.seed("funnel_sla_hours", "sla", default_sla, parse_sla)
filters.seed("funnel_sla_by", "sla_by", "rep", parse_choice(SLA_GROUPS))
# Every query starts now and runs while the page draws (ui.data.start). The controls' values are known before they
# are drawn: a seeded or changed widget's value is in session_state when the run begins.
mode, split = st.session_state["funnel_mode"], st.session_state["funnel_split"]
sla_hours, sla_by = st.session_state["funnel_sla_hours"], st.session_state["funnel_sla_by"]
by = None if split == "none" else split
leads = {"regions": f.region_list, "segments": f.segment_list}
stages_query = data.start(funnel.stages, start=f.start, end=f.end, mode=mode, by=by, **leads)
days_query = data.start(funnel.stage_days, start=f.start, end=f.end, **leads)
delivery_query = data.start(funnel.mql_delivery, start=f.start, end=f.end, **leads)
reasons_query = data.start(funnel.rejection_reasons, start=f.start, end=f.end, **leads)
overall_query = data.start(funnel.sla, start=f.start, end=f.end, sla_hours=sla_hours, by="all", teams=f.team_list,
                           **leads)
scorecard_query = data.start(funnel.sla, start=f.start, end=f.end, sla_hours=sla_hours, by=sla_by,
                             teams=f.team_list, **leads)
buckets_query = data.start(funnel.response_buckets, start=f.start, end=f.end, teams=f.team_list, **leads)
breaches_query = data.start(funnel.breaches, start=f.start, end=f.end, as_of=f.as_of, sla_hours=sla_hours,
                            teams=f.team_list, **leads)

# Sections, not st.tabs: a chart inside a hidden tab never draws, and the browser tests wait for every chart.
funnel_section, handoff_section = st.container(), st.container()

with funnel_section:
    st.header("Audience-narrowing funnel")
    mode_col, split_col = st.columns([2, 1])
    mode_col.radio("Mode", list(MODES), key="funnel_mode", horizontal=True, format_func=str.capitalize)
    split_col.selectbox("Split by", list(SPLITS), key="funnel_split", format_func=SPLITS.get)
    filters.publish("mode", mode if mode != "cohort" else None)
    filters.publish("split", split if split != "none" else None)
    st.caption(MODES[mode])
    with st.expander("How each stage is counted"):
        # The rules live in queries/lifecycle.toml, shared with the Definitions page and the meeting brief.
        st.markdown("\n".join(f"- **{widgets.escape_markdown(name)}:** {widgets.escape_markdown(rule)}"
                               for name, rule in metrics.funnel_rules()))

    stages = stages_query.result()
    has_people = stages.loc[stages.stage != "impressions", "count"].fillna(0).sum() > 0
    if not has_people:
        widgets.empty("No leads or funnel events in this period with these filters. Widen the period or clear "
                      "the region and segment filters.")
    elif by is None:
        counts = stages.set_index("stage")["count"].astype(float)  # NaN, not pd.NA, where impressions don't apply
        cumulative = stages.set_index("stage")["cumulative_conversion"]
        tiles = st.columns(5)
        # Counts from a million on are shortened in the tiles (11.6M) and given exactly in their help.
        shown = (("impressions", 0, "impressions", "Not available when filtered by region or segment."),
                 ("leads", 0, "leads", ""),
                 ("mqls", 0, "mql", f"{format.pct(cumulative['mql'])} of leads."),
                 ("sqls", 0, "sql", f"{format.pct(cumulative['sql'])} of leads."),
                 ("won_deals", 1, "won", f"{format.pct(cumulative['won'], 1)} of leads reached a won deal."))
        for col, (key, label_index, stage, more) in zip(tiles, shown, strict=True):
            col.metric(metrics.label(key, label_index=label_index), format.count(counts[stage], compact=True),
                       help=metrics.help(key, format.exactly(counts[stage], more)))
        chart_view.draw(charts.funnel(stages, labels=funnel.STAGE_LABELS, mode=mode), key="funnel_chart")
    else:
        groups = list(dict.fromkeys(stages[by]))
        chart_view.draw(charts.conversion_by_split(stages, by=by, labels=funnel.STAGE_LABELS,
                                                   groups=groups[:TOP_GROUPS]), key="funnel_split_chart")
        if len(groups) > TOP_GROUPS:
            st.caption(f"The chart shows the {TOP_GROUPS} {by} values with the most leads of {len(groups)}; "
                       "the table has them all.")
    if has_people:
        st.dataframe(stages.assign(stage=stages.stage.map(funnel.STAGE_LABELS)), hide_index=True,
                     key="funnel_stages_table",
                     column_config={"count": st.column_config.NumberColumn("Count", format="localized"),
                                    "step_conversion": st.column_config.NumberColumn("Step conversion",
                                                                                     format="percent"),
                                    "cumulative_conversion": st.column_config.NumberColumn(
                                        "Cumulative from lead", format="percent")})
        widgets.download_csv(stages, file_name=f"funnel_{mode}_{split}.csv", key="funnel_stages_csv")

    st.subheader("Days between stages")
    days = days_query.result()
    if days.leads.sum() == 0:
        widgets.empty("No lead created in this period moved between stages yet.")
    else:
        st.caption("For the leads created in the period (cohort), over the leads that recorded both stages.")
        chart_view.draw(charts.stage_days(days, labels={"lead": "Lead", **funnel.STAGE_LABELS}),
                        key="funnel_days_chart")
        st.caption(metrics.caption("stage_days"))
        widgets.download_csv(days, file_name="funnel_stage_days.csv", key="funnel_days_csv")

with handoff_section:
    st.header("Handoff scorecard")
    st.subheader("Marketing's side: MQLs delivered")
    delivery = delivery_query.result()
    if delivery.mqls.sum() == 0:
        widgets.empty("No lead became an MQL in this period with these filters. Widen the period.")
    else:
        latest = delivery.iloc[-1]
        tiles = st.columns(4)
        month = f"{latest.month:%b %Y}"
        tiles[0].metric(metrics.label("mqls", label_index=1), format.count(delivery.mqls.sum(), compact=True),
                        help=metrics.help("mqls", format.exactly(delivery.mqls.sum())))
        tiles[1].metric(metrics.label("mqls", label_index=2, month=month), format.count(latest.mqls),
                        delta=None if latest.pct_of_target != latest.pct_of_target
                        else f"{format.pct(latest.pct_of_target)} of target",
                        delta_color="off", delta_arrow="off",
                        help=metrics.help("mqls", "The last month of the period, up to its end. The delta: "
                                          + metrics.get("mqls_vs_target").formula))
        tiles[2].metric(metrics.label("mql_target", month=month), format.count(latest.target_mqls),
                        help=metrics.help("mql_target"))
        tiles[3].metric(metrics.label("acceptance_rate", month=month), format.pct(latest.pct_accepted),
                        help=metrics.help("acceptance_rate"))
        if delivery.target_mqls.isna().all():
            st.caption("No MQL target applies: targets are company-wide (set them on the Joint plan page); "
                       "clear the region and segment filters to compare.")
        chart_view.draw(charts.mql_delivery(delivery, through=min(f.end, f.as_of)), key="funnel_delivery_chart")
        st.caption(metrics.caption("mqls_vs_target"))
        st.dataframe(delivery, hide_index=True, key="funnel_delivery_table",
                     column_config={"pct_of_target": pct_column, "pct_accepted": pct_column})
        widgets.download_csv(delivery, file_name="mql_delivery.csv", key="funnel_delivery_csv")
    reasons = reasons_query.result()
    if reasons.empty:
        widgets.empty("Sales rejected none of this period's MQLs.")
    else:
        chart_view.draw(charts.rejection_reasons(reasons), key="funnel_reasons_chart")
        st.caption(metrics.caption("rejected_mqls"))
        widgets.download_csv(reasons, file_name="rejection_reasons.csv", key="funnel_reasons_csv")

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
    else:
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
        tiles[3].metric(metrics.label("contact_attempts"), f"{total.avg_contact_attempts:.1f}",
                        help=metrics.help("contact_attempts"))
        scorecard = scorecard_query.result()
        column = funnel.SLA_COLUMNS[sla_by]
        chart_view.draw(charts.sla_ranking(scorecard, column=column, sla_hours=sla_hours), key="funnel_sla_chart")
        st.caption(metrics.caption("sla_compliance"))
        st.dataframe(scorecard, hide_index=True, key="funnel_sla_table",
                     column_config={"pct_within_sla": pct_column, "sql_rate": pct_column,
                                    "median_response_hours": hours_column, "p90_response_hours": hours_column,
                                    "avg_contact_attempts": st.column_config.NumberColumn(format="%.1f")})
        widgets.download_csv(scorecard, file_name=f"sla_by_{sla_by}.csv", key="funnel_sla_csv")

        buckets = buckets_query.result()
        chart_view.draw(charts.response_buckets(buckets, fast=funnel.FAST_BUCKETS), key="funnel_buckets_chart")
        st.caption("Blue: first contact within 24 hours; orange: later; grey: never contacted. Reached SQL = an "
                   "SQL date or a deal.")
        widgets.download_csv(buckets, file_name="sql_rate_by_response_time.csv", key="funnel_buckets_csv")

    st.subheader("SLA breaches")
    breaches = breaches_query.result()
    st.caption(f"This period's MQLs with no first contact by the end of {f.as_of:%d %b %Y} and older than "
               f"{sla_hours:g} h then (age = as-of − MQL time). A lead sales rejected is handled, not a breach.")
    if breaches.empty:
        widgets.empty("No breaches: every MQL of the period was contacted (or rejected) within the SLA.")
    else:
        st.metric(metrics.label("sla_breaches"), format.count(len(breaches)), help=metrics.help("sla_breaches"))
        st.dataframe(breaches, hide_index=True, key="funnel_breaches_table",
                     column_config={"age_hours": st.column_config.NumberColumn("Age (h)", format="%.0f"),
                                    "mql_at": st.column_config.DatetimeColumn("MQL at", format="YYYY-MM-DD HH:mm")})
    widgets.download_csv(breaches, file_name=f"sla_breaches_{f.as_of:%Y-%m-%d}.csv", key="funnel_breaches_csv",
                         label="Download breaches (CSV)")
