"""The shared chart layout (ui/charts/__init__.py) and the structure of the figures built from explicit axes:
the layouts must draw what make_subplots and the update_* calls they replaced drew."""

from __future__ import annotations

from datetime import date, timedelta

import numpy as np
import pandas as pd
import plotly.graph_objects as go
import pytest
from plotly.subplots import make_subplots

from ui.charts import (
    BLUE,
    GREEN,
    LEGEND,
    LEGEND_GAP_PX,
    LEGEND_ROW_PX,
    MARGIN,
    OKABE_ITO,
    Columns,
    base_layout,
    groups,
    layout,
    vline,
)
from ui.charts import funnel as funnel_charts
from ui.charts import leadership as charts
from ui.charts import quota as quota_charts
from ui.charts import segments as segment_charts

# Every figure here is built both ways: as the app builds it and with Plotly's checks on.
pytestmark = pytest.mark.usefixtures("plotly_checks")

AS_OF = date(2026, 3, 10)
TEAMS = ["APAC", "EMEA", "LATAM", "NA", "<b>Nordics</b>"]


def pacing_frames(teams: list[str]) -> tuple[pd.DataFrame, pd.DataFrame]:
    days = [date(2026, 3, 1) + timedelta(days=i) for i in range(31)]
    daily = pd.DataFrame([{"team": t, "day": d, "expected_cumulative": 100.0 * (i + 1),
                           "booked_cumulative": 90.0 * (i + 1) if d <= AS_OF else np.nan}
                          for t in teams for i, d in enumerate(days)],
                         columns=["team", "day", "expected_cumulative", "booked_cumulative"])
    pace = pd.DataFrame({"team": teams, "booked_to_date": [900.0] * len(teams), "projected": [2790.0] * len(teams),
                         "quota": [3100.0] * len(teams)})
    return daily, pace


def test_charts_layout_carries_the_shared_look_and_merges_axis_settings():
    spec = layout(title="Pipeline ($)", x_title="Month", y_title="Amount ($)", height=300,
                  xaxis={"dtick": 1}, hovermode="closest")
    assert spec["title"] == {"text": "Pipeline ($)", "x": 0, "xanchor": "left"} and spec["height"] == 300
    assert spec["colorway"] == list(OKABE_ITO) and spec["hovermode"] == "closest"
    assert spec["xaxis"] == {"dtick": 1, "title": {"text": "Month"}}
    assert spec["yaxis"] == {"title": {"text": "Amount ($)"}}
    assert "xaxis" not in layout(title="t")  # no axis title asked, no axis entry


def test_charts_vline_draws_what_add_vline_draws():
    drawn = go.Figure(layout=vline(100, line={"color": "#000000", "dash": "dash"}, text="quota")).layout
    added = go.Figure().add_vline(x=100, line={"color": "#000000", "dash": "dash"}, annotation_text="quota").layout
    assert drawn.shapes == added.shapes and drawn.annotations == added.annotations
    assert "annotations" not in vline(1, line={})


def reference_base_layout(fig: go.Figure, *, title: str, x_title: str | None, y_title: str | None) -> go.Figure:
    """base_layout as it was: the update_* calls, each re-validating the figure."""
    fig.update_layout(title={"text": title, "x": 0, "xanchor": "left"}, height=360, colorway=list(OKABE_ITO),
                      margin=MARGIN, font={"size": 14}, legend=LEGEND,
                      uniformtext={"minsize": 10, "mode": "hide"}, hovermode="x unified")
    if x_title is not None:
        fig.update_xaxes(title_text=x_title)
    if y_title is not None:
        fig.update_yaxes(title_text=y_title)
    return fig


def subplots_with_a_line() -> go.Figure:
    fig = make_subplots(rows=1, cols=2, specs=[[{"secondary_y": True}, {}]])
    fig.add_trace(go.Bar(x=[1, 2], y=[3, 4]), row=1, col=1)
    fig.add_trace(go.Scatter(x=[1, 2], y=[5, 6]), row=1, col=1, secondary_y=True)
    fig.add_trace(go.Scatter(x=[1, 2], y=[7, 8]), row=1, col=2)
    fig.add_hline(y=4, row=1, col=1, annotation_text="goal")
    fig.update_layout(title={"font": {"size": 20}}, barmode="group")
    return fig


@pytest.mark.parametrize("template", [None, "plotly_dark"])
def test_charts_base_layout_equals_the_update_calls_it_replaced(template):
    fig, expected = subplots_with_a_line(), subplots_with_a_line()
    if template:
        fig.update_layout(template=template)
        expected.update_layout(template=template)
    got = base_layout(fig, title="T (%)", x_title="Month", y_title="Share (%)")
    want = reference_base_layout(expected, title="T (%)", x_title="Month", y_title="Share (%)")
    assert got is fig and got.to_plotly_json() == want.to_plotly_json()
    assert {got.layout[a].title.text for a in ("yaxis", "yaxis2", "yaxis3")} == {"Share (%)"}
    assert got.layout.title.font.size == 20 and len(got.layout.shapes) == 1  # what was there is kept


def test_charts_columns_and_groups_are_numpy_per_sorted_group():
    frame = pd.DataFrame({"team": ["NA", "EMEA", None, "NA"], "x": [1.0, 2.0, 3.0, 4.0]})
    assert isinstance(Columns(frame).x, np.ndarray) and list(Columns(frame, frame.x.to_numpy() > 2).x) == [3, 4]
    assert [(team, list(part.x)) for team, part in groups(frame, "team")] == [("EMEA", [2.0]), ("NA", [1.0, 4.0])]


@pytest.mark.parametrize("n_teams", [0, 1, 2, 3, 4, 5])
def test_charts_pacing_by_team_has_one_panel_per_team_laid_out_as_make_subplots(n_teams):
    teams = TEAMS[:n_teams]
    daily, pace = pacing_frames(teams)
    fig = charts.pacing_by_team(daily, pace, as_of=AS_OF, symbol="€")
    columns = min(n_teams, 2) or 1
    rows = -(-n_teams // columns) or 1
    grid = make_subplots(rows=rows, cols=columns, subplot_titles=teams, shared_xaxes=True, vertical_spacing=0.12,
                         horizontal_spacing=0.08)
    for name in grid.layout:
        if name.startswith(("xaxis", "yaxis")):
            want, got = grid.layout[name].to_plotly_json(), fig.layout[name].to_plotly_json()
            assert got["domain"] == pytest.approx(want["domain"]) and got.get("matches") == want.get("matches")
            assert got["anchor"] == want["anchor"] and got.get("showticklabels") == want.get("showticklabels")
    titles = [a.text for a in fig.layout.annotations]
    assert titles == [t.replace("<", "&lt;").replace(">", "&gt;") for t in teams]  # team names are not markup
    panels = {(t.xaxis, t.yaxis) for t in fig.data}
    assert len(panels) == n_teams and len(fig.data) == 3 * n_teams  # pacing, booked, projection per panel
    assert [t.showlegend for t in fig.data] == [True] * 3 * bool(n_teams) + [False] * 3 * max(n_teams - 1, 0)
    assert {fig.layout[f"yaxis{i + 1 if i else ''}"].tickprefix for i in range(rows * columns)} == {"€"}
    legend = (LEGEND_ROW_PX + LEGEND_GAP_PX) if n_teams else 0  # three short entries fit a row; no traces, no legend
    assert fig.layout.yaxis.title.text == "Revenue (€)" and fig.layout.height == 230 * rows + 80 + legend
    if n_teams:
        booked = fig.data[1]
        assert len(booked.x) == AS_OF.day and booked.line.shape == "hv"  # only the days booked so far


def test_charts_two_axis_figures_put_the_second_series_on_the_right():
    months = [date(2026, m, 1) for m in (1, 2, 3)]
    shifted = pd.DataFrame({"month": months, "sales_value": [10.0, 12.0, 9.0], "brand_value": [30.0, None, 33.0]})
    fig = charts.shifted_series(shifted, lag=2, brand="aided_awareness", sales="won_revenue", symbol="€")
    assert [t.yaxis for t in fig.data] == ["y", "y2"]
    assert fig.layout.yaxis2.overlaying == "y" and fig.layout.yaxis2.side == "right"
    assert fig.layout.yaxis.title.text == "Won revenue (€ per month)"
    assert fig.layout.yaxis2.title.text == "Aided awareness (%)" and fig.layout.xaxis.title.text == "Month (sales)"
    series = pd.DataFrame({"month": months, "value": [30.0, 31.0, 33.0], "rolling_3m": [None, None, 31.3],
                           "yoy_change": [None, None, 1.0]})
    spend = pd.DataFrame({"month": months, "brand_spend": [100.0, 0.0, 50.0]})
    no_launches = pd.DataFrame({"start_date": [], "name": [], "budget": []})
    brand = charts.brand_series(series, spend, no_launches, metric="web_visits")
    assert [t.yaxis for t in brand.data] == ["y2", "y", "y"] and brand.layout.yaxis2.rangemode == "tozero"
    assert not brand.layout.shapes and not brand.layout.annotations


def test_charts_pacing_marks_the_quota_and_today():
    daily, pace = pacing_frames(["EMEA"])
    fig = charts.pacing(daily.drop(columns="team"), pace.iloc[0], as_of=AS_OF, symbol="€")
    quota_line, today = fig.layout.shapes
    assert quota_line.y0 == quota_line.y1 == 3100 and quota_line.xref == "x domain"
    assert today.x0 == today.x1 == AS_OF and today.yref == "y domain"
    assert fig.layout.annotations[0].text == "Quota €3,100"
    no_quota = charts.pacing(daily.drop(columns="team"), pace.iloc[0].copy().replace(3100.0, np.nan), as_of=AS_OF)
    assert len(no_quota.layout.shapes) == 1 and not no_quota.layout.annotations


def test_charts_leaderboard_of_many_reps_shows_both_ends():
    reps = pd.DataFrame({"rep_id": [f"R{i:02d}" for i in range(40)], "attainment_to_date": [i / 20 for i in range(40)]})
    fig = quota_charts.leaderboard(reps.sample(frac=1, random_state=3))
    bars = fig.data[0]
    assert list(bars.y) == [f"R{i:02d}" for i in [*range(15), *range(25, 40)]]  # worst 15, then best 15 on top
    assert fig.layout.title.text.endswith("top 15 and bottom 15 of 40 reps (all in the table)")
    assert fig.layout.height == 22 * 30 + 120
    few = quota_charts.leaderboard(reps.head(30))
    assert len(few.data[0].y) == 30 and few.layout.title.text == "Leaderboard: attainment to date"
    unranked = pd.concat([reps, pd.DataFrame({"rep_id": ["Z1", "Z2"], "attainment_to_date": [None, None]})])
    board = quota_charts.leaderboard(unranked)
    assert list(board.data[0].y)[:2] == ["R00", "R01"] and "Z1" not in list(board.data[0].y)
    assert board.layout.title.text.endswith("of 40 reps with an attainment (all in the table)")


def test_charts_sla_ranking_of_many_reps_shows_both_ends():
    ranked = pd.DataFrame({"rep_id": [f"R{i:02d}" for i in range(31)],
                           "pct_within_sla": [1 - i / 40 for i in range(31)], "median_response_hours": 2.0, "mqls": 10})
    fig = funnel_charts.sla_ranking(ranked, column="rep_id", sla_hours=24)
    assert list(fig.data[0].y) == [f"R{i:02d}" for i in [*range(30, 15, -1), *range(14, -1, -1)]]  # best on top
    assert "top 15 and bottom 15 of 31 reps" in fig.layout.title.text
    assert len(funnel_charts.sla_ranking(ranked.head(30), column="rep_id", sla_hours=24).data[0].y) == 30


def test_charts_sla_ranking_names_the_mqls_without_an_owner():
    ranked = pd.DataFrame({"rep_id": ["R1", None], "pct_within_sla": [0.9, 0.5], "median_response_hours": 2.0,
                           "mqls": 10})
    assert list(funnel_charts.sla_ranking(ranked, column="rep_id", sla_hours=24).data[0].y) == ["(no owner)", "R1"]


def test_charts_segment_heatmap_formats_its_scale_and_says_what_a_click_shows():
    deals = pd.DataFrame({"region": ["EMEA", "NA"], "segment": ["SMB", "SMB"], "win_rate": [0.25, 0.5],
                          "won_deals": [3, 7]})
    fig = segment_charts.heatmap(deals, metric="win_rate", title="Win rate", value_format=".0%", count="won_deals",
                                 count_noun="won deals", click_for=None)
    points = fig.data[0]
    assert list(points.text) == ["25%", "50%"] and points.marker.colorbar.tickformat == ".0%"
    assert "won deals" in points.hovertemplate and [row[2] for row in points.customdata] == [3, 7]
    assert fig.layout.title.text == "Win rate by region and segment"
    leads = deals.rename(columns={"won_deals": "leads"}).assign(revenue_per_lead=[100.0, 2500.0])
    fig = segment_charts.heatmap(leads, metric="revenue_per_lead", title="Revenue per lead", value_format=",.0f",
                                 prefix="$")
    assert list(fig.data[0].text) == ["$100", "$2,500"] and fig.data[0].marker.colorbar.tickprefix == "$"
    assert fig.layout.title.text.endswith("(click a tile for its leads and deals)")


def test_charts_leaderboard_colours_reps_at_quota_green():
    reps = pd.DataFrame({"rep_id": ["R1", "R2", "R3", "R4"], "attainment_to_date": [1.2, 0.4, None, 1.0]})
    bar = quota_charts.leaderboard(reps).data[0]
    assert list(bar.y) == ["R3", "R2", "R4", "R1"]  # no attainment first, then ascending
    scale = dict((stop, colour) for stop, colour in bar.marker.colorscale)
    assert [scale[float(v)] for v in bar.marker.color] == [BLUE, BLUE, GREEN, GREEN]
    assert (bar.marker.cmin, bar.marker.cmax, bar.marker.showscale) == (0, 1, None)
