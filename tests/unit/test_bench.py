"""The benchmark: its smoke run writes a row for every page, and the pandas peer computes what the queries do."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from datetime import date
from pathlib import Path

import pandas as pd
import pytest

from bench import __main__ as bench_main
from bench import browser, compare, extras, paint, peer, pgcluster, postgres, report, workload
from queries import brand, common, db, deals, derived, funnel, health, quota, segments
from queries import campaigns as campaign_queries
from ui.navigation import PAGES

ROOT = Path(__file__).resolve().parents[2]

# (fixture files, [(queries function, kwargs)]): the peer must return the very frame the query returns.
FIXTURE_CALLS = [
    (("base.sql", "quota.sql"), [
        (quota.attainment, {"start": date(2026, 1, 1), "end": date(2026, 3, 31), "by": by}) for by in ("team", "rep",
                                                                                                        "all")
    ] + [
        (quota.pacing_levels, {"as_of": date(2026, 2, 14)}),
        (quota.pacing_levels, {"as_of": date(2026, 2, 14), "teams": ["NA"]}),
        (quota.pacing_levels, {"as_of": date(2026, 2, 28)}),  # the month's last day: no day left
        (quota.attainment, {"start": date(2026, 1, 1), "end": date(2026, 3, 31), "by": "all", "teams": ["NA"]}),
        (quota.month_to_date, {"as_of": date(2026, 2, 14)}),
        (quota.pipeline_month_to_date, {"as_of": date(2026, 2, 14)}),
        (quota.pipeline_month_to_date, {"as_of": date(2026, 1, 31), "teams": ["EMEA"]}),
        (common.dimension_values, {}),
    ]),
    (("base.sql", "deals.sql"), [
        (deals.summary, {"start": date(2026, 3, 1), "end": date(2026, 3, 31), "by": by}) for by in ("rep", "team",
                                                                                                    "all")
    ]),
    (("base.sql", "funnel.sql"), [
        (funnel.stages, {"start": date(2026, 3, 1), "end": date(2026, 3, 31)}),
        (funnel.stages, {"start": date(2026, 3, 1), "end": date(2026, 3, 31), "regions": ["NA"]}),
        (funnel.sla, {"start": date(2026, 3, 1), "end": date(2026, 3, 31), "by": "rep"}),
        (funnel.sla, {"start": date(2026, 3, 1), "end": date(2026, 3, 31), "by": "all", "sla_hours": 12}),
        (funnel.sla, {"start": date(2026, 3, 1), "end": date(2026, 3, 31), "by": "team", "teams": ["EMEA"]}),
        (segments.performance, {"start": date(2026, 3, 1), "end": date(2026, 3, 31),
                                "dims": ("region", "segment", "industry")}),
        (segments.performance, {"start": date(2026, 2, 1), "end": date(2026, 3, 31), "dims": ("segment",)}),
        (health.table_overview, {}),
    ]),
    # Every kind of value an export may leave out: the peer fills in Unassigned and counts what it leaves out too.
    (("base.sql", "unknowns.sql"), [
        (common.dimension_values, {}),
        (campaign_queries.channels, {}),
        (campaign_queries.plan, {"start": date(2026, 1, 1), "end": date(2026, 4, 30), "as_of": date(2026, 4, 15)}),
        (quota.pacing_levels, {"as_of": date(2026, 4, 15), "regions": ["Unassigned"]}),
        (quota.pacing_levels, {"as_of": date(2026, 4, 15), "teams": ["Unassigned"]}),
        (quota.attainment, {"start": date(2026, 4, 1), "end": date(2026, 4, 30), "by": "team"}),
        (quota.month_to_date, {"as_of": date(2026, 4, 15), "regions": ["NA"]}),
        (quota.pipeline_month_to_date, {"as_of": date(2026, 4, 15)}),
        (quota.pipeline_month_to_date, {"as_of": date(2026, 4, 15), "segments": ["Unassigned"]}),
        (deals.summary, {"start": date(2026, 4, 1), "end": date(2026, 4, 30), "by": "team"}),
        (segments.performance, {"start": date(2026, 4, 1), "end": date(2026, 4, 30),
                                "dims": ("region", "segment", "industry")}),
        (funnel.stages, {"start": date(2026, 4, 1), "end": date(2026, 4, 30)}),
        (funnel.stages, {"start": date(2026, 4, 1), "end": date(2026, 4, 30), "regions": ["Unassigned"]}),
        (funnel.sla, {"start": date(2026, 4, 1), "end": date(2026, 4, 30), "by": "team"}),
        (funnel.sla, {"start": date(2026, 4, 1), "end": date(2026, 4, 30), "by": "region", "teams": ["Unassigned"]}),
    ]),
    (("base.sql", "brand.sql"), [
        (brand.metric_series, {"metric": "aided_awareness", "start": date(2025, 6, 1), "end": date(2026, 3, 31)}),
        (brand.metric_series, {"metric": "aided_awareness", "start": date(2026, 1, 1), "end": date(2026, 3, 31),
                               "region": "EMEA"}),
        (brand.spend_by_month, {"start": date(2026, 1, 1), "end": date(2026, 6, 30)}),
        (campaign_queries.plan, {"start": date(2026, 3, 1), "end": date(2026, 3, 31), "as_of": date(2026, 3, 20)}),
        (campaign_queries.channels, {}),
    ]),
]


@pytest.mark.parametrize(("fixtures", "calls"), FIXTURE_CALLS, ids=[f[1] for f, _ in FIXTURE_CALLS])
@pytest.mark.slow
def test_peer_equals_queries_on_fixture(make_db, fixtures, calls):
    con = db.connect(make_db(*fixtures))
    try:
        frames = peer.load(con)
        for fn, kwargs in calls:
            expected = fn(con, **kwargs)
            assert not expected.empty, f"{fn.__qualname__} returned nothing to compare"
            assert compare.difference(expected, peer.run(frames, fn, kwargs)) is None, (fn.__qualname__, kwargs)
    finally:
        con.close()


@pytest.mark.slow
def test_peer_equals_queries_on_every_covered_page_call(sample_con):
    frames = peer.load(sample_con)
    ctx = workload.context()
    checked = set()
    for variant in workload.VARIANTS:
        for call in workload.plan_calls(variant, sample_con, ctx):
            if peer.covers(call.fn, call.kwargs):
                expected = call.fn(sample_con, **call.kwargs)
                assert compare.difference(expected, peer.run(frames, call.fn, call.kwargs)) is None, call.label()
                checked.add(call.fn)
    assert checked == set(peer.IMPLEMENTATIONS)


def test_compare_finds_a_changed_number_and_a_changed_order():
    frame = pd.DataFrame({"month": [date(2026, 1, 1), date(2026, 2, 1)], "team": ["EMEA", "NA"],
                          "booked": [100.0, 200.0]})
    assert compare.difference(frame, frame.copy()) is None
    assert "booked" in compare.difference(frame, frame.assign(booked=[100.0, 200.5]))
    assert compare.difference(frame, frame.iloc[::-1]) is not None
    assert "columns" in compare.difference(frame, frame.rename(columns={"team": "grp"}))


def test_every_registered_page_has_a_bench_variant():
    assert {p.path for p in PAGES} == {v.path for v in workload.VARIANTS}


@pytest.mark.slow
def test_smoke_run_writes_every_page_row(tmp_path):
    out = tmp_path / "RESULTS.md"
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    env.pop("TANDEM_DB", None)
    done = subprocess.run([sys.executable, "-m", "bench", "--smoke", "--out", str(out)], cwd=ROOT, env=env,
                          capture_output=True, text=True, timeout=900, check=False)
    assert done.returncode == 0, done.stderr[-3000:]
    text = out.read_text()
    rows = [line for line in text.splitlines() if line.startswith("| ")]
    for variant in workload.VARIANTS:
        matching = [r for r in rows if r.startswith(f"| {variant.name} |") and "(yes)" in r]
        assert matching, f"no page row for {variant.name}, or its calls differ from the page's"
    for heading in ("## Targets", "## Scale 0.05", "Peak RSS", "## Import and first start",
                    "### First paint in Chromium (scale 0.05)"):
        assert heading in text
    assert "First start ≤ 10 s" in text and "-row import with validation" in text
    paint_part = text.split("### First paint in Chromium (scale 0.05)")[1]
    if Path(browser.CHROMIUM).exists():  # one page, loaded in Chromium
        assert f"| {paint.SMOKE_PAGE} | " in paint_part
    else:
        assert "Not measured: no Chromium" in paint_part
    assert " nan" not in text.lower()
    # A CRM export into an empty database, then every page on deals and reps alone.
    empty_part = text.split("### Empty start: a CRM export of 500 deals")[1].split("## How it is measured")[0]
    assert "reps 35 rows" in empty_part and "deals 500 rows" in empty_part
    for variant in workload.VARIANTS:
        if variant.name != "Planning meeting · open":
            assert f"| {variant.name} | " in empty_part, variant.name
    # Runs on different machines differ by the processor: the report names it.
    assert f"Machine: {os.cpu_count()} cores ({bench_main.cpu_model()})" in text
    builds = text.split("Summary tables (queries/sql/derived)")[1].split("<details>")[0]
    for name in derived.tables():  # every summary table's first build, timed
        assert f"| {name} | " in builds, name
    if pgcluster.find_bin_dir() is None:
        assert "Postgres column skipped: no postgres" in text
    else:  # every page again in Postgres mode, beside its file-mode figures, and the first start's copy
        assert "### Postgres mode (scale 0.05)" in text and "**First start** of a server" in text
        postgres_part = text.split("### Postgres mode (scale 0.05)")[1]
        for variant in workload.VARIANTS:
            row = next((r for r in postgres_part.splitlines() if r.startswith(f"| {variant.name} |")), "")
            assert row.count("×") == 2, f"no Postgres row with both ratios for {variant.name}: {row!r}"
    # The report of a machine without Postgres says so (rendered from this run's saved figures).
    results = json.loads(out.with_suffix(".json").read_text())
    for scale in results["scales"]:
        scale["postgres"] = {"skipped": postgres.SKIPPED}
    assert "Postgres column skipped: no postgres" in report.markdown(results)


def _results_at_scale_20(file_ms: float, postgres_ms: float) -> dict:
    pages = [{"name": name, "page": [ms / 1000], "data": [ms / 2000]} for name, ms in (("A", 100.0), ("B", file_ms))]
    slow = [{"name": name, "page": [ms / 1000], "data": [ms / 2000], "data_cpu": [0.0], "per_call": []}
            for name, ms in (("A", 110.0), ("B", postgres_ms))]
    return {"scales": [{"scale": 20.0, "pages": pages, "postgres": {"pages": slow}}]}


def test_postgres_target_names_the_pages_over_twice_file_mode():
    assert postgres.target_row({"scales": []}).endswith("| not run | — |")
    met = postgres.target_row(_results_at_scale_20(file_ms=50.0, postgres_ms=95.0))
    assert "2 of 2 pages" in met and "**met**" in met
    missed = postgres.target_row(_results_at_scale_20(file_ms=50.0, postgres_ms=120.0))
    assert "1 of 2 pages" in missed and "over: B" in missed and "2.40×" in missed and "**missed**" in missed


def test_postgres_column_is_skipped_without_postgres_binaries(monkeypatch):
    monkeypatch.setattr(pgcluster, "find_bin_dir", lambda: None)
    assert postgres.measure(ROOT / "no-such.duckdb", {}, 1, 0.05) == {"skipped": "no postgres"}


@pytest.mark.slow
def test_a_repeated_import_reports_its_median_and_spread(make_db, tmp_path):
    source = make_db("base.sql", "funnel.sql")
    csv_path = extras.write_leads_csv(source, tmp_path / "leads.csv", 20)
    imported = extras.timed_import(source, csv_path, tmp_path, runs=3)
    assert imported["exit_code"] == 0 and imported["rows"] == 20 and len(imported["times"]) == 3
    assert imported["seconds"] == sorted(imported["times"])[1]
    assert "20 rows imported into leads" in imported["output"][0]
    assert not (tmp_path / "import-target.duckdb").exists()  # each run on a fresh copy, removed after
    spread = report._import_spread({"times": [6.9, 5.8, 6.1]})
    assert spread == " (median of 3: 5.8–6.9 s)" and report._import_spread({"seconds": 6.0}) == ""


@pytest.mark.slow
def test_an_import_refresh_is_timed_table_by_table_and_reported(make_db):
    source = make_db("base.sql", "funnel.sql")
    found = extras.summary_refresh(source, rows=10)
    assert (found["rows"], found["inserted"], found["updated"]) == (10, 9, 1)  # new leads and one written again
    every = list(derived.references(" ".join(f"derived.{n}" for n in derived.tables())))
    assert [t["name"] for t in found["refresh"]] == every == [t["name"] for t in found["undo_refresh"]]
    assert set(found["funnel_tables"]) <= set(every)
    results = {"summary_refresh": {**found, "refresh": [{**t, "seconds": 0.1} for t in found["refresh"]]}}
    row = next(line for line in report._targets_refresh(results))
    assert row.startswith("| Import of 10 leads into ") and "summary tables up to date ≤ 3 s" in row
    assert f"every one {0.1 * len(every):.1f} s" in row and row.endswith("| **met** |")
