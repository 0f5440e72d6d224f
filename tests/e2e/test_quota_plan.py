"""Journey 4 in Chromium: mid-month on the sales floor, check coverage on Quota & pipeline (its Pipeline tab; the tab
and the horizon land in the URL), open the Joint plan from the sidebar and save the MQL and pipeline targets it
proposes."""

from __future__ import annotations

import re

from e2e.browser import ARTIFACTS, assert_healthy, wait_ready


def test_quota_coverage_then_joint_plan_save_as_targets(server, page):
    # A fresh server runs a first request for a pages/ file as a legacy page; the app's entry registers navigation.
    page.goto(server.url)
    wait_ready(page)
    page.goto(f"{server.url}/quota?as_of=2026-11-26")
    wait_ready(page)
    assert_healthy(page)
    main = page.locator('[data-testid="stMain"]')
    assert "This month" in main.inner_text() and "Projected (weighted)" in main.inner_text()
    page.get_by_role("tab", name="Pipeline").click()
    page.wait_for_url(re.compile(r"section=pipeline"), timeout=30_000)
    wait_ready(page)
    assert_healthy(page)
    remaining = page.locator('[data-testid="stMetric"]').filter(has_text="Remaining quota")
    before = remaining.inner_text()
    thumb = page.locator('[data-testid="stSlider"]').filter(has_text="Coverage horizon").locator(
        'input[type="range"]')
    thumb.focus()
    thumb.press("ArrowRight")
    page.wait_for_url(re.compile(r"coverage_months=2"), timeout=30_000)
    wait_ready(page)
    assert_healthy(page)
    assert remaining.inner_text() != before  # next month's quota joins what remains to cover

    # Open the joint plan the way a manager would: from the sidebar.
    page.locator('[data-testid="stSidebarNav"]').get_by_text("Joint plan", exact=True).click()
    page.wait_for_url(re.compile(r"/joint-plan"), timeout=30_000)
    main.get_by_text("Measured rates", exact=True).wait_for(timeout=60_000)
    wait_ready(page)
    assert_healthy(page)
    assert "already past" in main.inner_text()
    assert page.locator('[data-testid="stPlotlyChart"]').count() == 1  # leads needed; the gap is the next tab
    page.get_by_role("tab", name="Gap against the run rate").click()
    page.wait_for_url(re.compile(r"plan_view=gap"), timeout=30_000)
    wait_ready(page)
    assert_healthy(page)
    assert page.locator('[data-testid="stPlotlyChart"]').count() == 1

    page.get_by_role("button", name="Save as targets").click()
    success = page.locator('[data-testid="stAlertContentSuccess"]')
    success.wait_for(timeout=30_000)
    wait_ready(page)
    assert_healthy(page)
    assert re.search(r"Saved \d+ targets for Dec 2026", success.inner_text())
    # The saved values are read back from the database and shown below the message.
    assert page.locator('[data-testid="stDataFrame"]').count() >= 3
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "joint-plan-saved.png"), full_page=True)
