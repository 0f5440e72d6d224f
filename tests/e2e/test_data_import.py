"""Data page in Chromium: upload a CSV through the real file input, check it, import it, undo it."""

from __future__ import annotations

import re

from e2e.browser import assert_healthy, wait_ready

REPS = "Rep ID,Name,Team,Region\nR950,Ida Moe,EMEA,EMEA\nR951,Jon Ng,NA,NA\n"


def test_data_import_upload_commit_and_undo(server, page, tmp_path):
    upload = tmp_path / "new_reps.csv"
    upload.write_text(REPS)
    page.goto(f"{server.url}/settings")
    wait_ready(page)
    page.goto(f"{server.url}/data")
    wait_ready(page, filters=False)
    page.locator('[data-testid="stFileUploader"] input[type="file"]').first.set_input_files(str(upload))
    page.get_by_text("new_reps.csv: 2 rows, 4 columns").wait_for(timeout=60_000)
    wait_ready(page, filters=False)
    page.get_by_role("button", name="Check the rows").click()
    page.get_by_text("Every row is good").wait_for(timeout=60_000)
    wait_ready(page, filters=False)
    page.get_by_role("button", name="Import", exact=True).click()
    page.get_by_text("Imported 2 rows into reps").wait_for(timeout=60_000)
    wait_ready(page, filters=False)
    # The filter bar's lists (built by the Settings page's view) read reps: the import rebuilt them under its
    # progress bar and says so.
    assert page.get_by_text(re.compile(r"\b[1-9]\d* summary tables? brought up to date in")).count() == 1
    assert_healthy(page)
    page.get_by_test_id("stRadio").get_by_text("History and undo").click()
    page.get_by_role("button", name="Undo this import").click()
    page.get_by_text("2 rows removed").wait_for(timeout=60_000)
    wait_ready(page, filters=False)
    assert_healthy(page)
