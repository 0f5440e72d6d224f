"""Drawing a chart on a page: the figure, or a sentence when it has nothing to show (never empty axes)."""

from __future__ import annotations

import contextlib
from typing import Any

import plotly.graph_objects as go
import streamlit as st
from streamlit.delta_generator import DeltaGenerator

from ui import widgets
from ui.charts import has_data

NOTHING_TO_DRAW = ("Nothing to draw for this selection. Widen the period or clear some of the filters in the "
                   "sidebar.")


def draw(fig: go.Figure, *, key: str, empty: str | None = None, where: DeltaGenerator | None = None,
         **options: Any) -> Any:
    """`st.plotly_chart(fig, key=key, **options)` (in `where`, a column or container, if given), or, when the figure
    has no value to draw, the sentence `empty` (a default one if not given) in its place. Returns what plotly_chart
    returns (the selection, with on_select), None when the sentence is shown."""
    if not has_data(fig):
        with where if where is not None else contextlib.nullcontext():
            widgets.empty(empty or NOTHING_TO_DRAW)
        return None
    return (where if where is not None else st).plotly_chart(fig, key=key, **options)
