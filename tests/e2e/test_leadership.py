"""The Brand & quota page in Chromium: the lag slider moves the shifted series and lands in the URL."""

from __future__ import annotations

import re

from e2e.browser import ARTIFACTS, assert_healthy, wait_ready


def test_leadership_lag_slider_updates_view_and_url(server, page):
    page.goto(f"{server.url}/?as_of=2026-11-26")
    wait_ready(page)
    assert_healthy(page)
    main = page.locator('[data-testid="stMain"]')
    assert "Aided awareness leads pipeline created by 3 months" in main.inner_text()
    page.locator('[data-testid="stMetric"]').nth(4).wait_for(timeout=60_000)  # the five tiles

    slider = page.locator('[data-testid="stSlider"]').filter(has_text="Shift the brand series")
    thumb = slider.locator('input[type="range"]')
    assert thumb.input_value() == "3"  # starts at the strongest lag
    thumb.focus()
    thumb.press("ArrowRight")
    thumb.press("ArrowRight")
    page.wait_for_url(re.compile(r"lag=5"), timeout=30_000)
    wait_ready(page)
    assert_healthy(page)
    assert "Shifted by 5 months: r =" in main.inner_text()
    assert thumb.input_value() == "5"

    # The copied link reopens the same lag in a fresh tab.
    other = page.context.new_page()
    other.goto(page.url)
    wait_ready(other)
    assert_healthy(other)
    assert "Shifted by 5 months" in other.locator('[data-testid="stMain"]').inner_text()
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "leadership-lag.png"), full_page=True)
