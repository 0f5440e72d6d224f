"""Lag explorer: a planted lag in tests/fixtures/lag.sql, and the planted 3-month lag in the sample (seed 7)."""

from __future__ import annotations

from datetime import date

import numpy as np
import pandas as pd
import pytest

import sample_data
from queries import db, lag
from sample_data import truths


@pytest.fixture
def con(make_db):
    connection = db.connect(make_db("base.sql", "lag.sql"))
    yield connection
    connection.close()


# As of 1 January 2026 every reading of the fixture (January 2024 – December 2025) is published.
WINDOW = {"start": date(2024, 1, 1), "end": date(2026, 1, 1)}


@pytest.mark.slow
def test_cross_correlation_finds_planted_lag_despite_trend(con):
    frame = lag.cross_correlation(con, brand_metric="aided_awareness", sales_series="inbound_leads", **WINDOW)
    assert list(frame.columns) == ["lag_months", "r", "n_months"]
    assert frame.lag_months.tolist() == list(range(13))
    assert frame.n_months.tolist() == [24 - k for k in range(13)]
    best = frame.loc[frame.r.idxmax()]
    assert best.lag_months == 2 and best.r > 0.99


@pytest.mark.slow
def test_cross_correlation_uses_complete_months_only(con):
    frame = lag.cross_correlation(con, brand_metric="aided_awareness", sales_series="inbound_leads",
                                  start=date(2024, 1, 2), end=date(2025, 12, 30), max_lag=3)
    # January 2024 starts before start; December 2025's reading is published on 1 January 2026.
    assert frame.n_months.tolist() == [22, 21, 20, 19]


@pytest.mark.slow
def test_cross_correlation_of_a_flat_series_is_null(con):
    frame = lag.cross_correlation(con, brand_metric="aided_awareness", sales_series="won_revenue", **WINDOW)
    assert frame.r.isna().all() and frame.n_months.iloc[0] == 24  # no deals: a flat zero series


@pytest.mark.slow
def test_cross_correlation_needs_six_pairs(con):
    frame = lag.cross_correlation(con, brand_metric="aided_awareness", sales_series="inbound_leads",
                                  start=date(2024, 1, 1), end=date(2024, 9, 1), max_lag=4)
    assert frame.n_months.tolist() == [8, 7, 6, 5, 4]
    assert frame.r.iloc[:3].notna().all() and frame.r.iloc[3:].isna().all()


@pytest.mark.slow
def test_cross_correlation_rejects_unknown_series(con):
    with pytest.raises(ValueError, match="unknown sales series"):
        lag.cross_correlation(con, brand_metric="aided_awareness", sales_series="mqls", **WINDOW)
    with pytest.raises(ValueError, match="max_lag"):
        lag.cross_correlation(con, brand_metric="aided_awareness", sales_series="sqls", max_lag=99, **WINDOW)


@pytest.mark.slow
def test_monthly_series_shifts_the_brand_series(con):
    frame = lag.monthly_series(con, brand_metric="aided_awareness", sales_series="inbound_leads", lag=2, **WINDOW)
    assert list(frame.columns) == ["month", "brand_value", "sales_value", "brand_detrended", "sales_detrended"]
    assert frame.brand_value.iloc[:2].isna().all()
    assert frame.brand_value.iloc[2] == 30.0  # January 2024's awareness, drawn at March
    assert frame.sales_value.iloc[2] == 60.0  # 2 × 30 leads in March
    pairs = frame.dropna()
    r = np.corrcoef(pairs.brand_detrended, pairs.sales_detrended)[0, 1]
    by_lag = lag.cross_correlation(con, brand_metric="aided_awareness", sales_series="inbound_leads", **WINDOW)
    assert r == pytest.approx(by_lag.r.iloc[2])  # the two SQL files pair the months the same way


@pytest.mark.parametrize("series", ["pipeline_created", "inbound_leads"])
def test_sample_strongest_lag_is_the_planted_one(sample_con, series):
    frame = lag.cross_correlation(sample_con, brand_metric="aided_awareness", sales_series=series,
                                  start=date(2000, 1, 1), end=date(2026, 11, 26))
    best = frame.loc[frame.r.idxmax()]
    assert best.lag_months == truths.BRAND_TO_PIPELINE_LAG_MONTHS
    assert best.r > 0.6 and best.n_months >= 30


# 24 consecutive month-ends around the time this was written, each a fresh sample ending that day, as the lag
# explorer reads it (all history up to the as-of date). Half the default scale keeps it quick; the default scale
# only has less noise.
MONTH_ENDS = [d.date() for d in pd.date_range("2026-01-31", periods=24, freq="ME")]


@pytest.mark.slow
def test_sample_tells_the_planted_lag_at_every_month_end(tmp_path):
    found = {}
    for end in MONTH_ENDS:
        path = sample_data.generate(tmp_path / "sample.duckdb", seed=7, end=end, scale=0.5)
        con = db.connect(path, read_only=True)
        try:
            for series in ("pipeline_created", "inbound_leads"):
                frame = lag.cross_correlation(con, brand_metric="aided_awareness", sales_series=series,
                                              start=date(2000, 1, 1), end=end)
                best = frame.loc[frame.r.idxmax()]
                found[end, series] = (int(best.lag_months), int(best.n_months))
        finally:
            con.close()
    # 35 months have a published reading (the end month's counts from the next day), 32 pairs at a 3-month lag.
    assert set(found.values()) == {(truths.BRAND_TO_PIPELINE_LAG_MONTHS, 32)}, found
