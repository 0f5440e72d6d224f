"""A version 1 file (keys on the fact tables) is upgraded when opened for writing, and read as it is otherwise."""

from __future__ import annotations

import duckdb
import pytest
import version1

from queries import db
from queries.ingest import core, mapping, source


@pytest.mark.slow
def test_a_version_1_file_opened_for_writing_loses_the_fact_keys_and_keeps_every_row(make_db):
    path = make_db("base.sql", "funnel.sql")
    before = version1.make(path)
    con = db.connect(path)
    try:
        assert con.execute("SELECT value FROM meta WHERE key = 'schema_version'").fetchone()[0] == db.SCHEMA_VERSION
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


@pytest.mark.slow
def test_a_version_1_file_opened_read_only_is_read_as_it_is(make_db):
    path = make_db("base.sql", "funnel.sql")
    before = version1.make(path)
    con = db.connect(path, read_only=True)
    try:
        assert con.execute("SELECT value FROM meta WHERE key = 'schema_version'").fetchone()[0] == "1"
        assert con.execute("SELECT * FROM leads ORDER BY ALL").fetchall() == before["leads"]
    finally:
        con.close()


@pytest.mark.slow
def test_an_upgrade_failing_half_way_leaves_the_file_at_version_1(make_db, monkeypatch):
    """The tables are already dropped when recreating leads fails: everything rolls back."""
    path = make_db("base.sql", "funnel.sql")
    before = version1.make(path)
    real_ddl = db.schema.table_ddl
    monkeypatch.setattr(db.schema, "table_ddl", lambda name: "CREATE TABLE leads (broken" if name == "leads" else
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


@pytest.mark.slow
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
        version = upgraded.execute("SELECT value FROM meta WHERE key = 'schema_version'").fetchone()[0]
        assert version == db.SCHEMA_VERSION
        assert upgraded.execute("SELECT index_name, table_name FROM duckdb_indexes()").fetchall() == [
            ("my_company_index", "leads")]
    finally:
        upgraded.close()


@pytest.mark.slow
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


@pytest.mark.slow
def test_a_version_2_file_keeps_every_row_and_no_longer_forces_invented_values(tmp_path, monkeypatch):
    import version2

    seed = tmp_path / "seed.toml"
    seed.write_text("[company]\nname = 'Our own Ltd'\ncurrency = 'EUR'\n")
    monkeypatch.setenv("TANDEM_SETTINGS", str(seed))
    path = tmp_path / "v2.duckdb"
    before = version2.make(path, "base.sql", "funnel.sql")
    assert sum(len(rows) for rows in before.values()) > 20
    con = db.connect(path)
    try:
        assert con.execute("SELECT value FROM meta WHERE key = 'schema_version'").fetchone()[0] == "3"
        assert {t: con.execute(f"SELECT * FROM {t} ORDER BY ALL").fetchall() for t in version2.TABLES} == before
        # The settings its server used (the seed file) are now the database's own.
        from queries import settings

        assert (settings.load(con).company_name, settings.load(con).currency) == ("Our own Ltd", "EUR")
        # What an export lacks can now stay unknown: an open deal without amount, account, segment or created date…
        con.execute("INSERT INTO deals (deal_id, owner_rep_id, stage) VALUES ('D-open', 'R1', 'proposal')")
        con.execute("INSERT INTO leads (lead_id) VALUES ('L-bare')")
        assert con.execute("SELECT contact_attempts, created_at FROM leads WHERE lead_id = 'L-bare'").fetchone() == (
            None, None)
        # … but a won deal still needs its amount, and no amount is negative.
        with pytest.raises(duckdb.ConstraintException):
            con.execute("INSERT INTO deals (deal_id, owner_rep_id, stage, close_date) "
                        "VALUES ('D-won', 'R1', 'won', '2026-03-01')")
        with pytest.raises(duckdb.ConstraintException):
            con.execute("INSERT INTO deals (deal_id, owner_rep_id, stage, amount) VALUES ('D-neg', 'R1', 'lost', -1)")
    finally:
        con.close()


@pytest.mark.slow
def test_a_version_2_file_opened_read_only_reads_as_it_is_with_the_seed_settings(tmp_path):
    import version2

    from queries import settings

    path = tmp_path / "v2.duckdb"
    before = version2.make(path, "base.sql")
    con = db.connect(path, read_only=True)
    try:
        assert con.execute("SELECT value FROM meta WHERE key = 'schema_version'").fetchone()[0] == "2"
        assert con.execute("SELECT * FROM deals ORDER BY ALL").fetchall() == before["deals"]
        assert settings.load(con) == settings.seed()
    finally:
        con.close()


def test_the_upgrade_from_version_2_rebuilds_parents_after_their_children():
    assert db.schema.rebuilt_by_upgrade("2") == ("feedback", "quotas", "campaign_spend", "deals", "leads",
                                                 "campaigns", "reps")
    assert db.schema.rebuilt_by_upgrade("1") == ("feedback", "touches", "quotas", "campaign_spend", "deals",
                                                 "leads", "campaigns", "reps")
