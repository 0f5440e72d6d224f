"""ui.chart_view.draw: every page draws its charts through it, and a chart with nothing to draw becomes a sentence."""

from __future__ import annotations

import ast
from pathlib import Path

import numpy as np
import pandas as pd
import plotly.graph_objects as go
from streamlit.testing.v1 import AppTest

from ui.charts import funnel as funnel_charts
from ui.charts import has_data, plan, quota

PAGES = Path(__file__).resolve().parents[2] / "pages"


def test_chart_view_is_how_every_page_draws_a_chart():
    direct, drawn = [], []
    for path in sorted(PAGES.glob("*.py")):
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute):
                if node.func.attr == "plotly_chart":
                    direct.append(f"{path.name}:{node.lineno}")
                elif node.func.attr == "draw" and getattr(node.func.value, "id", None) == "chart_view":
                    drawn.append(path.name)
    assert not direct, f"charts drawn without ui.chart_view.draw (an empty one would show blank axes): {direct}"
    assert {"leadership.py", "campaigns.py", "quota.py", "segments.py", "funnel.py", "joint_plan.py",
            "meeting.py"} <= set(drawn)


def draw_script():
    """A page drawing an empty chart, one with data, and an empty one in a column."""
    import pandas as pd
    import streamlit as st

    from ui import chart_view
    from ui.charts import quota

    frame = pd.DataFrame({"team": ["EMEA"], "month": [pd.Timestamp("2026-03-01")], "booked": [5.0],
                          "quota": [9.0]})
    chart_view.draw(quota.history(frame.iloc[0:0]), key="page_empty_chart", empty="No bookings: import deals.")
    chart_view.draw(quota.history(frame), key="page_history_chart")
    left, _ = st.columns(2)
    chart_view.draw(quota.history(frame.iloc[0:0]), key="page_column_chart", where=left)


def test_chart_view_draws_a_sentence_instead_of_empty_axes():
    at = AppTest.from_function(draw_script, default_timeout=30).run()
    assert not at.exception, [e.value for e in at.exception]
    charts = at.get("plotly_chart")
    assert len(charts) == 1 and "page_history_chart" in charts[0].proto.id
    assert [i.value for i in at.info][0] == "No bookings: import deals."
    assert at.columns[0].info[0].value.startswith("Nothing to draw for this selection")  # the default, in its column


def test_chart_view_has_data_tells_empty_figures_from_drawn_ones():
    months = [pd.Timestamp("2026-01-01"), pd.Timestamp("2026-02-01")]
    empty = pd.DataFrame({"team": [], "month": [], "booked": [], "quota": []})
    assert not has_data(quota.history(empty))
    assert not has_data(go.Figure())
    delivery = pd.DataFrame({"month": months, "mqls": [np.nan, np.nan], "target_mqls": [np.nan, np.nan]})
    assert not has_data(funnel_charts.mql_delivery(delivery))  # months, but not a value among them
    assert has_data(funnel_charts.mql_delivery(delivery.assign(mqls=[0.0, np.nan])))  # zero is a value
    gap = pd.DataFrame({"channel": ["search", "search"], "month": months, "gap": [np.nan, np.nan]})
    assert not has_data(plan.gap_heatmap(gap))
    assert has_data(plan.gap_heatmap(gap.assign(gap=[1.0, np.nan])))
    reps = pd.DataFrame({"rep_id": ["R1"], "attainment_to_date": [np.nan]})
    assert not has_data(quota.attainment_spread(reps))  # a histogram of no values
    assert has_data(quota.attainment_spread(reps.assign(attainment_to_date=[0.5])))
