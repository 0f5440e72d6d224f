"""queries.targets: reading agreed targets and saving them (upsert, audit columns, data_version, refusals)."""

from __future__ import annotations

from datetime import date

import pandas as pd
import pytest

from queries import access, db, targets

QUERIES = {
    "monthly": {"start_month": date(2026, 7, 1), "end_month": date(2026, 8, 1), "metrics": None},
    "delete_target": None,  # writes: exercised by the save tests below
    "insert_target": None,
}


@pytest.fixture
def con(make_db):
    connection = db.connect(make_db("base.sql", "plan.sql"))
    yield connection
    connection.close()


def saved(con):
    return con.execute("SELECT month, metric, team, value, updated_by, batch_id, updated_at IS NOT NULL "
                       "FROM targets ORDER BY month, metric").fetchall()


def test_targets_every_sql_file_has_a_test_entry():
    assert set(QUERIES) == {p.stem for p in (db.SQL_DIR / "targets").glob("*.sql")}


def test_targets_monthly_reads_the_months_and_metrics(con):
    got = targets.monthly(con, start_month=date(2026, 7, 1), end_month=date(2026, 7, 1), metrics=["mqls"])
    assert got[["month", "metric", "team", "value"]].values.tolist() == [[date(2026, 7, 1), "mqls", "marketing", 99.0]]
    assert len(targets.monthly(con, **QUERIES["monthly"])) == 3


@pytest.mark.slow
def test_targets_save_inserts_and_replaces_in_one_go(con):
    before = db.data_version(con)
    written = targets.save_targets(con, rows=[
        {"month": date(2026, 7, 1), "metric": "mqls", "team": "marketing", "value": 120},
        {"month": "2026-08-01", "metric": "sourced_pipeline", "team": "marketing", "value": 250000.0},
    ], actor=access.Actor("ann@example.com", "admin"))
    assert written == 2
    assert db.data_version(con) == before + 1
    assert saved(con) == [
        (date(2026, 7, 1), "mqls", "marketing", 120.0, "ann@example.com", "manual", True),
        (date(2026, 7, 1), "revenue", "joint", 50000.0, None, "sample", False),
        (date(2026, 8, 1), "revenue", "joint", 60000.0, None, "sample", False),
        (date(2026, 8, 1), "sourced_pipeline", "marketing", 250000.0, "ann@example.com", "manual", True),
    ]


@pytest.mark.slow
def test_targets_save_accepts_a_dataframe_with_timestamps(con):
    frame = pd.DataFrame({"month": pd.to_datetime(["2026-09-01"]), "metric": ["sla_pct"], "team": ["sales"],
                          "value": [92.5]})
    assert targets.save_targets(con, rows=frame) == 1
    assert (date(2026, 9, 1), "sla_pct", "sales", 92.5, "local", "manual", True) in saved(con)


@pytest.mark.parametrize(("row", "message"), [
    ({"month": date(2026, 7, 15), "metric": "mqls", "team": "marketing", "value": 1}, "first day of a month"),
    ({"month": "next month", "metric": "mqls", "team": "marketing", "value": 1}, "first day of a month"),
    ({"month": date(2026, 7, 1), "metric": "leads", "team": "marketing", "value": 1}, "metric must be one of"),
    ({"month": date(2026, 7, 1), "metric": "mqls", "team": "finance", "value": 1}, "team must be one of"),
    ({"month": date(2026, 7, 1), "metric": "mqls", "team": "sales", "value": 1}, "mqls is a marketing target"),
    ({"month": date(2026, 7, 1), "metric": "mqls", "team": "marketing", "value": -5}, "from 0 to"),
    ({"month": date(2026, 7, 1), "metric": "mqls", "team": "marketing", "value": float("nan")}, "from 0 to"),
    ({"month": date(2026, 7, 1), "metric": "sla_pct", "team": "sales", "value": 140}, "from 0 to 100"),
    ({"month": date(2026, 7, 1), "metric": "mqls", "team": "marketing", "value": "lots"}, "must be a number"),
    ({"month": date(2026, 7, 1), "metric": "mqls", "team": "marketing"}, "missing value"),
])
@pytest.mark.slow
def test_targets_save_refuses_a_bad_row_naming_it_and_writes_nothing(con, row, message):
    before, version = saved(con), db.data_version(con)
    good = {"month": date(2026, 8, 1), "metric": "mqls", "team": "marketing", "value": 10}
    with pytest.raises(targets.TargetError, match=message) as caught:
        targets.save_targets(con, rows=[good, row])
    assert str(caught.value).startswith("row 2")
    assert saved(con) == before and db.data_version(con) == version


@pytest.mark.slow
def test_targets_save_refuses_duplicates_and_is_a_tandem_error(con):
    row = {"month": date(2026, 8, 1), "metric": "mqls", "team": "marketing", "value": 10}
    with pytest.raises(db.TandemError, match="row 2: repeats row 1"):
        targets.save_targets(con, rows=[row, dict(row, value=11)])
    assert targets.save_targets(con, rows=[]) == 0


def test_targets_save_needs_the_admin_role(con):
    before = saved(con)
    row = {"month": date(2026, 8, 1), "metric": "mqls", "team": "marketing", "value": 10}
    with pytest.raises(access.PermissionDenied, match="may not edit targets"):
        targets.save_targets(con, rows=[row], actor=access.Actor("max@example.com", "member"))
    assert saved(con) == before
