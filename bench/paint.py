"""python -m bench.paint [--scale 1] [--loads 3] [PAGE …]: every page in Chromium against the real server, timed
from navigation until it is complete (bench/browser.py: script ended, no skeleton, every chart drawn, no change for
half a second). PAGE is a variant's name or its prefix ("Campaigns"); none means every page.

Per page: one first view (the server's first run of it), then `loads` cold loads (each in a new browser context:
an empty cache, every script chunk fetched and compiled) and `loads` warm reloads (one context, chunks cached).
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Callable, Iterable
from pathlib import Path
from urllib.parse import urlencode

from bench import browser, workload
from bench.workload import END, Variant

# The URL parameter that seeds each widget a variant sets (pages seed their widgets from the URL: filters.seed).
URL_PARAMS = {"campaigns_view": "view", "data_view": "show", "meeting_choice": "meeting"}

# What one load reports, read from the page once it is complete (times in ms since navigation began).
_READ = """() => {
    const p = window.__tandemPaint;
    const fcp = performance.getEntriesByName('first-contentful-paint')[0];
    const scripts = performance.getEntriesByType('resource').filter((e) => /\\.js($|\\?)/.test(e.name));
    const plotly = scripts.find((e) => /\\/PlotlyChart\\.[^/]*\\.js/.test(e.name));
    const count = (selector) => document.querySelectorAll(selector).length;
    return {complete: p.last, script_end: p.scriptEnd, first_chart: p.firstChart, last_chart: p.lastChart,
            last_skeleton: p.lastSkeleton, fcp: fcp ? fcp.startTime : null, changes: p.changes,
            elements: count('[data-testid="stMain"] [data-testid="stElementContainer"]'),
            sidebar_elements: count('[data-testid="stSidebar"] [data-testid="stElementContainer"]'),
            nodes: document.getElementsByTagName('*').length, charts: count('[data-testid="stPlotlyChart"]'),
            js_files: scripts.length, js_bytes: scripts.reduce((n, e) => n + e.decodedBodySize, 0),
            js_fetched: scripts.reduce((n, e) => n + e.transferSize, 0),
            plotly_js: plotly ? plotly.responseEnd : null};
}"""


def url_path(variant: Variant) -> str:
    """The URL that opens the variant: its page's path, the bench's as-of date and the widget state it sets."""
    from ui.navigation import PAGES

    spec = next(p for p in PAGES if p.path == variant.path)
    params = [("as_of", END.isoformat())]
    params += [(URL_PARAMS[key], str(value)) for key, value in variant.state if value is not None]
    return f"{'' if spec.default else spec.url_path}?{urlencode(params)}"


def payload(frames: Iterable[bytes]) -> dict:
    """What the server sent over the page's websocket: bytes in all, and each element kind's count and bytes
    (a Plotly chart's are its figure JSON; a table's its Arrow data)."""
    from streamlit.proto.ForwardMsg_pb2 import ForwardMsg

    total, counts, sizes = 0, Counter(), Counter()
    for frame in frames:
        if not isinstance(frame, bytes):
            continue
        total += len(frame)
        msg = ForwardMsg()
        try:
            msg.ParseFromString(frame)
        except Exception:  # noqa: BLE001 - a frame that is not a ForwardMsg counts in the total only
            continue
        if msg.WhichOneof("type") == "delta" and msg.delta.WhichOneof("type") == "new_element":
            element = msg.delta.new_element
            kind = element.WhichOneof("type")
            counts[kind] += 1
            sizes[kind] += element.ByteSize()
    return {"ws_bytes": total, "counts": dict(counts), "bytes": dict(sizes)}


def process_cpu(pid: int) -> float:
    """CPU seconds (user + system) a Linux process has used so far; 0 when it is gone or this is not Linux."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except (OSError, IndexError):
        return 0.0
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")  # utime, stime


class CpuMeter:
    """CPU seconds spent by Chromium's renderers, Chromium's other processes (browser, GPU, network) and the server,
    between two readings. CPU time moves much less than wall-clock time when other processes take the cores."""

    def __init__(self, chromium, server_pid: int | None):
        self._session, self._server_pid = chromium.new_browser_cdp_session(), server_pid

    def read(self) -> dict[tuple[str, int], float]:
        found = {(p["type"], p["id"]): p["cpuTime"]
                 for p in self._session.send("SystemInfo.getProcessInfo")["processInfo"]}
        if self._server_pid:
            found[("server", self._server_pid)] = process_cpu(self._server_pid)
        return found

    @staticmethod
    def spent(before: dict[tuple[str, int], float], after: dict[tuple[str, int], float]) -> dict[str, float]:
        """Per kind: what each process used between the readings (a process started since counts from zero; one
        that ended since is left out)."""
        spent = {"renderer": 0.0, "browser": 0.0, "server": 0.0}
        for (kind, pid), seconds in after.items():
            key = kind if kind in ("renderer", "server") else "browser"
            spent[key] += seconds - before.get((kind, pid), 0.0)
        return spent


class PageError(RuntimeError):
    """The page showed an exception or an error message: its times would be meaningless."""


class Tab:
    """A tab in a new browser context (its own cache) with the tracker installed, recording its websocket's frames."""

    def __init__(self, chromium, meter: CpuMeter, settle_ms: int, timeout_ms: int):
        self.context = chromium.new_context(viewport=browser.VIEWPORT)
        self.context.add_init_script(browser.TRACKER)
        self.tab = self.context.new_page()
        self.frames: list = []
        # A lambda, not list.append: Playwright tags its handlers with an attribute, which a builtin cannot take.
        self.tab.on("websocket", lambda ws: ws.on("framereceived", lambda frame: self.frames.append(frame)))
        self._meter, self._settle_ms, self._timeout_ms = meter, settle_ms, timeout_ms

    def open(self, url: str) -> dict:
        return self._timed(lambda: self.tab.goto(url, wait_until="commit"))

    def reload(self) -> dict:
        return self._timed(lambda: self.tab.reload(wait_until="commit"))

    def close(self) -> None:
        self.context.close()

    def _timed(self, navigate: Callable[[], object]) -> dict:
        self.frames.clear()
        before = self._meter.read()
        started = time.perf_counter()
        navigate()
        browser.wait_complete(self.tab, settle_ms=self._settle_ms, timeout_ms=self._timeout_ms)
        found = self.tab.evaluate(_READ)
        found["python_seconds"] = time.perf_counter() - started  # wall clock here, settle window included
        # Includes the settle window (idle) and the wait's polls of the page (a few ms each).
        found["cpu"] = CpuMeter.spent(before, self._meter.read())
        found["payload"] = payload(self.frames)
        errors = self.tab.locator('[data-testid="stException"], [data-testid="stAlertContentError"]')
        if errors.count():
            raise PageError(f"{self.tab.url} shows an error: {errors.first.inner_text()[:300]}")
        return found


def _page(tab: Callable[[], Tab], base_url: str, variant: Variant, loads: int) -> dict:
    """One variant's first view, cold loads and warm reloads; each tab is closed once done with (an open tab keeps
    its session on the server)."""
    url = f"{base_url}/{url_path(variant)}"
    page = {"name": variant.name, "url": url_path(variant), "cold": [], "warm": []}
    current = tab()
    try:
        page["first"] = current.open(url)  # the server's first run of this page
        for _ in range(loads):
            current.close()
            current = tab()
            page["cold"].append(current.open(url))
        page["warm"] = [current.reload() for _ in range(loads)]  # the last cold load filled its cache
    finally:
        current.close()
    page["load"] = load_average()
    return page


def measure_pages(chromium, base_url: str, variants: Iterable[Variant], loads: int, *,
                  settle_ms: int = browser.SETTLE_MS, timeout_ms: int = 120_000, server_pid: int | None = None,
                  log: Callable[[str], None] = lambda text: None) -> list[dict]:
    """First view, `loads` cold loads and `loads` warm reloads of every variant, in `chromium` (a Playwright
    browser) against a running server."""
    meter = CpuMeter(chromium, server_pid)

    def tab() -> Tab:
        return Tab(chromium, meter, settle_ms, timeout_ms)

    pages = []
    for variant in variants:
        log(f"first paint: {variant.name}")
        try:
            pages.append(_page(tab, base_url, variant, loads))
        except (browser.NotComplete, PageError) as exc:  # a finding, not a reason to stop the others
            pages.append({"name": variant.name, "url": url_path(variant), "error": str(exc), "load": load_average()})
    return pages


def load_average() -> str:
    from bench.__main__ import load_average as machine_load

    return machine_load()


def chromium_version() -> str:
    try:
        return subprocess.run([browser.CHROMIUM, "--version"], capture_output=True, text=True, timeout=30,
                              check=False).stdout.strip()
    except OSError:
        return "unknown"


def measure(db_path: Path, variants: Iterable[Variant], loads: int, *, settle_ms: int = browser.SETTLE_MS,
            log: Callable[[str], None] = lambda text: None) -> dict:
    """Every variant in Chromium against a server on a copy of `db_path` (the server holds its file; this process
    may hold the original). Returns the figures, or {"skipped": why} when there is no Chromium."""
    if not Path(browser.CHROMIUM).exists():
        return {"skipped": f"no Chromium at {browser.CHROMIUM} (apt-get install -y chromium)"}
    from playwright.sync_api import sync_playwright

    started = time.perf_counter()
    result = {"loads": loads, "settle_ms": settle_ms, "viewport": browser.VIEWPORT, "chromium": chromium_version(),
              "load_before": load_average()}
    with tempfile.TemporaryDirectory(prefix="bench-paint-") as folder:
        path = Path(folder) / db_path.name
        shutil.copy(db_path, path)
        # No background build: it would run while later pages are timed. Each page's first view builds what it reads.
        server = browser.Server(path, browser.free_port(), extra_env={"TANDEM_WARM_UP": "0"})
        try:
            with sync_playwright() as p:
                chromium = p.chromium.launch(executable_path=browser.CHROMIUM, args=browser.CHROMIUM_ARGS)
                try:
                    result["pages"] = measure_pages(chromium, server.url, variants, loads, settle_ms=settle_ms,
                                                    server_pid=server.proc.pid, log=log)
                finally:
                    chromium.close()
        finally:
            server.stop()
    result["load_after"] = load_average()
    result["seconds"] = time.perf_counter() - started
    return result


# A smoke run loads one light page with a chart: enough to prove every part works.
SMOKE_PAGE = "Segments"
TARGET_MS = 2500.0
TARGET_SCALE = 1.0


def _median(values: list[float | None]) -> float | None:
    values = [v for v in values if v is not None]
    return statistics.median(values) if values else None


def _complete(page: dict, kind: str) -> float | None:
    return _median([r["complete"] for r in page.get(kind, [])])


def target_row(results: dict) -> str:
    """The targets table's row: every page complete in Chromium within 2.5 s at scale 1 (cold loads' median)."""
    label = f"| Every page complete in Chromium ≤ {TARGET_MS:,.0f} ms at scale {TARGET_SCALE:g} (cold load, median)"
    found = next((s for s in results["scales"] if s["scale"] == TARGET_SCALE), None)
    paint = (found or {}).get("paint")
    if paint is None:
        return f"{label} | not run | — |"
    if paint.get("skipped"):
        return f"{label} | skipped: {paint['skipped']} | — |"
    pages = [(page["name"], _complete(page, "cold")) for page in paint["pages"]]
    misses = [name for name, ms in pages if ms is None or ms > TARGET_MS]
    name, slowest = max(pages, key=lambda item: float("inf") if item[1] is None else item[1])
    worst = "not complete" if slowest is None else f"{slowest:,.0f} ms"
    return (f"{label} | {len(pages) - len(misses)} of {len(pages)} pages; slowest {name} {worst} "
            f"(load {paint['load_before']} before, {paint['load_after']} after) | "
            f"{'**met**' if not misses else '**missed**'} |")


def section(found: dict) -> list[str]:
    """The first-paint part of a scale's section of the report."""
    paint = found.get("paint")
    if paint is None:
        return []
    lines = [f"### First paint in Chromium (scale {found['scale']:g})", ""]
    if paint.get("skipped"):
        return [*lines, f"Not measured: {paint['skipped']}.", ""]
    size = paint["viewport"]
    lines += [f"{paint['chromium']}, a {size['width']} × {size['height']} window, against `streamlit run dashboard.py` "
              f"on a copy of the file (`python -m bench.paint --scale {found['scale']:g}`); "
              f"{paint['seconds'] / 60:.1f} min. Load average (1, 5, 15 min) {paint['load_before']} before and "
              f"{paint['load_after']} after: the browser, the server and other processes share the cores, so these "
              "times move with the load more than any other figure here.", "",
              f"Times in ms from navigation: median (min–max) of {paint['loads']} loads. *Cold* = each in a new "
              "browser context (an empty cache: every script chunk fetched and compiled); *warm* = reloads (chunks "
              "cached). *Complete* = the script run has ended, no skeleton is left, every chart has drawn, and then "
              f"nothing changed for {paint['settle_ms']:,} ms (not counted). In the warm loads: *script end* (the "
              "server's run, cached data), *charts drawn* (the last Plotly chart's first SVG), *CPU* (CPU time of "
              "Chromium's processes and the server's, settle window included) and *renderer CPU* (the page's own "
              "process): CPU time moves much less than wall-clock time with the machine's load. *First view* = the "
              "first load after the server started (its caches empty). *JS* = script chunks a cold load runs (files, "
              "MB uncompressed); *figures* = the Plotly figures' JSON, *tables* = the dataframes' Arrow data, as "
              "sent.", "",
              "| Page | Cold: complete | Warm: complete | Script end | Charts drawn | CPU | Renderer CPU | First view "
              "| Elements (main + sidebar) | Charts | Figures (KB) | Tables (KB) | JS (files, MB) | Load after |",
              "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|"]
    for page in paint["pages"]:
        if "error" in page:
            lines.append(f"| {page['name']} | **not complete**: {page['error']} |" + " |" * 11 + f" {page['load']} |")
            continue
        warm, cold = page["warm"], page["cold"]
        last = cold[-1]
        sent = last["payload"]["bytes"]
        tables = sent.get("dataframe", 0) + sent.get("table", 0)
        cpu = [sum(r["cpu"].values()) * 1000 for r in warm]
        renderer = [r["cpu"]["renderer"] * 1000 for r in warm]
        lines.append(
            f"| {page['name']} | {_ms([r['complete'] for r in cold])} | {_ms([r['complete'] for r in warm])} | "
            f"{_ms([r['script_end'] for r in warm])} | {_ms([r['last_chart'] for r in warm])} | {_ms(cpu)} | "
            f"{_ms(renderer)} | "
            f"{_ms([page['first']['complete']])} | {last['elements']} + {last['sidebar_elements']} | "
            f"{last['charts']} | {sent.get('plotly_chart', 0) / 1024:,.1f} | {tables / 1024:,.1f} | "
            f"{last['js_files']}, {last['js_bytes'] / 1e6:,.1f} | {page['load']} |")
    return [*lines, ""]


def _ms(values: list[float | None]) -> str:
    values = [v for v in values if v is not None]
    if not values:
        return "—"
    mid = statistics.median(values)
    return f"{mid:,.0f}" if len(values) == 1 else f"{mid:,.0f} ({min(values):,.0f}–{max(values):,.0f})"


def summary_line(page: dict) -> str:
    """One page's figures on one line, for the command line."""
    if "error" in page:
        return f"{page['name']}: not complete: {page['error']}; load {page['load']}"
    warm, last = page["warm"], page["cold"][-1]
    return (f"{page['name']}: cold {_ms([r['complete'] for r in page['cold']])} ms, warm "
            f"{_ms([r['complete'] for r in warm])} ms (script end {_ms([r['script_end'] for r in warm])}, charts "
            f"drawn {_ms([r['last_chart'] for r in warm])}, CPU {_ms([sum(r['cpu'].values()) * 1000 for r in warm])}"
            f", renderer {_ms([r['cpu']['renderer'] * 1000 for r in warm])}), first view "
            f"{_ms([page['first']['complete']])}; {last['elements']} + {last['sidebar_elements']} elements, "
            f"{last['charts']} charts, figures {last['payload']['bytes'].get('plotly_chart', 0) / 1024:,.1f} KB; "
            f"load {page['load']}")


def main(argv: list[str] | None = None) -> int:
    from bench.__main__ import cpu_model, database, log

    parser = argparse.ArgumentParser(prog="python -m bench.paint", description=__doc__.split("\n")[0])
    parser.add_argument("--scale", type=float, default=1)
    parser.add_argument("--loads", type=int, default=3, help="cold loads and warm reloads per page (default 3)")
    parser.add_argument("--settle-ms", type=int, default=browser.SETTLE_MS)
    parser.add_argument("--json", type=Path, help="also write every figure here")
    parser.add_argument("pages", nargs="*")
    args = parser.parse_args(argv)
    variants = [v for v in workload.VARIANTS if not args.pages or any(v.name.startswith(p) for p in args.pages)]
    path, _ = database(args.scale, smoke=False)
    print(f"{cpu_model()}; load {load_average()}; scale {args.scale:g}; {args.loads} cold + {args.loads} warm loads",
          flush=True)
    result = measure(path, variants, max(args.loads, 1), settle_ms=args.settle_ms, log=log)
    if "skipped" in result:
        print(result["skipped"], file=sys.stderr)
        return 1
    for page in result["pages"]:
        print(summary_line(page), flush=True)
    if args.json:
        args.json.write_text(json.dumps({"scale": args.scale, "cpu": cpu_model(), **result}, indent=1))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
