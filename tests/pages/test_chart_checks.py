"""Every page's charts are built without Plotly's property checks (ui.charts.CHECKED, for speed); with the checks on,
each page view draws exactly the same figures, JSON for JSON, and no check fails.

The views are the benchmark's (bench/workload.py): every page, each campaigns and data view, and an opened
planning meeting with its whole agenda.
"""

from __future__ import annotations

import json

import pytest
from helpers import app

import ui.charts
from bench.workload import VARIANTS

# The views that draw no chart (a list, a form, tables only).
WITHOUT_CHARTS = {"Campaigns · plan", "Planning meeting · list", "Definitions", "Data · import", "Data · history",
                  "Data · health", "Settings"}


def chart_specs(variant, *, checked: bool, monkeypatch) -> list[dict]:
    monkeypatch.setattr(ui.charts, "CHECKED", checked)
    at = app().run()
    for key, value in variant.state:
        at.session_state[key] = value
    at.switch_page(variant.path).run()
    assert not at.exception, [e.message for e in at.exception]
    return [json.loads(chart.proto.spec) for chart in at.get("plotly_chart")]


@pytest.mark.parametrize("variant", VARIANTS, ids=[v.name for v in VARIANTS])
def test_charts_are_the_same_with_plotlys_checks_on(app_db, monkeypatch, variant):
    unchecked = chart_specs(variant, checked=False, monkeypatch=monkeypatch)
    checked = chart_specs(variant, checked=True, monkeypatch=monkeypatch)
    assert unchecked == checked
    if variant.name in WITHOUT_CHARTS:
        assert unchecked == []
    else:
        assert unchecked and all(spec["data"] for spec in unchecked)


def test_a_misspelt_property_is_caught_only_when_checked(monkeypatch):
    monkeypatch.setattr(ui.charts, "CHECKED", False)
    ui.charts.plot.Bar(x=[1], colour="red")  # kept as given: the page would draw it without the colour
    monkeypatch.setattr(ui.charts, "CHECKED", True)
    with pytest.raises(ValueError, match="colour"):
        ui.charts.plot.Bar(x=[1], colour="red")
