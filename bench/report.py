"""The benchmark's markdown report: machine, command, every figure, and whether each target is met."""

from __future__ import annotations

import statistics
from pathlib import Path

from bench import paint, postgres

NOTES = Path(__file__).resolve().parent / "NOTES.md"

PAGE_TARGET_MS = {20.0: 150.0, 200.0: 1000.0}
PEER_RATIO_TARGET = 3.0
RSS_SHARE_TARGET = 0.25
IMPORT_TARGET_S = 5.0
FIRST_START_TARGET_S = 10.0
REFRESH_TARGET_S = 3.0  # an import of 10,000 leads at scale 200: every summary table up to date


def _import_spread(imported: dict) -> str:
    """The spread of a repeated import, as ' (median of 5: 5.8–6.9 s)'; nothing for one run (older results)."""
    times = imported.get("times") or []
    if len(times) < 2:
        return ""
    return f" (median of {len(times)}: {min(times):.1f}–{max(times):.1f} s)"


def _ms(values: list[float]) -> str:
    if not values:
        return "—"
    mid = statistics.median(values) * 1000
    if len(values) == 1:
        return f"{mid:,.0f}"
    return f"{mid:,.0f} ({min(values) * 1000:,.0f}–{max(values) * 1000:,.0f})"


def _median(values: list[float]) -> float:
    return statistics.median(values) if values else float("nan")


def _met(ok: bool | None) -> str:
    return "—" if ok is None else ("**met**" if ok else "**missed**")


def _targets(results: dict) -> list[str]:
    lines = ["| Target | Measured | Met? |", "|---|---|---|"]
    by_scale = {s["scale"]: s for s in results["scales"]}
    for scale, limit in PAGE_TARGET_MS.items():
        found = by_scale.get(scale)
        if found is None:
            lines.append(f"| Every page's server-side run ≤ {limit:,.0f} ms at scale {scale:g} "
                         "| not in this run (see the Notes for a pages-only run) | — |")
            continue
        misses = [p for p in found["pages"] if _median(p["page"]) * 1000 > limit]
        worst = max(found["pages"], key=lambda p: _median(p["page"]))
        lines.append(f"| Every page's server-side run ≤ {limit:,.0f} ms at scale {scale:g} | "
                     f"{len(found['pages']) - len(misses)} of {len(found['pages'])} pages; slowest "
                     f"{worst['name']} {_median(worst['page']) * 1000:,.0f} ms | {_met(not misses)} |")
    for found in results["scales"]:
        ratios = [(p, _ratio(p)) for p in found["pages"]]
        below = [p["name"] for p, r in ratios if r is not None and r < PEER_RATIO_TARGET]
        lowest = min((r for _, r in ratios if r is not None), default=None)
        lines.append(f"| Every page ≥ {PEER_RATIO_TARGET:g}× faster than the pandas peer (scale {found['scale']:g}, "
                     f"data layer on the calls the peer computes) | lowest {lowest or 0:.1f}×; below: "
                     f"{', '.join(below) or 'none'} | {_met(not below)} |")
        memory = found["memory"]
        share = memory["tandem"]["peak_rss_mb"] / memory["peer"]["peak_rss_mb"]
        lines.append(f"| Peak RSS ≤ ¼ of the peer's (scale {found['scale']:g}) | "
                     f"{memory['tandem']['peak_rss_mb']:,.0f} MB vs {memory['peer']['peak_rss_mb']:,.0f} MB "
                     f"= {share:.2f} | {_met(share <= RSS_SHARE_TARGET)} |")
    lines.append(postgres.target_row(results))
    lines.append(paint.target_row(results))
    imported = results["import"]
    ok = imported["exit_code"] == 0
    lines.append(f"| {imported['rows']:,}-row import with validation ≤ {IMPORT_TARGET_S:g} s | "
                 f"{imported['seconds']:.1f} s{_import_spread(imported)}{'' if ok else ' (import failed)'} | "
                 f"{_met(ok and imported['seconds'] <= IMPORT_TARGET_S)} |")
    lines += _targets_refresh(results)
    first = results.get("first_start")
    if first:
        lines.append(f"| First start ≤ {FIRST_START_TARGET_S:g} s | {first['seconds']:.1f} s | "
                     f"{_met(first['seconds'] <= FIRST_START_TARGET_S and not first['exception'])} |")
    return lines


def _targets_refresh(results: dict) -> list[str]:
    """The target row of an import's summary-table refresh; none for a run without it (no scale 200, older runs)."""
    refreshed = results.get("summary_refresh")
    if not refreshed:
        return []
    funnel = _refresh_seconds(refreshed["refresh"], refreshed["funnel_tables"])
    every = _refresh_seconds(refreshed["refresh"])
    return [f"| Import of {refreshed['rows']:,} leads into {refreshed['target']}: summary tables up to date "
            f"≤ {REFRESH_TARGET_S:g} s | the Funnel page's {funnel:.1f} s, every one {every:.1f} s "
            f"(after its undo: {_refresh_seconds(refreshed['undo_refresh'], refreshed['funnel_tables']):.1f} "
            f"and {_refresh_seconds(refreshed['undo_refresh']):.1f} s) | {_met(every <= REFRESH_TARGET_S)} |"]


def _refresh_seconds(timed: list[dict], names: list[str] | None = None) -> float:
    return sum(t["seconds"] for t in timed if names is None or t["name"] in names)


def _ratio(page: dict) -> float | None:
    tandem, peer = _median(page.get("covered_tandem", [])), _median(page.get("peer", []))
    if not page.get("covered") or not tandem:
        return None
    return peer / tandem


def _scale_section(found: dict, harness: float) -> list[str]:
    rows = found["rows"]
    generated = (f"generated in {found['generate_seconds']:.0f} s" if found["generate_seconds"]
                 else "reused from bench/data")
    lines = [f"## Scale {found['scale']:g}", "",
             f"`{found['path']}` ({generated}): {rows['leads']:,} leads, {rows['deals']:,} deals, "
             f"{rows['touches']:,} touches, {rows['campaign_spend']:,} spend rows.", "",
             "Times in ms: median (min–max). *Page run* = one full AppTest run of dashboard.py + the page with "
             "st.cache_data cleared; *− harness* subtracts the empty-page median; *CPU* = the process CPU time of "
             "that run (every thread, DuckDB's included: the work done, without the waiting for a core). *Data "
             "layer* = the page's queries functions called directly. *Peer* = the pandas peer on the calls it "
             "computes (*covered*), against "
             "*Tandem covered* = the same calls in the data layer.", "",
             "| Page | Page run | − harness | Page CPU | Data layer | Data CPU | Calls (listed = page?) | Covered "
             "| Tandem covered | Peer | Peer / Tandem |", "|---|---:|---:|---:|---:|---:|---|---:|---:|---:|---:|"]
    for page in found["pages"]:
        ratio = _ratio(page)
        lines.append(
            f"| {page['name']} | {_ms(page['page'])} | {max(_median(page['page']) - harness, 0) * 1000:,.0f} | "
            f"{_median(page.get('page_cpu', [])) * 1000:,.0f} | {_ms(page['data'])} | "
            f"{_median(page.get('data_cpu', [])) * 1000:,.0f} | "
            f"{page['calls']} ({'yes' if page['calls_match'] else '**no**'}) | "
            f"{page['covered']} | {_ms(page['covered_tandem'])} | {_ms(page['peer'])} | "
            f"{'—' if ratio is None else f'{ratio:.1f}×'} |")
    lines += ["", "Where one page run's time goes (ms, one extra run with timers around ui.data.load and the waits "
              "for what ui.data.start began (the queries, Arrow to pandas, the cache's bookkeeping; a started query "
              "that ends while the page draws costs nothing here), every ui/charts builder and the Streamlit "
              "elements; *rest* = dashboard.py's filter bar, the page script's own Python and the harness):", "",
              "| Page | Run | Data | Chart builders | st elements | Rest | Largest non-data items |",
              "|---|---:|---:|---:|---:|---:|---|"]
    for page in found["pages"]:
        part = page["split"]
        items = ", ".join(f"{name} {seconds * 1000:,.0f}" for name, seconds in page["top_causes"] if seconds >= 0.005)
        lines.append(f"| {page['name']} | {part['total'] * 1000:,.0f} | {part['data'] * 1000:,.0f} | "
                     f"{part['charts'] * 1000:,.0f} | {part['elements'] * 1000:,.0f} | {part['rest'] * 1000:,.0f} | "
                     f"{items or '—'} |")
    memory = found["memory"]
    lines += ["", f"Pandas peer: loading every table with `SELECT *` into DataFrames took {_ms(found['peer_load'])} "
              f"ms ({found['peer_frames_mb']:,.0f} MB of DataFrames); not included in the per-page peer times.", "",
              "Peak RSS of a process serving every page once (`python -m bench.serve`):", "",
              "| Process | Peak RSS (MB) | Above the baseline (MB) | Seconds |", "|---|---:|---:|---:|"]
    base = memory["baseline"]["peak_rss_mb"]
    for mode, label in (("baseline", "Imports only (streamlit, duckdb, pandas, plotly)"),
                        ("tandem", "Tandem: every page in AppTest"), ("peer", "Peer: DataFrames + every page")):
        lines.append(f"| {label} | {memory[mode]['peak_rss_mb']:,.0f} | {memory[mode]['peak_rss_mb'] - base:,.0f} "
                     f"| {memory[mode]['seconds']:.1f} |")
    if found.get("derived"):
        builds = found["derived"]
        lines += ["", "Summary tables (queries/sql/derived): the page figures above read them already built, as every "
                  "view does after the first one following a change. Building them all once, in a fresh process "
                  f"(`python -m bench.derived_build`): {sum(b['seconds'] for b in builds):,.1f} s wall, "
                  f"{sum(b['cpu'] for b in builds):,.1f} s CPU. A page builds only the tables it reads.", "",
                  "| Summary table | Rows | Build (ms) | CPU (ms) |", "|---|---:|---:|---:|"]
        lines += [f"| {b['name']} | {b['rows']:,} | {b['seconds'] * 1000:,.0f} | {b['cpu'] * 1000:,.0f} |"
                  for b in builds]
    lines += ["", "<details><summary>Every call, data layer (ms, median)</summary>", "",
              "| Page | Call | ms |", "|---|---|---:|"]
    for page in found["pages"]:
        for label, times in sorted(page["per_call"], key=lambda item: -_median(item[1])):
            lines.append(f"| {page['name']} | `{label}` | {_median(times) * 1000:,.1f} |")
    lines += ["", "</details>", "", *postgres.section(found), *paint.section(found)]
    return lines


def markdown(results: dict) -> str:
    m = results["machine"]
    harness = _median(results["harness"])
    v = m["versions"]
    cpu = f" ({m['cpu']})" if m.get("cpu") else ""  # runs before the processor was recorded have none
    lines = ["# Tandem benchmark", "",
             f"Generated by `{results['command']}` on {results['started']} in {results['seconds'] / 60:.1f} min"
             + (" (**smoke run**: tiny scale, one run; the figures mean nothing)" if results["smoke"] else "") + ".",
             "",
             f"Machine: {m['cores']} cores{cpu}, {m['memory_gb']:.1f} GB memory, {m['platform']}; "
             f"Python {m['python']}, duckdb {v['duckdb']}, streamlit {v['streamlit']}, pandas {v['pandas']}, "
             f"pyarrow {v['pyarrow']}, plotly {v['plotly']}{' with orjson ' + v['orjson'] if v.get('orjson') else ''}. "
             f"Load average (1, 5, 15 min) {results['load_before']} before and "
             f"{results['load_after']} after: the machine is shared, so wall-clock figures include waiting for "
             "a core; the min of each range is the least disturbed run.", "",
             f"{results['runs']} timed runs per figure after one warm-up. AppTest harness overhead (an empty "
             f"page): {_ms(results['harness'])} ms.", "", "## Targets", "", *_targets(results), ""]
    for found in results["scales"]:
        lines += _scale_section(found, harness)
    imported = results["import"]
    lines += ["## Import and first start", "",
              f"- Import: `python -m queries.ingest --db <copy of {imported['target']}> --table leads "
              f"leads-{imported['rows']}.csv` ({imported['rows']:,} rows, {imported['megabytes']:,.0f} MB; read, "
              f"every cell and reference validated, committed): {imported['seconds']:.1f} s"
              f"{_import_spread(imported)} including the Python process start; exit code {imported['exit_code']}; "
              f"it said: `{' '.join(imported['output'])}`."]
    refreshed = results.get("summary_refresh")
    if refreshed:
        slowest = sorted(refreshed["refresh"], key=lambda t: -t["seconds"])[:5]
        lines.append(f"- Summary tables after an import (`python -m bench.summary_refresh <{refreshed['target']}> "
                     f"--rows {refreshed['rows']}`): into a copy with every summary table built, an upsert of "
                     f"{refreshed['rows']:,} leads ({refreshed['inserted']:,} new, {refreshed['updated']:,} updated) "
                     f"in {refreshed['import_seconds']:.1f} s, then every summary table brought up to date one at a "
                     f"time; then the import's undo ({refreshed['undo_seconds']:.1f} s) and the same. Slowest after "
                     "the import: " + ", ".join(f"{t['name']} {t['seconds']:.1f} s" for t in slowest) + ".")
    first = results.get("first_start")
    if first:
        lines.append(f"- First start: a fresh Python process with no database runs dashboard.py in AppTest, which "
                     f"generates the default sample (scale 1) and draws the first page: {first['seconds']:.1f} s "
                     f"from process start ({first['in_process_seconds']:.1f} s after Python started); "
                     f"{first['metrics']} metrics drawn"
                     + (f"; exception: {first['exception']}" if first["exception"] else "") + ". The browser's own "
                     "drawing (plotly.js) is not included.")
    else:
        lines.append("- First start: not measured in this run (--skip-first-start).")
    empty = results.get("empty_start")
    if empty:  # runs before the empty start was measured have none
        from bench import empty_start

        lines += ["", f"### Empty start: a CRM export of {empty['deals']:,} deals", "",
                  "`python -m queries.db init` on a new file, the sales team and the deals from the CRM's three files "
                  "through the ready mappings (deals priced from the products file), then every page on data with "
                  "deals and reps only (bench/empty_start.py; the view of an opened meeting is left out: there is "
                  "none). The page's full server-side run in AppTest.", "", empty_start.table(empty)]
    lines += ["", "## How it is measured", "",
              "- Databases: `sample_data.generate(path, seed=7, end=2026-11-26, scale=…)`, generated once under "
              "bench/data/ and reused. Every page runs as of 2026-11-26 with the default filters (trailing 12 "
              "months, all regions, segments, teams) and its default widgets; the Campaigns sections and an opened "
              "planning meeting are separate rows.",
              "- The calls each page makes are listed once, in bench/workload.py; *listed = page?* says whether "
              "the page asked ui.data for exactly those calls in this run.",
              "- The peer (bench/peer.py) computes the same frames as the queries it covers (tests/unit/"
              "test_bench.py checks equality); queries it does not cover (attribution, lag, plan, scorecard, "
              "health checks…) are left out of both sides of the ratio.",
              "- Peak RSS: VmHWM of each child process (/proc/self/status); the baseline process only imports the "
              "libraries."]
    if NOTES.exists() and not results["smoke"]:
        lines += ["", NOTES.read_text().strip()]
    return "\n".join(lines) + "\n"
