"""Campaigns: the 4Ps plan, campaign performance, attribution models that reconcile, and why spend is not sales."""

import streamlit as st

from queries import attribution, campaigns, metrics
from ui import chart_view, data, filters, format, widgets
from ui.charts import campaigns as charts

DEFAULT_MODEL = "linear"
# One section at a time: only its queries run and its charts draw. Kept in the URL (?view=…).
SECTIONS = {"plan": "Plan", "performance": "Performance", "attribution": "Attribution", "spend": "Spend ≠ sales"}
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


MONEY_COLUMNS = {"budget": "Budget", "spend_to_date": "Spend to date", "spend": "Spend", "pipeline": "Pipeline",
                 "won_revenue": "Won revenue", "cost_per_lead": "Cost per lead",
                 "attributed_revenue": "Attributed revenue", "attributed_pipeline": "Attributed pipeline",
                 "current_spend": "Monthly spend now",
                 "marginal_return": f"Pipeline per next {campaigns.MARGINAL_STEP:,.0f}",
                 "marginal_low": "… low (95 %)", "marginal_high": "… high (95 %)"}
PCT_COLUMNS = {"ctr": "CTR", "roi": "ROI", "spend_share": "Share of spend", "pipeline_share": "Share of pipeline",
               "share_gap": "Gap"}


def column_config(frame, symbol: str) -> dict:
    """Readable headers, money in the company currency and ratios as percentages, for the columns present."""
    config: dict = {"campaign_id": "Id", "campaign": "Campaign", "channel": "Channel", "objective": "Objective"}
    for name, label in MONEY_COLUMNS.items():
        if name in frame.columns:
            config[name] = st.column_config.NumberColumn(f"{label} ({symbol})", format="accounting")
    for name, label in PCT_COLUMNS.items():
        if name in frame.columns:
            config[name] = st.column_config.NumberColumn(label, format="percent")
    return config


f = filters.current()
symbol = format.settings().currency_symbol
st.title("Campaigns")
st.caption(f"Period {f.start:%d %b %Y} – {f.end:%d %b %Y}; status as of {f.as_of:%d %b %Y}"
           + (f" (frozen by the meeting “{widgets.escape_markdown(f.meeting_title)}”)." if f.meeting_title else "."))

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
if f.regions or f.segments or f.teams:
    st.caption("The region, segment and team filters do not narrow this page: campaigns, spend and attribution "
               "are company-wide.")

filters.seed("campaigns_view", "view", "plan", parse_section)
section = st.radio("Show", list(SECTIONS), key="campaigns_view", horizontal=True, format_func=SECTIONS.get,
                   label_visibility="collapsed")
filters.publish("view", section if section != "plan" else None)



if section in ("plan", "performance"):
    channel_options = data.load(campaigns.channels).channel.tolist()
    objective_col, channel_col, status_col = st.columns(3)
    objective = objective_col.selectbox("Objective", ["all", *campaigns.OBJECTIVES], key="campaigns_objective",
                                        format_func=lambda o: "All objectives" if o == "all" else o.capitalize())
    chosen_channels = channel_col.multiselect("Channels", channel_options, key="campaigns_channels",
                                              placeholder="All channels")
    statuses = status_col.multiselect("Status (plan only)", list(campaigns.STATUSES), key="campaigns_status",
                                      placeholder="Any status", disabled=section != "plan")
    objective_arg = None if objective == "all" else objective

if section == "plan":
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
        st.caption("Select a row to open the campaign. Planned: starts after the as-of day; running: in flight; "
                   "ended: finished before it. Spend to date counts delivery up to the as-of day.")
        event = st.dataframe(
            plan, key="campaigns_plan_table", on_select="rerun", selection_mode="single-row", hide_index=True,
            column_config={**column_config(plan, symbol),
                           "budget_used": st.column_config.ProgressColumn("Budget used", min_value=0, max_value=1,
                                                                          format="percent")})
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
            st.subheader(widgets.escape_markdown(row.campaign))
            st.caption(widgets.escape_markdown(
                f"{row.objective} · {row.channel} · product {row['product']} · price {row.price_point} · "
                f"place {row.place} · promotion {row.promotion} · {row.start_date:%d %b %Y} – "
                f"{row.end_date:%d %b %Y} · owner {row.owner}"))
            # The same arguments as the Performance section's tables, so both share one cached result.
            perf = campaigns.at_level(data.load(
                campaigns.performance_levels, start=f.start, end=f.end, channels=chosen_channels,
                objective=objective_arg, model=model, half_life_days=decay), "campaign")
            mine = perf[perf.campaign_id == detail_id]
            tiles = st.columns(5)
            if mine.empty:
                st.caption("No spend, leads, pipeline or attributed revenue in the period.")
            else:
                m = mine.iloc[0]
                model_note = f"Attributed by the {attribution.model_label(model)} model."
                tiles[0].metric(metrics.label("spend"), format.money(m.spend), help=metrics.help("spend"))
                tiles[1].metric(metrics.label("leads"), format.count(m.leads),
                                help=metrics.help("leads", "Here: the leads this campaign sourced."))
                tiles[2].metric(metrics.label("sourced_pipeline"), format.money(m.pipeline),
                                help=metrics.help("sourced_pipeline"))
                tiles[3].metric(metrics.label("attributed_revenue"), format.money(m.won_revenue),
                                help=metrics.help("attributed_revenue", model_note))
                tiles[4].metric(metrics.label("roi"), format.pct(m.roi), help=metrics.help("roi", model_note))
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
                st.dataframe(notes, hide_index=True, key="campaigns_feedback_table",
                             column_config={"body": st.column_config.TextColumn("Feedback", width="large")})

if section == "performance":
    # One query gives the channel rows and the campaign rows; campaigns.at_level picks one.
    performance = data.load(campaigns.performance_levels, start=f.start, end=f.end, channels=chosen_channels,
                            objective=objective_arg, model=model, half_life_days=decay)
    by_channel = campaigns.at_level(performance, "channel")
    if by_channel.empty:
        widgets.empty("No campaign spent, sourced leads or won revenue in this period. Widen the period.")
    else:
        st.caption("Leads and pipeline: what each campaign sourced. Won revenue: what the chosen model attributes. "
                   "ROI = (attributed won revenue − spend) / spend.")
        chart_view.draw(charts.performance_by_channel(by_channel, symbol=symbol), key="campaigns_channel_chart")
        st.caption(" ".join(metrics.caption(key) for key in ("ctr", "cost_per_lead", "roi")))
        channel_table = by_channel.drop(columns=["campaign_id", "campaign", "objective"])
        st.dataframe(channel_table, hide_index=True, key="campaigns_channel_table",
                     column_config=column_config(channel_table, symbol))
        widgets.download_csv(channel_table, file_name="performance_by_channel.csv", key="campaigns_channel_csv")
        st.markdown("**Per campaign**")
        per_campaign = campaigns.at_level(performance, "campaign")
        st.dataframe(per_campaign, hide_index=True, key="campaigns_performance_table",
                     column_config=column_config(per_campaign, symbol))
        widgets.download_csv(per_campaign, file_name="performance_by_campaign.csv", key="campaigns_performance_csv")

if section == "attribution":
    credit = data.load(attribution.revenue_by_campaign, start=f.start, end=f.end, model=model,
                       half_life_days=decay)
    if credit.empty:
        widgets.empty("No deal was won in this period, so there is no revenue to attribute. Widen the period.")
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
        st.dataframe(credit, hide_index=True, key="campaigns_attribution_table",
                     column_config=column_config(credit, symbol))
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
        st.dataframe(side_by_side, key="campaigns_model_table",
                     column_config={label: st.column_config.NumberColumn(f"{label} ({symbol})", format="accounting")
                                    for label in labels.values()})
        widgets.download_csv(comparison, file_name="attribution_by_channel.csv", key="campaigns_model_csv")

    reach = data.load(attribution.sourced_vs_influenced, start=f.start, end=f.end)
    if reach.empty or not (reach.sourced_pipeline.sum() or reach.influenced_pipeline.sum()):
        widgets.empty("No deal was created in this period, so there is no pipeline to source or influence.")
    else:
        st.caption("Sourced: the deal's lead came from a campaign of the channel. Influenced: a campaign of the "
                   "channel touched the lead before the deal was created. A deal can be influenced by several "
                   "channels, so influenced pipeline adds up to more than the total.")
        chart_view.draw(charts.sourced_vs_influenced(reach, symbol=symbol), key="campaigns_reach_chart")
        st.caption(metrics.caption("sourced_pipeline"))
        widgets.download_csv(reach, file_name="sourced_vs_influenced.csv", key="campaigns_reach_csv")

if section == "spend":
    theta = st.slider("Carry-over θ (share of a month's spend still working the next month)", 0.0, 0.95,
                      THETA_DEFAULT, 0.05, key="campaigns_theta")
    # The section's three queries start now and run while it draws (ui.data.start); the fit is the slow one.
    curves_query = data.start(campaigns.response_curves, start=f.start, end=f.end)
    over_query = data.start(campaigns.overspend, start=f.start, end=f.end, model=model, half_life_days=decay)
    monthly_all = data.load(campaigns.spend_vs_pipeline, start=f.start, end=f.end, theta=theta)
    if monthly_all.empty or not monthly_all.spend.any():
        widgets.empty("No campaign spend in this period. Widen the period or import spend on the Data page.")
    else:
        chart_view.draw(charts.spend_vs_pipeline(monthly_all, theta=theta, symbol=symbol, through=min(f.end, f.as_of)),
                        key="campaigns_spend_chart")
        widgets.download_csv(monthly_all, file_name="spend_vs_pipeline.csv", key="campaigns_spend_csv")

    st.subheader("Where the next dollar returns the most")
    curves = curves_query.result()
    fitted = curves[curves.b.notna()] if not curves.empty else curves
    if fitted.empty:
        widgets.empty(f"No channel has {campaigns.MIN_FIT_MONTHS} months with spend in this period, too few to "
                      "fit a response curve. Widen the period.")
    else:
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
        channel_months = data.load(campaigns.spend_vs_pipeline, start=f.start, end=f.end, theta=theta,
                                   channel=channel)
        chart_view.draw(charts.response_curve(channel_months, fit.to_dict(), channel=channel, symbol=symbol,
                                              through=min(f.end, f.as_of)), key="campaigns_curve_chart")
        table = curves[["channel", "months", "current_spend", "marginal_return", "marginal_low", "marginal_high",
                        "b", "b_low", "b_high", "r_squared"]]
        st.dataframe(table, hide_index=True, key="campaigns_curve_table", column_config=column_config(table, symbol))
        widgets.download_csv(curves, file_name="response_curves.csv", key="campaigns_curve_csv")

    st.subheader("Spend far ahead of pipeline")
    over = over_query.result()
    if over.empty:
        widgets.empty("No campaign's share of spend is at least twice its share of attributed pipeline.")
    else:
        st.caption(f"Campaigns whose share of spend is at least twice their share of pipeline created in the period "
                   f"(credited by the {attribution.model_label(model)} model), largest gap first.")
        chart_view.draw(charts.overspend(over.head(10)), key="campaigns_overspend_chart")
        st.dataframe(over, hide_index=True, key="campaigns_overspend_table", column_config=column_config(over, symbol))
        widgets.download_csv(over, file_name="overspend.csv", key="campaigns_overspend_csv")

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
