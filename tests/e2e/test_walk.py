"""Visit every registered page in Chromium: no exception, no dialog, no chart text drawn over other text, a
screenshot of each."""

from __future__ import annotations

import shutil

import pytest
from e2e.browser import ARTIFACTS, assert_charts_readable, assert_healthy, wait_ready

from ui.navigation import PAGES


@pytest.mark.parametrize("spec", PAGES, ids=[p.url_path for p in PAGES])
def test_walk_every_page(server, page, spec):
    page.goto(f"{server.url}/{'' if spec.default else spec.url_path}")
    wait_ready(page)
    assert_healthy(page)
    assert_charts_readable(page)
    assert page.locator("h1").first.inner_text().strip() == spec.title
    ARTIFACTS.mkdir(exist_ok=True)
    shot = ARTIFACTS / f"{spec.url_path}.png"
    page.screenshot(path=str(shot), full_page=True)


def test_walk_copied_link_reopens_the_same_view(server, page, browser):
    page.goto(f"{server.url}/?region=EMEA&segment=Enterprise&start=2026-01-01&end=2026-06-30")
    wait_ready(page)
    assert "region=EMEA" in page.url and "segment=Enterprise" in page.url
    other = browser.new_context(viewport={"width": 1600, "height": 1000}).new_page()
    other.goto(page.url)
    wait_ready(other)
    assert_healthy(other)
    sidebar = other.locator('[data-testid="stSidebar"]')
    # The chips themselves (waited for: a lazily loaded widget may draw a moment after the page settled).
    for chip in ("EMEA", "Enterprise"):
        sidebar.locator('[data-testid="stMultiSelect"]').get_by_text(chip, exact=True).wait_for(timeout=10_000)
    days = other.locator('[data-testid="stSidebar"] [data-testid="stDateInput"]').filter(has_text="Days")
    inputs = days.locator("input")
    values = [inputs.nth(i).input_value() for i in range(inputs.count())]
    assert "2026-01-01" in values and "2026-06-30" in values
    other.context.close()


def test_walk_deep_link_first_on_a_fresh_server(sample_path, tmp_path, page):
    from e2e.browser import Server, free_port

    db_path = tmp_path / "fresh.duckdb"
    shutil.copy(sample_path, db_path)
    fresh = Server(db_path, free_port())
    try:
        page.goto(f"{fresh.url}/segments?region=EMEA")
        wait_ready(page)
        assert_healthy(page)
        assert page.locator('[data-testid="stMain"] h1').first.inner_text().strip() == "Segments"
        assert "EMEA" in page.locator('[data-testid="stSidebar"] [data-testid="stMultiSelect"]').first.inner_text()
    finally:
        fresh.stop()
