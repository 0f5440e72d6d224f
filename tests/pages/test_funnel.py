"""The Funnel & handoff page in AppTest: numbers on a hand-counted fixture, the sample, its controls and its tabs."""

from __future__ import annotations

import json
from datetime import date

import duckdb
import pytest
from helpers import app, every_tab, save_settings, without

from queries import funnel

pytestmark = pytest.mark.slow

MARCH = {"start": "2026-03-01", "end": "2026-03-31", "as_of": "2026-03-31"}
SAMPLE = {"start": "2025-12-01", "end": "2026-11-26", "as_of": "2026-11-26"}
PAGE = "pages/funnel.py"
FUNNEL, MARKETING, SALES = "Audience-narrowing funnel", "Handoff: marketing's side", "Handoff: sales' side"


def metrics(at) -> dict[str, str]:
    return {m.label: m.value for m in at.metric}


def table(at, column: str):
    """The first dataframe on the page that has this column."""
    return next(d.value for d in at.dataframe if column in d.value.columns)


def section(at, label: str):
    """The page with another of its sections (tabs) opened, as a click on its tab does."""
    at.session_state["funnel_view"] = label
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    return at


@pytest.fixture
def fixture_db(make_db, monkeypatch):
    path = make_db("base.sql", "funnel.sql")
    monkeypatch.setenv("TANDEM_DB", str(path))
    return path


def test_funnel_page_fixture_numbers(fixture_db):
    at = app(**MARCH).run()
    at.switch_page(PAGE).run()
    assert not at.exception, [e.value for e in at.exception]
    shown = metrics(at)
    assert shown["Impressions"] == "10,500"
    assert (shown["Leads"], shown["MQLs"], shown["SQLs"], shown["Won"]) == ("10", "9", "3", "1")
    rules = " ".join(m.value for m in at.markdown)
    assert "straight to SQL without a SAL date counts as SAL" in rules
    assert "ad views" in rules
    shown = metrics(section(at, MARKETING))
    assert shown["MQLs in Mar 2026"] == "10" and shown["Target for Mar 2026"] == "10"
    shown = metrics(section(at, SALES))
    assert shown["Contacted within 24 h"] == "40%"  # L1, L2, L3 and L5 (called before its MQL) of 10 MQLs
    assert shown["MQLs waiting past the SLA"] == "2"
    assert table(at, "age_hours").lead_id.tolist() == ["L4", "L8"]
    assert table(at, "rep_id").rep_id.tolist() == ["R1", "R2", "R3"]


def test_funnel_page_shortens_counts_from_a_million_and_gives_them_exactly(fixture_db):
    con = duckdb.connect(str(fixture_db))
    # 10,500 impressions in March become 12,345,678 (the fixture's spend rows, one scaled): too wide for a tile.
    con.execute("UPDATE campaign_spend SET impressions = impressions + 12335178 WHERE rowid = "
                "(SELECT min(rowid) FROM campaign_spend WHERE day BETWEEN DATE '2026-03-01' AND DATE '2026-03-31')")
    con.close()
    at = app(**MARCH).run()
    at.switch_page(PAGE).run()
    assert not at.exception, [e.value for e in at.exception]
    tile = next(m for m in at.metric if m.label == "Impressions")
    assert tile.value == "12.3M"
    assert "Exactly 12,345,678." in tile.proto.help
    leads = next(m for m in at.metric if m.label == "Leads")
    assert leads.value == "10" and "Exactly" not in leads.proto.help  # below a million: as it is


def test_funnel_page_sla_hours_default_from_settings_and_adjustable(fixture_db):
    save_settings(fixture_db, {"handoff": {"sla_hours": 48}})
    at = app(**MARCH).run()
    at.switch_page(PAGE).run()
    section(at, SALES)
    assert at.number_input(key="funnel_sla_hours").value == 48
    assert metrics(at)["MQLs waiting past the SLA"] == "1"  # L8 is only 36 h old
    at.number_input(key="funnel_sla_hours").set_value(6).run()
    assert not at.exception
    assert metrics(at)["Contacted within 6 h"] == "30%"  # L3 (12 h) no longer counts
    assert at.query_params["sla"] == "6"


def test_funnel_page_mode_split_and_url(fixture_db):
    at = app(**MARCH).run()
    at.switch_page(PAGE).run()
    at.radio(key="funnel_mode").set_value("period").run()
    assert not at.exception
    assert metrics(at)["MQLs"] == "10"  # L10 became an MQL in March although created in February
    assert at.query_params["mode"] == "period"
    at.selectbox(key="funnel_split").set_value("channel").run()
    assert not at.exception
    stages = table(at, "step_conversion")
    assert "channel" in stages.columns and set(stages.channel) >= {"search", "content", "organic", "display"}
    assert at.query_params["split"] == "channel"
    # The link opens the funnel page itself (its first run is that page's, which knows these parameters).
    reopened = app(**MARCH, mode="period", split="region", sla="36", sla_by="team").switch_page(PAGE).run()
    assert reopened.radio(key="funnel_mode").value == "period"
    assert reopened.selectbox(key="funnel_split").value == "region"
    section(reopened, SALES)
    assert reopened.number_input(key="funnel_sla_hours").value == 36
    assert table(reopened, "pct_within_sla").columns[0] == "team"


def test_funnel_page_sample_reacts_to_region_filter(app_db, sample_con):
    at = app(**SAMPLE).run()
    at.switch_page(PAGE).run()
    assert not at.exception
    whole = funnel.stages(sample_con, start=date(2025, 12, 1), end=date(2026, 11, 26)).set_index("stage")
    assert metrics(at)["Leads"] == f"{int(whole.loc['leads', 'count']):,}"
    at.sidebar.multiselect(key="filter_regions").set_value(["EMEA"]).run()
    assert not at.exception
    emea = funnel.stages(sample_con, start=date(2025, 12, 1), end=date(2026, 11, 26), regions=["EMEA"])
    shown = metrics(at)
    assert shown["Leads"] == f"{int(emea.set_index('stage').loc['leads', 'count']):,}"
    assert shown["Impressions"] == "—"
    assert "No MQL target applies" in " ".join(c.value for c in section(at, MARKETING).caption)
    assert set(table(section(at, SALES), "age_hours").region) <= {"EMEA"}


def test_funnel_page_empty_period_says_so(app_db):
    at = app(start="2020-01-01", end="2020-01-31", as_of="2020-01-31").run()
    at.switch_page(PAGE).run()
    assert not at.exception
    # The funnel's sentence and the handoff's, each in its own tab.
    notes, subheaders = [], []
    for state in every_tab(at):
        assert not state.exception, [e.value for e in state.exception]
        notes += [i.value for i in state.info]
        subheaders += [h.value for h in state.subheader]
    notes = " ".join(notes)
    assert "No leads or funnel events in this period" in notes
    assert "No lead became an MQL in this period" in notes
    # Nothing is said about breaches of MQLs that do not exist.
    assert "breach" not in notes.lower() and "waiting past the SLA" not in notes
    assert "SLA breaches" not in subheaders


def captions(at) -> list[str]:
    return [c.value for c in at.caption]


def test_funnel_page_says_what_each_figure_leaves_out(make_db, monkeypatch):
    monkeypatch.setenv("TANDEM_DB", str(make_db("base.sql", "unknowns.sql")))
    at = app(start="2026-04-01", end="2026-04-30", as_of="2026-04-15").run()
    at.switch_page(PAGE).run()
    assert not at.exception, [e.value for e in at.exception]
    assert metrics(at)["Leads"] == "3"  # N2, N3, N4; N1 and N5 have no created date
    shown = captions(at)
    assert ":material/info: 2 leads have no created date: the funnel counts the other 3." in shown
    # C7's 3 April reports no impressions; C7's 4 April, C8's 5 April and C1's 6 April do.
    assert ":material/info: 1 campaign day has no impressions reported: the impressions tile counts the other 3." \
        in shown
    assert ":material/info: 2 leads have no created date: the chart of days between stages counts the other 3." \
        in shown
    # April's MQLs: N1, N2 and N3; N2's contact attempts were not recorded.
    assert metrics(section(at, SALES))["Contact attempts per MQL"] == "2.5"  # N1 2, N3 3
    assert ":material/info: 1 MQL has no contact attempts recorded: the average of contact attempts counts the " \
           "other 2." in captions(at)
    # N3 has no owner rep: its row says so instead of an empty rep.
    assert "(no owner)" in table(at, "pct_within_sla").rep_id.tolist()
    section(at, FUNNEL)
    at.radio(key="funnel_mode").set_value("period").run()
    assert ":material/info: 2 leads have no created date: the Leads stage counts the other 3." in captions(at)


def test_funnel_page_mql_tile_compares_the_running_month_with_its_target_to_date(fixture_db):
    # Through 10 March: L1, L2, L3, L4, L5 and L10 became MQLs, against March's target of 10 × 10 / 31 = 3.2.
    at = app(start="2026-03-01", end="2026-03-10", as_of="2026-03-10").run()
    at.switch_page(PAGE).run()
    assert not at.exception, [e.value for e in at.exception]
    tile = next(m for m in section(at, MARKETING).metric if m.label == "MQLs in Mar 2026")
    assert (tile.value, tile.proto.delta) == ("6", "+3")
    assert tile.proto.delta_description == "vs 3 due by 10 Mar"
    assert tile.proto.color == 1 and tile.proto.direction == 1  # more MQLs is better: green, up
    assert "10 of 31 days" in tile.proto.help
    whole = app(**MARCH).run()
    whole.switch_page(PAGE).run()
    tile = next(m for m in section(whole, MARKETING).metric if m.label == "MQLs in Mar 2026")
    # The whole month against its whole target: 10 of 10, a change that is nothing, grey and without an arrow.
    assert (tile.value, tile.proto.delta, tile.proto.delta_description) == ("10", "±0", "vs the target of 10")
    assert tile.proto.color == 2


def test_funnel_page_tables_read_as_words(fixture_db):
    at = app(**MARCH).run()
    at.switch_page(PAGE).run()
    headers = {label for state in every_tab(at) for d in state.dataframe for label in
               (c.get("label") for c in json.loads(d.proto.columns).values()) if label}
    assert {"Stage", "Count", "Step conversion", "Cumulative from lead", "Month", "MQLs", "MQL target",
            "Of the month's target", "Target pro rata", "Accepted", "Share accepted", "Rep", "Within the SLA",
            "Share within the SLA", "Median response", "Lead",
            "MQL at", "Age"} <= headers


def test_funnel_page_from_deals_alone(fixture_db):
    without(fixture_db, "leads")
    at = app(**MARCH).run()
    at.switch_page(PAGE).run()
    assert not at.exception, [e.value for e in at.exception]
    texts = " ".join(m.value for m in at.markdown)
    assert "The funnel from lead to won deal needs leads and touches: import them on the Data page." in texts
    assert at.button(key="needs_funnel_main").label == "Import leads and touches"
    # Created in March: D1–D5 (the sales-sourced D5 too); won by now: D1, D4, D5.
    stages = table(at, "step_conversion")
    assert stages[["stage", "count"]].values.tolist() == [["Opportunity", 5], ["Won", 3]]
    # Every tab: one chart and no tile in all, and no sentence about MQLs there are no leads to count.
    charts, tiles, notes = [], [], []
    for state in every_tab(at):
        assert not state.exception, [e.value for e in state.exception]
        charts += state.get("plotly_chart")
        tiles += state.metric
        notes += [i.value for i in state.info]
    assert len(charts) == 1 and not tiles
    assert "No lead became an MQL" not in " ".join(notes)
    for handoff in (MARKETING, SALES):
        texts = " ".join(m.value for m in section(at, handoff).markdown)
        assert "The handoff scorecard needs leads and touches: import them on the Data page." in texts
    section(at, FUNNEL)
    at.sidebar.multiselect(key="filter_teams").set_value(["NA"]).run()
    assert table(at, "step_conversion")["count"].tolist() == [1, 0]  # D3, R3's


def test_funnel_page_without_deals_stops_at_sql(fixture_db):
    without(fixture_db, "deals")
    at = app(**MARCH).run()
    at.switch_page(PAGE).run()
    assert not at.exception, [e.value for e in at.exception]
    assert "Won" not in metrics(at) and metrics(at)["SQLs"] == "3"
    assert table(at, "step_conversion").stage.tolist() == ["Impressions", "Leads", "MQL", "SAL", "SQL"]
    texts = " ".join(m.value for m in at.markdown)
    assert "The funnel past SQL needs deals: import them on the Data page." in texts


def test_funnel_page_scorecard_by_rep_needs_the_sales_team(fixture_db):
    without(fixture_db, "deals", "reps")
    at = app(**MARCH).run()
    at.switch_page(PAGE).run()
    assert not at.exception, [e.value for e in at.exception]
    section(at, SALES)
    assert metrics(at)["Contacted within 24 h"] == "40%"  # the contact times are the leads' own
    texts = " ".join(m.value for m in at.markdown)
    assert "The scorecard by rep needs the sales team: import it on the Data page." in texts
    assert not any("pct_within_sla" in d.value.columns for state in every_tab(at) for d in state.dataframe)
    at.radio(key="funnel_sla_by").set_value("region").run()
    assert table(at, "pct_within_sla").region.tolist() == ["EMEA", "NA"]


def test_funnel_page_open_tab_goes_to_the_url_and_a_link_opens_it(fixture_db):
    at = app(**MARCH).run()
    at.switch_page(PAGE).run()
    assert at.session_state["funnel_view"] == FUNNEL and "section" not in at.query_params  # the first: left out
    section(at, SALES)
    assert at.query_params["section"] == "sales"
    section(at, FUNNEL)
    assert "section" not in at.query_params
    # A link naming the marketing side opens that tab, and draws only it.
    linked = app(**MARCH, section="marketing").switch_page(PAGE).run()
    assert not linked.exception, [e.value for e in linked.exception]
    assert linked.session_state["funnel_view"] == MARKETING
    assert linked.query_params["section"] == "marketing"
    shown = metrics(linked)
    assert shown["MQLs in Mar 2026"] == "10" and "Leads" not in shown and "Contacted within 24 h" not in shown


def test_funnel_page_controls_keep_their_values_while_their_tab_is_closed(fixture_db):
    # Opened on the sales side: the funnel's controls start from the link, unseen until their tab opens.
    at = app(**MARCH, section="sales").switch_page(PAGE).run()
    at.number_input(key="funnel_sla_hours").set_value(6).run()
    at.radio(key="funnel_sla_by").set_value("team").run()
    section(at, FUNNEL).radio(key="funnel_mode").set_value("period").run()
    # Away from each control for more than one run, then back: each keeps the value chosen, and so does the URL.
    for label in (MARKETING, FUNNEL, MARKETING, SALES):
        section(at, label)
        assert (at.query_params["sla"], at.query_params["sla_by"], at.query_params["mode"]) == ("6", "team", "period")
    assert at.number_input(key="funnel_sla_hours").value == 6 and at.radio(key="funnel_sla_by").value == "team"
    assert metrics(at)["Contacted within 6 h"] == "30%"
    assert section(at, FUNNEL).radio(key="funnel_mode").value == "period" and metrics(at)["MQLs"] == "10"
