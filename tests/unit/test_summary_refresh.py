"""Summary tables after an import or an undo: the ones that declare a refresh key rebuild only the rows of the keys
the write changed, and every summary table then equals a rebuild from scratch."""

from __future__ import annotations

import textwrap

import pandas as pd
import pytest

from queries import db, derived, ingest

# New leads (L90, L91: one with a deal-less MQL, one with no created date) and changed ones: L1 moves to an earlier day,
# channel and owner and loses its SQL; L2 becomes an MQL on a new day.
LEADS = """
    lead_id,created_at,campaign_id,channel,region,segment,industry,company,owner_rep_id,mql_at,sal_at,sql_at,first_contact_at,contact_attempts
    L90,2026-04-20 09:00,C1,search,EMEA,SMB,Software,Nova,R1,2026-04-21 09:00,,,2026-04-22 10:00,1
    L91,,C2,,NA,Mid-Market,Retail,Orbit,,,,,,
    L1,2026-02-27 09:00,C2,social,NA,SMB,Software,Acme,R2,2026-03-10 10:00,2026-03-10 12:00,,2026-03-10 10:30,3
    L2,2026-03-03 09:00,C1,search,EMEA,SMB,Retail,Bolt,R1,2026-04-02 11:00,,,,
"""
# A deal moved from one lead to another and a new one: the per-lead facts of three leads change.
DEALS = """
    deal_id,lead_id,account,owner_rep_id,product,segment,created_at,close_date,stage,amount
    D1,L2,Acme,R1,Core,SMB,2026-03-05 12:00,2026-03-25,won,10000
    D90,L7,Nova,R1,Core,SMB,2026-04-25 12:00,2026-05-10,won,2500.50
"""


def load(con, text: str, *, table: str) -> ingest.Report:
    source = ingest.read_source(textwrap.dedent(text).lstrip().encode(), name=f"{table}.csv")
    return ingest.commit(con, source=source, mapping=ingest.suggest(source.columns, table=table), table=table,
                         mode="upsert")


def built(con, name: str) -> pd.DataFrame:
    """The built table, brought up to date first as any query's (a test may have refreshed only some)."""
    return derived.run(con, f"SELECT * FROM derived.{name} ORDER BY ALL")  # noqa: S608 - fixed names


def from_scratch(con, name: str) -> pd.DataFrame:
    """The table as its SQL computes it from the base tables alone (every summary table it reads inlined)."""
    return db.run_sql(con, derived.inline(f"SELECT * FROM derived.{name} ORDER BY ALL"))  # noqa: S608


def assert_all_equal_a_rebuild(con) -> None:
    for name in derived.tables():
        pd.testing.assert_frame_equal(built(con, name), from_scratch(con, name), obj=name)


@pytest.fixture
def con(make_db):
    connection = db.connect(make_db("base.sql", "funnel.sql"))
    derived.ensure(connection, derived.tables())
    yield connection
    connection.close()


@pytest.fixture
def rebuilt_whole(monkeypatch):
    """The summary tables a refresh rebuilt whole (the others, if stale, were refreshed by their keys)."""
    names: list[str] = []
    original = derived._rebuild

    def rebuild(cur, name, *, wide):
        if not derived._fresh(cur, name):
            names.append(name)
        return original(cur, name, wide=wide)

    monkeypatch.setattr(derived, "_rebuild", rebuild)
    return names


@pytest.mark.parametrize(("table", "text"), [("leads", LEADS), ("deals", DEALS)])
@pytest.mark.slow
def test_an_import_and_its_undo_refresh_by_key_and_equal_a_rebuild(con, rebuilt_whole, table, text):
    report = load(con, text, table=table)
    assert report.inserted and report.updated  # new rows and changed ones
    derived.ensure(con, derived.tables())
    assert "lead_facts" not in rebuilt_whole and "mql_facts" not in rebuilt_whole
    assert "lead_cohort_daily" in rebuilt_whole  # no refresh key: rebuilt whole, as before
    assert_all_equal_a_rebuild(con)

    rebuilt_whole.clear()
    ingest.undo(con, batch_id=report.batch_id)
    derived.ensure(con, derived.tables())
    assert "lead_facts" not in rebuilt_whole and "mql_facts" not in rebuilt_whole
    assert_all_equal_a_rebuild(con)


@pytest.mark.slow
def test_two_imports_before_a_refresh_are_refreshed_together(con, rebuilt_whole):
    load(con, LEADS, table="leads")
    load(con, DEALS, table="deals")
    derived.ensure(con, ["mql_facts"])
    assert rebuilt_whole == []
    assert_all_equal_a_rebuild(con)


@pytest.mark.slow
def test_a_write_that_is_not_recorded_rebuilds_whole(con, rebuilt_whole):
    load(con, LEADS, table="leads")
    with db.transaction(con) as cur:  # another program's write: data_version moves, nothing records what changed
        cur.execute("UPDATE leads SET region = 'APAC' WHERE lead_id = 'L4'")
        db.bump_data_version(cur, ["leads"])
    derived.ensure(con, ["mql_facts"])
    assert rebuilt_whole == ["lead_facts", "mql_facts"]
    assert_all_equal_a_rebuild(con)


@pytest.mark.slow
def test_a_write_to_an_input_read_whole_rebuilds_whole(con, rebuilt_whole):
    load(con, LEADS, table="leads")
    load(con, """
        rep_id,name,team,region
        R1,Ana Berg,NA,NA
    """, table="reps")  # every lead of R1 changes team: lead_facts reads reps whole
    derived.ensure(con, ["lead_facts"])
    assert rebuilt_whole == ["lead_facts"]
    assert_all_equal_a_rebuild(con)


@pytest.mark.slow
def test_a_write_too_large_to_keep_rebuilds_whole(con, rebuilt_whole, monkeypatch):
    monkeypatch.setattr(derived, "MAX_RECORDED_ROWS", 2)
    load(con, LEADS, table="leads")
    derived.ensure(con, ["lead_facts"])
    assert rebuilt_whole == ["lead_facts"]
    assert_all_equal_a_rebuild(con)


def test_refresh_declarations_name_declared_inputs():
    assert derived.refresh_key("lead_facts") == ("lead_id", ("leads", "deals"))
    assert derived.keyed_sources("mql_facts") == {"leads", "deals"}
    for name in derived.tables():
        declared = derived.refresh_key(name)
        if declared is not None:
            assert set(declared[1]) <= set(derived.inputs(name)), name
            assert derived.keyed_sources(name) <= derived.sources(name), name


@pytest.mark.slow
def test_a_declared_sort_orders_the_built_table(con):
    assert derived.sorted_by("mql_facts") == "mql_at, lead_id"
    stored = db.run_sql(con, "SELECT mql_at, lead_id FROM derived.mql_facts ORDER BY rowid")
    assert len(stored) > 1
    pd.testing.assert_frame_equal(stored, stored.sort_values(["mql_at", "lead_id"], ignore_index=True))
