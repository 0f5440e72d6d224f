"""The Segments page in AppTest: the grid, the drill into a cell, where to focus, and the filters."""

from __future__ import annotations

import json

import pytest
from helpers import app, without

pytestmark = pytest.mark.slow

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


def captions(at) -> list[str]:
    return [c.value for c in at.caption]


def headers(at) -> set[str]:
    return {c.get("label") for d in at.dataframe for c in json.loads(d.proto.columns).values()}


def test_segments_page_says_what_each_figure_leaves_out(make_db, monkeypatch):
    monkeypatch.setenv("TANDEM_DB", str(make_db("base.sql", "unknowns.sql")))
    at = app(start="2026-04-01", end="2026-04-30", as_of="2026-04-15").run()
    at.switch_page(PAGE).run()
    assert not at.exception, [e.value for e in at.exception]
    # Created in April: N2, N3, N4; N1 and N5 have no created date.
    assert ":material/info: 2 leads have no created date: the grid counts the other 3." in captions(at)
    at.selectbox(key="segments_metric").set_value("avg_cycle_days").run()
    # Won from April's leads: U2 (N2's, no created date) and U8 (N3's, 6 days).
    assert ":material/info: 1 won deal has no created date: the average cycle counts the other 1." in captions(at)
    at.number_input(key="segments_min_leads").set_value(1).run()
    focus = table(at, "industry")
    assert focus.won_without_created_date.sum() == 1 and "Won deals without a created date" in headers(at)


def test_segments_page_from_deals_alone(fixture_db):
    without(fixture_db, "leads")
    at = app(**MARCH).run()
    at.switch_page(PAGE).run()
    assert not at.exception, [e.value for e in at.exception]
    texts = " ".join(m.value for m in at.markdown)
    assert "Conversion and revenue per lead by segment needs leads and touches: import them on the Data page." in texts
    # Closed in March: D1, D4 and the sales-sourced D5, all won, all EMEA reps' SMB deals.
    grid = table(at, "win_rate")
    assert grid[["region", "segment", "won_deals", "lost_deals", "win_rate", "won_amount"]].values.tolist() == [
        ["EMEA", "SMB", 3, 0, 1.0, 117_999.0]]
    assert "Owner rep's region" in headers(at) and len(at.get("plotly_chart")) == 1
    assert "Teams filter does not change this page" in " ".join(captions(at))
    at.selectbox(key="segments_deal_metric").set_value("avg_cycle_days").run()
    assert not at.exception and at.query_params["deal_metric"] == "avg_cycle_days"
    at.sidebar.multiselect(key="filter_regions").set_value(["NA"]).run()
    assert "No deal closed in this period" in " ".join(i.value for i in at.info)


def test_segments_page_from_deals_alone_counts_won_deals_without_a_created_date(make_db, monkeypatch):
    path = make_db("base.sql", "unknowns.sql")
    without(path, "touches", "leads")
    monkeypatch.setenv("TANDEM_DB", str(path))
    at = app(start="2026-04-01", end="2026-04-30", as_of="2026-04-15", deal_metric="avg_cycle_days")
    at.switch_page(PAGE).run()
    assert not at.exception, [e.value for e in at.exception]
    # Won in April: U1, U8 and U2, which has no created date (R5's: no region, no segment).
    assert ":material/info: 1 won deal has no created date: the average cycle counts the other 2." in captions(at)
    assert ("Unassigned", "Unassigned") in set(zip(table(at, "win_rate").region, table(at, "win_rate").segment,
                                                   strict=True))


def test_segments_page_without_deals_shows_the_leads(fixture_db):
    without(fixture_db, "deals")
    at = app(**MARCH).run()
    at.switch_page(PAGE).run()
    assert not at.exception, [e.value for e in at.exception]
    texts = " ".join(m.value for m in at.markdown)
    assert "Conversion, win rate, deal size and cycle by segment needs deals: import them on the Data page." in texts
    assert at.selectbox(key="segments_industry") and not [s for s in at.selectbox if s.key == "segments_metric"]
    at.selectbox(key="segments_cell").set_value("EMEA · SMB").run()
    assert [m.label for m in at.metric] == ["Leads"] and at.metric[0].value == "4"
    assert "deal_id" not in table(at, "lead_id").columns
    assert not [n for n in at.number_input if n.key == "segments_min_leads"]  # no ranking by revenue per lead


def test_segments_page_tables_read_as_words(fixture_db):
    at = app(**MARCH).run()
    at.switch_page(PAGE).run()
    at.number_input(key="segments_min_leads").set_value(1).run()
    at.selectbox(key="segments_cell").set_value("EMEA · SMB").run()
    assert {"Region", "Segment", "Industry", "Leads", "Won deals", "Conversion", "Win rate", "Average won deal",
            "Average cycle", "Revenue per lead", "Lead", "Created", "Deal", "Deal stage", "Amount",
            "Cycle (closed deals)"} <= headers(at)
