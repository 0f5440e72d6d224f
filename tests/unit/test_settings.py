"""Settings: kept in the database (seeded from tandem.toml), validated on read and on write, naming the bad key."""

from __future__ import annotations

import duckdb
import pytest

from queries import access, db, settings


def test_settings_repo_file_is_valid_and_matches_defaults():
    assert settings.load_file(settings.DEFAULT_FILE) == settings.Settings()


def test_settings_missing_file_means_defaults(tmp_path):
    assert settings.load_file(tmp_path / "none.toml") == settings.Settings()


@pytest.mark.parametrize("text, key", [
    ("[company]\ncurrency = 'dollars'", "company.currency"),
    ("[company]\nfiscal_year_start_month = 13", "company.fiscal_year_start_month"),
    ("[company]\nweek_start = 'friday'", "company.week_start"),
    ("[handoff]\nsla_hours = -1", "handoff.sla_hours"),
    ("[pipeline.stage_probabilities]\nproposal = 1.5", "pipeline.stage_probabilities.proposal"),
    ("[pipeline.stage_probabilities]\nwon = 1", "pipeline.stage_probabilities.won"),
    ("[brand]\ndefault_horizon_months = 7", "brand.default_horizon_months"),
    ("[company]\ncolour = 'blue'", "company.colour"),
    ("[extras]\nx = 1", "[extras]"),
])
def test_settings_invalid_value_names_the_key(tmp_path, text, key):
    path = tmp_path / "tandem.toml"
    path.write_text(text)
    with pytest.raises(settings.SettingsError) as caught:
        settings.load_file(path)
    assert str(caught.value).startswith(f"{path}: {key} ")
    assert "\n" not in str(caught.value)


def test_settings_not_toml_names_the_file(tmp_path):
    path = tmp_path / "tandem.toml"
    path.write_text("[company\nname=")
    with pytest.raises(settings.SettingsError, match="not valid TOML"):
        settings.load_file(path)


def test_settings_partial_file_keeps_other_defaults(tmp_path):
    path = tmp_path / "tandem.toml"
    path.write_text("[company]\ncurrency = 'EUR'\nfiscal_year_start_month = 2\n"
                    "[pipeline.stage_probabilities]\nproposal = 0.4\n")
    loaded = settings.load_file(path)
    assert (loaded.currency, loaded.currency_symbol, loaded.fiscal_year_start_month) == ("EUR", "€", 2)
    assert loaded.stage_probabilities == {"prospecting": 0.10, "qualification": 0.25, "proposal": 0.4,
                                          "negotiation": 0.75}


def test_a_new_database_takes_the_seed_files_settings(tmp_path, monkeypatch):
    seed = tmp_path / "seed.toml"
    seed.write_text("[company]\nname = 'Seeded Ltd'\ncurrency = 'GBP'\n[handoff]\nsla_hours = 8\n")
    monkeypatch.setenv("TANDEM_SETTINGS", str(seed))
    con = db.connect(tmp_path / "new.duckdb")
    try:
        loaded = settings.load(con)
        assert (loaded.company_name, loaded.currency, loaded.sla_hours) == ("Seeded Ltd", "GBP", 8.0)
        seed.write_text("[company]\nname = 'Changed later'\n")  # the file only seeds: the database keeps its own
        assert settings.load(con).company_name == "Seeded Ltd"
    finally:
        con.close()


def test_settings_save_round_trips_and_moves_data_version(base_con):
    raw = {"company": {"name": 'Acme "Quotes" & Co', "currency": "EUR", "fiscal_year_start_month": 4},
           "handoff": {"sla_hours": 8}, "pipeline": {"stage_probabilities": {"proposal": 0.4}}}
    before = db.data_version(base_con)
    saved = settings.save(base_con, raw, actor=access.Actor("ann@example.com", "admin"))
    assert settings.load(base_con) == saved
    assert (saved.company_name, saved.currency, saved.sla_hours) == ('Acme "Quotes" & Co', "EUR", 8.0)
    assert saved.stage_probabilities["proposal"] == 0.4 and saved.stage_probabilities["negotiation"] == 0.75
    assert db.data_version(base_con) == before + 1
    assert base_con.execute("SELECT DISTINCT updated_by FROM settings").fetchall() == [("ann@example.com",)]
    assert base_con.execute("SELECT value FROM meta WHERE key = 'written:settings'").fetchone() == (str(before + 1),)


def test_settings_save_refuses_invalid_and_keeps_the_stored_ones(base_con):
    rows = base_con.execute("SELECT * FROM settings ORDER BY key").fetchall()
    version = db.data_version(base_con)
    with pytest.raises(settings.SettingsError, match="company.fiscal_year_start_month"):
        settings.save(base_con, {"company": {"fiscal_year_start_month": 0}})
    assert base_con.execute("SELECT * FROM settings ORDER BY key").fetchall() == rows
    assert db.data_version(base_con) == version


def test_settings_save_needs_admin(base_con):
    rows = base_con.execute("SELECT * FROM settings ORDER BY key").fetchall()
    with pytest.raises(access.PermissionDenied, match="needs the admin role"):
        settings.save(base_con, {}, actor=access.Actor("ann@example.com", "member"))
    assert base_con.execute("SELECT * FROM settings ORDER BY key").fetchall() == rows


def test_an_invalid_stored_value_names_the_key(base_con):
    base_con.execute("UPDATE settings SET value = '\"dollars\"' WHERE key = 'company.currency'")
    with pytest.raises(settings.SettingsError, match=r"^the database's settings: company.currency must be"):
        settings.load(base_con)


def test_seeded_puts_the_given_values_over_the_seed_and_validates_them():
    chosen = settings.seeded(company="  Acme GmbH ", currency="eur", fiscal_year_start=2)
    assert (chosen.company_name, chosen.currency, chosen.fiscal_year_start_month) == ("Acme GmbH", "EUR", 2)
    assert chosen.sla_hours == settings.Settings().sla_hours
    with pytest.raises(settings.SettingsError, match="fiscal_year_start_month"):
        settings.seeded(fiscal_year_start=13)


def test_a_read_only_file_without_a_settings_table_reads_the_seed(tmp_path):
    path = tmp_path / "old.duckdb"
    db.connect(path).close()
    raw = duckdb.connect(str(path))
    raw.execute("DROP TABLE settings")
    raw.close()
    con = db.connect(path, read_only=True)
    try:
        assert settings.load(con) == settings.seed()
    finally:
        con.close()
