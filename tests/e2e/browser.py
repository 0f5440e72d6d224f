"""Browser-test helpers: Chromium or a clear skip, and "page finished" waits (the server: bench/browser.py)."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from bench.browser import CHROMIUM, CHROMIUM_ARGS, DARK_THEME, ROOT, Server, free_port  # noqa: F401 - for the tests

ARTIFACTS = Path(__file__).resolve().parent / "artifacts"


def require_chromium() -> None:
    if Path(CHROMIUM).exists():
        return
    if os.environ.get("CI"):
        pytest.fail(f"Chromium not found at {CHROMIUM}: CI must install it (apt-get install -y chromium)")
    pytest.skip("Chromium is not installed (apt-get install -y chromium); browser tests skipped outside CI")


SETTLED_QUIET_MS = 500
SETTLED_LIMIT_MS = 20_000
# True once the document has gone `quiet` ms without a DOM change; false if it is still changing after `limit` ms.
_SETTLED = """([quiet, limit]) => new Promise((resolve) => {
    let timer;
    const observer = new MutationObserver(() => { clearTimeout(timer); timer = setTimeout(() => done(true), quiet); });
    const cap = setTimeout(() => done(false), limit);
    function done(settled) { observer.disconnect(); clearTimeout(timer); clearTimeout(cap); resolve(settled); }
    observer.observe(document.body, {subtree: true, childList: true, attributes: true, characterData: true});
    timer = setTimeout(() => done(true), quiet);
})"""


def wait_ready(tab, timeout_ms: int = 60_000, *, filters: bool = True) -> None:
    """Wait until the script finished, the status widget is gone and every Plotly chart has drawn."""
    # Every page starts with a title; before it shows, "notRunning" may describe the run before the first.
    tab.wait_for_selector('[data-testid="stMain"] h1', timeout=timeout_ms)
    if filters:
        tab.wait_for_selector('[data-testid="stSidebar"] [data-testid="stMultiSelect"]', timeout=timeout_ms)
    tab.wait_for_selector('[data-testid="stApp"][data-test-script-state="notRunning"]', timeout=timeout_ms)
    tab.wait_for_selector('[data-testid="stStatusWidget"]', state="detached", timeout=timeout_ms)
    # The script has finished, but the browser may still be drawing what it sent (lazily loaded widgets appear a
    # moment later): wait until the page stops changing.
    assert tab.evaluate(_SETTLED, [SETTLED_QUIET_MS, SETTLED_LIMIT_MS]), \
        f"the page was still changing {SETTLED_LIMIT_MS / 1000:g} s after its script finished"
    charts = tab.locator('[data-testid="stPlotlyChart"]')
    for i in range(charts.count()):
        chart = charts.nth(i)
        if chart.is_visible():  # a chart in a closed tab has no box: not waited for
            chart.locator(".main-svg").first.wait_for(timeout=timeout_ms)


def assert_healthy(tab) -> None:
    exceptions = tab.locator('[data-testid="stException"]')
    assert exceptions.count() == 0, exceptions.first.inner_text()
    assert tab.get_by_role("dialog").count() == 0, tab.get_by_role("dialog").first.inner_text()


# Per drawn chart: its title, legend and annotation boxes as drawn; the pairs of them that overlap.
_CHART_OVERLAPS = """() => {
    const box = (el) => {
        const r = el.getBoundingClientRect();
        return {l: r.left, t: r.top, r: r.right, b: r.bottom};
    };
    const meet = (a, b) => a.l < b.r - 1 && b.l < a.r - 1 && a.t < b.b - 1 && b.t < a.b - 1;
    const found = [];
    for (const chart of document.querySelectorAll('[data-testid="stPlotlyChart"]')) {
        if (!chart.querySelector('.main-svg')) continue;  // not drawn
        const title = chart.querySelector('.gtitle');
        const name = title ? title.textContent : '(untitled chart)';
        const parts = [...chart.querySelectorAll('.annotation')].map((a) => ['annotation ' + a.textContent, box(a)]);
        if (title) parts.push(['title', box(title)]);
        const legend = chart.querySelector('.legend');
        if (legend) parts.push(['legend', box(legend)]);
        for (let i = 0; i < parts.length; i++)
            for (let j = i + 1; j < parts.length; j++)
                if (meet(parts[i][1], parts[j][1])) found.push(`${name}: ${parts[i][0]} over ${parts[j][0]}`);
    }
    return found;
}"""


def assert_charts_readable(tab) -> None:
    """On every drawn chart, no annotation, title or legend drawn over another."""
    overlaps = tab.evaluate(_CHART_OVERLAPS)
    assert not overlaps, overlaps
