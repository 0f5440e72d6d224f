"""Joint-plan figures: leads needed against the run-rate forecast, and the gap by month and channel.
Pure: DataFrame → go.Figure."""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go

from ui.charts import BLACK, GREY, OKABE_ITO, arrays, figure, groups, layout, plot


def leads_needed(frame: pd.DataFrame, *, start_month) -> go.Figure:
    """Leads needed per month stacked by channel, the run-rate forecast as a line; months before the plan shaded."""
    channels = frame[frame.required_leads.notna()]
    traces: list[go.Bar | go.Scatter] = []
    for i, (channel, months) in enumerate(groups(channels, "channel")):
        traces.append(plot.Bar(x=months.month, y=months.required_leads, name=channel,
                               marker_color=OKABE_ITO[i % len(OKABE_ITO)],
                               hovertemplate=f"{channel}: %{{y:,.0f}} leads needed<extra></extra>"))
    forecast = arrays(channels.groupby("month", as_index=False).forecast_leads.sum())
    traces.append(plot.Scatter(x=forecast.month, y=forecast.forecast_leads, name="Forecast at run rate",
                               mode="lines+markers", line={"color": BLACK, "dash": "dash"},
                               hovertemplate="Forecast: %{y:,.0f} leads<extra></extra>"))
    past = channels[channels.already_past].month
    shaded = {}
    if not past.empty:
        # Half a month either side of the bars' centres: the shading covers the past months' bars whole.
        first = pd.Timestamp(past.min()) - pd.Timedelta(days=15)
        last = pd.Timestamp(start_month) - pd.Timedelta(days=15)
        shaded = {"shapes": [{"type": "rect", "x0": first, "x1": last, "xref": "x", "y0": 0, "y1": 1,
                              "yref": "y domain", "fillcolor": GREY, "opacity": 0.15, "line": {"width": 0}}],
                  "annotations": [{"text": "already past", "showarrow": False, "x": first, "xanchor": "left",
                                   "xref": "x", "y": 1, "yanchor": "top", "yref": "y domain"}]}
    return figure(traces, layout(title="Leads needed, by the month they are needed", x_title="Month",
                                 y_title="Leads (count)", height=400, barmode="stack", **shaded))


def gap_heatmap(frame: pd.DataFrame) -> go.Figure:
    """Gap (leads needed − forecast) by month and channel: red where short of leads, blue where ahead."""
    rows = frame[frame.gap.notna()]
    grid = rows.pivot(index="channel", columns="month", values="gap")
    labels = [f"{m:%b %Y}" for m in grid.columns]
    limit = float(max(abs(grid.min().min()), abs(grid.max().max()), 1))
    # hovermode stays the shared "x unified": the layout this replaced set "closest" and then overwrote it.
    return figure([plot.Heatmap(z=grid.to_numpy(), x=labels, y=grid.index.to_numpy(), zmid=0, zmin=-limit,
                                zmax=limit, colorscale=[[0, "#0072B2"], [0.5, "#F7F7F7"], [1, "#D55E00"]],
                                text=grid.round(0).to_numpy(), texttemplate="%{text:,.0f}",
                                colorbar={"title": {"text": "Leads"}},
                                hovertemplate="%{y}, %{x}: gap %{z:,.0f} leads<extra></extra>")],
                  layout(title="Gap: leads needed − forecast (positive = short)", x_title="Month",
                         y_title="Channel", height=max(280, 40 * len(grid) + 140)))
