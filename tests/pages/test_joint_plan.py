"""The Joint plan page: measured rates and the reverse funnel on a hand fixture, its controls, saving targets."""

from __future__ import annotations

from datetime import date

import duckdb
import pytest
from helpers import app

pytestmark = pytest.mark.slow


@pytest.fixture
def fixture_db(make_db, monkeypatch):
    path = make_db("base.sql", "plan.sql")
    monkeypatch.setenv("TANDEM_DB", str(path))
    return path


def open_page(**params):
    at = app(**params).run()
    at.switch_page("pages/joint_plan.py").run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def table_with(at, column):
    return next(d.value for d in at.dataframe if column in d.value.columns)


def targets_shown(frame):
    """A targets table, one row per month and a column per metric, as lists (-1 where a month has no target)."""
    return frame[["month", "mqls", "sourced_pipeline"]].fillna(-1).values.tolist()


def stored_targets(path):
    con = duckdb.connect(str(path))  # the app holds a read-write connection: same configuration
    try:
        return con.execute("SELECT month, metric, value, updated_by FROM targets WHERE team = 'marketing' "
                           "ORDER BY month, metric").fetchall()
    finally:
        con.close()


# As of mid-June the plan starts in July; three trailing months are April–June (the fixture's funnel).
PLAN = {"as_of": "2026-06-15", "plan_months": "4", "plan_window": "3"}


def test_joint_plan_shows_measured_rates_and_needs(fixture_db):
    at = open_page(**PLAN)
    tiles = {m.label: m.value for m in at.metric}
    assert (tiles["Win rate (by value)"], tiles["Marketing-sourced"], tiles["Pipeline per SQL"]) == ("40%", "50%",
                                                                                                     "$25k")
    assert (tiles["MQL → SQL"], tiles["Lead → MQL"], tiles["Sales cycle"]) == ("40%", "50%", "61 days")
    funnel = table_with(at, "required_leads")
    april = funnel[(funnel.month == date(2026, 4, 1)) & (funnel.channel == "search")].iloc[0]
    assert (april.required_mqls, april.required_leads) == (pytest.approx(3.0), pytest.approx(6.0))
    assert april.already_past
    assert "already past" in " ".join(m.value for m in at.markdown)
    # Leads needed and the gap heatmap are tabs: one chart drawn at a time, the open one kept in the URL.
    assert [c.proto.id.split("-")[-1] for c in at.get("plotly_chart")] == ["joint_plan_leads_chart"]
    at.session_state["joint_plan_view"] = "Gap against the run rate"
    at.run()
    assert [c.proto.id.split("-")[-1] for c in at.get("plotly_chart")] == ["joint_plan_gap_chart"]
    assert at.query_params["plan_view"] == "gap"


def test_joint_plan_saves_targets_and_reads_them_back(fixture_db):
    at = open_page(**PLAN)
    # July gets both targets, August the pipeline alone (its MQLs serve closes after the plan).
    expected = [[date(2026, 7, 1), 5.0, 0.0], [date(2026, 8, 1), -1, 50000.0]]
    assert targets_shown(table_with(at, "sourced_pipeline")) == expected
    at.button(key="joint_plan_save").click().run()
    assert not at.exception, [e.value for e in at.exception]
    assert "Saved 3 targets for Jul 2026 – Aug 2026" in at.success[0].value
    # July's MQL target (99 in the fixture) is replaced by the plan's 5; August's pipeline target is new.
    assert stored_targets(fixture_db) == [
        (date(2026, 7, 1), "mqls", 5.0, "local"),
        (date(2026, 7, 1), "sourced_pipeline", 0.0, "local"),
        (date(2026, 8, 1), "sourced_pipeline", 50000.0, "local"),
    ]
    saved = [d.value for d in at.dataframe if "sourced_pipeline" in d.value.columns]
    assert len(saved) == 2 and targets_shown(saved[-1]) == expected  # the proposal, then what was read back


def test_joint_plan_team_choice_changes_the_plan_and_blocks_saving(fixture_db):
    at = open_page(**PLAN)
    at.selectbox(key="joint_plan_team").set_value("EMEA").run()
    assert not at.exception
    assert {m.label: m.value for m in at.metric}["Win rate (by value)"] == "100%"
    funnel = table_with(at, "required_revenue")
    assert funnel[funnel.month == date(2026, 7, 1)].required_revenue.sum() == 20000.0
    assert at.button(key="joint_plan_save").disabled
    assert at.query_params["plan_team"] == "EMEA"


def test_joint_plan_short_plan_explains_why_nothing_is_saved(fixture_db):
    at = open_page(as_of="2026-06-15", plan_months="2", plan_window="3")
    assert at.button(key="joint_plan_save").disabled
    assert any("Plan at least 4 months" in c.value for c in at.caption)


def test_joint_plan_without_history_says_so(fixture_db):
    at = open_page(as_of="2025-06-15")
    assert any("Not enough history" in i.value for i in at.info)


def test_joint_plan_on_the_sample_saves_targets(app_db):
    at = open_page()
    at.button(key="joint_plan_save").click().run()
    assert not at.exception
    assert at.success and stored_targets(app_db)
