"""The Campaigns page in AppTest: numbers on a hand fixture, the model switch and its URL, filters, detail."""

from __future__ import annotations

import duckdb
import pytest
from helpers import app

from sample_data import truths

PAGE = "pages/campaigns.py"
FIXTURE_PERIOD = {"start": "2026-03-01", "end": "2026-04-30", "as_of": "2026-04-15"}
SAMPLE_PERIOD = {"start": "2025-12-01", "end": "2026-11-26", "as_of": "2026-11-26"}


def open_page(**params):
    """The page as a link opens it: its first run is this page's, which keeps the page's own URL parameters."""
    at = app(**params)
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


SPEND_VIEWS = {"pipeline": "Spend against pipeline", "curves": "Where the next dollar returns the most",
               "overspend": "Spend far ahead of pipeline"}


def spend_view(at, view: str):
    """Spend ≠ sales with one of its tabs open (only the open one is drawn)."""
    at.session_state["campaigns_spend_view"] = SPEND_VIEWS[view]
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    return at


@pytest.mark.slow
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
    assert len(at.get("plotly_chart")) == 1 and not at.dataframe  # spend by month; the other views stay closed
    assert "too few to fit" in " ".join(i.value for i in spend_view(at, "curves").info)  # two months: no curve
    assert not at.get("plotly_chart")
    assert at.query_params["spend_view"] == "curves"
    overspend = table(spend_view(at, "overspend"), "campaign_id", containing="share_gap")
    assert overspend.campaign_id.tolist() == ["C3"]
    assert len(at.get("plotly_chart")) == 1  # the overspend list
    spend_view(at, "pipeline")
    assert "spend_view" not in at.query_params  # the first view is the default
    performance = table(show(at, "performance"), "campaign_id", containing="roi")
    assert performance.campaign_id.tolist() == ["C3", "C2", "C1"]


@pytest.mark.slow
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


@pytest.mark.slow
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


@pytest.mark.slow
def test_campaigns_page_filters_react(fixture_db):
    at = open_page(**FIXTURE_PERIOD)
    at.selectbox(key="campaigns_objective").set_value("brand").run()
    plan = table(at, "campaign_id", containing="status")
    assert plan.campaign_id.tolist() == ["C4", "C3"]
    at.multiselect(key="campaigns_status").set_value(["planned"]).run()
    assert table(at, "campaign_id", containing="status").campaign_id.tolist() == ["C4"]
    assert metrics(at)["Running"] == "0"
    at.sidebar.multiselect(key="filter_regions").set_value(["EMEA"]).run()
    assert any("do not change this page" in c.value for c in at.caption)
    assert table(at, "campaign_id", containing="status").campaign_id.tolist() == ["C4"]


@pytest.mark.slow
def test_campaigns_page_detail_from_link_shows_feedback_as_text(fixture_db):
    at = open_page(**FIXTURE_PERIOD, campaign="C3")
    assert [s.value for s in at.subheader][0] == "Big billboard"
    shown = metrics(at)
    assert shown["Spend"] == "$9,000" and shown["Won revenue"] == "$4,417" and shown["ROI"] == "-51%"
    notes = table(at, "created_at")
    assert "<b>Nobody</b> *asks* about the billboard [link](http://x)" in notes.body.tolist()
    assert not any("<b>" in m.value for m in at.markdown)


@pytest.mark.slow
def test_campaigns_page_empty_period_says_so(fixture_db):
    at = open_page(start="2020-01-01", end="2020-03-31", as_of="2020-03-31")
    # Seen from 2020, every campaign is still planned.
    assert (metrics(at)["Planned"], metrics(at)["Running"], metrics(at)["Ended"]) == ("6", "0", "0")
    infos = " ".join(i.value for i in show(at, "attribution").info)
    assert "no revenue to attribute" in infos and "no pipeline" in infos
    show(at, "spend")
    infos = [" ".join(i.value for i in spend_view(at, view).info) for view in SPEND_VIEWS]
    assert "No campaign spend" in infos[0] and "too few to fit" in infos[1] and "No campaign's share" in infos[2]


@pytest.mark.slow
def test_campaigns_page_on_sample_stadium_tops_overspend(app_db):
    at = open_page(**SAMPLE_PERIOD, view="spend", spend_view="overspend")  # a link opens the tab it names
    overspend = table(at, "campaign_id", containing="share_gap")
    assert overspend.campaign.iloc[0] == truths.STADIUM_CAMPAIGN_NAME
    assert any("returns about" in m.value for m in spend_view(at, "curves").markdown)
    spend_view(at, "overspend")
    at.radio(key="campaigns_model").set_value("u_shaped").run()
    assert not at.exception
    assert table(at, "campaign_id", containing="share_gap").campaign.iloc[0] == truths.STADIUM_CAMPAIGN_NAME
    assert any("cannot prove" in s.value for s in at.subheader)


# --- what the figures leave out, and what the data cannot tell yet ---------------------------------------------------
# tests/fixtures/unknowns.sql in April 2026, as of the 15th (tests/unit/test_unknowns.py counts it by hand).
UNKNOWNS_PERIOD = {"start": "2026-04-01", "end": "2026-04-30", "as_of": "2026-04-15"}


@pytest.fixture
def unknowns_db(make_db, monkeypatch):
    path = make_db("base.sql", "unknowns.sql")
    monkeypatch.setenv("TANDEM_DB", str(path))
    return path


def captions(at) -> str:
    """Every caption, as read (the markdown escapes taken out)."""
    return " ".join(c.value.replace("\\", "") for c in at.caption)


@pytest.mark.slow
def test_campaigns_page_says_what_each_figure_leaves_out_with_exact_counts(unknowns_db):
    at = open_page(**UNKNOWNS_PERIOD)
    # C7 (no dates) and C8 (no end date) have an unknown status and no budget; C1, C2, C3 run.
    assert (metrics(at)["Planned"], metrics(at)["Running"], metrics(at)["Ended"]) == ("0", "3", "0")
    text = captions(at)
    assert ("2 campaigns have no flight dates that say their status (status unknown): The count by status counts "
            "the other 3.") in text
    assert "2 campaigns have no budget: Budget used counts the other 3." in text

    text = captions(show(at, "performance"))
    # Delivery: C7 on 3 April (nothing reported) and the 4th, C8 on the 5th (no clicks), C1 on the 6th.
    assert "1 delivery day has no impressions reported: Impressions counts the other 3." in text
    assert "2 delivery days have no clicks reported: Clicks counts the other 2." in text
    assert ("2 delivery days have no impressions or no clicks reported: The click-through rate counts the other 2."
            in text)
    # N1 (from C1) has no created date; N2 (C7) and N4 (C8) were created in April.
    assert "1 sourced lead has no created date (in no period): Leads counts the other 2." in text
    # From N2 (C7): U5, created in April without an amount, and U2 without a created date.
    assert "1 sourced deal has no amount: Pipeline counts none of them." in text
    assert "1 sourced deal has no created date (in no period): Pipeline counts the other 1." in text

    text = captions(show(at, "spend"))
    # Created in April: U5 (no amount), U7, U8; U2 and U4 have no created date.
    assert "1 deal has no amount: Pipeline created counts the other 2." in text
    assert "2 deals have no created date (in no month): Pipeline created counts the other 3." in text
    assert "1 deal has no amount: Attributed pipeline counts the other 2." in captions(spend_view(at, "overspend"))

    text = captions(show(at, "attribution"))
    # Sourced by C7: U5 (no amount). Influenced by C7's touches: U5 and U8.
    assert "1 sourced deal has no amount: Sourced pipeline counts none of them." in text
    assert "1 influenced deal has no amount: Influenced pipeline counts the other 1." in text


@pytest.mark.slow
def test_campaigns_page_detail_says_what_the_campaigns_tiles_leave_out(unknowns_db):
    at = open_page(**UNKNOWNS_PERIOD, campaign="C7")
    assert [s.value for s in at.subheader][0] == "Old import"
    assert "no objective · Unassigned · product ? · price ? · place ? · promotion ? · ? – ? · owner ?" in captions(at)
    assert metrics(at)["Spend"] == "$150"
    text = captions(at)
    assert "1 sourced deal has no amount: Pipeline counts none of them." in text
    assert "1 sourced deal has no created date (in no period): Pipeline counts the other 1." in text


@pytest.mark.slow
def test_campaigns_page_with_deals_alone_shows_won_revenue_and_names_the_imports(unknowns_db):
    con = duckdb.connect(str(unknowns_db))
    for table in ("touches", "leads", "campaign_spend", "campaigns"):
        con.execute(f"DELETE FROM {table}")
    con.execute("UPDATE meta SET value = CAST(CAST(value AS INTEGER) + 1 AS VARCHAR) WHERE key = 'data_version'")
    con.execute("UPDATE meta SET value = '0' WHERE key = 'written_version'")
    con.close()
    at = open_page(**UNKNOWNS_PERIOD, view="attribution")
    # Won in April: U1 600, U2 1,000, U8 800; with no touch known, all of it is unattributed.
    assert metrics(at) == {"Won revenue in the period": "$2,400", "Unattributed": "$2,400"}
    text = " ".join(m.value for m in at.markdown)
    assert "Attributing won revenue to campaigns needs campaigns and spend and leads and touches: import them on the " \
           "Data page." in text
    assert "No deal was created" not in text + " ".join(i.value for i in at.info)
    assert not at.dataframe and not at.get("plotly_chart")
    for section in ("plan", "performance", "spend"):
        show(at, section)
        assert not at.metric and not at.dataframe and not at.get("plotly_chart"), section
        assert "import them on the Data page" in " ".join(m.value for m in at.markdown), section
