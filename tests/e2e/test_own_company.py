"""Journey 6 in Chromium: our own company from nothing. One button gives an empty Tandem with the company's name,
currency and fiscal year; the CRM's sales team and opportunities come in through the checklist (the deals priced from
the products file where they have no value); the pages then show what the data supports and say what would unlock
the rest, and the totals match the export's own."""

from __future__ import annotations

import csv

from e2e.browser import Server, assert_healthy, free_port, wait_ready

from bench import crm_export
from queries import db, settings

LONG = 120_000


def pick(page, label: str, option: str) -> None:
    """Choose an option of the Streamlit selectbox labelled `label`."""
    page.get_by_test_id("stSelectbox").filter(has_text=label).first.click()
    page.keyboard.type(option)  # narrows a long list to the option (the list only draws what is in view)
    page.get_by_role("option", name=option, exact=True).click()


def upload(page, label: str, path) -> None:
    page.get_by_test_id("stFileUploader").filter(has_text=label).first.locator('input[type="file"]').set_input_files(
        str(path))


def check_and_import(page, file_name: str, rows: int, table: str) -> None:
    page.get_by_text(f"{file_name}: {rows:,} rows").wait_for(timeout=LONG)
    wait_ready(page, LONG, filters=False)
    page.get_by_role("button", name="Check the rows").click()
    page.get_by_text("Every row is good").wait_for(timeout=LONG)
    wait_ready(page, LONG, filters=False)
    page.get_by_role("button", name="Import", exact=True).click()
    page.get_by_text(f"Imported {rows:,} rows into {table}").wait_for(timeout=LONG)
    wait_ready(page, LONG, filters=False)
    assert_healthy(page)


def test_our_own_company_from_nothing(browser, tmp_path):
    files = crm_export.write(tmp_path / "export", deals=60, agents=6, seed=3)
    with files["pipeline"].open() as rows:
        won = sum(int(r["close_value"]) for r in csv.DictReader(rows) if r["deal_stage"] == "Won")
    target = tmp_path / "acme.duckdb"
    server = Server(target, free_port())
    context = browser.new_context(viewport={"width": 1600, "height": 1000})
    page = context.new_page()
    try:
        page.goto(server.url)
        page.get_by_text("Welcome to Tandem").wait_for(timeout=LONG)
        page.get_by_role("textbox", name="Company name").fill("Acme GmbH")
        page.get_by_role("textbox", name="Currency (ISO code)").fill("EUR")
        pick(page, "Fiscal year starts in", "February")
        page.get_by_role("button", name="Start empty").click()
        page.get_by_text("Getting started: what to import, in this order").wait_for(timeout=LONG)
        wait_ready(page, LONG, filters=False)
        assert page.get_by_text("0 of 6 steps done").count() == 1

        # 1. The sales team, its columns suggested from the teams file's header.
        page.get_by_role("button", name="Import the sales team").click()
        wait_ready(page, LONG, filters=False)
        upload(page, "Export file", files["teams"])
        check_and_import(page, "sales_teams.csv", 6, "reps")

        # 2. The opportunities, with the ready mapping for this export and its products file.
        page.get_by_role("button", name="Import deals").click()
        wait_ready(page, LONG, filters=False)
        upload(page, "Export file", files["pipeline"])
        page.get_by_text("sales_pipeline.csv: 60 rows").wait_for(timeout=LONG)
        pick(page, "Mapping", "crm_sample_deals.toml")
        wait_ready(page, LONG, filters=False)
        upload(page, "Second file of join products", files["products"])
        page.get_by_text("Join products: products.csv").wait_for(timeout=LONG)
        check_and_import(page, "sales_pipeline.csv", 60, "deals")
        assert page.get_by_text("2 of 6 steps done").count() == 1

        # Every page shows what deals support and names the import that would unlock the rest.
        page.goto(f"{server.url}/quota")
        wait_ready(page, LONG)
        assert_healthy(page)
        assert page.get_by_text("Pacing against quota needs quotas: import them on the Data page.").count() == 1
        assert page.get_by_test_id("stMetricValue").first.inner_text().startswith("€")
        for path, sentence in (("funnel", "needs leads"), ("campaigns", "needs campaigns")):
            page.goto(f"{server.url}/{path}")
            wait_ready(page, LONG)
            assert_healthy(page)
            assert page.get_by_text(sentence).count() >= 1, path
    finally:
        context.close()
        server.stop()
    con = db.connect(target, read_only=True)
    try:
        chosen = settings.load(con)
        assert (chosen.company_name, chosen.currency, chosen.fiscal_year_start_month) == ("Acme GmbH", "EUR", 2)
        # To the cent, as the export has it: the won deals' own values, nothing invented for the open ones.
        assert con.execute("SELECT sum(amount) FROM deals WHERE stage = 'won'").fetchone()[0] == won
        assert con.execute("SELECT count(*) FROM deals WHERE segment IS NOT NULL").fetchone()[0] == 0
    finally:
        con.close()
