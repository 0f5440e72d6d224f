"""A version 1 file (keys on the fact tables) is upgraded when opened for writing, and read as it is otherwise."""

from __future__ import annotations

import duckdb
import pytest

from queries import db
from queries.ingest import core, mapping, source

# The four tables as schema version 1 created them: keys and references on the fact tables.
VERSION_1_TABLES = {
    "leads": """CREATE TABLE leads (
    lead_id VARCHAR PRIMARY KEY, created_at TIMESTAMP NOT NULL, campaign_id VARCHAR REFERENCES campaigns (campaign_id),
    channel VARCHAR NOT NULL, region VARCHAR NOT NULL, segment VARCHAR NOT NULL, industry VARCHAR, company VARCHAR,
    owner_rep_id VARCHAR REFERENCES reps (rep_id), mql_at TIMESTAMP, sal_at TIMESTAMP, sql_at TIMESTAMP,
    rejected_at TIMESTAMP, reject_reason VARCHAR, first_contact_at TIMESTAMP,
    contact_attempts INTEGER NOT NULL DEFAULT 0 CHECK (contact_attempts >= 0),
    batch_id VARCHAR NOT NULL DEFAULT 'sample')""",
    "touches": """CREATE TABLE touches (
    lead_id VARCHAR NOT NULL REFERENCES leads (lead_id), campaign_id VARCHAR NOT NULL REFERENCES campaigns (campaign_id),
    touched_at TIMESTAMP NOT NULL, batch_id VARCHAR NOT NULL DEFAULT 'sample')""",
    "deals": """CREATE TABLE deals (
    deal_id VARCHAR PRIMARY KEY, lead_id VARCHAR REFERENCES leads (lead_id), account VARCHAR NOT NULL,
    owner_rep_id VARCHAR NOT NULL REFERENCES reps (rep_id), product VARCHAR, segment VARCHAR NOT NULL,
    created_at TIMESTAMP NOT NULL, close_date DATE, stage VARCHAR NOT NULL, amount DECIMAL(14, 2) NOT NULL,
    loss_reason VARCHAR, batch_id VARCHAR NOT NULL DEFAULT 'sample')""",
    "feedback": """CREATE TABLE feedback (
    feedback_id VARCHAR PRIMARY KEY, created_at TIMESTAMP NOT NULL, author VARCHAR, team VARCHAR,
    campaign_id VARCHAR REFERENCES campaigns (campaign_id), deal_id VARCHAR REFERENCES deals (deal_id),
    topic VARCHAR NOT NULL, sentiment INTEGER NOT NULL, body VARCHAR NOT NULL,
    batch_id VARCHAR NOT NULL DEFAULT 'sample')""",
}
FACT_TABLES = ("leads", "touches", "deals", "feedback")
KEYS = ("SELECT table_name, constraint_type FROM duckdb_constraints() "
        "WHERE constraint_type IN ('PRIMARY KEY', 'FOREIGN KEY') AND table_name IN ('leads', 'touches', 'deals', "
        "'feedback') ORDER BY ALL")


def _version_1(path) -> dict[str, list]:
    """Turn a fixture database into a version 1 file with the same rows; returns every row of the four tables."""
    con = duckdb.connect(str(path))
    rows = {t: con.execute(f"SELECT * FROM {t} ORDER BY ALL").fetchall() for t in FACT_TABLES}
    for t in FACT_TABLES:
        con.execute(f"CREATE TEMP TABLE keep_{t} AS SELECT * FROM {t}")
    for t in ("feedback", "touches", "deals", "leads"):
        con.execute(f"DROP TABLE {t}")
    for t in ("leads", "deals", "touches", "feedback"):
        con.execute(VERSION_1_TABLES[t])
        con.execute(f"INSERT INTO {t} SELECT * FROM keep_{t}")
    con.execute("UPDATE meta SET value = '1' WHERE key = 'schema_version'")
    assert len(con.execute(KEYS).fetchall()) == 11
    con.close()
    return rows


def test_a_version_1_file_opened_for_writing_loses_the_fact_keys_and_keeps_every_row(make_db):
    path = make_db("base.sql", "funnel.sql")
    before = _version_1(path)
    con = db.connect(path)
    try:
        assert con.execute("SELECT value FROM meta WHERE key = 'schema_version'").fetchone()[0] == "2"
        assert con.execute(KEYS).fetchall() == [("feedback", "FOREIGN KEY"), ("feedback", "PRIMARY KEY")]
        assert {t: con.execute(f"SELECT * FROM {t} ORDER BY ALL").fetchall() for t in FACT_TABLES} == before
        assert sum(len(r) for r in before.values()) > 10
        # The rebuilt tables have schema.sql's checks and defaults again.
        with pytest.raises(duckdb.ConstraintException):
            con.execute("INSERT INTO deals (deal_id, account, owner_rep_id, segment, created_at, stage, amount) "
                        "VALUES ('D9','Acme','R1','SMB','2026-03-01','proposal',-1)")
        con.execute("INSERT INTO touches (lead_id, campaign_id, touched_at) VALUES ('L1', 'C1', '2026-03-01')")
        assert con.execute("SELECT batch_id FROM touches WHERE touched_at = '2026-03-01'").fetchone()[0] == "sample"
    finally:
        con.close()


def test_a_version_1_file_opened_read_only_is_read_as_it_is(make_db):
    path = make_db("base.sql", "funnel.sql")
    before = _version_1(path)
    con = db.connect(path, read_only=True)
    try:
        assert con.execute("SELECT value FROM meta WHERE key = 'schema_version'").fetchone()[0] == "1"
        assert con.execute("SELECT * FROM leads ORDER BY ALL").fetchall() == before["leads"]
    finally:
        con.close()


def test_a_failed_upgrade_leaves_the_file_at_version_1(make_db, monkeypatch):
    path = make_db("base.sql")
    _version_1(path)
    monkeypatch.setitem(db.REBUILT_BY_UPGRADE, "1", ("feedback", "touches", "deals", "leads", "no_such_table"))
    with pytest.raises(db.DatabaseError, match="cannot upgrade the schema from version 1.*unchanged"):
        db.connect(path)
    con = duckdb.connect(str(path), read_only=True)
    try:
        assert con.execute("SELECT value FROM meta WHERE key = 'schema_version'").fetchone()[0] == "1"
        assert len(con.execute(KEYS).fetchall()) == 11
    finally:
        con.close()


def test_upsert_of_a_lead_a_deal_refers_to_now_works(make_db):
    """Version 1 refused this: DuckDB cannot update a row another table's foreign key refers to."""
    con = db.connect(make_db("base.sql", "funnel.sql"))
    try:
        lead, deals = con.execute("SELECT lead_id, count(*) FROM deals WHERE lead_id IS NOT NULL GROUP BY ALL "
                                  "ORDER BY ALL LIMIT 1").fetchone()
        columns = [r[0] for r in con.execute("SELECT column_name FROM duckdb_columns() WHERE table_name = 'leads' "
                                             "AND column_name <> 'batch_id' ORDER BY column_index").fetchall()]
        row = con.execute(f"SELECT {', '.join(columns)} FROM leads WHERE lead_id = $l", {"l": lead}).fetchone()
        cells = ["" if v is None else str(v) for v in row]
        cells[columns.index("company")] = "Renamed Ltd"
        text = ",".join(columns) + "\n" + ",".join(cells) + "\n"
        read = source.read_source(text.encode(), name="lead.csv")
        report = core.commit(con, source=read, mapping=mapping.suggest(read.columns, table="leads"), table="leads",
                             mode="upsert")
        assert (report.updated, report.inserted) == (1, 0)
        assert con.execute("SELECT company FROM leads WHERE lead_id = $l", {"l": lead}).fetchone()[0] == "Renamed Ltd"
        assert con.execute("SELECT count(*) FROM deals WHERE lead_id = $l", {"l": lead}).fetchone()[0] == deals
        core.undo(con, batch_id=report.batch_id)
        assert con.execute(f"SELECT {', '.join(columns)} FROM leads WHERE lead_id = $l", {"l": lead}).fetchone() == row
    finally:
        con.close()
