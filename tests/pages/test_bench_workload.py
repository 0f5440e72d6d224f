"""The benchmark's list of each page's calls (bench/workload.py) is what the page really asks for."""

from __future__ import annotations

import shutil

import pytest
from helpers import app

from bench import workload
from bench.__main__ import resolve_calls
from bench.app import open_page
from ui.navigation import PAGES


@pytest.fixture(scope="module")
def planned(sample_path, tmp_path_factory) -> dict[str, list]:
    """Each view's listed calls, resolved on a copy of the sample (some arguments come from earlier results)."""
    copy = tmp_path_factory.mktemp("workload") / "sample.duckdb"
    shutil.copy(sample_path, copy)
    return resolve_calls(copy)


@pytest.mark.parametrize("variant", workload.VARIANTS, ids=[v.name for v in workload.VARIANTS])
@pytest.mark.slow
def test_workload_lists_the_calls_each_page_makes(app_db, planned, variant):
    # The data layer's timing and the pandas peer time the listed calls: a list that drifted from its page would
    # measure another page. The sample is the benchmark's own generator (the same seed and end day), at scale 1.
    at = app(as_of=workload.END.isoformat()).run()
    seen: list = []
    open_page(at, variant, seen)
    listed = sorted(call.key() for call in planned[variant.name])
    assert sorted(seen) == listed


def test_workload_has_every_registered_page():
    # So the benchmark times it, and the chart checks (test_chart_checks.py) draw it.
    assert {variant.path for variant in workload.VARIANTS} == {page.path for page in PAGES}
