"""Funnel & handoff and Segments in Chromium: change the funnel mode and split, open the sales side of the handoff
(the tab lands in the URL) and download the SLA breaches, click a segment tile to drill into its leads."""

from __future__ import annotations

import csv
import io
import re

from e2e.browser import assert_healthy, wait_ready

PERIOD = "start=2025-12-01&end=2026-11-26&as_of=2026-11-26"


def open_page(server, page, url_path: str) -> None:
    # A server whose first visit is a deep link runs pages/<name>.py as a legacy page without dashboard.py (no
    # filters, no navigation); opening the app's root first makes dashboard.py register st.navigation.
    page.goto(f"{server.url}/")
    wait_ready(page)
    page.goto(f"{server.url}/{url_path}?{PERIOD}")
    wait_ready(page)


def test_funnel_mode_split_and_breaches_download(server, page):
    open_page(server, page, "funnel")
    assert_healthy(page)
    main = page.locator('[data-testid="stMain"]')
    assert "Cohort:" in main.inner_text()

    main.get_by_text("Period", exact=True).first.click()
    wait_ready(page)
    page.wait_for_url("**mode=period**")
    assert "Period:" in main.inner_text()

    main.locator('[data-testid="stSelectbox"]').filter(has_text="Split by").click()
    page.get_by_role("option", name="Region").click()
    wait_ready(page)
    page.wait_for_url("**split=region**")
    assert_healthy(page)
    assert "Conversion from lead by region" in page.locator('[data-testid="stPlotlyChart"]').first.inner_text()

    page.get_by_role("tab", name="Handoff: sales' side").click()
    page.wait_for_url(re.compile(r"section=sales"), timeout=30_000)
    wait_ready(page)
    assert_healthy(page)
    assert "Sales' side: speed to lead" in main.inner_text()
    button = page.get_by_role("button", name="Download breaches (CSV)")
    button.wait_for()
    with page.expect_download() as download:
        button.click()
    path = download.value.path()
    rows = list(csv.DictReader(io.StringIO(open(path, encoding="utf-8").read())))
    assert rows, "the breach list of the sample year is not empty"
    assert {"lead_id", "owner_rep_id", "owner_name", "age_hours", "mql_at"} <= set(rows[0])
    assert all(float(r["age_hours"]) > 24 for r in rows)
    assert_healthy(page)


def test_segments_click_a_tile_drills_into_its_leads(server, page):
    open_page(server, page, "segments")
    assert_healthy(page)
    main = page.locator('[data-testid="stMain"]')
    assert "Click a tile in the grid" in main.inner_text()
    tables_before = main.locator('[data-testid="stDataFrame"]').count()
    tile = page.locator('[data-testid="stPlotlyChart"] .scatterlayer .point').first
    box = tile.bounding_box()
    page.mouse.click(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
    main.get_by_text("Revenue per lead", exact=True).first.wait_for()
    wait_ready(page)
    assert_healthy(page)
    assert "Click a tile in the grid" not in main.inner_text()
    assert main.locator('[data-testid="stMetric"]').filter(has_text="Won deals").count() == 1
    assert main.locator('[data-testid="stDataFrame"]').count() == tables_before + 1  # the leads behind the tile
