"""Figures of the Quota & pipeline and Joint plan pages, built from the queries' frames on hand fixtures."""

from __future__ import annotations

from datetime import date

import pytest

from queries import db, deals, pipeline, plan, quota
from ui.charts import plan as plan_charts
from ui.charts import quota as quota_charts

# Every figure here is built both ways: as the app builds it and with Plotly's checks on.
pytestmark = pytest.mark.usefixtures("plotly_checks")

PROBABILITIES = {"prospecting": 0.10, "qualification": 0.25, "proposal": 0.50, "negotiation": 0.75}


@pytest.fixture
def con(make_db):
    connection = db.connect(make_db("base.sql", "deals.sql", "plan.sql"))
    yield connection
    connection.close()


@pytest.mark.slow
def test_charts_quota_figures_carry_the_numbers(con):
    as_of = date(2026, 3, 20)
    pace = quota.pacing(con, as_of=as_of).merge(
        pipeline.weighted_projection(con, as_of=as_of, stage_probabilities=PROBABILITIES).drop(
            columns=["quota", "booked_to_date"]), on="team")
    fig = quota_charts.pacing(pace, key="team")
    assert [t.name for t in fig.data] == ["Quota", "Booked to date", "Pacing (linear, to date)",
                                          "Projected: run rate", "Projected: booked + weighted pipeline"]
    assert list(fig.data[1].x) == [1000.0, 0.0] and list(fig.data[4].x) == [2200.0, 500.0]
    assert fig.layout.xaxis.title.text == "Amount ($)"
    reps = pipeline.weighted_projection(con, as_of=as_of, stage_probabilities=PROBABILITIES, by="rep")
    board = quota_charts.leaderboard(reps)
    assert list(board.data[0].y) == ["R2", "R3", "R1"] and board.data[0].x[-1] == pytest.approx(20.0)
    assert quota_charts.attainment_spread(reps).data[0].x.tolist() == [20.0, 0.0, 0.0]
    stages = quota_charts.pipeline_by_stage(pipeline.open_by_stage(con, as_of=as_of,
                                                                   stage_probabilities=PROBABILITIES))
    assert {t.name for t in stages.data} == {"prospecting", "proposal", "negotiation", "closed since"}
    assert "No date" in list(stages.layout.xaxis.categoryarray)
    cover = quota_charts.coverage(pipeline.coverage(con, as_of=as_of), key="team")
    assert list(cover.data[0].y) == pytest.approx([3000 / 9000, 1000 / 8000])
    history = quota_charts.history(quota.attainment(con, start=date(2026, 3, 1), end=date(2026, 4, 30)))
    assert len(history.data) == 4  # booked and quota per team
    share = quota_charts.share_at_quota(deals.reps_at_quota(con, start=date(2026, 3, 1), end=date(2026, 4, 30)))
    assert [t.name for t in share.data] == ["EMEA", "NA"]


@pytest.mark.slow
def test_charts_plan_figures_shade_the_past_and_show_the_gap(con):
    funnel = plan.reverse_funnel(con, start_month=date(2026, 7, 1), months=2, trailing_months=3)
    fig = plan_charts.leads_needed(funnel, start_month=date(2026, 7, 1))
    assert [t.name for t in fig.data] == ["organic", "search", "Forecast at run rate"]
    assert fig.layout.shapes and fig.layout.annotations[0].text == "already past"
    heat = plan_charts.gap_heatmap(funnel)
    assert list(heat.data[0].y) == ["organic", "search"] and len(heat.data[0].x) == funnel.month.nunique()
