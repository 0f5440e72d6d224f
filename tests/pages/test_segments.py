"""The Segments page in AppTest: the grid, the drill into a cell, where to focus, and the filters."""

from __future__ import annotations

import pytest
from helpers import app

MARCH = {"start": "2026-03-01", "end": "2026-03-31", "as_of": "2026-03-31"}
SAMPLE = {"start": "2025-06-01", "end": "2026-11-26", "as_of": "2026-11-26"}
PAGE = "pages/segments.py"


def table(at, column: str):
    return next(d.value for d in at.dataframe if column in d.value.columns)


@pytest.fixture
def fixture_db(make_db, monkeypatch):
    path = make_db("base.sql", "funnel.sql")
    monkeypatch.setenv("TANDEM_DB", str(path))
    return path


def test_segments_page_fixture_drill_into_a_cell(fixture_db):
    at = app(**MARCH).run()
    at.switch_page(PAGE).run()
    assert not at.exception, [e.value for e in at.exception]
    assert at.get("plotly_chart")
    cell = at.selectbox(key="segments_cell")
    assert cell.value.startswith("No cell")
    cell.set_value("EMEA · SMB").run()
    assert not at.exception
    shown = {m.label: m.value for m in at.metric}
    assert (shown["Leads"], shown["Won deals"], shown["Conversion"], shown["Win rate"]) == ("4", "1", "25.0%", "50%")
    detail = table(at, "deal_stage")
    assert detail.lead_id.tolist() == ["L1", "L2", "L7", "L12"]


def test_segments_page_fixture_where_to_focus(fixture_db):
    at = app(**MARCH).run()
    at.switch_page(PAGE).run()
    at.number_input(key="segments_min_leads").set_value(1).run()
    focus = table(at, "industry")
    assert focus.iloc[0][["region", "segment", "industry"]].tolist() == ["EMEA", "SMB", "Software"]
    assert focus.revenue_per_lead.is_monotonic_decreasing
    at.selectbox(key="segments_industry").set_value("Retail").run()
    assert not at.exception
    assert set(table(at, "industry").industry) == {"Retail"}


def test_segments_page_sample_filters_and_metric(app_db):
    at = app(**SAMPLE).run()
    at.switch_page(PAGE).run()
    assert not at.exception
    all_regions = table(at, "industry")
    assert set(all_regions.region) == {"NA", "EMEA", "APAC", "LATAM"}
    at.sidebar.multiselect(key="filter_regions").set_value(["APAC"]).run()
    assert not at.exception
    assert set(table(at, "industry").region) == {"APAC"}
    cell = at.selectbox(key="segments_cell")
    assert sorted(cell.options[1:]) == ["APAC · Enterprise", "APAC · Mid-Market", "APAC · SMB"]
    cell.set_value("APAC · SMB").run()
    assert set(table(at, "deal_stage").region) == {"APAC"}
    at.selectbox(key="segments_metric").set_value("win_rate").run()
    assert not at.exception and at.query_params["metric"] == "win_rate"
