"""Figures: DataFrame → Plotly figure, pure functions (no Streamlit, no queries); one module per domain.

This module holds what every chart shares: the palette and the base layout. Built with graph_objects for speed.
"""

from __future__ import annotations

import plotly.graph_objects as go

# Okabe–Ito: distinguishable with every common colour-vision deficiency.
OKABE_ITO = ("#0072B2", "#E69F00", "#009E73", "#D55E00", "#CC79A7", "#56B4E9", "#F0E442", "#000000")
BLUE, ORANGE, GREEN, VERMILION, PURPLE, SKY, YELLOW, BLACK = OKABE_ITO
GREY = "#8C8C8C"


def base_layout(fig: go.Figure, *, title: str, x_title: str | None = None, y_title: str | None = None,
                height: int = 360) -> go.Figure:
    """Title, axis titles (with units), readable fonts and the palette: the look every chart shares."""
    fig.update_layout(title={"text": title, "x": 0, "xanchor": "left"}, height=height, colorway=list(OKABE_ITO),
                      margin={"l": 10, "r": 10, "t": 50, "b": 10}, font={"size": 14},
                      legend={"orientation": "h", "yanchor": "bottom", "y": 1.02, "x": 1, "xanchor": "right"},
                      hovermode="x unified")
    if x_title is not None:
        fig.update_xaxes(title_text=x_title)
    if y_title is not None:
        fig.update_yaxes(title_text=y_title)
    return fig
