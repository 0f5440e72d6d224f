"""Campaign figures: spend, performance by channel, attribution models side by side, spend against pipeline,
response curves and the overspend list. Pure: DataFrame → go.Figure."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import numpy as np
import pandas as pd
import plotly.graph_objects as go

from ui.charts import BLUE, GREEN, GREY, OKABE_ITO, ORANGE, VERMILION, base_layout


def spend_by_month(frame: pd.DataFrame, *, campaign: str, symbol: str = "$") -> go.Figure:
    """One campaign's spend per month (bars)."""
    fig = go.Figure([go.Bar(x=frame.month, y=frame.spend, name="Spend", marker_color=BLUE,
                            hovertemplate=f"%{{x|%b %Y}}: {symbol}%{{y:,.0f}}<extra></extra>")])
    return base_layout(fig, title=f"Spend by month: {campaign}", x_title="Month", y_title=f"Spend ({symbol})",
                       height=300)


def performance_by_channel(frame: pd.DataFrame, *, symbol: str = "$") -> go.Figure:
    """Spend beside attributed won revenue and sourced pipeline, per channel (grouped bars)."""
    fig = go.Figure()
    for column, name, colour in (("spend", "Spend", GREY), ("pipeline", "Sourced pipeline", BLUE),
                                 ("won_revenue", "Attributed won revenue", GREEN)):
        fig.add_trace(go.Bar(x=frame.channel, y=frame[column], name=name, marker_color=colour,
                             hovertemplate=f"{name}: {symbol}%{{y:,.0f}}<extra></extra>"))
    fig.update_layout(barmode="group")
    return base_layout(fig, title="Spend, pipeline and won revenue by channel", x_title="Channel",
                       y_title=f"Amount ({symbol})")


def model_comparison(frame: pd.DataFrame, *, labels: Mapping[str, str], symbol: str = "$") -> go.Figure:
    """Attributed won revenue per channel, one bar per model (grouped). The "Unattributed" channel is left out:
    it is the same under every model and would dwarf the differences the chart is for."""
    fig = go.Figure()
    channels = frame[frame.channel != "Unattributed"]
    for i, (model, label) in enumerate(labels.items()):
        rows = channels[channels.model == model]
        fig.add_trace(go.Bar(x=rows.channel, y=rows.attributed_revenue, name=label,
                             marker_color=OKABE_ITO[i % len(OKABE_ITO)],
                             hovertemplate=f"{label}: {symbol}%{{y:,.0f}}<extra></extra>"))
    fig.update_layout(barmode="group")
    return base_layout(fig, title="Won revenue by channel under each attribution model", x_title="Channel",
                       y_title=f"Attributed won revenue ({symbol})", height=420)


def sourced_vs_influenced(frame: pd.DataFrame, *, symbol: str = "$") -> go.Figure:
    """Sourced beside influenced pipeline per channel (grouped bars)."""
    fig = go.Figure([
        go.Bar(x=frame.channel, y=frame.sourced_pipeline, name="Sourced", marker_color=BLUE,
               hovertemplate=f"Sourced: {symbol}%{{y:,.0f}}<extra></extra>"),
        go.Bar(x=frame.channel, y=frame.influenced_pipeline, name="Influenced", marker_color=ORANGE,
               hovertemplate=f"Influenced: {symbol}%{{y:,.0f}}<extra></extra>"),
    ])
    fig.update_layout(barmode="group")
    return base_layout(fig, title="Sourced vs influenced pipeline by channel", x_title="Channel",
                       y_title=f"Pipeline created ({symbol})")


def spend_vs_pipeline(frame: pd.DataFrame, *, theta: float, symbol: str = "$") -> go.Figure:
    """Raw and adstocked spend (left axis) against pipeline created and won revenue (right axis), by month."""
    fig = go.Figure([
        go.Bar(x=frame.month, y=frame.spend, name="Spend", marker_color=GREY, opacity=0.6,
               hovertemplate=f"Spend: {symbol}%{{y:,.0f}}<extra></extra>"),
        go.Scatter(x=frame.month, y=frame.adstocked_spend, name=f"Adstocked spend (θ = {theta:.2f})",
                   mode="lines+markers", line={"color": VERMILION, "dash": "dot"},
                   hovertemplate=f"Adstocked: {symbol}%{{y:,.0f}}<extra></extra>"),
        go.Scatter(x=frame.month, y=frame.pipeline_created, name="Pipeline created", yaxis="y2",
                   mode="lines+markers", line={"color": BLUE},
                   hovertemplate=f"Pipeline: {symbol}%{{y:,.0f}}<extra></extra>"),
        go.Scatter(x=frame.month, y=frame.won_revenue, name="Won revenue", yaxis="y2", mode="lines+markers",
                   line={"color": GREEN}, hovertemplate=f"Won: {symbol}%{{y:,.0f}}<extra></extra>"),
    ])
    fig.update_layout(yaxis2={"overlaying": "y", "side": "right", "rangemode": "tozero", "showgrid": False},
                      yaxis={"rangemode": "tozero"})
    base_layout(fig, title="Spend is not sales: spend, carry-over, pipeline and revenue by month",
                x_title="Month", y_title=f"Spend ({symbol})", height=420)
    # base_layout titles every y axis; the right one holds pipeline and revenue.
    fig.update_layout(yaxis2={"title": {"text": f"Pipeline and won revenue ({symbol})"}})
    return fig


def response_curve(monthly: pd.DataFrame, fit: Mapping[str, Any], *, channel: str, symbol: str = "$") -> go.Figure:
    """Monthly pipeline against monthly spend, the fitted a·spend^b curve and the current spend marked."""
    points = monthly[monthly.spend > 0]
    months = pd.to_datetime(points.month).dt.strftime("%b %Y")
    fig = go.Figure([go.Scatter(x=points.spend, y=points.pipeline_created, mode="markers", name="Months",
                                marker={"color": BLUE, "size": 9}, text=months,
                                hovertemplate=(f"%{{text}}: spend {symbol}%{{x:,.0f}}, "
                                               f"pipeline {symbol}%{{y:,.0f}}<extra></extra>"))])
    a, b, current = fit.get("a"), fit.get("b"), fit.get("current_spend")
    if a is not None and b is not None and np.isfinite(a) and np.isfinite(b) and len(points):
        top = max(float(points.spend.max()), float(current or 0)) * 1.3
        xs = np.linspace(0, top, 80)
        fig.add_trace(go.Scatter(x=xs, y=a * np.power(xs, b), mode="lines", name=f"Fit: a·spend^{b:.2f}",
                                 line={"color": ORANGE}, hoverinfo="skip"))
        if current is not None and np.isfinite(current):
            fig.add_trace(go.Scatter(x=[current], y=[a * current**b], mode="markers", name="Current spend",
                                     marker={"color": VERMILION, "size": 14, "symbol": "diamond"},
                                     hovertemplate=f"Current: {symbol}%{{x:,.0f}} a month<extra></extra>"))
    fig.update_layout(hovermode="closest")
    return base_layout(fig, title=f"Response curve: {channel}", x_title=f"Monthly spend ({symbol})",
                       y_title=f"Pipeline created that month ({symbol})")


def overspend(frame: pd.DataFrame) -> go.Figure:
    """Share of spend beside share of attributed pipeline, per campaign (horizontal bars, biggest gap on top)."""
    rows = frame.iloc[::-1]
    fig = go.Figure([
        go.Bar(y=rows.campaign, x=rows.spend_share * 100, orientation="h", name="Share of spend",
               marker_color=VERMILION, hovertemplate="Spend: %{x:.1f}%<extra></extra>"),
        go.Bar(y=rows.campaign, x=rows.pipeline_share * 100, orientation="h", name="Share of attributed pipeline",
               marker_color=BLUE, hovertemplate="Pipeline: %{x:.1f}%<extra></extra>"),
    ])
    fig.update_layout(barmode="group", hovermode="y unified")
    fig.update_yaxes(automargin=True)
    return base_layout(fig, title="Share of spend vs share of attributed pipeline", x_title="Share (%)",
                       y_title="Campaign", height=max(320, 60 + 45 * len(rows)))
