"""Campaigns in Chromium: switching the attribution model reruns the page, changes the numbers and the link;
a link names the section and the campaign; selecting a plan row opens the campaign."""

from __future__ import annotations

import re

from e2e.browser import assert_healthy, wait_ready

PERIOD = "start=2025-12-01&end=2026-11-26"


def open_campaigns(server, page, query: str) -> None:
    # A fresh server treats a first deep link as a legacy pages/ app (dashboard.py never runs) until some session
    # has run dashboard.py's st.navigation; open the entry page first so the test does not depend on test order.
    page.goto(server.url)
    wait_ready(page)
    page.goto(f"{server.url}/campaigns?{query}")
    wait_ready(page)
    assert_healthy(page)
    assert page.locator("h1").first.inner_text().strip() == "Campaigns"


def metric(page, label: str) -> str:
    return page.locator('[data-testid="stMetric"]').filter(has_text=label).locator(
        '[data-testid="stMetricValue"]').inner_text()


def test_campaigns_model_switch_in_browser(server, page):
    open_campaigns(server, page, f"{PERIOD}&view=attribution")
    page.locator('[data-testid="stCaptionContainer"]').filter(has_text="Linear:").first.wait_for()
    total, unattributed = metric(page, "Won revenue in the period"), metric(page, "Unattributed")

    models = page.locator('[data-testid="stRadio"]').filter(has_text="Attribution model")
    models.get_by_text("First touch", exact=True).click()
    page.wait_for_url(re.compile(r"model=first_touch"))
    page.locator('[data-testid="stCaptionContainer"]').filter(has_text="First touch:").first.wait_for()
    wait_ready(page)
    assert_healthy(page)
    # Every model reconciles: the total and the unattributed part do not move.
    assert (metric(page, "Won revenue in the period"), metric(page, "Unattributed")) == (total, unattributed)

    # The copied link reopens the same model and section.
    other = page.context.new_page()
    other.goto(page.url)
    wait_ready(other)
    assert_healthy(other)
    checked = other.locator('[data-testid="stRadio"]').filter(has_text="Attribution model").locator(
        "label:has(input:checked)")
    assert checked.inner_text().strip() == "First touch"
    other.close()

    page.locator('[data-testid="stRadio"]').get_by_text("Spend ≠ sales", exact=True).click()
    page.wait_for_url(re.compile(r"view=spend"))
    page.get_by_text("What these numbers cannot prove").wait_for()
    wait_ready(page)
    assert_healthy(page)
    assert page.locator('[data-testid="stPlotlyChart"]').count() == 1  # spend against pipeline; two tabs closed
    page.get_by_role("tab", name="Spend far ahead of pipeline").click()
    page.wait_for_url(re.compile(r"spend_view=overspend"))
    page.get_by_text("largest gap first").wait_for()
    wait_ready(page)
    assert_healthy(page)
    assert "Stadium Billboards" in page.locator('[data-testid="stPlotlyChart"]').last.inner_text()


def test_campaigns_selecting_a_plan_row_opens_the_detail(server, page):
    open_campaigns(server, page, f"{PERIOD}&campaign=C-STADIUM")
    assert page.get_by_role("heading", name="Stadium Billboards").count() == 1
    assert page.get_by_text("What the field says").count() == 1
    # The plan grid is a canvas: click the first row's selection cell by position (header ~35 px, row ~35 px).
    box = page.locator('[data-testid="stDataFrame"]').first.bounding_box()
    page.mouse.click(box["x"] + 18, box["y"] + 35 + 17)
    page.wait_for_function("() => !window.location.search.includes('campaign=C-STADIUM')", timeout=60_000)
    wait_ready(page)
    assert_healthy(page)
    assert re.search(r"campaign=C-\d+", page.url)
    assert page.get_by_role("heading", name="Stadium Billboards").count() == 0
    assert page.get_by_text("What the field says").count() == 1
