"""Every benchmark view (bench/workload.py) draws the same charts, JSON for JSON, with Plotly's property checks on."""

from __future__ import annotations

import json

import pytest
from helpers import app, every_tab

import ui.charts
from bench.workload import END, VARIANTS

# The views that draw no chart (a list, a form, tables only).
WITHOUT_CHARTS = {"Campaigns · plan", "Planning meeting · list", "Definitions", "Data · import", "Data · history",
                  "Data · health", "Settings"}


def chart_specs(variant, *, checked: bool, monkeypatch) -> list[dict]:
    monkeypatch.setattr(ui.charts, "CHECKED", checked)
    at = app(as_of=END.isoformat()).run()  # the sample's last day, as the benchmark: "this month" has data
    for key, value in variant.state:
        at.session_state[key] = value
    at.switch_page(variant.path).run()
    specs = []
    for state in every_tab(at):  # a closed tab draws nothing: each view of each tab group in turn
        assert not state.exception, [e.message for e in state.exception]
        specs += [json.loads(chart.proto.spec) for chart in state.get("plotly_chart")]
    return specs


@pytest.mark.parametrize("variant", VARIANTS, ids=[v.name for v in VARIANTS])
@pytest.mark.slow
def test_charts_of_every_view_are_the_same_with_plotlys_checks_on(app_db, monkeypatch, variant):
    # ui.charts builds figures without the checks (ui.charts.CHECKED) for speed: they must change nothing.
    unchecked = chart_specs(variant, checked=False, monkeypatch=monkeypatch)
    checked = chart_specs(variant, checked=True, monkeypatch=monkeypatch)
    assert unchecked == checked
    if variant.name in WITHOUT_CHARTS:
        assert unchecked == []
    else:
        assert unchecked and all(spec["data"] for spec in unchecked)


def test_charts_misspelt_property_is_caught_only_when_checked(monkeypatch):
    monkeypatch.setattr(ui.charts, "CHECKED", False)
    # Kept as given: the browser would draw the bar without the colour.
    assert ui.charts.plot.Bar(x=[1], colour="red").to_plotly_json()["colour"] == "red"
    monkeypatch.setattr(ui.charts, "CHECKED", True)
    with pytest.raises(ValueError, match="colour"):
        ui.charts.plot.Bar(x=[1], colour="red")
