"""Campaign figures: spend, performance by channel, attribution models side by side, spend against pipeline,
response curves and the overspend list. Pure: DataFrame → go.Figure, each built in one go.Figure call."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from typing import Any

import numpy as np
import pandas as pd
import plotly.graph_objects as go

from ui.charts import BLUE, GREEN, GREY, OKABE_ITO, ORANGE, VERMILION, arrays, figure, layout, partial_months, plot


def spend_by_month(frame: pd.DataFrame, *, campaign: str, symbol: str = "$", through: date | None = None
                   ) -> go.Figure:
    """One campaign's spend per month (bars); a month not complete by `through` (the last day the data covers)
    marked as partial."""
    cols = arrays(frame)
    partial = partial_months(cols.month, through)
    return figure([plot.Bar(x=cols.month, y=cols.spend, name="Spend",
                            **partial.bar(BLUE, f"%{{x|%b %Y}}: {symbol}%{{y:,.0f}}<extra></extra>"))],
                  layout(title=f"Spend by month: {campaign}", x_title="Month", y_title=f"Spend ({symbol})",
                         height=300, **partial.band()))


def _known(values: np.ndarray) -> bool:
    """Whether a column holds any value (a page sets a figure the data cannot give to NaN: no bar, no legend)."""
    return bool(np.any(pd.notna(values)))


def performance_by_channel(frame: pd.DataFrame, *, symbol: str = "$") -> go.Figure:
    """Spend beside attributed won revenue and sourced pipeline, per channel (grouped bars; a column that is all
    missing is left out)."""
    cols = arrays(frame)
    return figure(
        [plot.Bar(x=cols.channel, y=getattr(cols, column), name=name, marker_color=colour,
                  hovertemplate=f"{name}: {symbol}%{{y:,.0f}}<extra></extra>")
         for column, name, colour in (("spend", "Spend", GREY), ("pipeline", "Sourced pipeline", BLUE),
                                      ("won_revenue", "Attributed won revenue", GREEN))
         if _known(getattr(cols, column))],
        layout(title="Spend, pipeline and won revenue by channel", x_title="Channel", y_title=f"Amount ({symbol})",
               barmode="group"))


def model_comparison(frame: pd.DataFrame, *, labels: Mapping[str, str], symbol: str = "$") -> go.Figure:
    """Attributed won revenue per channel, one bar per model (grouped). The "Unattributed" channel is left out:
    it is the same under every model and would dwarf the differences the chart is for."""
    cols = arrays(frame)
    shown = cols.channel != "Unattributed"
    traces = []
    for i, (model, label) in enumerate(labels.items()):
        rows = shown & (cols.model == model)
        traces.append(plot.Bar(x=cols.channel[rows], y=cols.attributed_revenue[rows], name=label,
                               marker_color=OKABE_ITO[i % len(OKABE_ITO)],
                               hovertemplate=f"{label}: {symbol}%{{y:,.0f}}<extra></extra>"))
    return figure(traces, layout(title="Won revenue by channel under each attribution model", x_title="Channel",
                                 y_title=f"Attributed won revenue ({symbol})", height=420, barmode="group"))


def sourced_vs_influenced(frame: pd.DataFrame, *, symbol: str = "$") -> go.Figure:
    """Sourced beside influenced pipeline per channel (grouped bars)."""
    cols = arrays(frame)
    return figure([
        plot.Bar(x=cols.channel, y=cols.sourced_pipeline, name="Sourced", marker_color=BLUE,
                 hovertemplate=f"Sourced: {symbol}%{{y:,.0f}}<extra></extra>"),
        plot.Bar(x=cols.channel, y=cols.influenced_pipeline, name="Influenced", marker_color=ORANGE,
                 hovertemplate=f"Influenced: {symbol}%{{y:,.0f}}<extra></extra>"),
    ], layout(title="Sourced vs influenced pipeline by channel", x_title="Channel",
              y_title=f"Pipeline created ({symbol})", barmode="group"))


def spend_vs_pipeline(frame: pd.DataFrame, *, theta: float, symbol: str = "$", through: date | None = None
                      ) -> go.Figure:
    """Raw and adstocked spend (left axis) against pipeline created and won revenue (right axis), by month; a month
    not complete by `through` (the last day the data covers) marked as partial. Pipeline and won revenue all missing
    (no deals to tell them): spend alone, without the right axis."""
    cols = arrays(frame)
    partial = partial_months(cols.month, through)
    sales = _known(cols.pipeline_created) or _known(cols.won_revenue)
    traces = [
        plot.Bar(x=cols.month, y=cols.spend, name="Spend", opacity=0.6,
                 **partial.bar(GREY, f"Spend: {symbol}%{{y:,.0f}}<extra></extra>")),
        plot.Scatter(x=cols.month, y=cols.adstocked_spend, name=f"Adstocked spend (θ = {theta:.2f})",
                     line={"color": VERMILION, "dash": "dot"},
                     **partial.line(f"Adstocked: {symbol}%{{y:,.0f}}<extra></extra>")),
    ]
    if sales:
        traces += [
            plot.Scatter(x=cols.month, y=cols.pipeline_created, name="Pipeline created", yaxis="y2",
                         line={"color": BLUE}, **partial.line(f"Pipeline: {symbol}%{{y:,.0f}}<extra></extra>")),
            plot.Scatter(x=cols.month, y=cols.won_revenue, name="Won revenue", yaxis="y2", line={"color": GREEN},
                         **partial.line(f"Won: {symbol}%{{y:,.0f}}<extra></extra>")),
        ]
    # The right axis holds pipeline and revenue.
    right = {"yaxis2": {"overlaying": "y", "side": "right", "rangemode": "tozero", "showgrid": False,
                        "title": {"text": f"Pipeline and won revenue ({symbol})"}}} if sales else {}
    return figure(traces, layout(
        title="Spend is not sales: spend, carry-over, pipeline and revenue by month" if sales else
        "Spend and its carry-over by month", x_title="Month", y_title=f"Spend ({symbol})", height=420,
        yaxis={"rangemode": "tozero"}, **right, **partial.band()))


def response_curve(monthly: pd.DataFrame, fit: Mapping[str, Any], *, channel: str, symbol: str = "$",
                   through: date | None = None) -> go.Figure:
    """Monthly pipeline against monthly spend, the fitted a·spend^b curve and the current spend marked; a month not
    complete by `through` (the last day the data covers) drawn hollow, its hover saying it is partial."""
    cols = arrays(monthly)
    spent = cols.spend > 0
    spend, pipeline = cols.spend[spent], cols.pipeline_created[spent]
    months = pd.to_datetime(cols.month[spent]).strftime("%b %Y").to_numpy()
    partial = partial_months(cols.month[spent], through)
    traces = [plot.Scatter(x=spend, y=pipeline, name="Months", text=months,
                           **partial.line(f"%{{text}}: spend {symbol}%{{x:,.0f}}, pipeline {symbol}%{{y:,.0f}}"
                                          "<extra></extra>", mode="markers", marker={"color": BLUE, "size": 9}))]
    a, b, current = fit.get("a"), fit.get("b"), fit.get("current_spend")
    if a is not None and b is not None and np.isfinite(a) and np.isfinite(b) and len(spend):
        top = max(float(spend.max()), float(current or 0)) * 1.3
        xs = np.linspace(0, top, 80)
        traces.append(plot.Scatter(x=xs, y=a * np.power(xs, b), mode="lines", name=f"Fit: a·spend^{b:.2f}",
                                   line={"color": ORANGE}, hoverinfo="skip"))
        if current is not None and np.isfinite(current):
            traces.append(plot.Scatter(x=[current], y=[a * current**b], mode="markers", name="Current spend",
                                       marker={"color": VERMILION, "size": 14, "symbol": "diamond"},
                                       hovertemplate=f"Current: {symbol}%{{x:,.0f}} a month<extra></extra>"))
    return figure(traces, layout(title=f"Response curve: {channel}", x_title=f"Monthly spend ({symbol})",
                                 y_title=f"Pipeline created that month ({symbol})", hovermode="closest"))


def overspend(frame: pd.DataFrame) -> go.Figure:
    """Share of spend beside share of attributed pipeline, per campaign (horizontal bars, biggest gap on top)."""
    rows = arrays(frame.iloc[::-1])
    return figure([
        plot.Bar(y=rows.campaign, x=rows.spend_share * 100, orientation="h", name="Share of spend",
                 marker_color=VERMILION, hovertemplate="Spend: %{x:.1f}%<extra></extra>"),
        plot.Bar(y=rows.campaign, x=rows.pipeline_share * 100, orientation="h", name="Share of attributed pipeline",
                 marker_color=BLUE, hovertemplate="Pipeline: %{x:.1f}%<extra></extra>"),
    ], layout(title="Share of spend vs share of attributed pipeline", x_title="Share (%)", y_title="Campaign",
              height=max(320, 60 + 45 * len(frame)), barmode="group", hovermode="y unified",
              yaxis={"automargin": True}))
