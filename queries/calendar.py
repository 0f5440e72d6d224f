"""The company's fiscal calendar: fiscal years and quarters from a start month, labels, and period presets.

A fiscal year is named after the calendar year in which it ends: with a February start, Feb 2026 – Jan 2027 is FY27
and Feb–Apr 2026 is "FY27 Q1". With a January start the fiscal year is the calendar year.
"""

from __future__ import annotations

import calendar as _calendar
from datetime import date, timedelta

PRESETS = {
    "this_month": "This month",
    "this_fiscal_quarter": "This fiscal quarter",
    "this_fiscal_year": "This fiscal year",
    "last_fiscal_quarter": "Last fiscal quarter",
    "trailing_12_months": "Trailing 12 months",
    "custom": "Custom",
}


def _check(start_month: int) -> None:
    if not 1 <= start_month <= 12:
        raise ValueError(f"fiscal year start month must be 1–12, got {start_month}")


def add_months(day: date, months: int) -> date:
    """The first of the month `months` after day's month."""
    index = day.year * 12 + day.month - 1 + months
    return date(index // 12, index % 12 + 1, 1)


def month_end(day: date) -> date:
    return date(day.year, day.month, _calendar.monthrange(day.year, day.month)[1])


def fiscal_index(day: date, start_month: int) -> int:
    """Months since the fiscal year began: 0 for the first fiscal month."""
    _check(start_month)
    return (day.month - start_month) % 12


def fiscal_year(day: date, start_month: int) -> int:
    """The fiscal year (named by the calendar year in which it ends) containing day."""
    _check(start_month)
    if start_month == 1:
        return day.year
    return day.year + 1 if day.month >= start_month else day.year


def fiscal_quarter(day: date, start_month: int) -> int:
    return fiscal_index(day, start_month) // 3 + 1


def fiscal_year_start(day: date, start_month: int) -> date:
    return add_months(date(day.year, day.month, 1), -fiscal_index(day, start_month))


def fiscal_quarter_start(day: date, start_month: int) -> date:
    return add_months(date(day.year, day.month, 1), -(fiscal_index(day, start_month) % 3))


def fiscal_quarter_end(day: date, start_month: int) -> date:
    return add_months(fiscal_quarter_start(day, start_month), 3) - timedelta(days=1)


def quarter_label(day: date, start_month: int) -> str:
    """'FY27 Q1'."""
    return f"FY{fiscal_year(day, start_month) % 100:02d} Q{fiscal_quarter(day, start_month)}"


def year_label(day: date, start_month: int) -> str:
    """'FY27'."""
    return f"FY{fiscal_year(day, start_month) % 100:02d}"


def preset_period(preset: str, as_of: date, start_month: int) -> tuple[date, date]:
    """The [start, end] days of a preset, never past as_of (so a frozen meeting never sees later data)."""
    _check(start_month)
    if preset == "this_month":
        return date(as_of.year, as_of.month, 1), as_of
    if preset == "this_fiscal_quarter":
        return fiscal_quarter_start(as_of, start_month), as_of
    if preset == "this_fiscal_year":
        return fiscal_year_start(as_of, start_month), as_of
    if preset == "last_fiscal_quarter":
        this_start = fiscal_quarter_start(as_of, start_month)
        return add_months(this_start, -3), this_start - timedelta(days=1)
    if preset == "trailing_12_months":
        return add_months(as_of, -11), as_of
    raise ValueError(f"unknown period preset {preset!r}")
