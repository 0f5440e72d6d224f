"""The Campaigns page in AppTest: numbers on a hand fixture, the model switch and its URL, filters, detail."""

from __future__ import annotations

import pytest
from helpers import app

from sample_data import truths

PAGE = "pages/campaigns.py"
FIXTURE_PERIOD = {"start": "2026-03-01", "end": "2026-04-30", "as_of": "2026-04-15"}
SAMPLE_PERIOD = {"start": "2025-12-01", "end": "2026-11-26", "as_of": "2026-11-26"}


def open_page(**params):
    at = app(**params).run()
    at.switch_page(PAGE).run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def metrics(at) -> dict[str, str]:
    return {m.label: m.value for m in at.metric}


def table(at, first_column: str, *, containing: str | None = None):
    """The first dataframe on the page whose first column is `first_column` (and has `containing`, if given)."""
    for frame in at.dataframe:
        value = frame.value
        if len(value.columns) and value.columns[0] == first_column and (containing is None or containing in value):
            return value
    raise AssertionError(f"no table starting with {first_column}")


@pytest.fixture
def fixture_db(make_db, monkeypatch):
    path = make_db("base.sql", "attribution.sql", "campaigns.sql")
    monkeypatch.setenv("TANDEM_DB", str(path))
    return path


def show(at, section: str):
    at.radio(key="campaigns_view").set_value(section).run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def test_campaigns_page_shows_hand_counted_numbers(fixture_db):
    at = open_page(**FIXTURE_PERIOD)
    shown = metrics(at)
    # Plan as of 15 April: C4 planned; C1, C2, C3 running; C5 ended.
    assert (shown["Planned"], shown["Running"], shown["Ended"]) == ("1", "3", "1")
    assert not at.get("plotly_chart")  # the plan is a table; charts belong to the other sections
    shown = metrics(show(at, "attribution"))
    assert at.query_params["view"] == "attribution"
    # Won in the period: D1–D6 = 21,750, of which D4 + D5 = 750 have no touch.
    assert shown["Won revenue in the period"] == "$22k"
    assert shown["Unattributed"] == "$750"
    credit = table(at, "campaign_id", containing="attributed_revenue")
    assert dict(zip(credit.campaign, credit.attributed_revenue, strict=True)) == {
        "Webinars": 9666.67, "Spring search": 6916.66, "Big billboard": 4416.67, "Unattributed": 750.00}
    assert len(at.get("plotly_chart")) == 2  # models side by side, sourced vs influenced
    show(at, "spend")
    overspend = table(at, "campaign_id", containing="share_gap")
    assert overspend.campaign_id.tolist() == ["C3"]
    assert len(at.get("plotly_chart")) == 2  # spend by month and the overspend list (two months: no curve)
    performance = table(show(at, "performance"), "campaign_id", containing="roi")
    assert performance.campaign_id.tolist() == ["C3", "C2", "C1"]


def test_campaigns_page_model_switch_changes_numbers_and_url(fixture_db):
    at = open_page(**FIXTURE_PERIOD, view="attribution")
    at.radio(key="campaigns_model").set_value("first_touch").run()
    assert not at.exception
    assert at.query_params["model"] == "first_touch"
    credit = table(at, "campaign_id", containing="attributed_revenue")
    assert dict(zip(credit.campaign, credit.attributed_revenue, strict=True)) == {
        "Spring search": 21000.00, "Unattributed": 750.00}
    assert any("First touch" in c.value and "100 %" in c.value for c in at.caption)
    at.radio(key="campaigns_model").set_value("time_decay").run()
    at.number_input(key="campaigns_half_life").set_value(14.0).run()
    assert at.query_params["model"] == "time_decay" and at.query_params["half_life"] == "14"
    credit = table(at, "campaign_id", containing="attributed_revenue")
    assert credit.attributed_revenue.sum() == pytest.approx(21750.00)
    # Performance follows the model: ROI uses the attributed won revenue.
    performance = table(show(at, "performance"), "campaign_id", containing="roi")
    assert performance.won_revenue.sum() == pytest.approx(21000.00)


def test_campaigns_page_restores_model_from_url_and_drops_bad_values(fixture_db):
    at = open_page(**FIXTURE_PERIOD, model="w_shaped", half_life="3.5", view="attribution")
    assert at.radio(key="campaigns_model").value == "w_shaped"
    assert at.number_input(key="campaigns_half_life").value == 3.5
    credit = table(at, "campaign_id", containing="attributed_revenue")
    assert dict(zip(credit.campaign, credit.attributed_revenue, strict=True))["Webinars"] == 10200.00
    bad = open_page(**FIXTURE_PERIOD, model="last_click", half_life="-2", view="everything")
    assert bad.radio(key="campaigns_model").value == "linear"
    assert bad.radio(key="campaigns_view").value == "plan"
    assert bad.number_input(key="campaigns_half_life").value == 7.0


def test_campaigns_page_filters_react(fixture_db):
    at = open_page(**FIXTURE_PERIOD)
    at.selectbox(key="campaigns_objective").set_value("brand").run()
    plan = table(at, "campaign_id", containing="status")
    assert plan.campaign_id.tolist() == ["C4", "C3"]
    at.multiselect(key="campaigns_status").set_value(["planned"]).run()
    assert table(at, "campaign_id", containing="status").campaign_id.tolist() == ["C4"]
    assert metrics(at)["Running"] == "0"
    at.sidebar.multiselect(key="filter_regions").set_value(["EMEA"]).run()
    assert any("do not narrow this page" in c.value for c in at.caption)
    assert table(at, "campaign_id", containing="status").campaign_id.tolist() == ["C4"]


def test_campaigns_page_detail_from_link_shows_feedback_as_text(fixture_db):
    at = open_page(**FIXTURE_PERIOD, campaign="C3")
    assert [s.value for s in at.subheader][0] == "Big billboard"
    shown = metrics(at)
    assert shown["Spend"] == "$9,000" and shown["Won revenue"] == "$4,417" and shown["ROI"] == "-51%"
    notes = table(at, "created_at")
    assert "<b>Nobody</b> *asks* about the billboard [link](http://x)" in notes.body.tolist()
    assert not any("<b>" in m.value for m in at.markdown)


def test_campaigns_page_empty_period_says_so(fixture_db):
    at = open_page(start="2020-01-01", end="2020-03-31", as_of="2020-03-31")
    # Seen from 2020, every campaign is still planned.
    assert (metrics(at)["Planned"], metrics(at)["Running"], metrics(at)["Ended"]) == ("6", "0", "0")
    infos = " ".join(i.value for i in show(at, "attribution").info)
    assert "no revenue to attribute" in infos and "no pipeline" in infos
    infos = " ".join(i.value for i in show(at, "spend").info)
    assert "No campaign spend" in infos and "too few to fit" in infos and "No campaign's share" in infos


def test_campaigns_page_on_sample_stadium_tops_overspend(app_db):
    at = open_page(**SAMPLE_PERIOD, view="spend")
    overspend = table(at, "campaign_id", containing="share_gap")
    assert overspend.campaign.iloc[0] == truths.STADIUM_CAMPAIGN_NAME
    assert any("returns about" in m.value for m in at.markdown)
    at.radio(key="campaigns_model").set_value("u_shaped").run()
    assert not at.exception
    assert table(at, "campaign_id", containing="share_gap").campaign.iloc[0] == truths.STADIUM_CAMPAIGN_NAME
    assert any("cannot prove" in s.value for s in at.subheader)
