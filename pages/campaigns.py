"""Campaigns: the 4Ps plan, campaign performance, attribution models that reconcile, and why spend is not sales."""

import math

import pandas as pd
import streamlit as st

from queries import attribution, campaigns, meeting, metrics
from ui import chart_view, data, filters, format, needs, tables, widgets
from ui.charts import campaigns as charts

DEFAULT_MODEL = "linear"
# One section at a time: only its queries run and its charts draw. Kept in the URL (?view=…).
SECTIONS = {"plan": "Plan", "performance": "Performance", "attribution": "Attribution", "spend": "Spend ≠ sales"}
SPEND_VIEWS = {"pipeline": "Spend against pipeline", "curves": "Where the next dollar returns the most",
               "overspend": "Spend far ahead of pipeline"}
HALF_LIFE_RANGE = (0.5, 365.0)
THETA_DEFAULT = campaigns.DEFAULT_THETA


def parse_model(text: str) -> str:
    if text not in attribution.MODELS:
        raise ValueError(text)
    return text


def parse_section(text: str) -> str:
    if text not in SECTIONS:
        raise ValueError(text)
    return text


def parse_half_life(text: str) -> float:
    value = float(text)
    if not HALF_LIFE_RANGE[0] <= value <= HALF_LIFE_RANGE[1]:
        raise ValueError(text)
    return value


def left_out_columns(frame):
    """The counts of what a figure leaves out: said in a sentence under the table, kept in its CSV."""
    return [c for c in frame.columns if "_without_" in c]


def blank(frame, columns):
    """The frame with the columns the data cannot give set to missing (a chart then draws no bar for them)."""
    return frame.assign(**{c: math.nan for c in columns if c in frame.columns})


f = filters.current()
symbol = format.settings().currency_symbol
st.title("Campaigns")
st.caption(f"Period {f.start:%d %b %Y} – {f.end:%d %b %Y}; status as of {f.as_of:%d %b %Y}"
           + (f" (frozen by the meeting “{widgets.escape_markdown(f.meeting_title)}”)." if f.meeting_title else ".")
           + " " + filters.scope_note("pages/campaigns.py"))

# The attribution choice drives performance ROI, attribution and the overspend list; it lives in the URL.
filters.seed("campaigns_model", "model", DEFAULT_MODEL, parse_model)
filters.seed("campaigns_half_life", "half_life", attribution.DEFAULT_HALF_LIFE_DAYS, parse_half_life)
model_col, half_life_col = st.columns([3, 1])
model = model_col.radio("Attribution model", list(attribution.MODELS), key="campaigns_model", horizontal=True,
                        format_func=attribution.model_label,
                        help="How a won deal's revenue is split over the campaigns that touched its lead.")
half_life = half_life_col.number_input("Time-decay half-life (days)", min_value=HALF_LIFE_RANGE[0],
                                       max_value=HALF_LIFE_RANGE[1], step=1.0, key="campaigns_half_life",
                                       help="Time decay only: a touch this many days older gets half the credit.")
filters.publish("model", model if model != DEFAULT_MODEL else None)
filters.publish("half_life", f"{half_life:g}" if half_life != attribution.DEFAULT_HALF_LIFE_DAYS else None)
st.caption(f"**{attribution.model_label(model)}:** {attribution.MODELS[model]['rule']}")
# The half-life only matters to time decay: other models keep one cache entry whatever it is set to.
decay = half_life if model == "time_decay" else attribution.DEFAULT_HALF_LIFE_DAYS

filters.seed("campaigns_view", "view", "plan", parse_section)
section = st.radio("Show", list(SECTIONS), key="campaigns_view", horizontal=True, format_func=SECTIONS.get,
                   label_visibility="collapsed")
filters.publish("view", section if section != "plan" else None)

# What each figure needs beyond the campaigns: leads for what they sourced, deals for pipeline and revenue, touches for
# the attribution models. A missing table leaves its figures out, with one sentence naming the import.
LEAD_FIGURES = ["leads", "cost_per_lead", "mqls", "sqls"]
lead_gap = needs.missing("leads")
deal_gap = needs.missing("leads", "deals")
credit_gap = needs.missing("leads", "touches", "deals")
drawn = False  # whether the section showed figures (the caveats below are about them)

if section == "plan":
    ready = needs.met("campaigns", what="The campaign plan", key="campaigns_plan")
elif section == "performance":
    ready = needs.met("campaigns", "campaign_spend", what="Campaign performance", key="campaigns_performance")
else:
    ready = False

if ready:
    channel_options = data.load(campaigns.channels).channel.tolist()
    objective_col, channel_col, status_col = st.columns(3)
    objective = objective_col.selectbox("Objective", ["all", *campaigns.OBJECTIVES], key="campaigns_objective",
                                        format_func=lambda o: "All objectives" if o == "all" else o.capitalize())
    chosen_channels = channel_col.multiselect("Channels", channel_options, key="campaigns_channels",
                                              placeholder="All channels")
    statuses = status_col.multiselect("Status (plan only)", [*campaigns.STATUSES, campaigns.UNKNOWN_STATUS],
                                      key="campaigns_status", placeholder="Any status", disabled=section != "plan")
    objective_arg = None if objective == "all" else objective

if section == "plan" and ready:
    drawn = True
    spend_known = not needs.missing("campaign_spend")
    plan = data.load(campaigns.plan, start=f.start, end=f.end, as_of=f.as_of, objective=objective_arg,
                     channels=chosen_channels, status=statuses)
    if plan.empty:
        widgets.empty("No campaign runs in this period with these filters. Widen the period or clear the filters.")
    else:
        counts = plan.status.value_counts()
        cols = st.columns(3)
        for col, status in zip(cols, campaigns.STATUSES, strict=True):
            # Each status word is a tile label of the registry's campaigns_by_status metric.
            col.metric(status.capitalize(), format.count(counts.get(status, 0)),
                       help=metrics.help("campaigns_by_status"))
        widgets.left_out(counts.get(campaigns.UNKNOWN_STATUS, 0), total=len(plan), things="campaigns",
                         lacking="no flight dates that say their status (status unknown)",
                         figure="The count by status")
        st.caption("Select a row to open the campaign. Planned: starts after the as-of day; running: in flight; "
                   "ended: finished before it."
                   + (" Spend to date counts delivery up to the as-of day." if spend_known else ""))
        shown = plan if spend_known else plan.drop(columns=["spend_to_date", "budget_used"])
        progress = {"budget_used": st.column_config.ProgressColumn("Budget used", min_value=0, max_value=1,
                                                                   format="percent")} if spend_known else {}
        event = tables.show(shown, key="campaigns_plan_table", on_select="rerun", selection_mode="single-row",
                            config_override=progress)
        if spend_known:
            widgets.left_out(plan.budget.isna().sum(), total=len(plan), things="campaigns", lacking="no budget",
                             figure="Budget used")
        else:
            needs.met("campaign_spend", what="Spend to date against budget", key="campaigns_plan_spend")
        widgets.download_csv(plan, file_name="campaign_plan.csv", key="campaigns_plan_csv")

        # A link may name a campaign (?campaign=…); selecting a row replaces it, clearing the selection closes it.
        filters.seed("campaigns_detail", "campaign", "", str)
        rows = [r for r in event.selection.rows if r < len(plan)]
        if rows:
            st.session_state["campaigns_detail"] = plan.campaign_id.iloc[rows[0]]
        elif st.session_state.get("campaigns_had_selection"):
            st.session_state["campaigns_detail"] = ""
        st.session_state["campaigns_had_selection"] = bool(rows)
        detail_id = st.session_state["campaigns_detail"]
        filters.publish("campaign", detail_id or None)
        chosen = plan[plan.campaign_id == detail_id]
        if detail_id and chosen.empty:
            st.caption(f"Campaign {widgets.escape_markdown(detail_id)} is not in the plan with these filters.")
        elif detail_id:
            row = chosen.iloc[0]

            def said(value, fallback: str = "?") -> str:
                """A detail of the campaign as text; `fallback` where the export left it out."""
                return fallback if pd.isna(value) else f"{value:%d %b %Y}" if hasattr(value, "strftime") else str(value)

            st.subheader(widgets.escape_markdown(row.campaign))
            st.caption(widgets.escape_markdown(
                f"{said(row.objective, 'no objective')} · {row.channel} · product {said(row['product'])} · "
                f"price {said(row.price_point)} · place {said(row.place)} · promotion {said(row.promotion)} · "
                f"{said(row.start_date)} – {said(row.end_date)} · owner {said(row.owner)}"))
            # The same arguments as the Performance section's tables, so both share one cached result.
            perf = campaigns.at_level(data.load(
                campaigns.performance_levels, start=f.start, end=f.end, channels=chosen_channels,
                objective=objective_arg, model=model, half_life_days=decay), "campaign")
            mine = perf[perf.campaign_id == detail_id]
            if mine.empty:
                st.caption("No spend, leads, pipeline or attributed revenue in the period.")
            else:
                m = mine.iloc[0]
                model_note = f"Attributed by the {attribution.model_label(model)} model."
                tiles = []
                if spend_known:
                    tiles.append((metrics.label("spend"), format.money(m.spend), metrics.help("spend")))
                if not lead_gap:
                    tiles.append((metrics.label("leads"), format.count(m.leads),
                                  metrics.help("leads", "Here: the leads this campaign sourced.")))
                if not deal_gap:
                    tiles.append((metrics.label("sourced_pipeline"), format.money(m.pipeline),
                                  metrics.help("sourced_pipeline")))
                if not credit_gap:
                    tiles.append((metrics.label("attributed_revenue"), format.money(m.won_revenue),
                                  metrics.help("attributed_revenue", model_note)))
                    if spend_known:
                        tiles.append((metrics.label("roi"), format.pct(m.roi), metrics.help("roi", model_note)))
                if tiles:
                    for col, (label, value, text) in zip(st.columns(5), tiles, strict=False):
                        col.metric(label, value, help=text)
                if not lead_gap:
                    widgets.left_out(m.leads_without_created_date, total=m.leads + m.leads_without_created_date,
                                     things="sourced leads", lacking="no created date", figure="Leads")
                if not deal_gap and (m.deals_without_amount or m.deals_without_created_date):
                    gaps = data.load(campaigns.performance_gaps, campaign_ids=[detail_id], start=f.start,
                                     end=f.end).iloc[0]
                    widgets.left_out(gaps.deals_without_amount, total=gaps.deals, things="sourced deals",
                                     lacking="no amount", figure="Pipeline")
                    widgets.left_out(gaps.deals_without_created_date,
                                     total=gaps.deals + gaps.deals_without_created_date, things="sourced deals",
                                     lacking="no created date (in no period)", figure="Pipeline")
                if credit_gap:
                    needs.met(*credit_gap, what="What the campaign sourced and won",
                              key="campaigns_detail_sales")
            if spend_known:
                monthly = data.load(campaigns.spend_by_month, campaign_id=detail_id, start=f.start, end=f.end)
                if monthly.empty:
                    widgets.empty("This campaign has no delivery in the period.")
                else:
                    chart_view.draw(charts.spend_by_month(monthly, campaign=row.campaign, symbol=symbol,
                                                          through=min(f.end, f.as_of)),
                                    key="campaigns_detail_spend_chart")
                    widgets.download_csv(monthly, file_name=f"spend_{detail_id}.csv", key="campaigns_detail_csv")
            st.markdown("**What the field says** (sales feedback tagged to this campaign, all time)")
            notes = data.load(campaigns.feedback, campaign_id=detail_id)
            if notes.empty:
                widgets.empty("Sales has left no feedback on this campaign.")
            else:
                shown_notes = notes.assign(sentiment=notes.sentiment.map(meeting.SENTIMENTS),
                                           topic=notes.topic.map(meeting.TOPIC_LABELS).fillna(notes.topic))
                tables.show(shown_notes, key="campaigns_feedback_table", labels={"sentiment": "Sentiment"},
                            config_override={"body": st.column_config.TextColumn("Feedback", width="large")})

if section == "performance" and ready:
    drawn = True
    # One query gives the channel rows and the campaign rows; campaigns.at_level picks one.
    performance = data.load(campaigns.performance_levels, start=f.start, end=f.end, channels=chosen_channels,
                            objective=objective_arg, model=model, half_life_days=decay)
    by_channel = campaigns.at_level(performance, "channel")
    if by_channel.empty:
        widgets.empty("No campaign spent or sourced a lead in this period with these filters. Widen the period or "
                      "clear the filters.")
    else:
        unknown = (LEAD_FIGURES if lead_gap else []) + (["pipeline"] if deal_gap else []) + (
            ["won_revenue", "roi"] if credit_gap else [])
        per_campaign = campaigns.at_level(performance, "campaign")
        st.caption("Leads and pipeline: what each campaign sourced. Won revenue: what the chosen model attributes. "
                   "ROI = (attributed won revenue − spend) / spend.")
        chart_view.draw(charts.performance_by_channel(blank(by_channel, unknown), symbol=symbol),
                        key="campaigns_channel_chart")
        if credit_gap:
            needs.met(*credit_gap, what="Measuring leads, pipeline and return" if lead_gap else
                      "Measuring pipeline and return", key="campaigns_performance_sales")
        st.caption(" ".join(metrics.caption(key) for key in ("ctr", "cost_per_lead", "roi")))
        hidden = ["campaign_id", "campaign", "objective", *unknown, *left_out_columns(by_channel)]
        tables.show(by_channel.drop(columns=hidden), key="campaigns_channel_table")
        # What the figures leave out, for the campaigns listed (the same for both tables).
        if not lead_gap:
            undated = int(per_campaign.leads_without_created_date.sum())
            widgets.left_out(undated, total=int(per_campaign.leads.sum()) + undated, things="sourced leads",
                             lacking="no created date (in no period)", figure="Leads")
        if per_campaign[left_out_columns(per_campaign)].to_numpy().any():
            gaps = data.load(campaigns.performance_gaps, campaign_ids=per_campaign.campaign_id.tolist(),
                             start=f.start, end=f.end).iloc[0]
            for column, lacking, figure in (("days_without_impressions", "no impressions reported", "Impressions"),
                                            ("days_without_clicks", "no clicks reported", "Clicks"),
                                            ("days_without_ctr", "no impressions or no clicks reported",
                                             "The click-through rate")):
                widgets.left_out(gaps[column], total=gaps.delivery_days, things="delivery days", lacking=lacking,
                                 figure=figure)
            if not deal_gap:
                widgets.left_out(gaps.deals_without_amount, total=gaps.deals, things="sourced deals",
                                 lacking="no amount", figure="Pipeline")
                widgets.left_out(gaps.deals_without_created_date, total=gaps.deals + gaps.deals_without_created_date,
                                 things="sourced deals", lacking="no created date (in no period)", figure="Pipeline")
        widgets.download_csv(by_channel.drop(columns=["campaign_id", "campaign", "objective"]),
                             file_name="performance_by_channel.csv", key="campaigns_channel_csv")
        st.markdown("**Per campaign**")
        tables.show(per_campaign.drop(columns=[*unknown, *left_out_columns(per_campaign)]),
                    key="campaigns_performance_table")
        widgets.download_csv(per_campaign, file_name="performance_by_campaign.csv", key="campaigns_performance_csv")

if section == "attribution" and needs.met("deals", what="Attribution", key="campaigns_attribution"):
    drawn = True
    attribution_gap = needs.missing("campaigns", "leads", "touches")
    credit = data.load(attribution.revenue_by_campaign, start=f.start, end=f.end, model=model,
                       half_life_days=decay)
    if credit.empty:
        widgets.empty("No deal was won in this period, so there is no revenue to attribute. Widen the period.")
    elif attribution_gap:
        # Deals alone: the won revenue is known, and none of it can be tied to a campaign.
        total = credit.attributed_revenue.sum()
        cols = st.columns(3)
        cols[0].metric(metrics.label("booked_revenue", label_index=3), format.money(total),
                       help=metrics.help("booked_revenue"))
        cols[1].metric(metrics.label("unattributed_revenue"), format.money(total),
                       help=metrics.help("unattributed_revenue"))
        needs.met(*attribution_gap, what="Attributing won revenue to campaigns", key="campaigns_attribution_credit")
        st.caption("Until then every won deal counts as unattributed: no campaign touch is known to come before it.")
    else:
        unattributed = credit[credit.campaign_id.isna()].attributed_revenue
        total = credit.attributed_revenue.sum()
        cols = st.columns(3)
        cols[0].metric(metrics.label("booked_revenue", label_index=3), format.money(total),
                       help=metrics.help("booked_revenue"))
        cols[1].metric(metrics.label("attributed_revenue", label_index=1), format.money(total - unattributed.sum()),
                       help=metrics.help("attributed_revenue", f"Model: {attribution.model_label(model)}."))
        cols[2].metric(metrics.label("unattributed_revenue"), format.money(unattributed.sum()),
                       help=metrics.help("unattributed_revenue"))
        st.markdown(f"**Won revenue by campaign — {attribution.model_label(model)}**")
        tables.show(credit, key="campaigns_attribution_table",
                    helps={"deals": "Won deals that give the campaign any credit."})
        widgets.download_csv(credit, file_name=f"attribution_{model}.csv", key="campaigns_attribution_csv")

        comparison = data.load(attribution.revenue_by_channel, start=f.start, end=f.end, half_life_days=half_life)
        labels = {key: spec["label"] for key, spec in attribution.MODELS.items()}
        st.caption(f"Unattributed revenue ({format.money(unattributed.sum())}) is the same under every model and is "
                   "left out of the chart; the table below includes it.")
        chart_view.draw(charts.model_comparison(comparison, labels=labels, symbol=symbol),
                        key="campaigns_model_chart", empty="No won revenue in this period was credited to a channel "
                        "under any model: all of it is unattributed (see the table below).")
        st.caption(metrics.caption("attributed_revenue") + " The models and their weights are on the Definitions "
                   "page.")
        side_by_side = comparison.pivot(index="channel", columns="model", values="attributed_revenue")
        side_by_side = side_by_side[[m for m in labels if m in side_by_side.columns]].rename(columns=labels)
        tables.show(side_by_side.reset_index(), key="campaigns_model_table",
                    kinds={label: "money" for label in side_by_side.columns})
        widgets.download_csv(comparison, file_name="attribution_by_channel.csv", key="campaigns_model_csv")

    if not attribution_gap:
        reach = data.load(attribution.sourced_vs_influenced, start=f.start, end=f.end)
        if reach.empty or not (reach.sourced_deals.sum() or reach.influenced_deals.sum()):
            widgets.empty("No deal created in this period came from a campaign's lead or was touched by a campaign "
                          "before it was created, so there is no pipeline to source or influence.")
        else:
            st.caption("Sourced: the deal's lead came from a campaign of the channel. Influenced: a campaign of the "
                       "channel touched the lead before the deal was created. A deal can be influenced by several "
                       "channels, so influenced pipeline adds up to more than the total.")
            chart_view.draw(charts.sourced_vs_influenced(reach, symbol=symbol), key="campaigns_reach_chart")
            widgets.left_out(reach.sourced_without_amount.sum(), total=reach.sourced_deals.sum(),
                             things="sourced deals", lacking="no amount", figure="Sourced pipeline")
            widgets.left_out(reach.influenced_without_amount.sum(), total=reach.influenced_deals.sum(),
                             things="influenced deals", lacking="no amount",
                             figure="Influenced pipeline")
            st.caption(metrics.caption("sourced_pipeline"))
            widgets.download_csv(reach, file_name="sourced_vs_influenced.csv", key="campaigns_reach_csv")


def spend_against_pipeline(theta: float) -> None:
    monthly_all = data.load(campaigns.spend_vs_pipeline, start=f.start, end=f.end, theta=theta)
    sales_gap = needs.missing("deals")
    if monthly_all.empty or not monthly_all.spend.any():
        widgets.empty("No campaign spend in this period. Widen the period.")
        return
    shown = blank(monthly_all, ["pipeline_created", "won_revenue"]) if sales_gap else monthly_all
    chart_view.draw(charts.spend_vs_pipeline(shown, theta=theta, symbol=symbol, through=min(f.end, f.as_of)),
                    key="campaigns_spend_chart")
    if sales_gap:
        needs.met(*sales_gap, what="Pipeline and won revenue beside the spend", key="campaigns_spend_deals")
    else:
        widgets.left_out(monthly_all.deals_without_amount.sum(), total=monthly_all.deals_created.sum(),
                         things="deals", lacking="no amount", figure="Pipeline created")
        undated = monthly_all.deals_without_created_date.iloc[0]
        widgets.left_out(undated, total=monthly_all.deals_created.sum() + undated, things="deals",
                         lacking="no created date (in no month)", figure="Pipeline created")
    widgets.download_csv(monthly_all, file_name="spend_vs_pipeline.csv", key="campaigns_spend_csv")


def response_curves(theta: float) -> None:
    curves = data.load(campaigns.response_curves, start=f.start, end=f.end)
    fitted = curves[curves.b.notna()] if not curves.empty else curves
    if fitted.empty:
        widgets.empty(f"No channel has {campaigns.MIN_FIT_MONTHS} months with spend in this period, too few to "
                      "fit a response curve. Widen the period.")
        return
    channel = st.selectbox("Channel", fitted.channel.tolist(), key="campaigns_curve_channel")
    fit = fitted[fitted.channel == channel].iloc[0]
    step = format.money(fit.step)
    st.markdown(widgets.escape_markdown(
        f"The next {step} a month in {channel} returns about {format.money(fit.marginal_return)} of pipeline "
        f"(95 % range {format.money(fit.marginal_low)} to {format.money(fit.marginal_high)}), on top of the "
        f"{format.money(fit.current_spend)} a month it averaged over the last three complete months."))
    st.caption(f"Fit: pipeline ≈ a · spend^b on {int(fit.months)} months, b = {fit.b:.2f} "
               f"(95 % interval {fit.b_low:.2f} to {fit.b_high:.2f}; b below 1 means diminishing returns), "
               f"R² = {fit.r_squared:.2f}. A wide interval means the months do not pin the curve down."
               + (f" {widgets.escape_markdown(fit.note)}." if fit.note else ""))
    channel_months = data.load(campaigns.spend_vs_pipeline, start=f.start, end=f.end, theta=theta, channel=channel)
    chart_view.draw(charts.response_curve(channel_months, fit.to_dict(), channel=channel, symbol=symbol,
                                          through=min(f.end, f.as_of)), key="campaigns_curve_chart")
    widgets.left_out(channel_months.deals_without_amount.sum(), total=channel_months.deals_created.sum(),
                     things="deals", lacking="no amount", figure=f"The pipeline of {channel}")
    table = curves[["channel", "months", "current_spend", "marginal_return", "marginal_low", "marginal_high",
                    "b", "b_low", "b_high", "r_squared"]]
    tables.show(table, key="campaigns_curve_table",
                labels={"months": "Months with spend",
                        "marginal_return": f"Pipeline per next {format.money(campaigns.MARGINAL_STEP)}"})
    widgets.download_csv(curves, file_name="response_curves.csv", key="campaigns_curve_csv")


def overspend() -> None:
    over = data.load(campaigns.overspend, start=f.start, end=f.end, model=model, half_life_days=decay)
    if over.empty:
        widgets.empty("No campaign's share of spend is at least twice its share of attributed pipeline.")
        return
    st.caption(f"Campaigns whose share of spend is at least twice their share of pipeline created in the "
               f"period (credited by the {attribution.model_label(model)} model), largest gap first.")
    chart_view.draw(charts.overspend(over.head(10)), key="campaigns_overspend_chart")
    tables.show(over.drop(columns=["deals_created", *left_out_columns(over)]), key="campaigns_overspend_table")
    widgets.left_out(over.deals_without_amount.iloc[0], total=over.deals_created.iloc[0], things="deals",
                     lacking="no amount", figure="Attributed pipeline")
    widgets.download_csv(over, file_name="overspend.csv", key="campaigns_overspend_csv")


if section == "spend" and needs.met("campaigns", "campaign_spend", what="Spend against pipeline",
                                    key="campaigns_spend"):
    drawn = True
    # Three views of one question, as tabs: only the open one runs its queries and draws (?spend_view=…).
    spend_view, spend_tab = chart_view.tabs(SPEND_VIEWS, key="campaigns_spend_view", param="spend_view")
    # Pipeline and won revenue need deals; the curves, the leads' source channels; the overspend list, the touches.
    curve_gap = needs.missing("leads", "deals")
    # The carry-over slider is drawn in two of the three views, and a run that does not draw a widget drops its
    # value: set again on every run, it keeps the θ last chosen while the third view is open.
    st.session_state["campaigns_theta"] = st.session_state.get("campaigns_theta", THETA_DEFAULT)
    with spend_tab:
        if spend_view in ("pipeline", "curves"):
            theta = st.slider("Carry-over θ (share of a month's spend still working the next month)", 0.0, 0.95,
                              step=0.05, key="campaigns_theta")
        if spend_view == "pipeline":
            spend_against_pipeline(theta)
        elif spend_view == "curves":
            if curve_gap:
                needs.met(*curve_gap, what="Response curves", key="campaigns_curves")
            else:
                response_curves(theta)
        elif credit_gap:
            needs.met(*credit_gap, what="Weighing spend against pipeline", key="campaigns_spend_sales")
        else:
            overspend()

if drawn:
    st.divider()
    st.subheader("What these numbers cannot prove")
    st.markdown(
        "- **Attribution is bookkeeping, not causation.** Every model splits revenue over the touches it can see; "
        "none says what would have happened without a campaign. The models disagree because they encode different "
        "beliefs, not because one is measured better.\n"
        "- **Untracked influence is invisible.** Billboards, events and word of mouth rarely leave a touch, so brand "
        "work shows up as *Unattributed* revenue or as inbound leads months later, not against the campaign.\n"
        "- **Response curves are correlations over few months.** Spend rose when budgets or seasons did; a curve "
        "fitted on a year of monthly points has a wide interval, and it says nothing outside the spend it has seen.\n"
        "- **Adstock θ is an assumption** about carry-over. Test a choice with an experiment (a holdout region or a "
        "paused channel) before moving budget on it.")
