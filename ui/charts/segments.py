"""Segment figures: the clickable region × segment grid of one metric. Pure: DataFrame → go.Figure."""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go

from ui.charts import figure, layout, plot

# A colour-vision-safe sequential scale (light to Okabe–Ito blue).
SCALE = [[0.0, "#F2F7FB"], [0.5, "#7FB3D9"], [1.0, "#0072B2"]]


def heatmap(frame: pd.DataFrame, *, metric: str, title: str, value_format: str, prefix: str = "",
            rows: str = "region", columns: str = "segment", count: str = "leads", count_noun: str = "leads",
            click_for: str | None = "its leads and deals") -> go.Figure:
    """One tile per (row, column) cell coloured by `metric` and labelled with it, the colour scale's ticks formatted
    as the labels are; the hover gives the cell's `count` column as "N `count_noun`"; the title says what a click on a
    tile shows (`click_for`; None: a click shows nothing).

    Drawn as square markers rather than go.Heatmap because Plotly reports click selections for scatter points
    (Streamlit's on_select) but not for heatmap cells. customdata holds (row value, column value, count).
    """
    cells = frame.dropna(subset=[rows, columns])
    values = cells[metric].astype(float)
    labels = [f"{prefix}{v:{value_format}}" if pd.notna(v) else "—" for v in values]
    low, high = values.min(), values.max()
    shade = (values - low) / (high - low) if high > low else values * 0
    # Dark text on the pale tiles, white on the dark ones.
    text_colours = ["#FFFFFF" if s > 0.55 else "#111111" for s in shade.fillna(0)]
    row_values, column_values = cells[rows].astype(str).to_numpy(), cells[columns].astype(str).to_numpy()
    return figure([plot.Scatter(
        x=column_values, y=row_values, mode="markers+text", text=labels,
        textfont={"size": 15, "color": text_colours}, customdata=cells[[rows, columns, count]].to_numpy(),
        selected={"marker": {"opacity": 1.0}}, unselected={"marker": {"opacity": 0.45}},
        marker={"symbol": "square", "size": 96, "color": values.fillna(0).to_numpy(), "colorscale": SCALE,
                "showscale": True, "colorbar": {"title": {"text": title}, "tickformat": value_format,
                                                "tickprefix": prefix},
                "line": {"width": 1, "color": "#FFFFFF"}},
        hovertemplate=(f"{rows.capitalize()} %{{customdata[0]}} · {columns} %{{customdata[1]}}<br>{title}: %{{text}}"
                       f"<br>%{{customdata[2]:,}} {count_noun}<extra></extra>"),
    )], layout(
        title=f"{title} by {rows} and {columns}" + (f" (click a tile for {click_for})" if click_for else ""),
        x_title=columns.capitalize(), y_title=rows.capitalize(), height=max(320, 110 * cells[rows].nunique() + 140),
        hovermode="closest", clickmode="event+select", dragmode=False, plot_bgcolor="#FFFFFF",
        xaxis={"type": "category", "categoryorder": "array", "categoryarray": sorted(set(column_values)),
               "showgrid": False},
        yaxis={"type": "category", "categoryorder": "array", "categoryarray": sorted(set(row_values), reverse=True),
               "showgrid": False}))
