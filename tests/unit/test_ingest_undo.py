"""Imports: undo restores the exact previous rows, refuses while later data depends on them; SIGKILL mid-commit."""

from __future__ import annotations

import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from queries import db, ingest

pytestmark = pytest.mark.slow

ROOT = Path(__file__).resolve().parents[2]
DATA_TABLES = ("reps", "campaigns", "campaign_spend", "brand_metrics", "leads", "touches", "deals", "quotas",
               "targets", "feedback")


def snapshot(con) -> dict[str, list]:
    with con.cursor() as cur:
        return {t: sorted(map(repr, cur.execute("SELECT * FROM query_table($t)", {"t": t}).fetchall()))
                for t in DATA_TABLES}


def load(con, text: str, *, table: str, mode: str = "insert", name: str = "file.csv") -> ingest.Report:
    data = textwrap.dedent(text).lstrip().encode()
    source = ingest.read_source(data, name=name)
    return ingest.commit(con, source=source, mapping=ingest.suggest(source.columns, table=table), table=table,
                         mode=mode)


@pytest.fixture
def con(make_db):
    connection = db.connect(make_db("base.sql", "ingest/deals.sql"))
    yield connection
    connection.close()


REPS = """
    rep_id,name,team,region
    R5,Eva Fox,EMEA,EMEA
    R6,Finn Gray,NA,NA
"""


def test_undo_insert_round_trip(con):
    before = snapshot(con)
    report = load(con, REPS, table="reps")
    assert snapshot(con) != before
    result = ingest.undo(con, batch_id=report.batch_id)
    assert result == {"batch_id": report.batch_id, "table": "reps", "deleted": 2, "restored": 0}
    assert snapshot(con) == before
    assert ingest.history(con).iloc[0]["status"] == "undone"


def test_undo_upsert_round_trip_restores_previous_values_and_batches(con):
    before = snapshot(con)
    report = load(con, """
        rep_id,name,team,region,active
        R1,Ana Berg-Lund,EMEA,EMEA,false
        R7,Gus Hale,NA,NA,true
    """, table="reps", mode="upsert")
    assert (report.inserted, report.updated) == (1, 1)
    assert con.execute("SELECT name, active, batch_id FROM reps WHERE rep_id = 'R1'").fetchone() == (
        "Ana Berg-Lund", False, report.batch_id)
    result = ingest.undo(con, batch_id=report.batch_id)
    assert (result["deleted"], result["restored"]) == (1, 1)
    assert snapshot(con) == before


def test_undo_upsert_of_referenced_deal_keeps_feedback(con):
    before = snapshot(con)
    report = load(con, """
        deal_id,account,owner_rep_id,segment,created_at,stage,amount,close_date
        D0,Zeta Corp,R1,SMB,2026-03-05 10:00:00,won,1750,2026-03-25
    """, table="deals", mode="upsert")
    row = con.execute("SELECT account, amount, lead_id FROM deals WHERE deal_id = 'D0'").fetchone()
    assert (row[0], float(row[1]), row[2]) == ("Zeta Corp", 1750, "L1")  # lead_id is not in the file: kept
    ingest.undo(con, batch_id=report.batch_id)
    assert snapshot(con) == before


def test_undo_refused_while_later_rows_depend_on_the_batch(con):
    reps = load(con, REPS, table="reps")
    deals = load(con, """
        deal_id,account,owner_rep_id,segment,created_at,stage,amount
        D5,Omega,R5,SMB,2026-04-01,proposal,900
    """, table="deals")
    with pytest.raises(ingest.UndoRefused, match=rf"1 deals rows \(batches: {deals.batch_id}\) refer to reps"):
        ingest.undo(con, batch_id=reps.batch_id)
    assert con.execute("SELECT count(*) FROM reps WHERE rep_id IN ('R5', 'R6')").fetchone() == (2,)
    ingest.undo(con, batch_id=deals.batch_id)
    ingest.undo(con, batch_id=reps.batch_id)
    assert con.execute("SELECT count(*) FROM reps WHERE rep_id IN ('R5', 'R6')").fetchone() == (0,)


def test_undo_refused_when_a_later_upsert_changed_the_rows(con):
    first = load(con, REPS, table="reps")
    second = load(con, "rep_id,name,team,region\nR5,Eva Fox-Ng,EMEA,EMEA\n", table="reps", mode="upsert")
    with pytest.raises(ingest.UndoRefused, match=f"a later import \\({second.batch_id}\\) updated 1 rows"):
        ingest.undo(con, batch_id=first.batch_id)
    ingest.undo(con, batch_id=second.batch_id)
    assert con.execute("SELECT name, batch_id FROM reps WHERE rep_id = 'R5'").fetchone() == ("Eva Fox",
                                                                                                first.batch_id)


def test_undo_twice_and_unknown_batch_are_refused(con):
    report = load(con, REPS, table="reps")
    ingest.undo(con, batch_id=report.batch_id)
    with pytest.raises(ingest.UndoRefused, match="already undone"):
        ingest.undo(con, batch_id=report.batch_id)
    with pytest.raises(ingest.UndoRefused, match="no import batch 'nope'"):
        ingest.undo(con, batch_id="nope")


KILLER = """
import sys, time
from pathlib import Path
from queries import db, ingest
from queries.ingest import core
core.INSERT_SLICE_ROWS = 150_000
con = db.connect(sys.argv[1])
data = Path(sys.argv[2]).read_bytes()
source = ingest.read_source(data, name="spend.csv")

def progress(fraction, text):
    if text.startswith("Writing") and fraction > 0.45:   # the first slice is already written
        print("MID-COMMIT", flush=True)
        time.sleep(120)

ingest.commit(con, source=source, mapping=ingest.suggest(source.columns, table="campaign_spend"),
              table="campaign_spend", progress=progress)
"""


def test_sigkill_mid_commit_leaves_the_old_data(make_db, tmp_path):
    path = make_db("base.sql", "ingest/deals.sql")
    spend = tmp_path / "spend.csv"
    with spend.open("w") as f:
        f.write("campaign_id,day,spend\n")
        for i in range(400_000):
            f.write(f"C{1 + i % 3},{2000 + i // 3 // 365}-{1 + i // 3 % 365 // 31:02d}-{1 + i // 3 % 31:02d},1.5\n")
    # Some generated days are invalid (e.g. 02-30): keep only rows that make unique, valid keys.
    lines = spend.read_text().splitlines()
    valid = [line for line in lines[1:] if not line.split(",")[1].endswith(("-02-29", "-02-30", "-02-31",
                                                                            "-04-31", "-06-31", "-09-31", "-11-31"))]
    spend.write_text("\n".join([lines[0], *dict.fromkeys(valid)]) + "\n")
    con = db.connect(path)
    before, version = snapshot(con), db.data_version(con)
    con.close()
    proc = subprocess.Popen([sys.executable, "-c", KILLER, str(path), str(spend)], cwd=ROOT, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True)
    try:
        line = proc.stdout.readline()
        assert line.strip() == "MID-COMMIT", proc.stderr.read()
        proc.kill()  # SIGKILL
    finally:
        proc.wait(timeout=60)
    assert proc.returncode == -9
    con = db.connect(path)
    try:
        assert snapshot(con) == before
        assert db.data_version(con) == version
        assert con.execute("SELECT count(*) FROM import_batches").fetchone() == (0,)
    finally:
        con.close()


def test_undo_records_who_and_when(tmp_path):
    from queries import access, db, ingest

    con = db.connect(tmp_path / "who.duckdb")
    source = ingest.read_source(b"rep_id,name,team,region\nZ1,Zed,NA,NA\n", name="reps.csv")
    report = ingest.commit(con, source=source, mapping=ingest.suggest(["rep_id", "name", "team", "region"],
                                                                       table="reps"), table="reps")
    ingest.undo(con, batch_id=report.batch_id, actor=access.Actor("ann@example.com", "admin"))
    batch = ingest.history(con).iloc[0]
    con.close()
    assert (batch.status, batch.imported_by, batch.undone_by) == ("undone", "local", "ann@example.com")
    assert batch.undone_at is not None and batch.undone_at >= batch.imported_at
