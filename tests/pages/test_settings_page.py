"""The Settings page: shows the values in force, saves valid edits atomically, refuses invalid ones."""

from __future__ import annotations

import shutil

import pytest
from helpers import ROOT, app


@pytest.fixture
def settings_copy(tmp_path, monkeypatch):
    path = tmp_path / "tandem.toml"
    shutil.copy(ROOT / "tandem.toml", path)
    monkeypatch.setenv("TANDEM_SETTINGS", str(path))
    return path


def open_settings(**params):
    at = app(**params).run()
    return at.switch_page("pages/settings.py").run()


def test_settings_page_shows_fiscal_labels_and_currency(app_db, settings_copy):
    at = open_settings(as_of="2026-03-10")
    assert not at.exception
    table = at.dataframe[0].value
    assert table["reads as"].tolist()[:2] == ["FY26 Q1 (01 Jan 2026 – 31 Mar 2026)", "FY26"]
    assert table["reads as"].tolist()[3] == "$1,234,567.89"


def test_settings_page_save_changes_labels_and_money(app_db, settings_copy):
    at = open_settings(as_of="2026-03-10")
    at.text_input(key="settings_currency").set_value("eur")
    at.selectbox(key="settings_fiscal_start").set_value(2)
    at.button[0].click().run()
    assert not at.exception
    assert "Settings saved" in at.success[0].value
    assert 'currency = "EUR"' in settings_copy.read_text()
    table = at.dataframe[0].value
    assert table["reads as"].tolist()[:2] == ["FY27 Q1 (01 Feb 2026 – 30 Apr 2026)", "FY27"]
    assert table["reads as"].tolist()[3] == "€1,234,567.89"


def test_settings_page_refuses_invalid_currency_and_keeps_file(app_db, settings_copy):
    before = settings_copy.read_text()
    at = open_settings()
    at.text_input(key="settings_currency").set_value("E1")
    at.button[0].click().run()
    assert not at.exception
    assert "company.currency" in at.error[0].value
    assert settings_copy.read_text() == before
