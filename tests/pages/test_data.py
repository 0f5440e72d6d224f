"""Data page: upload → map → check → import → undo, problems named by row and column, health tables."""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import pytest
from helpers import app

from queries import derived, ingest
from ui import data

pytestmark = pytest.mark.slow

PAGE = "pages/data.py"
FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "ingest"
MAPPINGS = Path(__file__).resolve().parents[2] / "sample_data" / "mappings"
REPS = b"Rep ID,Name,Team,Region\nR900,Ada Lo,EMEA,EMEA\nR901,Bo Ma,NA,NA\n"


def open_page(upload: tuple[str, bytes] | None = None, table: str | None = None):
    at = app()
    if upload:
        at.session_state["data_upload"] = (*upload, False)
    at.run()
    at.switch_page(PAGE).run()
    if table:
        at.selectbox(key="data_table").set_value(table).run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def count(sql: str) -> int:
    """Read through the app's own connection (a second one to the same file in this process is refused)."""
    with data.connection().cursor() as cur:
        return cur.execute(sql).fetchone()[0]


def stale_after_writing(*tables: str) -> list[str]:
    """The summary tables built so far that a write to these tables makes stale."""
    with data.connection().cursor() as cur:
        built = [name for (name,) in cur.execute("SELECT name FROM derived._versions").fetchall()]
    return [name for name in built if derived.sources(name) & set(tables)]


def frame(at, *columns: str) -> pd.DataFrame:
    """The first table on the page that has these columns (AppTest does not find dataframes by key)."""
    return next(d.value for d in at.dataframe if set(columns) <= set(d.value.columns))


def test_data_page_without_a_file_shows_health_and_empty_history(app_db):
    at = open_page()
    assert at.title[0].value == "Data"
    assert any("Upload an export" in i.value for i in at.info)
    assert not any("No imports yet" in i.value for i in at.info), "one section at a time"
    assert not [d for d in at.dataframe if "imported_rows" in d.value.columns], "health runs only when chosen"
    at.radio(key="data_view").set_value("history").run()
    assert any("No imports yet" in i.value for i in at.info)
    assert at.query_params["show"] == "history"
    at.radio(key="data_view").set_value("health").run()
    overview = frame(at, "table_name", "imported_rows").set_index("table_name")
    assert overview.loc["deals", "rows"] == count("SELECT count(*) FROM deals")
    schema = frame(at, "column_name", "allowed_values")
    assert list(schema["column_name"]) == list(ingest.TABLES["reps"].column_names)
    at.selectbox(key="data_schema_table").set_value("quotas").run()
    assert list(frame(at, "column_name", "allowed_values")["column_name"]) == ["rep_id", "month", "amount"]


def test_data_page_health_reads_in_words(app_db):
    at = open_page()
    at.radio(key="data_view").set_value("health").run()
    shown = next(d for d in at.dataframe if "allowed_values" in d.value.columns)
    schema = shown.value.set_index("column_name")
    # The database's default for reps.active is CAST('t' AS BOOLEAN): it reads as the value it gives.
    assert schema.loc["active", "default_value"] == "true" and schema.loc["active", "kind"] == "true or false"
    assert schema.loc["rep_id", "kind"] == "text" and "data_type" not in schema.columns
    at.selectbox(key="data_schema_table").set_value("quotas").run()
    quotas = next(d.value for d in at.dataframe if "allowed_values" in d.value.columns).set_index("column_name")
    assert quotas.loc["amount", "kind"] == "number with 2 decimals" and quotas.loc["amount", "minimum"] == "0"
    for table in at.dataframe:
        shown = [column for column in json.loads(table.proto.columns).values() if not column.get("hidden")]
        labels = [column.get("label") for column in shown]
        assert all(label and "_" not in label and label[0].isupper() for label in labels), labels


def test_data_page_upload_map_check_import_undo(app_db):
    reps_before = count("SELECT count(*) FROM reps")
    at = open_page(("reps.csv", REPS), table="reps")
    at.radio(key="data_view").set_value("health").run()  # the health checks' summary tables are built now...
    assert frame(at, "table_name", "imported_rows").set_index("table_name").loc["reps", "rows"] == reps_before
    at.radio(key="data_view").set_value("import").run()
    assert at.selectbox(key="data_map_reps_0_rep_id").value == "Rep ID"  # suggested by name similarity
    assert at.button(key="data_commit").disabled
    at.button(key="data_validate").click().run()
    assert not at.exception
    assert at.metric[0].value == "2" and at.metric[1].value == "0"
    assert list(frame(at, "row", "rep_id")["rep_id"]) == ["R900", "R901"]
    stale = stale_after_writing("reps", "import_batches")
    assert "health_table_overview" in stale, stale
    at.button(key="data_commit").click().run()
    assert not at.exception, [e.value for e in at.exception]
    flash = next(s.value for s in at.success if "Imported 2 rows into reps" in s.value)
    # The import's own run brought the summary tables it made stale up to date, under its progress bar.
    assert f"{len(stale)} summary tables brought up to date in" in flash, flash
    assert count("SELECT count(*) FROM reps") == reps_before + 2
    at.radio(key="data_view").set_value("health").run()
    overview = frame(at, "table_name", "imported_rows").set_index("table_name")
    assert (overview.loc["reps", "rows"], overview.loc["reps", "imports"]) == (reps_before + 2, 1)
    at.radio(key="data_view").set_value("history").run()
    history = frame(at, "batch_id", "status")
    assert (history.iloc[0]["table_name"], history.iloc[0]["row_count"]) == ("reps", 2)
    stale = stale_after_writing("reps", "import_batches")
    at.button(key="data_undo").click().run()
    assert not at.exception
    flash = next(s.value for s in at.success if "2 rows removed" in s.value)
    assert f"{len(stale)} summary tables brought up to date in" in flash, flash
    assert count("SELECT count(*) FROM reps") == reps_before
    assert frame(at, "batch_id", "status").iloc[0]["status"] == "undone"
    # ...and rebuilt after each write: the import (above) and the undo each bumped data_version.
    at.radio(key="data_view").set_value("health").run()
    overview = frame(at, "table_name", "imported_rows").set_index("table_name")
    assert (overview.loc["reps", "rows"], overview.loc["reps", "imports"]) == (reps_before, 0)


def test_data_page_names_bad_rows_by_row_and_column(app_db):
    bad = b"rep_id,name,team,region,active\nR900,Ada Lo,EMEA,EMEA,yes please\nR901,,NA,NA,true\n"
    at = open_page(("reps.csv", bad), table="reps")
    at.button(key="data_validate").click().run()
    problems = frame(at, "problem", "severity")
    assert [(r.row, r.column, r.problem) for r in problems.itertuples()] == [
        (2, "active", "not true or false"), (3, "name", "required: the cell is empty")]
    assert at.button(key="data_commit").disabled


def test_data_page_value_mapping_and_constant(app_db):
    deals = (b"Opportunity ID,Account Name,Owner,Deal Stage,Amount,Created Date,Close Date\n"
             b"X1,Acme,NA-001,Closed Won,1200,31/03/2026,15/04/2026\n")
    at = open_page(("deals.csv", deals), table="deals")
    assert at.selectbox(key="data_value_deals_0_stage_0").value == "won"  # suggested for "Closed Won"
    assert at.selectbox(key="data_date_format_deals_0").value == "%d/%m/%Y"  # detected (31 cannot be a month)
    at.text_input(key="data_default_deals_0_segment").set_value("SMB").run()
    at.button(key="data_validate").click().run()
    assert at.metric[1].value == "0", frame(at, "problem", "severity")
    at.button(key="data_commit").click().run()
    assert count("SELECT count(*) FROM deals WHERE deal_id = 'X1' AND stage = 'won' AND segment = 'SMB' "
                         "AND close_date = DATE '2026-04-15'") == 1


def test_data_page_saved_mapping_for_google_trends(app_db):
    trends = (FIXTURES / "google_trends_excerpt.csv").read_bytes()
    at = open_page(("multiTimeline.csv", trends), table="brand_metrics")
    at.selectbox(key="data_saved_mapping").set_value("google_trends_share_of_search.toml").run()
    at.button(key="data_validate").click().run()
    assert not at.exception
    assert at.metric[0].value == "3" and at.metric[1].value == "0"
    preview = frame(at, "row", "metric")
    assert list(preview["metric"]) == ["share_of_search"] * 3
    assert round(preview["value"].iloc[0], 2) == round(70 / 73 * 100, 2)


def test_data_page_unreadable_file(app_db):
    at = open_page(("deals.csv", b""), table="deals")
    assert any("cannot be read" in e.value and "row 1" in e.value for e in at.error)


def test_data_page_problem_report_starts_with_a_tally(app_db):
    bad = (b"rep_id,name,team,region,active\nR900,Ada Lo,EMEA,EMEA,yes please\nR901,,NA,NA,true\n"
           b"R902,Cy Do,NA,NA,maybe\n")
    at = open_page(("reps.csv", bad), table="reps")
    at.button(key="data_validate").click().run()
    tally = frame(at, "kind", "count")
    assert [(r.field, r.column, r.kind, r.count, r.first_row, r.example) for r in tally.itertuples()] == [
        ("active", "active", "not true or false", 2, 2, "yes please"),
        ("name", "name", "empty", 1, 3, "")]
    assert "file" not in tally.columns  # every problem is in the uploaded file


PIPELINE = (b"opportunity_id,sales_agent,product,account,deal_stage,engage_date,close_date,close_value\n"
            b"ZZ1,NA-001,GTX Basic,Acme,Won,2026-03-01,2026-03-20,1000\n"
            b"ZZ2,NA-001,MG Special,Beta,Engaging,2026-03-02,,\n"
            b"ZZ3,NA-001,GTX Basic,Gamma,Engaging,2026-03-03,,\n")
PRODUCTS = b"product,series,sales_price\nGTX Basic,GTX,550\nMG Special,MG,55\n"


def test_data_page_a_second_file_fills_what_the_export_leaves_empty(app_db):
    at = app()
    at.session_state["data_upload"] = ("sales_pipeline.csv", PIPELINE, False)
    at.session_state["data_join_upload_new"] = ("products.csv", PRODUCTS, False)
    at.run()
    at.switch_page(PAGE).run()
    at.selectbox(key="data_table").set_value("deals").run()
    assert not at.exception, [e.value for e in at.exception]
    # The key both files name alike, and the list price suggested where the deal has no value of its own.
    assert (at.selectbox(key="data_join_mine_new").value, at.selectbox(key="data_join_theirs_new").value) == (
        "product", "product")
    assert at.selectbox(key="data_map_deals_0_amount").value == "close_value"
    assert at.selectbox(key="data_fill_deals_0_products_amount").value == "products.sales_price"
    assert at.selectbox(key="data_map_deals_0_created_at").value == "engage_date"
    assert at.selectbox(key="data_value_deals_0_stage_0").value == "qualification"  # "Engaging"
    at.text_input(key="data_default_deals_0_segment").set_value("SMB").run()
    at.button(key="data_validate").click().run()
    assert at.metric[1].value == "0", frame(at, "problem", "severity")
    assert [float(a) for a in frame(at, "row", "deal_id")["amount"]] == [1000.0, 55.0, 550.0]
    at.button(key="data_commit").click().run()
    assert not at.exception, [e.value for e in at.exception]
    assert count("SELECT sum(amount) FROM deals WHERE deal_id IN ('ZZ1', 'ZZ2', 'ZZ3')") == 1605


def test_data_page_saved_mapping_asks_for_its_second_file(app_db):
    at = open_page(("sales_pipeline.csv", PIPELINE), table="deals")
    at.selectbox(key="data_saved_mapping").set_value("crm_sample_deals.toml").run()
    scope = f"deals_{sorted(p.name for p in MAPPINGS.glob('*.toml')).index('crm_sample_deals.toml') + 1}"
    assert at.selectbox(key=f"data_fill_{scope}_products_amount").value == "products.sales_price"
    at.text_input(key=f"data_default_{scope}_segment").set_value("SMB").run()
    at.button(key="data_validate").click().run()
    problems = frame(at, "problem", "severity")
    found = [(r.row, r.column, r.field) for r in problems.itertuples()]
    assert found[0] == (1, "products.sales_price", "amount")
    assert "the second file of join 'products' was not given" in problems["problem"][0]
    # Without it the open deals have no amount: a problem too while the table requires one.
    assert set(found[1:]) <= {(3, "close_value or products.sales_price", "amount"),
                              (4, "close_value or products.sales_price", "amount")}
    at.session_state["data_join_upload_products"] = ("products.csv", PRODUCTS, False)
    at.run()
    at.button(key="data_validate").click().run()
    assert at.metric[1].value == "0", frame(at, "problem", "severity")
    assert [float(a) for a in frame(at, "row", "deal_id")["amount"]] == [1000.0, 55.0, 550.0]
