"""The Settings page: shows the values in force, saves valid edits into the database, refuses invalid ones."""

from __future__ import annotations

import pytest
from helpers import app

from queries import db, settings


def open_settings(**params):
    at = app(**params).run()
    return at.switch_page("pages/settings.py").run()


def stored(path) -> list[tuple]:
    con = db.connect(path)  # read-write, as the app's own connection in this process is
    try:
        return con.execute("SELECT key, value FROM settings ORDER BY key").fetchall()
    finally:
        con.close()


@pytest.mark.slow
def test_settings_page_shows_fiscal_labels_and_currency(app_db):
    at = open_settings(as_of="2026-03-10")
    assert not at.exception
    table = at.dataframe[0].value
    assert table["reads as"].tolist()[:2] == ["FY26 Q1 (01 Jan 2026 – 31 Mar 2026)", "FY26"]
    assert table["reads as"].tolist()[3] == "$1,234,567.89"


@pytest.mark.slow
def test_settings_page_save_changes_labels_and_money(app_db):
    at = open_settings(as_of="2026-03-10")
    at.text_input(key="settings_currency").set_value("eur")
    at.selectbox(key="settings_fiscal_start").set_value(2)
    at.button[0].click().run()
    assert not at.exception
    assert "Settings saved" in at.success[0].value
    assert ("company.currency", '"EUR"') in stored(app_db)
    table = at.dataframe[0].value
    assert table["reads as"].tolist()[:2] == ["FY27 Q1 (01 Feb 2026 – 30 Apr 2026)", "FY27"]
    assert table["reads as"].tolist()[3] == "€1,234,567.89"
    # Stored with the data: a new server on the same database reads the same, whatever tandem.toml says.
    con = db.connect(app_db)
    try:
        assert settings.load(con).currency == "EUR" != settings.seed().currency
    finally:
        con.close()


@pytest.mark.slow
def test_settings_page_refuses_invalid_currency_and_keeps_the_stored_values(app_db):
    before = stored(app_db)
    at = open_settings()
    at.text_input(key="settings_currency").set_value("E1")
    at.button[0].click().run()
    assert not at.exception
    assert "company.currency" in at.error[0].value
    assert stored(app_db) == before
