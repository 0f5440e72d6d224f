"""Campaign queries: plan, performance, spend vs pipeline, overspend and the response-curve fit; exact numbers on
tests/fixtures/campaigns.sql (on base.sql + attribution.sql), invariants on the generated sample."""

from __future__ import annotations

import math
from datetime import date

import numpy as np
import pandas as pd
import pytest
from conftest import FIXTURES, build_db
from scipy import optimize

from queries import attribution, campaigns, db
from sample_data import truths

MARCH_APRIL = {"start": date(2026, 3, 1), "end": date(2026, 4, 30)}
SAMPLE_YEAR = {"start": date(2025, 12, 1), "end": date(2026, 11, 26)}

# Every named query of the two domains, and the test that pins it down (a new SQL file must be added here).
QUERY_FILES = {
    "attribution/credit_macro": "test_attribution.py (every model, exact)",
    "attribution/revenue_by_campaign": "test_attribution.py::test_attribution_april_exact_per_model",
    "attribution/revenue_by_channel": "test_attribution.py::test_attribution_revenue_by_channel_side_by_side",
    "attribution/sourced_vs_influenced": "test_attribution.py::test_attribution_sourced_vs_influenced_exact",
    "campaigns/channels": "test_campaigns_channels",
    "campaigns/plan": "test_campaigns_plan_status_by_as_of",
    "campaigns/performance": "test_campaigns_performance_exact",
    "campaigns/performance_gaps": "test_campaigns_performance_gaps_count_what_the_figures_leave_out",
    "campaigns/spend_by_month": "test_campaigns_spend_by_month_and_feedback",
    "campaigns/feedback": "test_campaigns_spend_by_month_and_feedback",
    "campaigns/spend_vs_pipeline": "test_campaigns_spend_vs_pipeline_exact",
    "campaigns/monthly_by_channel": "test_campaigns_monthly_by_channel_equals_spend_vs_pipeline",
    "campaigns/overspend": "test_campaigns_overspend_exact",
}


@pytest.fixture(scope="module")
def con(tmp_path_factory):
    path = build_db(tmp_path_factory.mktemp("campaigns") / "fixture.duckdb", "base.sql", "attribution.sql",
                    "campaigns.sql")
    connection = db.connect(path, read_only=True)
    yield connection
    connection.close()


def test_campaigns_every_sql_file_has_a_test():
    files = {f"{p.parent.name}/{p.stem}" for domain in ("attribution", "campaigns")
             for p in (db.SQL_DIR / domain).glob("*.sql")}
    assert files == set(QUERY_FILES)


@pytest.mark.slow
def test_campaigns_channels(con):
    frame = campaigns.channels(con)
    assert dict(zip(frame.channel, frame.campaigns, strict=True)) == {
        "content": 1, "display": 1, "events": 1, "search": 1, "video": 2}


def test_campaigns_plan_status_by_as_of(con):
    frame = campaigns.plan(con, **MARCH_APRIL, as_of=date(2026, 4, 15))
    # C6 ran in 2025: outside the period and not planned, so not listed. C4 starts in September: planned.
    assert frame.campaign_id.tolist() == ["C4", "C2", "C1", "C5", "C3"]
    assert dict(zip(frame.campaign_id, frame.status, strict=True)) == {
        "C4": "planned", "C2": "running", "C1": "running", "C5": "ended", "C3": "running"}
    rows = frame.set_index("campaign_id")
    assert rows.loc["C1", "spend_to_date"] == 1000.00 and rows.loc["C1", "budget_used"] == pytest.approx(0.1)
    assert rows.loc["C2", "spend_to_date"] == 500.00  # the 20 April spend is after as-of
    assert rows.loc["C3", "spend_to_date"] == 10000.00 and rows.loc["C3", "budget_used"] == pytest.approx(0.2)
    assert rows.loc["C1", ["product", "price_point", "place", "promotion", "owner"]].tolist() == [
        "Core", "list", "online", "launch", "Mo"]
    # A planning meeting freezing an earlier as-of day changes the status.
    earlier = campaigns.plan(con, **MARCH_APRIL, as_of=date(2026, 3, 10))
    assert dict(zip(earlier.campaign_id, earlier.status, strict=True)) == {
        "C4": "planned", "C2": "planned", "C1": "running", "C5": "running", "C3": "running"}


def test_campaigns_plan_filters(con):
    as_of = {"as_of": date(2026, 4, 15)}
    assert campaigns.plan(con, **MARCH_APRIL, **as_of, objective="brand").campaign_id.tolist() == ["C4", "C3"]
    assert campaigns.plan(con, **MARCH_APRIL, **as_of, channels=["video"]).campaign_id.tolist() == ["C5"]
    assert campaigns.plan(con, **MARCH_APRIL, **as_of, status=["ended"]).campaign_id.tolist() == ["C5"]
    assert campaigns.plan(con, **MARCH_APRIL, **as_of, status=("planned", "running"),
                          channels=("search", "events")).campaign_id.tolist() == ["C4", "C1"]
    with pytest.raises(db.TandemError, match="status"):
        campaigns.plan(con, **MARCH_APRIL, **as_of, status=["paused"])
    with pytest.raises(db.TandemError, match="objective"):
        campaigns.plan(con, **MARCH_APRIL, **as_of, objective="awareness")


PERFORMANCE_COLUMNS = ["campaign_id", "campaign", "channel", "objective", "spend", "impressions", "clicks", "ctr",
                       "leads", "cost_per_lead", "mqls", "sqls", "pipeline", "won_revenue", "roi",
                       "days_without_impressions", "days_without_clicks", "deals_without_amount",
                       "leads_without_created_date", "deals_without_created_date"]
# What a figure left out, counted: none on these fixtures or on the sample (every value there is known).
LEFT_OUT = [name for name in PERFORMANCE_COLUMNS if "_without_" in name]


def test_campaigns_performance_exact(con):
    frame = campaigns.performance(con, **MARCH_APRIL)
    assert list(frame.columns) == PERFORMANCE_COLUMNS
    assert (frame[LEFT_OUT] == 0).all().all()
    # Ordered by spend, then won revenue; C4, C5, C6 did nothing in the period and are left out.
    assert frame.campaign_id.tolist() == ["C3", "C2", "C1"]
    got = frame.set_index("campaign_id")
    c1 = got.loc["C1"]
    assert (c1.spend, c1.impressions, c1.clicks, c1.leads, c1.mqls, c1.sqls) == (1000.0, 6000, 300, 3, 3, 1)
    assert c1.ctr == pytest.approx(0.05) and c1.cost_per_lead == pytest.approx(1000 / 3)
    # Sourced pipeline: D1 1,000 + D2 3,000 + D3 15,000 + D7 9,999 + D8 7,777 + D9 4,444 (any stage).
    assert c1.pipeline == 41220.00
    assert c1.won_revenue == 6916.66 and c1.roi == pytest.approx((6916.66 - 1000) / 1000)
    c2 = got.loc["C2"]
    assert (c2.spend, c2.leads, c2.mqls, c2.pipeline, c2.won_revenue) == (1000.0, 1, 0, 2000.0, 9666.67)
    assert c2.ctr == pytest.approx(0.01) and c2.roi == pytest.approx(8.66667)
    c3 = got.loc["C3"]
    assert (c3.spend, c3.impressions, c3.leads, c3.pipeline, c3.won_revenue) == (9000.0, 300000, 0, 0.0, 4416.67)
    assert math.isnan(c3.cost_per_lead) and c3.roi == pytest.approx((4416.67 - 9000) / 9000)


@pytest.mark.slow
def test_campaigns_performance_follows_model_and_filters(con):
    first = campaigns.performance(con, **MARCH_APRIL, model="first_touch").set_index("campaign_id")
    assert first.won_revenue.to_dict() == {"C3": 0.0, "C2": 0.0, "C1": 21000.0}
    assert first.loc["C1", "roi"] == pytest.approx(20.0) and first.loc["C3", "roi"] == pytest.approx(-1.0)
    assert campaigns.performance(con, **MARCH_APRIL, objective="demand").campaign_id.tolist() == ["C2", "C1"]
    assert campaigns.performance(con, **MARCH_APRIL, channels=["display"]).campaign_id.tolist() == ["C3"]
    with pytest.raises(db.TandemError, match="model"):
        campaigns.performance(con, **MARCH_APRIL, model="magic")


def test_campaigns_performance_by_channel(con):
    frame = campaigns.performance_by_channel(con, **MARCH_APRIL)
    assert list(frame.columns) == PERFORMANCE_COLUMNS
    assert frame.channel.tolist() == ["display", "content", "search"]
    assert frame.campaign_id.isna().all() and frame.objective.isna().all()
    search = frame.set_index("channel").loc["search"]
    assert (search.spend, search.leads, search.pipeline, search.won_revenue) == (1000.0, 3, 41220.0, 6916.66)


def test_campaigns_performance_levels_give_both_tables_from_one_query(con):
    levels = campaigns.performance_levels(con, **MARCH_APRIL)
    assert list(levels.columns) == ["level", *PERFORMANCE_COLUMNS]
    # The campaign rows of test_campaigns_performance_exact first, then the channel rows, each in table order.
    assert list(zip(levels.level, levels.campaign_id.fillna(levels.channel), strict=True)) == [
        ("campaign", "C3"), ("campaign", "C2"), ("campaign", "C1"),
        ("channel", "display"), ("channel", "content"), ("channel", "search")]
    for level in ("campaign", "channel"):
        rows = levels[levels.level == level]
        assert rows.spend.sum() == 11000.0 and rows.won_revenue.sum() == pytest.approx(21000.0)
    before = levels.copy()
    per_campaign = campaigns.at_level(levels, "campaign")
    assert list(per_campaign.columns) == PERFORMANCE_COLUMNS and per_campaign.index.tolist() == [0, 1, 2]
    assert per_campaign.campaign_id.tolist() == ["C3", "C2", "C1"]
    assert campaigns.at_level(levels, "channel").channel.tolist() == ["display", "content", "search"]
    pd.testing.assert_frame_equal(levels, before)  # picking a level leaves the levels frame as it was
    demand = campaigns.performance_levels(con, **MARCH_APRIL, objective="demand")
    assert demand[demand.level == "channel"].channel.tolist() == ["content", "search"]
    with pytest.raises(ValueError, match="level must be"):
        campaigns.at_level(levels, "team")
    with pytest.raises(ValueError, match="performance_levels"):  # a frame of another *_levels function
        campaigns.at_level(pd.DataFrame({"level": ["all", "team"], "grp": ["all", "NA"]}), "channel")


def test_campaigns_spend_by_month_and_feedback(con):
    monthly = campaigns.spend_by_month(con, campaign_id="C1", **MARCH_APRIL)
    assert monthly.month.astype(str).tolist() == ["2026-03-01", "2026-04-01"]
    assert monthly.spend.tolist() == [400.0, 600.0] and monthly.clicks.tolist() == [200, 100]
    notes = campaigns.feedback(con, campaign_id="C3")
    assert notes.body.tolist() == ["One good lead", "<b>Nobody</b> *asks* about the billboard [link](http://x)"]
    assert campaigns.feedback(con, campaign_id="C2").empty


def test_campaigns_spend_vs_pipeline_exact(con):
    frame = campaigns.spend_vs_pipeline(con, **MARCH_APRIL, theta=0.5)
    assert list(frame.columns) == ["month", "spend", "adstocked_spend", "pipeline_created", "won_revenue",
                                   "deals_created", "deals_without_amount", "deals_without_created_date"]
    assert (frame[["deals_without_amount", "deals_without_created_date"]] == 0).all().all()
    assert frame.deals_created.tolist() == [8, 1]
    assert frame.month.astype(str).tolist() == ["2026-03-01", "2026-04-01"]
    assert frame.spend.tolist() == [2900.0, 8100.0]
    # February's 1,000 (before the period) carries over: 2,900 + 0.5·1,000; then 8,100 + 0.5·3,400.
    assert frame.adstocked_spend.tolist() == [3400.0, 9800.0]
    # Created in March: D1–D8 (any stage); in April: D9. Won by close month: D1–D6 in April.
    assert frame.pipeline_created.tolist() == [39526.0, 4444.0]
    assert frame.won_revenue.tolist() == [0.0, 21750.0]
    search = campaigns.spend_vs_pipeline(con, **MARCH_APRIL, theta=0.5, channel="search")
    assert search.spend.tolist() == [400.0, 600.0] and search.adstocked_spend.tolist() == [400.0, 800.0]
    assert search.pipeline_created.tolist() == [36776.0, 4444.0] and search.won_revenue.tolist() == [0.0, 19000.0]
    no_carry = campaigns.spend_vs_pipeline(con, **MARCH_APRIL, theta=0.0)
    assert no_carry.adstocked_spend.tolist() == no_carry.spend.tolist()
    with pytest.raises(db.TandemError, match="θ"):
        campaigns.spend_vs_pipeline(con, **MARCH_APRIL, theta=1.0)


def test_campaigns_monthly_by_channel_equals_spend_vs_pipeline(con):
    points = campaigns.monthly_by_channel(con, **MARCH_APRIL)
    assert list(points.columns) == ["channel", "month", "spend", "pipeline_created", "deals_without_amount"]
    assert points.channel.unique().tolist() == campaigns.channels(con).channel.tolist()
    shared = ["month", "spend", "pipeline_created", "deals_without_amount"]
    for channel, monthly in points.groupby("channel"):
        one = campaigns.spend_vs_pipeline(con, **MARCH_APRIL, channel=channel)
        pd.testing.assert_frame_equal(monthly[shared].reset_index(drop=True), one[shared], check_exact=True)
    search = points[points.channel == "search"]
    assert search.spend.tolist() == [400.0, 600.0] and search.pipeline_created.tolist() == [36776.0, 4444.0]


def test_campaigns_overspend_exact(con):
    frame = campaigns.overspend(con, **MARCH_APRIL)
    assert frame.campaign_id.tolist() == ["C3"]
    c3 = frame.iloc[0]
    # Pipeline created in March–April: 43,970; linear credit to C3: D3 3,750 + D6 666.67 + D9 2,222.
    assert c3.spend == 9000.0 and c3.spend_share == pytest.approx(9 / 11)
    assert c3.attributed_pipeline == 6638.67 and c3.pipeline_share == pytest.approx(6638.67 / 43970)
    assert c3.share_gap == pytest.approx(9 / 11 - 6638.67 / 43970)
    everyone = campaigns.overspend(con, **MARCH_APRIL, min_ratio=0.1)
    assert everyone.campaign_id.tolist() == ["C3", "C2", "C1"]
    assert set(everyone.deals_created) == {9} and set(everyone.deals_without_amount) == {0}


@pytest.fixture
def unknowns(make_db):
    connection = db.connect(make_db("base.sql", "unknowns.sql"), read_only=True)
    yield connection
    connection.close()


@pytest.mark.slow
def test_campaigns_performance_gaps_count_what_the_figures_leave_out(unknowns):
    april = {"start": date(2026, 4, 1), "end": date(2026, 4, 30)}
    gaps = campaigns.performance_gaps(unknowns, campaign_ids=["C1", "C7", "C8"], **april).iloc[0].to_dict()
    # Delivery in April: C7 on the 3rd (nothing reported) and the 4th, C8 on the 5th (no clicks), C1 on the 6th.
    # Deals from the leads they sourced (N1 from C1, N2 from C7, N4 from C8): U5 (created 2 April, no amount) and
    # U2 (no created date).
    assert gaps == {"delivery_days": 4, "days_without_impressions": 1, "days_without_clicks": 2,
                    "days_without_ctr": 2, "deals": 1, "deals_without_amount": 1, "deals_without_created_date": 1}
    c8 = campaigns.performance_gaps(unknowns, campaign_ids=["C8"], **april).iloc[0].to_dict()
    assert c8 == {"delivery_days": 1, "days_without_impressions": 0, "days_without_clicks": 1, "days_without_ctr": 1,
                  "deals": 0, "deals_without_amount": 0, "deals_without_created_date": 0}
    none = campaigns.performance_gaps(unknowns, campaign_ids=[], **april).iloc[0]
    assert (none == 0).all()
    # The deals the period's pipeline figures count from: U5 (no amount), U7 and U8 created in April.
    monthly = campaigns.spend_vs_pipeline(unknowns, **april, theta=0.0)
    assert monthly[["deals_created", "deals_without_amount"]].values.tolist() == [[3, 1]]
    over = campaigns.overspend(unknowns, **april, min_ratio=0.1)
    assert set(over.deals_created) == {3} and set(over.deals_without_amount) == {1}


def _monthly(spends, pipelines, first="2025-01-01"):
    months = pd.date_range(first, periods=len(spends), freq="MS").date
    return pd.DataFrame({"month": months, "spend": spends, "pipeline_created": pipelines})


def test_campaigns_fit_response_recovers_a_power_curve():
    spend = np.arange(1, 13) * 10_000.0
    fit = campaigns.fit_response(_monthly(spend, 50 * spend**0.7), end=date(2025, 12, 31))
    assert fit["months"] == 12 and fit["note"] == ""
    assert fit["a"] == pytest.approx(50, rel=1e-4) and fit["b"] == pytest.approx(0.7, rel=1e-5)
    assert fit["r_squared"] == pytest.approx(1.0)
    assert fit["current_spend"] == pytest.approx(110_000)  # the last three complete months
    assert fit["marginal_return"] == pytest.approx(50 * (120_000**0.7 - 110_000**0.7), rel=1e-4)
    # An exact curve leaves no uncertainty: the 95 % range collapses onto the estimate.
    assert fit["marginal_low"] == pytest.approx(fit["marginal_return"], rel=1e-6)
    assert fit["marginal_high"] == pytest.approx(fit["marginal_return"], rel=1e-6)
    # A partial last month is left out of "current spend".
    partial = campaigns.fit_response(_monthly(spend, 50 * spend**0.7), end=date(2025, 12, 15))
    assert partial["current_spend"] == pytest.approx(100_000)


def test_campaigns_fit_keeps_the_curve_within_its_bounds():
    # y = 2·x⁴: the unbounded optimum has b = 4, outside 0 ≤ b ≤ 3, so the bounded fit decides: b stops at 3.
    x = np.arange(1, 13, dtype=float)
    (a, b), _ = campaigns._fit_power(x, 2 * x**4, (1.0, 1.0))
    assert b == pytest.approx(3.0) and a > 2
    # Within the bounds both methods find the same optimum (noisy data, so neither is exact).
    rng = np.random.default_rng(3)
    y = 40 * x**0.6 * rng.lognormal(0, 0.3, 12)
    fast, _ = campaigns._fit_power(x, y, (40.0, 0.5))
    bounded, _ = optimize.curve_fit(campaigns._power, x, y, p0=(40.0, 0.5), bounds=([0.0, 0.0], [np.inf, 3.0]))
    assert fast == pytest.approx(bounded, rel=1e-4)
    # Degenerate data (one spend level; no pipeline at all) is left to the bounded fit, whose uncertainty stays
    # finite there (the unbounded one reports an infinite or meaningless covariance).
    for spend, pipeline in ((np.full(12, 20.0), y), (x, np.zeros(12))):
        params, cov = campaigns._fit_power(spend, pipeline, (1.0, 0.5))
        expected, expected_cov = optimize.curve_fit(campaigns._power, spend, pipeline, p0=(1.0, 0.5), maxfev=20_000,
                                                    bounds=([0.0, 0.0], [np.inf, 3.0]))
        assert params.tolist() == expected.tolist() and np.isfinite(cov).all()
        assert cov.tolist() == expected_cov.tolist()


def test_campaigns_fit_response_states_uncertainty_of_noisy_data():
    rng = np.random.default_rng(3)
    spend = rng.uniform(5_000, 100_000, 24)
    fit = campaigns.fit_response(_monthly(spend, 40 * spend**0.6 * rng.lognormal(0, 0.3, 24)), end=date(2027, 1, 1))
    assert fit["b_low"] < fit["b"] < fit["b_high"] and 0.3 < fit["b"] < 0.9
    assert fit["marginal_low"] < fit["marginal_return"] < fit["marginal_high"]


def test_campaigns_fit_response_needs_enough_months():
    fit = campaigns.fit_response(_monthly([1000.0, 2000.0, 0.0, 3000.0], [5.0, 9.0, 1.0, 12.0]),
                                 end=date(2025, 12, 31))
    assert fit["months"] == 3 and math.isnan(fit["b"]) and "at least" in fit["note"]


def test_campaigns_sample_response_curves(sample_con):
    curves = campaigns.response_curves(sample_con, **SAMPLE_YEAR)
    assert set(curves.channel) == set(truths.CHANNELS)
    assert (curves.months >= campaigns.MIN_FIT_MONTHS).all()
    assert (curves.b_low <= curves.b).all() and (curves.b <= curves.b_high).all()
    assert (curves.marginal_return >= 0).all() and curves.marginal_return.is_monotonic_decreasing
    # Channels without brand campaigns return pipeline at the margin. Display carries the stadium flight, the year's
    # biggest spend with no pipeline (truth 4): nothing returns less.
    by_channel = curves.set_index("channel").marginal_return
    assert (by_channel.drop(list(truths.BRAND_CHANNELS)) > 0).all()
    assert by_channel["display"] == by_channel.min()


@pytest.mark.parametrize("model", list(attribution.MODELS))
@pytest.mark.slow
def test_campaigns_sample_stadium_tops_the_overspend_list(sample_con, model):
    frame = campaigns.overspend(sample_con, **SAMPLE_YEAR, model=model)
    top = frame.iloc[0]
    assert top.campaign_id == truths.STADIUM_CAMPAIGN_ID and top.campaign == truths.STADIUM_CAMPAIGN_NAME
    assert top.spend_share > 10 * top.pipeline_share


@pytest.mark.slow
def test_campaigns_sample_invariants(sample_con):
    perf = campaigns.performance(sample_con, **SAMPLE_YEAR)
    spent = sample_con.execute("SELECT sum(spend) FROM campaign_spend WHERE day BETWEEN ? AND ?",
                               [SAMPLE_YEAR["start"], SAMPLE_YEAR["end"]]).fetchone()[0]
    assert perf.spend.sum() == pytest.approx(float(spent))
    by_channel = campaigns.performance_by_channel(sample_con, **SAMPLE_YEAR)
    assert by_channel.won_revenue.sum() == pytest.approx(perf.won_revenue.sum())
    monthly = campaigns.spend_vs_pipeline(sample_con, **SAMPLE_YEAR)
    assert len(monthly) == 12 and monthly.spend.sum() == pytest.approx(float(spent))
    assert (monthly.adstocked_spend >= monthly.spend).all()
    stadium = perf.set_index("campaign_id").loc[truths.STADIUM_CAMPAIGN_ID]
    assert stadium.spend == perf.spend.max() and stadium.leads == 0
    plan = campaigns.plan(sample_con, **SAMPLE_YEAR, as_of=SAMPLE_YEAR["end"])
    assert set(plan.status) == set(campaigns.STATUSES)


@pytest.mark.usefixtures("plotly_checks")  # as the app builds them, and with Plotly's checks on
def test_campaigns_charts_build_from_query_results(con):
    from ui.charts import campaigns as charts

    comparison = attribution.revenue_by_channel(con, start=date(2026, 4, 1), end=date(2026, 4, 30))
    labels = {key: spec["label"] for key, spec in attribution.MODELS.items()}
    fig = charts.model_comparison(comparison, labels=labels)
    assert [t.name for t in fig.data] == list(labels.values())
    assert all("Unattributed" not in list(t.x) for t in fig.data)
    assert dict(zip(fig.data[0].x, fig.data[0].y, strict=True)) == {"search": 21000.0}

    monthly = campaigns.spend_vs_pipeline(con, **MARCH_APRIL, theta=0.5)
    fig = charts.spend_vs_pipeline(monthly, theta=0.5, symbol="€")
    assert fig.layout.yaxis.title.text == "Spend (€)"
    assert fig.layout.yaxis2.title.text == "Pipeline and won revenue (€)"
    assert list(fig.data[1].y) == [3400.0, 9800.0]

    spend = np.arange(1, 13) * 10_000.0
    points = _monthly(spend, 50 * spend**0.7)
    fit = campaigns.fit_response(points, end=date(2025, 12, 31))
    fig = charts.response_curve(points, fit, channel="search")
    assert [t.name for t in fig.data] == ["Months", "Fit: a·spend^0.70", "Current spend"]
    assert list(fig.data[2].x) == [pytest.approx(110_000)]
    unfitted = charts.response_curve(points.head(3), campaigns.fit_response(points.head(3), end=date(2025, 3, 31)),
                                     channel="search")
    assert [t.name for t in unfitted.data] == ["Months"]

    over = campaigns.overspend(con, **MARCH_APRIL, min_ratio=0.1)
    fig = charts.overspend(over)
    assert list(fig.data[0].y)[-1] == "Big billboard"  # the largest gap is drawn on top
    assert fig.layout.xaxis.title.text == "Share (%)"


# The queries as they were before they read the daily summary tables, kept only here: each rewritten query must
# return the same frame, to the cent, through the summary tables (built: writable copy; inlined: read-only), and
# through the live macro for a non-default half-life.
BEFORE = FIXTURES / "before_summary_tables"
_HALF_LIVES = (attribution.DEFAULT_HALF_LIFE_DAYS, 3.0)
REWRITTEN = [
    (attribution.revenue_by_campaign, "attribution_revenue_by_campaign", {"model": "linear"}, True),
    (attribution.revenue_by_campaign, "attribution_revenue_by_campaign", {"model": "w_shaped"}, True),
    (attribution.revenue_by_channel, "attribution_revenue_by_channel", {}, True),
    (attribution.sourced_vs_influenced, "attribution_sourced_vs_influenced", {}, False),
    (campaigns.performance, "campaigns_performance", {"model": "time_decay"}, True),
    (campaigns.performance, "campaigns_performance", {"model": "u_shaped", "objective": "demand",
                                                     "channels": ("search", "display")}, True),
    (campaigns.performance_by_channel, "campaigns_performance", {"model": "linear"}, True),
    (campaigns.overspend, "campaigns_overspend", {"model": "first_touch"}, True),
    (campaigns.spend_vs_pipeline, "campaigns_spend_vs_pipeline", {"theta": 0.6}, False),
    (campaigns.spend_vs_pipeline, "campaigns_spend_vs_pipeline", {"theta": 0.3, "channel": "display"}, False),
]


def _before(con, name: str, params: dict) -> pd.DataFrame:
    with con.cursor() as cur:
        cur.execute(db.sql_text("attribution/credit_macro"))
        return cur.execute((BEFORE / f"{name}.sql").read_text(), params).to_arrow_table().to_pandas()


def _before_params(fn, kwargs: dict, credit: bool, half_life: float) -> dict:
    params = {"start": SAMPLE_YEAR["start"], "end": SAMPLE_YEAR["end"], **kwargs}
    if credit:
        params.update(attribution.credit_params(start=params["start"], end=params["end"], half_life_days=half_life))
    if fn in (campaigns.performance, campaigns.performance_by_channel):
        params.update(channels=list(kwargs.get("channels", ())) or None, objective=kwargs.get("objective"),
                      by_channel=fn is campaigns.performance_by_channel)
    if fn is campaigns.overspend:
        params["min_ratio"] = 2.0
    if fn is campaigns.spend_vs_pipeline:
        params.setdefault("channel", None)
    return params


@pytest.mark.parametrize("read_only", [True, False], ids=["inlined", "built"])
@pytest.mark.slow
def test_campaigns_rewritten_queries_equal_the_queries_before_the_summary_tables(sample_copy, read_only):
    con = db.connect(sample_copy, read_only=read_only)
    try:
        for fn, name, kwargs, credit in REWRITTEN:
            for half_life in _HALF_LIVES if credit else (None,):
                extra = {"half_life_days": half_life} if credit else {}
                got = fn(con, **SAMPLE_YEAR, **kwargs, **extra)
                expected = _before(con, name, _before_params(fn, kwargs, credit, half_life or 0))
                assert len(got) > 0, (name, kwargs)
                # The old overspend summed spend as DOUBLE in the order rows arrived (last bits vary); now DECIMAL.
                exact = {"check_exact": True} if name != "campaigns_overspend" else {"rtol": 1e-12}
                pd.testing.assert_frame_equal(got[list(expected.columns)], expected, **exact,
                                              obj=f"{name} {kwargs} {half_life}")
                # Since then each query also counts what it leaves out (values the sample never lacks), and of how
                # many deals (deals_created).
                added = got.drop(columns=list(expected.columns))
                totals = [column for column in added.columns if column == "deals_created"]
                assert (added[totals] > 0).any().all(), name
                added = added.drop(columns=totals)
                assert all("_without_" in column for column in added.columns), (name, list(added.columns))
                assert (added == 0).all().all(), name
    finally:
        con.close()


@pytest.mark.slow
def test_campaigns_sample_response_curves_equal_the_per_channel_fits(sample_con):
    # response_curves reads every channel's months in one query; before, one spend_vs_pipeline call per channel.
    curves = campaigns.response_curves(sample_con, **SAMPLE_YEAR)
    one_by_one = pd.DataFrame([
        {"channel": channel, **campaigns.fit_response(
            campaigns.spend_vs_pipeline(sample_con, **SAMPLE_YEAR, channel=channel), end=SAMPLE_YEAR["end"])}
        for channel in campaigns.channels(sample_con).channel])
    one_by_one = one_by_one.sort_values("marginal_return", ascending=False, na_position="last").reset_index(drop=True)
    pd.testing.assert_frame_equal(curves, one_by_one, check_exact=True)
