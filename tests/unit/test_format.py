"""Number formatting in the company currency."""

from __future__ import annotations

import pandas as pd
import pytest

from ui import format


@pytest.mark.parametrize("value, text", [(1234567.891, "$1.2M"), (85_000, "$85k"), (1234.4, "$1,234"),
                                         (-2500, "−$2,500"), (None, "—"), (float("nan"), "—"), (pd.NA, "—")])
def test_format_money_compact(value, text):
    assert format.money(value) == text


@pytest.mark.slow
def test_format_money_exact_uses_the_databases_currency(make_db, monkeypatch):
    from queries import db, settings

    path = make_db("base.sql")
    monkeypatch.setenv("TANDEM_DB", str(path))
    con = db.connect(path)
    try:
        settings.save(con, {"company": {"currency": "GBP"}})
        assert format.money(1234.5, compact=False) == "£1,234.50"
        settings.save(con, {"company": {"currency": "CHF"}})  # a save moves data_version: read again
        assert format.money(10, compact=False) == "CHF 10.00"
    finally:
        con.close()


@pytest.mark.parametrize("fn, value, text", [(format.pct, 0.456, "46%"), (format.count, 12345.6, "12,346"),
                                             (format.points, 2.34, "+2.3 pp"), (format.pct, pd.NA, "—"),
                                             (format.count, None, "—")])
def test_format_ratios_counts_points(fn, value, text):
    assert fn(value) == text


@pytest.mark.parametrize("value, text", [(999_999, "999,999"), (4_240_450, "4.2M"), (11_586_123, "11.6M"),
                                         (-25_000_000, "-25.0M"), (2_345_000_000, "2.3B"), (None, "—")])
def test_compact_counts_fit_a_tile(value, text):
    assert format.count(value, compact=True) == text
    assert len(text) <= 8


def test_exactly_names_the_count_a_tile_shortens():
    assert format.exactly(999_999, "Of leads.") == "Of leads."
    assert format.exactly(4_240_450, "Of leads.") == "Exactly 4,240,450. Of leads."
    assert format.exactly(4_240_450) == "Exactly 4,240,450."
    assert format.exactly(None, "n/a") == "n/a"
