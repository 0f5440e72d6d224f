"""The "page complete" test on saved pages, and one page measured on the real server (no timing asserted)."""

from __future__ import annotations

import pytest

from bench import browser as paint_browser
from bench import paint, workload

# Pieces of a Streamlit 1.67 page as its frontend draws them (the test ids and attributes the check reads).
APP = ('<div data-testid="stApp" data-test-script-state="{state}" data-test-connection-state="CONNECTED">'
       '<section data-testid="stMain">{main}</section></div>')
TITLE = '<div data-testid="stElementContainer"><h1>Segments</h1></div>'
CHART = '<div data-testid="stElementContainer"><div data-testid="stPlotlyChart">{svg}</div></div>'
DRAWN = '<div class="plot-container"><svg class="main-svg" width="600" height="360"></svg></div>'


def snapshot(state: str = "notRunning", main: str = TITLE + CHART.format(svg=DRAWN), extra: str = "") -> str:
    return APP.format(state=state, main=main + extra)


@pytest.mark.parametrize(("html", "reasons"), [
    (snapshot(), []),
    ("<p>Loading</p>", ["no app"]),
    (snapshot(state="initial", main=""), ["script initial", "main area empty"]),
    (snapshot(state="running"), ["script running"]),
    (snapshot(extra='<div data-testid="stStatusWidget"> Running… </div>'), ['status widget "Running…"']),
    (snapshot(extra='<div data-testid="stElementContainer"><div data-testid="stSkeleton"></div></div>'),
     ["1 skeleton(s)"]),
    (snapshot(main='<div data-testid="stAppSkeleton"></div>'), ["1 skeleton(s)", "main area empty"]),
    (snapshot(extra='<div data-testid="stElementContainer" data-stale="true"><p>old</p></div>'),
     ["1 stale element(s)"]),
    (snapshot(main=TITLE + CHART.format(svg='<div class="plot-container"></div>') * 2), ["2 chart(s) not drawn"]),
    # A chart in a closed tab (no box) is not waited for: it does not count.
    (snapshot(main=TITLE + '<div style="display: none">' + CHART.format(svg="") + "</div>"), []),
    (snapshot().replace("CONNECTED", "DISCONNECTED_FOREVER"), ["connection DISCONNECTED_FOREVER"]),
])
def test_incomplete_names_what_is_missing(browser, html, reasons):
    context = browser.new_context()
    tab = context.new_page()
    tab.set_content(html)
    assert tab.evaluate(f"() => ({paint_browser.INCOMPLETE})(document)") == reasons
    context.close()


def test_paint_measures_a_page_on_the_real_server(browser, server):
    segments = next(v for v in workload.VARIANTS if v.name == "Segments")
    [page] = paint.measure_pages(browser, server.url, [segments], loads=1, server_pid=server.proc.pid)
    assert page["name"] == "Segments" and len(page["cold"]) == len(page["warm"]) == 1
    for load in (page["first"], *page["cold"], *page["warm"]):
        assert load["script_end"] is not None and load["complete"] >= load["script_end"]
        assert load["charts"] == 1 and load["last_chart"] is not None
        assert load["payload"]["counts"]["plotly_chart"] == 1 and load["payload"]["bytes"]["plotly_chart"] > 1000
        assert load["elements"] > 3 and load["sidebar_elements"] > 3
        assert load["cpu"]["renderer"] > 0
    assert page["cold"][0]["js_fetched"] > 1_000_000  # an empty cache fetches every chunk
    assert page["warm"][0]["js_fetched"] == 0  # a reload finds them cached
