"""Fiscal calendar: years, quarters, labels and period presets, on edge cases."""

from __future__ import annotations

from datetime import date

import pandas as pd
import pytest

from queries import calendar as fc


@pytest.mark.parametrize("day, start, label", [
    (date(2026, 2, 1), 2, "FY27 Q1"),
    (date(2026, 4, 30), 2, "FY27 Q1"),
    (date(2026, 5, 1), 2, "FY27 Q2"),
    (date(2027, 1, 31), 2, "FY27 Q4"),
    (date(2026, 1, 31), 2, "FY26 Q4"),
    (date(2026, 1, 1), 1, "FY26 Q1"),
    (date(2026, 12, 31), 1, "FY26 Q4"),
    (date(2026, 3, 31), 4, "FY26 Q4"),
    (date(2026, 4, 1), 4, "FY27 Q1"),
    (date(2025, 10, 1), 10, "FY26 Q1"),
    (date(2025, 12, 15), 11, "FY26 Q1"),  # Nov–Jan: a quarter spanning the year boundary
    (date(2026, 1, 31), 11, "FY26 Q1"),
    (date(2099, 12, 31), 12, "FY00 Q1"),
])
def test_calendar_quarter_labels(day, start, label):
    assert fc.quarter_label(day, start) == label


@pytest.mark.parametrize("start", range(1, 13))
def test_calendar_agrees_with_pandas_fiscal_periods(start):
    # pandas names a fiscal year by the month it ends in: a year starting in month s ends in month s-1 (Q-<month>).
    anchor = pd.Timestamp(2001, (start - 2) % 12 + 1, 1).strftime("%b").upper()
    for day in pd.date_range("2023-01-01", "2026-12-31", freq="13D"):
        period = pd.Period(day, freq=f"Q-{anchor}")
        d = day.date()
        assert (fc.fiscal_year(d, start), fc.fiscal_quarter(d, start)) == (period.qyear, period.quarter)
        assert fc.fiscal_quarter_start(d, start) == period.start_time.date()
        assert fc.fiscal_quarter_end(d, start) == period.end_time.date()


def test_calendar_leap_year_quarter_end():
    assert fc.fiscal_quarter_end(date(2024, 1, 10), 12) == date(2024, 2, 29)
    assert fc.fiscal_quarter_end(date(2023, 1, 10), 12) == date(2023, 2, 28)
    assert fc.preset_period("this_month", date(2024, 2, 29), 1) == (date(2024, 2, 1), date(2024, 2, 29))


@pytest.mark.parametrize("preset, start_month, expected", [
    ("this_month", 1, (date(2026, 11, 1), date(2026, 11, 26))),
    ("this_fiscal_quarter", 1, (date(2026, 10, 1), date(2026, 11, 26))),
    ("this_fiscal_quarter", 2, (date(2026, 11, 1), date(2026, 11, 26))),
    ("this_fiscal_year", 1, (date(2026, 1, 1), date(2026, 11, 26))),
    ("this_fiscal_year", 4, (date(2026, 4, 1), date(2026, 11, 26))),
    ("this_fiscal_year", 12, (date(2025, 12, 1), date(2026, 11, 26))),
    ("last_fiscal_quarter", 1, (date(2026, 7, 1), date(2026, 9, 30))),
    ("last_fiscal_quarter", 2, (date(2026, 8, 1), date(2026, 10, 31))),
    ("trailing_12_months", 1, (date(2025, 12, 1), date(2026, 11, 26))),
])
def test_calendar_presets_against_fixed_dates(preset, start_month, expected):
    assert fc.preset_period(preset, date(2026, 11, 26), start_month) == expected


def test_calendar_last_quarter_across_the_year_boundary():
    assert fc.preset_period("last_fiscal_quarter", date(2026, 2, 10), 1) == (date(2025, 10, 1), date(2025, 12, 31))
    assert fc.preset_period("last_fiscal_quarter", date(2026, 2, 10), 11) == (date(2025, 11, 1), date(2026, 1, 31))


def test_calendar_refuses_bad_start_month_and_preset():
    with pytest.raises(ValueError):
        fc.fiscal_year(date(2026, 1, 1), 13)
    with pytest.raises(ValueError):
        fc.preset_period("next_decade", date(2026, 1, 1), 1)
