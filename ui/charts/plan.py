"""Joint-plan figures: leads needed against the run-rate forecast, and the gap by month and channel.
Pure: DataFrame → go.Figure."""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go

from ui.charts import BLACK, GREY, OKABE_ITO, base_layout


def leads_needed(frame: pd.DataFrame, *, start_month) -> go.Figure:
    """Leads needed per month stacked by channel, the run-rate forecast as a line; months before the plan shaded."""
    channels = frame[frame.required_leads.notna()]
    fig = go.Figure()
    for i, (channel, rows) in enumerate(channels.groupby("channel", sort=True)):
        fig.add_trace(go.Bar(x=rows.month, y=rows.required_leads, name=channel,
                             marker_color=OKABE_ITO[i % len(OKABE_ITO)],
                             hovertemplate=f"{channel}: %{{y:,.0f}} leads needed<extra></extra>"))
    forecast = channels.groupby("month", as_index=False).forecast_leads.sum()
    fig.add_trace(go.Scatter(x=forecast.month, y=forecast.forecast_leads, name="Forecast at run rate",
                             mode="lines+markers", line={"color": BLACK, "dash": "dash"},
                             hovertemplate="Forecast: %{y:,.0f} leads<extra></extra>"))
    past = channels[channels.already_past].month
    if not past.empty:
        first = pd.Timestamp(past.min()) - pd.Timedelta(days=15)
        last = pd.Timestamp(start_month) - pd.Timedelta(days=15)
        fig.add_vrect(x0=first, x1=last, fillcolor=GREY, opacity=0.15, line_width=0,
                      annotation_text="already past", annotation_position="top left")
    fig.update_layout(barmode="stack")
    return base_layout(fig, title="Leads needed, by the month they are needed", x_title="Month",
                       y_title="Leads (count)", height=400)


def gap_heatmap(frame: pd.DataFrame) -> go.Figure:
    """Gap (leads needed − forecast) by month and channel: red where short of leads, blue where ahead."""
    rows = frame[frame.gap.notna()]
    grid = rows.pivot(index="channel", columns="month", values="gap")
    labels = [f"{m:%b %Y}" for m in grid.columns]
    limit = float(max(abs(grid.min().min()), abs(grid.max().max()), 1))
    fig = go.Figure([go.Heatmap(z=grid.values, x=labels, y=grid.index, zmid=0, zmin=-limit, zmax=limit,
                                colorscale=[[0, "#0072B2"], [0.5, "#F7F7F7"], [1, "#D55E00"]],
                                text=grid.round(0).values, texttemplate="%{text:,.0f}",
                                colorbar={"title": {"text": "Leads"}},
                                hovertemplate="%{y}, %{x}: gap %{z:,.0f} leads<extra></extra>")])
    fig.update_layout(hovermode="closest")
    return base_layout(fig, title="Gap: leads needed − forecast (positive = short)", x_title="Month",
                       y_title="Channel", height=max(280, 40 * len(grid) + 140))
