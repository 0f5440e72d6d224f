"""The mapping files for the three real exports, each tried on a short excerpt written in the export's format."""

from __future__ import annotations

from pathlib import Path

import pytest

from queries import db, ingest

ROOT = Path(__file__).resolve().parents[2]
MAPPINGS = ROOT / "sample_data" / "mappings"
EXCERPTS = Path(__file__).resolve().parents[1] / "fixtures" / "ingest"


@pytest.fixture
def con(make_db):
    connection = db.connect(make_db("base.sql"))
    yield connection
    connection.close()


def load(con, excerpt: str, mapping: str, table: str) -> ingest.Report:
    chosen = ingest.loads((MAPPINGS / mapping).read_text())
    source = ingest.read_source((EXCERPTS / excerpt).read_bytes(), name=excerpt, options=chosen.read_options())
    return ingest.commit(con, source=source, mapping=chosen, table=table)


def test_mappings_every_file_loads():
    assert sorted(p.name for p in MAPPINGS.glob("*.toml")) == [
        "google_trends_share_of_search.toml", "online_ad_campaigns.toml", "online_ad_spend.toml",
        "x_education_leads.toml"]
    for path in MAPPINGS.glob("*.toml"):
        assert ingest.loads(path.read_text()).columns


def test_mappings_online_ads_to_campaigns_and_daily_spend(con):
    campaigns = load(con, "online_ad_excerpt.csv", "online_ad_campaigns.toml", "campaigns")
    assert campaigns.rows == 3
    rows = con.execute("SELECT campaign_id, name, channel, objective, budget FROM campaigns "
                       "WHERE batch_id = $b ORDER BY 1", {"b": campaigns.batch_id}).fetchall()
    assert [(r[0], r[1], r[2], r[3], float(r[4])) for r in rows] == [
        ("camp 1", "Display camp 1", "display", "demand", 54.43),  # 0.006 + 26.7824 + 0.0152 + 27.6304
        ("camp 2", "Display camp 2", "display", "demand", 10.5),
        ("camp 3", "Display camp 3", "display", "demand", 0.32)]
    spend = load(con, "online_ad_excerpt.csv", "online_ad_spend.toml", "campaign_spend")
    assert spend.rows == 4  # camp 1 on Apr 1 (three rows summed) and Apr 2, camp 2 May 30, camp 3 Jun 29
    rows = con.execute("SELECT campaign_id, CAST(day AS VARCHAR), spend, impressions, clicks FROM campaign_spend "
                       "ORDER BY 1, 2").fetchall()
    assert [(r[0], r[1], float(r[2]), r[3], r[4]) for r in rows] == [
        ("camp 1", "2020-04-01", 26.80, 20182, 158), ("camp 1", "2020-04-02", 27.63, 14701, 158),
        ("camp 2", "2020-05-30", 10.5, 1000, 12), ("camp 3", "2020-06-29", 0.32, 1209, 2)]


def test_mappings_google_trends_to_share_of_search(con):
    report = load(con, "google_trends_excerpt.csv", "google_trends_share_of_search.toml", "brand_metrics")
    assert report.rows == 3
    rows = con.execute("SELECT CAST(month AS VARCHAR), metric, region, round(value, 4) FROM brand_metrics "
                       "ORDER BY month").fetchall()
    assert rows == [("2020-01-01", "share_of_search", "all", round(70 / 73 * 100, 4)),
                    ("2020-02-01", "share_of_search", "all", round(68 / 73 * 100, 4)),
                    ("2020-03-01", "share_of_search", "all", round(56 / 60 * 100, 4))]


def test_mappings_x_education_leads(con):
    report = load(con, "x_education_excerpt.csv", "x_education_leads.toml", "leads")
    assert report.rows == 4
    rows = con.execute("SELECT lead_id[:8], channel, region, segment, industry, CAST(created_at AS VARCHAR) "
                       "FROM leads ORDER BY lead_id").fetchall()
    assert rows == [
        ("0cc2df48", "unknown", "unknown", "unknown", "Media and Advertising", "2024-01-01 00:00:00"),
        ("2a272436", "Organic Search", "APAC", "Unemployed", None, "2024-01-01 00:00:00"),
        ("7927b2df", "Olark Chat", "unknown", "Unemployed", None, "2024-01-01 00:00:00"),
        ("8cc8c611", "Google", "NA", "Student", "Business Administration", "2024-01-01 00:00:00")]


def test_mappings_trends_preamble_is_skipped_and_rows_numbered_from_the_file():
    source = ingest.read_source((EXCERPTS / "google_trends_excerpt.csv").read_bytes(), name="multiTimeline.csv")
    assert (source.header_row, source.first_row) == (3, 4)
    assert source.columns == ["Mese", '"Allianz": (Italia)', '"Prima Assicurazioni": (Italia)']
