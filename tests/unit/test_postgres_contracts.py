"""Query contracts on both backends: the same named queries give identical frames on a DuckDB file and on Postgres.

The `backend_con` fixture runs each contract test twice, on the generated sample as a file and loaded into a
throwaway Postgres (tests/pg.py); `test_query_identical_on_both_backends` compares the two frames cell by cell.
"""

from __future__ import annotations

from datetime import date

import pandas as pd
import pg
import pytest

from queries import (
    attribution,
    backend,
    brand,
    common,
    db,
    deals,
    funnel,
    lag,
    meeting,
    pipeline,
    plan,
    quota,
    segments,
    targets,
)

START, END, AS_OF = date(2026, 1, 1), date(2026, 10, 31), date(2026, 11, 26)

CASES = {
    "quota.attainment by team": lambda c: quota.attainment(c, start=START, end=END, by="team"),
    "quota.attainment by rep, one team": lambda c: quota.attainment(c, start=START, end=END, by="rep",
                                                                     teams=["EMEA"]),
    "quota.pacing": lambda c: quota.pacing(c, as_of=AS_OF),
    "funnel.stages cohort": lambda c: funnel.stages(c, start=START, end=END),
    "funnel.stages period by region": lambda c: funnel.stages(c, start=START, end=END, mode="period", by="region"),
    "funnel.sla": lambda c: funnel.sla(c, start=START, end=END),
    "pipeline.coverage all": lambda c: pipeline.coverage(c, as_of=AS_OF, horizon_months=2, by="all"),
    "pipeline.coverage by team": lambda c: pipeline.coverage(c, as_of=AS_OF, horizon_months=2, by="team"),
    "deals.summary by rep": lambda c: deals.summary(c, start=START, end=END, by="rep"),
    "deals.summary all": lambda c: deals.summary(c, start=START, end=END, by="all"),
    "attribution.revenue_by_campaign linear": lambda c: attribution.revenue_by_campaign(c, start=START, end=END,
                                                                                         model="linear"),
    "attribution.revenue_by_campaign time decay": lambda c: attribution.revenue_by_campaign(
        c, start=START, end=END, model="time_decay"),
    "attribution.sourced_vs_influenced": lambda c: attribution.sourced_vs_influenced(c, start=START, end=END),
    "brand.latest": lambda c: brand.latest(c, as_of=AS_OF),
    "segments.performance": lambda c: segments.performance(c, start=START, end=END),
    "plan.funnel_rates": lambda c: plan.funnel_rates(c, start_month=date(2026, 7, 1), trailing_months=6),
    "lag.cross_correlation": lambda c: lag.cross_correlation(c, brand_metric="aided_awareness",
                                                             sales_series="inbound_leads", start=START, end=END),
    "lag.monthly_series": lambda c: lag.monthly_series(c, brand_metric="aided_awareness",
                                                       sales_series="pipeline_created", start=START, end=END, lag=3),
    "common.dimension_values": lambda c: common.dimension_values(c),
    "targets.monthly": lambda c: targets.monthly(c, start_month=START, end_month=END),
    "meeting.list_action_items": lambda c: meeting.list_action_items(c, as_of=AS_OF),
}


@pytest.fixture(scope="module")
def sample_dsn(sample_path) -> str:
    """The generated sample loaded into a Postgres database of the shared throwaway cluster."""
    pg.require_postgres()
    dsn = pg.shared_cluster().create_database()
    backend.load_file(sample_path, dsn)
    return dsn


@pytest.fixture(scope="module")
def file_con(sample_path):
    con = db.connect(sample_path, read_only=True)
    yield con
    con.close()


@pytest.fixture(scope="module")
def pg_con(sample_dsn):
    con = db.connect(sample_dsn, read_only=True)
    yield con
    con.close()


@pytest.fixture(params=["duckdb", pytest.param("postgres", marks=pytest.mark.slow)])
def backend_con(request):
    """The sample, opened from the file and from Postgres: contract tests run once per backend."""
    return request.getfixturevalue("file_con" if request.param == "duckdb" else "pg_con")


def test_backend_con_is_the_backend_it_says(backend_con, request):
    expected = "PostgresConnection" if request.node.callspec.params["backend_con"] == "postgres" else "DuckDBPy"
    assert type(backend_con).__name__.startswith(expected)


@pytest.mark.parametrize("case", sorted(CASES))
@pytest.mark.slow
def test_query_identical_on_both_backends(file_con, pg_con, case):
    on_file, on_postgres = CASES[case](file_con), CASES[case](pg_con)
    assert not on_file.empty, "a contract compared on no rows proves nothing"
    pd.testing.assert_frame_equal(on_postgres, on_file, check_exact=True)


def test_attainment_is_booked_over_quota(backend_con):
    frame = quota.attainment(backend_con, start=START, end=END, by="team")
    assert len(frame) == 10 * frame.team.nunique()
    with_quota = frame[frame.quota > 0]
    assert (with_quota.attainment - with_quota.booked / with_quota.quota).abs().max() < 1e-9


def test_funnel_counts_never_grow_down_the_funnel(backend_con):
    frame = funnel.stages(backend_con, start=START, end=END)
    counts = frame["count"].dropna().tolist()
    assert counts == sorted(counts, reverse=True) and counts[-1] > 0


def test_deals_summary_all_equals_the_sum_over_reps(backend_con):
    by_rep = deals.summary(backend_con, start=START, end=END, by="rep")
    everyone = deals.summary(backend_con, start=START, end=END, by="all")
    assert everyone.won_amount.iloc[0] == pytest.approx(by_rep.won_amount.sum())


def test_attribution_sums_to_won_revenue(backend_con):
    frame = attribution.revenue_by_campaign(backend_con, start=START, end=END, model="linear")
    won = deals.summary(backend_con, start=START, end=END, by="all").won_amount.iloc[0]
    assert frame.attributed_revenue.sum() == pytest.approx(won, abs=0.01)


@pytest.mark.slow
def test_data_version_and_meta_match(file_con, pg_con):
    assert db.data_version(pg_con) > db.data_version(file_con)  # loading into Postgres moves it past the file's
    file_meta = dict(file_con.execute("SELECT key, value FROM meta").fetchall())
    pg_meta = dict(pg_con.execute("SELECT key, value FROM meta").fetchall())
    assert {k: v for k, v in pg_meta.items() if not k.startswith("changed:") and k != "data_version"} == {
        k: v for k, v in file_meta.items() if k != "data_version"}
