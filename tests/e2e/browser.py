"""Browser-test helpers: the real server in a subprocess, Chromium, and "page finished" waits."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
ARTIFACTS = Path(__file__).resolve().parent / "artifacts"
CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-dev-shm-usage", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]


def require_chromium() -> None:
    if Path(CHROMIUM).exists():
        return
    if os.environ.get("CI"):
        pytest.fail(f"Chromium not found at {CHROMIUM}: CI must install it (apt-get install -y chromium)")
    pytest.skip("Chromium is not installed (apt-get install -y chromium); browser tests skipped outside CI")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Server:
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
        if chart.is_visible():  # charts in a hidden tab never draw until the tab is opened
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
        if (!chart.querySelector('.main-svg')) continue;  // not drawn (a hidden tab)
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
