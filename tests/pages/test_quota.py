"""The Quota & pipeline page: this month's tiles on a hand fixture, the team filter, the coverage horizon, its tabs."""

from __future__ import annotations

import json

import pytest
from helpers import app, every_tab, save_settings

pytestmark = pytest.mark.slow


@pytest.fixture
def fixture_db(make_db, monkeypatch):
    path = make_db("base.sql", "deals.sql")
    monkeypatch.setenv("TANDEM_DB", str(path))
    return path


def open_page(**params):
    """The page as a link to it opens it: its first run is this page, with the link's parameters."""
    at = app(**params)
    at.switch_page("pages/quota.py").run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def section(at, label: str):
    """The page with another of its sections (tabs) opened, as a click on its tab does."""
    at.session_state["quota_view"] = label
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def table_with(at, column):
    """The shown table that has this column (AppTest finds dataframes by position, not key)."""
    return next(d.value for d in at.dataframe if column in d.value.columns)


def tiles(at):
    return {m.label: m.value for m in at.metric}


def test_quota_page_shows_this_months_numbers(fixture_db):
    at = open_page(as_of="2026-03-20", start="2026-03-01", end="2026-03-31")
    got = tiles(at)
    # Quota 5,000 + 5,000 + 8,000; booked D1 (1,000) by the 20th; weighted: D2 at the mean 0.4, D10 at 0.5.
    assert (got["Quota"], got["Booked"], got["Attainment"]) == ("$18k", "$1,000", "6%")
    assert got["Projected (weighted)"] == "$2,700"
    assert "proposal 50%" in " ".join(c.value for c in at.caption)
    # Coverage this month: D2 + D10 = 4,000 open against 17,000 remaining.
    got = tiles(section(at, "Pipeline"))
    assert (got["Open pipeline"], got["Remaining quota"]) == ("$4,000", "$17k")
    assert at.query_params["section"] == "pipeline"
    deals_table = table_with(section(at, "History"), "won_count")
    assert deals_table.set_index("rep_id").loc["R1", "won_count"] == 2
    assert "R4" in set(deals_table.rep_id)


def test_quota_page_reacts_to_the_team_filter(fixture_db):
    at = open_page(as_of="2026-03-20", start="2026-03-01", end="2026-03-31")
    at.sidebar.multiselect(key="filter_teams").set_value(["NA"]).run()
    assert not at.exception
    assert (tiles(at)["Quota"], tiles(at)["Booked"]) == ("$8,000", "$0")
    assert tiles(section(at, "Pipeline"))["Open pipeline"] == "$1,000"
    assert set(table_with(section(at, "History"), "won_count").rep_id) == {"R3", "R4"}


def test_quota_page_applies_the_region_filter_as_the_reps_region(fixture_db):
    at = open_page(as_of="2026-03-20", start="2026-03-01", end="2026-03-31")
    at.sidebar.multiselect(key="filter_regions").set_value(["NA"]).run()
    assert not at.exception
    # R3 and R4 cover NA: the same reps as the NA team.
    assert (tiles(at)["Quota"], tiles(at)["Booked"]) == ("$8,000", "$0")
    assert tiles(section(at, "Pipeline"))["Open pipeline"] == "$1,000"
    assert set(table_with(section(at, "History"), "won_count").rep_id) == {"R3", "R4"}


def test_quota_page_offers_and_applies_an_unassigned_region(make_db, monkeypatch):
    monkeypatch.setenv("TANDEM_DB", str(make_db("base.sql", "unknowns.sql")))
    at = open_page(as_of="2026-04-15", start="2026-04-01", end="2026-04-30", region="Unassigned")
    assert at.sidebar.multiselect(key="filter_regions").value == ["Unassigned"]
    # R5 and R6 have no region: quota 3,000 + 500, booked U2 (1,000); open with an amount: U4 (2,000).
    assert (tiles(at)["Quota"], tiles(at)["Booked"]) == ("$3,500", "$1,000")
    assert tiles(section(at, "Pipeline"))["Open pipeline"] == "$2,000"
    assert set(table_with(section(at, "History"), "won_count").rep_id) == {"R5", "R6"}


def test_quota_page_horizon_widens_coverage_and_goes_to_the_url(fixture_db):
    at = open_page(as_of="2026-03-20", section="pipeline")
    at.slider(key="quota_horizon").set_value(2).run()
    assert not at.exception
    # March–April: D2, D5, D8, D10 open; quota 38,000 − 1,000 booked.
    assert (tiles(at)["Open pipeline"], tiles(at)["Remaining quota"]) == ("$19k", "$37k")
    assert at.query_params["coverage_months"] == "2"
    reopened = open_page(as_of="2026-03-20", coverage_months="2", section="pipeline")
    assert reopened.slider(key="quota_horizon").value == 2
    # To another section and back: the horizon stays as the link set it.
    assert section(section(reopened, "History"), "Pipeline").slider(key="quota_horizon").value == 2
    # A horizon chosen on the page stays too, however many runs the other tabs take.
    at.slider(key="quota_horizon").set_value(4).run()
    for label in ("History", "This month", "Reps", "Pipeline"):
        section(at, label)
    assert at.slider(key="quota_horizon").value == 4 and at.query_params["coverage_months"] == "4"


def test_quota_page_without_quota_says_so(fixture_db):
    at = open_page(as_of="2025-01-15")
    assert any("No quota, booking or open deal for January 2025" in i.value for i in at.info)


def test_quota_page_on_the_sample(app_db):
    at = open_page()
    assert tiles(at)["Quota"].startswith("$")
    # One section in view: its charts only; every section in turn draws all seven.
    assert len(at.get("plotly_chart")) == 1
    drawn = [chart.proto.id.rsplit("-", 1)[-1] for state in every_tab(at) for chart in state.get("plotly_chart")]
    assert len(drawn) == len(set(drawn)) == 7


def test_quota_page_fiscal_quarters_follow_the_settings(app_db):
    save_settings(app_db, {"company": {"fiscal_year_start_month": 2, "currency": "EUR"}})
    at = app(preset="custom", start="2026-02-01", end="2026-04-30").run()
    at.switch_page("pages/quota.py").run()
    assert not at.exception
    shown = next(d for d in section(at, "History").dataframe if "quarter" in d.value.columns)
    assert set(shown.value.quarter) == {"FY27 Q1"}
    columns = json.loads(shown.proto.columns)
    assert columns["booked"]["type_config"]["format"].startswith("€")  # amounts in the company currency
    assert columns["booked"]["label"] == "Booked" and columns["attainment"]["type_config"]["format"] == "percent"
