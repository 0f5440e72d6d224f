"""Brand metrics: exact numbers on tests/fixtures/brand.sql, invariants on the generated sample."""

from __future__ import annotations

import math
from datetime import date

import pandas as pd
import pytest

from queries import brand, db, lag


@pytest.fixture
def con(make_db):
    connection = db.connect(make_db("base.sql", "brand.sql"))
    yield connection
    connection.close()


@pytest.mark.slow
def test_metric_series_rolling_average_and_yoy(con):
    # As of 1 April 2026 March's reading is published: the series runs January 2025 – March 2026.
    frame = brand.metric_series(con, metric="aided_awareness", start=date(2025, 1, 15), end=date(2026, 4, 1))
    assert list(frame.columns) == ["month", "value", "rolling_3m", "yoy_change"]
    assert frame.month.tolist()[0] == date(2025, 1, 1) and len(frame) == 15
    assert frame.rolling_3m.iloc[:2].isna().all()  # fewer than three months yet
    assert frame.rolling_3m.iloc[2] == pytest.approx((10 + 12 + 11) / 3)
    assert frame.rolling_3m.iloc[-1] == pytest.approx((22 + 25 + 23) / 3)
    assert frame.yoy_change.iloc[:12].isna().all()
    assert frame.yoy_change.iloc[12:].tolist() == [22 - 10, 25 - 12, 23 - 11]


@pytest.mark.slow
def test_metric_series_windows_look_back_before_start(con):
    frame = brand.metric_series(con, metric="aided_awareness", start=date(2026, 2, 1), end=date(2026, 3, 1))
    assert frame.values.tolist() == [[date(2026, 2, 1), 25.0, pytest.approx((20 + 22 + 25) / 3), 13.0]]


@pytest.mark.slow
def test_metric_series_ends_with_the_last_month_published_by_end(con):
    # A month's reading counts from the 1st of the next month: on 31 March, February's is the latest.
    def months(end):
        return brand.metric_series(con, metric="aided_awareness", start=date(2026, 1, 1), end=end).month.tolist()

    assert months(date(2026, 2, 28)) == [date(2026, 1, 1)]
    assert months(date(2026, 3, 31)) == [date(2026, 1, 1), date(2026, 2, 1)]
    assert months(date(2026, 4, 1)) == [date(2026, 1, 1), date(2026, 2, 1), date(2026, 3, 1)]
    assert months(date(2026, 1, 31)) == []


@pytest.mark.slow
def test_metric_series_region_with_a_gap_and_empty_region(con):
    emea = brand.metric_series(con, metric="aided_awareness", start=date(2026, 1, 1), end=date(2026, 4, 1),
                               region="EMEA")
    assert emea.value.tolist() == [30.0, 33.0]
    assert emea.rolling_3m.isna().all()  # February is missing: no 3-month average
    assert brand.metric_series(con, metric="aided_awareness", start=date(2026, 1, 1), end=date(2026, 3, 31),
                               region="APAC").empty


def test_metric_series_rejects_unknown_metric(con):
    with pytest.raises(ValueError, match="unknown brand metric"):
        brand.metric_series(con, metric="'; DROP TABLE leads; --", start=date(2026, 1, 1), end=date(2026, 3, 31))


@pytest.mark.slow
def test_latest_compares_with_last_month_and_last_year(con):
    frame = brand.latest(con, as_of=date(2026, 3, 9), metrics=["aided_awareness", "share_of_voice"])
    assert list(frame.columns) == ["metric", "month", "value", "previous_month_value", "mom_change",
                                   "year_ago_value", "yoy_change"]
    aided = frame.set_index("metric").loc["aided_awareness"]
    assert (aided.month, aided.value, aided.previous_month_value, aided.mom_change) == (date(2026, 2, 1), 25, 22, 3)
    assert (aided.year_ago_value, aided.yoy_change) == (12, 13)
    voice = frame.set_index("metric").loc["share_of_voice"]
    assert voice.value == 40 and math.isnan(voice.mom_change)  # no January value
    assert brand.latest(con, as_of=date(2026, 3, 31), region="APAC").empty


@pytest.mark.parametrize(("as_of", "month", "value"), [
    (date(2026, 2, 28), date(2026, 1, 1), 22),   # January's reading: February's is published on 1 March
    (date(2026, 3, 1), date(2026, 2, 1), 25),
    (date(2026, 3, 31), date(2026, 2, 1), 25),   # the table holds March already; it counts from 1 April
    (date(2026, 4, 1), date(2026, 3, 1), 23),
    (date(2030, 1, 1), date(2026, 3, 1), 23),    # the latest there is, however late
])
def test_latest_is_the_month_published_by_as_of(con, as_of, month, value):
    aided = brand.latest(con, as_of=as_of, metrics=["aided_awareness"]).set_index("metric").loc["aided_awareness"]
    assert (aided.month, aided.value) == (month, value)


@pytest.mark.slow
def test_latest_has_no_row_before_the_first_reading_is_published(con):
    assert brand.latest(con, as_of=date(2025, 1, 31)).empty  # January 2025, the first month, counts from 1 February
    first = brand.latest(con, as_of=date(2025, 2, 1))
    assert first[["metric", "month", "value"]].values.tolist() == [["aided_awareness", date(2025, 1, 1), 10]]
    assert first[["previous_month_value", "year_ago_value"]].isna().all(axis=None)


# Every query that reads brand_metrics, at an as-of (or end) date in the middle of a month, on a fixture holding
# that month's reading already: deleting every reading of that month and later must change nothing, and the 1st of
# the next month must show more (so the rule is tested, not assumed).
READERS = {
    "brand.latest": ("brand.sql", date(2026, 3, 20), lambda con, day: brand.latest(con, as_of=day)),
    "brand.metric_series": ("brand.sql", date(2026, 3, 20), lambda con, day: brand.metric_series(
        con, metric="aided_awareness", start=date(2025, 1, 1), end=day)),
    "lag.cross_correlation": ("lag.sql", date(2025, 12, 10), lambda con, day: lag.cross_correlation(
        con, brand_metric="aided_awareness", sales_series="inbound_leads", start=date(2024, 1, 1), end=day)),
    "lag.monthly_series": ("lag.sql", date(2025, 12, 10), lambda con, day: lag.monthly_series(
        con, brand_metric="aided_awareness", sales_series="inbound_leads", start=date(2024, 1, 1), end=day, lag=2)),
}


@pytest.mark.parametrize("reader", READERS)
@pytest.mark.slow
def test_brand_readings_count_only_once_published(make_db, reader):
    fixture, day, run = READERS[reader]
    connection = db.connect(make_db("base.sql", fixture))
    try:
        shown = run(connection, day)
        next_month = (pd.Timestamp(day) + pd.offsets.MonthBegin(1)).date()
        assert not run(connection, next_month).equals(shown)
        deleted = connection.execute("DELETE FROM brand_metrics WHERE month >= date_trunc('month', CAST($day AS DATE))",
                                     {"day": day}).fetchone()[0]
        assert deleted > 0
        pd.testing.assert_frame_equal(run(connection, day), shown)
    finally:
        connection.close()


@pytest.mark.slow
def test_spend_by_month_counts_brand_campaigns_only(con):
    frame = brand.spend_by_month(con, start=date(2026, 1, 1), end=date(2026, 3, 31))
    assert frame.values.tolist() == [[date(2026, 1, 1), 150.0], [date(2026, 2, 1), 30.0]]


@pytest.mark.slow
def test_large_launches_takes_the_biggest_budgets_in_start_order(con):
    frame = brand.large_launches(con, start=date(2026, 1, 1), end=date(2026, 12, 31), limit=2)
    assert frame.campaign_id.tolist() == ["C3", "C1"]
    assert frame.budget.tolist() == [50000.0, 10000.0]
    assert brand.large_launches(con, start=date(2026, 2, 1), end=date(2026, 3, 10), limit=5).campaign_id.tolist() \
        == ["C1"]


def test_metric_series_on_sample_matches_its_own_history(sample_con):
    # 36 months ending in November 2026; November's reading is not published on the 26th (nor generated).
    full = brand.metric_series(sample_con, metric="aided_awareness", start=date(2023, 1, 1), end=date(2026, 11, 26))
    assert len(full) == 35 and full.month.iloc[-1] == date(2026, 10, 1) and full.value.between(0, 100).all()
    shifted = full.value - full.value.shift(12)
    assert full.yoy_change.iloc[12:].tolist() == pytest.approx(shifted.iloc[12:].tolist())
    assert full.rolling_3m.iloc[2:].tolist() == pytest.approx(full.value.rolling(3).mean().iloc[2:].tolist())
    latest = brand.latest(sample_con, as_of=date(2026, 11, 26)).set_index("metric")
    assert set(latest.index) == set(brand.METRIC_UNITS) and (latest.month == date(2026, 10, 1)).all()
    assert latest.loc["aided_awareness", "yoy_change"] == pytest.approx(full.yoy_change.iloc[-1])
    assert latest.loc["aided_awareness", "mom_change"] == pytest.approx(full.value.iloc[-1] - full.value.iloc[-2])


def test_stadium_is_among_large_launches_on_sample(sample_con):
    frame = brand.large_launches(sample_con, start=date(2025, 12, 1), end=date(2026, 11, 26))
    assert "C-STADIUM" in frame.campaign_id.tolist()
    assert frame.start_date.is_monotonic_increasing
