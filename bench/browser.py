"""The real server in a subprocess, Debian's Chromium, and the test for "this page has finished drawing".

Shared by the first-paint measurement (bench/paint.py), the screenshots (bench/screenshots.py) and the browser tests
(tests/e2e). Never a downloaded browser: Chromium is /usr/bin/chromium (apt-get install -y chromium).
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-dev-shm-usage", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]
# A projector: what the browser tests, the screenshots and the first-paint figures all use.
VIEWPORT = {"width": 1600, "height": 1000}

# The dark theme as a server option (.streamlit/config.toml sets the light one).
DARK_THEME = {"STREAMLIT_THEME_BASE": "dark", "STREAMLIT_THEME_BACKGROUND_COLOR": "#0E1117",
              "STREAMLIT_THEME_SECONDARY_BACKGROUND_COLOR": "#262730", "STREAMLIT_THEME_TEXT_COLOR": "#FAFAFA"}


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Server:
    """`streamlit run dashboard.py` on `db_path`, headless on 127.0.0.1:`port`; its output goes to a log beside the
    database file. Ready when /_stcore/health answers."""

    def __init__(self, db_path: Path, port: int, extra_env: dict[str, str] | None = None):
        self.db_path, self.port = db_path, port
        self.url = f"http://127.0.0.1:{port}"
        env = {key: value for key, value in os.environ.items() if key != "TANDEM_WARM_UP"}  # the product's default
        env = {**env, "TANDEM_DB": str(db_path), **(extra_env or {})}
        self.log = open(db_path.with_suffix(".server.log"), "w")  # noqa: SIM115 — closed in stop()
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "streamlit", "run", "dashboard.py", "--server.headless", "true",
             "--server.port", str(port), "--server.address", "127.0.0.1", "--browser.gatherUsageStats", "false"],
            cwd=ROOT, env=env, stdout=self.log, stderr=subprocess.STDOUT)
        deadline = time.time() + 60
        while time.time() < deadline:
            try:
                if urllib.request.urlopen(f"{self.url}/_stcore/health", timeout=2).read() == b"ok":
                    return
            except OSError:
                time.sleep(0.3)
        self.stop()
        raise RuntimeError(f"server on port {port} did not start; see {self.log.name}")

    def stop(self) -> None:
        self.proc.terminate()
        try:
            self.proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.proc.kill()
        self.log.close()


# What Streamlit 1.67's frontend draws while a part of the page is not there yet: the app's skeleton before the first
# message, an element's skeleton while its lazily loaded code arrives (a chart's or a table's, a Markdown block's),
# and a placeholder element. Their data-testid values, as the frontend's bundle spells them.
SKELETONS = ('[data-testid="stAppSkeleton"]', '[data-testid="stSkeleton"]', '[data-testid="stSkeletonElement"]')

# Why a document is not complete yet: an empty list when it is. A function of the document alone, so a saved page
# can be checked (tests/e2e/test_paint.py). Complete means: connected, a script run has ended (the attribute reads
# "initial" before the first run), no status widget (running, or connecting), no skeleton, no element left over from
# the previous run, at least one element in the main area, and every visible Plotly chart drawn (plotly.js loads
# lazily and draws after the element is there; a chart in a closed tab has no box and is not waited for).
INCOMPLETE = """(root) => {
    const app = root.querySelector('[data-testid="stApp"]');
    if (!app) return ['no app'];
    const reasons = [];
    const connection = app.getAttribute('data-test-connection-state');
    if (connection !== 'CONNECTED') reasons.push('connection ' + connection);
    const state = app.getAttribute('data-test-script-state');
    if (state !== 'notRunning') reasons.push('script ' + state);
    const status = root.querySelector('[data-testid="stStatusWidget"]');
    if (status) reasons.push('status widget ' + JSON.stringify(status.textContent.trim()));
    const skeletons = root.querySelectorAll('__SKELETONS__').length;
    if (skeletons) reasons.push(skeletons + ' skeleton(s)');
    const stale = root.querySelectorAll('[data-stale="true"]').length;
    if (stale) reasons.push(stale + ' stale element(s)');
    const main = root.querySelector('[data-testid="stMain"] [data-testid="stElementContainer"]');
    if (!main) reasons.push('main area empty');
    const undrawn = [...root.querySelectorAll('[data-testid="stPlotlyChart"]')]
        .filter((chart) => chart.getClientRects().length && !chart.querySelector('.main-svg')).length;
    if (undrawn) reasons.push(undrawn + ' chart(s) not drawn');
    return reasons;
}""".replace("__SKELETONS__", ", ".join(SKELETONS))

# Installed before a document loads (context.add_init_script): records, in ms since navigation began, the last DOM
# change, the last time a script run ended, when the first and the last Plotly chart drew, and when the last
# skeleton went away. Reads only what each mutation record carries, so it costs the page little.
TRACKER = """(() => {
    if (window.__tandemPaint) return;
    performance.setResourceTimingBufferSize(2000);  // Streamlit loads a few hundred chunks; the default keeps 250
    const p = window.__tandemPaint = {last: 0, changes: 0, scriptEnd: null, firstChart: null, lastChart: null,
                                      lastSkeleton: null};
    const skeleton = '__SKELETONS__';
    const isChart = (n) => n.nodeType === 1 && (n.classList.contains('main-svg') ||
                                                 (n.firstElementChild !== null && n.querySelector('.main-svg')));
    const hasSkeleton = (n) => n.nodeType === 1 && (n.matches(skeleton) || n.querySelector(skeleton) !== null);
    new MutationObserver((records) => {
        const now = performance.now();
        p.last = now;
        p.changes += records.length;
        p.lastTarget = records[records.length - 1].target;
        for (const r of records) {
            if (r.type === 'attributes') {
                if (r.attributeName === 'data-test-script-state'
                    && r.target.getAttribute('data-test-script-state') === 'notRunning') p.scriptEnd = now;
            } else if (r.type === 'childList') {
                for (const n of r.addedNodes) if (isChart(n)) { p.firstChart ??= now; p.lastChart = now; }
                for (const n of r.removedNodes) if (hasSkeleton(n)) p.lastSkeleton = now;
            }
        }
    }).observe(document, {subtree: true, childList: true, attributes: true, characterData: true});
})()""".replace("__SKELETONS__", ", ".join(SKELETONS))

# True once the document is complete (INCOMPLETE finds nothing) and has not changed for `settle` ms.
_COMPLETE = """([settle]) => {
    const p = window.__tandemPaint;
    return p !== undefined && (__INCOMPLETE__)(document).length === 0 && performance.now() - p.last >= settle;
}""".replace("__INCOMPLETE__", INCOMPLETE)

# Where the last change was: the data-testid (or tag) of the changed node and of its nearest ancestors with one.
_CHANGING = """() => {
    let node = window.__tandemPaint && window.__tandemPaint.lastTarget;
    const names = [];
    for (; node && names.length < 3; node = node.parentElement || null) {
        if (node.nodeType !== 1) continue;
        const id = node.getAttribute('data-testid');
        if (id || !names.length) names.push(id || node.tagName.toLowerCase());
    }
    return names.join(' in ') || 'unknown';
}"""

SETTLE_MS = 500


class NotComplete(RuntimeError):
    """The page was still incomplete (or still changing) when the time ran out."""


def wait_complete(tab, *, settle_ms: int = SETTLE_MS, timeout_ms: int = 60_000) -> None:
    """Wait until the page is complete and has not changed for `settle_ms` (the tab's context must have TRACKER as
    an init script)."""
    try:
        tab.wait_for_function(_COMPLETE, arg=[settle_ms], polling=100, timeout=timeout_ms)
    except Exception as exc:  # Playwright's TimeoutError: say what was still missing, or what kept changing
        reasons = tab.evaluate(f"() => ({INCOMPLETE})(document)") or [f"still changing: {tab.evaluate(_CHANGING)}"]
        raise NotComplete(f"{tab.url} incomplete after {timeout_ms / 1000:g} s: {', '.join(reasons)}") from exc
