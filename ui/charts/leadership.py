"""Leadership figures: the marketing clock (brand metrics, spend, launches), the sales clock (attainment, pacing)
and the bridge between them (correlation by lag, the shifted series). Pure: DataFrame → go.Figure."""

from __future__ import annotations

import html
import math
from datetime import date
from typing import Any

import numpy as np
import pandas as pd
import plotly.graph_objects as go

from queries import metrics
from ui.charts import (
    BLUE,
    GREEN,
    GREY,
    NARROW_PLOT_PX,
    ORANGE,
    SKY,
    VERMILION,
    arrays,
    figure,
    layout,
    marks,
    partial_months,
    plot,
    spread_labels,
    vline,
)

# Brand metric names come from the metric registry (queries/metrics.toml); the keys are the brand_metrics vocabulary.
BRAND_LABELS: dict[str, str] = {metric: metrics.get(metric).name for metric in (
    "aided_awareness", "unaided_awareness", "consideration", "share_of_voice", "share_of_search", "branded_search",
    "web_visits")}
BRAND_UNITS: dict[str, str] = {metric: "%" if metric not in {"branded_search", "web_visits"} else "per month"
                               for metric in BRAND_LABELS}
SALES_LABELS: dict[str, str] = {
    "pipeline_created": "Pipeline created",
    "sqls": "SQLs",
    "inbound_leads": "Inbound leads",
    "won_revenue": "Won revenue",
}
LABEL_CHARS = 24
BLACK_LINE = "#333333"
# Launches named on the brand chart: at most this many, in up to this many staggered rows (a row this far below the
# one above it, as a share of the plot's height).
LAUNCH_LABELS, LAUNCH_ROWS, LAUNCH_ROW_STEP, LAUNCH_FONT = 4, 3, 0.09, 11
# Two y axes on one plot (as make_subplots' secondary_y lays them out): the plot leaves room for the right axis.
TWIN_AXES_WIDTH = 0.94
TWIN_AXES = {"xaxis": {"anchor": "y", "domain": [0.0, TWIN_AXES_WIDTH]}, "yaxis": {"anchor": "x", "domain": [0.0, 1.0]},
             "yaxis2": {"anchor": "x", "overlaying": "y", "side": "right", "showgrid": False}}
# Small multiples (pacing by team): at most two columns, the gaps between panels as fractions of the plot.
PANEL_COLUMNS, PANEL_GAP_X, PANEL_GAP_Y = 2, 0.08, 0.12


def _short(text: object, limit: int = LABEL_CHARS) -> str:
    """Campaign names come from imports: shorten them and escape Plotly's HTML-like markup."""
    value = str(text)
    if len(value) > limit:
        value = value[: limit - 1] + "…"
    return html.escape(value)


def _unit_axis(metric: str) -> str:
    unit = BRAND_UNITS[metric]
    return f"{BRAND_LABELS[metric]} ({unit})"


def _twin_axes(*, left_title: str, right_title: str, **right: Any) -> dict[str, dict]:
    """Layout axes for a plot with a second y axis on the right (traces on it say yaxis="y2")."""
    return {"xaxis": TWIN_AXES["xaxis"], "yaxis": {**TWIN_AXES["yaxis"], "title": {"text": left_title}},
            "yaxis2": {**TWIN_AXES["yaxis2"], **right, "title": {"text": right_title}}}


def brand_series(series: pd.DataFrame, spend: pd.DataFrame, launches: pd.DataFrame, *, metric: str,
                 symbol: str = "$", through: date | None = None) -> go.Figure:
    """Monthly value and 3-month rolling average of one brand metric; brand spend as bars on a secondary axis, from
    the series' first month on (a month's spend does not depend on where its query started); campaign launches as
    markers on the time axis, the largest few named where their names do not collide (the rest named on hover).
    `through`: the last day the data covers; a month not complete by then is marked as partial."""
    label = BRAND_LABELS[metric]
    values = arrays(series)
    spent = arrays(spend[spend.month >= series.month.min()]) if not series.empty else arrays(spend)
    partial, partial_spend = partial_months(values.month, through), partial_months(spent.month, through)
    traces = [
        plot.Bar(x=spent.month, y=spent.brand_spend, name="Brand spend", opacity=0.35, xaxis="x", yaxis="y2",
                 **partial_spend.bar(SKY, f"Brand spend: {symbol}%{{y:,.0f}}<extra></extra>")),
        plot.Scatter(x=values.month, y=values.value, name=f"{label} (monthly)", line={"color": BLUE, "width": 1},
                     xaxis="x", yaxis="y", **partial.line("Monthly: %{y:,.2f}<extra></extra>", marker={"size": 5})),
        plot.Scatter(x=values.month, y=values.rolling_3m, name="3-month average", line={"color": ORANGE, "width": 3},
                     xaxis="x", yaxis="y", **partial.line("3-month average: %{y:,.2f}<extra></extra>", mode="lines")),
    ]
    drawn = [partial.band() or partial_spend.band()]
    if not launches.empty:
        launched = arrays(launches)
        traces.append(plot.Scatter(
            x=launched.start_date, y=[0] * len(launches), name="Large launch", mode="markers",
            marker={"symbol": "triangle-up", "size": 13, "color": VERMILION},
            text=[_short(name, 60) for name in launched.name], customdata=launched.budget, xaxis="x", yaxis="y2",
            hovertemplate=f"%{{text}}<br>launched %{{x|%d %b %Y}}, budget {symbol}%{{customdata:,.0f}}"
                          "<extra></extra>"))
        names = [_short(name) for name in launched.name]
        # The axis spans the months drawn (half a month either side of the first and last bar) and the launches.
        days = pd.to_datetime(pd.Series([*values.month, *spent.month, *launched.start_date]))
        span = (days.min() - pd.Timedelta(days=15), days.max() + pd.Timedelta(days=15))
        rows = spread_labels(launched.start_date, names, launched.budget, span=span, keep=LAUNCH_LABELS,
                             rows=LAUNCH_ROWS, font_size=LAUNCH_FONT, width_px=NARROW_PLOT_PX * TWIN_AXES_WIDTH)
        named = {"shapes": [], "annotations": []}
        for day, name, row in zip(launched.start_date, names, rows, strict=True):  # at most a few launches
            if row < 0:
                continue
            # A dotted line up from the marker, the name at its top, in the row spread_labels gave it.
            top = 1.0 - LAUNCH_ROW_STEP * row
            named["shapes"].append({"type": "line", "x0": day, "x1": day, "yref": "paper", "y0": 0, "y1": top,
                                    "line": {"color": VERMILION, "width": 1, "dash": "dot"}})
            named["annotations"].append({"text": name, "x": day, "yref": "paper", "y": top, "yanchor": "top",
                                         "showarrow": False, "font": {"size": LAUNCH_FONT, "color": VERMILION},
                                         "bgcolor": "rgba(255,255,255,0.8)"})
        drawn.append(named)
    return figure(traces, layout(
        title=f"{label} and brand spend", x_title="Month", height=420, **marks(*drawn),
        **_twin_axes(left_title=_unit_axis(metric), right_title=f"Brand spend ({symbol} per month)",
                     rangemode="tozero")))


def brand_yoy(series: pd.DataFrame, *, metric: str, through: date | None = None) -> go.Figure:
    """Year-over-year change of one brand metric per month (bars, green up, vermilion down); a month not complete by
    `through` (the last day the data covers) marked as partial."""
    shown = arrays(series.dropna(subset=["yoy_change"]))
    colours = [GREEN if v >= 0 else VERMILION for v in shown.yoy_change]
    unit = "pp" if BRAND_UNITS[metric] == "%" else "per month"
    partial = partial_months(shown.month, through)
    return figure([plot.Bar(x=shown.month, y=shown.yoy_change, name="Change vs a year ago",
                            **partial.bar(colours, f"%{{x|%b %Y}}: %{{y:+,.2f}} {unit}<extra></extra>"))],
                  layout(title=f"{BRAND_LABELS[metric]}: change against the same month a year earlier",
                         x_title="Month", y_title=f"Change ({unit})", height=260, **partial.band()))


def attainment_by_month(frame: pd.DataFrame, *, symbol: str = "$", through: date | None = None) -> go.Figure:
    """Booked revenue per month as bars against the month's quota as a line; a month not complete by `through` (the
    last day the data covers) marked as partial (its quota is the whole month's)."""
    months = arrays(frame)
    text = ["" if pd.isna(a) else f"{a:.0%}" for a in months.attainment]
    partial = partial_months(months.month, through)
    return figure([
        plot.Bar(x=months.month, y=months.booked, name="Booked", text=text, textposition="outside",
                 **partial.bar(BLUE, f"Booked: {symbol}%{{y:,.0f}} (%{{text}} of quota)<extra></extra>")),
        plot.Scatter(x=months.month, y=months.quota, name="Quota", mode="lines+markers",
                     line={"color": BLACK_LINE, "width": 2},
                     hovertemplate=f"Quota: {symbol}%{{y:,.0f}}<extra></extra>"),
    ], layout(title="Booked revenue against quota, by month", x_title="Month", y_title=f"Revenue ({symbol})",
              height=380, **partial.band()))


def _pacing_traces(day: np.ndarray, expected: np.ndarray, booked: np.ndarray, pace: pd.Series, *, as_of: date,
                   month_end: date, symbol: str, show_legend: bool, **axes: str) -> list[go.Scatter]:
    """The pacing line, the booked staircase (days booked so far) and the run-rate projection to month end."""
    so_far = ~np.isnan(booked)
    return [
        plot.Scatter(x=day, y=expected, name="Pacing line", mode="lines",
                     line={"color": GREY, "dash": "dot", "width": 2}, showlegend=show_legend, **axes,
                     hovertemplate=f"Pacing: {symbol}%{{y:,.0f}}<extra></extra>"),
        plot.Scatter(x=day[so_far], y=booked[so_far], name="Booked to date", mode="lines",
                     line={"color": BLUE, "width": 3, "shape": "hv"}, showlegend=show_legend, **axes,
                     hovertemplate=f"Booked: {symbol}%{{y:,.0f}}<extra></extra>"),
        plot.Scatter(x=[as_of, month_end], y=[pace.booked_to_date, pace.projected], name="Run-rate projection",
                     mode="lines+markers", line={"color": ORANGE, "dash": "dash", "width": 2}, **axes,
                     showlegend=show_legend, hovertemplate=f"Projection: {symbol}%{{y:,.0f}}<extra></extra>"),
    ]


def pacing(daily: pd.DataFrame, pace: pd.Series, *, as_of: date, symbol: str = "$") -> go.Figure:
    """This month: cumulative booked revenue against the pacing line, the run-rate projection and the quota."""
    days = arrays(daily)
    traces = _pacing_traces(days.day, days.expected_cumulative, days.booked_cumulative.astype(float), pace,
                            as_of=as_of, month_end=daily.day.max(), symbol=symbol, show_legend=True)
    lines = vline(as_of, line={"color": GREY, "width": 1})
    if not math.isnan(pace.quota):
        # The quota across the whole plot, labelled at its top left (drawn under the as-of line).
        lines["shapes"].insert(0, {"type": "line", "xref": "x domain", "x0": 0, "x1": 1, "yref": "y",
                                   "y0": pace.quota, "y1": pace.quota, "line": {"color": GREEN, "width": 2}})
        lines["annotations"] = [{"text": f"Quota {symbol}{pace.quota:,.0f}", "showarrow": False, "xref": "x domain",
                                 "x": 0, "xanchor": "left", "yref": "y", "y": pace.quota, "yanchor": "bottom"}]
    return figure(traces, layout(title=f"{as_of:%B %Y}: booked to date against pacing", x_title="Day",
                                 y_title=f"Revenue, cumulative ({symbol})", height=380, **lines))


def pacing_by_team(daily: pd.DataFrame, pace: pd.DataFrame, *, as_of: date, symbol: str = "$") -> go.Figure:
    """Small multiples: one pacing panel per team (first team top left, two columns), on a shared day axis.

    The panels are explicit axis domains, as make_subplots(rows, columns, shared_xaxes=True) lays them out: the
    bottom panel of each column carries the day labels and the panels above match its range; a grid with an odd
    number of teams ends with an empty panel.
    """
    teams = list(pace.team)
    columns = min(len(teams), PANEL_COLUMNS) or 1
    rows = math.ceil(len(teams) / columns) or 1
    width = (1.0 - PANEL_GAP_X * (columns - 1)) / columns
    height = (1.0 - PANEL_GAP_Y * (rows - 1)) / rows
    days = arrays(daily)
    booked = days.booked_cumulative.astype(float)
    month_end = daily.day.max()
    traces: list[go.Scatter] = []
    axes: dict[str, dict] = {}
    titles: list[dict] = []
    for cell in range(rows * columns):
        row, col = divmod(cell, columns)  # row 0 is the top row
        suffix = str(cell + 1) if cell else ""
        left = sum([width] * col) + col * PANEL_GAP_X
        bottom = sum([height] * (rows - 1 - row)) + (rows - 1 - row) * PANEL_GAP_Y
        x_domain, y_domain = [left, left + width], [bottom, bottom + height]
        axes[f"xaxis{suffix}"] = {"anchor": f"y{suffix}", "domain": x_domain}
        if row < rows - 1:
            below = (rows - 1) * columns + col + 1
            axes[f"xaxis{suffix}"] |= {"matches": f"x{below}", "showticklabels": False}
        axes[f"yaxis{suffix}"] = {"anchor": f"x{suffix}", "domain": y_domain, "tickprefix": symbol}
        if col == 0:
            axes[f"yaxis{suffix}"]["title"] = {"text": f"Revenue ({symbol})"}
        if cell >= len(teams):
            continue
        team = days.team == teams[cell]
        traces += _pacing_traces(days.day[team], days.expected_cumulative[team], booked[team], pace.iloc[cell],
                                 as_of=as_of, month_end=month_end, symbol=symbol, show_legend=cell == 0,
                                 xaxis=f"x{suffix}", yaxis=f"y{suffix}")
        titles.append({"text": html.escape(str(teams[cell])), "showarrow": False, "font": {"size": 16},
                       "xref": "paper", "x": sum(x_domain) / 2.0, "xanchor": "center",
                       "yref": "paper", "y": y_domain[1], "yanchor": "bottom"})
    return figure(traces, layout(title="Pacing by team", height=230 * rows + 80,
                                 annotations=titles, **axes))


def correlation_by_lag(frame: pd.DataFrame, *, best_lag: int | None, chosen_lag: int, brand: str,
                       sales: str) -> go.Figure:
    """Pearson r for each lag: the strongest highlighted, the one on the slider outlined."""
    lags = arrays(frame)
    colours = [VERMILION if lag == best_lag else BLUE for lag in lags.lag_months]
    widths = [3 if lag == chosen_lag else 0 for lag in lags.lag_months]
    return figure([plot.Bar(x=lags.lag_months, y=lags.r, customdata=lags.n_months, name="r",
                            marker={"color": colours, "line": {"color": "#000000", "width": widths}},
                            hovertemplate="Lag %{x} months: r = %{y:.2f} over %{customdata} months"
                                          "<extra></extra>")],
                  layout(title=f"{BRAND_LABELS[brand]} → {SALES_LABELS[sales]}: correlation by lag",
                         x_title="Brand leads sales by (months)", y_title="Pearson r (detrended)", height=340,
                         xaxis={"dtick": 1}, yaxis={"range": [-1, 1]}))


def shifted_series(frame: pd.DataFrame, *, lag: int, brand: str, sales: str, symbol: str = "$") -> go.Figure:
    """The sales series and the brand series moved forward by `lag` months, on two axes."""
    months = arrays(frame)
    sales_unit = f"{symbol}" if sales in {"pipeline_created", "won_revenue"} else "count"
    shift = f"{lag} month{'s' if lag != 1 else ''} earlier" if lag else "same month"
    return figure([
        plot.Scatter(x=months.month, y=months.sales_value, name=SALES_LABELS[sales], mode="lines+markers",
                     line={"color": BLUE, "width": 2}, xaxis="x", yaxis="y",
                     hovertemplate=f"{SALES_LABELS[sales]}: %{{y:,.0f}}<extra></extra>"),
        plot.Scatter(x=months.month, y=months.brand_value, name=f"{BRAND_LABELS[brand]} ({shift})",
                     mode="lines+markers", line={"color": ORANGE, "width": 2}, xaxis="x", yaxis="y2",
                     hovertemplate=f"{BRAND_LABELS[brand]}: %{{y:,.2f}}<extra></extra>"),
    ], layout(title=f"{SALES_LABELS[sales]} beside {BRAND_LABELS[brand].lower()} shifted by {lag} months",
              x_title="Month (sales)", height=360,
              **_twin_axes(left_title=f"{SALES_LABELS[sales]} ({sales_unit} per month)",
                           right_title=_unit_axis(brand))))
