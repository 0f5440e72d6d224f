"""Drawing a chart on a page: the figure, or a sentence when it has nothing to show (never empty axes); tabs of charts
that draw only the open one."""

from __future__ import annotations

import contextlib
from collections.abc import Mapping
from typing import Any

import plotly.graph_objects as go
import streamlit as st
from streamlit.delta_generator import DeltaGenerator

from ui import filters, widgets
from ui.charts import has_data

# Every tab group drawn so far, {key: {view name: label}}: the page checks open each view of each group in turn.
TAB_GROUPS: dict[str, dict[str, str]] = {}

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


def tabs(views: Mapping[str, str], *, key: str, param: str) -> tuple[str, Any]:
    """Tabs for views of one subject ({name in the URL: tab label}), of which only the open one is drawn: the browser
    draws a chart in a closed tab as it draws one in view, so closed tabs stay empty and opening one reruns the page.
    The first view is open unless the URL parameter `param` names another; the open one goes back into the URL (the
    first by leaving it out). Returns the open view's name and its tab, for the page to draw into:

        view, tab = chart_view.tabs({"trend": "Trend", "year": "Against a year before"}, key=…, param="brand_view")
        with tab:
            if view == "trend": …
    """
    names = list(views)

    def parse(text: str) -> str:
        if text not in views:
            raise ValueError(text)
        return views[text]

    TAB_GROUPS[key] = dict(views)
    filters.seed(key, param, views[names[0]], parse)
    containers = st.tabs(list(views.values()), key=key, on_change="rerun")
    index = next((i for i, container in enumerate(containers) if container.open), 0)
    filters.publish(param, names[index] if index else None)
    return names[index], containers[index]
