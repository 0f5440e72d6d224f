"""Data health: exact counts on the tiny fixture, invariants on the generated sample."""

from __future__ import annotations

import pytest

from queries import db, health, ingest


@pytest.fixture
def con(make_db):
    connection = db.connect(make_db("base.sql", "ingest/deals.sql"))
    yield connection
    connection.close()


@pytest.mark.slow
def test_health_table_overview_counts_rows_dates_and_imports(con):
    source = ingest.read_source(b"rep_id,month,amount\nR1,2026-04-01,100\nR2,2026-05-01,200\n", name="q.csv")
    report = ingest.commit(con, source=source, mapping=ingest.suggest(source.columns, table="quotas"), table="quotas")
    overview = health.table_overview(con).set_index("table_name")
    assert list(overview.index) == list(ingest.TABLES)
    assert overview["rows"].to_dict() == {"reps": 4, "campaigns": 3, "campaign_spend": 0, "brand_metrics": 0,
                                          "leads": 1, "touches": 0, "deals": 1, "quotas": 2, "targets": 0,
                                          "feedback": 1}
    quotas = overview.loc["quotas"]
    assert (quotas.imported_rows, str(quotas.first_date)[:10], str(quotas.last_date)[:10], quotas.imports) == (
        2, "2026-04-01", "2026-05-01", 1)
    assert str(overview.loc["campaigns", "first_date"])[:10] == "2026-01-01"
    assert overview.loc["deals", "imports"] == 0 and report.batch_id


@pytest.mark.slow
def test_health_orphans_on_the_fixture(con):
    orphans = health.orphans(con).set_index("check_name")["rows"].to_dict()
    assert orphans == {"campaigns without spend": 3, "spend outside flight dates": 0, "active reps without quota": 3,
                       "leads without touches": 1, "repeated lead ids": 0, "repeated deal ids": 0,
                       "leads with an unknown campaign or owner": 0, "touches of an unknown lead or campaign": 0,
                       "deals with an unknown lead or owner": 0, "feedback on an unknown deal": 0}


@pytest.mark.slow
def test_health_counts_repeated_and_dangling_ids_written_around_the_import(con):
    """The fact tables have no keys in the database: rows written by other means are counted here."""
    con.execute("INSERT INTO leads (lead_id, created_at, campaign_id, channel, region, segment, owner_rep_id) "
                "SELECT lead_id, created_at, 'C404', channel, region, segment, 'R404' FROM leads, range(2)")
    con.execute("INSERT INTO touches (lead_id, campaign_id, touched_at) VALUES ('L404', 'C1', '2026-03-01'), "
                "('L404', 'C404', '2026-03-01')")
    con.execute("INSERT INTO deals (deal_id, lead_id, account, owner_rep_id, segment, created_at, stage, amount) "
                "SELECT deal_id, 'L404', account, owner_rep_id, segment, created_at, 'proposal', 1 FROM deals LIMIT 1")
    con.execute("INSERT INTO feedback (feedback_id, created_at, topic, sentiment, body, deal_id) "
                "VALUES ('F404', '2026-03-01', 'price', 0, 'x', 'D404')")
    db.bump_data_version(con)
    orphans = health.orphans(con).set_index("check_name")["rows"].to_dict()
    assert (orphans["repeated lead ids"], orphans["repeated deal ids"]) == (2, 1)
    assert orphans["leads with an unknown campaign or owner"] == 2
    assert orphans["touches of an unknown lead or campaign"] == 2
    assert orphans["deals with an unknown lead or owner"] == 1
    assert orphans["feedback on an unknown deal"] == 1


@pytest.mark.slow
def test_health_orphans_count_each_side_of_a_check_and_skip_what_is_empty(con):
    """One unknown reference is enough; an empty optional reference (a lead with no campaign, a deal with no lead) is
    not an unknown one."""
    con.execute("INSERT INTO leads (lead_id, created_at, campaign_id, channel, region, segment, owner_rep_id) VALUES "
                "('L5', '2026-03-02', 'C1', 'search', 'EMEA', 'SMB', 'R404'), "  # unknown owner
                "('L6', '2026-03-02', 'C404', 'search', 'EMEA', 'SMB', NULL), "  # unknown campaign, no owner
                "('L7', '2026-03-02', NULL, 'search', 'EMEA', 'SMB', NULL), "
                "('L8', '2026-03-02', NULL, 'search', 'EMEA', 'SMB', 'R1')")
    con.execute("INSERT INTO touches (lead_id, campaign_id, touched_at) VALUES ('L5', 'C1', '2026-03-02'), "
                "('L7', 'C404', '2026-03-02'), ('L404', 'C2', '2026-03-02')")  # fine; unknown campaign; unknown lead
    con.execute("INSERT INTO deals (deal_id, lead_id, account, owner_rep_id, segment, created_at, stage, amount) "
                "VALUES ('D5', NULL, 'A', 'R404', 'SMB', '2026-03-05', 'proposal', 1), "  # unknown owner
                "('D6', NULL, 'A', 'R1', 'SMB', '2026-03-05', 'proposal', 1), "
                "('D7', 'L404', 'A', 'R1', 'SMB', '2026-03-05', 'proposal', 1), "  # unknown lead
                "('D8', 'L7', 'A', 'R2', 'SMB', '2026-03-05', 'proposal', 1)")
    db.bump_data_version(con)
    orphans = health.orphans(con).set_index("check_name")["rows"].to_dict()
    assert orphans["leads with an unknown campaign or owner"] == 2  # L5, L6
    assert orphans["leads without touches"] == 2  # L1 and L6 (L7 and L8 have no campaign)
    assert orphans["touches of an unknown lead or campaign"] == 2
    assert orphans["deals with an unknown lead or owner"] == 2  # D5, D7
    assert (orphans["repeated lead ids"], orphans["repeated deal ids"]) == (0, 0)


@pytest.mark.slow
def test_health_key_nulls_on_the_fixture(con):
    nulls = health.key_nulls(con).set_index(["table_name", "column_name"])
    assert nulls.loc[("deals", "product"), "empty_rows"] == 1 and nulls.loc[("deals", "product"), "empty_share"] == 1
    assert nulls.loc[("leads", "owner_rep_id"), "empty_rows"] == 0
    assert nulls.loc[("leads", "mql_at"), "empty_share"] == 1
    assert nulls.loc[("feedback", "campaign_id"), "empty_rows"] == 0


@pytest.mark.slow
def test_health_table_schema_and_template(con):
    schema = health.table_schema(con, table="deals").set_index("column_name")
    assert list(schema.index) == list(ingest.TABLES["deals"].column_names)
    assert schema.loc["amount", "data_type"] == "DECIMAL(14,2)" and not schema.loc["amount", "required"]
    assert schema.loc["stage", "required"] and schema.loc["deal_id", "required"]
    assert schema.loc["stage", "allowed_values"] == "prospecting, qualification, proposal, negotiation, won, lost"
    assert schema.loc["owner_rep_id", "refers_to"] == "reps" and not schema.loc["lead_id", "required"]
    assert health.template(table="quotas").to_csv(index=False) == "rep_id,month,amount\n"
    assert schema.loc["amount", "kind"] == "number with 2 decimals" and schema.loc["amount", "minimum"] == "0"
    assert schema.loc["created_at", "kind"] == "date and time" and schema.loc["stage", "kind"] == "text"
    reps = health.table_schema(con, table="reps").set_index("column_name")
    assert reps.loc["active", "default_value"] == "true" and reps.loc["name", "default_value"] == ""


@pytest.mark.parametrize(("expression", "words"), [
    ("CAST('t' AS BOOLEAN)", "true"), ("CAST('f' AS BOOLEAN)", "false"), ("true", "true"), ("'sample'", "sample"),
    ("'sample'::character varying", "sample"), ("'it''s'", "it's"), ("1", "1"), (None, "")])
def test_health_default_in_words(expression, words):
    assert health.default_in_words(expression) == words


def test_health_sample_invariants(sample_con):
    overview = health.table_overview(sample_con).set_index("table_name")
    for table in ingest.TABLES:
        count = sample_con.execute("SELECT count(*) FROM query_table($t)", {"t": table}).fetchone()[0]
        assert overview.loc[table, "rows"] == count
    assert (overview["imported_rows"] == 0).all()
    assert (overview.loc[["campaigns", "leads", "deals", "campaign_spend"], "rows"] > 0).all()
    nulls = health.key_nulls(sample_con)
    assert ((nulls["empty_rows"] >= 0) & (nulls["empty_rows"] <= nulls["rows"])).all()
    orphans = health.orphans(sample_con).set_index("check_name")["rows"]
    assert orphans["spend outside flight dates"] == 0 and orphans["active reps without quota"] == 0
