"""Quota & pipeline: this month's pacing per team and rep, attainment history, and pipeline coverage."""

from datetime import date

import streamlit as st

from queries import deals, metrics, pipeline, quota
from ui import chart_view, data, filters, format, needs, tables, widgets
from ui.charts import quota as charts

f = filters.current()
settings = format.settings()
symbol = settings.currency_symbol
# Passed as pairs so the cache key is hashable; the query binds them as values.
probabilities = tuple(settings.stage_probabilities.items())

st.title("Quota & pipeline")
st.caption(f"This month is {f.as_of:%B %Y}, as of {f.as_of:%d %b %Y}; history and the deals table cover "
           f"{f.start:%d %b %Y} – {f.end:%d %b %Y}. Teams: {', '.join(f.teams) or 'all'}; regions (the rep's): "
           f"{', '.join(f.regions) or 'all'}. {filters.scope_note('pages/quota.py')}")


def parse_horizon(text: str) -> int:
    value = int(text)
    if not 1 <= value <= 6:
        raise ValueError(f"{value} is not 1–6")
    return value


# Every query whose arguments the filters (or the coverage slider) fix starts now and runs while the page draws
# (ui.data.start). The slider's value is known before it is drawn: seeded or changed, it is in session_state when
# the run begins.
filters.seed("quota_horizon", "coverage_months", 1, parse_horizon)
# The slider is drawn only while the Pipeline tab is open, and a run that does not draw a widget drops its value:
# set again on every run, it keeps the horizon last chosen while another tab is open.
st.session_state["quota_horizon"] = st.session_state["quota_horizon"]
horizon = st.session_state["quota_horizon"]
# One query per measure gives every grouping (team, rep, total); deals.at_level picks one.
pace_levels_query = data.start(quota.pacing_levels, as_of=f.as_of, teams=f.team_list, regions=f.region_list)
weighted_levels_query = data.start(pipeline.weighted_projection_levels, as_of=f.as_of,
                                   stage_probabilities=probabilities, teams=f.team_list, regions=f.region_list)
history_query = data.start(quota.attainment, start=f.start, end=f.end, by="team", teams=f.team_list,
                           regions=f.region_list)
at_quota_query = data.start(deals.reps_at_quota, start=f.start, end=f.end, teams=f.team_list,
                            regions=f.region_list)
quarters_query = data.start(quota.attainment_by_fiscal_quarter, start=f.start, end=f.end,
                            fiscal_start=settings.fiscal_year_start_month, by="team", teams=f.team_list,
                            regions=f.region_list)
stages_query = data.start(pipeline.open_by_stage, as_of=f.as_of, stage_probabilities=probabilities,
                          teams=f.team_list, regions=f.region_list)
summary_query = data.start(deals.summary, start=f.start, end=f.end, by="rep", teams=f.team_list,
                           regions=f.region_list)
cover_levels_query = data.start(pipeline.coverage_levels, as_of=f.as_of, horizon_months=horizon, teams=f.team_list,
                                regions=f.region_list)

if not needs.met("reps", "deals", what="Quota & pipeline", key="quota_page"):
    st.stop()

has_quotas = needs.met("quotas", what="Pacing against quota", key="quota_pacing")
# One section in view at a time: the browser draws every chart it is sent, in a closed tab too.
view, tab = chart_view.tabs({"month": "This month", "reps": "Reps", "history": "History", "pipeline": "Pipeline"},
                            key="quota_view", param="section")


def month_section() -> None:
    """This month's tiles, and pacing by team against the pacing line."""
    pace_levels = pace_levels_query.result()
    weighted_levels = weighted_levels_query.result()
    pace = deals.at_level(pace_levels, "team")
    weighted = deals.at_level(weighted_levels, "team")
    if pace.empty and weighted.empty:
        widgets.empty(f"No quota, booking or open deal for {f.as_of:%B %Y} in this selection. Pick another as-of "
                      "date, team or region.")
        return
    total = deals.at_level(pace_levels, "all").iloc[0] if not pace.empty else None
    total_weighted = deals.at_level(weighted_levels, "all").iloc[0]
    booked = total_weighted.booked_to_date
    tiles = st.columns(6 if has_quotas else 2)
    if has_quotas and total is not None:
        tiles[0].metric(metrics.label("quota"), format.money(total.quota), help=metrics.help("quota"))
        tiles[1].metric(metrics.label("booked_revenue"), format.money(booked),
                        **format.delta(booked - total.expected_to_date, unit="money", metric="booked_revenue",
                                       against="vs the pacing line"),
                        help=metrics.help("booked_revenue", f"From the 1st through {f.as_of:%d %b}. The change "
                                          "compares with the pacing line: " + metrics.get("pacing_line").formula))
        tiles[2].metric(metrics.label("attainment"), format.pct(total_weighted.attainment_to_date),
                        help=metrics.help("attainment"))
        tiles[3].metric(metrics.label("projected_run_rate"), format.money(total.projected),
                        help=metrics.help("projected_run_rate"))
        tiles[4].metric(metrics.label("projected_weighted"), format.money(total_weighted.projected_weighted),
                        help=metrics.help("projected_weighted"))
        tiles[5].metric(metrics.label("required_per_day"), format.money(total.required_per_day),
                        help=metrics.help("required_per_day"))
    else:
        tiles[0].metric(metrics.label("booked_revenue"), format.money(booked),
                        help=metrics.help("booked_revenue", f"From the 1st through {f.as_of:%d %b}."))
        tiles[1].metric(metrics.label("projected_weighted"), format.money(total_weighted.projected_weighted),
                        help=metrics.help("projected_weighted"))
    widgets.left_out(total_weighted.deals_without_amount, total=total_weighted.open_deals,
                     things="open deals due this month", lacking="no amount",
                     figure="the weighted projection")
    st.caption("Stage probabilities (Settings page): "
               + ", ".join(f"{stage} {format.pct(p)}" for stage, p in settings.stage_probabilities.items())
               + (f". Day {int(total.days_elapsed)} of {int(total.days_in_month)}." if total is not None else "."))

    if has_quotas and not pace.empty:
        by_team = pace.merge(weighted.drop(columns=["quota", "booked_to_date"]), on="team", how="left")
        chart_view.draw(charts.pacing(by_team, key="team", symbol=symbol), key="quota_pacing_chart")
        tables.show(by_team.drop(columns=["days_elapsed", "days_in_month"]), key="quota_pacing_table",
                    labels={"deals_without_amount": "Open deals without amount"})
        widgets.download_csv(by_team, file_name=f"pacing_{f.as_of:%Y-%m}.csv", key="quota_pacing_csv")


def reps_section() -> None:
    """This month's attainment per rep: the leaderboard, the spread and the table."""
    if not has_quotas:
        widgets.empty("Attainment per rep needs quotas: import them on the Data page.")
        return
    pace_levels = pace_levels_query.result()
    weighted_levels = weighted_levels_query.result()
    rep_weighted = deals.at_level(weighted_levels, "rep")
    rep_pace = deals.at_level(pace_levels, "rep")
    by_rep = rep_pace.merge(rep_weighted.drop(columns=["quota", "booked_to_date"]), on="rep_id", how="left")
    with_quota = by_rep[by_rep.quota.notna()]
    if with_quota.empty:
        widgets.empty("No rep has a quota this month in this selection.")
    else:
        left, right = st.columns([3, 2])
        chart_view.draw(charts.leaderboard(with_quota), key="quota_leaderboard_chart", where=left)
        chart_view.draw(charts.attainment_spread(with_quota), key="quota_spread_chart", where=right)
        tables.show(by_rep.sort_values("attainment_to_date", ascending=False)
                    .drop(columns=["days_elapsed", "days_in_month"]), key="quota_reps_table",
                    labels={"deals_without_amount": "Open deals without amount"})
        widgets.download_csv(by_rep, file_name=f"reps_{f.as_of:%Y-%m}.csv", key="quota_reps_csv")


def history_section() -> None:
    """Attainment by month, the share of reps at quota, whole fiscal quarters, and deals per rep."""
    history = history_query.result()
    if history.empty:
        widgets.empty("No quota or booking in this period. Widen the period in the sidebar.")
    else:
        chart_view.draw(charts.history(history, symbol=symbol, through=min(f.end, f.as_of)),
                        key="quota_history_chart")
        st.caption(metrics.caption("attainment") + ("" if has_quotas else " Without quotas only the bookings are "
                                                    "drawn."))
        widgets.download_csv(history, file_name="attainment_by_month.csv", key="quota_history_csv")
        if has_quotas:
            at_quota = at_quota_query.result()
            if at_quota.empty:
                widgets.empty("No rep had a quota in this period.")
            else:
                chart_view.draw(charts.share_at_quota(at_quota, through=min(f.end, f.as_of)),
                                key="quota_share_chart")
                st.caption(metrics.caption("reps_at_quota"))
                widgets.download_csv(at_quota, file_name="reps_at_quota.csv", key="quota_share_csv")
            quarters = quarters_query.result()
            st.subheader("By fiscal quarter")
            st.caption(f"Whole fiscal quarters touched by the period; the fiscal year starts in "
                       f"{date(2000, settings.fiscal_year_start_month, 1):%B} (Settings page).")
            tables.show(quarters.drop(columns="quarter_start"), width="stretch", key="quota_fiscal_table")
            widgets.download_csv(quarters, file_name="attainment_by_fiscal_quarter.csv", key="quota_fiscal_csv")

    st.subheader("Deals per rep")
    st.caption(f"Won and lost deals closed {f.start:%d %b %Y} – {f.end:%d %b %Y}; open deals created by the period's "
               "end.")
    summary = summary_query.result()
    if summary.empty:
        widgets.empty("No reps in this selection.")
    else:
        tables.show(summary, key="quota_deals_table",
                    labels={"open_without_amount": "Open deals without amount",
                            "won_without_created_date": "Won deals without created date"},
                    helps={"win_rate": metrics.help("win_rate"), "avg_cycle_days": metrics.help("sales_cycle")})
        widgets.left_out(summary.won_without_created_date.sum(), total=summary.won_count.sum(), things="won deals",
                         lacking="no created date", figure="the average cycle")
        widgets.download_csv(summary, file_name="deals_by_rep.csv", key="quota_deals_csv")


def pipeline_section() -> None:
    """Coverage of the quota still to book, and open pipeline by stage."""
    st.slider("Coverage horizon (months, starting with this one)", 1, 6, key="quota_horizon",
              help="1 = the rest of this month; 3 = this month and the next two.")
    filters.publish("coverage_months", horizon if horizon != 1 else None)
    cover_levels = cover_levels_query.result()
    cover = deals.at_level(cover_levels, "team")
    if cover.empty:
        widgets.empty("No rep in this selection. Clear the team or region filter in the sidebar.")
    else:
        total_cover = deals.at_level(cover_levels, "all").iloc[0]
        tiles = st.columns(4)
        tiles[0].metric(metrics.label("open_pipeline"), format.money(total_cover.open_pipeline),
                        help=metrics.help("open_pipeline"))
        tiles[3].metric(metrics.label("required_coverage"),
                        metrics.format_value("required_coverage", total_cover.required_coverage),
                        help=metrics.help("required_coverage"))
        if has_quotas:
            tiles[1].metric(metrics.label("remaining_quota"), format.money(total_cover.remaining_quota),
                            help=metrics.help("remaining_quota"))
            tiles[2].metric(metrics.label("coverage"), metrics.format_value("coverage", total_cover.coverage),
                            help=metrics.help("coverage"))
        else:
            tiles[1].caption("Quota still to book and coverage need quotas: import them on the Data page.")
        widgets.left_out(total_cover.deals_without_amount, total=total_cover.open_deals,
                         things="open deals in the horizon", lacking="no amount", figure="open pipeline")
        if has_quotas:
            chart_view.draw(charts.coverage(cover, key="team"), key="quota_coverage_chart",
                            empty="No coverage to draw: it needs quota still to book in the horizon.")
            st.caption(metrics.caption("coverage"))
        rep_cover = deals.at_level(cover_levels, "rep")
        shown = rep_cover if has_quotas else rep_cover.drop(columns=["quota", "remaining_quota", "coverage"])
        tables.show(shown, key="quota_coverage_table",
                    labels={"deals_without_amount": "Open deals without amount", "open_deals": "Open deals"})
        widgets.download_csv(rep_cover, file_name="coverage_by_rep.csv", key="quota_coverage_csv")

    stages = stages_query.result()
    if stages.empty:
        widgets.empty("No deal was open on the as-of date in this selection.")
    else:
        chart_view.draw(charts.pipeline_by_stage(stages, symbol=symbol), key="quota_stage_chart",
                        empty="Every open deal in this selection lacks an amount: there is no pipeline value to "
                              "draw.")
        st.caption(metrics.caption("weighted_pipeline"))
        widgets.left_out(stages.deals_without_amount.sum(), total=stages.deal_count.sum(), things="open deals",
                         lacking="no amount", figure="the pipeline by stage")
        widgets.download_csv(stages, file_name="open_pipeline_by_stage.csv", key="quota_stage_csv")


with tab:
    {"month": month_section, "reps": reps_section, "history": history_section,
     "pipeline": pipeline_section}[view]()
