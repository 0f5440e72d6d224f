"""The Funnel & handoff page in AppTest: numbers on a hand-counted fixture, the sample, and its controls."""

from __future__ import annotations

from datetime import date

import duckdb
import pytest
from helpers import app, save_settings

from queries import funnel

MARCH = {"start": "2026-03-01", "end": "2026-03-31", "as_of": "2026-03-31"}
SAMPLE = {"start": "2025-12-01", "end": "2026-11-26", "as_of": "2026-11-26"}
PAGE = "pages/funnel.py"


def metrics(at) -> dict[str, str]:
    return {m.label: m.value for m in at.metric}


def table(at, column: str):
    """The first dataframe on the page that has this column."""
    return next(d.value for d in at.dataframe if column in d.value.columns)


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
    assert shown["MQLs in Mar 2026"] == "10" and shown["Target for Mar 2026"] == "10"
    assert shown["Contacted within 24 h"] == "40%"  # L1, L2, L3 and L5 (called before its MQL) of 10 MQLs
    assert shown["MQLs waiting past the SLA"] == "2"
    assert table(at, "age_hours").lead_id.tolist() == ["L4", "L8"]
    assert table(at, "rep_id").rep_id.tolist() == ["R1", "R2", "R3"]
    rules = " ".join(m.value for m in at.markdown)
    assert "straight to SQL without a SAL date counts as SAL" in rules
    assert "ad views" in rules


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
    reopened = app(**MARCH, mode="period", split="region", sla="36", sla_by="team").run()
    reopened.switch_page(PAGE).run()
    assert reopened.radio(key="funnel_mode").value == "period"
    assert reopened.selectbox(key="funnel_split").value == "region"
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
    assert set(table(at, "age_hours").region) <= {"EMEA"}
    assert "No MQL target applies" in " ".join(c.value for c in at.caption)


def test_funnel_page_empty_period_says_so(app_db):
    at = app(start="2020-01-01", end="2020-01-31", as_of="2020-01-31").run()
    at.switch_page(PAGE).run()
    assert not at.exception
    notes = " ".join(i.value for i in at.info)
    assert "No leads or funnel events in this period" in notes and "No breaches" in notes
