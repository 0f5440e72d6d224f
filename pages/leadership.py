"""Brand & quota: long-horizon brand metrics beside monthly quota progress, and the lag explorer between them."""

from datetime import date

import pandas as pd
import streamlit as st

from queries import brand, deals, lag, metrics, quota
from ui import chart_view, data, filters, format, needs, tables, widgets
from ui.charts import leadership as charts

BRAND_METRICS = ("aided_awareness", "unaided_awareness", "consideration", "share_of_voice", "share_of_search",
                 "branded_search")
HORIZONS = {"12": "12 months", "24": "24 months", "36": "36 months", "all": "All"}
MAX_LAG = 12
# What each sales series of the lag explorer is counted from.
SALES_TABLES = {"pipeline_created": ("deals",), "won_revenue": ("deals",), "sqls": ("leads",),
                "inbound_leads": ("leads",)}
ALL_HISTORY = date(2000, 1, 1)


def choice(options):
    """A URL parser that accepts only one of the given options."""
    def parse(text: str) -> str:
        if text not in options:
            raise ValueError(text)
        return text
    return parse


def parse_lag(text: str) -> int:
    value = int(text)
    if not 0 <= value <= MAX_LAG:
        raise ValueError(text)
    return value


def months_back(as_of: date, months: int) -> date:
    return (pd.Timestamp(as_of).to_period("M") - (months - 1)).start_time.date()


def versus(row: pd.Series, months_back: int, metric: str) -> dict:
    """A brand tile's change against the month before (1) or a year before (12), naming that month; none when that
    month has no reading."""
    change = row.mom_change if months_back == 1 else row.yoy_change
    month = pd.Timestamp(row.month) - pd.DateOffset(months=months_back)
    return format.delta(change, unit="points", metric=metric, against=f"vs {month:%b %Y}")


BRAND_TABLE_UNITS = {"branded_search": "count", "web_visits": "count"}


def reading(value: float, metric: str, *, change: bool = False) -> str:
    """A brand reading as text for the every-metric table, whose rows mix units: 33.9% (or +1.2 pp), 12,345 (+310)."""
    if pd.isna(value):
        return "—"
    if BRAND_TABLE_UNITS.get(metric) == "count":
        return f"{value:+,.0f}" if change else f"{value:,.0f}"
    return f"{value:+.1f} pp" if change else f"{value:.1f}%"


def reading_help(row: pd.Series) -> str:
    """A brand tile's detail: which month it is, when it was published, and the two months it is compared with."""
    month = pd.Timestamp(row.month)
    before, year_ago = month - pd.DateOffset(months=1), month - pd.DateOffset(years=1)

    def shown(value: float) -> str:
        return "no reading" if pd.isna(value) else f"{value:.1f}%"

    return (f"{month:%B %Y}, {region_text}: the latest month published as of {f.as_of:%d %b %Y} (a month's reading "
            f"counts from the 1st of the next). The month before ({before:%b %Y}): {shown(row.previous_month_value)}; "
            f"a year before ({year_ago:%b %Y}): {shown(row.year_ago_value)}.")


f = filters.current()
settings = format.settings()
symbol = settings.currency_symbol
region = f.regions[0] if len(f.regions) == 1 else "all"
region_text = region if region != "all" else "all regions"

st.title("Brand & quota")
st.caption(f"As of {f.as_of:%d %b %Y} · brand metrics for {region_text}"
           + (" (pick exactly one region to see its own brand tracking)" if len(f.regions) > 1 else "")
           + f" · teams: {', '.join(f.teams) if f.teams else 'all'}"
           + f" · segments (pipeline and the lag explorer): {', '.join(f.segments) if f.segments else 'all'}"
           + " · regions apply to quotas and deals by the rep's region, to leads by their own")

# ── Tiles: this month against the same point last month ──────────────────────────────────────────────────────
# Every query whose arguments the filters (or the page's controls) fix starts now and runs while the page draws
# (ui.data.start). The controls' values are known before they are drawn: a seeded or changed widget's value is in
# session_state when the run begins.
default_horizon = str(settings.default_horizon_months) if settings.default_horizon_months else "all"
filters.seed("leadership_horizon", "horizon", default_horizon if default_horizon in HORIZONS else "24",
             choice(HORIZONS))
filters.seed("leadership_metric", "metric", "aided_awareness", choice(BRAND_METRICS))
filters.seed("leadership_lag_brand", "brand", "aided_awareness", choice(BRAND_METRICS))
filters.seed("leadership_lag_sales", "sales", "pipeline_created", choice(charts.SALES_LABELS))
horizon, metric = st.session_state["leadership_horizon"], st.session_state["leadership_metric"]
brand_metric, sales_series = st.session_state["leadership_lag_brand"], st.session_state["leadership_lag_sales"]
brand_start = ALL_HISTORY if horizon == "all" else months_back(f.as_of, int(horizon))
window = {"brand_metric": brand_metric, "sales_series": sales_series, "start": ALL_HISTORY, "end": f.as_of,
          "region": region, "segments": f.segment_list, "regions": f.region_list}
correlation_query = data.start(lag.cross_correlation, max_lag=MAX_LAG, **window)
series_query = data.start(brand.metric_series, metric=metric, start=brand_start, end=f.as_of, region=region)
booked_query = data.start(quota.month_to_date, as_of=f.as_of, teams=f.team_list, regions=f.region_list)
pipeline_query = data.start(quota.pipeline_month_to_date, as_of=f.as_of, segments=f.segment_list,
                            teams=f.team_list, regions=f.region_list)
latest_query = data.start(brand.latest, as_of=f.as_of, region=region,
                          metrics=["aided_awareness", "share_of_voice"])
# Brand spend per month from the horizon's first month (the chart draws it from the series' first month on).
spend_query = data.start(brand.spend_by_month, start=brand_start, end=f.as_of)
every_metric_query = data.start(brand.latest, as_of=f.as_of, region=region)
history_query = data.start(quota.attainment, start=f.start, end=f.end, by="all", teams=f.team_list,
                           regions=f.region_list)
# One query gives the total and every team; deals.at_level picks one.
pace_levels_query = data.start(quota.pacing_levels, as_of=f.as_of, teams=f.team_list, regions=f.region_list)
daily_query = data.start(quota.daily_pacing, as_of=f.as_of, by="all", teams=f.team_list, regions=f.region_list)
team_daily_query = data.start(quota.daily_pacing, as_of=f.as_of, by="team", teams=f.team_list,
                              regions=f.region_list)

held = needs.rows()
has_deals, has_quotas, has_brand = held["deals"] > 0, held["quotas"] > 0, held["brand_metrics"] > 0
if not (has_deals or has_brand):
    needs.met("deals", "brand_metrics", what="Brand & quota", key="leadership_all")
    st.stop()
booked = booked_query.result().set_index("period")
pipeline = pipeline_query.result().set_index("period")
latest = latest_query.result().set_index("metric")

now, pipe = booked.loc["current"], pipeline.loc["current"]
before = booked.loc["previous"]
same_day = f"vs {before.through.day} {before.through:%b}"
tiles = st.columns(5)
if has_quotas:
    tiles[0].metric(
        metrics.label("attainment", label_index=1), format.pct(now.attainment_to_date),
        **format.delta(now.attainment_change * 100, unit="points", metric="attainment", against=same_day),
        help=metrics.help("attainment", f"Won revenue closed {now.month:%d %b}–{now.through:%d %b}: "
                          f"{format.money(now.booked_to_date)} of a {format.money(now.quota)} quota for "
                          f"{now.month:%B}. Change: against the same day last month, {before.through:%d %b}."),
        border=True)
elif has_deals:
    tiles[0].metric(
        metrics.label("booked_revenue", label_index=1), format.money(now.booked_to_date),
        **format.delta(now.booked_to_date - before.booked_to_date, unit="money", metric="booked_revenue",
                       against=same_day),
        help=metrics.help("booked_revenue", f"{now.month:%d %b}–{now.through:%d %b}; change against the same days "
                          "last month. Attainment needs quotas: import them on the Data page."), border=True)
if has_deals:
    tiles[1].metric(
        metrics.label("pipeline_created"), format.money(pipe.pipeline_created),
        **format.delta(pipe.pipeline_change, unit="relative", metric="pipeline_created",
                       against=f"vs {pipe.month - pd.DateOffset(months=1):%b} 1–{before.through.day}"),
        help=metrics.help("pipeline_created", "Change: against the same days last month."), border=True)
    if held["leads"]:
        tiles[2].metric(
            metrics.label("sourced_share"), format.pct(pipe.marketing_share),
            **format.delta(pipe.share_change * 100, unit="points", metric="sourced_share", against=same_day),
            help=metrics.help("sourced_share", "This month to date; change: against the same days last month."),
            border=True)
    else:
        tiles[2].metric(metrics.label("sourced_share"), "—", border=True,
                        help=metrics.help("sourced_share", "Which deals marketing sourced needs the leads they came "
                                          "from: import leads on the Data page."))
if has_brand and "aided_awareness" in latest.index:
    aided = latest.loc["aided_awareness"]
    tiles[3].metric(metrics.label("aided_awareness", label_index=2, month=f"{aided.month:%b}"),
                    f"{aided.value:.1f}%", **versus(aided, 12, "aided_awareness"),
                    help=metrics.help("aided_awareness", reading_help(aided)), border=True)
elif has_brand:
    tiles[3].metric(metrics.label("aided_awareness"), "—",
                    help=metrics.help("aided_awareness", f"No aided awareness published for {region_text} by "
                                      f"{f.as_of:%d %b %Y}."), border=True)
if has_brand and "share_of_voice" in latest.index:
    voice = latest.loc["share_of_voice"]
    tiles[4].metric(metrics.label("share_of_voice", label_index=1, month=f"{voice.month:%b}"),
                    f"{voice.value:.1f}%", **versus(voice, 1, "share_of_voice"),
                    help=metrics.help("share_of_voice", reading_help(voice)), border=True)
elif has_brand:
    tiles[4].metric(metrics.label("share_of_voice"), "—",
                    help=metrics.help("share_of_voice", f"No share of voice published for {region_text} by "
                                      f"{f.as_of:%d %b %Y}."), border=True)
if has_deals:
    widgets.left_out(pipe.deals_without_amount, total=pipe.deals_created, things="deals created this month",
                     lacking="no amount", figure="pipeline created")
    if pipe.deals_without_created_date:
        st.caption(f":material/info: {int(pipe.deals_without_created_date):,} deals in this selection have no created "
                   "date: no month's pipeline created counts them.")

left, right = st.columns(2, gap="large")

# ── Marketing clock ───────────────────────────────────────────────────────────────────────────────────────────
with left:
    st.subheader("Marketing clock")
    if needs.met("brand_metrics", what="The marketing clock", key="leadership_brand"):
        pick_horizon, pick_metric = st.columns(2)
        pick_horizon.radio("Horizon", list(HORIZONS), format_func=HORIZONS.get, horizontal=True,
                           key="leadership_horizon")
        pick_metric.selectbox("Brand metric", BRAND_METRICS, format_func=charts.BRAND_LABELS.get,
                              key="leadership_metric")
        filters.publish("horizon", horizon)
        filters.publish("metric", metric)
        series = series_query.result()
        if series.empty:
            widgets.empty(f"No {charts.BRAND_LABELS[metric].lower()} published for {region_text} in this horizon. "
                          "Pick a longer horizon, or select a single other region (or none for all regions).")
        else:
            launches_query = data.start(brand.large_launches, start=series.month.min(), end=f.as_of)
            spend, launches = spend_query.result(), launches_query.result()
            view, tab = chart_view.tabs({"trend": "Trend", "year": "Against a year before"},
                                        key="leadership_brand_view", param="brand_view")
            with tab:
                if view == "trend":
                    chart_view.draw(charts.brand_series(series, spend, launches, metric=metric, symbol=symbol,
                                                        through=f.as_of), key="leadership_brand_chart")
                    st.caption("Monthly values and their 3-month average; bars on the right axis: spend on brand "
                               "campaigns (all regions). Triangles mark the launches of the largest campaigns in the "
                               "horizon." + ("" if held["campaign_spend"] else " No spend is drawn: import campaigns "
                                             "and spend on the Data page to see it beside the brand."))
                else:
                    chart_view.draw(charts.brand_yoy(series, metric=metric, through=f.as_of),
                                    key="leadership_brand_yoy_chart")
            st.caption(metrics.caption(metric))
            widgets.download_csv(series.merge(spend, on="month", how="left"),
                                 file_name=f"brand_{metric}_{region}.csv", key="leadership_brand_csv",
                                 label="Download brand data (CSV)")
            if not launches.empty:
                with st.expander("Large campaign launches"):
                    tables.show(launches, key="leadership_launches_table", labels={"name": "Campaign"})

        every_metric = every_metric_query.result()
        if not every_metric.empty:
            # One month for every metric (the usual case) is named in the heading and the comparison columns.
            months = every_metric.month.unique()
            month = pd.Timestamp(months[0]) if len(months) == 1 else None
            before = "" if month is None else f" ({month - pd.DateOffset(months=1):%b %Y})"
            year_ago = "" if month is None else f" ({month - pd.DateOffset(years=1):%b %Y})"
            st.markdown(f"**Every brand metric, {'latest published month' if month is None else f'{month:%B %Y}'} "
                        f"({region_text})**")
            # The rows mix units (percentages, searches and visits per month): each value is written with its own.
            shown = pd.DataFrame({
                "name": every_metric.metric.map(charts.BRAND_LABELS), "month": every_metric.month,
                **{column: [reading(v, m, change=column.endswith("change"))
                            for v, m in zip(every_metric[column], every_metric.metric, strict=True)]
                   for column in ("value", "previous_month_value", "mom_change", "year_ago_value", "yoy_change")}})
            tables.show(shown, key="leadership_brand_table", labels={
                "name": "Metric", "value": "Value", "previous_month_value": f"Month before{before}",
                "mom_change": "Change vs month before", "year_ago_value": f"A year before{year_ago}",
                "yoy_change": "Change vs a year before"})
            st.caption("Each metric's latest month published by the as-of date (a month's reading counts from the 1st "
                       "of the next). Awareness, consideration and the shares in percent (their changes in "
                       "percentage points); searches and visits per month.")
            widgets.download_csv(every_metric, file_name=f"brand_latest_{region}.csv",
                                 key="leadership_brand_table_csv", label="Download every brand metric (CSV)")

# ── Sales clock ───────────────────────────────────────────────────────────────────────────────────────────────
with right:
    st.subheader("Sales clock")
    if needs.met("reps", "deals", what="The sales clock", key="leadership_sales"):
        view, tab = chart_view.tabs({"months": "Booked by month", "month": "This month's pacing",
                                     "teams": "Pacing by team"}, key="leadership_sales_view", param="sales_view")
        with tab:
            if view == "months":
                history = history_query.result()
                if history.empty:
                    widgets.empty("No quota and no won deals for the selected teams and regions in this period. "
                                  "Widen the period or the filters.")
                else:
                    chart_view.draw(charts.attainment_by_month(history, symbol=symbol, through=min(f.end, f.as_of)),
                                    key="leadership_attainment_chart")
                    st.caption(metrics.caption("attainment") + ("" if has_quotas else " Without quotas only the "
                                                                "bookings are drawn."))
                    widgets.download_csv(history, file_name="attainment_by_month.csv",
                                         key="leadership_attainment_csv", label="Download attainment (CSV)")
            elif needs.met("quotas", what="This month's pacing", key="leadership_pacing"):
                pace_levels = pace_levels_query.result()
                pace = deals.at_level(pace_levels, "all")
                if pace.empty or pace.quota.isna().all():
                    widgets.empty(f"No quota is set for {f.as_of:%B %Y} for the selected teams and regions, so "
                                  "there is no pacing to show. Change the team or region filter, or import that "
                                  "month's quotas.")
                elif view == "month":
                    total = pace.iloc[0]
                    daily = daily_query.result()
                    numbers = st.columns(4)
                    numbers[0].metric(metrics.label("booked_revenue", label_index=1),
                                      format.money(total.booked_to_date), help=metrics.help("booked_revenue"))
                    numbers[1].metric(metrics.label("pacing_line"), format.money(total.expected_to_date),
                                      help=metrics.help("pacing_line"))
                    numbers[2].metric(metrics.label("projected_run_rate", label_index=1),
                                      format.money(total.projected), help=metrics.help("projected_run_rate"))
                    numbers[3].metric(metrics.label("required_per_day"), format.money(total.required_per_day),
                                      help=metrics.help("required_per_day"))
                    chart_view.draw(charts.pacing(daily, total, as_of=f.as_of, symbol=symbol),
                                    key="leadership_pacing_chart")
                    widgets.download_csv(daily, file_name=f"pacing_{f.as_of:%Y_%m}.csv",
                                         key="leadership_pacing_csv", label="Download daily pacing (CSV)")
                else:
                    by_team = deals.at_level(pace_levels, "team")
                    team_daily = team_daily_query.result()
                    chart_view.draw(charts.pacing_by_team(team_daily, by_team, as_of=f.as_of, symbol=symbol),
                                    key="leadership_pacing_teams_chart")
                    widgets.download_csv(by_team, file_name=f"pacing_by_team_{f.as_of:%Y_%m}.csv",
                                         key="leadership_pacing_teams_csv", label="Download pacing by team (CSV)")

# ── Bridge: lag explorer ──────────────────────────────────────────────────────────────────────────────────────
st.divider()
st.subheader("Bridge: does the brand lead sales?")
pick_brand, pick_sales = st.columns(2)
pick_brand.selectbox("Brand series", BRAND_METRICS, format_func=charts.BRAND_LABELS.get, key="leadership_lag_brand")
pick_sales.selectbox("Sales series", list(charts.SALES_LABELS), format_func=charts.SALES_LABELS.get,
                     key="leadership_lag_sales")
filters.publish("brand", brand_metric)
filters.publish("sales", sales_series)

if not needs.met("brand_metrics", *SALES_TABLES[sales_series], what="The lag explorer", key="leadership_lag"):
    st.stop()
correlation = correlation_query.result()
found = correlation.dropna(subset=["r"])
best = found.loc[found.r.idxmax()] if not found.empty else None
filters.seed("leadership_lag", "lag", int(best.lag_months) if best is not None else 0, parse_lag)
# The shift is known once seeded (or as the viewer left it): its series runs while the correlation chart is drawn.
shifted_query = None if best is None else data.start(lag.monthly_series, lag=st.session_state["leadership_lag"],
                                                     **window)
chosen = st.slider("Shift the brand series forward by (months)", 0, MAX_LAG, key="leadership_lag")
filters.publish("lag", chosen)

brand_name, sales_name = charts.BRAND_LABELS[brand_metric], charts.SALES_LABELS[sales_series]
if best is None:
    widgets.empty(f"Not enough complete months of {brand_name.lower()} ({region_text}) and "
                  f"{sales_name.lower()} to correlate (at least {lag.MIN_PAIRS} are needed), or one of the two "
                  "never changes. Choose other series or widen the region and segment filters.")
else:
    months = int(best.n_months)
    k = int(best.lag_months)
    if best.r >= 0.3:
        st.markdown(f"**{brand_name} leads {sales_name.lower()} by {k} month{'s' if k != 1 else ''}, "
                    f"r = {best.r:.2f} over {months} months.**")
    else:
        st.markdown(f"**No clear lead: the strongest correlation of {brand_name.lower()} with "
                    f"{sales_name.lower()} is r = {best.r:.2f} at {k} months, over {months} months.**")
    at_chosen = correlation.set_index("lag_months").loc[chosen]
    st.caption(f"Shifted by {chosen} months: r = {at_chosen.r:.2f} over {int(at_chosen.n_months)} months."
               if pd.notna(at_chosen.r) else f"Shifted by {chosen} months: too few months overlap for r.")
    view, tab = chart_view.tabs({"lags": "Correlation by lag", "shifted": "Both series, the brand shifted"},
                                key="leadership_lag_view", param="lag_view")
    with tab:
        if view == "lags":
            chart_view.draw(charts.correlation_by_lag(correlation, best_lag=k, chosen_lag=chosen, brand=brand_metric,
                                                      sales=sales_series), key="leadership_lag_chart")
            widgets.download_csv(correlation, file_name=f"lag_{brand_metric}_{sales_series}.csv",
                                 key="leadership_lag_csv", label="Download correlations (CSV)")
        else:
            shifted = shifted_query.result()
            chart_view.draw(charts.shifted_series(shifted, lag=chosen, brand=brand_metric, sales=sales_series,
                                                  symbol=symbol), key="leadership_shift_chart")
            widgets.download_csv(shifted, file_name=f"shifted_{brand_metric}_{sales_series}_{chosen}.csv",
                                 key="leadership_shift_csv", label="Download shifted series (CSV)")
st.caption(
    f"How this is measured: every complete calendar month up to the as-of date ({region_text} for the brand "
    "series; the region and segment filters apply to leads and deals). Both monthly series are **detrended "
    "linearly** first (each minus its own straight-line trend), then Pearson r is taken between the brand series "
    "at month t − lag and the sales series at month t. Detrending keeps two series that merely both grow from "
    "looking related. **This is correlation, not proof of cause**: seasonality, a shared driver or chance can "
    "produce the same pattern."
)
