"""A version 1 file (keys on the fact tables) is upgraded when opened for writing, and read as it is otherwise."""

from __future__ import annotations

import duckdb
import pytest
import version1

from queries import db
from queries.ingest import core, mapping, source


def test_a_version_1_file_opened_for_writing_loses_the_fact_keys_and_keeps_every_row(make_db):
    path = make_db("base.sql", "funnel.sql")
    before = version1.make(path)
    con = db.connect(path)
    try:
        assert con.execute("SELECT value FROM meta WHERE key = 'schema_version'").fetchone()[0] == "2"
        assert con.execute(version1.KEYS).fetchall() == [("feedback", "FOREIGN KEY"), ("feedback", "PRIMARY KEY")]
        assert {t: con.execute(f"SELECT * FROM {t} ORDER BY ALL").fetchall() for t in version1.FACT_TABLES} == before
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
    before = version1.make(path)
    con = db.connect(path, read_only=True)
    try:
        assert con.execute("SELECT value FROM meta WHERE key = 'schema_version'").fetchone()[0] == "1"
        assert con.execute("SELECT * FROM leads ORDER BY ALL").fetchall() == before["leads"]
    finally:
        con.close()


def test_an_upgrade_failing_half_way_leaves_the_file_at_version_1(make_db, monkeypatch):
    """The tables are already dropped when recreating leads fails: everything rolls back."""
    path = make_db("base.sql", "funnel.sql")
    before = version1.make(path)
    real_ddl = db.table_ddl
    monkeypatch.setattr(db, "table_ddl", lambda name: "CREATE TABLE leads (broken" if name == "leads" else
                        real_ddl(name))
    with pytest.raises(db.DatabaseError, match="cannot upgrade the schema from version 1.*unchanged"):
        db.connect(path)
    con = duckdb.connect(str(path), read_only=True)
    try:
        assert con.execute("SELECT value FROM meta WHERE key = 'schema_version'").fetchone()[0] == "1"
        assert len(con.execute(version1.KEYS).fetchall()) == 11
        assert {t: con.execute(f"SELECT * FROM {t} ORDER BY ALL").fetchall() for t in version1.FACT_TABLES} == before
    finally:
        con.close()


def test_an_upgrade_names_a_table_of_ones_own_that_refers_to_leads_and_keeps_ones_indexes(make_db):
    path = make_db("base.sql", "funnel.sql")
    version1.make(path)
    con = duckdb.connect(str(path))
    con.execute("CREATE TABLE my_notes (lead_id VARCHAR REFERENCES leads (lead_id), note VARCHAR)")
    con.execute("CREATE INDEX my_company_index ON leads (company)")
    con.close()
    with pytest.raises(db.DatabaseError, match=r"my_notes \(refers to leads\).*open the file read-only"):
        db.connect(path)
    con = duckdb.connect(str(path))
    con.execute("DROP TABLE my_notes")
    con.close()
    upgraded = db.connect(path)
    try:
        assert upgraded.execute("SELECT value FROM meta WHERE key = 'schema_version'").fetchone()[0] == "2"
        assert upgraded.execute("SELECT index_name, table_name FROM duckdb_indexes()").fetchall() == [
            ("my_company_index", "leads")]
    finally:
        upgraded.close()


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
