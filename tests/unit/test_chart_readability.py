"""Charts that stay readable and honest (ui/charts/__init__.py's shared finish): legends under the plot with room
made for them, launch names thinned so none overlap, long category labels wrapped, the running month marked as
partial."""

from __future__ import annotations

import ast
from datetime import date, timedelta
from pathlib import Path

import numpy as np
import pandas as pd
import plotly.graph_objects as go
import pytest

from ui.charts import (
    LEGEND_GAP_PX,
    LEGEND_ROW_PX,
    NARROW_PLOT_PX,
    campaigns,
    funnel,
    leadership,
    legend_rows,
    meeting,
    partial_months,
    quota,
    spread_labels,
    wrap,
)

# Every figure here is built both ways: as the app builds it and with Plotly's checks on.
pytestmark = pytest.mark.usefixtures("plotly_checks")

CHARTS = Path(__file__).resolve().parents[2] / "ui" / "charts"
MONTHS = [date(2026, m, 1) for m in range(1, 13)]
MID_DECEMBER, END_OF_DECEMBER = date(2026, 12, 7), date(2026, 12, 31)
TEAMS = ["APAC", "EMEA", "LATAM", "North America", "Nordics & Baltics", "Middle East & Africa", "DACH"]


def monthly(**columns) -> pd.DataFrame:
    return pd.DataFrame({"month": MONTHS, **{name: np.linspace(1.0, 2.0, len(MONTHS)) * value
                                             for name, value in columns.items()}})


def by_team(teams: list[str], **columns) -> pd.DataFrame:
    return pd.concat([monthly(**columns).assign(team=team) for team in teams], ignore_index=True)


NO_LAUNCHES = pd.DataFrame({"start_date": [], "name": [], "budget": []})

# Every chart of monthly points or bars, built with the last day its data covers.
MONTHLY_CHARTS = {
    "brand_series": lambda through: leadership.brand_series(
        monthly(value=30.0, rolling_3m=31.0), monthly(brand_spend=1e5), NO_LAUNCHES, metric="aided_awareness",
        through=through),
    "brand_yoy": lambda through: leadership.brand_yoy(monthly(yoy_change=1.0), metric="aided_awareness",
                                                      through=through),
    "attainment_by_month": lambda through: leadership.attainment_by_month(
        monthly(booked=9e5, quota=1e6, attainment=0.9), through=through),
    "history": lambda through: quota.history(by_team(TEAMS[:2], booked=9e5, quota=1e6), through=through),
    "share_at_quota": lambda through: quota.share_at_quota(
        by_team(TEAMS[:2], share_at_quota=0.4, reps_at_quota=4, reps_with_quota=10), through=through),
    "mql_delivery": lambda through: funnel.mql_delivery(monthly(mqls=100.0, target_mqls=120.0), through=through),
    "spend_by_month": lambda through: campaigns.spend_by_month(monthly(spend=5e4), campaign="Launch",
                                                               through=through),
    "spend_vs_pipeline": lambda through: campaigns.spend_vs_pipeline(
        monthly(spend=5e4, adstocked_spend=6e4, pipeline_created=4e5, won_revenue=1e5), theta=0.5, through=through),
    "awareness_trend": lambda through: meeting.awareness_trend(monthly(value=30.0, rolling_3m=31.0),
                                                               through=through),
}


# ── Every chart goes through figure() ─────────────────────────────────────────────────────────────────────────────

def test_charts_every_builder_builds_its_figure_through_the_shared_finish():
    for path in sorted(CHARTS.glob("*.py")):
        if path.name == "__init__.py":
            continue
        calls = [node.func for node in ast.walk(ast.parse(path.read_text())) if isinstance(node, ast.Call)]
        direct = [f"{path.name}:{f.lineno}" for f in calls if isinstance(f, ast.Attribute) and f.attr == "Figure"]
        assert not direct, f"figures built without ui.charts.figure: {direct}"
        assert any(isinstance(f, ast.Name) and f.id == "figure" for f in calls), path.name


# ── Legends ───────────────────────────────────────────────────────────────────────────────────────────────────────

@pytest.mark.parametrize("n_teams", [6, 7])
def test_charts_legend_of_many_series_sits_under_the_plot_clear_of_the_title(n_teams):
    fig = quota.history(by_team(TEAMS[:n_teams], booked=9e5, quota=1e6))
    spec = fig.layout.to_plotly_json()
    legend = spec["legend"]
    # At the foot of the whole figure, growing upwards as it wraps; the title keeps the top margin to itself.
    assert (legend["yref"], legend["y"], legend["yanchor"], legend["orientation"]) == ("container", 0, "bottom", "h")
    assert spec["title"].get("yref", "container") == "container" and spec["title"].get("y") in (None, "auto")
    rows = legend_rows([t.to_plotly_json() for t in fig.data], spec)
    assert rows >= 4  # two entries per team (booked, quota) stacked, three or four teams a row at the narrowest
    assert fig.layout.height == 380 + rows * LEGEND_ROW_PX + LEGEND_GAP_PX  # the plot keeps its own height
    legend_top = fig.layout.height - rows * LEGEND_ROW_PX
    assert legend_top > spec["margin"]["t"] + 200  # the legend's rows start well below the title's margin


def test_charts_legend_rows_follow_plotlys_layout_of_groups_and_hidden_entries():
    short = [{"type": "bar", "name": "A"}, {"type": "bar", "name": "B"}]
    assert legend_rows(short, {}) == 1
    assert legend_rows(short[:1], {}) == 0  # a single trace gets no legend
    assert legend_rows(short, {"showlegend": False}) == 0
    assert legend_rows([{"type": "heatmap", "name": "z"}, {"type": "heatmap", "name": "w"}], {}) == 0
    assert legend_rows([*short, {"type": "scatter", "name": "C", "showlegend": False}], {}) == 1
    grouped = [{"type": "bar", "name": f"T{i} {kind}", "legendgroup": f"T{i}"} for i in range(2) for kind in "ab"]
    assert legend_rows(grouped, {}) == 2  # each group a column of two entries
    long = [{"type": "bar", "name": "x" * 40} for _ in range(3)]
    assert legend_rows(long, {}) == 3  # wider than half the narrowest plot: one an entry per row
    assert legend_rows(long, {}, width_px=2000) == 1


def test_charts_figures_without_a_legend_keep_their_height():
    reps = pd.DataFrame({"rep_id": ["R1", "R2"], "attainment_to_date": [0.5, 1.2]})
    assert quota.leaderboard(reps).layout.height == 300
    assert leadership.brand_yoy(monthly(yoy_change=1.0), metric="aided_awareness").layout.height == 260


# ── Launch names on the brand chart ───────────────────────────────────────────────────────────────────────────────

# The brand chart's time axis: its months, half a month either side.
SPAN = (pd.Timestamp(MONTHS[0]) - pd.Timedelta(days=15), pd.Timestamp(MONTHS[-1]) + pd.Timedelta(days=15))


def label_boxes(labels: list[tuple], *, width_px: float, char_px: float) -> list[tuple[float, float, float]]:
    """(y, left px, right px) of labels given as (x, text, y), centred at x on a plot `width_px` wide over SPAN."""
    boxes = []
    for x, text, y in labels:
        centre = (pd.Timestamp(x) - SPAN[0]) / (SPAN[1] - SPAN[0]) * width_px
        boxes.append((y, centre - len(text) * char_px / 2, centre + len(text) * char_px / 2))
    return boxes


def overlapping(boxes: list[tuple[float, float, float]]) -> list[tuple]:
    return [(a, b) for i, a in enumerate(boxes) for b in boxes[i + 1:]
            if a[0] == b[0] and a[1] < b[2] and b[1] < a[2]]


def crowded_launches(n: int) -> pd.DataFrame:
    return pd.DataFrame({"start_date": [date(2026, 3, 1) + timedelta(days=6 * i) for i in range(n)],
                         "name": [f"Spring launch wave {i} · events · Mar 2026" for i in range(n)],
                         "budget": [1e6 - 5e4 * i for i in range(n)]})


def test_charts_brand_chart_names_only_launches_whose_names_do_not_overlap():
    series, spend = monthly(value=30.0, rolling_3m=31.0), monthly(brand_spend=1e5)
    launches = crowded_launches(10)
    # Measured in Chromium, these names run about 0.45 em a character: checked at 0.5 em on the narrowest plot.
    measure = {"width_px": NARROW_PLOT_PX * leadership.TWIN_AXES_WIDTH, "char_px": 0.5 * leadership.LAUNCH_FONT}
    # Named as the chart named them before (every launch, in three staggered rows), these launches overlap.
    shortened = [leadership._short(name) for name in launches.name]
    before = [(x, text, 1.0 - 0.09 * (i % 3))
              for i, (x, text) in enumerate(zip(launches.start_date, shortened, strict=True))]
    assert overlapping(label_boxes(before, **measure))

    fig = leadership.brand_series(series, spend, launches.sample(frac=1, random_state=4), metric="aided_awareness")
    named = [(a.x, a.text, a.y) for a in fig.layout.annotations if a.yanchor == "top"]  # inside the plot
    assert 1 <= len(named) <= leadership.LAUNCH_LABELS and not overlapping(label_boxes(named, **measure))
    assert shortened[0] in {text for _, text, _ in named}  # the largest budget is named first
    assert len(fig.layout.shapes) == len(named)  # a dotted line under each name, none under the others
    markers = next(t for t in fig.data if t.name == "Large launch")
    assert len(markers.x) == 10 and "%{text}" in markers.hovertemplate  # every launch keeps its marker and hover


def test_charts_spread_labels_keeps_far_apart_labels_in_one_row_and_leaves_out_the_crowded():
    days = [date(2026, 1, 15), date(2026, 6, 15), date(2026, 12, 15)]
    rows = spread_labels(days, ["Q1", "Q2", "Q4"], [1, 2, 3], span=(date(2026, 1, 1), date(2026, 12, 31)))
    assert list(rows) == [0, 0, 0]
    same_day = [date(2026, 5, 1)] * 5
    rows = spread_labels(same_day, ["a long launch name"] * 5, [5, 4, 3, 2, 1], span=(date(2026, 1, 1),
                         date(2026, 12, 31)), rows=3, keep=5)
    assert list(rows) == [0, 1, 2, -1, -1]  # one a row, by priority; the rest left to the hover
    assert (spread_labels([1, 2, 3, 4], ["x"] * 4, [1, 1, 1, 1], span=(0, 100), keep=2) >= 0).sum() == 2


# ── Category labels ───────────────────────────────────────────────────────────────────────────────────────────────

def test_charts_long_category_labels_wrap_on_the_axis_and_stay_whole_in_the_data():
    names = ["Integrations pack · customer stories · events · Oct 2026",
             "Integrations pack · customer stories · events · Jul 2026", "<b>Short</b>"]
    over = pd.DataFrame({"campaign": names, "spend_share": [0.2, 0.1, 0.05], "pipeline_share": [0.01, 0.02, 0.03]})
    fig = campaigns.overspend(over)
    axis = fig.layout.yaxis
    assert list(fig.data[0].y) == names[::-1]  # hover shows the category: the whole name
    assert list(axis.tickvals) == names[::-1] and axis.tickmode == "array"
    shown = dict(zip(axis.tickvals, axis.ticktext, strict=True))
    assert shown["<b>Short</b>"] == "&lt;b&gt;Short&lt;/b&gt;"  # imported names are not markup
    tails = [shown[n].split("<br>") for n in names[:2]]
    assert all(len(lines) == 2 and all(len(line) <= 24 for line in lines) for lines in tails)
    assert tails[0][-1].endswith("Oct 2026") and tails[1][-1].endswith("Jul 2026")  # still told apart
    short = campaigns.overspend(over.assign(campaign=["A", "B", "C"]))
    assert short.layout.yaxis.tickvals is None  # short labels are left to Plotly


def test_charts_wrap_keeps_short_labels_and_cuts_long_ones_in_the_middle():
    assert wrap("no budget") == "no budget"
    assert wrap("Projected: booked + weighted pipeline") == "Projected: booked +<br>weighted pipeline"
    cut = wrap("a" * 80)
    assert "…" in cut and all(len(line) <= 24 for line in cut.split("<br>"))


# ── The running month ────────────────────────────────────────────────────────────────────────────────────────────

def marked_points(fig: go.Figure) -> dict[str, list[int]]:
    """Per trace name, the points whose hover says they are partial."""
    return {t.name: [i for i, text in enumerate(t.hovertext) if "partial: through 7 Dec" in text]
            for t in fig.data if t.hovertext is not None}


@pytest.mark.parametrize("name", MONTHLY_CHARTS)
def test_charts_running_month_is_marked_partial_when_the_data_ends_mid_month(name):
    fig = MONTHLY_CHARTS[name](MID_DECEMBER)
    marked = marked_points(fig)
    assert marked and all(points == [11] for points in marked.values()), marked  # December, and only December
    for trace in fig.data:
        if trace.hovertext is None:
            continue
        assert "%{hovertext}" in trace.hovertemplate
        if trace.type == "bar":
            assert list(trace.marker.opacity)[-2:] == [1.0, 0.45] and list(trace.marker.pattern.shape)[-2:] == ["", "/"]
        else:
            assert list(trace.marker.symbol)[-2:] == ["circle", "circle-open"]
    band = [s for s in fig.layout.shapes if s.type == "rect"]
    assert len(band) == 1 and pd.Timestamp(band[0].x0) < pd.Timestamp("2026-12-01") < pd.Timestamp(band[0].x1)
    assert any(a.text == "partial" for a in fig.layout.annotations)


@pytest.mark.parametrize("name", MONTHLY_CHARTS)
def test_charts_complete_months_are_drawn_as_without_a_last_day(name):
    unmarked = MONTHLY_CHARTS[name](None).to_json()
    assert MONTHLY_CHARTS[name](END_OF_DECEMBER).to_json() == unmarked  # December's last day: complete
    assert MONTHLY_CHARTS[name](date(2027, 1, 15)).to_json() == unmarked
    assert MONTHLY_CHARTS[name](MID_DECEMBER).to_json() != unmarked


def test_charts_targets_and_quotas_are_whole_months_and_stay_unmarked():
    fig = leadership.attainment_by_month(monthly(booked=9e5, quota=1e6, attainment=0.9), through=MID_DECEMBER)
    assert list(marked_points(fig)) == ["Booked"]
    fig = quota.history(by_team(["EMEA"], booked=9e5, quota=1e6), through=MID_DECEMBER)
    assert list(marked_points(fig)) == ["EMEA booked"]
    fig = funnel.mql_delivery(monthly(mqls=100.0, target_mqls=120.0), through=MID_DECEMBER)
    assert list(marked_points(fig)) == ["MQLs delivered"]


def test_charts_response_curve_draws_a_partial_month_as_a_hollow_point():
    months = monthly(spend=5e4, adstocked_spend=6e4, pipeline_created=4e5, won_revenue=1e5)
    fit = {"a": 10.0, "b": 0.8, "current_spend": 6e4}
    points = campaigns.response_curve(months, fit, channel="search", through=MID_DECEMBER).data[0]
    assert points.mode == "markers"  # points, never joined by a line
    assert list(points.marker.symbol)[-2:] == ["circle", "circle-open"] and "partial" in points.hovertext[-1]
    unmarked = campaigns.response_curve(months, fit, channel="search")
    assert campaigns.response_curve(months, fit, channel="search", through=END_OF_DECEMBER).to_json() == \
        unmarked.to_json()


def test_charts_partial_months_tell_a_running_month_from_one_not_begun():
    marks = partial_months(np.array(MONTHS[9:], dtype="datetime64[ns]"), date(2026, 11, 7))
    assert list(marks.mask) == [False, True, True]
    assert list(marks.note) == ["", " (partial: through 7 Nov)", " (no data yet: data through 7 Nov)"]
    assert not partial_months(MONTHS, None) and not partial_months([], MID_DECEMBER)
    assert not partial_months(MONTHS[:11], date(2026, 11, 30))
    assert partial_months([pd.Timestamp("2026-02-01")], date(2026, 2, 27))  # 28 days in February 2026
